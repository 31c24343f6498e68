using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IrisOps.Core.Kubernetes
{
    /// <summary>
    /// YAML for the Kubernetes output: every scalar goes through YamlDotNet's emitter, which quotes what would
    /// otherwise change meaning, and single-line values are checked for control characters first, so no input can
    /// add a key, a document or a line. Same nodes, same bytes: no timestamps, keys in the order given.
    /// </summary>
    internal static class KubernetesYaml
    {
        public const string Header = "# Written by IrisOps New-IrisEcpCluster -Format Kubernetes.";

        public static string Save(YamlMappingNode root)
        {
            var stream = new YamlStream(new YamlDocument(root));
            using (var writer = new StringWriter())
            {
                writer.NewLine = "\n";
                stream.Save(writer, assignAnchors: false);
                string text = writer.ToString();
                if (text.EndsWith("...\n", StringComparison.Ordinal))
                {
                    text = text.Substring(0, text.Length - 4);
                }

                return Header + "\n" + text;
            }
        }

        public static YamlScalarNode Scalar(string value, ScalarStyle style = ScalarStyle.Any)
        {
            if (value.Any(char.IsControl))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "KubernetesValueHasControlCharacter",
                    "A value for the Kubernetes files contains a line break or another control character; it was refused so it cannot add lines to the files.", value);
            }

            return new YamlScalarNode(value) { Style = style };
        }

        /// <summary>A quoted string, so a version such as 2025.3 or a count is never read as a number.</summary>
        public static YamlScalarNode Quoted(string value) => Scalar(value, ScalarStyle.DoubleQuoted);

        /// <summary>Multi-line text (a merge file): a literal block, whose lines the CPF writer has already checked.</summary>
        public static YamlScalarNode Block(string text) => new YamlScalarNode(text) { Style = ScalarStyle.Literal };

        public static YamlMappingNode Metadata(string name, IReadOnlyDictionary<string, string> labels)
        {
            var labelNode = new YamlMappingNode();
            foreach (KeyValuePair<string, string> label in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                labelNode.Add(label.Key, Quoted(label.Value));
            }

            return new YamlMappingNode { { "name", Scalar(name) }, { "labels", labelNode } };
        }
    }
}
