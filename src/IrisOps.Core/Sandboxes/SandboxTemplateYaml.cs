using System.Collections.Specialized;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IrisOps.Core.Sandboxes
{
    /// <summary>A YAML template: one document, one map of plain values (a plain true/false is a boolean).</summary>
    internal static class SandboxTemplateYaml
    {
        public static OrderedDictionary Parse(string text, string source)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException ex)
            {
                throw SandboxTemplate.Invalid(source, $"line {ex.Start.Line}: {ex.Message.Trim().TrimEnd('.')}. Check the indentation and quoting near that line.");
            }

            if (stream.Documents.Count != 1 || !(stream.Documents[0].RootNode is YamlMappingNode map))
            {
                throw SandboxTemplate.Invalid(source, "a template is one YAML document holding a map of keys and values (image: ..., lifetime: ...).");
            }

            var values = new OrderedDictionary(System.StringComparer.OrdinalIgnoreCase);
            foreach (var pair in map.Children)
            {
                if (!(pair.Key is YamlScalarNode key) || !(pair.Value is YamlScalarNode value) || key.Value == null)
                {
                    throw SandboxTemplate.Invalid(source, $"line {pair.Key.Start.Line}: every entry must be 'key: value' with a single value.");
                }

                if (values.Contains(key.Value))
                {
                    throw SandboxTemplate.Invalid(source, $"line {pair.Key.Start.Line}: '{key.Value}' is given twice; keep one.");
                }

                bool plain = value.Style == ScalarStyle.Plain || value.Style == ScalarStyle.Any;
                string? scalar = value.Value;
                object? parsed = plain && (string.IsNullOrEmpty(scalar) || scalar == "~" || scalar == "null") ? null
                    : plain && string.Equals(scalar, "true", System.StringComparison.OrdinalIgnoreCase) ? true
                    : plain && string.Equals(scalar, "false", System.StringComparison.OrdinalIgnoreCase) ? (object)false
                    : scalar;
                values.Add(key.Value, parsed);
            }

            return values;
        }
    }
}
