using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Sandboxes;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>Set-IrisSandbox -Extend: a later expiry, never past the sandbox's limit.</summary>
    [Cmdlet(VerbsCommon.Set, "IrisSandbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(IrisSandbox))]
    public sealed class SetIrisSandboxCommand : SandboxCmdletBase
    {
        [Parameter(Mandatory = true)]
        public TimeSpan Extend { get; set; }

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            var lifecycle = new SandboxLifecycle(DockerEngine, Reporter, Clock);
            await ForEachApprovedAsync(
                await SelectAsync(expiredOnly: false, template: null, requireTarget: true, cancellationToken).ConfigureAwait(false),
                sandbox => $"Extend sandbox {sandbox.Name} of owner '{sandbox.Owner}' from {SandboxLabels.FormatTime(sandbox.Expires)} to {SandboxLabels.FormatTime(lifecycle.CheckExtend(sandbox, Extend))}.",
                async sandbox => Emit(await lifecycle.ExtendAsync(sandbox, Extend, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        }
    }
}
