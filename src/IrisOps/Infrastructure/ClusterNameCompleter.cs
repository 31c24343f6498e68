using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;

namespace IrisOps.Infrastructure
{
    /// <summary>Names of the ECP clusters on the engine (from the irisops.cluster label of their containers), for -Name.</summary>
    public sealed class ClusterNameCompleter : EngineCompleter
    {
        public ClusterNameCompleter()
        {
        }

        internal ClusterNameCompleter(Func<string?, IDockerEngine> connect)
            : base(connect)
        {
        }

        protected override async Task<IEnumerable<CompletionCandidate>> ListAsync(IDockerEngine engine, IDictionary fakeBoundParameters, CancellationToken cancellationToken)
        {
            IList<ContainerSummary> containers = await engine.ListContainersAsync(new Dictionary<string, string?> { [ClusterLabels.Cluster] = null }, cancellationToken).ConfigureAwait(false);
            return containers
                .Where(c => !(c.Labels.TryGetValue(ClusterLabels.Role, out string? role) && role == Core.Iris.NodeRoles.PrepareLabel))
                .GroupBy(c => c.Labels[ClusterLabels.Cluster], StringComparer.Ordinal)
                .Select(g => new CompletionCandidate(g.Key, $"{g.Key}: {g.Count()} node(s), {string.Join(", ", g.Select(c => c.Image).Distinct())}"));
        }
    }
}
