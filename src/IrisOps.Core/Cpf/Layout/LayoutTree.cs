using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using IrisOps.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IrisOps.Core.Cpf.Layout
{
    /// <summary>
    /// The neutral shape a layout is read into, whatever it came from (YAML, JSON, a PowerShell hashtable):
    /// maps, lists and scalars that know where they were defined, so every error can say "file line N (path)".
    /// </summary>
    internal abstract class LayoutNode
    {
        protected LayoutNode(string source, string path, int? line)
        {
            Source = source;
            Path = path;
            Line = line;
        }

        public string Source { get; }

        /// <summary>e.g. databases[1].role; empty for the root.</summary>
        public string Path { get; }

        public int? Line { get; }

        public string Where
        {
            get
            {
                string place = Line.HasValue ? $"{Source} line {Line}" : Source;
                return Path.Length == 0 ? place : $"{place} ({Path})";
            }
        }

        public abstract string Kind { get; }

        public static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;
    }

    internal sealed class LayoutMap : LayoutNode
    {
        public LayoutMap(string source, string path, int? line)
            : base(source, path, line)
        {
        }

        public List<KeyValuePair<string, LayoutNode>> Entries { get; } = new List<KeyValuePair<string, LayoutNode>>();

        /// <summary>The line of each key, when the source has lines: a mistake in a key is reported there.</summary>
        public Dictionary<string, int?> KeyLines { get; } = new Dictionary<string, int?>(StringComparer.OrdinalIgnoreCase);

        public override string Kind => "a map of keys and values";

        /// <summary>Where a key of this map is, e.g. "layout.yml line 4 (databases[0].directry)".</summary>
        public string WhereKey(string key)
        {
            int? line = KeyLines.TryGetValue(key, out int? known) ? known : Line;
            string place = line.HasValue ? $"{Source} line {line}" : Source;
            return $"{place} ({Child(Path, key)})";
        }
    }

    internal sealed class LayoutList : LayoutNode
    {
        public LayoutList(string source, string path, int? line)
            : base(source, path, line)
        {
        }

        public List<LayoutNode> Items { get; } = new List<LayoutNode>();

        public override string Kind => "a list";
    }

    internal sealed class LayoutScalar : LayoutNode
    {
        public LayoutScalar(string source, string path, int? line, string? text, bool? boolean)
            : base(source, path, line)
        {
            Text = text;
            Boolean = boolean;
        }

        /// <summary>The value as text; null for YAML null / ~ / an empty value, or a PowerShell $null.</summary>
        public string? Text { get; }

        /// <summary>Set when the source had a real boolean (YAML plain true/false, PowerShell $true/$false).</summary>
        public bool? Boolean { get; }

        public override string Kind => "a single value";
    }

    internal static class LayoutTree
    {
        private const int MaximumDepth = 32;

        public static LayoutNode FromYaml(string text, string source)
        {
            var stream = new YamlStream();
            try
            {
                stream.Load(new StringReader(text));
            }
            catch (YamlException ex)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, LayoutReader.InvalidLayoutId,
                    $"{source} line {ex.Start.Line}: {ex.Message.Trim().TrimEnd('.')}. Check the indentation and quoting near that line.", source, ex);
            }

            if (stream.Documents.Count == 0)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, LayoutReader.InvalidLayoutId, $"{source} is empty; a layout needs at least databases or namespaces.", source);
            }

            if (stream.Documents.Count > 1)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, LayoutReader.InvalidLayoutId,
                    $"{source} line {stream.Documents[1].RootNode.Start.Line}: the file holds several YAML documents ('---'); a layout is one document.", source);
            }

            return Convert(stream.Documents[0].RootNode, source, string.Empty, 0);
        }

        /// <summary>From plain .NET values: dictionaries, lists, strings, numbers, booleans (what a hashtable becomes).</summary>
        public static LayoutNode FromObject(object? value, string source) => Convert(value, source, string.Empty, 0);

        private static LayoutNode Convert(YamlNode node, string source, string path, int depth)
        {
            CheckDepth(depth, source, path, (int)node.Start.Line);
            int line = (int)node.Start.Line;
            switch (node)
            {
                case YamlMappingNode mapping:
                    var map = new LayoutMap(source, path, line);
                    foreach (KeyValuePair<YamlNode, YamlNode> pair in mapping.Children)
                    {
                        if (!(pair.Key is YamlScalarNode key) || key.Value == null)
                        {
                            throw Error(map, $"line {pair.Key.Start.Line} has a key that is not a plain name.");
                        }

                        AddUnique(map, key.Value, Convert(pair.Value, source, LayoutNode.Child(path, key.Value), depth + 1), (int)pair.Key.Start.Line);
                    }

                    return map;
                case YamlSequenceNode sequence:
                    var list = new LayoutList(source, path, line);
                    int index = 0;
                    foreach (YamlNode item in sequence.Children)
                    {
                        list.Items.Add(Convert(item, source, $"{path}[{index++}]", depth + 1));
                    }

                    return list;
                case YamlScalarNode scalar:
                    bool plain = scalar.Style == ScalarStyle.Plain || scalar.Style == ScalarStyle.Any;
                    string? text = scalar.Value;
                    if (plain && (text == null || text.Length == 0 || text == "~" || string.Equals(text, "null", StringComparison.OrdinalIgnoreCase)))
                    {
                        return new LayoutScalar(source, path, line, null, null);
                    }

                    bool? boolean = plain && string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) ? true
                        : plain && string.Equals(text, "false", StringComparison.OrdinalIgnoreCase) ? false
                        : (bool?)null;
                    return new LayoutScalar(source, path, line, text, boolean);
                default:
                    throw new IrisOpsException(IrisErrorKind.InvalidData, LayoutReader.InvalidLayoutId,
                        $"{source} line {line}: unsupported YAML node; use maps, lists and plain values.", source);
            }
        }

        private static LayoutNode Convert(object? value, string source, string path, int depth)
        {
            CheckDepth(depth, source, path, null);
            switch (value)
            {
                case null:
                    return new LayoutScalar(source, path, null, null, null);
                case string text:
                    return new LayoutScalar(source, path, null, text, null);
                case bool flag:
                    return new LayoutScalar(source, path, null, flag ? "true" : "false", flag);
                case IDictionary dictionary:
                    var map = new LayoutMap(source, path, null);
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        string key = System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                        AddUnique(map, key, Convert(entry.Value, source, LayoutNode.Child(path, key), depth + 1), null);
                    }

                    return map;
                case IEnumerable items:
                    var list = new LayoutList(source, path, null);
                    int index = 0;
                    foreach (object? item in items)
                    {
                        list.Items.Add(Convert(item, source, $"{path}[{index++}]", depth + 1));
                    }

                    return list;
                case IFormattable formattable when !(value is DateTime) && !(value is DateTimeOffset):
                    return new LayoutScalar(source, path, null, formattable.ToString(null, CultureInfo.InvariantCulture), null);
                case char c:
                    return new LayoutScalar(source, path, null, c.ToString(), null);
                default:
                    throw new IrisOpsException(IrisErrorKind.InvalidData, LayoutReader.InvalidLayoutId,
                        $"{source} ({path}): a value of type {value.GetType().FullName} is not supported; use hashtables, arrays, strings, numbers and booleans.", source);
            }
        }

        private static void AddUnique(LayoutMap map, string key, LayoutNode value, int? line)
        {
            if (map.Entries.Any(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)))
            {
                string place = line.HasValue ? $"{map.Source} line {line}" : map.Source;
                throw new IrisOpsException(IrisErrorKind.InvalidData, LayoutReader.InvalidLayoutId,
                    $"{place} ({LayoutNode.Child(map.Path, key)}): '{key}' is given twice; keep one.", map.Source);
            }

            map.Entries.Add(new KeyValuePair<string, LayoutNode>(key, value));
            map.KeyLines[key] = line;
        }

        private static void CheckDepth(int depth, string source, string path, int? line)
        {
            if (depth > MaximumDepth)
            {
                string place = line.HasValue ? $"{source} line {line}" : source;
                throw new IrisOpsException(IrisErrorKind.InvalidData, LayoutReader.InvalidLayoutId,
                    $"{place} ({path}): the layout is nested deeper than {MaximumDepth} levels; is an alias referring to itself?", source);
            }
        }

        private static IrisOpsException Error(LayoutNode node, string problem) =>
            new IrisOpsException(IrisErrorKind.InvalidData, LayoutReader.InvalidLayoutId, $"{node.Where}: {problem}", node.Source);
    }
}
