using System;
using System.Collections.Generic;

namespace IrisOps.Core.Ecp
{
    /// <summary>The certificate of one node, as the planner needs it.</summary>
    public sealed class NodeCertificate
    {
        public string HostName { get; internal set; } = string.Empty;

        public EcpRole Role { get; internal set; }

        /// <summary>An application server's Subject DN, read from its certificate, which the data server pre-authorizes.</summary>
        public string Subject { get; internal set; } = string.Empty;

        public string CertificatePath { get; internal set; } = string.Empty;

        public string KeyPath { get; internal set; } = string.Empty;
    }

    /// <summary>The CA and node certificates of a cluster: from a given set, or to be generated into the cluster folder.</summary>
    public sealed class ClusterCertificates
    {
        public string AuthorityCertificatePath { get; internal set; } = string.Empty;

        public IReadOnlyList<NodeCertificate> Nodes { get; internal set; } = Array.Empty<NodeCertificate>();

        /// <summary>True when New-IrisEcpCluster has to create the set (into <see cref="GeneratePath"/>) before anything else.</summary>
        public bool MustGenerate { get; internal set; }

        public string? GeneratePath { get; internal set; }
    }
}
