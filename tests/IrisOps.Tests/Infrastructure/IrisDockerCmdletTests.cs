using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Infrastructure;
using Xunit;

namespace IrisOps.Tests.Docker
{
    /// <summary>An engine that only answers ping; records what it was created with and whether it was disposed.</summary>
    public sealed class PingOnlyEngine : UnsupportedDockerEngine
    {
        public static readonly List<PingOnlyEngine> Created = new List<PingOnlyEngine>();

        public PingOnlyEngine(string? host)
            : base(host)
        {
            lock (Created)
            {
                Created.Add(this);
            }
        }

        public bool Disposed { get; private set; }

        public override void Dispose() => Disposed = true;

        public override Task<DockerEngineInfo> PingAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new DockerEngineInfo { Endpoint = Endpoint, Version = "fake", ApiVersion = "1.41", Os = "linux", Architecture = "amd64" });

    }

    [Cmdlet(VerbsDiagnostic.Test, "FakeDockerPing")]
    public sealed class FakeDockerPingCommand : IrisDockerCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public int Item { get; set; }

        protected override IDockerEngine CreateDockerEngine(string? dockerHost) => new PingOnlyEngine(dockerHost);

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            DockerEngineInfo info = await PingDockerEngineAsync(cancellationToken).ConfigureAwait(false);
            Emit(info.Endpoint.Host);
        }
    }

    public class IrisDockerCmdletTests
    {
        [Fact]
        public void One_engine_per_invocation_created_from_DockerHost_and_disposed_at_the_end()
        {
            lock (PingOnlyEngine.Created)
            {
                PingOnlyEngine.Created.Clear();
            }

            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.Commands.Add(new SessionStateCmdletEntry("Test-FakeDockerPing", typeof(FakeDockerPingCommand), null));
            using PowerShell ps = PowerShell.Create(state);
            ps.AddCommand("Test-FakeDockerPing").AddParameter("DockerHost", "tcp://127.0.0.1:2375");
            var output = ps.Invoke(new[] { 1, 2, 3 });

            Assert.Equal(new[] { "tcp://127.0.0.1:2375", "tcp://127.0.0.1:2375", "tcp://127.0.0.1:2375" }, output.Select(o => (string)o.BaseObject));
            PingOnlyEngine engine = Assert.Single(PingOnlyEngine.Created);
            Assert.True(engine.Disposed);
            Assert.Equal(DockerEndpointSource.Parameter, engine.Endpoint.Source);
        }

        [Fact]
        public void DockerHost_refuses_an_empty_value()
        {
            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.Commands.Add(new SessionStateCmdletEntry("Test-FakeDockerPing", typeof(FakeDockerPingCommand), null));
            using PowerShell ps = PowerShell.Create(state);
            ps.AddCommand("Test-FakeDockerPing").AddParameter("DockerHost", "");
            Assert.ThrowsAny<ParameterBindingException>(() => ps.Invoke());
        }
    }
}
