using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Docker;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// Everything a cluster consists of, decided once: the network, the volumes, the containers and the host
    /// files they mount. A plan is either applied to a Docker engine or rendered (a compose project), so a
    /// container is never described twice in two places.
    /// </summary>
    public sealed class DeploymentPlan
    {
        public string ClusterName { get; internal set; } = string.Empty;

        /// <summary>The host folder holding the node merge files, TLS files and the license copy.</summary>
        public string ClusterFolder { get; internal set; } = string.Empty;

        public NetworkPlan Network { get; internal set; } = new NetworkPlan();

        public IReadOnlyList<VolumePlan> Volumes { get; internal set; } = Array.Empty<VolumePlan>();

        /// <summary>Data server first, then the application servers in order.</summary>
        public IReadOnlyList<ContainerPlan> Containers { get; internal set; } = Array.Empty<ContainerPlan>();

        /// <summary>Files written to the host before any container starts.</summary>
        public IReadOnlyList<PlannedFile> Files { get; internal set; } = Array.Empty<PlannedFile>();

        /// <summary>Host folders (bind-mounted durable storage) that must exist and belong to the IRIS user.</summary>
        public IReadOnlyList<string> DurableFolders { get; internal set; } = Array.Empty<string>();

        /// <summary>The one-shot root container that gives durable storage and the mounted files to the IRIS user.</summary>
        public PreparePlan Prepare { get; internal set; } = new PreparePlan();

        /// <summary>The TLS material the nodes use; generated into the cluster folder when it does not exist yet.</summary>
        public ClusterCertificates Certificates { get; internal set; } = new ClusterCertificates();

        /// <summary>A stable digest of the cluster's arguments, stored as a label to recognize a re-run.</summary>
        public string SpecHash { get; internal set; } = string.Empty;

        /// <summary>What the plan is shaped for; on Swarm the prepare step is a job that only gives the durable volumes an owner (<see cref="PreparePlanner.SwarmPlan"/>).</summary>
        public EcpOrchestrator Orchestrator { get; internal set; } = EcpOrchestrator.Engine;
    }

    /// <summary>
    /// An empty named volume belongs to root, and IRIS (uid 51773) fails on it with ERROR #5001; owner-only key
    /// files must belong to the user that reads them. A one-shot container from the cluster's image, running
    /// as root with no network, copies the TLS files and the license into volumes and gives those and durable
    /// storage to the IRIS user before any node starts (<see cref="PreparePlanner"/>).
    /// </summary>
    public sealed class PreparePlan
    {
        public string Image { get; internal set; } = string.Empty;

        public IReadOnlyList<MountPlan> Mounts { get; internal set; } = Array.Empty<MountPlan>();

        /// <summary>The entrypoint and its arguments: /bin/sh -c and the copy, chown and chmod script.</summary>
        public IReadOnlyList<string> Command { get; internal set; } = Array.Empty<string>();

        public IReadOnlyDictionary<string, string> Labels { get; internal set; } = new Dictionary<string, string>();
    }

    public sealed class NetworkPlan
    {
        public string Name { get; internal set; } = string.Empty;

        /// <summary>bridge on one engine, overlay on a swarm.</summary>
        public string Driver { get; internal set; } = "bridge";

        /// <summary>The IPv4 subnet in CIDR form, or null to let Docker choose.</summary>
        public string? Subnet { get; internal set; }

        public IReadOnlyDictionary<string, string> Labels { get; internal set; } = new Dictionary<string, string>();
    }

    public sealed class VolumePlan
    {
        public string Name { get; internal set; } = string.Empty;

        /// <summary>Durable %SYS (kept unless -RemoveData); false for the TLS and license volumes IrisOps refills.</summary>
        public bool Durable { get; internal set; } = true;

        public IReadOnlyDictionary<string, string> Labels { get; internal set; } = new Dictionary<string, string>();
    }

    public sealed class MountPlan
    {
        public MountKind Kind { get; internal set; }

        /// <summary>A host path for binds, a volume name for volumes.</summary>
        public string Source { get; internal set; } = string.Empty;

        public string Target { get; internal set; } = string.Empty;

        public bool ReadOnly { get; internal set; }
    }

    public sealed class PortPlan
    {
        public string HostAddress { get; internal set; } = "127.0.0.1";

        public int HostPort { get; internal set; }

        public int ContainerPort { get; internal set; }

        /// <summary>The docker/compose form, e.g. 127.0.0.1:1972:1972.</summary>
        public override string ToString() => $"{HostAddress}:{HostPort}:{ContainerPort}";
    }

    public sealed class ContainerPlan
    {
        public string Name { get; internal set; } = string.Empty;

        public EcpRole Role { get; internal set; }

        public string HostName { get; internal set; } = string.Empty;

        public string Image { get; internal set; } = string.Empty;

        /// <summary>Ordered; never holds a secret.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Environment { get; internal set; } = Array.Empty<KeyValuePair<string, string>>();

        public IReadOnlyList<MountPlan> Mounts { get; internal set; } = Array.Empty<MountPlan>();

        /// <summary>Arguments after the image name, for the image's entrypoint (iris-main).</summary>
        public IReadOnlyList<string> Command { get; internal set; } = Array.Empty<string>();

        public IReadOnlyDictionary<string, string> Labels { get; internal set; } = new Dictionary<string, string>();

        public IReadOnlyList<string> Aliases { get; internal set; } = Array.Empty<string>();

        /// <summary>A fixed address when the network has a subnet; otherwise Docker assigns one.</summary>
        public string? IPv4Address { get; internal set; }

        public IReadOnlyList<PortPlan> Ports { get; internal set; } = Array.Empty<PortPlan>();

        public int StopTimeoutSeconds { get; internal set; }

        public bool Init { get; internal set; } = true;

        public string RestartPolicy { get; internal set; } = "unless-stopped";

        /// <summary>The volume this node's durable %SYS lives on, or null when it is a bind-mounted host folder.</summary>
        public string? DurableVolume { get; internal set; }

        /// <summary>The host folder of this node's durable %SYS, or null when it is a named volume.</summary>
        public string? DurableHostFolder { get; internal set; }

        /// <summary>The merge file this node is configured by (host path).</summary>
        public string MergeFilePath { get; internal set; } = string.Empty;

        /// <summary>
        /// Host files mounted one by one as Swarm secrets and configs (empty on one engine, where the prepare
        /// container copies them into volumes).
        /// </summary>
        public IReadOnlyList<FileMountPlan> Files { get; internal set; } = Array.Empty<FileMountPlan>();
    }

    /// <summary>
    /// A host file a Swarm task sees at <see cref="Target"/>, owned by the IRIS user: a secret (TLS files, the
    /// license) or a config (the merge file). Swarm objects cannot change, so their names carry a hash of the
    /// content, taken when the file is written.
    /// </summary>
    public sealed class FileMountPlan
    {
        /// <summary>What the file is, in its object name: ca, cert, key, license, merge.</summary>
        public string Purpose { get; internal set; } = string.Empty;

        public string HostPath { get; internal set; } = string.Empty;

        public string Target { get; internal set; } = string.Empty;

        /// <summary>A Swarm secret (kept encrypted by the managers) rather than a config.</summary>
        public bool Secret { get; internal set; }

        /// <summary>Readable by the IRIS user only (private keys, the license).</summary>
        public bool OwnerOnly { get; internal set; }

        /// <summary>The file mode in the task: 0400 for owner-only files, 0444 otherwise.</summary>
        public uint Mode => OwnerOnly ? 256u : 292u;

        /// <summary>
        /// The name of the file's secret or config: the cluster, what the file is, and 12 hex digits of the hash
        /// <paramref name="contentHash"/> gives for the file as written (at most 61 characters; Swarm allows 64).
        /// </summary>
        public string ObjectName(string cluster, Func<string, string> contentHash)
        {
            string hash = contentHash(HostPath).ToLowerInvariant();
            if (hash.Length < 12 || hash.Any(c => !Uri.IsHexDigit(c)))
            {
                throw new ArgumentException($"'{hash}' is not a hex content hash.", nameof(contentHash));
            }

            return cluster + "-" + Purpose + "-" + hash.Substring(0, 12);
        }
    }

    public sealed class PlannedFile
    {
        public string Path { get; internal set; } = string.Empty;

        /// <summary>The content, or null when the file is a copy of <see cref="CopyFrom"/>.</summary>
        public byte[]? Content { get; internal set; }

        /// <summary>A host file copied at apply time (certificates that may only be generated then).</summary>
        public string? CopyFrom { get; internal set; }

        /// <summary>Readable by the file's owner only (private keys, the license).</summary>
        public bool OwnerOnly { get; internal set; }
    }
}
