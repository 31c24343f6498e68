namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// Labels IrisOps puts on every Docker object it creates. They carry enough to rebuild the cluster picture
    /// from the engine alone (Get-IrisEcpCluster in a new session or on another machine) and to recognize a
    /// re-run with the same arguments.
    /// </summary>
    public static class ClusterLabels
    {
        public const string Cluster = "irisops.cluster";
        public const string Role = "irisops.role";
        public const string Node = "irisops.node";
        public const string SpecHash = "irisops.spec-hash";

        /// <summary>The cluster's arguments as compact JSON (no secrets): what Get and Update need.</summary>
        public const string Spec = "irisops.spec";
        public const string Managed = "irisops.managed";

        /// <summary>On volumes IrisOps regenerates (TLS files, license): what they hold. Volumes without it are durable data.</summary>
        public const string Volume = "irisops.volume";
        public const string TlsVolume = "tls";
        public const string LicenseVolume = "license";

        /// <summary>Swarm's label on the container of a service's task: such a node is removed through its service.</summary>
        public const string SwarmService = "com.docker.swarm.service.name";
    }
}
