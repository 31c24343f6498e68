using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Infrastructure;
using Xunit;

namespace IrisOps.Tests.Docker
{
    /// <summary>Pings the engine through the Docker base cmdlet.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "DockerPing")]
    public sealed class DockerPingCommand : IrisDockerCmdlet
    {
        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            DockerEngineInfo info = await PingDockerEngineAsync(cancellationToken).ConfigureAwait(false);
            Emit(info);
        }
    }

    /// <summary>An engine that is not there: one clear ConnectionError, never a stack trace.</summary>
    public class DockerEngineUnreachableTests
    {
        private static int ClosedPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        private static string MissingSocket() => "unix://" + Path.Combine(Path.GetTempPath(), "irisops-no-engine-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".sock");

        private static async Task<IrisOpsException> Unreachable(string host, Func<IDockerEngine, CancellationToken, Task> call)
        {
            using IDockerEngine engine = DockerEngineFactory.Create(host, new DockerEnvironment(new Dictionary<string, string?>(), Path.GetTempPath(), false));
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            return await Assert.ThrowsAsync<IrisOpsException>(() => call(engine, limit.Token));
        }

        private static void AssertConnectionError(IrisOpsException error, string host)
        {
            Assert.Equal(IrisErrorKind.ConnectionError, error.Kind);
            Assert.Equal("DockerEngineUnreachable", error.ErrorId);
            Assert.StartsWith($"cannot reach the Docker engine at {host}; is Docker running?", error.Message);
            Assert.DoesNotContain("   at ", error.Message);
        }

        [Fact]
        public async Task A_unix_socket_that_does_not_exist_is_one_connection_error()
        {
            string host = MissingSocket();
            IrisOpsException error = await Unreachable(host, (engine, token) => engine.PingAsync(token));
            AssertConnectionError(error, host);
            Assert.Contains("-DockerHost", error.Message);
        }

        [Fact]
        public async Task A_closed_tcp_port_on_loopback_is_one_connection_error()
        {
            string host = "tcp://127.0.0.1:" + ClosedPort();
            IrisOpsException error = await Unreachable(host, (engine, token) => engine.PingAsync(token));
            AssertConnectionError(error, host);
        }

        public static IEnumerable<object[]> Calls()
        {
            yield return new object[] { "list containers", new Func<IDockerEngine, CancellationToken, Task>((e, t) => e.ListContainersAsync(new Dictionary<string, string?>(), t)) };
            yield return new object[] { "inspect container", new Func<IDockerEngine, CancellationToken, Task>((e, t) => e.InspectContainerAsync("x", t)) };
            yield return new object[] { "create container", new Func<IDockerEngine, CancellationToken, Task>((e, t) => e.CreateContainerAsync(new ContainerSpec { Name = "x", Image = "y" }, t)) };
            yield return new object[] { "exec", new Func<IDockerEngine, CancellationToken, Task>((e, t) => e.ExecAsync("x", new ExecRequest { Command = { "true" }, StandardInput = "x" }, t)) };
            yield return new object[] { "create network", new Func<IDockerEngine, CancellationToken, Task>((e, t) => e.CreateNetworkAsync(new NetworkSpec { Name = "n" }, t)) };
            yield return new object[] { "remove volume", new Func<IDockerEngine, CancellationToken, Task>((e, t) => e.RemoveVolumeAsync("v", false, t)) };
            yield return new object[] { "image exists", new Func<IDockerEngine, CancellationToken, Task>((e, t) => e.ImageExistsAsync("i", t)) };
            yield return new object[] { "wait healthy", new Func<IDockerEngine, CancellationToken, Task>((e, t) => new ContainerHealthWaiter(e).WaitAsync("x", TimeSpan.FromSeconds(5), t)) };
            yield return new object[] { "logs", new Func<IDockerEngine, CancellationToken, Task>((e, t) => e.GetContainerLogsAsync("x", 10, t)) };
        }

        [Theory]
        [MemberData(nameof(Calls))]
        public async Task Every_call_reports_the_unreachable_engine_the_same_way(string name, Func<IDockerEngine, CancellationToken, Task> call)
        {
            Assert.NotNull(name);
            string host = "tcp://127.0.0.1:" + ClosedPort();
            AssertConnectionError(await Unreachable(host, call), host);
        }

        [Fact]
        public void Through_a_cmdlet_it_is_an_error_record_with_the_ConnectionError_category_and_the_plain_message()
        {
            string host = MissingSocket();
            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.Commands.Add(new SessionStateCmdletEntry("Test-DockerPing", typeof(DockerPingCommand), null));
            using PowerShell ps = PowerShell.Create(state);
            ps.AddCommand("Test-DockerPing").AddParameter("DockerHost", host).AddParameter("Verbose");
            ps.Invoke();

            ErrorRecord record = Assert.Single(ps.Streams.Error);
            Assert.Equal(ErrorCategory.ConnectionError, record.CategoryInfo.Category);
            Assert.StartsWith("DockerEngineUnreachable", record.FullyQualifiedErrorId);
            Assert.IsType<IrisOpsException>(record.Exception);
            Assert.StartsWith($"cannot reach the Docker engine at {host}; is Docker running?", record.Exception.Message);
            Assert.Equal(host, record.TargetObject);
            Assert.Contains(ps.Streams.Verbose, v => v.Message == "Docker engine: " + host + " (from -DockerHost)");
        }

        [Fact]
        public void An_invalid_DockerHost_is_an_invalid_argument_error_record()
        {
            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.Commands.Add(new SessionStateCmdletEntry("Test-DockerPing", typeof(DockerPingCommand), null));
            using PowerShell ps = PowerShell.Create(state);
            ps.AddCommand("Test-DockerPing").AddParameter("DockerHost", "ssh://me@example.com");
            ps.Invoke();

            ErrorRecord record = Assert.Single(ps.Streams.Error);
            Assert.Equal(ErrorCategory.InvalidArgument, record.CategoryInfo.Category);
            Assert.StartsWith("DockerSshEndpointNotSupported", record.FullyQualifiedErrorId);
        }

        [Fact]
        public void Tls_without_a_client_certificate_is_refused_before_connecting()
        {
            string certs = Path.Combine(Path.GetTempPath(), "irisops-empty-certs-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(certs);
            try
            {
                var environment = new DockerEnvironment(new Dictionary<string, string?> { ["DOCKER_TLS_VERIFY"] = "1", ["DOCKER_CERT_PATH"] = certs }, Path.GetTempPath(), false);
                var error = Assert.Throws<IrisOpsException>(() => DockerEngineFactory.Create("tcp://127.0.0.1:" + ClosedPort(), environment));
                Assert.Equal("DockerTlsCertificateMissing", error.ErrorId);
                Assert.Contains(certs, error.Message);
            }
            finally
            {
                Directory.Delete(certs, true);
            }
        }
    }
}
