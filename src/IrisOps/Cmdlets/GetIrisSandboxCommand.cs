using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Sandboxes;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>Get-IrisSandbox: the sandboxes on an engine, rebuilt from their labels; -Owner and -Name match exactly.</summary>
    [Cmdlet(VerbsCommon.Get, "IrisSandbox")]
    [OutputType(typeof(IrisSandbox))]
    public sealed class GetIrisSandboxCommand : SandboxCmdletBase
    {
        [Parameter]
        public SwitchParameter Expired { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Template { get; set; }

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            IReadOnlyList<IrisSandbox> sandboxes = await SelectAsync(Expired.IsPresent, Template?.ToLowerInvariant(), requireTarget: false, cancellationToken).ConfigureAwait(false);
            foreach (IrisSandbox sandbox in sandboxes)
            {
                Emit(sandbox);
            }
        }
    }
}
