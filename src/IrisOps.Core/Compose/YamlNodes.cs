using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IrisOps.Core.Compose
{
    /// <summary>
    /// The YAML building blocks of the compose and stack files: every scalar goes through YamlDotNet's emitter,
    /// which quotes what would otherwise change meaning, and is checked for control characters first, so no
    /// input can add a key or a line to the file.
    /// </summary>
    internal static class YamlNodes
    {
        /// <summary>The document in block style with "\n" line ends, without YamlDotNet's closing "...".</summary>
        public static string Save(YamlNode root)
        {
            var stream = new YamlStream(new YamlDocument(root));
            using (var writer = new StringWriter())
            {
                writer.NewLine = "\n";
                stream.Save(writer, assignAnchors: false);
                string text = writer.ToString();

                // YamlDotNet ends a document with "...": harmless, but not what people expect in a compose file.
                return text.EndsWith("...\n", StringComparison.Ordinal) ? text.Substring(0, text.Length - 4) : text;
            }
        }

        public static YamlMappingNode Labels(IReadOnlyDictionary<string, string> labels)
        {
            var node = new YamlMappingNode();
            foreach (KeyValuePair<string, string> label in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                node.Add(label.Key, Scalar(label.Value, ScalarStyle.DoubleQuoted));
            }

            return node;
        }

        // Quoted, so no item can be read as a number, a boolean or YAML 1.1's base-60 "51773:51773".
        public static YamlSequenceNode Sequence(IEnumerable<string> items) =>
            new YamlSequenceNode(items.Select(i => (YamlNode)Scalar(i, ScalarStyle.DoubleQuoted)));

        public static YamlScalarNode Scalar(string value, ScalarStyle style = ScalarStyle.Any)
        {
            foreach (char c in value)
            {
                if (char.IsControl(c))
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, "ComposeValueHasControlCharacter",
                        "A value for the compose file contains a line break or another control character; it was refused so it cannot add lines to the file.", value);
                }
            }

            return new YamlScalarNode(value) { Style = style };
        }
    }
}
