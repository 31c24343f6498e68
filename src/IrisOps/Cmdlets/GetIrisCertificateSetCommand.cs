using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Certificates;
using IrisOps.Core.Errors;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>Get-IrisCertificateSet: a certificate set read back from its folder, as the object New-IrisEcpCluster -CertificateSet takes.</summary>
    [Cmdlet(VerbsCommon.Get, "IrisCertificateSet", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(IrisCertificateSet))]
    public sealed class GetIrisCertificateSetCommand : IrisCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = new string[0];

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = new string[0];

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string given in literal ? LiteralPath : Path)
            {
                try
                {
                    foreach (string folder in await ResolveFileSystemPathsAsync(given, literal, literal ? nameof(LiteralPath) : nameof(Path)).ConfigureAwait(false))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        Verbose($"Reading the certificate set in '{folder}'.");
                        Emit(CertificateSetReader.Read(folder));
                    }
                }
                catch (IrisOpsException ex)
                {
                    // One unreadable folder does not stop the others.
                    Error(ex, given);
                }
                catch (IOException ex)
                {
                    Error(new IrisOpsException(IrisErrorKind.ResourceUnavailable, "CertificateSetUnreadable", $"The certificate set '{given}' cannot be read: {ex.Message}", given, ex), given);
                }
                catch (System.UnauthorizedAccessException ex)
                {
                    Error(new IrisOpsException(IrisErrorKind.PermissionDenied, "CertificateSetUnreadable", $"The certificate set '{given}' cannot be read: {ex.Message}", given, ex), given);
                }
            }
        }
    }
}
