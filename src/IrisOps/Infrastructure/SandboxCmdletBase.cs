using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;
using IrisOps.Core.Sandboxes;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// The base of the sandbox cmdlets that act on existing sandboxes: -Owner and -Name (both by property name, so
    /// Get-IrisSandbox and Import-Clixml output pipe in), the clock every expiry decision uses, and the selection.
    /// Owner and names match exactly: a wildcard is refused, never expanded, so one owner cannot reach another's.
    /// </summary>
    public abstract class SandboxCmdletBase : IrisDockerCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string? Owner { get; set; }

        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        protected static ISandboxClock Clock => SandboxClockHook.Clock;

        /// <summary>The sandboxes -Owner and -Name select (with -Expired, only the expired ones); a name that the owner has not is an error.</summary>
        protected async Task<IReadOnlyList<IrisSandbox>> SelectAsync(bool expiredOnly, string? template, bool requireTarget, CancellationToken cancellationToken)
        {
            string? owner = Owner == null ? null : SandboxNames.NormalizeOwner(Owner);
            IReadOnlyList<string>? names = Name?.Select(n => IrisNames.CheckContainerName(n, "-Name")).ToList();
            if (requireTarget && owner == null && names == null && !expiredOnly)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "SandboxTargetMissing",
                    $"{Invocation.CommandName} needs -Owner, -Name, -Expired or sandboxes from Get-IrisSandbox by pipeline.", null);
            }

            IReadOnlyList<IrisSandbox> found = await SandboxReader.ReadAsync(DockerEngine, new SandboxFilter { Owner = owner, Names = names, Template = template, ExpiredOnly = expiredOnly }, Clock, cancellationToken).ConfigureAwait(false);
            foreach (string name in names ?? Array.Empty<string>())
            {
                if (!expiredOnly && !found.Any(s => s.Name == name))
                {
                    Error(SandboxReader.NotFound(DockerEngine, owner, name), name);
                }
            }

            return found;
        }

        /// <summary>Runs <paramref name="action"/> on each selected sandbox that ShouldProcess approves; a failure is that sandbox's error, the others go on.</summary>
        protected async Task ForEachApprovedAsync(IReadOnlyList<IrisSandbox> sandboxes, Func<IrisSandbox, string> describe, Func<IrisSandbox, Task> action)
        {
            foreach (IrisSandbox sandbox in sandboxes)
            {
                try
                {
                    string what = describe(sandbox);
                    if (await ShouldProcessAsync(what, what + " Continue?", Invocation.CommandName).ConfigureAwait(false))
                    {
                        await action(sandbox).ConfigureAwait(false);
                    }
                }
                catch (IrisOpsException error)
                {
                    Error(error, sandbox.Name);
                }
            }
        }
    }
}
