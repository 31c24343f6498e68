using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;

namespace IrisOps.Infrastructure
{
    /// <summary>A cluster a -Name or target object asked for: the cluster, or null when no cluster on the engine has that literal name.</summary>
    internal sealed class ClusterMatch
    {
        public ClusterMatch(string name, IrisEcpCluster? cluster)
        {
            Name = name;
            Cluster = cluster;
        }

        public string Name { get; }

        public IrisEcpCluster? Cluster { get; }
    }

    /// <summary>
    /// The one reading of -Name and -InputObject for every *-IrisEcpCluster cmdlet: names with wildcards match
    /// the clusters on the engine (case-insensitive, each cluster once); a name without wildcards that matches
    /// nothing comes back as a match without a cluster, for the cmdlet to report (or, for Remove, to look for
    /// what an earlier removal kept); target objects (live or deserialized) name their cluster literally.
    /// </summary>
    internal static class ClusterArgument
    {
        public static async Task<IReadOnlyList<ClusterMatch>> MatchAsync(IDockerEngine engine, IReadOnlyList<IrisTarget> inputObject, IReadOnlyList<string>? patterns, CancellationToken cancellationToken)
        {
            IEnumerable<string> wanted = inputObject.Count > 0
                ? Names(inputObject).Select(WildcardPattern.Escape)
                : patterns ?? new[] { "*" };
            IReadOnlyList<IrisEcpCluster> clusters = await EcpClusterReader.ReadAsync(engine, null, cancellationToken).ConfigureAwait(false);
            var matches = new List<ClusterMatch>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string pattern in wanted)
            {
                var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
                bool found = false;
                foreach (IrisEcpCluster cluster in clusters.Where(c => wildcard.IsMatch(c.Name)))
                {
                    found = true;
                    if (seen.Add(cluster.Name))
                    {
                        matches.Add(new ClusterMatch(cluster.Name, cluster));
                    }
                }

                if (!found && !WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    string literal = WildcardPattern.Unescape(pattern);
                    if (seen.Add(literal))
                    {
                        matches.Add(new ClusterMatch(literal, null));
                    }
                }
            }

            return matches;
        }

        /// <summary>The cluster names target objects give, each once.</summary>
        public static IEnumerable<string> Names(IReadOnlyList<IrisTarget> inputObject) =>
            inputObject.Select(t => t.ClusterName ?? throw new IrisOpsException(IrisErrorKind.InvalidArgument, "NotAClusterNode",
                    $"'{t.Name}' is not a node of an ECP cluster; give a cluster, a cluster node or a cluster name.", t.Name))
                .Distinct(StringComparer.Ordinal)
                .ToList();

        public static IrisOpsException NotFound(IDockerEngine engine, string cluster, string? hint) =>
            new IrisOpsException(IrisErrorKind.ObjectNotFound, "ClusterNotFound",
                $"There is no ECP cluster named '{cluster}' on the Docker engine at {engine.Endpoint}." + (hint == null ? string.Empty : " " + hint), cluster);
    }

    /// <summary>
    /// Lets -Name of the *-IrisEcpCluster cmdlets take, besides names, any object that belongs to a cluster (a
    /// cluster, a node, an upgrade result, live or deserialized) as its cluster's name. Without it a node object
    /// piped in would bind its own Name (the container) by property name, which names no cluster.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class ClusterNameTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object? value = inputData is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : inputData;
            if (value is string || value == null)
            {
                return inputData!;
            }

            var items = value is System.Collections.IEnumerable list && !(value is System.Collections.IDictionary) ? list.Cast<object?>() : new[] { inputData };
            var names = new List<string>();
            foreach (object? item in items)
            {
                object? bare = item is PSObject inner && !(inner.BaseObject is PSCustomObject) ? inner.BaseObject : item;
                if (bare is string text)
                {
                    names.Add(text);
                    continue;
                }

                if (bare is IConvertible)
                {
                    names.Add(Convert.ToString(bare, System.Globalization.CultureInfo.InvariantCulture)!);
                    continue;
                }

                try
                {
                    names.AddRange(ClusterArgument.Names(new[] { IrisTarget.From(item) }));
                }
                catch (IrisOpsException ex)
                {
                    // Any other object would become its ToString() text: refuse it, saying what -Name takes.
                    throw new ArgumentTransformationMetadataException(ex.Message, ex);
                }
            }

            return names.ToArray();
        }
    }
}
