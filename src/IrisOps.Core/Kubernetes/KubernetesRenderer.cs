using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Common;
using IrisOps.Core.Ecp;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IrisOps.Core.Kubernetes
{
    /// <summary>
    /// Renders a deployment plan for the InterSystems Kubernetes Operator (Using the InterSystems Kubernetes
    /// Operator): an IrisCluster (intersystems.com/v1alpha1) whose data node is the plan's data server and whose
    /// compute nodes are its application servers, the ConfigMap of its configSource, Secrets for the license and
    /// for the TLS of ECP and the superserver, and a kustomization.yaml that applies them together
    /// (kubectl apply -k). The operator itself, and the Kubernetes cluster, are not created here.
    /// </summary>
    public static class KubernetesRenderer
    {
        public const string ApiVersion = "intersystems.com/v1alpha1";
        public const string ClusterFile = "iriscluster.yaml";
        public const string ConfigMapFile = "configmap.yaml";
        public const string LicenseSecretFile = "license-secret.yaml";
        public const string EcpTlsSecretFile = "ecp-tls-secret.yaml";
        public const string SuperserverTlsSecretFile = "superserver-tls-secret.yaml";
        public const string KustomizationFile = "kustomization.yaml";

        /// <summary>The key of the license Secret: the file name IRIS reads the license from, iris.key.</summary>
        public const string LicenseKey = "iris.key";

        /// <summary>
        /// The keys of a TLS Secret. The operator mounts the secret named in spec.tls on the nodes; IrisOps writes the
        /// node certificate, its key and the CA as tls.crt, tls.key and ca.pem (as the Kubernetes TLS Secret
        /// convention names certificate and key), in an Opaque Secret so the CA can sit beside them.
        /// </summary>
        public static readonly IReadOnlyList<string> TlsKeys = new[] { "tls.crt", "tls.key", "ca.pem" };

        /// <summary>Every file, in the order kustomization.yaml lists them (kustomization.yaml last).</summary>
        public static IReadOnlyList<string> FileNames { get; } = new[] { LicenseSecretFile, EcpTlsSecretFile, SuperserverTlsSecretFile, ConfigMapFile, ClusterFile, KustomizationFile };

        public static string ConfigMapName(DeploymentPlan plan) => plan.ClusterName + "-config";

        public static string LicenseSecretName(DeploymentPlan plan) => plan.ClusterName + "-license";

        public static string EcpTlsSecretName(DeploymentPlan plan) => plan.ClusterName + "-ecp-tls";

        public static string SuperserverTlsSecretName(DeploymentPlan plan) => plan.ClusterName + "-superserver-tls";

        /// <param name="readFile">Reads a host file of the plan (the license, certificates and keys).</param>
        public static IReadOnlyList<KubernetesManifest> Render(DeploymentPlan plan, KubernetesOptions options, Func<string, byte[]> readFile, IOperationReporter reporter)
        {
            options.Validate();
            ContainerPlan data = plan.Containers.Single(c => c.Role == EcpRole.Data);
            string compatibility = KubernetesCompatibility.Resolve(data.Image, options.CompatibilityVersion);
            NodeCertificate dataCertificate = plan.Certificates.Nodes.Single(n => n.Role == EcpRole.Data);
            PlannedFile license = plan.Files.Single(f => f.CopyFrom != null && System.IO.Path.GetFileName(f.Path) == LicenseKey);

            // spec.tls takes one secret per feature for every node, not one per node: the data server is the server
            // side of ECP and of the superserver, so its certificate and key fill both secrets, with the cluster's CA.
            byte[] ca = readFile(plan.Certificates.AuthorityCertificatePath);
            byte[] certificate = readFile(dataCertificate.CertificatePath);
            byte[] key = readFile(dataCertificate.KeyPath);
            var tls = new[] { certificate, key, ca };

            return new[]
            {
                new KubernetesManifest(LicenseSecretFile, Secret(plan, LicenseSecretName(plan), new[] { new KeyValuePair<string, byte[]>(LicenseKey, readFile(license.CopyFrom!)) }), true),
                new KubernetesManifest(EcpTlsSecretFile, Secret(plan, EcpTlsSecretName(plan), TlsKeys.Zip(tls, (k, v) => new KeyValuePair<string, byte[]>(k, v))), true),
                new KubernetesManifest(SuperserverTlsSecretFile, Secret(plan, SuperserverTlsSecretName(plan), TlsKeys.Zip(tls, (k, v) => new KeyValuePair<string, byte[]>(k, v))), true),
                new KubernetesManifest(ConfigMapFile, ConfigMap(plan, IkoConfigFiles.Render(plan, reporter)), false),
                new KubernetesManifest(ClusterFile, IrisCluster(plan, options, compatibility), false),
                new KubernetesManifest(KustomizationFile, Kustomization(), false),
            };
        }

        /// <summary>Labels on every object: the cluster's name, so kubectl get -l irisops.cluster=NAME finds them all.</summary>
        public static IReadOnlyDictionary<string, string> Labels(DeploymentPlan plan) => new Dictionary<string, string>
        {
            [ClusterLabels.Cluster] = plan.ClusterName,
            ["app.kubernetes.io/managed-by"] = "IrisOps",
        };

        private static string IrisCluster(DeploymentPlan plan, KubernetesOptions options, string compatibility)
        {
            ContainerPlan data = plan.Containers.Single(c => c.Role == EcpRole.Data);
            List<ContainerPlan> applications = plan.Containers.Where(c => c.Role == EcpRole.App).ToList();

            var storage = new YamlMappingNode
            {
                { "resources", new YamlMappingNode { { "requests", new YamlMappingNode { { "storage", KubernetesYaml.Quoted(options.DataStorageSize) } } } } },
            };
            if (options.StorageClass != null)
            {
                storage.Add("storageClassName", KubernetesYaml.Scalar(options.StorageClass));
            }

            var topology = new YamlMappingNode
            {
                {
                    "data", new YamlMappingNode
                    {
                        { "image", KubernetesYaml.Scalar(data.Image) },
                        { "compatibilityVersion", KubernetesYaml.Quoted(compatibility) },
                        { "storageDB", storage },
                    }
                },
            };
            if (applications.Count > 0)
            {
                topology.Add("compute", new YamlMappingNode
                {
                    { "image", KubernetesYaml.Scalar(applications[0].Image) },
                    { "replicas", KubernetesYaml.Scalar(applications.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), ScalarStyle.Plain) },
                    { "compatibilityVersion", KubernetesYaml.Quoted(compatibility) },
                });
            }

            var spec = new YamlMappingNode
            {
                { "licenseKeySecret", new YamlMappingNode { { "name", KubernetesYaml.Scalar(LicenseSecretName(plan)) } } },
                { "configSource", new YamlMappingNode { { "name", KubernetesYaml.Scalar(ConfigMapName(plan)) } } },
                {
                    "tls", new YamlMappingNode
                    {
                        { "ecp", SecretVolume(EcpTlsSecretName(plan)) },
                        { "superserver", SecretVolume(SuperserverTlsSecretName(plan)) },
                    }
                },
                { "topology", topology },
            };

            return KubernetesYaml.Save(new YamlMappingNode
            {
                { "apiVersion", KubernetesYaml.Scalar(ApiVersion) },
                { "kind", KubernetesYaml.Scalar("IrisCluster") },
                { "metadata", KubernetesYaml.Metadata(plan.ClusterName, Labels(plan)) },
                { "spec", spec },
            });
        }

        private static YamlMappingNode SecretVolume(string name) =>
            new YamlMappingNode { { "secret", new YamlMappingNode { { "secretName", KubernetesYaml.Scalar(name) } } } };

        private static string ConfigMap(DeploymentPlan plan, IReadOnlyList<KeyValuePair<string, string>> files)
        {
            var data = new YamlMappingNode();
            foreach (KeyValuePair<string, string> file in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                data.Add(file.Key, KubernetesYaml.Block(file.Value));
            }

            return KubernetesYaml.Save(new YamlMappingNode
            {
                { "apiVersion", KubernetesYaml.Scalar("v1") },
                { "kind", KubernetesYaml.Scalar("ConfigMap") },
                { "metadata", KubernetesYaml.Metadata(ConfigMapName(plan), Labels(plan)) },
                { "data", data },
            });
        }

        private static string Secret(DeploymentPlan plan, string name, IEnumerable<KeyValuePair<string, byte[]>> entries)
        {
            var data = new YamlMappingNode();
            foreach (KeyValuePair<string, byte[]> entry in entries)
            {
                data.Add(entry.Key, KubernetesYaml.Scalar(Convert.ToBase64String(entry.Value)));
            }

            return KubernetesYaml.Save(new YamlMappingNode
            {
                { "apiVersion", KubernetesYaml.Scalar("v1") },
                { "kind", KubernetesYaml.Scalar("Secret") },
                { "metadata", KubernetesYaml.Metadata(name, Labels(plan)) },
                { "type", KubernetesYaml.Scalar("Opaque") },
                { "data", data },
            });
        }

        private static string Kustomization()
        {
            var resources = new YamlSequenceNode(FileNames.Where(f => f != KustomizationFile).Select(f => (YamlNode)KubernetesYaml.Scalar(f)));
            return KubernetesYaml.Save(new YamlMappingNode
            {
                { "apiVersion", KubernetesYaml.Scalar("kustomize.config.k8s.io/v1beta1") },
                { "kind", KubernetesYaml.Scalar("Kustomization") },
                { "resources", resources },
            });
        }
    }
}
