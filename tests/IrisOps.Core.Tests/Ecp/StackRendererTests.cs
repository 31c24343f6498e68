using System;
using System.IO;
using System.Linq;
using System.Text;
using IrisOps.Core.Compose;
using IrisOps.Core.Cpf;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace IrisOps.Tests.Ecp
{
    public class StackRendererTests
    {
        private static DeploymentPlan Plan(TempFolder folder, Action<EcpClusterSpec>? change = null)
        {
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, "stk", 2);
            spec.Orchestrator = EcpOrchestrator.Swarm;
            change?.Invoke(spec);
            return EcpClusterPlanner.Plan(spec);
        }

        // A stand-in for the content hash: the file name's own hex digest, so each file gets a distinct name.
        private static string Hash(string path)
        {
            using var sha = System.Security.Cryptography.SHA256.Create();
            return string.Concat(sha.ComputeHash(Encoding.UTF8.GetBytes(path)).Select(b => b.ToString("x2")));
        }

        private static YamlMappingNode Load(string yaml)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
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

        private static bool Has(YamlNode node, string key) => ((YamlMappingNode)node).Children.ContainsKey(new YamlScalarNode(key));

        private static string Text(YamlNode node) => ((YamlScalarNode)node).Value!;

        [Fact]
        public void IsDeterministicAndSaysHowToDeployIt()
        {
            using var folder = new TempFolder();
            string first = StackRenderer.Render(Plan(folder), Hash);
            Assert.Equal(first, StackRenderer.Render(Plan(folder), Hash));
            Assert.StartsWith("# Written by IrisOps New-IrisEcpCluster -OutputPath -Format Stack.", first, StringComparison.Ordinal);
            Assert.Contains("docker stack deploy -c", first, StringComparison.Ordinal);
            Assert.Equal("3.8", Text(At(Load(first), "version")));
        }

        [Fact]
        public void HasOneServicePerNodeAndNothingSwarmIgnoresOrRefuses()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            YamlMappingNode root = Load(StackRenderer.Render(plan, Hash));
            var services = (YamlMappingNode)At(root, "services");
            Assert.Equal(new[] { ComposeRenderer.PrepareServiceName }.Concat(plan.Containers.Select(c => c.HostName)), services.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
            foreach (ContainerPlan container in plan.Containers)
            {
                YamlNode service = At(services, container.HostName);
                foreach (string ignored in new[] { "container_name", "restart", "network_mode", "depends_on", "user", "entrypoint" })
                {
                    Assert.False(Has(service, ignored), ignored);
                }

                Assert.Equal(container.HostName, Text(At(service, "hostname")));
                Assert.Equal(container.HostName, Text(((YamlSequenceNode)At(service, "networks", "cluster", "aliases")).Children.Single()));
                Assert.Equal("dnsrr", Text(At(service, "deploy", "endpoint_mode")));
                Assert.Equal("1", Text(At(service, "deploy", "replicas")));
                Assert.Equal("stop-first", Text(At(service, "deploy", "update_config", "order")));
                Assert.Equal("pause", Text(At(service, "deploy", "update_config", "failure_action")));
                Assert.Equal(container.Labels[ClusterLabels.Cluster], Text(At(service, "deploy", "labels", ClusterLabels.Cluster)));
            }

            Assert.Equal("overlay", Text(At(root, "networks", "cluster", "driver")));
            Assert.Equal(plan.Network.Subnet, Text(((YamlSequenceNode)At(root, "networks", "cluster", "ipam", "config")).Children[0]["subnet"]));
        }

        [Fact]
        public void MountsTlsAndLicenseAsSecretsAndTheMergeFileAsAConfigOwnedByTheIrisUser()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            YamlMappingNode root = Load(StackRenderer.Render(plan, Hash));
            ContainerPlan app = plan.Containers[1];
            YamlNode service = At(root, "services", app.HostName);
            var secrets = ((YamlSequenceNode)At(service, "secrets")).Children.Cast<YamlMappingNode>().ToList();
            Assert.Equal(new[] { EcpMergeFiles.CaFile, EcpMergeFiles.CertificateFile, EcpMergeFiles.PrivateKeyFile, EcpMergeFiles.LicenseFile }, secrets.Select(s => Text(s["target"])));
            Assert.All(secrets, s => Assert.Equal(IrisContainer.Uid.ToString(), Text(s["uid"])));
            Assert.Equal("256", Text(secrets.Single(s => Text(s["target"]) == EcpMergeFiles.PrivateKeyFile)["mode"]));
            Assert.Equal("292", Text(secrets.Single(s => Text(s["target"]) == EcpMergeFiles.CaFile)["mode"]));
            YamlMappingNode config = ((YamlSequenceNode)At(service, "configs")).Children.Cast<YamlMappingNode>().Single();
            Assert.Equal(EcpMergeFiles.MergeFile, Text(config["target"]));

            // Each object is declared once with the absolute host path of its file, named by its content hash.
            string configName = Text(config["source"]);
            Assert.Equal("stk-merge-" + Hash(app.MergeFilePath).Substring(0, 12), configName);
            Assert.Equal(app.MergeFilePath, Text(At(root, "configs", configName, "file")));
            Assert.True(Path.IsPathRooted(Text(At(root, "secrets", Text(secrets[0]["source"]), "file"))));
        }

        [Fact]
        public void KeepsDurableSysOnANamedVolumeOffTheWorkingDirectoryOwnedThroughARootJob()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            Assert.Equal(plan.Containers.Count, plan.Volumes.Count);
            YamlMappingNode root = Load(StackRenderer.Render(plan, Hash));
            foreach (ContainerPlan container in plan.Containers)
            {
                YamlMappingNode mount = ((YamlSequenceNode)At(root, "services", container.HostName, "volumes")).Children.Cast<YamlMappingNode>().Single();
                Assert.Equal(container.DurableVolume, Text(mount["source"]));
                // Not /home/irisowner: it holds the image's instance registry (/home/irisowner/irissys).
                Assert.Equal(EcpMergeFiles.DurableRoot, Text(mount["target"]));
                Assert.Equal(EcpMergeFiles.DataDirectory, container.Environment.Single(e => e.Key == IrisContainer.DataDirectoryVariable).Value);
                Assert.Null(container.IPv4Address);
            }

            YamlNode job = At(root, "services", ComposeRenderer.PrepareServiceName);
            Assert.Equal("replicated-job", Text(At(job, "deploy", "mode")));
            Assert.Equal("none", Text(At(job, "deploy", "restart_policy", "condition")));
            Assert.Equal("0:0", Text(At(job, "user")));
            Assert.Equal(plan.Prepare.Command, ((YamlSequenceNode)At(job, "entrypoint")).Children.Select(Text));
            Assert.Equal(plan.Containers.Select(c => c.DurableVolume), ((YamlSequenceNode)At(job, "volumes")).Children.Select(m => Text(m["source"])));
            Assert.Equal("cluster", Text(((YamlSequenceNode)At(job, "networks")).Children.Single()));
        }

        [Fact]
        public void NamesTheDataServerByHostNameAndAllowsTheSubnetsRange()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder, s => s.Subnet = "10.77.4.0/23");
            string data = Encoding.UTF8.GetString(plan.Files.Single(f => f.Path == plan.Containers[0].MergeFilePath).Content!);
            string app = Encoding.UTF8.GetString(plan.Files.Single(f => f.Path == plan.Containers[1].MergeFilePath).Content!);
            Assert.Contains("ClientSystems=10.77.4.*;10.77.5.*", data, StringComparison.Ordinal);
            Assert.Contains("Directory=" + EcpMergeFiles.DurableRoot + "/myappdata/", data, StringComparison.Ordinal);
            Assert.Contains("Address=" + plan.Containers[0].HostName + ",", app, StringComparison.Ordinal);
            Assert.Contains("Directory=" + EcpMergeFiles.DurableRoot + "/myappdata/,Server=", app, StringComparison.Ordinal);
        }

        [Fact]
        public void PublishesInHostModeBecauseTheRoutingMeshNeedsIpvs()
        {
            using var folder = new TempFolder();
            YamlMappingNode root = Load(StackRenderer.Render(Plan(folder, s => s.PublishPort = 41972), Hash));
            YamlMappingNode port = ((YamlSequenceNode)At(root, "services", "stk-data", "ports")).Children.Cast<YamlMappingNode>().Single();
            Assert.Equal("host", Text(port["mode"]));
            Assert.Equal("41972", Text(port["published"]));
        }

        [Fact]
        public void RefusesHostFoldersAndSubnetsTooLargeForRanges()
        {
            using var folder = new TempFolder();
            Assert.Equal("DurablePathNotOnSwarm", Assert.Throws<IrisOpsException>(() => Plan(folder, s => s.DurablePath = folder.Path)).ErrorId);
            Assert.Equal("SubnetTooLargeForRanges", Assert.Throws<IrisOpsException>(() => Plan(folder, s => s.Subnet = "10.64.0.0/16")).ErrorId);
        }

        [Fact]
        public void LeavesTheEnginePlanAsItWas()
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, "stk", 2);
            DeploymentPlan engine = EcpClusterPlanner.Plan(spec);
            Assert.Equal(EcpOrchestrator.Engine, engine.Orchestrator);
            Assert.All(engine.Containers, c => Assert.Empty(c.Files));
            Assert.DoesNotContain("orchestrator", engine.Containers[0].Labels[ClusterLabels.Spec], StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => StackRenderer.Render(engine, Hash));
        }
    }
}
