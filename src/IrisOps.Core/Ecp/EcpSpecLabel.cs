using System.Text.RegularExpressions;

namespace IrisOps.Core.Ecp
{
    /// <summary>The few fields of the irisops.spec label that Get needs back (the label is written by the planner).</summary>
    internal sealed class EcpSpecLabel
    {
        public string Database { get; private set; } = EcpClusterSpec.DefaultDatabase;

        public string Namespace { get; private set; } = EcpClusterSpec.DefaultNamespace;

        public string ClusterFolder { get; private set; } = string.Empty;

        public static EcpSpecLabel Parse(string? json)
        {
            var label = new EcpSpecLabel();
            if (string.IsNullOrEmpty(json))
            {
                return label;
            }

            label.Database = Field(json!, "database") ?? label.Database;
            label.Namespace = Field(json!, "namespace") ?? label.Namespace;
            label.ClusterFolder = Field(json!, "clusterFolder") ?? label.ClusterFolder;
            return label;
        }

        private static string? Field(string json, string name)
        {
            Match match = Regex.Match(json, "\"" + name + "\":\"((?:[^\"\\\\]|\\\\.)*)\"");
            return match.Success ? Regex.Unescape(match.Groups[1].Value) : null;
        }
    }
}
