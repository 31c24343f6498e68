using System;
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
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TargetParameterSets.Name)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

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
            foreach (IrisEcpCluster cluster in await ClusterArgument.ResolveAsync(DockerEngine, InputObject, Name, cancellationToken).ConfigureAwait(false))
            {
                await RemoveAsync(cluster, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task RemoveAsync(IrisEcpCluster cluster, CancellationToken cancellationToken)
        {
            string containers = string.Join(", ", cluster.Nodes.Select(n => n.Name));
            string what = RemoveData
                ? $"Remove ECP cluster '{cluster.Name}': containers {containers}, network {cluster.Network}, AND ITS DURABLE DATA ({string.Join(", ", cluster.Nodes.Select(n => n.DurableStorage))}) and the cluster folder '{cluster.ClusterFolder}'."
                : $"Remove ECP cluster '{cluster.Name}': containers {containers} and network {cluster.Network}. Durable data is kept.";
            if (await ShouldProcessAsync(what, what + " Continue?", "Remove-IrisEcpCluster").ConfigureAwait(false))
            {
                await new EcpClusterRemover(DockerEngine, Reporter).RemoveAsync(cluster, RemoveData, TimeSpan.FromSeconds(StopTimeout), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
