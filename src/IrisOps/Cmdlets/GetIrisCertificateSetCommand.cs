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
    [Cmdlet(VerbsCommon.Get, "IrisCertificateSet", DefaultParameterSetName = "Path")]
    [OutputType(typeof(IrisCertificateSet))]
    public sealed class GetIrisCertificateSetCommand : PathsCmdletBase
    {
        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            foreach ((string given, string folder) in await ResolveGivenPathsAsync().ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    Verbose($"Reading the certificate set in '{folder}'.");
                    Emit(CertificateSetReader.Read(folder));
                }
                catch (IrisOpsException ex)
                {
                    // One unreadable folder does not stop the others.
                    Error(ex, given);
                }
                catch (IOException ex)
                {
                    Error(new IrisOpsException(IrisErrorKind.ResourceUnavailable, "CertificateSetUnreadable", $"The certificate set '{folder}' cannot be read: {ex.Message}", folder, ex), folder);
                }
                catch (System.UnauthorizedAccessException ex)
                {
                    Error(new IrisOpsException(IrisErrorKind.PermissionDenied, "CertificateSetUnreadable", $"The certificate set '{folder}' cannot be read: {ex.Message}", folder, ex), folder);
                }
            }
        }
    }
}
