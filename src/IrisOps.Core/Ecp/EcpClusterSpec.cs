using System;
using System.Collections.Generic;
using IrisOps.Core.Certificates;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// The role of a cluster node: the one node-role type. Its values are what IrisEcpNode.Role prints; the
    /// container label values and the mappings to CertificateRole and UpgradeNodeRole live in
    /// <see cref="Iris.NodeRoles"/>.
    /// </summary>
    public enum EcpRole
    {
        Data,
        App,
    }

    /// <summary>What runs the cluster's containers: one Docker engine (or a compose project), or a Docker Swarm.</summary>
    public enum EcpOrchestrator
    {
        Engine,
        Swarm,
    }

    /// <summary>What New-IrisEcpCluster was asked for: the one description every renderer works from.</summary>
    public sealed class EcpClusterSpec
    {
        public const string DefaultDatabase = "myappdata";
        public const string DefaultNamespace = "USER";

        public string Name { get; set; } = string.Empty;

        public string Image { get; set; } = string.Empty;

        public int ApplicationServerCount { get; set; } = IrisDefaults.ApplicationServerCount;

        /// <summary>The IRIS license key file on the host.</summary>
        public string LicenseKeyPath { get; set; } = string.Empty;

        /// <summary>TLS material from New-IrisCertificateSet; null to generate one into the cluster folder.</summary>
        public IrisCertificateSet? CertificateSet { get; set; }

        public string Database { get; set; } = DefaultDatabase;

        public string Namespace { get; set; } = DefaultNamespace;

        public IReadOnlyList<string> GlobalMappings { get; set; } = Array.Empty<string>();

        /// <summary>IPv4 subnet in CIDR form for the cluster network; null lets Docker choose.</summary>
        public string? Subnet { get; set; }

        /// <summary>A host folder with one subfolder per node for durable %SYS; null for one named volume per node.</summary>
        public string? DurablePath { get; set; }

        /// <summary>A host port published on 127.0.0.1 for the data server's superserver (1972); null publishes nothing.</summary>
        public int? PublishPort { get; set; }

        /// <summary>Where the node merge files, TLS files and license copy live on the host.</summary>
        public string ClusterFolder { get; set; } = string.Empty;

        public int StopTimeoutSeconds { get; set; } = IrisDefaults.StopTimeoutSeconds;

        /// <summary>
        /// Swarm shapes the plan for services: no fixed addresses (the data server is named by its host name and
        /// allowed clients by address ranges), TLS files, license and merge files mounted as Swarm secrets and
        /// configs, durable %SYS on a volume that takes its owner from the image, an overlay network.
        /// </summary>
        public EcpOrchestrator Orchestrator { get; set; } = EcpOrchestrator.Engine;
    }
}
