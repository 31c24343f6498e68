using System;
using System.IO;
using System.Linq;
using IrisOps.Core.Compose;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using Xunit;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IrisOps.Tests.Ecp
{
    public class ComposeRendererTests
    {
        private static DeploymentPlan Plan(TempFolder folder, Action<EcpClusterSpec>? change = null)
        {
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, "cmp", 2);
            spec.GlobalMappings = new[] { "demo.*" };
            spec.PublishPort = 41972;
            change?.Invoke(spec);
            return EcpClusterPlanner.Plan(spec);
        }

        private static string Relative(DeploymentPlan plan, string path) =>
            path.StartsWith(plan.ClusterFolder + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                ? "./" + path.Substring(plan.ClusterFolder.Length + 1).Replace('\\', '/')
                : path;

        private static string Render(DeploymentPlan plan) => ComposeRenderer.Render(plan, p => Relative(plan, p));

        private static YamlMappingNode Load(string yaml)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            Assert.Single(stream.Documents);
            return (YamlMappingNode)stream.Documents[0].RootNode;
        }

        private static YamlNode At(YamlNode node, params string[] keys)
        {
            foreach (string key in keys)
            {
                node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
            }

            return node;
        }

        private static string Text(YamlNode node) => ((YamlScalarNode)node).Value!;

        [Fact]
        public void IsDeterministic()
        {
            using var folder = new TempFolder();
            string first = Render(Plan(folder));
            Assert.Equal(first, Render(Plan(folder)));
            DeploymentPlan plan = Plan(folder);
            Assert.Equal(Render(plan), Render(plan));
            Assert.DoesNotContain("\r", first, StringComparison.Ordinal);
            Assert.StartsWith("# Written by IrisOps New-IrisEcpCluster -OutputPath.", first, StringComparison.Ordinal);
            Assert.False(first.TrimEnd().EndsWith("...", StringComparison.Ordinal));
        }

        [Fact]
        public void IsBlockStyleWithQuotedPortMappings()
        {
            using var folder = new TempFolder();
            string yaml = Render(Plan(folder));
            Assert.Contains("\n    ports:\n    - \"127.0.0.1:41972:1972\"\n", yaml, StringComparison.Ordinal);
            Assert.DoesNotContain("{", yaml.Split('\n').Where(l => !l.Contains("irisops.spec", StringComparison.Ordinal)).Aggregate(string.Empty, (a, l) => a + l + "\n"), StringComparison.Ordinal);
            Assert.DoesNotContain("[", yaml.Split('\n').Where(l => !l.Contains("irisops.spec", StringComparison.Ordinal)).Aggregate(string.Empty, (a, l) => a + l + "\n"), StringComparison.Ordinal);

            YamlMappingNode root = Load(yaml);
            var ports = (YamlSequenceNode)At(root, "services", "cmp-data", "ports");
            var port = (YamlScalarNode)ports.Children.Single();
            Assert.Equal("127.0.0.1:41972:1972", port.Value);
            Assert.Equal(ScalarStyle.DoubleQuoted, port.Style);
            Assert.False(((YamlMappingNode)At(root, "services", "cmp-app-1")).Children.ContainsKey(new YamlScalarNode("ports")));
        }

        [Fact]
        public void ParsesBackToThePlan()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            YamlMappingNode root = Load(Render(plan));
            var services = (YamlMappingNode)At(root, "services");
            Assert.Equal(new[] { "prepare-durable", "cmp-data", "cmp-app-1", "cmp-app-2" }, services.Children.Keys.Select(Text));

            foreach (ContainerPlan container in plan.Containers)
            {
                YamlNode service = At(services, container.HostName);
                Assert.Equal("irisops-standin:v1", Text(At(service, "image")));
                Assert.Equal(container.Name, Text(At(service, "container_name")));
                Assert.Equal(container.HostName, Text(At(service, "hostname")));
                Assert.Equal("true", Text(At(service, "init")));
                Assert.Equal("unless-stopped", Text(At(service, "restart")));
                Assert.Equal("330s", Text(At(service, "stop_grace_period")));
                Assert.Equal(new[] { "--key", "/irisops/license/iris.key" }, ((YamlSequenceNode)At(service, "command")).Children.Select(Text));
                Assert.Equal("/irisops/durable/iconfig", Text(At(service, "environment", "ISC_DATA_DIRECTORY")));
                Assert.Equal("/irisops/config/merge.cpf", Text(At(service, "environment", "ISC_CPF_MERGE_FILE")));
                Assert.Equal(new[] { container.HostName }, ((YamlSequenceNode)At(service, "networks", "cluster", "aliases")).Children.Select(Text));

                var labels = (YamlMappingNode)At(service, "labels");
                Assert.Equal(container.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value),
                    labels.Children.Select(l => Text(l.Key) + "=" + Text(l.Value)));

                var volumes = ((YamlSequenceNode)At(service, "volumes")).Children;
                Assert.Equal(container.Mounts.Count, volumes.Count);
                for (int i = 0; i < volumes.Count; i++)
                {
                    MountPlan mount = container.Mounts[i];
                    Assert.Equal(mount.Kind == Core.Docker.MountKind.Bind ? "bind" : "volume", Text(At(volumes[i], "type")));
                    Assert.Equal(mount.Kind == Core.Docker.MountKind.Bind ? Relative(plan, mount.Source) : mount.Source, Text(At(volumes[i], "source")));
                    Assert.Equal(mount.Target, Text(At(volumes[i], "target")));
                    Assert.Equal(mount.ReadOnly, ((YamlMappingNode)volumes[i]).Children.ContainsKey(new YamlScalarNode("read_only")));
                }

                var dependsOn = (YamlMappingNode)At(service, "depends_on");
                Assert.Equal("service_completed_successfully", Text(At(dependsOn, "prepare-durable", "condition")));
                if (container.Role == EcpRole.App)
                {
                    Assert.Equal("service_healthy", Text(At(dependsOn, "cmp-data", "condition")));
                }
                else
                {
                    Assert.Single(dependsOn.Children);
                }
            }

            YamlNode prepare = At(services, "prepare-durable");
            Assert.Equal("0:0", Text(At(prepare, "user")));
            Assert.Equal(ScalarStyle.DoubleQuoted, ((YamlScalarNode)At(prepare, "user")).Style);
            Assert.Equal(plan.Prepare.Command, ((YamlSequenceNode)At(prepare, "entrypoint")).Children.Select(Text));
            Assert.Equal("none", Text(At(prepare, "network_mode")));

            Assert.Equal("cmp-net", Text(At(root, "networks", "cluster", "name")));
            Assert.Equal(plan.Volumes.Select(v => v.Name), ((YamlMappingNode)At(root, "volumes")).Children.Keys.Select(Text));
            Assert.Contains("cmp-app-2-durable", plan.Volumes.Where(v => v.Durable).Select(v => v.Name));
            Assert.Equal("cmp-app-2-durable", Text(At(root, "volumes", "cmp-app-2-durable", "name")));
        }

        [Fact]
        public void WritesTheSubnetAndFixedAddresses()
        {
            using var folder = new TempFolder();
            YamlMappingNode root = Load(Render(Plan(folder, s => s.Subnet = "172.30.9.0/24")));
            Assert.Equal("172.30.9.0/24", Text(At(((YamlSequenceNode)At(root, "networks", "cluster", "ipam", "config")).Children[0], "subnet")));
            Assert.Equal("172.30.9.3", Text(At(root, "services", "cmp-app-1", "networks", "cluster", "ipv4_address")));
        }

        [Fact]
        public void DeclaresOnlyTheTlsAndLicenseVolumesForHostFolders()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder, s => s.DurablePath = folder.Combine("durable"));
            YamlMappingNode root = Load(Render(plan));
            Assert.Equal(new[] { "cmp-license", "cmp-data-tls", "cmp-app-1-tls", "cmp-app-2-tls" }, ((YamlMappingNode)At(root, "volumes")).Children.Keys.Select(Text));
            Assert.Equal(folder.Combine("durable", "cmp-data"), Text(At(((YamlSequenceNode)At(root, "services", "cmp-data", "volumes")).Children[0], "source")));
        }

        [Theory]
        [InlineData("\n")]
        [InlineData("\r")]
        [InlineData("\t")]
        [InlineData("\u001b")]
        [InlineData("\u0085")]
        public void RefusesControlCharactersInAnyValue(string control)
        {
            using var folder = new TempFolder();

            // A durable path outside the project is written as it is; a control character in it is refused.
            DeploymentPlan plan = Plan(folder, s => s.DurablePath = folder.Combine("dur" + control + "able"));
            IrisOpsException error = Assert.Throws<IrisOpsException>(() => Render(plan));
            Assert.Equal("ComposeValueHasControlCharacter", error.ErrorId);

            DeploymentPlan clean = Plan(folder);
            Assert.Equal("ComposeValueHasControlCharacter", Assert.Throws<IrisOpsException>(() => ComposeRenderer.Render(clean, p => p + control + "x: y")).ErrorId);
        }

        [Fact]
        public void QuotesValuesThatYamlWouldOtherwiseReinterpret()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder, s => s.ClusterFolder = folder.Combine("yes: no # [x]"));
            string yaml = ComposeRenderer.Render(plan, p => p);
            YamlMappingNode root = Load(yaml);
            var volumes = ((YamlSequenceNode)At(root, "services", "cmp-data", "volumes")).Children;
            Assert.Equal(Path.Combine(plan.ClusterFolder, "nodes", "cmp-data", "merge.cpf"), Text(At(volumes[1], "source")));
            string spec = Text(At(root, "services", "cmp-data", "labels", "irisops.spec"));
            Assert.Equal(plan.Containers[0].Labels[ClusterLabels.Spec], spec);
        }
    }
}
