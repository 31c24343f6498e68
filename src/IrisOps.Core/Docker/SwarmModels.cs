using System;
using System.Collections.Generic;

namespace IrisOps.Core.Docker
{
    /// <summary>The engine's place in a swarm: LocalNodeState (inactive, pending, active, error, locked) and whether it can manage.</summary>
    public sealed class SwarmState
    {
        public string LocalNodeState { get; set; } = string.Empty;

        /// <summary>True on a manager: only a manager can create services, secrets and configs.</summary>
        public bool IsManager { get; set; }

        /// <summary>The swarm node id of this engine (empty outside a swarm): tasks on it use this engine's volumes.</summary>
        public string NodeId { get; set; } = string.Empty;
    }

    /// <summary>A Swarm secret or config: immutable once created.</summary>
    public sealed class SwarmFileObjectSpec
    {
        public string Name { get; set; } = string.Empty;

        public byte[] Data { get; set; } = Array.Empty<byte>();

        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public sealed class SwarmObjectSummary
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>A secret or config as a file in a task: owner, group and mode are set by Swarm.</summary>
    public sealed class SwarmFileMount
    {
        public string ObjectId { get; set; } = string.Empty;

        public string ObjectName { get; set; } = string.Empty;

        public string Target { get; set; } = string.Empty;

        public int Uid { get; set; }

        public int Gid { get; set; }

        /// <summary>The file mode, e.g. 0x100 (0400).</summary>
        public uint Mode { get; set; }
    }

    /// <summary>
    /// A single-replica service: one container (task) with a fixed host name, on one network with aliases, DNS
    /// round robin instead of a virtual IP, updates stop-first with failure action pause. With <see cref="Job"/>
    /// a replicated job instead: one task that runs to completion and is never restarted.
    /// </summary>
    public sealed class SwarmServiceSpec
    {
        public string Name { get; set; } = string.Empty;

        public string Image { get; set; } = string.Empty;

        /// <summary>A replicated job (one completion, no restart, no health check) rather than a long-running service.</summary>
        public bool Job { get; set; }

        /// <summary>The user of the task's container (e.g. "0:0"); null: the image's.</summary>
        public string? User { get; set; }

        /// <summary>Replaces the image's entrypoint when not empty.</summary>
        public IList<string> Entrypoint { get; set; } = new List<string>();

        public string HostName { get; set; } = string.Empty;

        /// <summary>Labels of the service and of its task containers.</summary>
        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public IList<string> Environment { get; set; } = new List<string>();

        public IList<string> Args { get; set; } = new List<string>();

        public bool Init { get; set; } = true;

        public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>Volume mounts; a volume is created on the node running the task, with <see cref="VolumeLabels"/>.</summary>
        public IList<MountSpec> Mounts { get; set; } = new List<MountSpec>();

        /// <summary>Labels given to a volume Swarm creates for a mount (by volume name).</summary>
        public IDictionary<string, IDictionary<string, string>> VolumeLabels { get; set; } = new Dictionary<string, IDictionary<string, string>>(StringComparer.Ordinal);

        public IList<SwarmFileMount> Secrets { get; set; } = new List<SwarmFileMount>();

        public IList<SwarmFileMount> Configs { get; set; } = new List<SwarmFileMount>();

        public string Network { get; set; } = string.Empty;

        public IList<string> Aliases { get; set; } = new List<string>();

        /// <summary>Container port to host port, published in host mode on the node running the task.</summary>
        public IDictionary<int, int> HostModePorts { get; set; } = new Dictionary<int, int>();
    }

    /// <summary>What an update of a service changes: its image, its replica count, or both in one update.</summary>
    public sealed class SwarmServiceChange
    {
        public string? Image { get; set; }

        public ulong? Replicas { get; set; }
    }

    public sealed class SwarmServiceSummary
    {
        public string Id { get; set; } = string.Empty;

        public string Name { get; set; } = string.Empty;

        public string Image { get; set; } = string.Empty;

        /// <summary>The replicas asked for (0 for a scaled-down service); null for a job or a global service.</summary>
        public ulong? Replicas { get; set; }

        /// <summary>The service's version index: an update must give the one it read (optimistic concurrency).</summary>
        public ulong Version { get; set; }

        /// <summary>How long Swarm lets a task shut down before it kills it; null: Swarm's default.</summary>
        public TimeSpan? StopGracePeriod { get; set; }

        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>One task of a service: Swarm reports a task with a health check as running only once it is healthy.</summary>
    public sealed class SwarmTaskSummary
    {
        public string Id { get; set; } = string.Empty;

        public string ServiceId { get; set; } = string.Empty;

        /// <summary>new, pending, assigned, preparing, starting, running, complete, shutdown, failed, rejected...</summary>
        public string State { get; set; } = string.Empty;

        public string DesiredState { get; set; } = string.Empty;

        public string Message { get; set; } = string.Empty;

        public string Error { get; set; } = string.Empty;

        public string? ContainerId { get; set; }

        /// <summary>The exit code of the task's container once it ended.</summary>
        public long? ExitCode { get; set; }

        /// <summary>The swarm node the task was given to.</summary>
        public string NodeId { get; set; } = string.Empty;

        public DateTime CreatedAt { get; set; }
    }
}
