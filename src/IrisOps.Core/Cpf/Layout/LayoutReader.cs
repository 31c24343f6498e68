using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Common;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Cpf.Layout
{
    /// <summary>
    /// Reads a layout from a YAML or JSON file, or from plain dictionaries and lists (what Export-IrisMergeCpf
    /// makes of a -Layout hashtable). Keys are case-insensitive; an unknown key is an error with a suggestion,
    /// because a misspelled key would otherwise silently drop part of the layout. The schema:
    /// <code>
    /// durableDirectory: /durable/iconfig          # optional: the ISC_DATA_DIRECTORY volume
    /// resources:  [ { name, publicPermission, description } ]
    /// databases:  [ { name, role: code|data|config|other, directory, resource, mountAtStartup, stage, properties: {} } ]
    /// namespaces: [ { name, globals, routines, tempGlobals, interoperability, configDatabase } ]
    /// mappings:   { globals: [ { namespace, name, database } ], routines: [...], packages: [...] }
    /// config:     { Key: Value }                  # [config]
    /// startup:    { Key: Value }                  # [Startup]
    /// sections:   { SectionName: { Key: Value } } # any other plain section, e.g. Journal
    /// actions:    [ { action, stage: build|runtime, properties: { Name: Value } } ]
    /// </code>
    /// </summary>
    public static class LayoutReader
    {
        public const string InvalidLayoutId = "InvalidLayout";

        private static readonly string[] TopKeys = { "durableDirectory", "resources", "databases", "namespaces", "mappings", "config", "startup", "sections", "actions" };
        private static readonly string[] ResourceKeys = { "name", "publicPermission", "description" };
        private static readonly string[] DatabaseKeys = { "name", "role", "directory", "resource", "mountAtStartup", "stage", "properties" };
        private static readonly string[] NamespaceKeys = { "name", "globals", "routines", "tempGlobals", "interoperability", "configDatabase" };
        private static readonly string[] MappingGroups = { "globals", "routines", "packages" };
        private static readonly string[] MappingKeys = { "namespace", "name", "database" };
        private static readonly string[] ActionKeys = { "action", "stage", "properties" };

        /// <summary>Reads a .yml, .yaml or .json file (JSON is read as the YAML subset it is).</summary>
        public static IrisLayout Load(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "LayoutFileNotFound", $"The layout file '{path}' does not exist.", path, ex);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new IrisOpsException(IrisErrorKind.ResourceUnavailable, "LayoutFileNotReadable", $"Cannot read the layout file '{path}': {ex.Message}", path, ex);
            }

            if (string.Equals(System.IO.Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase))
            {
                // JSON strings cannot hold a raw tab, so every tab is layout whitespace, which YAML does not accept for indentation.
                text = text.Replace('\t', ' ');
            }

            return Parse(text, path);
        }

        public static IrisLayout Parse(string text, string sourceName) => Read(LayoutTree.FromYaml(text, sourceName), sourceName);

        /// <summary>From IDictionary / IEnumerable / scalar values; <paramref name="sourceName"/> names it in messages.</summary>
        public static IrisLayout FromObject(object? tree, string sourceName = "-Layout") => Read(LayoutTree.FromObject(tree, sourceName), sourceName);

        private static IrisLayout Read(LayoutNode root, string sourceName)
        {
            LayoutMap top = AsMap(root);
            CheckKeys(top, TopKeys);
            var layout = new IrisLayout { SourceName = sourceName };
            layout.DurableDirectory = OptionalText(top, "durableDirectory");
            if (layout.DurableDirectory != null && !LayoutValidator.IsAbsolute(layout.DurableDirectory))
            {
                throw Error(Find(top, "durableDirectory")!, $"durableDirectory '{layout.DurableDirectory}' must be an absolute path, e.g. /durable/iconfig.");
            }

            foreach (LayoutMap item in ListOfMaps(top, "resources"))
            {
                CheckKeys(item, ResourceKeys);
                layout.Resources.Add(new LayoutResource
                {
                    Origin = item.Where,
                    Name = RequiredText(item, "name"),
                    PublicPermission = OptionalText(item, "publicPermission"),
                    Description = OptionalText(item, "description"),
                });
            }

            foreach (LayoutMap item in ListOfMaps(top, "databases"))
            {
                CheckKeys(item, DatabaseKeys);
                var database = new LayoutDatabase
                {
                    Origin = item.Where,
                    Name = RequiredText(item, "name"),
                    Role = ReadRole(item),
                    Directory = RequiredText(item, "directory"),
                    Resource = OptionalText(item, "resource"),
                    MountAtStartup = OptionalBoolean(item, "mountAtStartup") ?? true,
                    Stage = ReadStage(item),
                };
                foreach (KeyValuePair<string, string> property in ValueMap(item, "properties"))
                {
                    database.Properties.Add(new CpfProperty(property.Key, property.Value));
                }

                layout.Databases.Add(database);
            }

            foreach (LayoutMap item in ListOfMaps(top, "namespaces"))
            {
                CheckKeys(item, NamespaceKeys);
                layout.Namespaces.Add(new LayoutNamespace
                {
                    Origin = item.Where,
                    Name = RequiredText(item, "name"),
                    Globals = RequiredText(item, "globals"),
                    Routines = OptionalText(item, "routines"),
                    TempGlobals = OptionalText(item, "tempGlobals"),
                    Interoperability = OptionalBoolean(item, "interoperability"),
                    ConfigDatabase = OptionalText(item, "configDatabase"),
                });
            }

            if (Find(top, "mappings") is LayoutNode mappingsNode && !IsNull(mappingsNode))
            {
                LayoutMap mappings = AsMap(mappingsNode);
                CheckKeys(mappings, MappingGroups);
                foreach (string group in MappingGroups)
                {
                    MappingKind kind = group == "globals" ? MappingKind.Global : group == "routines" ? MappingKind.Routine : MappingKind.Package;
                    foreach (LayoutMap item in ListOfMaps(mappings, group))
                    {
                        CheckKeys(item, MappingKeys);
                        layout.Mappings.Add(new LayoutMapping
                        {
                            Origin = item.Where,
                            Kind = kind,
                            Namespace = RequiredText(item, "namespace"),
                            Name = RequiredText(item, "name"),
                            Database = RequiredText(item, "database"),
                        });
                    }
                }
            }

            AddSettings(layout, top, "startup", CpfSectionNames.Startup);
            AddSettings(layout, top, "config", CpfSectionNames.Config);
            if (Find(top, "sections") is LayoutNode sectionsNode && !IsNull(sectionsNode))
            {
                foreach (KeyValuePair<string, LayoutNode> section in AsMap(sectionsNode).Entries)
                {
                    LayoutMap values = AsMap(section.Value);
                    if (CpfSectionNames.IsActions(section.Key))
                    {
                        throw Error(values, "actions go in the layout's 'actions' list, not under 'sections'.");
                    }

                    foreach (KeyValuePair<string, LayoutNode> value in values.Entries)
                    {
                        layout.Settings.Add(new LayoutSetting { Origin = value.Value.Where, Section = section.Key, Name = value.Key, Value = SettingText(value.Value) });
                    }
                }
            }

            foreach (LayoutMap item in ListOfMaps(top, "actions"))
            {
                CheckKeys(item, ActionKeys);
                var action = new CpfAction(RequiredText(item, "action")) { Source = new CpfSource(item.Where) };
                foreach (KeyValuePair<string, string> property in ValueMap(item, "properties"))
                {
                    action.Properties.Add(property.Key, property.Value);
                }

                layout.Actions.Add(new LayoutAction(action) { Origin = item.Where, Stage = ReadStage(item) ?? LayoutStage.Runtime });
            }

            return layout;
        }

        private static void AddSettings(IrisLayout layout, LayoutMap top, string key, string section)
        {
            if (Find(top, key) is LayoutNode node && !IsNull(node))
            {
                foreach (KeyValuePair<string, LayoutNode> value in AsMap(node).Entries)
                {
                    layout.Settings.Add(new LayoutSetting { Origin = value.Value.Where, Section = section, Name = value.Key, Value = SettingText(value.Value) });
                }
            }
        }

        private static DatabaseRole ReadRole(LayoutMap item)
        {
            string role = RequiredText(item, "role");
            if (Enum.TryParse(role, ignoreCase: true, out DatabaseRole parsed) && Enum.IsDefined(typeof(DatabaseRole), parsed) && !role.All(char.IsDigit))
            {
                return parsed;
            }

            throw Error(Find(item, "role")!, $"'{role}' is not a database role; use code, data, config or other.");
        }

        private static LayoutStage? ReadStage(LayoutMap item)
        {
            string? stage = OptionalText(item, "stage");
            if (stage == null)
            {
                return null;
            }

            if (string.Equals(stage, "build", StringComparison.OrdinalIgnoreCase))
            {
                return LayoutStage.Build;
            }

            if (string.Equals(stage, "runtime", StringComparison.OrdinalIgnoreCase))
            {
                return LayoutStage.Runtime;
            }

            throw Error(Find(item, "stage")!, $"'{stage}' is not a stage; use build or runtime.");
        }

        /// <summary>A map of names to single values, e.g. a database's extra properties; values become CPF text.</summary>
        private static List<KeyValuePair<string, string>> ValueMap(LayoutMap item, string key)
        {
            var result = new List<KeyValuePair<string, string>>();
            if (Find(item, key) is LayoutNode node && !IsNull(node))
            {
                foreach (KeyValuePair<string, LayoutNode> entry in AsMap(node).Entries)
                {
                    result.Add(new KeyValuePair<string, string>(entry.Key, SettingText(entry.Value)));
                }
            }

            return result;
        }

        /// <summary>A CPF value: booleans are written 1/0 as IRIS expects; a null is refused rather than guessed.</summary>
        private static string SettingText(LayoutNode node)
        {
            if (node is LayoutScalar scalar)
            {
                if (scalar.Boolean.HasValue)
                {
                    return scalar.Boolean.Value ? "1" : "0";
                }

                if (scalar.Text != null)
                {
                    return scalar.Text;
                }

                throw Error(node, "has no value; give one, or \"\" for an empty string.");
            }

            throw Error(node, $"must be a single value, not {node.Kind}.");
        }

        private static IEnumerable<LayoutMap> ListOfMaps(LayoutMap parent, string key)
        {
            LayoutNode? node = Find(parent, key);
            if (node == null || IsNull(node))
            {
                return Enumerable.Empty<LayoutMap>();
            }

            if (!(node is LayoutList list))
            {
                throw Error(node, $"must be a list (one '- ' item per {key.TrimEnd('s')}), not {node.Kind}.");
            }

            return list.Items.Select(AsMap).ToList();
        }

        private static LayoutMap AsMap(LayoutNode node) =>
            node as LayoutMap ?? throw Error(node, $"must be a map of keys and values, not {node.Kind}.");

        private static LayoutNode? Find(LayoutMap map, string key) =>
            map.Entries.Where(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase)).Select(e => e.Value).FirstOrDefault();

        private static bool IsNull(LayoutNode node) => node is LayoutScalar scalar && scalar.Text == null;

        private static string RequiredText(LayoutMap map, string key)
        {
            string? text = OptionalText(map, key);
            if (string.IsNullOrEmpty(text))
            {
                throw Error(map, $"'{key}' is required.");
            }

            return text!;
        }

        private static string? OptionalText(LayoutMap map, string key)
        {
            LayoutNode? node = Find(map, key);
            if (node == null)
            {
                return null;
            }

            if (node is LayoutScalar scalar)
            {
                return scalar.Text;
            }

            throw Error(node, $"must be a single value, not {node.Kind}.");
        }

        private static bool? OptionalBoolean(LayoutMap map, string key)
        {
            LayoutNode? node = Find(map, key);
            if (node == null || IsNull(node))
            {
                return null;
            }

            if (node is LayoutScalar scalar)
            {
                if (scalar.Boolean.HasValue)
                {
                    return scalar.Boolean;
                }

                switch (scalar.Text!.ToLowerInvariant())
                {
                    case "true":
                    case "yes":
                    case "on":
                    case "1":
                        return true;
                    case "false":
                    case "no":
                    case "off":
                    case "0":
                        return false;
                }
            }

            throw Error(node, "must be true or false.");
        }

        private static void CheckKeys(LayoutMap map, string[] allowed)
        {
            foreach (KeyValuePair<string, LayoutNode> entry in map.Entries)
            {
                if (!allowed.Any(key => string.Equals(key, entry.Key, StringComparison.OrdinalIgnoreCase)))
                {
                    string? suggestion = Spelling.Suggest(entry.Key, allowed);
                    string hint = suggestion != null ? $" Did you mean '{suggestion}'?" : $" Known keys here: {string.Join(", ", allowed)}.";
                    throw new IrisOpsException(IrisErrorKind.InvalidData, InvalidLayoutId, $"{map.WhereKey(entry.Key)}: '{entry.Key}' is not a layout key.{hint}", map.Source);
                }
            }
        }

        private static IrisOpsException Error(LayoutNode node, string problem) =>
            new IrisOpsException(IrisErrorKind.InvalidData, InvalidLayoutId, $"{node.Where}: {problem}", node.Source);
    }
}
