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
    public sealed class RemoveIrisEcpClusterCommand : IrisDockerCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TargetParameterSets.Name, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ClusterNameCompleter))]
        [ClusterNameTransformation]
        public string[] Name { get; set; } = new string[0];

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TargetParameterSets.InputObject)]
        [IrisTargetTransformation]
        public IrisTarget[] InputObject { get; set; } = new IrisTarget[0];

        [Parameter]
        public SwitchParameter RemoveData { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int StopTimeout { get; set; } = IrisDefaults.StopTimeoutSeconds;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            var remover = new EcpClusterRemover(DockerEngine, Reporter);
            foreach (ClusterMatch match in await ClusterArgument.MatchAsync(DockerEngine, InputObject, Name, cancellationToken).ConfigureAwait(false))
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
