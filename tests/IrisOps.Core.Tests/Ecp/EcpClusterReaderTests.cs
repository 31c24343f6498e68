using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using Xunit;

namespace IrisOps.Tests.Ecp
{
    public sealed class EcpClusterReaderTests
    {
        [Theory]
        [InlineData(true, "running", "healthy", "healthy")]
        [InlineData(true, "running", "starting", "starting")]
        [InlineData(false, "exited", "unhealthy", "exited")] // stopped cleanly: the engine's last health status is stale
        [InlineData(false, "created", "none", "created")]
        public void A_node_that_is_not_running_shows_its_state_as_its_health(bool running, string status, string health, string shown)
        {
            var details = new ContainerDetails
            {
                Name = "/shop-app-1",
                State = new ContainerStateInfo { Running = running, Status = status, Health = health },
            };
            details.Spec.Labels[ClusterLabels.Role] = "app";
            IrisEcpNode node = EcpClusterReader.ToNode("shop", details, null);
            Assert.Equal(status, node.State);
            Assert.Equal(shown, node.Health);
        }
    }
}
