using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Certificates;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// Proves ECP end to end, the way an operator does it by hand: each application server sets a value in the
    /// probe global (mapped to the shared database), every other application server reads it through ECP, the
    /// data server reads it by the database's directory, and everything written is removed. Per node it reports
    /// the connection state, TLS in use, authorization, ClientSystems and the round trip; a failure names its
    /// cause and its fix, worked out from the configuration the nodes were given.
    /// </summary>
    public sealed class EcpEndToEndTester
    {
        public const string Connection = "EcpConnection";
        public const string Tls = "EcpTls";
        public const string Authorization = "EcpAuthorization";
        public const string ClientSystems = "EcpClientSystems";
        public const string RoundTrip = "EcpRoundTrip";

        private readonly IContainerInspection containers;
        private readonly IContainerExec exec;
        private readonly ContainerFileReader files;
        private readonly IOperationReporter reporter;

        public EcpEndToEndTester(IDockerEngine engine, IOperationReporter reporter)
            : this(engine, engine, reporter)
        {
        }

        /// <summary>Needs only to inspect the nodes, run iris session in them and read their files.</summary>
        public EcpEndToEndTester(IContainerInspection containers, IContainerExec exec, IOperationReporter reporter)
        {
            this.containers = containers;
            this.exec = exec;
            this.reporter = reporter;
            files = new ContainerFileReader(exec) { Timeout = IrisDefaults.QuickCommandTimeout };
        }

        /// <summary>How long one iris session may take; an ECP reference to an unreachable server can block.</summary>
        public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(IrisDefaults.EndToEndSessionTimeoutSeconds);

        public async Task<IReadOnlyList<IrisEcpCheck>> TestAsync(IrisEcpCluster cluster, CancellationToken cancellationToken)
        {
            var checks = new List<IrisEcpCheck>();
            void Add(IrisEcpNode node, string check, bool passed, string detail) =>
                checks.Add(new IrisEcpCheck { Cluster = cluster.Name, Node = node.Name, Check = check, Passed = passed, Detail = detail });

            IrisEcpNode? data = cluster.DataServer;
            List<IrisEcpNode> apps = cluster.ApplicationServers.ToList();
            if (data == null || apps.Count == 0 || cluster.Nodes.Any(n => n.State != "running"))
            {
                foreach (IrisEcpNode node in cluster.Nodes)
                {
                    Add(node, RoundTrip, false, "not checked: every node of the cluster must be running (see the Running check)");
                }

                return checks;
            }

            string activity = $"ECP round trip in cluster {cluster.Name}";
            int steps = 2 * apps.Count + 1;
            int done = 0;
            void Step(string status) => reporter.Progress(activity, status, 100 * done++ / steps);
            DataServerConfiguration configuration = await ReadDataServerAsync(data, cancellationToken).ConfigureAwait(false);
            string token = EcpRoundTrip.NewToken();
            reporter.Verbose($"ECP round trip {token}: each application server sets ^{EcpMergeFiles.ProbeGlobal}({token},<host>) in namespace {cluster.Namespace}.");
            var written = new List<IrisEcpNode>();
            try
            {
                var answers = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
                foreach (IrisEcpNode app in apps)
                {
                    Step($"{app.HostName}: remote set");
                    answers[app.Name] = await SessionAsync(app, cluster.Namespace, EcpRoundTrip.WriteScript(data.HostName, token, app.HostName), cancellationToken).ConfigureAwait(false);
                    written.Add(app);
                }

                var reads = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
                foreach (IrisEcpNode app in apps)
                {
                    Step($"{app.HostName}: reading the other application servers' values");
                    reads[app.Name] = await SessionAsync(app, cluster.Namespace, EcpRoundTrip.ReadScript(token, apps.Where(a => a != app).Select(a => a.HostName)), cancellationToken).ConfigureAwait(false);
                }

                Step($"{data.HostName}: reading every value by the database's directory");
                IReadOnlyDictionary<string, string> onData = await SessionAsync(data, "%SYS", EcpRoundTrip.DataServerScript(configuration.DatabaseDirectory ?? EcpMergeFiles.DatabaseDirectory(cluster.Database), token, apps.Select(a => a.HostName)), cancellationToken).ConfigureAwait(false);
                string sslEcpServer = onData.TryGetValue("sslecpserver", out string? level) ? level : "no answer";
                Add(data, Tls, sslEcpServer == "2", sslEcpServer == "2"
                    ? $"SSLECPServer=2: ECP connections must use TLS; superserver TLS {(configuration.SuperserverTls ? "enabled" : "NOT enabled")}"
                    : $"SSLECPServer is {sslEcpServer}, not 2 (TLS required): the data server's merge file must have ModifySystem:Name=SYSTEM,SSLECPServer=2");

                foreach (IrisEcpNode app in apps)
                {
                    IReadOnlyDictionary<string, string> answer = answers[app.Name];
                    NodeFacts facts = await ReadNodeAsync(app, configuration, cancellationToken).ConfigureAwait(false);
                    string state = answer.TryGetValue("state", out string? code) ? code : "?";
                    bool connected = state == EcpRoundTrip.NormalState;
                    string sslConfig = answer.TryGetValue("sslconfig", out string? ssl) ? ssl : "no answer";
                    Add(app, Tls, sslConfig == "1", sslConfig == "1"
                        ? $"the ECP server entry {data.HostName} uses %ECPClient (SSLConfig=1)"
                        : $"the ECP server entry {data.HostName} has SSLConfig={sslConfig}: the application server's merge file must have CreateECPServer with SSLConfig=1");
                    Add(app, Connection, connected, connected
                        ? $"connected to {data.HostName} ({data.IPAddress}) over ECP: state 5 (normal)"
                        : $"state {state} ({EcpRoundTrip.StateName(state)}) after a remote global reference. {Diagnose(app, facts, configuration)}");
                    bool pending = !connected && !facts.Authorized && facts.SignedByClusterCa;
                    Add(app, Authorization, connected || (facts.Authorized && facts.SignedByClusterCa), connected
                        ? $"authorized on the data server as '{facts.Subject}'"
                        : pending
                            ? $"{app.HostName} is pending on the data server: its certificate subject '{facts.Subject}' is not authorized. Authorize it with SYS.ECP.AddAuthorizedCN, or re-create the node so the data server's merge file names it."
                            : facts.SignedByClusterCa ? $"'{facts.Subject}' is authorized on the data server, but the connection is not normal" : $"{app.HostName}'s certificate is not issued by the cluster CA: {facts.CaProblem}");
                    Add(app, ClientSystems, facts.InClientSystems, facts.InClientSystems
                        ? $"{app.IPAddress} is in %Service_ECP ClientSystems ({configuration.ClientSystemsText})"
                        : $"{app.IPAddress ?? "(no address)"} is not in %Service_ECP ClientSystems ({configuration.ClientSystemsText}): the data server refuses it. Re-create the cluster so the node keeps its fixed address.");
                    Add(app, RoundTrip, RoundTripPassed(app, apps, answers, reads, onData, token, out string detail), detail);
                }
            }
            finally
            {
                await CleanupAsync(written, cluster.Namespace, token).ConfigureAwait(false);
                reporter.Progress(activity, "done", 100);
            }

            return checks;
        }

        // The failure of a node that cannot connect is reported on that node: the other nodes' round trips
        // only count the readers that are connected themselves.
        private static bool RoundTripPassed(IrisEcpNode app, List<IrisEcpNode> apps, Dictionary<string, IReadOnlyDictionary<string, string>> answers,
            Dictionary<string, IReadOnlyDictionary<string, string>> reads, IReadOnlyDictionary<string, string> onData, string token, out string detail)
        {
            IReadOnlyDictionary<string, string> answer = answers[app.Name];
            if (!answer.TryGetValue("set", out string? set))
            {
                detail = answer.TryGetValue("error", out string? error) ? $"the remote set failed with {error}" : "the remote set gave no answer";
                return false;
            }

            string expected = EcpRoundTrip.Value(token, app.HostName);
            var missing = new List<string>();
            var unconnected = new List<string>();
            int readers = 0;
            foreach (IrisEcpNode other in apps.Where(a => a != app))
            {
                if (!answers[other.Name].TryGetValue("state", out string? state) || state != EcpRoundTrip.NormalState)
                {
                    unconnected.Add(other.HostName);
                }
                else if (!reads[other.Name].TryGetValue("get " + app.HostName, out string? seen) || seen != expected)
                {
                    missing.Add(other.HostName);
                }
                else
                {
                    readers++;
                }
            }

            if (!onData.TryGetValue("get " + app.HostName, out string? onServer) || onServer != expected)
            {
                missing.Add("the data server (by the database's directory)");
            }

            string skipped = unconnected.Count == 0 ? string.Empty : $" (not read on {string.Join(", ", unconnected)}: not connected itself)";
            detail = missing.Count == 0
                ? $"set in {set} ms; read back on {readers} other application server(s) and on the data server{skipped}"
                : $"set in {set} ms but not seen on {string.Join(", ", missing)}: the global went to a local database, not over ECP{skipped}";
            return missing.Count == 0;
        }

        private static string Diagnose(IrisEcpNode app, NodeFacts facts, DataServerConfiguration configuration)
        {
            var causes = new List<string>();
            if (!configuration.SuperserverTls)
            {
                causes.Add("the data server's superserver does not accept TLS (no ModifyServer for port 1972 with SSLSupportLevel 1 or 2 and an SSLConfig): re-create the cluster with New-IrisEcpCluster");
            }

            if (!facts.SignedByClusterCa)
            {
                causes.Add($"{app.HostName}'s certificate is not issued by the cluster CA ({facts.CaProblem}): issue one with New-IrisCertificateSet -CertificateAuthorityPath");
            }

            if (!facts.InClientSystems)
            {
                causes.Add($"{app.IPAddress} is not in %Service_ECP ClientSystems");
            }

            if (!facts.Authorized)
            {
                causes.Add($"its certificate subject '{facts.Subject}' is not authorized on the data server");
            }

            return causes.Count == 0 ? "The configuration looks right: see the data server's messages.log." : "Cause: " + string.Join("; ", causes) + ".";
        }

        private async Task<DataServerConfiguration> ReadDataServerAsync(IrisEcpNode data, CancellationToken cancellationToken)
        {
            ContainerDetails? details = await containers.InspectContainerAsync(data.Name, cancellationToken).ConfigureAwait(false);
            string? mergePath = null;
            details?.Spec.Environment.TryGetValue(IrisContainer.MergeFileVariable, out mergePath);
            string merge = mergePath == null ? string.Empty : await ReadAsync(data, mergePath, cancellationToken).ConfigureAwait(false);
            string ca = await ReadAsync(data, EcpMergeFiles.CaFile, cancellationToken).ConfigureAwait(false);
            return DataServerConfiguration.From(merge, mergePath ?? "(no merge file)", ca);
        }

        private async Task<NodeFacts> ReadNodeAsync(IrisEcpNode app, DataServerConfiguration configuration, CancellationToken cancellationToken)
        {
            string certificate = await ReadAsync(app, EcpMergeFiles.CertificateFile, cancellationToken).ConfigureAwait(false);
            var facts = new NodeFacts { InClientSystems = configuration.AllowsClient(app.IPAddress) };
            try
            {
                facts.Subject = SubjectDistinguishedName.FromPem(certificate, app.Name + ":" + EcpMergeFiles.CertificateFile);
                facts.Authorized = configuration.AuthorizedSubjects.Contains(facts.Subject);
                facts.CaProblem = configuration.CheckIssuedByClusterCa(certificate);
                facts.SignedByClusterCa = facts.CaProblem == null;
            }
            catch (IrisOpsException ex)
            {
                facts.Subject = "(unreadable)";
                facts.CaProblem = ex.Message;
            }

            return facts;
        }

        private async Task<IReadOnlyDictionary<string, string>> SessionAsync(IrisEcpNode node, string ns, string script, CancellationToken cancellationToken)
        {
            var request = new ExecRequest { Command = IrisContainer.SessionCommand(ns), StandardInput = script, Timeout = SessionTimeout };
            try
            {
                ExecResult result = await exec.ExecAsync(node.Name, request, cancellationToken).ConfigureAwait(false);
                return EcpRoundTrip.Parse(result.StandardOutput);
            }
            catch (IrisOpsException ex) when (ex.Kind == IrisErrorKind.OperationTimeout)
            {
                return new Dictionary<string, string> { ["error"] = $"no answer within {SessionTimeout.TotalSeconds:0} s" };
            }
        }

        // Runs even when the test was cancelled: a bounded clean-up, so no probe value outlives the run.
        private async Task CleanupAsync(List<IrisEcpNode> written, string ns, string token)
        {
            using (var bounded = new CancellationTokenSource(SessionTimeout))
            {
                foreach (IrisEcpNode app in written)
                {
                    try
                    {
                        await SessionAsync(app, ns, EcpRoundTrip.CleanupScript(token), bounded.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IrisOpsException || ex is OperationCanceledException)
                    {
                        // The next run uses another token; a value left behind never changes a later result.
                    }
                }
            }
        }

        private async Task<string> ReadAsync(IrisEcpNode node, string path, CancellationToken cancellationToken) =>
            await files.TryReadTextAsync(node.Name, path, cancellationToken).ConfigureAwait(false) ?? string.Empty;

        private sealed class NodeFacts
        {
            public string Subject { get; set; } = string.Empty;

            public bool Authorized { get; set; }

            public bool SignedByClusterCa { get; set; }

            public string? CaProblem { get; set; }

            public bool InClientSystems { get; set; }
        }
    }
}
