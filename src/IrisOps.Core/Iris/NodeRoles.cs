using System;
using IrisOps.Core.Certificates;
using IrisOps.Core.Ecp;
using IrisOps.Core.Upgrade;

namespace IrisOps.Core.Iris
{
    /// <summary>
    /// The role of a cluster node (<see cref="EcpRole"/>, the one node-role type) and everything it maps to: the
    /// value of the irisops.role label on containers, and the two output enums whose printed values users already
    /// see (<see cref="CertificateRole"/>: DataServer/ApplicationServer; <see cref="UpgradeNodeRole"/>: Data/Application).
    /// </summary>
    public static class NodeRoles
    {
        /// <summary>The irisops.role label of the data server.</summary>
        public const string DataLabel = "data";

        /// <summary>The irisops.role label of an application server.</summary>
        public const string ApplicationLabel = "app";

        /// <summary>The irisops.role label of the one-off container that gives durable storage to the IRIS user; not a node.</summary>
        public const string PrepareLabel = "prepare";

        public static string ToLabel(EcpRole role) => role == EcpRole.Data ? DataLabel : ApplicationLabel;

        /// <summary>The role a label names: "data" is the data server; any other value is an application server.</summary>
        public static EcpRole FromLabel(string? label) => string.Equals(label, DataLabel, StringComparison.Ordinal) ? EcpRole.Data : EcpRole.App;

        /// <summary>True for a label that marks a cluster node (not the prepare container).</summary>
        public static bool IsNodeLabel(string? label) => label != null && !string.Equals(label, PrepareLabel, StringComparison.Ordinal);

        public static CertificateRole ToCertificateRole(EcpRole role) => role == EcpRole.Data ? CertificateRole.DataServer : CertificateRole.ApplicationServer;

        public static EcpRole FromCertificateRole(CertificateRole role) => role == CertificateRole.DataServer ? EcpRole.Data : EcpRole.App;

        /// <summary>The role an upgrade result reports for a cluster node.</summary>
        public static UpgradeNodeRole ToUpgradeRole(EcpRole role) => role == EcpRole.Data ? UpgradeNodeRole.Data : UpgradeNodeRole.Application;
    }
}
