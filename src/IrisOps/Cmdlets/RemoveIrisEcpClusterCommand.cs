using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Ecp;
using IrisOps.Core.Iris;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>Remove-IrisEcpCluster: containers and network go; durable data stays unless -RemoveData.</summary>
    [Cmdlet(VerbsCommon.Remove, "IrisEcpCluster", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = TargetParameterSets.Name)]
    [OutputType(typeof(void))]
    public sealed class RemoveIrisEcpClusterCommand : ClusterTargetCmdletBase
    {
        [Parameter]
        public SwitchParameter RemoveData { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int StopTimeout { get; set; } = IrisDefaults.StopTimeoutSeconds;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            var remover = new EcpClusterRemover(DockerEngine, Reporter);
            foreach (ClusterMatch match in await MatchClustersAsync(cancellationToken).ConfigureAwait(false))
            {
                string name = match.Name;
                ClusterRemoval removal;
                if (match.Cluster != null)
                {
                    removal = await remover.PlanAsync(match.Cluster, RemoveData, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // No containers, but an earlier removal that kept the data left labelled volumes behind.
                    ClusterRemoval? leftovers = await remover.PlanLeftoversAsync(name, RemoveData, cancellationToken).ConfigureAwait(false);
                    if (leftovers == null || !RemoveData)
                    {
                        // One name that matches nothing does not stop the others.
                        Error(ClusterArgument.NotFound(DockerEngine, name, leftovers == null ? null :
                            $"Its durable data remains from an earlier removal (volumes {string.Join(", ", leftovers.DurableVolumes.Concat(leftovers.GeneratedVolumes))}): add -RemoveData to delete it, or create the cluster again with New-IrisEcpCluster to use it."), name);
                        continue;
                    }

                    removal = leftovers;
                }

                string what = removal.Describe();
                if (await ShouldProcessAsync(what, what + "\nContinue?", "Remove-IrisEcpCluster").ConfigureAwait(false))
                {
                    await remover.RemoveAsync(removal, TimeSpan.FromSeconds(StopTimeout), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
