using System;
using System.Collections.Generic;

namespace IrisOps.Core.Ecp
{
    /// <summary>One node of a cluster as the engine reports it.</summary>
    public sealed class IrisEcpNode
    {
        public string Cluster { get; internal set; } = string.Empty;

        /// <summary>The container name.</summary>
        public string Name { get; internal set; } = string.Empty;

        public EcpRole Role { get; internal set; }

        public string HostName { get; internal set; } = string.Empty;

        public string ContainerId { get; internal set; } = string.Empty;

        public string? IPAddress { get; internal set; }

        public string Image { get; internal set; } = string.Empty;

        /// <summary>running, exited, created...</summary>
        public string State { get; internal set; } = string.Empty;

        /// <summary>healthy, unhealthy, starting, or none.</summary>
        public string Health { get; internal set; } = string.Empty;

        /// <summary>Published ports as host:port->container port.</summary>
        public IReadOnlyList<string> Ports { get; internal set; } = Array.Empty<string>();

        /// <summary>Where durable %SYS lives: a volume name or a host folder.</summary>
        public string DurableStorage { get; internal set; } = string.Empty;

        public string? DockerHost { get; internal set; }

        public override string ToString() => Name;
    }
}
