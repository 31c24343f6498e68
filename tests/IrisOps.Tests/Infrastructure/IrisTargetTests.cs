using System.Linq;
using System.Management.Automation;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Upgrade;
using IrisOps.Infrastructure;
using Xunit;

namespace IrisOps.Tests.Infrastructure
{
    public class IrisTargetTests
    {
        private static IrisEcpCluster Cluster() => new IrisEcpCluster
        {
            Name = "demo",
            Namespace = "APP",
            DataServer = new IrisEcpNode { Name = "demo-data", Cluster = "demo", Role = EcpRole.Data, HostName = "demo-data" },
            ApplicationServers = new[] { new IrisEcpNode { Name = "demo-app-1", Cluster = "demo", Role = EcpRole.App, HostName = "demo-app-1" } },
        };

        private static void AssertCluster(IrisTarget target)
        {
            Assert.Equal(IrisTargetKind.Cluster, target.Kind);
            Assert.Equal("demo", target.ClusterName);
            Assert.Equal("APP", target.Namespace);
            Assert.Equal(new[] { "demo-data:Data", "demo-app-1:App" }, target.Nodes.Select(n => $"{n.Name}:{n.Role}"));
            Assert.Equal("demo-data", target.DataServer!.Name);
        }

        [Fact]
        public void A_live_cluster_and_the_same_cluster_after_serialization_give_the_same_target()
        {
            AssertCluster(IrisTarget.From(Cluster()));
            // Depth 2 is what Export-Clixml writes; depth 1 leaves each node as its name.
            foreach (int depth in new[] { 2, 1 })
            {
                object restored = PSSerializer.Deserialize(PSSerializer.Serialize(Cluster(), depth));
                Assert.Equal("Deserialized.IrisOps.Core.Ecp.IrisEcpCluster", ((PSObject)restored).TypeNames[0]);
                AssertCluster(IrisTarget.From(restored));
            }
        }

        [Fact]
        public void Nodes_and_upgrade_results_keep_their_cluster_and_role_after_serialization()
        {
            object node = PSSerializer.Deserialize(PSSerializer.Serialize(Cluster().ApplicationServers[0]));
            IrisTarget fromNode = IrisTarget.From(node);
            Assert.Equal((IrisTargetKind.Node, "demo-app-1", "demo", (EcpRole?)EcpRole.App), (fromNode.Kind, fromNode.Name, fromNode.ClusterName, fromNode.Role));

            var result = new IrisUpgradeResult { Node = "demo-data", Cluster = "demo", Role = UpgradeNodeRole.Data, FromImage = "a", ToImage = "b" };
            IrisTarget fromResult = IrisTarget.From(PSSerializer.Deserialize(PSSerializer.Serialize(result)));
            Assert.Equal((IrisTargetKind.Node, "demo-data", "demo", (EcpRole?)EcpRole.Data), (fromResult.Kind, fromResult.Name, fromResult.ClusterName, fromResult.Role));
        }

        [Fact]
        public void A_name_is_a_name_and_anything_else_is_refused_saying_what_is_taken()
        {
            IrisTarget name = IrisTarget.From(" demo ");
            Assert.Equal((IrisTargetKind.Name, "demo"), (name.Kind, name.Name));
            IrisOpsException refused = Assert.Throws<IrisOpsException>(() => IrisTarget.From(42));
            Assert.Equal("UnsupportedInputObject", refused.ErrorId);
            Assert.Contains("cluster or node object", refused.Message, System.StringComparison.Ordinal);
            Assert.Equal("InvalidTargetName", Assert.Throws<IrisOpsException>(() => IrisTarget.From(" ")).ErrorId);
        }
    }
}
