using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Iris;
using IrisOps.Core.Sandboxes;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>Stop-IrisSandbox: a clean shutdown of the container (the stop timeout leaves IRIS its own shutdown time).</summary>
    [Cmdlet(VerbsLifecycle.Stop, "IrisSandbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IrisSandbox))]
    public sealed class StopIrisSandboxCommand : SandboxCmdletBase
    {
        [Parameter]
        public SwitchParameter Expired { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int StopTimeout { get; set; } = IrisDefaults.StopTimeoutSeconds;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            var lifecycle = new SandboxLifecycle(DockerEngine, Reporter, Clock) { StopTimeout = TimeSpan.FromSeconds(StopTimeout) };
            await ForEachApprovedAsync(
                await SelectAsync(Expired.IsPresent, template: null, requireTarget: true, cancellationToken).ConfigureAwait(false),
                sandbox => $"Stop sandbox {sandbox.Name} of owner '{sandbox.Owner}' ({sandbox.Status}).",
                async sandbox => Emit(await lifecycle.StopAsync(sandbox, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        }
    }
}
