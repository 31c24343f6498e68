using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Ecp;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>Get-IrisEcpCluster: the clusters on an engine, rebuilt from the labels of their containers.</summary>
    [Cmdlet(VerbsCommon.Get, "IrisEcpCluster")]
    [OutputType(typeof(IrisEcpCluster))]
    public sealed class GetIrisEcpClusterCommand : IrisDockerCmdlet
    {
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ClusterNameCompleter))]
        [ClusterNameTransformation]
        public string[]? Name { get; set; }

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            foreach (ClusterMatch match in await ClusterArgument.MatchAsync(DockerEngine, new IrisTarget[0], Name, cancellationToken).ConfigureAwait(false))
            {
                if (match.Cluster == null)
                {
                    Error(ClusterArgument.NotFound(DockerEngine, match.Name, null), match.Name);
                    continue;
                }

                Emit(match.Cluster);
            }
        }
    }
}
