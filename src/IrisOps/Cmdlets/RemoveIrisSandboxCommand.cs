using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Iris;
using IrisOps.Core.Sandboxes;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>Remove-IrisSandbox: container, network, license and expiry records go; preserved data stays unless -RemoveData.</summary>
    [Cmdlet(VerbsCommon.Remove, "IrisSandbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveIrisSandboxCommand : SandboxCmdletBase
    {
        [Parameter]
        public SwitchParameter Expired { get; set; }

        [Parameter]
        public SwitchParameter RemoveData { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int StopTimeout { get; set; } = IrisDefaults.StopTimeoutSeconds;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            var lifecycle = new SandboxLifecycle(DockerEngine, Reporter, Clock) { StopTimeout = TimeSpan.FromSeconds(StopTimeout) };
            await ForEachApprovedAsync(
                await SelectAsync(Expired.IsPresent, template: null, requireTarget: true, cancellationToken).ConfigureAwait(false),
                sandbox => SandboxLifecycle.DescribeRemove(sandbox, RemoveData.IsPresent),
                sandbox => lifecycle.RemoveAsync(sandbox, RemoveData.IsPresent, cancellationToken)).ConfigureAwait(false);
        }
    }
}
