using System;
using System.Collections.Generic;

namespace IrisOps.Core.Docker
{
    // The engine's vocabulary, independent of Docker.DotNet so that engine code can be tested with a fake of the
    // per-resource interfaces (IContainerOperations, IContainerExec, ...) and nothing above this folder depends on
    // the client library's model types.

    /// <summary>The engine that answered a ping.</summary>
    public sealed class DockerEngineInfo
    {
        public DockerEndpoint Endpoint { get; set; } = null!;
        public string Version { get; set; } = string.Empty;
        public string ApiVersion { get; set; } = string.Empty;
        public string Os { get; set; } = string.Empty;
        public string Architecture { get; set; } = string.Empty;
    }

    public enum MountKind
    {
        Bind,
        Volume,
        Tmpfs,
    }

    public sealed class MountSpec
    {
        public MountKind Kind { get; set; } = MountKind.Bind;

        /// <summary>Host path (Bind) or volume name (Volume); empty for Tmpfs.</summary>
        public string Source { get; set; } = string.Empty;

        /// <summary>Path inside the container.</summary>
        public string Target { get; set; } = string.Empty;

        public bool ReadOnly { get; set; }

        public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}:{Source}:{Target}{(ReadOnly ? ":ro" : string.Empty)}";
    }

    /// <summary>How a container joins a network: aliases (DNS names on that network) and an optional fixed IPv4 address.</summary>
    public sealed class NetworkAttachmentSpec
    {
        public string Network { get; set; } = string.Empty;
        public IList<string> Aliases { get; set; } = new List<string>();
        public string? IPv4Address { get; set; }
    }

    public sealed class PortBindingSpec
    {
        public int ContainerPort { get; set; }
        public string Protocol { get; set; } = "tcp";

        /// <summary>Host address to bind; null or empty means all addresses.</summary>
        public string? HostIp { get; set; }

        /// <summary>Host port; 0 lets the engine choose.</summary>
        public int HostPort { get; set; }

        public override string ToString() => $"{(string.IsNullOrEmpty(HostIp) ? string.Empty : HostIp + ":")}{HostPort}->{ContainerPort}/{Protocol}";
    }

    public sealed class HealthCheckSpec
    {
        /// <summary>As in the API: ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"].</summary>
        public IList<string> Test { get; set; } = new List<string>();
        public TimeSpan? Interval { get; set; }
        public TimeSpan? Timeout { get; set; }
        public TimeSpan? StartPeriod { get; set; }
        public int? Retries { get; set; }
    }

    /// <summary>
    /// Everything IrisOps sets on a container. Used to create containers and, from an inspect, to describe an
    /// existing one (so an upgrade can re-create it with only the image changed). Null means "the image default".
    /// </summary>
    public sealed class ContainerSpec
    {
        public string Name { get; set; } = string.Empty;
        public string Image { get; set; } = string.Empty;
        public string? HostName { get; set; }
        public string? DomainName { get; set; }
        public string? User { get; set; }
        public string? WorkingDirectory { get; set; }
        public IList<string>? Entrypoint { get; set; }

        /// <summary>Arguments after the image name (for IRIS images: the options of /iris-main).</summary>
        public IList<string>? Command { get; set; }

        /// <summary>Environment variables. Never put secrets here: they show in docker inspect.</summary>
        public IDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
        public IList<MountSpec> Mounts { get; set; } = new List<MountSpec>();

        /// <summary>Networks to join; the first is given at creation, the others are connected before the start.</summary>
        public IList<NetworkAttachmentSpec> Networks { get; set; } = new List<NetworkAttachmentSpec>();

        public IList<PortBindingSpec> Ports { get; set; } = new List<PortBindingSpec>();
        public HealthCheckSpec? HealthCheck { get; set; }

        /// <summary>no, always, unless-stopped or on-failure.</summary>
        public string? RestartPolicy { get; set; }

        public int RestartMaximumRetryCount { get; set; }

        /// <summary>How long the engine waits after the stop signal before killing (IRIS needs long enough to shut down).</summary>
        public TimeSpan? StopTimeout { get; set; }

        public string? StopSignal { get; set; }

        /// <summary>Run an init process as PID 1 (docker run --init).</summary>
        public bool? Init { get; set; }

        public IList<string> ExtraHosts { get; set; } = new List<string>();

        /// <summary>The memory limit in bytes (docker run --memory); null for none.</summary>
        public long? MemoryBytes { get; set; }

        /// <summary>The CPU limit in billionths of a CPU (docker run --cpus 1.5 is 1500000000); null for none.</summary>
        public long? NanoCpus { get; set; }
    }

    public sealed class ContainerHealthLogEntry
    {
        public DateTime Start { get; set; }
        public DateTime End { get; set; }
        public long ExitCode { get; set; }
        public string Output { get; set; } = string.Empty;
    }

    public sealed class ContainerStateInfo
    {
        /// <summary>created, running, paused, restarting, removing, exited or dead.</summary>
        public string Status { get; set; } = string.Empty;
        public bool Running { get; set; }
        public bool Restarting { get; set; }
        public bool OomKilled { get; set; }
        public long ExitCode { get; set; }
        public string? Error { get; set; }
        public DateTime? StartedAt { get; set; }
        public DateTime? FinishedAt { get; set; }

        /// <summary>none (no health check), starting, healthy or unhealthy.</summary>
        public string Health { get; set; } = "none";
        public long FailingStreak { get; set; }
        public IList<ContainerHealthLogEntry> HealthLog { get; set; } = new List<ContainerHealthLogEntry>();
    }

    /// <summary>A container as docker inspect shows it.</summary>
    public sealed class ContainerDetails
    {
        public string Id { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public string ImageId { get; set; } = string.Empty;
        public DateTime Created { get; set; }
        public long RestartCount { get; set; }
        public ContainerStateInfo State { get; set; } = new ContainerStateInfo();

        /// <summary>
        /// The configuration as inspected. Environment and labels include those inherited from the image and
        /// Command/Entrypoint/HealthCheck show the effective values: compare with <see cref="ImageDetails"/> to
        /// find what was set on the container itself.
        /// </summary>
        public ContainerSpec Spec { get; set; } = new ContainerSpec();

        /// <summary>Network name to the container's IPv4 address on it.</summary>
        public IDictionary<string, string> IPAddresses { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Published ports with the host ports the engine actually bound.</summary>
        public IList<PortBindingSpec> PublishedPorts { get; set; } = new List<PortBindingSpec>();
    }

    /// <summary>A container as docker ps lists it.</summary>
    public sealed class ContainerSummary
    {
        public string Id { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public string Image { get; set; } = string.Empty;
        public string State { get; set; } = string.Empty;
        public string Status { get; set; } = string.Empty;
        public DateTime Created { get; set; }
        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public sealed class NetworkSpec
    {
        public string Name { get; set; } = string.Empty;
        public string Driver { get; set; } = "bridge";

        /// <summary>CIDR, e.g. 172.28.0.0/16; null lets the engine choose.</summary>
        public string? Subnet { get; set; }

        public string? Gateway { get; set; }
        public bool Internal { get; set; }
        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public sealed class NetworkDetails
    {
        public string Id { get; set; } = string.Empty;
        public string Name { get; set; } = string.Empty;
        public string Driver { get; set; } = string.Empty;
        public bool Internal { get; set; }
        public IList<string> Subnets { get; set; } = new List<string>();
        public IList<string> Gateways { get; set; } = new List<string>();
        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Container id to its name on this network.</summary>
        public IDictionary<string, string> Containers { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public sealed class VolumeSpec
    {
        public string Name { get; set; } = string.Empty;
        public string Driver { get; set; } = "local";
        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public sealed class VolumeDetails
    {
        public string Name { get; set; } = string.Empty;
        public string Driver { get; set; } = string.Empty;
        public string Mountpoint { get; set; } = string.Empty;
        public string? CreatedAt { get; set; }
        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public sealed class ImageDetails
    {
        public string Id { get; set; } = string.Empty;
        public IList<string> RepoTags { get; set; } = new List<string>();
        public DateTime? Created { get; set; }
        public string? User { get; set; }
        public IList<string> Entrypoint { get; set; } = new List<string>();
        public IList<string> Command { get; set; } = new List<string>();
        public IList<string> Environment { get; set; } = new List<string>();
        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
        public HealthCheckSpec? HealthCheck { get; set; }
        public IList<string> ExposedPorts { get; set; } = new List<string>();
        public long Size { get; set; }
    }

    public sealed class ExecRequest
    {
        public IList<string> Command { get; set; } = new List<string>();

        /// <summary>Text written to the command's standard input (then closed); null attaches no input.</summary>
        public string? StandardInput { get; set; }

        public string? User { get; set; }
        public string? WorkingDirectory { get; set; }
        public IDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>The command is abandoned (and an OperationTimeout error raised) after this long.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);
    }

    public sealed class ExecResult
    {
        public long ExitCode { get; set; }
        public string StandardOutput { get; set; } = string.Empty;
        public string StandardError { get; set; } = string.Empty;
    }
}
