using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Tests.Cpf;
using IrisOps.Tests.Docker;
using Xunit;

namespace IrisOps.Tests.Ecp
{
    public sealed class EcpClusterTesterTests
    {
        [Fact]
        public async Task Reports_progress_node_by_node_and_says_when_a_node_is_gone()
        {
            var cluster = new IrisEcpCluster
            {
                Name = "shop",
                DataServer = new IrisEcpNode { Name = "shop-data", Role = EcpRole.Data },
                ApplicationServers = new List<IrisEcpNode> { new IrisEcpNode { Name = "shop-app-1", Role = EcpRole.App } },
            };
            var reporter = new RecordingReporter();
            IReadOnlyList<IrisEcpCheck> checks = await new EcpClusterTester(new NoContainers()) { Reporter = reporter }.TestAsync(cluster, CancellationToken.None);

            Assert.Equal(new[] { "shop-data", "shop-app-1" }, checks.Select(c => c.Node));
            Assert.All(checks, c => Assert.Equal("The container does not exist.", c.Detail));
            Assert.Equal(
                new[] { ("Test-IrisEcpCluster shop", 0), ("Test-IrisEcpCluster shop", 50), ("Test-IrisEcpCluster shop", 100) },
                reporter.ProgressRecords.Select(p => (p.Activity, p.Percent)));
            Assert.StartsWith("Checking shop-app-1 (2 of 2)", reporter.ProgressRecords[1].Status, System.StringComparison.Ordinal);
        }

        private sealed class NoContainers : UnsupportedDockerEngine
        {
            public override Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken) => Task.FromResult<ContainerDetails?>(null);
        }
    }
}
