using System;
using System.Collections.Generic;

namespace IrisOps.Core.Ecp
{
    /// <summary>An ECP cluster: one data server and its application servers, rebuilt from the engine's labels.</summary>
    public sealed class IrisEcpCluster
    {
        public string Name { get; internal set; } = string.Empty;

        public string Network { get; internal set; } = string.Empty;

        public IrisEcpNode? DataServer { get; internal set; }

        public IReadOnlyList<IrisEcpNode> ApplicationServers { get; internal set; } = Array.Empty<IrisEcpNode>();

        /// <summary>The data server first, then the application servers.</summary>
        public IReadOnlyList<IrisEcpNode> Nodes
        {
            get
            {
                var nodes = new List<IrisEcpNode>();
                if (DataServer != null)
                {
                    nodes.Add(DataServer);
                }

                nodes.AddRange(ApplicationServers);
                return nodes;
            }
        }

        public string Image { get; internal set; } = string.Empty;

        public string Database { get; internal set; } = string.Empty;

        public string Namespace { get; internal set; } = string.Empty;

        /// <summary>The host folder with the node merge files and TLS copies.</summary>
        public string ClusterFolder { get; internal set; } = string.Empty;

        public string? DockerHost { get; internal set; }

        public override string ToString() => Name;
    }
}
