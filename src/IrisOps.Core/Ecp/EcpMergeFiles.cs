using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IrisOps.Core.Cpf;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// The merge files that configure the nodes of an ECP cluster (InterSystems Scalability Guide, "ECP
    /// security"; Configuration Parameter File Reference, [Actions]), built as CPF documents so they go through
    /// the one writer that refuses anything that could inject a line.
    /// </summary>
    public static class EcpMergeFiles
    {
        /// <summary>Where each node finds its files inside the container.</summary>
        public const string TlsFolder = "/irisops/tls";
        public const string CaFile = TlsFolder + "/ca.cer";
        public const string CertificateFile = TlsFolder + "/node.cer";
        public const string PrivateKeyFile = TlsFolder + "/node.key";
        public const string MergeFile = "/irisops/config/merge.cpf";
        public const string LicenseFolder = "/irisops/license";
        public const string LicenseFile = LicenseFolder + "/iris.key";
        public const string DurableRoot = "/irisops/durable";
        public const string DataDirectory = DurableRoot + "/iconfig";
        public const int SuperserverPort = 1972;

        /// <summary>The shared database's directory on the data server: on durable storage, outside iconfig.</summary>
        public static string DatabaseDirectory(string database) => DatabaseDirectory(DurableRoot, database);

        /// <summary>The shared database's directory under the durable root <paramref name="durableRoot"/>.</summary>
        public static string DatabaseDirectory(string durableRoot, string database) => durableRoot + "/" + database.ToLowerInvariant() + "/";

        /// <summary>Durable %SYS (ISC_DATA_DIRECTORY): a subdirectory of the mounted volume, as the manual recommends.</summary>
        public static string DataDirectoryUnder(string durableRoot) => durableRoot + "/iconfig";

        /// <summary>The name of the TLS configuration the data server's default superserver uses.</summary>
        public const string SuperserverTlsConfiguration = "IrisOpsSuperserver";

        /// <summary>
        /// A global IrisOps maps into the shared database on every application server, so Test-IrisEcpCluster
        /// can prove a remote global reference end to end without touching the application's own globals.
        /// </summary>
        public const string ProbeGlobal = "IrisOpsEcpProbe";

        /// <summary>Namespaces every IRIS instance has; any other -Namespace is created on the application servers.</summary>
        private static readonly string[] StandardNamespaces = { "%SYS", "USER" };

        /// <summary>
        /// The data server: the three requirements the Scalability Guide lists for ECP over TLS (the default
        /// superserver accepts TLS; the %ECPServer configuration with SSLECPServer; each application server's
        /// Subject DN authorized), the ECP service limited to the application servers' addresses, and the
        /// shared database on durable storage.
        /// </summary>
        public static CpfDocument DataServer(string clusterName, EcpPeer dataServer, string database, IReadOnlyList<EcpPeer> applicationServers) =>
            DataServer(clusterName, dataServer, database, applicationServers, DurableRoot, applicationServers.Select(a => a.Address).ToList());

        /// <summary>
        /// The data server with its durable root and the allowed incoming ECP connections given: nodes without
        /// fixed addresses (Swarm tasks) are allowed by the address ranges of their network.
        /// </summary>
        public static CpfDocument DataServer(string clusterName, EcpPeer dataServer, string database, IReadOnlyList<EcpPeer> applicationServers, string durableRoot, IReadOnlyList<string> allowedClients)
        {
            CpfDocument document = Start(clusterName, "data server " + dataServer.HostName);

            // MaxServerConn counts application servers; it takes effect at startup, which this merge precedes.
            document.Set("config", "MaxServerConn", applicationServers.Count.ToString(CultureInfo.InvariantCulture));

            // 1. Superserver clients may use TLS: a server TLS configuration, and the default superserver (port
            //    1972, empty bind address) Enabled (1) with it. Enabled rather than Required keeps non-TLS
            //    superserver clients such as the Web Gateway working (Security Administration Guide, superservers).
            AddTlsConfiguration(document, SuperserverTlsConfiguration, "Superserver TLS (IrisOps)", type: 1, verifyPeer: 0);
            document.AddAction("ModifyServer",
                ("Port", SuperserverPort.ToString(CultureInfo.InvariantCulture)),
                ("BindAddress", string.Empty),
                ("SSLSupportLevel", "1"),
                ("SSLConfig", SuperserverTlsConfiguration));

            // 2. The ECP server TLS configuration: VerifyPeer=3 requires a client certificate; SSLECPServer=2
            //    makes TLS required for ECP. ModifySystem is written with Name= as its synopsis shows.
            AddTlsConfiguration(document, "%ECPServer", "ECP server TLS (IrisOps)", type: 1, verifyPeer: 3);
            document.AddAction("ModifySystem", ("Name", "SYSTEM"), ("SSLECPServer", "2"));

            // Only the application servers' fixed addresses (or their network's ranges) may connect (the manual
            // documents IP addresses, fully-qualified names or ranges; how a container alias would match is not documented).
            document.AddAction("ModifyService",
                ("Name", "%Service_ECP"),
                ("Enabled", "1"),
                ("ClientSystems", string.Join(";", allowedClients)));
            document.AddAction("CreateDatabase",
                ("Name", database.ToUpperInvariant()),
                ("Directory", DatabaseDirectory(durableRoot, database)));

            // 3. Each application server is pre-authorized by the Subject DN of its own certificate, so no
            //    connection is left pending for a person to accept.
            foreach (EcpPeer application in applicationServers)
            {
                document.AddAction("Execute",
                    ("Namespace", "%SYS"),
                    ("ClassName", "SYS.ECP"),
                    ("MethodName", "AddAuthorizedCN"),
                    ("Arg1", application.Subject));
            }

            return document;
        }

        /// <summary>
        /// An application server: the %ECPClient configuration that verifies the data server's certificate, the
        /// data server by its fixed address with SSLConfig=1, the remote database, the namespace when the image
        /// cannot have it, and the global mappings (the probe global first).
        /// </summary>
        public static CpfDocument ApplicationServer(string clusterName, string hostName, EcpPeer dataServer, string database, string @namespace, IReadOnlyList<string> globalMappings) =>
            ApplicationServer(clusterName, hostName, dataServer, database, @namespace, globalMappings, DurableRoot);

        /// <summary>
        /// An application server whose data server keeps the shared database under <paramref name="dataDurableRoot"/>.
        /// The data server's address may be its host name: CreateECPServer's synopsis writes Address=Hostname
        /// (Configuration Parameter File Reference, [Actions]).
        /// </summary>
        public static CpfDocument ApplicationServer(string clusterName, string hostName, EcpPeer dataServer, string database, string @namespace, IReadOnlyList<string> globalMappings, string dataDurableRoot)
        {
            CpfDocument document = Start(clusterName, "application server " + hostName);
            document.Set("config", "MaxServers", "2");

            AddTlsConfiguration(document, "%ECPClient", "ECP client TLS (IrisOps)", type: 0, verifyPeer: 1);
            document.AddAction("CreateECPServer",
                ("Name", dataServer.HostName),
                ("Address", dataServer.Address),
                ("Port", SuperserverPort.ToString(CultureInfo.InvariantCulture)),
                ("MirrorConnection", "0"),
                ("SSLConfig", "1"));
            string databaseName = database.ToUpperInvariant();
            document.AddAction("CreateDatabase",
                ("Name", databaseName),
                ("Directory", DatabaseDirectory(dataDurableRoot, database)),
                ("Server", dataServer.HostName),
                ("LogicalOnly", "1"));

            string namespaceName = @namespace.ToUpperInvariant();
            if (!StandardNamespaces.Contains(namespaceName))
            {
                document.AddAction("CreateNamespace", ("Name", namespaceName), ("Globals", databaseName), ("Routines", databaseName));
            }

            foreach (string mapping in new[] { ProbeGlobal }.Concat(globalMappings).Distinct())
            {
                document.AddAction("CreateMapGlobal", ("Namespace", namespaceName), ("Name", mapping), ("Database", databaseName));
            }

            return document;
        }

        private static CpfDocument Start(string clusterName, string node)
        {
            var document = new CpfDocument();
            document.Preamble.Add(CpfComment.FromText($"Written by IrisOps for ECP cluster {clusterName}: {node}."));
            document.Preamble.Add(CpfComment.FromText("Regenerated by New-IrisEcpCluster; edit the cluster's arguments rather than this file."));
            return document;
        }

        // Type 1 = server, 0 = client; VerifyPeer 3 = require the peer's certificate, 1 = verify it.
        private static void AddTlsConfiguration(CpfDocument document, string name, string description, int type, int verifyPeer) =>
            document.AddAction("CreateSSLConfig",
                ("Name", name),
                ("Description", description),
                ("CAFile", CaFile),
                ("CertificateFile", CertificateFile),
                ("PrivateKeyFile", PrivateKeyFile),
                ("Type", type.ToString(CultureInfo.InvariantCulture)),
                ("VerifyPeer", verifyPeer.ToString(CultureInfo.InvariantCulture)),
                ("Enabled", "1"));
    }

    /// <summary>A node as the other nodes' merge files name it: host name, fixed address and certificate subject.</summary>
    public sealed class EcpPeer
    {
        public EcpPeer(string hostName, string address, string subject)
        {
            HostName = hostName;
            Address = address;
            Subject = subject;
        }

        public string HostName { get; }

        public string Address { get; }

        /// <summary>The Subject DN of the node's certificate, in the form SYS.ECP.AddAuthorizedCN takes.</summary>
        public string Subject { get; }
    }
}
