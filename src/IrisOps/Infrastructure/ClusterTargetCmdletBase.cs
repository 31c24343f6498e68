using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// The target of Test- and Remove-IrisEcpCluster: cluster names (wildcards, pipeline by value and property name,
    /// any cluster, node or upgrade-result object in place of its name) or target objects.
    /// </summary>
    public abstract class ClusterTargetCmdletBase : IrisDockerCmdlet
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

        /// <summary>The clusters this record names, each found or not.</summary>
        private protected Task<IReadOnlyList<ClusterMatch>> MatchClustersAsync(CancellationToken cancellationToken) =>
            ClusterArgument.MatchAsync(DockerEngine, InputObject, Name, cancellationToken);
    }
}
