using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Tests.Docker;
using Org.BouncyCastle.Asn1.X509;
using Xunit;

namespace IrisOps.Tests.Ecp
{
    public class EcpEndToEndTesterTests
    {
        private const string Subnet = "10.7.0.0/24";

        [Fact]
        public async Task A_healthy_cluster_passes_every_check_and_nothing_written_stays()
        {
            var engine = new FakeEcpEngine();
            IReadOnlyList<IrisEcpCheck> checks = await Run(engine);
            Assert.Empty(checks.Where(c => !c.Passed).Select(c => $"{c.Node}/{c.Check}: {c.Detail}"));
            Assert.Equal(new[] { "e-app-1", "e-app-2" }, checks.Where(c => c.Check == EcpEndToEndTester.RoundTrip).Select(c => c.Node));
            Assert.Contains("read back on 1 other application server(s) and on the data server", checks.First(c => c.Check == EcpEndToEndTester.RoundTrip).Detail, StringComparison.Ordinal);
            Assert.Empty(engine.Store);
            Assert.All(engine.Scripts, s => Assert.EndsWith("Halt\n", s, StringComparison.Ordinal));
        }

        [Fact]
        public async Task An_unauthorized_subject_is_reported_pending_with_the_dn_read_from_the_node()
        {
            var engine = new FakeEcpEngine();
            engine.Certificates["e-app-2"] = TestCertificates.Pem(new X509Name("C=US,O=Acme,CN=intruder"));
            IReadOnlyList<IrisEcpCheck> checks = await Run(engine);
            IrisEcpCheck authorization = checks.Single(c => c.Node == "e-app-2" && c.Check == EcpEndToEndTester.Authorization);
            Assert.False(authorization.Passed);
            Assert.Equal("e-app-2 is pending on the data server: its certificate subject 'CN=intruder, O=Acme, C=US' is not authorized. Authorize it with SYS.ECP.AddAuthorizedCN, or re-create the node so the data server's merge file names it.", authorization.Detail);
            Assert.False(checks.Single(c => c.Node == "e-app-2" && c.Check == EcpEndToEndTester.Connection).Passed);
            Assert.True(checks.Single(c => c.Node == "e-app-1" && c.Check == EcpEndToEndTester.Connection).Passed);
            IrisEcpCheck otherRoundTrip = checks.Single(c => c.Node == "e-app-1" && c.Check == EcpEndToEndTester.RoundTrip);
            Assert.True(otherRoundTrip.Passed, otherRoundTrip.Detail);
            Assert.EndsWith("read back on 0 other application server(s) and on the data server (not read on e-app-2: not connected itself)", otherRoundTrip.Detail, StringComparison.Ordinal);
            Assert.Empty(engine.Store);
        }

        [Fact]
        public async Task A_certificate_from_another_ca_is_named_as_the_cause()
        {
            var engine = new FakeEcpEngine();
            engine.Certificates["e-app-1"] = TestCertificates.ForeignPem(new X509Name("CN=e-app-1"));
            IrisEcpCheck connection = (await Run(engine)).Single(c => c.Node == "e-app-1" && c.Check == EcpEndToEndTester.Connection);
            Assert.False(connection.Passed);
            Assert.Contains("e-app-1's certificate is not issued by the cluster CA (issued by 'CN=Another CA'", connection.Detail, StringComparison.Ordinal);
            Assert.Contains("New-IrisCertificateSet -CertificateAuthorityPath", connection.Detail, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_data_server_without_superserver_tls_fails_every_application_server_with_that_cause()
        {
            var engine = new FakeEcpEngine();
            engine.DataMerge = string.Join("\n", engine.DataMerge.Split('\n').Where(l => !l.StartsWith("ModifyServer", StringComparison.Ordinal)));
            IReadOnlyList<IrisEcpCheck> checks = await Run(engine);
            Assert.All(checks.Where(c => c.Check == EcpEndToEndTester.Connection), c =>
            {
                Assert.False(c.Passed);
                Assert.Contains("the data server's superserver does not accept TLS", c.Detail, StringComparison.Ordinal);
            });
            Assert.Contains("superserver TLS NOT enabled", checks.Single(c => c.Node == "e-data" && c.Check == EcpEndToEndTester.Tls).Detail, StringComparison.Ordinal);
        }

        [Fact]
        public async Task An_address_outside_client_systems_fails_that_check_and_the_connection()
        {
            var engine = new FakeEcpEngine();
            engine.Addresses["e-app-2"] = "10.7.0.99";
            IReadOnlyList<IrisEcpCheck> checks = await Run(engine);
            IrisEcpCheck clientSystems = checks.Single(c => c.Node == "e-app-2" && c.Check == EcpEndToEndTester.ClientSystems);
            Assert.False(clientSystems.Passed);
            Assert.StartsWith("10.7.0.99 is not in %Service_ECP ClientSystems (10.7.0.3;10.7.0.4)", clientSystems.Detail, StringComparison.Ordinal);
            Assert.Contains("10.7.0.99 is not in %Service_ECP ClientSystems", checks.Single(c => c.Node == "e-app-2" && c.Check == EcpEndToEndTester.Connection).Detail, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_global_that_stays_local_fails_the_round_trip()
        {
            var engine = new FakeEcpEngine { LocalOnly = { "e-app-1" } };
            IrisEcpCheck roundTrip = (await Run(engine)).Single(c => c.Node == "e-app-1" && c.Check == EcpEndToEndTester.RoundTrip);
            Assert.False(roundTrip.Passed);
            Assert.Contains("not seen on e-app-2, the data server (by the database's directory): the global went to a local database, not over ECP", roundTrip.Detail, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_cancelled_test_still_removes_what_it_wrote()
        {
            var engine = new FakeEcpEngine();
            using var cancel = new CancellationTokenSource();
            engine.AfterWrite = cancel.Cancel;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Run(engine, cancel.Token));
            Assert.Empty(engine.Store);
        }

        [Fact]
        public async Task A_stopped_node_means_no_round_trip_is_attempted()
        {
            var engine = new FakeEcpEngine();
            IrisEcpCluster cluster = engine.Cluster();
            cluster.ApplicationServers[1].State = "exited";
            IReadOnlyList<IrisEcpCheck> checks = await new EcpEndToEndTester(engine, engine, NullOperationReporter.Instance).TestAsync(cluster, CancellationToken.None);
            Assert.All(checks, c => Assert.False(c.Passed));
            Assert.Empty(engine.Scripts);
        }

        private static Task<IReadOnlyList<IrisEcpCheck>> Run(FakeEcpEngine engine, CancellationToken cancellationToken = default) =>
            new EcpEndToEndTester(engine, engine, NullOperationReporter.Instance).TestAsync(engine.Cluster(), cancellationToken);

        /// <summary>
        /// A data server and two application servers that answer the round-trip ObjectScript the way the manuals
        /// describe ECP: a remote set succeeds only for an application server whose certificate the data server's
        /// CA issued, whose DN is authorized and whose address is allowed, and only when superserver TLS is on.
        /// </summary>
        /// <remarks>
        /// The tester needs only inspection, exec and files, so this fake implements those two narrow interfaces
        /// and nothing else of the engine.
        /// </remarks>
        private sealed class FakeEcpEngine : IContainerInspection, IContainerExec
        {
            private static readonly Regex SetLine = new Regex("\\^IrisOpsEcpProbe\\(\"(?<token>[^\"]+)\",\"(?<node>[^\"]+)\"\\)=\"(?<value>[^\"]*)\"");
            private static readonly Regex GetLine = new Regex("get (?<node>[^ \"]+) \",\\$Get\\((\\^\\[\"[^\"]+\"\\])?\\^?IrisOpsEcpProbe\\(\"(?<token>[^\"]+)\",\"[^\"]+\"\\)");

            public FakeEcpEngine()
            {
                using var folder = new TempFolder();
                EcpClusterSpec spec = EcpTestSupport.Spec(folder, "e", 2);
                spec.Subnet = Subnet;
                DeploymentPlan plan = EcpClusterPlanner.Plan(spec);
                DataMerge = EcpTestSupport.MergeText(plan, "e-data");
                foreach (string app in new[] { "e-app-1", "e-app-2" })
                {
                    Certificates[app] = TestCertificates.Pem(new X509Name("CN=" + app));
                }

                Addresses = new Dictionary<string, string> { ["e-data"] = "10.7.0.2", ["e-app-1"] = "10.7.0.3", ["e-app-2"] = "10.7.0.4" };
            }

            public string DataMerge { get; set; }

            public Dictionary<string, byte[]> Certificates { get; } = new Dictionary<string, byte[]>();

            public Dictionary<string, string> Addresses { get; }

            public HashSet<string> LocalOnly { get; } = new HashSet<string>();

            public Dictionary<(string Token, string Node), string> Store { get; } = new Dictionary<(string, string), string>();

            public List<string> Scripts { get; } = new List<string>();

            public Action? AfterWrite { get; set; }

            public IrisEcpCluster Cluster()
            {
                IrisEcpNode Node(string host, EcpRole role) => new IrisEcpNode { Cluster = "e", Name = host, HostName = host, Role = role, State = "running", IPAddress = Addresses[host] };
                return new IrisEcpCluster
                {
                    Name = "e",
                    Database = "myappdata",
                    Namespace = "USER",
                    DataServer = Node("e-data", EcpRole.Data),
                    ApplicationServers = new[] { Node("e-app-1", EcpRole.App), Node("e-app-2", EcpRole.App) },
                };
            }

            public DockerEndpoint Endpoint { get; } = DockerEndpointResolver.Resolve("unix:///fake.sock", new DockerEnvironment(new Dictionary<string, string?>(), Path.GetTempPath(), false));

            public Task<IList<ContainerSummary>> ListContainersAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task<string> GetContainerLogsAsync(string nameOrId, int tailLines, CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task CopyToContainerAsync(string nameOrId, string path, Stream tarArchive, CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task CopyFromContainerAsync(string nameOrId, string path, Stream destination, CancellationToken cancellationToken)
            {
                cancellationToken.ThrowIfCancellationRequested();
                byte[] content = path == EcpMergeFiles.MergeFile ? Encoding.ASCII.GetBytes(DataMerge)
                    : path == EcpMergeFiles.CaFile ? TestCertificates.AuthorityPem
                    : Certificates[nameOrId];
                TestArchives.WriteFile(destination, path, content);
                return Task.CompletedTask;
            }

            public Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken)
            {
                var details = new ContainerDetails { Name = nameOrId };
                details.Spec.Environment["ISC_CPF_MERGE_FILE"] = EcpMergeFiles.MergeFile;
                return Task.FromResult<ContainerDetails?>(details);
            }

            public Task<ExecResult> ExecAsync(string nameOrId, ExecRequest request, CancellationToken cancellationToken)
            {
                cancellationToken.ThrowIfCancellationRequested();

                string script = request.StandardInput!;
                Scripts.Add(script);
                var output = new StringBuilder("Node: " + nameOrId + ", Instance: IRIS\n\nUSER>");
                Match set = SetLine.Match(script);
                if (set.Success)
                {
                    bool connected = Connected(nameOrId);
                    if (connected || LocalOnly.Contains(nameOrId))
                    {
                        Store[(set.Groups["token"].Value, LocalOnly.Contains(nameOrId) ? "local:" + set.Groups["node"].Value : set.Groups["node"].Value)] = set.Groups["value"].Value;
                        output.Append("IRISOPS-ECP set 3\n");
                    }
                    else
                    {
                        output.Append("IRISOPS-ECP error <NETWORK>\n");
                    }

                    output.Append("IRISOPS-ECP sslconfig 1\nIRISOPS-ECP state ").Append(connected ? "5" : "2").Append('\n');
                    AfterWrite?.Invoke();
                }

                foreach (Match get in GetLine.Matches(script))
                {
                    Store.TryGetValue((get.Groups["token"].Value, get.Groups["node"].Value), out string? value);
                    output.Append("IRISOPS-ECP get ").Append(get.Groups["node"].Value).Append(' ').Append(value).Append('\n');
                }

                if (script.Contains("Security.System", StringComparison.Ordinal))
                {
                    output.Append("IRISOPS-ECP sslecpserver 2\n");
                }

                Match kill = Regex.Match(script, "Kill \\^IrisOpsEcpProbe\\(\"(?<token>[^\"]+)\"\\)");
                if (kill.Success)
                {
                    foreach (var key in Store.Keys.Where(k => k.Token == kill.Groups["token"].Value).ToList())
                    {
                        Store.Remove(key);
                    }

                    output.Append("IRISOPS-ECP killed\n");
                }

                return Task.FromResult(new ExecResult { StandardOutput = output.ToString() });
            }

            private bool Connected(string node)
            {
                DataServerConfiguration data = DataServerConfiguration.From(DataMerge, "merge.cpf", Encoding.ASCII.GetString(TestCertificates.AuthorityPem));
                string pem = Encoding.ASCII.GetString(Certificates[node]);
                return !LocalOnly.Contains(node) && data.SuperserverTls && data.CheckIssuedByClusterCa(pem) == null && data.AllowsClient(Addresses[node])
                    && data.AuthorizedSubjects.Contains(IrisOps.Core.Certificates.SubjectDistinguishedName.FromPem(pem, node));
            }
        }
    }
}
