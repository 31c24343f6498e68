using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using IrisOps.Core.Certificates;
using IrisOps.Core.Common;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// Turns an <see cref="EcpClusterSpec"/> into a <see cref="DeploymentPlan"/>: validates every argument,
    /// names every object, renders the node merge files, and decides mounts, labels and addresses. It reads
    /// the file system (does the license exist, is there a certificate set already) but changes nothing.
    /// </summary>
    public static class EcpClusterPlanner
    {

        public static DeploymentPlan Plan(EcpClusterSpec spec)
        {
            Validate(spec);
            string folder = Path.GetFullPath(spec.ClusterFolder);
            ClusterCertificates certificates = PlanCertificates(spec, folder);
            NodeCertificate dataCertificate = certificates.Nodes.Single(n => n.Role == EcpRole.Data);
            List<NodeCertificate> appCertificates = certificates.Nodes.Where(n => n.Role == EcpRole.App).ToList();

            // Every node gets a fixed address: ClientSystems and the application servers' ECP server entry
            // name addresses, which the manuals document, rather than container aliases, which they do not.
            string subnet = spec.Subnet ?? ClusterSubnet.Default(spec.Name, 1 + spec.ApplicationServerCount);
            string specJson = SpecJson(spec, certificates, subnet);
            string specHash = Sha256(specJson);
            IReadOnlyList<string> addresses = ClusterSubnet.NodeAddresses(subnet, 1 + appCertificates.Count);
            List<EcpPeer> appPeers = appCertificates.Select((a, i) => new EcpPeer(a.HostName, addresses[i + 1], a.Subject)).ToList();

            // Swarm cannot give a task a fixed address: application servers reach the data server by its host
            // name (a network alias of its service) and are allowed by the ranges of the cluster's subnet.
            bool swarm = spec.Orchestrator == EcpOrchestrator.Swarm;
            var dataPeer = new EcpPeer(dataCertificate.HostName, swarm ? dataCertificate.HostName : addresses[0], dataCertificate.Subject);
            IReadOnlyList<string> allowedClients = swarm ? ClusterSubnet.AddressRanges(subnet) : appPeers.Select(a => a.Address).ToList();
            // Durable %SYS is a subdirectory of the mounted volume on every target (Running InterSystems Products in
            // Containers, "Running an InterSystems IRIS Container with Durable %SYS"), never the working directory
            // /home/irisowner, which holds the image's instance registry (/home/irisowner/irissys, same manual,
            // "Ownership and Directories"): a volume there would keep the first image's registry.
            string durableRoot = EcpMergeFiles.DurableRoot;

            var files = new List<PlannedFile>();
            var containers = new List<ContainerPlan>();
            var volumes = new List<VolumePlan>();
            var durableFolders = new List<string>();
            string licenseCopy = Path.Combine(folder, "license", "iris.key");
            files.Add(new PlannedFile { Path = licenseCopy, CopyFrom = Path.GetFullPath(spec.LicenseKeyPath), OwnerOnly = true });
            string licenseVolume = spec.Name + "-license";
            if (!swarm)
            {
                volumes.Add(new VolumePlan { Name = licenseVolume, Durable = false, Labels = GeneratedVolumeLabels(spec.Name, specHash, ClusterLabels.LicenseVolume) });
            }

            var tlsVolumes = new Dictionary<string, string>();

            int index = 0;
            foreach (NodeCertificate node in certificates.Nodes)
            {
                string nodeFolder = Path.Combine(folder, "nodes", node.HostName);
                CpfDocument merge = node.Role == EcpRole.Data
                    ? EcpMergeFiles.DataServer(spec.Name, dataPeer, spec.Database, appPeers, durableRoot, allowedClients)
                    : EcpMergeFiles.ApplicationServer(spec.Name, node.HostName, dataPeer, spec.Database, spec.Namespace, spec.GlobalMappings, durableRoot);
                string mergePath = Path.Combine(nodeFolder, "merge.cpf");
                files.Add(new PlannedFile { Path = mergePath, Content = Encoding.UTF8.GetBytes(CpfWriter.Write(merge)) });
                string tls = Path.Combine(nodeFolder, "tls");
                files.Add(new PlannedFile { Path = Path.Combine(tls, "ca.cer"), CopyFrom = certificates.AuthorityCertificatePath });
                files.Add(new PlannedFile { Path = Path.Combine(tls, "node.cer"), CopyFrom = node.CertificatePath });
                files.Add(new PlannedFile { Path = Path.Combine(tls, "node.key"), CopyFrom = node.KeyPath, OwnerOnly = true });

                string containerName = ContainerName(spec.Name, node.HostName);
                string tlsVolume = containerName + "-tls";
                tlsVolumes[node.HostName] = tlsVolume;
                if (!swarm)
                {
                    volumes.Add(new VolumePlan { Name = tlsVolume, Durable = false, Labels = GeneratedVolumeLabels(spec.Name, specHash, ClusterLabels.TlsVolume) });
                }

                var mounts = new List<MountPlan>();
                string? volume = null;
                string? durableFolder = null;
                if (spec.DurablePath == null)
                {
                    volume = containerName + "-durable";
                    volumes.Add(new VolumePlan { Name = volume, Labels = Labels(spec.Name, node, specHash, null) });
                    mounts.Add(new MountPlan { Kind = MountKind.Volume, Source = volume, Target = durableRoot });
                }
                else
                {
                    durableFolder = Path.Combine(Path.GetFullPath(spec.DurablePath), node.HostName);
                    durableFolders.Add(durableFolder);
                    mounts.Add(new MountPlan { Kind = MountKind.Bind, Source = durableFolder, Target = EcpMergeFiles.DurableRoot });
                }

                IReadOnlyList<FileMountPlan> swarmFiles = Array.Empty<FileMountPlan>();
                if (swarm)
                {
                    // Swarm gives secrets and configs the owner and mode asked for: no prepare container.
                    swarmFiles = new[]
                    {
                        new FileMountPlan { Purpose = "merge", HostPath = mergePath, Target = EcpMergeFiles.MergeFile },
                        new FileMountPlan { Purpose = "ca", HostPath = Path.Combine(tls, "ca.cer"), Target = EcpMergeFiles.CaFile, Secret = true },
                        new FileMountPlan { Purpose = "cert", HostPath = Path.Combine(tls, "node.cer"), Target = EcpMergeFiles.CertificateFile, Secret = true },
                        new FileMountPlan { Purpose = "key", HostPath = Path.Combine(tls, "node.key"), Target = EcpMergeFiles.PrivateKeyFile, Secret = true, OwnerOnly = true },
                        new FileMountPlan { Purpose = "license", HostPath = licenseCopy, Target = EcpMergeFiles.LicenseFile, Secret = true, OwnerOnly = true },
                    };
                }
                else
                {
                    mounts.Add(new MountPlan { Kind = MountKind.Bind, Source = mergePath, Target = EcpMergeFiles.MergeFile, ReadOnly = true });
                    // TLS files and the license come from volumes the prepare container fills and gives to the IRIS
                    // user: the host copies stay owned by the user who ran IrisOps.
                    mounts.Add(new MountPlan { Kind = MountKind.Volume, Source = tlsVolume, Target = EcpMergeFiles.TlsFolder, ReadOnly = true });
                    mounts.Add(new MountPlan { Kind = MountKind.Volume, Source = licenseVolume, Target = EcpMergeFiles.LicenseFolder, ReadOnly = true });
                }

                var ports = new List<PortPlan>();
                if (node.Role == EcpRole.Data && spec.PublishPort != null)
                {
                    ports.Add(new PortPlan { HostPort = spec.PublishPort.Value, ContainerPort = EcpMergeFiles.SuperserverPort });
                }

                containers.Add(new ContainerPlan
                {
                    Name = containerName,
                    Role = node.Role,
                    HostName = node.HostName,
                    Image = spec.Image,
                    Environment = new[]
                    {
                        new KeyValuePair<string, string>(IrisContainer.DataDirectoryVariable, EcpMergeFiles.DataDirectoryUnder(durableRoot)),
                        new KeyValuePair<string, string>(IrisContainer.MergeFileVariable, EcpMergeFiles.MergeFile),
                    },
                    Mounts = mounts,
                    Command = new[] { "--key", EcpMergeFiles.LicenseFile },
                    Labels = Labels(spec.Name, node, specHash, specJson),
                    Aliases = new[] { node.HostName },
                    IPv4Address = swarm ? null : addresses[index],
                    Ports = ports,
                    StopTimeoutSeconds = spec.StopTimeoutSeconds,
                    DurableVolume = volume,
                    DurableHostFolder = durableFolder,
                    MergeFilePath = mergePath,
                    Files = swarmFiles,
                });
                index++;
            }

            PreparePlan prepare = swarm ? PreparePlanner.SwarmPlan(spec.Image, spec.Name, containers) : PreparePlanner.Plan(spec.Image, spec.Name, folder, licenseVolume, containers, tlsVolumes);

            return new DeploymentPlan
            {
                Prepare = prepare,
                ClusterName = spec.Name,
                ClusterFolder = folder,
                Network = new NetworkPlan
                {
                    Name = spec.Name + "-net",
                    Driver = swarm ? "overlay" : "bridge",
                    Subnet = subnet,
                    Labels = new Dictionary<string, string> { [ClusterLabels.Cluster] = spec.Name, [ClusterLabels.SpecHash] = specHash, [ClusterLabels.Managed] = "true" },
                },
                Volumes = volumes,
                Containers = containers,
                Files = files,
                DurableFolders = durableFolders,
                Certificates = certificates,
                SpecHash = specHash,
                Orchestrator = spec.Orchestrator,
            };
        }

        /// <summary>The container name of a node: the host name, prefixed with the cluster name unless it already is.</summary>
        public static string ContainerName(string cluster, string hostName) =>
            hostName.StartsWith(cluster + "-", StringComparison.Ordinal) ? hostName : cluster + "-" + hostName;

        /// <summary>Host names used when no certificate set is given.</summary>
        public static IReadOnlyList<string> DefaultHostNames(string cluster, int applicationServers)
        {
            var names = new List<string> { cluster + "-" + NodeRoles.DataLabel };
            for (int i = 1; i <= applicationServers; i++)
            {
                names.Add(cluster + "-" + NodeRoles.ApplicationLabel + "-" + i.ToString(CultureInfo.InvariantCulture));
            }

            return names;
        }

        private static void Validate(EcpClusterSpec spec)
        {
            if (!IrisNames.IsClusterName(spec.Name))
            {
                throw Invalid("InvalidClusterName", $"-Name '{spec.Name}' is not a valid cluster name: 1 to 40 lowercase letters, digits and hyphens, starting with a letter or digit (it names containers, volumes and the network).", spec.Name);
            }

            if (string.IsNullOrWhiteSpace(spec.Image) || spec.Image.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                throw Invalid("InvalidImage", $"-Image '{spec.Image}' is not an image reference.", spec.Image);
            }

            if (spec.ApplicationServerCount < 1 || spec.ApplicationServerCount > 254)
            {
                throw Invalid("ApplicationServerCountOutOfRange", $"-ApplicationServerCount must be 1 to 254 (the ECP limit of MaxServerConn); {spec.ApplicationServerCount} was given.", spec.ApplicationServerCount);
            }

            if (string.IsNullOrWhiteSpace(spec.LicenseKeyPath) || !File.Exists(spec.LicenseKeyPath))
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "LicenseKeyNotFound",
                    $"-LicenseKeyPath '{spec.LicenseKeyPath}' is not a file. ECP needs a licensed IRIS: give the iris.key from the WRC.", spec.LicenseKeyPath);
            }

            if (new FileInfo(spec.LicenseKeyPath).Length == 0)
            {
                throw Invalid("LicenseKeyEmpty", $"-LicenseKeyPath '{spec.LicenseKeyPath}' is empty. Give the iris.key file from the WRC (a text file starting with [ConfigFile]).", spec.LicenseKeyPath);
            }

            if (spec.DurablePath != null && File.Exists(spec.DurablePath))
            {
                throw Invalid("DurablePathIsFile", $"-DurablePath '{spec.DurablePath}' is a file; give a folder (each node gets a subfolder named after its host name).", spec.DurablePath);
            }

            if (!IrisNames.IsDatabase(spec.Database))
            {
                throw Invalid("InvalidDatabaseName", $"-Database '{spec.Database}' is not a valid IRIS database name ({IrisNames.DatabaseRule}).", spec.Database);
            }

            if (!IrisNames.IsNamespace(spec.Namespace))
            {
                throw Invalid("InvalidNamespace", $"-Namespace '{spec.Namespace}' is not a valid IRIS namespace name ({IrisNames.NamespaceRule}).", spec.Namespace);
            }

            foreach (string mapping in spec.GlobalMappings ?? Array.Empty<string>())
            {
                if (!IrisNames.IsGlobalMapping(mapping))
                {
                    throw Invalid("InvalidGlobalMapping", $"-GlobalMapping '{mapping}' is not a global name or prefix such as 'demo.*' or 'Orders'.", mapping);
                }
            }

            if (spec.Orchestrator == EcpOrchestrator.Swarm && spec.DurablePath != null)
            {
                throw Invalid("DurablePathNotOnSwarm", "-DurablePath bind-mounts host folders, which a swarm cannot give to the IRIS user without a root container (and which pin each node to one host); leave it out to keep durable %SYS on one named volume per node.", spec.DurablePath);
            }

            if (spec.PublishPort != null && (spec.PublishPort < 1 || spec.PublishPort > 65535))
            {
                throw Invalid("InvalidPort", $"-PublishPort must be 1 to 65535; {spec.PublishPort} was given.", spec.PublishPort);
            }

            if (spec.StopTimeoutSeconds < 1)
            {
                throw Invalid("InvalidStopTimeout", "-StopTimeout must be at least 1 second.", spec.StopTimeoutSeconds);
            }

            ClusterSubnet.NodeAddresses(spec.Subnet ?? ClusterSubnet.Default(spec.Name!, spec.ApplicationServerCount + 1), spec.ApplicationServerCount + 1);

            if (string.IsNullOrWhiteSpace(spec.ClusterFolder))
            {
                throw Invalid("ClusterFolderRequired", "The cluster folder is not set.", null);
            }
        }

        private static ClusterCertificates PlanCertificates(EcpClusterSpec spec, string folder)
        {
            if (spec.CertificateSet != null)
            {
                IrisCertificateSet set = spec.CertificateSet;
                List<IrisCertificate> data = set.Certificates.Where(c => c.Role == CertificateRole.DataServer).ToList();
                List<IrisCertificate> apps = set.Certificates.Where(c => c.Role == CertificateRole.ApplicationServer).ToList();
                if (data.Count != 1)
                {
                    throw Invalid("CertificateSetNeedsOneDataServer", $"The certificate set in '{set.Path}' has {data.Count} data server certificates; an ECP cluster needs exactly one.", set.Path);
                }

                if (apps.Count != spec.ApplicationServerCount)
                {
                    throw Invalid("CertificateSetCountMismatch", $"The certificate set in '{set.Path}' has {apps.Count} application server certificate(s) but -ApplicationServerCount is {spec.ApplicationServerCount}. Add certificates with New-IrisCertificateSet -CertificateAuthorityPath, or leave -ApplicationServerCount out.", set.Path);
                }

                foreach (IrisCertificate certificate in set.Certificates)
                {
                    foreach (string file in new[] { certificate.CertificatePath, certificate.KeyPath })
                    {
                        if (!File.Exists(file))
                        {
                            throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "CertificateFileMissing", $"'{file}' of the certificate set is missing.", file);
                        }
                    }

                    if (certificate.KeyEncrypted)
                    {
                        throw Invalid("EncryptedNodeKey", $"The key of '{certificate.HostName}' is encrypted; IRIS reads node keys at startup without a password. Create the set without -KeyPassword.", certificate.KeyPath);
                    }
                }

                return new ClusterCertificates
                {
                    AuthorityCertificatePath = set.Authority.CertificatePath,
                    Nodes = data.Concat(apps).Select(c => new NodeCertificate
                    {
                        HostName = c.HostName,
                        Role = NodeRoles.FromCertificateRole(c.Role),
                        Subject = c.Role == CertificateRole.ApplicationServer ? SubjectDistinguishedName.FromPemFile(c.CertificatePath) : string.Empty,
                        CertificatePath = c.CertificatePath,
                        KeyPath = c.KeyPath,
                    }).ToList(),
                };
            }

            // No set given: the cluster keeps its own in its folder, created on first use and reused afterwards.
            string generated = Path.Combine(folder, "certificates");
            IReadOnlyList<string> hosts = DefaultHostNames(spec.Name, spec.ApplicationServerCount);
            bool complete = File.Exists(Path.Combine(generated, CertificateSetGenerator.AuthorityCertificateFile))
                && hosts.All(h => File.Exists(Path.Combine(generated, h + ".cer")) && File.Exists(Path.Combine(generated, h + ".key")));

            // A set made earlier is read back; one still to be made gets the subject the generator will write.
            string Subject(string host) => complete
                ? SubjectDistinguishedName.FromPemFile(Path.Combine(generated, host + ".cer"))
                : SubjectDistinguishedName.From(CertificateSetGenerator.SubjectName(host, new SubjectFields()), host);
            return new ClusterCertificates
            {
                AuthorityCertificatePath = Path.Combine(generated, CertificateSetGenerator.AuthorityCertificateFile),
                MustGenerate = !complete,
                GeneratePath = generated,
                Nodes = hosts.Select((h, i) => new NodeCertificate
                {
                    HostName = h,
                    Role = i == 0 ? EcpRole.Data : EcpRole.App,
                    Subject = i == 0 ? string.Empty : Subject(h),
                    CertificatePath = Path.Combine(generated, h + ".cer"),
                    KeyPath = Path.Combine(generated, h + ".key"),
                }).ToList(),
            };
        }

        // TLS and license volumes are regenerated from the cluster folder: not durable data.
        private static Dictionary<string, string> GeneratedVolumeLabels(string cluster, string specHash, string purpose) => new Dictionary<string, string>
        {
            [ClusterLabels.Cluster] = cluster,
            [ClusterLabels.SpecHash] = specHash,
            [ClusterLabels.Managed] = "true",
            [ClusterLabels.Volume] = purpose,
        };

        private static Dictionary<string, string> Labels(string cluster, NodeCertificate node, string specHash, string? specJson)
        {
            var labels = new Dictionary<string, string>
            {
                [ClusterLabels.Cluster] = cluster,
                [ClusterLabels.Role] = NodeRoles.ToLabel(node.Role),
                [ClusterLabels.Node] = node.HostName,
                [ClusterLabels.SpecHash] = specHash,
                [ClusterLabels.Managed] = "true",
            };
            if (specJson != null)
            {
                labels[ClusterLabels.Spec] = specJson;
            }

            return labels;
        }

        private static string SpecJson(EcpClusterSpec spec, ClusterCertificates certificates, string subnet) => new EcpSpecLabel
        {
            Name = spec.Name,
            ApplicationServers = spec.ApplicationServerCount,
            Hosts = certificates.Nodes.Select(n => n.HostName).ToArray(),
            Database = spec.Database,
            Namespace = spec.Namespace,
            GlobalMappings = (spec.GlobalMappings ?? Array.Empty<string>()).ToArray(),
            Subnet = subnet,
            DurablePath = spec.DurablePath == null ? null : Path.GetFullPath(spec.DurablePath),
            PublishPort = spec.PublishPort,
            License = Path.GetFullPath(spec.LicenseKeyPath),
            ClusterFolder = Path.GetFullPath(spec.ClusterFolder),
            Authority = certificates.AuthorityCertificatePath,
            StopTimeout = spec.StopTimeoutSeconds,
            Orchestrator = spec.Orchestrator == EcpOrchestrator.Swarm ? "swarm" : null,
        }.ToJson();

        private static string Sha256(string text)
        {
            using (SHA256 sha = SHA256.Create())
            {
                return Hex.Upper(sha.ComputeHash(Encoding.UTF8.GetBytes(text))).Substring(0, 16).ToLowerInvariant();
            }
        }

        private static IrisOpsException Invalid(string id, string message, object? target) =>
            new IrisOpsException(IrisErrorKind.InvalidArgument, id, message, target);
    }
}
