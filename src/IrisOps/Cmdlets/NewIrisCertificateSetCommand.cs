using System.Management.Automation;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Certificates;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>New-IrisCertificateSet: a CA plus data server and application server certificates for ECP TLS.</summary>
    [Cmdlet(VerbsCommon.New, "IrisCertificateSet", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IrisCertificateSet))]
    public sealed class NewIrisCertificateSetCommand : IrisCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public string[] DataServer { get; set; } = new string[0];

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public string[] ApplicationServer { get; set; } = new string[0];

        [Parameter]
        [Alias("San")]
        [ValidateNotNull]
        public string[] SubjectAlternativeName { get; set; } = new string[0];

        [Parameter]
        public string? Organization { get; set; }

        [Parameter]
        public string? OrganizationalUnit { get; set; }

        [Parameter]
        public string? Country { get; set; }

        [Parameter]
        public string? State { get; set; }

        [Parameter]
        public string? Locality { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AuthorityName { get; set; } = "IrisOps ECP CA";

        [Parameter]
        [ValidateRange(1, 36500)]
        public int ValidityDays { get; set; } = CertificateSetRequest.DefaultValidityDays;

        [Parameter]
        public KeyAlgorithm KeyAlgorithm { get; set; } = KeyAlgorithm.Rsa2048;

        [Parameter]
        public SecureString? KeyPassword { get; set; }

        [Parameter]
        public SwitchParameter IncludePfx { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CertificateAuthorityPath { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            var request = new CertificateSetRequest
            {
                Path = await ResolveFileSystemPathAsync(Path, nameof(Path)).ConfigureAwait(false),
                DataServers = DataServer,
                ApplicationServers = ApplicationServer,
                SubjectAlternativeNames = SubjectAlternativeName,
                Subject = new SubjectFields
                {
                    Organization = Organization,
                    OrganizationalUnit = OrganizationalUnit,
                    Country = Country,
                    State = State,
                    Locality = Locality,
                },
                AuthorityName = AuthorityName,
                ValidityDays = ValidityDays,
                KeyAlgorithm = KeyAlgorithm,
                KeyPassword = KeyPassword,
                IncludePfx = IncludePfx.IsPresent,
                CertificateAuthorityPath = CertificateAuthorityPath == null
                    ? null
                    : await ResolveFileSystemPathAsync(CertificateAuthorityPath, nameof(CertificateAuthorityPath)).ConfigureAwait(false),
                Force = Force.IsPresent,
            };

            CertificateSetPlan plan = CertificateSetGenerator.Plan(request);
            if (!await ShouldProcessAsync(plan.Describe(), "Create this certificate set? " + plan.Describe(), "New-IrisCertificateSet").ConfigureAwait(false))
            {
                return;
            }

            IrisCertificateSet set = await CertificateSetGenerator.CreateAsync(plan, Reporter, cancellationToken).ConfigureAwait(false);
            Emit(set);
        }
    }
}
