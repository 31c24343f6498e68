using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Iris;
using IrisOps.Core.Sandboxes;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>Start-IrisSandbox: starts a stopped sandbox; an expired one only when its rules allow a relaunch (with a new lifetime).</summary>
    [Cmdlet(VerbsLifecycle.Start, "IrisSandbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(IrisSandbox))]
    public sealed class StartIrisSandboxCommand : SandboxCmdletBase
    {
        [Parameter]
        [ValidateRange(1, 86400)]
        public int HealthTimeout { get; set; } = IrisDefaults.HealthTimeoutSeconds;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            var lifecycle = new SandboxLifecycle(DockerEngine, Reporter, Clock) { HealthTimeout = TimeSpan.FromSeconds(HealthTimeout) };
            await ForEachApprovedAsync(
                await SelectAsync(expiredOnly: false, template: null, requireTarget: true, cancellationToken).ConfigureAwait(false),
                lifecycle.CheckStart,
                async sandbox => Emit(await lifecycle.StartAsync(sandbox, cancellationToken).ConfigureAwait(false))).ConfigureAwait(false);
        }
    }
}
