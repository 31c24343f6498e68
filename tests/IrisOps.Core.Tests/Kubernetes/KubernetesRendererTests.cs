using System;
using System.IO;
using System.Linq;
using System.Text;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Kubernetes;
using IrisOps.Tests.Cpf;
using Xunit;
using YamlDotNet.RepresentationModel;
using static IrisOps.Tests.Kubernetes.KubernetesTestSupport;

namespace IrisOps.Tests.Kubernetes
{
    public class KubernetesRendererTests
    {
        [Fact]
        public void Same_plan_same_bytes_without_carriage_returns_or_timestamps()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            var first = Render(plan);
            Assert.Equal(KubernetesRenderer.FileNames, first.Select(m => m.FileName));
            Assert.Equal(first.Select(m => m.Text), Render(plan).Select(m => m.Text));

            // A new plan of the same arguments (its test certificates are new, so the Secrets differ) renders the same objects.
            var again = Render(Plan(folder));
            Assert.Equal(first.Where(m => !m.HoldsKeyMaterial).Select(m => m.Text), again.Where(m => !m.HoldsKeyMaterial).Select(m => m.Text));
            Assert.All(first, m => Assert.DoesNotContain("\r", m.Text, StringComparison.Ordinal));
            Assert.All(first, m => Assert.StartsWith("# Written by IrisOps New-IrisEcpCluster -Format Kubernetes.\n", m.Text, StringComparison.Ordinal));
            Assert.All(first, m => Assert.DoesNotContain(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), m.Text, StringComparison.Ordinal));
        }

        [Fact]
        public void The_iris_cluster_names_its_secrets_config_map_images_and_replicas()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            YamlMappingNode cluster = Load(Text(Render(plan, new KubernetesOptions { StorageClass = "fast-ssd", DataStorageSize = "25Gi" }), KubernetesRenderer.ClusterFile));

            Assert.Equal("intersystems.com/v1alpha1", Scalar(cluster, "apiVersion"));
            Assert.Equal("IrisCluster", Scalar(cluster, "kind"));
            Assert.Equal("kube", Scalar(cluster, "metadata", "name"));
            Assert.Equal("kube-license", Scalar(cluster, "spec", "licenseKeySecret", "name"));
            Assert.Equal("kube-config", Scalar(cluster, "spec", "configSource", "name"));
            Assert.Equal("kube-ecp-tls", Scalar(cluster, "spec", "tls", "ecp", "secret", "secretName"));
            Assert.Equal("kube-superserver-tls", Scalar(cluster, "spec", "tls", "superserver", "secret", "secretName"));
            Assert.Equal(Image, Scalar(cluster, "spec", "topology", "data", "image"));
            Assert.Equal("2025.3.0", Scalar(cluster, "spec", "topology", "data", "compatibilityVersion"));
            Assert.Equal("25Gi", Scalar(cluster, "spec", "topology", "data", "storageDB", "resources", "requests", "storage"));
            Assert.Equal("fast-ssd", Scalar(cluster, "spec", "topology", "data", "storageDB", "storageClassName"));
            Assert.Equal(Image, Scalar(cluster, "spec", "topology", "compute", "image"));
            Assert.Equal("2", Scalar(cluster, "spec", "topology", "compute", "replicas"));
        }

        [Theory]
        [InlineData("containers.intersystems.com/intersystems/iris:2025.3", "2025.3.0")]
        [InlineData("intersystems/iris:2024.1.0.263.0", "2024.1.0")]
        [InlineData("localhost:5000/intersystems/webgateway:2024.1.1.380.0-linux-amd64", "2024.1.1")]
        [InlineData("iris-app:2025.2.1@sha256:0123", "2025.2.1")]
        [InlineData("localhost:5000/iris-app", null)]
        [InlineData("iris-app:latest", null)]
        [InlineData("iris-app:1.5", null)]
        public void The_compatibility_version_comes_from_the_image_tag(string image, string? expected) =>
            Assert.Equal(expected, KubernetesCompatibility.FromImage(image));

        [Fact]
        public void An_image_without_a_release_tag_is_refused_unless_the_version_is_given()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder, s => s.Image = "iris-app:1.5");
            var error = Assert.Throws<IrisOpsException>(() => Render(plan));
            Assert.Equal("CompatibilityVersionUnknown", error.ErrorId);
            Assert.Contains("-CompatibilityVersion", error.Message, StringComparison.Ordinal);

            YamlMappingNode cluster = Load(Text(Render(plan, new KubernetesOptions { CompatibilityVersion = "2025.1.0" }), KubernetesRenderer.ClusterFile));
            Assert.Equal("2025.1.0", Scalar(cluster, "spec", "topology", "data", "compatibilityVersion"));
            Assert.Equal("InvalidCompatibilityVersion", Assert.Throws<IrisOpsException>(() => Render(plan, new KubernetesOptions { CompatibilityVersion = "2025.1" })).ErrorId);
        }

        [Theory]
        [InlineData("Fast_SSD", null, "InvalidStorageClass")]
        [InlineData("ssd\nkind: Secret", null, "InvalidStorageClass")]
        [InlineData(null, "10 Gi", "InvalidDataStorageSize")]
        [InlineData(null, "10Gi\n  storageClassName: x", "InvalidDataStorageSize")]
        [InlineData(null, "-1Gi", "InvalidDataStorageSize")]
        public void Storage_arguments_Kubernetes_would_refuse_are_refused_first(string? storageClass, string? size, string errorId)
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            var options = new KubernetesOptions { StorageClass = storageClass, DataStorageSize = size ?? KubernetesOptions.DefaultDataStorageSize };
            Assert.Equal(errorId, Assert.Throws<IrisOpsException>(() => Render(plan, options)).ErrorId);
        }

        [Theory]
        [InlineData("registry.example/iris:2025.3#x:y")]
        [InlineData("iris:2025.3\\n---")]
        [InlineData("*anchor:2025.3")]
        [InlineData("{a:b}")]
        [InlineData("'quoted':2025.3")]
        [InlineData("iris:2025.3\"")]
        public void Hostile_image_names_stay_one_string_value(string image)
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder, s => s.Image = image);
            YamlMappingNode cluster = Load(Text(Render(plan, new KubernetesOptions { CompatibilityVersion = "2025.3.0" }), KubernetesRenderer.ClusterFile));
            Assert.Equal(image, Scalar(cluster, "spec", "topology", "data", "image"));
            Assert.Equal(image, Scalar(cluster, "spec", "topology", "compute", "image"));
            Assert.Equal(2, ((YamlMappingNode)At(cluster, "spec", "topology")).Children.Count);
        }

        [Fact]
        public void A_control_character_in_a_value_is_refused()
        {
            var error = Assert.Throws<IrisOpsException>(() => KubernetesYaml.Scalar("a\u0085b"));
            Assert.Equal("KubernetesValueHasControlCharacter", error.ErrorId);
            Assert.DoesNotContain("a\u0085b", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Key_material_is_only_in_the_secret_files()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            var manifests = Render(plan);
            NodeCertificate data = plan.Certificates.Nodes.Single(n => n.Role == EcpRole.Data);

            Assert.Equal(File.ReadAllBytes(folder.Combine("iris.key")), SecretValue(manifests, KubernetesRenderer.LicenseSecretFile, "iris.key"));
            foreach (string file in new[] { KubernetesRenderer.EcpTlsSecretFile, KubernetesRenderer.SuperserverTlsSecretFile })
            {
                Assert.Equal(File.ReadAllBytes(data.CertificatePath), SecretValue(manifests, file, "tls.crt"));
                Assert.Equal(File.ReadAllBytes(data.KeyPath), SecretValue(manifests, file, "tls.key"));
                Assert.Equal(File.ReadAllBytes(plan.Certificates.AuthorityCertificatePath), SecretValue(manifests, file, "ca.pem"));
            }

            Assert.Equal(new[] { true, true, true, false, false, false }, manifests.Select(m => m.HoldsKeyMaterial));
            string key = Convert.ToBase64String(File.ReadAllBytes(data.KeyPath));
            string license = Convert.ToBase64String(File.ReadAllBytes(folder.Combine("iris.key")));
            foreach (KubernetesManifest manifest in manifests.Where(m => !m.HoldsKeyMaterial))
            {
                Assert.DoesNotContain(key, manifest.Text, StringComparison.Ordinal);
                Assert.DoesNotContain(license, manifest.Text, StringComparison.Ordinal);
                Assert.DoesNotContain("FileType=License", manifest.Text, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void The_config_map_leaves_out_what_the_operator_configures_and_warns_about_it()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            var reporter = new RecordingReporter();
            YamlMappingNode map = Load(Text(Render(plan, reporter: reporter), KubernetesRenderer.ConfigMapFile));
            string data = Scalar(map, "data", "data.cpf");
            string compute = Scalar(map, "data", "compute.cpf");
            string common = Scalar(map, "data", "common.cpf");

            foreach (string generated in new[] { "CreateSSLConfig", "ModifyServer", "SSLECPServer", "%Service_ECP", "CreateECPServer", "AddAuthorizedCN", "MaxServerConn", "MaxServers" })
            {
                Assert.DoesNotContain(generated, data + compute + common, StringComparison.Ordinal);
            }

            Assert.Contains("CreateDatabase:Name=APPDATA", data, StringComparison.Ordinal);
            Assert.Contains("CreateMapGlobal:Namespace=APP,Name=demo.*,Database=APPDATA", compute, StringComparison.Ordinal);
            Assert.Contains("CreateNamespace:Name=APP", compute, StringComparison.Ordinal);
            Assert.StartsWith("# Written by IrisOps for ECP cluster kube", common, StringComparison.Ordinal);

            Assert.Contains(reporter.Warnings, w => w.StartsWith("data.cpf leaves out", StringComparison.Ordinal) && w.Contains("ModifyService:Name=%Service_ECP", StringComparison.Ordinal) && w.Contains("[config] MaxServerConn", StringComparison.Ordinal));
            Assert.Single(reporter.Warnings, w => w.StartsWith("compute.cpf leaves out", StringComparison.Ordinal) && w.Contains("CreateECPServer", StringComparison.Ordinal));
            Assert.Contains(reporter.Warnings, w => w.StartsWith("data.cpf leaves out", StringComparison.Ordinal) && w.Contains("Execute:SYS.ECP.AddAuthorizedCN", StringComparison.Ordinal));
            Assert.Single(reporter.Warnings, w => w.Contains("storageDB", StringComparison.Ordinal) && w.Contains(EcpMergeFiles.DatabaseDirectory("appdata"), StringComparison.Ordinal));
            Assert.Single(reporter.Warnings, w => w.Contains("ECP data server 'kube-data'", StringComparison.Ordinal));
            Assert.Equal(4, reporter.Warnings.Count);
        }

        [Fact]
        public void The_config_files_go_through_the_cpf_model()
        {
            using var folder = new TempFolder();
            YamlMappingNode map = Load(Text(Render(Plan(folder)), KubernetesRenderer.ConfigMapFile));
            foreach (string file in new[] { "common.cpf", "compute.cpf", "data.cpf" })
            {
                string text = Scalar(map, "data", file);
                Assert.Equal(text, IrisOps.Core.Cpf.CpfWriter.Write(IrisOps.Core.Cpf.CpfParser.Parse(text, file)));
            }
        }

        [Fact]
        public void Kustomization_lists_every_other_file()
        {
            using var folder = new TempFolder();
            YamlMappingNode kustomization = Load(Text(Render(Plan(folder)), KubernetesRenderer.KustomizationFile));
            var resources = ((YamlSequenceNode)At(kustomization, "resources")).Children.Select(n => ((YamlScalarNode)n).Value).ToList();
            Assert.Equal(KubernetesRenderer.FileNames.Where(f => f != KubernetesRenderer.KustomizationFile), resources);
        }
    }
}
