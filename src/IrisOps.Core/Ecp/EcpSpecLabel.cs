using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// The irisops.spec label: the cluster's arguments as JSON, written by the planner and read back by
    /// Get-IrisEcpCluster. Its hash tells whether a re-run asks for the same cluster. The image is left out on
    /// purpose: Update-IrisApplicationImage changes it, and the cluster is still the same cluster.
    /// </summary>
    internal sealed class EcpSpecLabel
    {
        [JsonPropertyName("name")]
        public string? Name { get; set; }

        [JsonPropertyName("applicationServers")]
        public int ApplicationServers { get; set; }

        [JsonPropertyName("hosts")]
        public string[]? Hosts { get; set; }

        [JsonPropertyName("database")]
        public string Database { get; set; } = EcpClusterSpec.DefaultDatabase;

        [JsonPropertyName("namespace")]
        public string Namespace { get; set; } = EcpClusterSpec.DefaultNamespace;

        [JsonPropertyName("globalMappings")]
        public string[]? GlobalMappings { get; set; }

        [JsonPropertyName("subnet")]
        public string? Subnet { get; set; }

        [JsonPropertyName("durablePath")]
        public string? DurablePath { get; set; }

        [JsonPropertyName("publishPort")]
        public int? PublishPort { get; set; }

        [JsonPropertyName("license")]
        public string? License { get; set; }

        [JsonPropertyName("clusterFolder")]
        public string ClusterFolder { get; set; } = string.Empty;

        [JsonPropertyName("authority")]
        public string? Authority { get; set; }

        [JsonPropertyName("stopTimeout")]
        public int StopTimeout { get; set; }

        /// <summary>"swarm" for a cluster shaped for Swarm; left out otherwise, so existing clusters keep their hash.</summary>
        [JsonPropertyName("orchestrator")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Orchestrator { get; set; }

        public string ToJson() => JsonSerializer.Serialize(this);

        /// <summary>
        /// Each argument that differs between the cluster as it exists (this) and as asked for, named as the
        /// parameter of New-IrisEcpCluster with both values: "-Database: exists with 'a', asked for 'b'".
        /// </summary>
        public IReadOnlyList<string> DifferencesFrom(EcpSpecLabel asked)
        {
            var differences = new List<string>();
            void Compare(string parameter, object? exists, object? wanted)
            {
                string a = Show(exists);
                string b = Show(wanted);
                if (!string.Equals(a, b, StringComparison.Ordinal))
                {
                    differences.Add($"{parameter}: exists with {a}, asked for {b}");
                }
            }

            Compare("-ApplicationServerCount", ApplicationServers, asked.ApplicationServers);
            Compare("host names (-CertificateSet)", Hosts, asked.Hosts);
            Compare("-CertificateSet (its CA)", Authority, asked.Authority);
            Compare("-Database", Database, asked.Database);
            Compare("-Namespace", Namespace, asked.Namespace);
            Compare("-GlobalMapping", GlobalMappings, asked.GlobalMappings);
            Compare("-Subnet", Subnet, asked.Subnet);
            Compare("-DurablePath", DurablePath, asked.DurablePath);
            Compare("-PublishPort", PublishPort, asked.PublishPort);
            Compare("-LicenseKeyPath", License, asked.License);
            Compare("-ClusterPath", ClusterFolder, asked.ClusterFolder);
            Compare("-StopTimeout", StopTimeout, asked.StopTimeout);
            return differences;
        }

        private static string Show(object? value) => value switch
        {
            null => "none",
            string[] list => list.Length == 0 ? "none" : "'" + string.Join(", ", list) + "'",
            string text => text.Length == 0 ? "none" : "'" + text + "'",
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "none",
        };

        /// <summary>The label's fields; defaults for a missing, foreign or damaged label.</summary>
        public static EcpSpecLabel Parse(string? json)
        {
            if (string.IsNullOrEmpty(json))
            {
                return new EcpSpecLabel();
            }

            try
            {
                return JsonSerializer.Deserialize<EcpSpecLabel>(json!) ?? new EcpSpecLabel();
            }
            catch (JsonException)
            {
                return new EcpSpecLabel();
            }
        }
    }
}
