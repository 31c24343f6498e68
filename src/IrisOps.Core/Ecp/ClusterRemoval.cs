using System.Collections.Generic;
using System.Linq;
using System.Text;
using IrisOps.Core.Docker;

namespace IrisOps.Core.Ecp
{
    /// <summary>What Remove-IrisEcpCluster will delete and keep, read before anything is deleted (see <see cref="EcpClusterRemover"/>).</summary>
    public sealed class ClusterRemoval
    {
        public ClusterRemoval(string cluster, bool removeData)
        {
            Cluster = cluster;
            RemoveData = removeData;
        }

        public string Cluster { get; }

        public bool RemoveData { get; }

        /// <summary>Stop and removal order: application servers first.</summary>
        public IReadOnlyList<ContainerSummary> Containers { get; internal set; } = new List<ContainerSummary>();

        public IReadOnlyList<string> Networks { get; internal set; } = new List<string>();

        /// <summary>Swarm services, application servers first: removing one stops and removes its task containers.</summary>
        public IReadOnlyList<string> Services { get; internal set; } = new List<string>();

        /// <summary>Swarm secrets (TLS files, license) and configs (merge files): always removed, made again by New-IrisEcpCluster.</summary>
        public IReadOnlyList<string> Secrets { get; internal set; } = new List<string>();

        public IReadOnlyList<string> Configs { get; internal set; } = new List<string>();

        /// <summary>TLS and license volumes: always removed, refilled by the next New-IrisEcpCluster.</summary>
        public IReadOnlyList<string> GeneratedVolumes { get; internal set; } = new List<string>();

        /// <summary>Node merge files and TLS and license copies in the cluster folder (folders end with a separator): always removed.</summary>
        public List<string> GeneratedFiles { get; } = new List<string>();

        /// <summary>Durable %SYS volumes: removed only with -RemoveData.</summary>
        public IReadOnlyList<string> DurableVolumes { get; internal set; } = new List<string>();

        /// <summary>Bind-mounted durable %SYS folders: removed only with -RemoveData.</summary>
        public IReadOnlyList<string> DurableFolders { get; internal set; } = new List<string>();

        /// <summary>The cluster folder: removed with -RemoveData, or when nothing is left in it.</summary>
        public string? ClusterFolder { get; internal set; }

        /// <summary>The cluster's image, for the root container that deletes durable folders the IRIS user owns.</summary>
        public string Image { get; internal set; } = string.Empty;

        /// <summary>Every item, for -WhatIf and confirmation.</summary>
        public string Describe()
        {
            var text = new StringBuilder($"Remove ECP cluster '{Cluster}':");
            Line(text, "Swarm services", Services);
            Line(text, "containers", Containers.Select(c => c.Name));
            Line(text, "Swarm secrets", Secrets);
            Line(text, "Swarm configs", Configs);
            Line(text, "networks", Networks);
            Line(text, "TLS and license volumes", GeneratedVolumes);
            Line(text, "generated files and folders", GeneratedFiles);
            if (RemoveData)
            {
                Line(text, "DURABLE DATA: volumes", DurableVolumes);
                Line(text, "DURABLE DATA: folders", DurableFolders);
                Line(text, "the cluster folder with its certificates", ClusterFolder == null ? Enumerable.Empty<string>() : new[] { ClusterFolder });
            }
            else
            {
                Line(text, "kept (durable data; -RemoveData deletes it)", DurableVolumes.Concat(DurableFolders).Concat(ClusterFolder == null ? Enumerable.Empty<string>() : new[] { ClusterFolder + " (certificates)" }));
            }

            return text.ToString();
        }

        private static void Line(StringBuilder text, string label, IEnumerable<string> items)
        {
            List<string> list = items.ToList();
            if (list.Count > 0)
            {
                text.Append("\n  ").Append(label).Append(": ").Append(string.Join(", ", list));
            }
        }
    }
}
