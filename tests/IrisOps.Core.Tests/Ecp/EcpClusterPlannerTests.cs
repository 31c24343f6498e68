using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Ecp
{
    public class EcpClusterPlannerTests
    {
        [Theory]
        [InlineData("")]
        [InlineData("Upper")]
        [InlineData("-lead")]
        [InlineData("under_score")]
        [InlineData("dot.name")]
        [InlineData("space name")]
        [InlineData("a1234567890123456789012345678901234567890")]
        public void RefusesBadClusterNames(string name)
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder);
            spec.Name = name;
            IrisOpsException error = EcpTestSupport.Fails(spec);
            Assert.Equal("InvalidClusterName", error.ErrorId);
            Assert.Equal(IrisErrorKind.InvalidArgument, error.Kind);
        }

        [Theory]
        [InlineData("a")]
        [InlineData("0cluster")]
        [InlineData("my-cluster-1")]
        [InlineData("a123456789012345678901234567890123456789")]
        public void AcceptsGoodClusterNames(string name)
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, name, 1);
            Assert.Equal(name + "-net", EcpClusterPlanner.Plan(spec).Network.Name);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(255)]
        public void RefusesApplicationServerCountsOutside1To254(int count)
        {
            using var folder = new TempFolder();
            IrisOpsException error = EcpTestSupport.Fails(EcpTestSupport.Spec(folder, applicationServers: count));
            Assert.Equal("ApplicationServerCountOutOfRange", error.ErrorId);
            Assert.Contains(count.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        }

        [Fact]
        public void Accepts254ApplicationServers()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = EcpClusterPlanner.Plan(EcpTestSupport.Spec(folder, applicationServers: 254));
            Assert.Equal(255, plan.Containers.Count);
            Assert.Contains("MaxServerConn=254", EcpTestSupport.MergeText(plan, "ecp-data"));
        }

        [Fact]
        public void RefusesAnEmptyLicenseAndADurablePathThatIsAFile()
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder);
            spec.LicenseKeyPath = folder.Combine("empty.key");
            File.WriteAllText(spec.LicenseKeyPath, string.Empty);
            IrisOpsException empty = EcpTestSupport.Fails(spec);
            Assert.Equal(("LicenseKeyEmpty", IrisErrorKind.InvalidArgument), (empty.ErrorId, empty.Kind));

            spec = EcpTestSupport.Spec(folder);
            spec.DurablePath = folder.Combine("durable-file");
            File.WriteAllText(spec.DurablePath, "x");
            IrisOpsException file = EcpTestSupport.Fails(spec);
            Assert.Equal(("DurablePathIsFile", IrisErrorKind.InvalidArgument), (file.ErrorId, file.Kind));
            Assert.Contains("give a folder", file.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void RefusesAMissingLicense()
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder);
            spec.LicenseKeyPath = folder.Combine("no-such.key");
            IrisOpsException error = EcpTestSupport.Fails(spec);
            Assert.Equal("LicenseKeyNotFound", error.ErrorId);
            Assert.Equal(IrisErrorKind.ObjectNotFound, error.Kind);
            Assert.Contains("no-such.key", error.Message);
        }

        [Theory]
        [InlineData("10.1.0.0")]
        [InlineData("10.1.0.0/")]
        [InlineData("10.1.0.0/33")]
        [InlineData("10.1.0.0/31")]
        [InlineData("10.1.0.0/7")]
        [InlineData("10.1.0.1/24")]
        [InlineData("fd00::/64")]
        [InlineData("300.1.0.0/24")]
        [InlineData("10.1.0.0/24/1")]
        [InlineData("10.1.0.0/+24")]
        public void RefusesBadSubnets(string subnet)
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder);
            spec.Subnet = subnet;
            Assert.Equal("InvalidSubnet", EcpTestSupport.Fails(spec).ErrorId);
        }

        [Theory]
        [InlineData("10.1.0.0/30", 1)] // room for 1 node (network, gateway and broadcast take 3 of 4); the cluster needs 2
        [InlineData("10.1.0.0/29", 5)] // room for 5; the cluster needs 6
        [InlineData("10.1.0.0/24", 254)] // room for 253; the cluster needs 255
        public void RefusesSubnetsTooSmallForTheNodes(string subnet, int applicationServers)
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, applicationServers: applicationServers);
            spec.Subnet = subnet;
            IrisOpsException error = EcpTestSupport.Fails(spec);
            Assert.Equal("SubnetTooSmall", error.ErrorId);
            Assert.Contains($"needs {applicationServers + 1}", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void FillsASubnetExactly()
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, applicationServers: 4);
            spec.Subnet = "10.1.0.0/29";
            DeploymentPlan plan = EcpClusterPlanner.Plan(spec);
            Assert.Equal(new[] { "10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5", "10.1.0.6" }, plan.Containers.Select(c => c.IPv4Address));
        }

        [Fact]
        public void GivesFixedAddressesFromTheSubnetDataServerFirst()
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder);
            spec.Subnet = "172.30.8.0/24";
            DeploymentPlan plan = EcpClusterPlanner.Plan(spec);
            Assert.Equal("172.30.8.0/24", plan.Network.Subnet);
            Assert.Equal(new[] { "172.30.8.2", "172.30.8.3", "172.30.8.4", "172.30.8.5" }, plan.Containers.Select(c => c.IPv4Address));
            Assert.Equal(EcpRole.Data, plan.Containers[0].Role);

            spec.Subnet = "10.0.0.0/16";
            spec.ApplicationServerCount = 254;
            DeploymentPlan big = EcpClusterPlanner.Plan(spec);
            Assert.Equal("10.0.0.2", big.Containers[0].IPv4Address);
            Assert.Equal("10.0.1.0", big.Containers[254].IPv4Address); // crosses the third octet correctly
        }

        [Fact]
        public void GivesFixedAddressesInASubnetDerivedFromTheNameWithoutASubnet()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = EcpClusterPlanner.Plan(EcpTestSupport.Spec(folder, "named"));
            string subnet = ClusterSubnet.Default("named", 4);
            Assert.Equal(subnet, plan.Network.Subnet);
            Assert.Matches(@"^172\.(28|29|30|31)\.\d{1,3}\.0/24$", subnet);
            Assert.Equal(ClusterSubnet.NodeAddresses(subnet, 4), plan.Containers.Select(c => c.IPv4Address));
            Assert.Equal(subnet, EcpClusterPlanner.Plan(EcpTestSupport.Spec(folder, "named")).Network.Subnet);
        }

        [Theory]
        [InlineData("demo.*.x")]
        [InlineData("1demo")]
        [InlineData("de mo")]
        [InlineData("demo\n[Actions]")]
        [InlineData("*")]
        [InlineData("")]
        [InlineData("demo,other")]
        [InlineData("%%demo")]
        [InlineData("demo.")]
        public void RefusesBadGlobalMappings(string mapping)
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder);
            spec.GlobalMappings = new[] { "ok.*", mapping };
            Assert.Equal("InvalidGlobalMapping", EcpTestSupport.Fails(spec).ErrorId);
        }

        [Theory]
        [InlineData("Database", "my data", "InvalidDatabaseName")]
        [InlineData("Database", "1db", "InvalidDatabaseName")]
        [InlineData("Namespace", "US ER", "InvalidNamespace")]
        [InlineData("Image", "irisops standin", "InvalidImage")]
        [InlineData("Image", "", "InvalidImage")]
        public void RefusesOtherBadArguments(string property, string value, string errorId)
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder);
            typeof(EcpClusterSpec).GetProperty(property)!.SetValue(spec, value);
            Assert.Equal(errorId, EcpTestSupport.Fails(spec).ErrorId);
        }

        [Fact]
        public void NamesContainersVolumesAndTheNetworkAfterTheClusterAndHost()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = EcpClusterPlanner.Plan(EcpTestSupport.Spec(folder, "shop"));
            Assert.Equal("shop", plan.ClusterName);
            Assert.Equal("shop-net", plan.Network.Name);
            Assert.Equal(new[] { "shop-data", "shop-app-1", "shop-app-2", "shop-app-3" }, plan.Containers.Select(c => c.Name));
            Assert.Equal(new[] { "shop-data", "shop-app-1", "shop-app-2", "shop-app-3" }, plan.Containers.Select(c => c.HostName));
            Assert.Equal(new[] { EcpRole.Data, EcpRole.App, EcpRole.App, EcpRole.App }, plan.Containers.Select(c => c.Role));
            Assert.Equal(new[] { "shop-data-durable", "shop-app-1-durable", "shop-app-2-durable", "shop-app-3-durable" }, plan.Volumes.Where(v => v.Durable).Select(v => v.Name));
            Assert.Equal(plan.Volumes.Where(v => v.Durable).Select(v => v.Name), plan.Containers.Select(c => c.DurableVolume));
            Assert.All(plan.Containers, c => Assert.Equal(new[] { c.HostName }, c.Aliases));
            Assert.Equal(Path.GetFullPath(folder.Combine("cluster")), plan.ClusterFolder);
            Assert.True(plan.Certificates.MustGenerate);
            Assert.Equal(Path.Combine(plan.ClusterFolder, "certificates"), plan.Certificates.GeneratePath);
            Assert.Equal(new[] { "CN=shop-app-1", "CN=shop-app-2", "CN=shop-app-3" }, plan.Certificates.Nodes.Where(n => n.Role == EcpRole.App).Select(n => n.Subject));
        }

        [Fact]
        public void PrefixesCertificateHostNamesWithTheClusterOnlyWhenNeeded()
        {
            Assert.Equal("c-data-server", EcpClusterPlanner.ContainerName("c", "data-server"));
            Assert.Equal("c-app-1", EcpClusterPlanner.ContainerName("c", "c-app-1"));
            Assert.Equal("c-capp", EcpClusterPlanner.ContainerName("c", "capp"));
            Assert.Equal(new[] { "x-data", "x-app-1", "x-app-2" }, EcpClusterPlanner.DefaultHostNames("x", 2));

            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, "c", 2);
            spec.CertificateSet = EcpTestSupport.CertificateSet(folder, "data-server", "app-a", "app-b");
            DeploymentPlan plan = EcpClusterPlanner.Plan(spec);
            Assert.Equal(new[] { "c-data-server", "c-app-a", "c-app-b" }, plan.Containers.Select(c => c.Name));
            Assert.Equal(new[] { "data-server", "app-a", "app-b" }, plan.Containers.Select(c => c.HostName));
            Assert.False(plan.Certificates.MustGenerate);
            Assert.Equal(spec.CertificateSet.Authority.CertificatePath, plan.Certificates.AuthorityCertificatePath);
        }

        [Fact]
        public void LabelsEveryNodeVolumeAndTheNetwork()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = EcpClusterPlanner.Plan(EcpTestSupport.Spec(folder, "lab", 2));
            foreach (ContainerPlan container in plan.Containers)
            {
                Assert.Equal("lab", container.Labels[ClusterLabels.Cluster]);
                Assert.Equal(container.Role == EcpRole.Data ? "data" : "app", container.Labels[ClusterLabels.Role]);
                Assert.Equal(container.HostName, container.Labels[ClusterLabels.Node]);
                Assert.Equal(plan.SpecHash, container.Labels[ClusterLabels.SpecHash]);
                Assert.Equal("true", container.Labels[ClusterLabels.Managed]);
                string spec = container.Labels[ClusterLabels.Spec];
                Assert.StartsWith("{\"name\":\"lab\",", spec, StringComparison.Ordinal);
                Assert.Contains("\"database\":\"myappdata\"", spec, StringComparison.Ordinal);
                Assert.Contains("\"namespace\":\"USER\"", spec, StringComparison.Ordinal);
                Assert.DoesNotContain("irisops-standin", spec, StringComparison.Ordinal); // the image may change under Update-IrisApplicationImage
            }

            Assert.All(plan.Volumes, v => Assert.Equal("lab", v.Labels[ClusterLabels.Cluster]));
            Assert.All(plan.Volumes, v => Assert.False(v.Labels.ContainsKey(ClusterLabels.Spec)));
            Assert.Equal("lab", plan.Network.Labels[ClusterLabels.Cluster]);
            Assert.Equal(plan.SpecHash, plan.Network.Labels[ClusterLabels.SpecHash]);
            Assert.Equal("prepare", plan.Prepare.Labels[ClusterLabels.Role]);
            Assert.Matches("^[0-9a-f]{16}$", plan.SpecHash);
        }

        [Fact]
        public void PlansTheContainersAsTheIssueAsks()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = EcpClusterPlanner.Plan(EcpTestSupport.Spec(folder, "run", 2));
            string root = plan.ClusterFolder;
            foreach (ContainerPlan c in plan.Containers)
            {
                Assert.Equal("irisops-standin:v1", c.Image);
                Assert.Equal(330, c.StopTimeoutSeconds);
                Assert.True(c.Init);
                Assert.Equal("unless-stopped", c.RestartPolicy);
                Assert.Equal(new[] { "--key", "/irisops/license/iris.key" }, c.Command);
                Assert.Equal(
                    new[] { new KeyValuePair<string, string>("ISC_DATA_DIRECTORY", "/irisops/durable/iconfig"), new KeyValuePair<string, string>("ISC_CPF_MERGE_FILE", "/irisops/config/merge.cpf") },
                    c.Environment);
                Assert.Empty(c.Ports);
                string node = Path.Combine(root, "nodes", c.HostName);
                var expected = new (MountKind, string, string, bool)[]
                {
                    (MountKind.Volume, c.HostName + "-durable", "/irisops/durable", false),
                    (MountKind.Bind, Path.Combine(node, "merge.cpf"), "/irisops/config/merge.cpf", true),
                    (MountKind.Volume, c.HostName + "-tls", "/irisops/tls", true),
                    (MountKind.Volume, "run-license", "/irisops/license", true),
                };
                Assert.Equal(expected, c.Mounts.Select(m => (m.Kind, m.Source, m.Target, m.ReadOnly)));
            }

            // Each node's key file is a copy of its own key only.
            foreach (ContainerPlan c in plan.Containers)
            {
                PlannedFile key = plan.Files.Single(f => f.Path == Path.Combine(root, "nodes", c.HostName, "tls", "node.key"));
                Assert.Equal(plan.Certificates.Nodes.Single(n => n.HostName == c.HostName).KeyPath, key.CopyFrom);
                Assert.True(key.OwnerOnly);
            }

            Assert.True(plan.Files.Single(f => f.Path == Path.Combine(root, "license", "iris.key")).OwnerOnly);

            // The prepare container copies TLS files and the license into volumes and gives only volumes and
            // durable storage to the IRIS user: the host folders are mounted read-only and never chowned.
            Assert.Equal(new[] { "/bin/sh", "-c" }, plan.Prepare.Command.Take(2));
            Assert.Equal(
                "set -e; cp /prepare/files/nodes/run-data/tls/ca.cer /prepare/files/nodes/run-data/tls/node.cer /prepare/files/nodes/run-data/tls/node.key /prepare/tls/run-data/"
                + "; cp /prepare/files/nodes/run-app-1/tls/ca.cer /prepare/files/nodes/run-app-1/tls/node.cer /prepare/files/nodes/run-app-1/tls/node.key /prepare/tls/run-app-1/"
                + "; cp /prepare/files/nodes/run-app-2/tls/ca.cer /prepare/files/nodes/run-app-2/tls/node.cer /prepare/files/nodes/run-app-2/tls/node.key /prepare/tls/run-app-2/"
                + "; cp /prepare/files/license/iris.key /prepare/license/iris.key"
                + "; chown -R 51773:51773 /prepare/durable/run-data /prepare/durable/run-app-1 /prepare/durable/run-app-2 /prepare/tls/run-data /prepare/tls/run-app-1 /prepare/tls/run-app-2 /prepare/license"
                + "; chmod 0644 /prepare/tls/run-data/ca.cer /prepare/tls/run-data/node.cer /prepare/tls/run-app-1/ca.cer /prepare/tls/run-app-1/node.cer /prepare/tls/run-app-2/ca.cer /prepare/tls/run-app-2/node.cer"
                + "; chmod 0600 /prepare/tls/run-data/node.key /prepare/tls/run-app-1/node.key /prepare/tls/run-app-2/node.key /prepare/license/iris.key",
                plan.Prepare.Command[2]);
            Assert.All(plan.Prepare.Mounts.Where(m => m.Kind == MountKind.Bind), m => Assert.True(m.ReadOnly, m.Target));
            Assert.Equal(new[] { "run-license", "run-data-tls", "run-app-1-tls", "run-app-2-tls" }, plan.Volumes.Where(v => !v.Durable).Select(v => v.Name));
            Assert.All(plan.Volumes.Where(v => !v.Durable), v => Assert.True(v.Labels.ContainsKey(ClusterLabels.Volume)));
            Assert.All(plan.Volumes.Where(v => v.Durable), v => Assert.False(v.Labels.ContainsKey(ClusterLabels.Volume)));
        }

        [Fact]
        public void PublishesTheSuperserverOnLoopbackOnlyWhenAsked()
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, "pub", 1);
            spec.PublishPort = 41972;
            DeploymentPlan plan = EcpClusterPlanner.Plan(spec);
            Assert.Equal(new[] { "127.0.0.1:41972:1972" }, plan.Containers[0].Ports.Select(p => p.ToString()));
            Assert.Empty(plan.Containers[1].Ports);
            spec.PublishPort = 70000;
            Assert.Equal("InvalidPort", EcpTestSupport.Fails(spec).ErrorId);
        }

        [Fact]
        public void PlansHostFoldersForDurableStorageWithDurablePath()
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, "hf", 2);
            spec.DurablePath = folder.Combine("durable");
            DeploymentPlan plan = EcpClusterPlanner.Plan(spec);
            Assert.All(plan.Volumes, v => Assert.False(v.Durable, v.Name));
            string[] expected = { folder.Combine("durable", "hf-data"), folder.Combine("durable", "hf-app-1"), folder.Combine("durable", "hf-app-2") };
            Assert.Equal(expected, plan.DurableFolders);
            Assert.Equal(expected, plan.Containers.Select(c => c.DurableHostFolder));
            Assert.All(plan.Containers, c => Assert.Null(c.DurableVolume));
            Assert.Equal(expected, plan.Containers.Select(c => c.Mounts.Single(m => m.Target == "/irisops/durable")).Select(m => m.Kind == MountKind.Bind ? m.Source : "not a bind"));
        }
    }
}
