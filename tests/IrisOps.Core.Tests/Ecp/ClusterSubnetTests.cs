using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Tests.Docker;
using Xunit;

namespace IrisOps.Tests.Ecp
{
    public class ClusterSubnetTests
    {
        [Fact]
        public async Task Without_a_subnet_the_default_is_taken_when_no_network_uses_it()
        {
            var engine = new NetworksEngine(("bridge", "172.17.0.0/16"));
            Assert.Equal(ClusterSubnet.Default("demo", 3), await ClusterSubnet.ChooseAsync(engine, "demo", 3, null, CancellationToken.None));
        }

        [Fact]
        public async Task A_used_subnet_is_skipped_for_the_next_free_one()
        {
            string first = ClusterSubnet.Default("demo", 3);
            var engine = new NetworksEngine(("other", first), ("wide", "10.0.0.0/8"));
            string chosen = await ClusterSubnet.ChooseAsync(engine, "demo", 3, null, CancellationToken.None);
            Assert.NotEqual(first, chosen);
            Assert.Matches(@"^172\.(28|29|30|31)\.\d{1,3}\.0/24$", chosen);
        }

        [Fact]
        public async Task The_cluster_keeps_the_subnet_its_network_already_has()
        {
            var engine = new NetworksEngine(("demo-net", "172.29.4.0/24"), ("fd-net", "fd00::/64"));
            Assert.Equal("172.29.4.0/24", await ClusterSubnet.ChooseAsync(engine, "demo", 3, null, CancellationToken.None));
        }

        [Theory]
        [InlineData("172.30.0.0/24", "172.30.0.0/16")]
        [InlineData("172.30.5.0/24", "172.30.5.128/25")]
        [InlineData("10.0.0.0/8", "10.200.1.0/24")]
        public async Task A_requested_subnet_that_overlaps_another_network_is_refused_naming_it(string requested, string used)
        {
            var engine = new NetworksEngine(("someone-else", used));
            IrisOpsException refused = await Assert.ThrowsAsync<IrisOpsException>(() => ClusterSubnet.ChooseAsync(engine, "demo", 3, requested, CancellationToken.None));
            Assert.Equal("SubnetInUse", refused.ErrorId);
            Assert.Contains("someone-else", refused.Message, StringComparison.Ordinal);
            Assert.Contains(used, refused.Message, StringComparison.Ordinal);
        }

        [Fact]
        public async Task A_requested_subnet_is_kept_when_only_the_clusters_own_network_has_it()
        {
            var engine = new NetworksEngine(("demo-net", "172.30.0.0/24"), ("x", "172.31.0.0/24"));
            Assert.Equal("172.30.0.0/24", await ClusterSubnet.ChooseAsync(engine, "demo", 3, "172.30.0.0/24", CancellationToken.None));
        }

        [Fact]
        public void The_largest_cluster_gets_a_subnet_with_room_for_it()
        {
            string subnet = ClusterSubnet.Default("big", 255);
            Assert.EndsWith("/23", subnet, StringComparison.Ordinal);
            Assert.Equal(255, ClusterSubnet.NodeAddresses(subnet, 255).Count);
        }

        /// <summary>Only the network operations: the subnet chooser needs nothing else of the engine.</summary>
        private sealed class NetworksEngine : INetworkOperations
        {
            private readonly (string Name, string Subnet)[] networks;

            public NetworksEngine(params (string Name, string Subnet)[] networks)
            {
                this.networks = networks;
            }

            public DockerEndpoint Endpoint { get; } = DockerEndpointResolver.Resolve("unix:///fake.sock", new DockerEnvironment(new Dictionary<string, string?>(), Path.GetTempPath(), false));

            public Task<NetworkDetails?> InspectNetworkAsync(string nameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task<bool> RemoveNetworkAsync(string nameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task<IList<NetworkDetails>> ListNetworksAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken)
            {
                Assert.Empty(labels);
                var list = new List<NetworkDetails>();
                foreach ((string name, string subnet) in networks)
                {
                    list.Add(new NetworkDetails { Name = name, Subnets = { subnet } });
                }

                return Task.FromResult<IList<NetworkDetails>>(list);
            }
        }
    }
}
