using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Compose;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;
using IrisOps.Core.Kubernetes;
using IrisOps.Tests.Ecp;
using Xunit;
using YamlDotNet.RepresentationModel;
using static IrisOps.Tests.Kubernetes.KubernetesTestSupport;

namespace IrisOps.Tests.Kubernetes
{
    /// <summary>
    /// One plan, every output: the engine deployer's create requests (on the recording engine), the compose file,
    /// the Swarm stack file and the Kubernetes files describe the same nodes, images, merge settings, certificate and license, and a change
    /// to the plan shows in each of them.
    /// </summary>
    public class SharedPlanTests
    {
        /// <summary>
        /// Every renderer of a plan, each reduced to the facts all of them must agree on. The Swarm stack file renders
        /// the plan shaped for Swarm from the same arguments: see the test after this one.
        /// </summary>
        private static readonly IReadOnlyList<(string Name, Func<DeploymentPlan, Task<ClusterFacts>> Read)> Renderers = new (string, Func<DeploymentPlan, Task<ClusterFacts>>)[]
        {
            ("engine", FromEngineAsync),
            ("compose", FromComposeAsync),
            ("kubernetes", FromKubernetesAsync),
        };

        [Fact]
        public async Task Every_renderer_describes_the_same_cluster_and_follows_a_change_to_the_plan()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            ClusterFacts expected = FromPlan(plan);
            Assert.Equal(2, expected.ApplicationServers);
            foreach ((string name, Func<DeploymentPlan, Task<ClusterFacts>> read) in Renderers)
            {
                ClusterFacts facts = await read(plan);
                Assert.True(expected.ToString() == facts.ToString(), name + ":\n" + facts + "\nexpected:\n" + expected);
            }

            // Another image, one more application server and another mapping: each output follows.
            using var changedFolder = new TempFolder();
            DeploymentPlan changed = Plan(changedFolder, s =>
            {
                s.Image = "containers.intersystems.com/intersystems/iris:2025.2";
                s.ApplicationServerCount = 3;
                s.CertificateSet = EcpTestSupport.CertificateSet(changedFolder, "kube-data", "kube-app-1", "kube-app-2", "kube-app-3");
                s.GlobalMappings = new[] { "orders.*" };
            });
            ClusterFacts after = FromPlan(changed);
            Assert.NotEqual(expected.ToString(), after.ToString());
            foreach ((string name, Func<DeploymentPlan, Task<ClusterFacts>> read) in Renderers)
            {
                ClusterFacts facts = await read(changed);
                Assert.True(after.ToString() == facts.ToString(), name + ":\n" + facts + "\nexpected:\n" + after);
                Assert.Equal(3, facts.ApplicationServers);
                Assert.Contains("orders.*", facts.ApplicationMerge, StringComparison.Ordinal);
            }
        }

        /// <summary>
        /// The stack file renders the plan the same arguments give for Swarm: it describes the same cluster as the
        /// engine's plan, and follows a change to the arguments. The two shapes differ only where Swarm must (no
        /// fixed addresses, so ECP names the data server and allows the subnet's ranges); durable %SYS has the same
        /// root in both.
        /// </summary>
        [Fact]
        public async Task The_stack_file_describes_the_cluster_the_engine_plan_describes_and_follows_a_change()
        {
            foreach (Action<EcpClusterSpec>? change in new Action<EcpClusterSpec>?[] { null, s => { s.Image = "containers.intersystems.com/intersystems/iris:2025.2"; s.GlobalMappings = new[] { "orders.*" }; } })
            {
                using var folder = new TempFolder();
                // Both plans name the same certificate set (each Plan call writes it again): read after both exist.
                DeploymentPlan enginePlan = Plan(folder, change);
                DeploymentPlan swarm = Plan(folder, s => { change?.Invoke(s); s.Orchestrator = EcpOrchestrator.Swarm; });
                ClusterFacts engine = FromPlan(enginePlan);
                ClusterFacts stack = await FromStackAsync(swarm);
                Assert.True(engine.ToString() == stack.ToString(), "stack:\n" + stack + "\nexpected:\n" + engine);
            }
        }

        private static async Task<ClusterFacts> FromStackAsync(DeploymentPlan plan)
        {
            IrisComposeProject project = await ComposeProjectWriter.WriteAsync(plan, force: true, NullOperationReporter.Instance, CancellationToken.None, ClusterOutputFormat.Stack);
            YamlMappingNode root = Load(File.ReadAllText(project.ComposeFile));
            var nodes = ((YamlMappingNode)At(root, "services")).Children.Select(s => (YamlMappingNode)s.Value).ToList();
            YamlMappingNode data = nodes.Single(n => Scalar(n, "labels", ClusterLabels.Role) == NodeRoles.ToLabel(EcpRole.Data));
            List<YamlMappingNode> apps = nodes.Where(n => Scalar(n, "labels", ClusterLabels.Role) == NodeRoles.ToLabel(EcpRole.App)).ToList();
            byte[] File_(YamlMappingNode service, string kind, string target)
            {
                string name = ((YamlSequenceNode)At(service, kind)).Children.Cast<YamlMappingNode>().Single(m => Scalar(m, "target") == target).Children[new YamlScalarNode("source")].ToString();
                return File.ReadAllBytes(Scalar(root, kind, name, "file"));
            }

            string Merge(YamlMappingNode service) => MergeSettings(File_(service, "configs", EcpMergeFiles.MergeFile));
            return new ClusterFacts(
                apps.Count,
                Scalar(data, "image"),
                Scalar(apps[0], "image"),
                Merge(data),
                Merge(apps[0]),
                File_(data, "secrets", EcpMergeFiles.CertificateFile),
                File_(data, "secrets", EcpMergeFiles.CaFile),
                File_(data, "secrets", EcpMergeFiles.LicenseFile));
        }

        private static ClusterFacts FromPlan(DeploymentPlan plan)
        {
            ContainerPlan data = plan.Containers.Single(c => c.Role == EcpRole.Data);
            ContainerPlan app = plan.Containers.First(c => c.Role == EcpRole.App);
            NodeCertificate certificate = plan.Certificates.Nodes.Single(n => n.Role == EcpRole.Data);
            return new ClusterFacts(
                plan.Containers.Count(c => c.Role == EcpRole.App),
                data.Image,
                app.Image,
                MergeSettings(plan.Files.Single(f => f.Path == data.MergeFilePath).Content!),
                MergeSettings(plan.Files.Single(f => f.Path == app.MergeFilePath).Content!),
                File.ReadAllBytes(certificate.CertificatePath),
                File.ReadAllBytes(plan.Certificates.AuthorityCertificatePath),
                File.ReadAllBytes(plan.Files.Single(f => f.CopyFrom != null && Path.GetFileName(f.Path) == "iris.key").CopyFrom!));
        }

        // The engine: the create requests the deployer sends (the run stops at the first start, so nothing waits for health).
        private static async Task<ClusterFacts> FromEngineAsync(DeploymentPlan plan)
        {
            // The host files the deployer writes are written first, so the rollback of the stopped run keeps them to read.
            await ClusterFiles.WriteAsync(plan, NullOperationReporter.Instance, new List<string>(), CancellationToken.None);
            var engine = new RecordingEngine { PrepareDelay = TimeSpan.Zero };
            ContainerPlan dataPlan = plan.Containers.Single(c => c.Role == EcpRole.Data);
            engine.FailStart = dataPlan.Name;
            await Assert.ThrowsAsync<IrisOpsException>(() => new EcpClusterDeployer(engine, NullOperationReporter.Instance).DeployAsync(plan, CancellationToken.None));

            List<ContainerSpec> nodes = engine.CreateRequests.Where(c => c.Mounts.Any(m => m.Target == EcpMergeFiles.MergeFile)).ToList();
            ContainerSpec prepare = engine.CreateRequests.Single(c => c.Mounts.Any(m => m.Target == PreparePlanner.NodesFiles.TrimEnd('/')));
            ContainerSpec data = nodes.Single(n => n.Labels[ClusterLabels.Role] == NodeRoles.ToLabel(EcpRole.Data));
            List<ContainerSpec> apps = nodes.Where(n => n.Labels[ClusterLabels.Role] == NodeRoles.ToLabel(EcpRole.App)).ToList();
            string MergeOf(ContainerSpec node) => node.Mounts.Single(m => m.Target == EcpMergeFiles.MergeFile).Source;
            string FilesOf(string target) => prepare.Mounts.Single(m => m.Target == target.TrimEnd('/')).Source;
            return new ClusterFacts(
                apps.Count,
                data.Image,
                apps[0].Image,
                MergeSettings(File.ReadAllBytes(MergeOf(data))),
                MergeSettings(File.ReadAllBytes(MergeOf(apps[0]))),
                File.ReadAllBytes(Path.Combine(FilesOf(PreparePlanner.NodesFiles), data.HostName!, "tls", "node.cer")),
                File.ReadAllBytes(Path.Combine(FilesOf(PreparePlanner.NodesFiles), data.HostName!, "tls", "ca.cer")),
                File.ReadAllBytes(Path.Combine(FilesOf(PreparePlanner.LicenseFiles), "iris.key")));
        }

        // Compose: the services of the written project, their images, merge file binds and the prepare service's binds.
        private static async Task<ClusterFacts> FromComposeAsync(DeploymentPlan plan)
        {
            IrisComposeProject project = await ComposeProjectWriter.WriteAsync(plan, force: true, NullOperationReporter.Instance, CancellationToken.None);
            YamlMappingNode services = (YamlMappingNode)At(Load(File.ReadAllText(project.ComposeFile)), "services");
            var nodes = services.Children.Where(s => s.Key.ToString() != ComposeRenderer.PrepareServiceName).Select(s => (YamlMappingNode)s.Value).ToList();
            YamlMappingNode Role(string role, out int count)
            {
                var matching = nodes.Where(n => Scalar(n, "labels", ClusterLabels.Role) == role).ToList();
                count = matching.Count;
                return matching[0];
            }

            string HostPath(string relative) => Path.Combine(plan.ClusterFolder, relative.Substring(2));
            string Bind(YamlMappingNode service, string target) =>
                HostPath(((YamlSequenceNode)At(service, "volumes")).Children.Cast<YamlMappingNode>().Single(v => Scalar(v, "target") == target).Children[new YamlScalarNode("source")].ToString());
            YamlMappingNode data = Role(NodeRoles.ToLabel(EcpRole.Data), out _);
            YamlMappingNode app = Role(NodeRoles.ToLabel(EcpRole.App), out int apps);
            YamlMappingNode prepare = (YamlMappingNode)services.Children[new YamlScalarNode(ComposeRenderer.PrepareServiceName)];
            string dataHost = Scalar(data, "hostname");
            return new ClusterFacts(
                apps,
                Scalar(data, "image"),
                Scalar(app, "image"),
                MergeSettings(File.ReadAllBytes(Bind(data, EcpMergeFiles.MergeFile))),
                MergeSettings(File.ReadAllBytes(Bind(app, EcpMergeFiles.MergeFile))),
                File.ReadAllBytes(Path.Combine(Bind(prepare, PreparePlanner.NodesFiles.TrimEnd('/')), dataHost, "tls", "node.cer")),
                File.ReadAllBytes(Path.Combine(Bind(prepare, PreparePlanner.NodesFiles.TrimEnd('/')), dataHost, "tls", "ca.cer")),
                File.ReadAllBytes(Path.Combine(Bind(prepare, PreparePlanner.LicenseFiles.TrimEnd('/')), "iris.key")));
        }

        // Kubernetes: the IrisCluster's topology, the configSource files and the Secrets.
        private static Task<ClusterFacts> FromKubernetesAsync(DeploymentPlan plan)
        {
            IReadOnlyList<KubernetesManifest> manifests = Render(plan);
            YamlMappingNode cluster = Load(Text(manifests, KubernetesRenderer.ClusterFile));
            YamlMappingNode config = Load(Text(manifests, KubernetesRenderer.ConfigMapFile));
            string common = Scalar(config, "data", IkoConfigFiles.CommonFile);
            return Task.FromResult(new ClusterFacts(
                int.Parse(Scalar(cluster, "spec", "topology", "compute", "replicas"), System.Globalization.CultureInfo.InvariantCulture),
                Scalar(cluster, "spec", "topology", "data", "image"),
                Scalar(cluster, "spec", "topology", "compute", "image"),
                MergeSettings(Encoding.UTF8.GetBytes(common + Scalar(config, "data", IkoConfigFiles.DataFile))),
                MergeSettings(Encoding.UTF8.GetBytes(common + Scalar(config, "data", IkoConfigFiles.ComputeFile))),
                SecretValue(manifests, KubernetesRenderer.EcpTlsSecretFile, "tls.crt"),
                SecretValue(manifests, KubernetesRenderer.EcpTlsSecretFile, "ca.pem"),
                SecretValue(manifests, KubernetesRenderer.LicenseSecretFile, KubernetesRenderer.LicenseKey)));
        }

        /// <summary>
        /// The settings of a merge file every target carries: on Kubernetes the operator configures ECP and TLS
        /// itself, so those lines are compared nowhere; the rest (databases, namespaces, mappings) everywhere.
        /// </summary>
        private static string MergeSettings(byte[] content)
        {
            CpfDocument document = CpfParser.Parse(content, "merge.cpf");
            return string.Join("\n", document.Sections.SelectMany(s => s.Items)
                .Where(i => (i is CpfEntry || i is CpfAction) && !IkoConfigFiles.IsGeneratedByOperator(i))
                .Select(i => i is CpfEntry e ? "[" + e.Section + "]" + e : i.ToString())
                .OrderBy(l => l, StringComparer.Ordinal));
        }

        private sealed class ClusterFacts
        {
            public ClusterFacts(int applicationServers, string dataImage, string applicationImage, string dataMerge, string applicationMerge, byte[] dataCertificate, byte[] authority, byte[] license)
            {
                ApplicationServers = applicationServers;
                DataImage = dataImage;
                ApplicationImage = applicationImage;
                DataMerge = dataMerge;
                ApplicationMerge = applicationMerge;
                DataCertificate = Convert.ToBase64String(dataCertificate);
                Authority = Convert.ToBase64String(authority);
                License = Convert.ToBase64String(license);
            }

            public int ApplicationServers { get; }

            public string DataImage { get; }

            public string ApplicationImage { get; }

            public string DataMerge { get; }

            public string ApplicationMerge { get; }

            public string DataCertificate { get; }

            public string Authority { get; }

            public string License { get; }

            public override string ToString() =>
                $"application servers: {ApplicationServers}\ndata image: {DataImage}\napplication image: {ApplicationImage}\ndata merge:\n{DataMerge}\napplication merge:\n{ApplicationMerge}\ndata certificate: {DataCertificate}\nCA: {Authority}\nlicense: {License}";
        }
    }
}
