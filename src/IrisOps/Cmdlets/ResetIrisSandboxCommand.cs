using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Iris;
using IrisOps.Core.Sandboxes;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>Reset-IrisSandbox: the container recreated from its image; durable data only with -DiscardData.</summary>
    [Cmdlet(VerbsCommon.Reset, "IrisSandbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(IrisSandbox))]
    public sealed class ResetIrisSandboxCommand : SandboxCmdletBase
    {
        [Parameter]
        public SwitchParameter DiscardData { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int StopTimeout { get; set; } = IrisDefaults.StopTimeoutSeconds;

        [Parameter]
        [ValidateRange(1, 86400)]
        public int HealthTimeout { get; set; } = IrisDefaults.HealthTimeoutSeconds;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            var lifecycle = new SandboxLifecycle(DockerEngine, Reporter, Clock) { StopTimeout = TimeSpan.FromSeconds(StopTimeout), HealthTimeout = TimeSpan.FromSeconds(HealthTimeout) };
            await ForEachApprovedAsync(
                await SelectAsync(expiredOnly: false, template: null, requireTarget: true, cancellationToken).ConfigureAwait(false),
                sandbox => SandboxLifecycle.DescribeReset(sandbox, DiscardData.IsPresent),
                async sandbox => Emit(await lifecycle.ResetAsync(sandbox, DiscardData.IsPresent, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        }
    }
}
