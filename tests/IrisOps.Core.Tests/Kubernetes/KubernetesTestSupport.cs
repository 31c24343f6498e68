using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Common;
using IrisOps.Core.Ecp;
using IrisOps.Core.Kubernetes;
using IrisOps.Tests.Ecp;
using YamlDotNet.RepresentationModel;

namespace IrisOps.Tests.Kubernetes
{
    /// <summary>Plans with a given certificate set (placeholder keys, no generation) and the rendered files as YAML.</summary>
    internal static class KubernetesTestSupport
    {
        public const string Image = "containers.intersystems.com/intersystems/iris:2025.3";

        public static DeploymentPlan Plan(TempFolder folder, Action<EcpClusterSpec>? change = null, string name = "kube")
        {
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, name, 2);
            spec.Image = Image;
            spec.GlobalMappings = new[] { "demo.*" };
            spec.Database = "appdata";
            spec.Namespace = "APP";
            spec.CertificateSet = EcpTestSupport.CertificateSet(folder, name + "-data", name + "-app-1", name + "-app-2");
            change?.Invoke(spec);
            return EcpClusterPlanner.Plan(spec);
        }

        public static IReadOnlyList<KubernetesManifest> Render(DeploymentPlan plan, KubernetesOptions? options = null, IOperationReporter? reporter = null) =>
            KubernetesRenderer.Render(plan, options ?? new KubernetesOptions(), File.ReadAllBytes, reporter ?? NullOperationReporter.Instance);

        public static string Text(IReadOnlyList<KubernetesManifest> manifests, string fileName) => manifests.Single(m => m.FileName == fileName).Text;

        public static YamlMappingNode Load(string yaml)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return (YamlMappingNode)stream.Documents.Single().RootNode;
        }

        public static YamlNode At(YamlNode node, params string[] keys)
        {
            foreach (string key in keys)
            {
                node = ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
            }

            return node;
        }

        public static string Scalar(YamlNode node, params string[] keys) => ((YamlScalarNode)At(node, keys)).Value!;

        /// <summary>The decoded value of one key of a rendered Secret.</summary>
        public static byte[] SecretValue(IReadOnlyList<KubernetesManifest> manifests, string fileName, string key) =>
            Convert.FromBase64String(Scalar(Load(Text(manifests, fileName)), "data", key));
    }
}
