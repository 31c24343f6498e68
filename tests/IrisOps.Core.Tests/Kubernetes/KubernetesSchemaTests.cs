using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using IrisOps.Core.Ecp;
using IrisOps.Core.Kubernetes;
using Json.Schema;
using Xunit;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static IrisOps.Tests.Kubernetes.KubernetesTestSupport;

namespace IrisOps.Tests.Kubernetes
{
    /// <summary>
    /// The rendered files against tests/schemas: the IrisCluster schema this project wrote from the operator's
    /// documentation and sample (not authoritative, see its $comment), and the published schemas of ConfigMap,
    /// Secret and kustomization.yaml.
    /// </summary>
    public class KubernetesSchemaTests
    {
        private static readonly Dictionary<string, string> SchemaOf = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KubernetesRenderer.ClusterFile] = "iriscluster.schema.json",
            [KubernetesRenderer.ConfigMapFile] = "configmap-v1.json",
            [KubernetesRenderer.LicenseSecretFile] = "secret-v1.json",
            [KubernetesRenderer.EcpTlsSecretFile] = "secret-v1.json",
            [KubernetesRenderer.SuperserverTlsSecretFile] = "secret-v1.json",
            [KubernetesRenderer.KustomizationFile] = "kustomization.json",
        };

        public static IEnumerable<object[]> Cases() =>
            new[]
            {
                new object[] { "defaults", new KubernetesOptions() },
                new object[] { "storage class and size", new KubernetesOptions { StorageClass = "fast-ssd.example.com", DataStorageSize = "500Mi" } },
                new object[] { "version given", new KubernetesOptions { CompatibilityVersion = "2024.1.2" } },
            };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Every_file_is_valid_against_its_schema(string label, KubernetesOptions options)
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            foreach (KubernetesManifest manifest in Render(plan, options))
            {
                EvaluationResults result = Schema(SchemaOf[manifest.FileName]).Evaluate(ToJson(Load(manifest.Text)), new EvaluationOptions { OutputFormat = OutputFormat.List });
                Assert.True(result.IsValid, label + ": " + manifest.FileName + " " + Errors(result));
            }
        }

        [Theory]
        [InlineData("spec.topology.data.compatibilityVersion", "2025.3")]
        [InlineData("spec.topology.compute.replicas", "two")]
        [InlineData("spec.topology.data.storageDB.size", "10Gi")]
        [InlineData("spec.licenseKey", "x")]
        [InlineData("kind", "IrisClusters")]
        public void The_iris_cluster_schema_catches_what_the_documentation_does_not_allow(string path, string value)
        {
            using var folder = new TempFolder();
            JsonNode cluster = ToJson(Load(Text(Render(Plan(folder)), KubernetesRenderer.ClusterFile)))!;
            Assert.True(Schema("iriscluster.schema.json").Evaluate(cluster).IsValid);

            string[] keys = path.Split('.');
            JsonObject parent = keys.Take(keys.Length - 1).Aggregate((JsonObject)cluster, (node, key) => (JsonObject)node[key]!);
            parent[keys[keys.Length - 1]] = JsonValue.Create(value);
            Assert.False(Schema("iriscluster.schema.json").Evaluate(cluster).IsValid, path);
        }

        [Fact]
        public void The_secret_schema_rejects_a_misspelled_field()
        {
            using var folder = new TempFolder();
            JsonObject secret = (JsonObject)ToJson(Load(Text(Render(Plan(folder)), KubernetesRenderer.LicenseSecretFile)))!;
            secret["stringdata"] = new JsonObject();
            Assert.False(Schema("secret-v1.json").Evaluate(secret).IsValid);
        }

        private static JsonSchema Schema(string file)
        {
            // The vendored files declare draft-04 or an unversioned $schema; the keywords they use mean the same in
            // draft 7, which the validator evaluates them as.
            JsonObject schema = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schemas", file)))!;
            schema.Remove("$schema");
            schema.Remove("id");
            schema["$schema"] = "http://json-schema.org/draft-07/schema#";
            return JsonSchema.FromText(schema.ToJsonString());
        }

        private static string Errors(EvaluationResults result) =>
            string.Join("; ", result.Details.Where(d => d.Errors != null).SelectMany(d => d.Errors!.Select(e => d.InstanceLocation + ": " + e.Value)));

        /// <summary>YAML as the API server reads it: plain true/false and integers typed, everything else a string.</summary>
        private static JsonNode? ToJson(YamlNode node)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    var obj = new JsonObject();
                    foreach (KeyValuePair<YamlNode, YamlNode> child in mapping.Children)
                    {
                        obj[((YamlScalarNode)child.Key).Value!] = ToJson(child.Value);
                    }

                    return obj;
                case YamlSequenceNode sequence:
                    var array = new JsonArray();
                    foreach (YamlNode child in sequence.Children)
                    {
                        array.Add(ToJson(child));
                    }

                    return array;
                default:
                    var scalar = (YamlScalarNode)node;
                    if (scalar.Style == ScalarStyle.Plain && long.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long number))
                    {
                        return JsonValue.Create(number);
                    }

                    if (scalar.Style == ScalarStyle.Plain && (scalar.Value == "true" || scalar.Value == "false"))
                    {
                        return JsonValue.Create(scalar.Value == "true");
                    }

                    return JsonValue.Create(scalar.Value);
            }
        }
    }
}
