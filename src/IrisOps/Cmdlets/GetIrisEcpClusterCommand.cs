using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
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
        public string[]? Name { get; set; }

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            IReadOnlyList<IrisEcpCluster> clusters = await EcpClusterReader.ReadAsync(DockerEngine, null, cancellationToken).ConfigureAwait(false);
            if (Name == null)
            {
                foreach (IrisEcpCluster cluster in clusters)
                {
                    Emit(cluster);
                }

                return;
            }

            foreach (string pattern in Name)
            {
                var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
                bool found = false;
                foreach (IrisEcpCluster cluster in clusters)
                {
                    if (wildcard.IsMatch(cluster.Name))
                    {
                        found = true;
                        Emit(cluster);
                    }
                }

                if (!found && !WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    Error(new IrisOpsException(IrisErrorKind.ObjectNotFound, "ClusterNotFound",
                        $"There is no ECP cluster named '{pattern}' on the Docker engine at {DockerEngine.Endpoint}.", pattern));
                }
            }
        }
    }
}
