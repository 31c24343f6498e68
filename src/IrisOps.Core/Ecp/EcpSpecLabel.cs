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

        public string ToJson() => JsonSerializer.Serialize(this);

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
