using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Common;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Cpf.Layout
{
    /// <summary>
    /// Checks a layout before it is rendered: names are names (so no value can inject a CPF line or break the
    /// quoting of an action), nothing is declared twice, references are resolvable, and each database sits
    /// where its role needs it. Placement problems are warnings that say why; the rest are errors naming
    /// where in the layout the problem is.
    /// </summary>
    internal static class LayoutValidator
    {
        // IRIS names: databases and resources may start with % (%DB_APP); namespaces too (%SYS, %ALL).

        /// <summary>The CreateDatabase properties the renderer writes itself from the database's fields.</summary>
        internal static readonly string[] GeneratedDatabaseProperties = { "Name", "Directory", "MountAtStartup", "ResourceName", "Resource" };

        public static void Validate(IrisLayout layout)
        {
            if (layout.DurableDirectory != null)
            {
                CheckText(layout.DurableDirectory, "durableDirectory", layout.SourceName ?? "the layout");
                if (!IsAbsolute(layout.DurableDirectory))
                {
                    throw Error(layout.SourceName ?? "the layout", $"durableDirectory '{layout.DurableDirectory}' must be an absolute path, e.g. /durable/iconfig.");
                }
            }

            CheckUnique(layout.Resources.Select(r => (r.Name, Where(r, "resource " + r.Name))), "resource");
            foreach (LayoutResource resource in layout.Resources)
            {
                string where = Where(resource, "resource " + resource.Name);
                CheckName(resource.Name, IrisNames.IsResourceName, "resource name", where, "%DB_APP");
                CheckOptionalText(resource.PublicPermission, "publicPermission", where);
                CheckOptionalText(resource.Description, "description", where);
            }

            CheckUnique(layout.Databases.Select(d => (d.Name, Where(d, "database " + d.Name))), "database");
            foreach (LayoutDatabase database in layout.Databases)
            {
                string where = Where(database, "database " + database.Name);
                CheckName(database.Name, IrisNames.IsDatabase, "database name", where, "APPDATA");
                if (database.Directory.Length == 0)
                {
                    throw Error(where, $"the database needs a directory, e.g. {IrisContainer.DefaultInstallDirectory}/mgr/appdata.");
                }

                CheckText(database.Directory, "directory", where);
                if (database.Resource != null)
                {
                    CheckName(database.Resource, IrisNames.IsResourceName, "resource name", where, "%DB_APP");
                }

                if (database.Stage == LayoutStage.All)
                {
                    throw Error(where, "stage must be build or runtime.");
                }

                CheckProperties(database.Properties, where, "CreateDatabase");
                foreach (CpfProperty property in database.Properties)
                {
                    string? generated = GeneratedDatabaseProperties.FirstOrDefault(p => string.Equals(p, property.Name, StringComparison.OrdinalIgnoreCase));
                    if (generated != null)
                    {
                        throw Error(where, $"properties.{property.Name} is written from the database's own fields; set {FieldFor(generated)} instead.");
                    }
                }
            }

            CheckUnique(layout.Namespaces.Select(n => (n.Name, Where(n, "namespace " + n.Name))), "namespace");
            foreach (LayoutNamespace ns in layout.Namespaces)
            {
                string where = Where(ns, "namespace " + ns.Name);
                CheckName(ns.Name, IrisNames.IsNamespace, "namespace name", where, "APP");
                CheckName(ns.Globals, IrisNames.IsDatabase, "database name", where + " globals", "APPDATA");
                if (ns.Routines != null)
                {
                    CheckName(ns.Routines, IrisNames.IsDatabase, "database name", where + " routines", "APPCODE");
                }

                if (ns.TempGlobals != null)
                {
                    CheckName(ns.TempGlobals, IrisNames.IsDatabase, "database name", where + " tempGlobals", "IRISTEMP");
                }

                if (ns.ConfigDatabase != null)
                {
                    CheckName(ns.ConfigDatabase, IrisNames.IsDatabase, "database name", where + " configDatabase", "APPCONFIG");
                }
            }

            var mapped = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (LayoutMapping mapping in layout.Mappings)
            {
                string where = Where(mapping, $"{mapping.Kind.ToString().ToLowerInvariant()} mapping {mapping.Name}");
                CheckName(mapping.Namespace, IrisNames.IsNamespace, "namespace name", where, "APP");
                CheckName(mapping.Database, IrisNames.IsDatabase, "database name", where, "APPDATA");
                if (mapping.Name.Length == 0)
                {
                    throw Error(where, "the mapping needs a name, e.g. Ens.Config.*");
                }

                CheckText(mapping.Name, "name", where);
                if (!mapped.Add($"{mapping.Kind}|{mapping.Namespace}|{mapping.Name}"))
                {
                    throw Error(where, $"{mapping.Name} is mapped twice in namespace {mapping.Namespace}; keep one.");
                }
            }

            foreach (LayoutSetting setting in layout.Settings)
            {
                string where = Where(setting, $"[{setting.Section}] {setting.Name}");
                if (!CpfText.IsSectionName(setting.Section) || CpfSectionNames.IsActions(setting.Section))
                {
                    throw Error(where, $"'{CpfText.Excerpt(setting.Section)}' is not a section a setting can go in; use a name such as config, Startup or Journal.");
                }

                if (setting.Name.Length == 0 || setting.Name.IndexOf('=') >= 0 || CpfText.HasOuterBlank(setting.Name)
                    || CpfText.FindForbiddenCharacter(setting.Name, out _) >= 0 || "[;#/".IndexOf(setting.Name[0]) >= 0)
                {
                    throw Error(where, $"'{CpfText.Excerpt(setting.Name)}' is not a valid key; keys are names such as MaxServerConn.");
                }

                if (CpfText.FindForbiddenCharacter(setting.Value, out string what) >= 0)
                {
                    throw Error(where, $"the value contains {what}, which would start a new line in the merge file. Remove it.");
                }

                if (setting.Value.Length > 0 && CpfText.IsBlank(setting.Value[setting.Value.Length - 1]))
                {
                    throw Error(where, "the value ends with a space, which IRIS drops at the end of a line. Remove it.");
                }
            }

            foreach (LayoutAction extra in layout.Actions)
            {
                string where = Where(extra, "action " + extra.Action.Action);
                if (!CpfText.IsActionName(extra.Action.Action))
                {
                    throw Error(where, $"'{CpfText.Excerpt(extra.Action.Action)}' is not a valid action name; action names are letters and digits, e.g. CreateUser.");
                }

                if (extra.Stage == LayoutStage.All)
                {
                    throw Error(where, "stage must be build or runtime.");
                }

                CheckProperties(extra.Action.Properties, where, extra.Action.Action);
            }
        }

        /// <summary>Warnings for databases that would sit in the wrong place, for the databases a stage renders.</summary>
        public static void WarnAboutPlacement(IrisLayout layout, LayoutStage stage, IOperationReporter reporter)
        {
            string? durable = layout.DurableDirectory == null ? null : layout.DurableDirectory.TrimEnd('/');
            foreach (LayoutDatabase database in layout.Databases)
            {
                LayoutStage placed = database.EffectiveStage;
                if (stage != LayoutStage.All && stage != placed)
                {
                    continue;
                }

                string where = Where(database, "database " + database.Name);
                bool onDurable = durable != null && IsUnder(database.Directory, durable);
                bool relative = !IsAbsolute(database.Directory);
                if (database.Role == DatabaseRole.Code)
                {
                    const string Why = "Durable %SYS uses the copy on the volume from then on, so the code of every later image would be ignored.";
                    if (placed == LayoutStage.Build)
                    {
                        reporter.Warning($"{where}: code database {database.Name} is created in the build stage, so durable %SYS copies it to durable storage on the first start. {Why} Leave its stage at runtime.");
                    }
                    else if (onDurable)
                    {
                        reporter.Warning($"{where}: code database {database.Name} is on durable storage ({database.Directory} is under {durable}). {Why} Give it a directory inside the image, e.g. /home/irisowner/mgr/{database.Name.ToLowerInvariant()}.");
                    }
                    else if (relative)
                    {
                        reporter.Warning($"{where}: code database {database.Name} has the relative directory '{database.Directory}', which IRIS resolves under its mgr directory, and with durable %SYS that is on durable storage. {Why} Give an absolute directory inside the image.");
                    }
                }
                else if (placed == LayoutStage.Runtime && !onDurable)
                {
                    reporter.Warning($"{where}: {database.Role.ToString().ToLowerInvariant()} database {database.Name} is created at runtime at '{database.Directory}', " +
                        "which is not known to be on durable storage: its content would be lost when the container is replaced. Leave its stage at build (durable %SYS then copies it to durable storage), or give it a directory under durableDirectory.");
                }
                else if (placed == LayoutStage.Build && onDurable)
                {
                    reporter.Warning($"{where}: {database.Role.ToString().ToLowerInvariant()} database {database.Name} is created during the image build under the durable directory {durable}, " +
                        $"where the volume mounted at runtime hides it. Give it a directory inside the image (e.g. {IrisContainer.DefaultInstallDirectory}/mgr/...): durable %SYS copies it to durable storage on the first start.");
                }
            }
        }

        /// <summary>Warnings for references to databases and namespaces the layout does not declare (typos, or objects that must already exist).</summary>
        public static void WarnAboutReferences(IrisLayout layout, IOperationReporter reporter)
        {
            List<string> databases = layout.Databases.Select(d => d.Name).ToList();
            List<string> namespaces = layout.Namespaces.Select(n => n.Name).ToList();

            void Check(string name, List<string> declared, string kind, string where)
            {
                if (!declared.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    string? suggestion = Spelling.Suggest(name, declared);
                    string hint = suggestion == null ? string.Empty : $" Did you mean {suggestion}?";
                    reporter.Warning($"{where}: {kind} {name} is not declared in the layout, so it must already exist on the instance.{hint}");
                }
            }

            foreach (LayoutNamespace ns in layout.Namespaces)
            {
                string where = Where(ns, "namespace " + ns.Name);
                Check(ns.Globals, databases, "database", where);
                if (ns.Routines != null)
                {
                    Check(ns.Routines, databases, "database", where);
                }

                if (ns.ConfigDatabase != null)
                {
                    Check(ns.ConfigDatabase, databases, "database", where);
                }
            }

            foreach (LayoutMapping mapping in layout.Mappings)
            {
                string where = Where(mapping, $"{mapping.Kind.ToString().ToLowerInvariant()} mapping {mapping.Name}");
                Check(mapping.Database, databases, "database", where);
                if (!string.Equals(mapping.Namespace, "%ALL", StringComparison.OrdinalIgnoreCase))
                {
                    Check(mapping.Namespace, namespaces, "namespace", where);
                }
            }
        }

        public static string Where(LayoutElement element, string fallback) => element.Origin ?? fallback;

        public static IrisOpsException Error(string where, string problem) =>
            new IrisOpsException(IrisErrorKind.InvalidData, LayoutReader.InvalidLayoutId, $"{where}: {problem}", where);

        public static bool IsAbsolute(string directory) =>
            directory.StartsWith("/", StringComparison.Ordinal) || directory.StartsWith("\\\\", StringComparison.Ordinal)
            || (directory.Length >= 3 && char.IsLetter(directory[0]) && directory[1] == ':' && (directory[2] == '\\' || directory[2] == '/'));

        private static bool IsUnder(string directory, string durable) =>
            directory.TrimEnd('/') == durable || directory.StartsWith(durable + "/", StringComparison.Ordinal);

        private static string FieldFor(string property)
        {
            switch (property)
            {
                case "MountAtStartup":
                    return "mountAtStartup";
                case "ResourceName":
                case "Resource":
                    return "resource";
                default:
                    return property.ToLowerInvariant();
            }
        }

        private static void CheckUnique(IEnumerable<(string Name, string Where)> items, string kind)
        {
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, where) in items)
            {
                if (!seen.Add(name))
                {
                    throw Error(where, $"the {kind} {name} is declared twice (names are case-insensitive in IRIS); keep one.");
                }
            }
        }

        private static void CheckName(string name, Func<string, bool> rule, string kind, string where, string example)
        {
            if (!rule(name))
            {
                throw Error(where, $"'{CpfText.Excerpt(name)}' is not a valid {kind}; use {RuleOf(kind)} (e.g. {example}), with no spaces or punctuation that could change the merge file.");
            }
        }

        private static string RuleOf(string kind) => kind switch
        {
            "namespace name" => IrisNames.NamespaceRule,
            "database name" => IrisNames.DatabaseRule,
            _ => "up to 64 letters, digits and _",
        };

        private static void CheckProperties(IEnumerable<CpfProperty> properties, string where, string action)
        {
            foreach (CpfProperty property in properties)
            {
                if (!CpfText.IsPropertyName(property.Name))
                {
                    throw Error(where, $"'{CpfText.Excerpt(property.Name)}' is not a valid {action} property name; property names are letters, digits and _.");
                }

                CheckText(property.Value, property.Name, where);
            }
        }

        private static void CheckOptionalText(string? value, string field, string where)
        {
            if (value != null)
            {
                CheckText(value, field, where);
            }
        }

        /// <summary>A value that goes into an action: one line, and no double quote (IRIS documents no escape for it).</summary>
        private static void CheckText(string value, string field, string where)
        {
            if (CpfText.FindForbiddenCharacter(value, out string what) >= 0)
            {
                throw Error(where, $"{field} contains {what}, which would start a new line in the merge file. Remove it.");
            }

            if (value.IndexOf('"') >= 0)
            {
                throw Error(where, $"{field} contains a double quote, which IRIS documents no way to escape in a merge file. Remove it.");
            }
        }
    }
}
