using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// Checks a running cluster from the outside, through the engine: state and health, the merge file taken
    /// into the node's durable iris.cpf, TLS files present and valid for the node's host name and the cluster
    /// CA, the license mounted read-only and passed with --key, and each application server able to open the
    /// data server's superserver port.
    /// </summary>
    public sealed class EcpClusterTester
    {
        public const string Running = "Running";
        public const string Healthy = "Healthy";
        public const string MergeFileApplied = "MergeFileApplied";
        public const string TlsFiles = "TlsFiles";
        public const string LicenseMounted = "LicenseMounted";
        public const string DataServerReachable = "DataServerReachable";

        private readonly IContainerInspection containers;
        private readonly IContainerExec exec;
        private readonly ContainerFileReader files;

        public EcpClusterTester(IDockerEngine engine)
            : this(engine, engine)
        {
        }

        /// <summary>Needs only to inspect the nodes, run commands in them and read their files.</summary>
        public EcpClusterTester(IContainerInspection containers, IContainerExec exec)
        {
            this.containers = containers;
            this.exec = exec;
            files = new ContainerFileReader(exec) { Timeout = IrisDefaults.QuickCommandTimeout };
        }

        /// <summary>Where progress goes (one step per node); none when null.</summary>
        public IOperationReporter? Reporter { get; set; }

        public async Task<IReadOnlyList<IrisEcpCheck>> TestAsync(IrisEcpCluster cluster, CancellationToken cancellationToken)
        {
            var checks = new List<IrisEcpCheck>();
            string activity = "Test-IrisEcpCluster " + cluster.Name;
            int done = 0;
            foreach (IrisEcpNode node in cluster.Nodes)
            {
                Reporter?.Progress(activity, $"Checking {node.Name} ({done + 1} of {cluster.Nodes.Count}): state, health, merge file, TLS files, license", 100 * done++ / Math.Max(1, cluster.Nodes.Count));
                ContainerDetails? details = await containers.InspectContainerAsync(node.Name, cancellationToken).ConfigureAwait(false);
                void Add(string check, bool passed, string detail) =>
                    checks.Add(new IrisEcpCheck { Cluster = cluster.Name, Node = node.Name, Check = check, Passed = passed, Detail = detail });

                if (details == null)
                {
                    Add(Running, false, "The container does not exist.");
                    continue;
                }

                bool running = details.State.Running;
                Add(Running, running, running ? $"running since {details.State.StartedAt:u}" : $"state {details.State.Status}, exit code {details.State.ExitCode}");
                Add(Healthy, details.State.Health == "healthy", "health: " + details.State.Health);
                if (!running)
                {
                    foreach (string check in new[] { MergeFileApplied, TlsFiles, LicenseMounted })
                    {
                        Add(check, false, "not checked: the container is not running");
                    }

                    continue;
                }

                (bool mergeOk, string mergeDetail) = await CheckMergeAsync(node, details, cancellationToken).ConfigureAwait(false);
                Add(MergeFileApplied, mergeOk, mergeDetail);
                (bool tlsOk, string tlsDetail) = await CheckTlsAsync(node, cancellationToken).ConfigureAwait(false);
                Add(TlsFiles, tlsOk, tlsDetail);
                (bool licenseOk, string licenseDetail) = await CheckLicenseAsync(node, details, cancellationToken).ConfigureAwait(false);
                Add(LicenseMounted, licenseOk, licenseDetail);
                if (node.Role == EcpRole.App && cluster.DataServer != null)
                {
                    (bool reachOk, string reachDetail) = await CheckReachAsync(node, cluster.DataServer.HostName, cancellationToken).ConfigureAwait(false);
                    Add(DataServerReachable, reachOk, reachDetail);
                }
            }

            Reporter?.Progress(activity, "done", 100);
            return checks;
        }

        private async Task<(bool, string)> CheckMergeAsync(IrisEcpNode node, ContainerDetails details, CancellationToken cancellationToken)
        {
            if (!details.Spec.Environment.TryGetValue(IrisContainer.MergeFileVariable, out string? mergePath) || !details.Spec.Environment.TryGetValue(IrisContainer.DataDirectoryVariable, out string? dataDirectory))
            {
                return (false, $"{IrisContainer.MergeFileVariable} or {IrisContainer.DataDirectoryVariable} is not set on the container.");
            }

            string? merge = await files.TryReadTextAsync(node.Name, mergePath, cancellationToken).ConfigureAwait(false);
            string? cpf = await files.TryReadTextAsync(node.Name, dataDirectory.TrimEnd('/') + "/iris.cpf", cancellationToken).ConfigureAwait(false);
            if (merge == null || cpf == null)
            {
                return (false, merge == null ? $"cannot read the merge file {mergePath}" : $"cannot read {dataDirectory}/iris.cpf");
            }

            try
            {
                CpfDocument wanted = CpfParser.Parse(merge, mergePath);
                CpfResolvedView actual = CpfParser.Parse(cpf, "iris.cpf").Resolve();
                var missing = new List<string>();
                foreach (CpfEntry entry in wanted.Entries)
                {
                    string? value = actual.Get(entry.Section!, entry.Name);
                    if (!string.Equals(value, entry.Value, StringComparison.Ordinal))
                    {
                        missing.Add($"[{entry.Section}] {entry.Name}={entry.Value} (iris.cpf has {value ?? "nothing"})");
                    }
                }

                return missing.Count == 0
                    ? (true, $"{wanted.Entries.Count} setting(s) of {mergePath} are in iris.cpf")
                    : (false, "not in iris.cpf: " + string.Join("; ", missing));
            }
            catch (IrisOpsException ex)
            {
                return (false, ex.Message);
            }
        }

        private async Task<(bool, string)> CheckTlsAsync(IrisEcpNode node, CancellationToken cancellationToken)
        {
            // The content comes through the engine; whether IRIS can read the files is asked as the IRIS user.
            string? ca = await files.TryReadTextAsync(node.Name, EcpMergeFiles.CaFile, cancellationToken).ConfigureAwait(false);
            string? certificate = await files.TryReadTextAsync(node.Name, EcpMergeFiles.CertificateFile, cancellationToken).ConfigureAwait(false);
            bool caReadable = ca != null && (await Exec(node, cancellationToken, "test", "-r", EcpMergeFiles.CaFile).ConfigureAwait(false)).ExitCode == 0;
            bool certificateReadable = certificate != null && (await Exec(node, cancellationToken, "test", "-r", EcpMergeFiles.CertificateFile).ConfigureAwait(false)).ExitCode == 0;
            ExecResult key = await Exec(node, cancellationToken, "test", "-r", EcpMergeFiles.PrivateKeyFile).ConfigureAwait(false);
            if (!caReadable || !certificateReadable)
            {
                return (false, $"cannot read {(!caReadable ? EcpMergeFiles.CaFile : EcpMergeFiles.CertificateFile)} in the container");
            }

            if (key.ExitCode != 0)
            {
                return (false, $"{EcpMergeFiles.PrivateKeyFile} is missing or not readable by the IRIS user");
            }

            try
            {
                X509Certificate authority = ReadPem(ca!);
                X509Certificate leaf = ReadPem(certificate!);
                leaf.Verify(authority.GetPublicKey());
                if (!leaf.IsValidNow)
                {
                    return (false, $"the node certificate is not valid now (valid {leaf.NotBefore:u} to {leaf.NotAfter:u})");
                }

                var names = new List<string>();
                foreach (IList<object> name in leaf.GetSubjectAlternativeNames() ?? (ICollection<IList<object>>)new List<IList<object>>())
                {
                    if (name.Count == 2 && (int)name[0] == GeneralName.DnsName)
                    {
                        names.Add((string)name[1]);
                    }
                }

                return names.Contains(node.HostName, StringComparer.OrdinalIgnoreCase)
                    ? (true, $"{leaf.SubjectDN} issued by {authority.SubjectDN}, valid until {leaf.NotAfter:yyyy-MM-dd}, names {string.Join(", ", names)}")
                    : (false, $"the node certificate is for {string.Join(", ", names)}, not the host name {node.HostName}");
            }
            catch (Exception ex) when (ex is Org.BouncyCastle.Security.GeneralSecurityException || ex is InvalidDataException || ex is IOException || ex is InvalidCastException || ex is ArgumentException)
            {
                return (false, "the node certificate was not issued by the cluster CA, or a file is not a PEM certificate: " + ex.Message);
            }
        }

        private async Task<(bool, string)> CheckLicenseAsync(IrisEcpNode node, ContainerDetails details, CancellationToken cancellationToken)
        {
            // The license volume at its folder (or, on clusters IrisOps created before, a file mount).
            MountSpec? mount = details.Spec.Mounts.FirstOrDefault(m => m.Target == EcpMergeFiles.LicenseFile || m.Target == EcpMergeFiles.LicenseFolder);
            IList<string> command = details.Spec.Command ?? new List<string>();
            int key = command.IndexOf("--key");

            // On Swarm the license is a secret: read-only by nature, and not among the container's mounts.
            bool secret = details.Spec.Labels.ContainsKey(ClusterLabels.SwarmService);
            if (!secret && (mount == null || !mount.ReadOnly))
            {
                return (false, $"{EcpMergeFiles.LicenseFile} is not a read-only mount");
            }

            if (key < 0 || key + 1 >= command.Count || command[key + 1] != EcpMergeFiles.LicenseFile)
            {
                return (false, $"the container command does not pass --key {EcpMergeFiles.LicenseFile}");
            }

            ExecResult readable = await Exec(node, cancellationToken, "test", "-r", EcpMergeFiles.LicenseFile).ConfigureAwait(false);
            return readable.ExitCode == 0
                ? (true, $"{EcpMergeFiles.LicenseFile} {(secret ? "mounted as a Swarm secret" : "mounted read-only")} and passed with --key")
                : (false, $"{EcpMergeFiles.LicenseFile} is not readable by the IRIS user");
        }

        private async Task<(bool, string)> CheckReachAsync(IrisEcpNode node, string dataServerHost, CancellationToken cancellationToken)
        {
            // nc where the image has it (busybox, many distributions), else bash's /dev/tcp.
            const string Probe = "if command -v nc >/dev/null 2>&1; then nc -w 3 \"$0\" \"$1\" </dev/null >/dev/null; else bash -c 'exec 3<>/dev/tcp/'\"$0\"'/'\"$1\"; fi";
            ExecResult result = await Exec(node, cancellationToken, "sh", "-c", Probe, dataServerHost, EcpMergeFiles.SuperserverPort.ToString(System.Globalization.CultureInfo.InvariantCulture)).ConfigureAwait(false);
            return result.ExitCode == 0
                ? (true, $"{dataServerHost}:{EcpMergeFiles.SuperserverPort} accepts connections from {node.HostName}")
                : (false, $"{node.HostName} cannot open {dataServerHost}:{EcpMergeFiles.SuperserverPort} ({result.StandardError.Trim()})");
        }

        private Task<ExecResult> Exec(IrisEcpNode node, CancellationToken cancellationToken, params string[] command) =>
            exec.ExecAsync(node.Name, new ExecRequest { Command = command.ToList(), Timeout = IrisDefaults.QuickCommandTimeout }, cancellationToken);

        private static X509Certificate ReadPem(string text)
        {
            object? item = new PemReader(new StringReader(text)).ReadObject();
            return item as X509Certificate ?? throw new InvalidDataException("not a PEM certificate");
        }
    }
}
