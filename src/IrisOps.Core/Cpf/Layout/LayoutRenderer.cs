using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Common;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Cpf.Layout
{
    /// <summary>
    /// Renders a layout into merge-file documents that keep image upgrades working with durable %SYS (Running
    /// InterSystems Products in Containers: every database of the image that is not read-only is copied to
    /// durable storage on the first start and used from there on):
    /// <list type="bullet">
    /// <item>Build stage (the Dockerfile's "iris merge"): the resources and the data and config databases.
    /// Durable %SYS copies them to durable storage on the first start, so their content survives new images.</item>
    /// <item>Runtime stage (ISC_CPF_MERGE_FILE): the [Startup]/[config] values, the code databases at their
    /// in-image path (never copied, so each new image's code is used), the namespaces and the mappings, with
    /// the interoperability configuration globals mapped to the config database.</item>
    /// </list>
    /// </summary>
    public static class LayoutRenderer
    {
        /// <summary>
        /// The interoperability globals mapped when a namespace has interoperability on: the
        /// production's site configuration (settings, DICOM associations, lookup tables) goes to the config
        /// database, Ens.AutoStart goes with the code.
        /// </summary>
        public static readonly IReadOnlyList<string> InteroperabilityGlobals = new[] { "Ens.Config.*", AutoStartGlobal, "EnsLib.DICO*", "Ens.LookupTable", "Ens.Util.LookupTableS" };

        public const string AutoStartGlobal = "Ens.AutoStart";

        public static CpfDocument Render(IrisLayout layout, LayoutStage stage, IOperationReporter reporter)
        {
            LayoutValidator.Validate(layout);
            Dictionary<LayoutNamespace, string?> configDatabases = ResolveConfigDatabases(layout);
            LayoutValidator.WarnAboutReferences(layout, reporter);
            LayoutValidator.WarnAboutPlacement(layout, stage, reporter);

            var document = new CpfDocument();
            string origin = DisplayName(layout.SourceName);
            foreach (string line in Header(stage, origin))
            {
                document.Preamble.Add(CpfComment.FromText(line));
            }

            if (stage != LayoutStage.Build)
            {
                foreach (LayoutSetting setting in layout.Settings)
                {
                    document.Set(setting.Section, setting.Name, setting.Value);
                }
            }

            List<CpfItem> build = stage == LayoutStage.Runtime ? new List<CpfItem>() : BuildActions(layout);
            List<CpfItem> runtime = stage == LayoutStage.Build ? new List<CpfItem>() : RuntimeActions(layout, configDatabases, reporter);
            if (build.Count + runtime.Count > 0)
            {
                CpfSection actions = document.AddSection(CpfSectionNames.Actions);
                if (stage == LayoutStage.All && build.Count > 0)
                {
                    actions.Items.Add(CpfComment.FromText("Build stage: resources, data and config databases."));
                }

                build.ForEach(actions.Items.Add);
                if (stage == LayoutStage.All && runtime.Count > 0)
                {
                    actions.Items.Add(CpfComment.FromText("Runtime stage: code databases, namespaces and mappings."));
                }

                runtime.ForEach(actions.Items.Add);
            }

            reporter.Verbose($"Rendered the {stage} stage of {origin}: {document.Actions.Count} action(s), {document.Entries.Count} setting(s).");
            return document;
        }

        private static IEnumerable<string> Header(LayoutStage stage, string origin)
        {
            switch (stage)
            {
                case LayoutStage.Build:
                    yield return $"Build stage of {origin}, rendered by IrisOps: run it with '{IrisContainer.MergeCommandLine("<file>")}' while building the image.";
                    yield return "It creates the resources and the data and config databases; durable %SYS copies them to durable storage on the first start.";
                    yield return "Code databases are not here on purpose: a copy on durable storage would hide the code of every later image.";
                    break;
                case LayoutStage.Runtime:
                    yield return $"Runtime stage of {origin}, rendered by IrisOps: give it to the container with {IrisContainer.MergeFileVariable}.";
                    yield return "Code databases are created here at their path inside the image, so durable %SYS never copies them and each new image's code is used.";
                    break;
                default:
                    yield return $"All stages of {origin} in one merge file, rendered by IrisOps.";
                    yield return "With durable %SYS, render -Stage Build and -Stage Runtime separately instead, so code databases are never copied to durable storage.";
                    break;
            }
        }

        private static List<CpfItem> BuildActions(IrisLayout layout)
        {
            var items = new List<CpfItem>();
            var created = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (LayoutResource resource in layout.Resources)
            {
                var action = new CpfAction("CreateResource", ("Name", resource.Name)) { Source = Source(resource) };
                if (resource.PublicPermission != null)
                {
                    action.Properties.Add("PublicPermission", resource.PublicPermission);
                }

                if (resource.Description != null)
                {
                    action.Properties.Add("Description", resource.Description);
                }

                created.Add(resource.Name);
                items.Add(action);
            }

            // A resource a database names but the layout does not declare is created with IRIS's defaults.
            foreach (LayoutDatabase database in layout.Databases)
            {
                if (database.Resource != null && created.Add(database.Resource))
                {
                    items.Add(new CpfAction("CreateResource", ("Name", database.Resource)) { Source = Source(database) });
                }
            }

            items.AddRange(layout.Databases.Where(d => d.EffectiveStage == LayoutStage.Build).Select(CreateDatabase));
            items.AddRange(layout.Actions.Where(a => a.Stage == LayoutStage.Build).Select(a => a.Action.Clone()));
            return items;
        }

        private static List<CpfItem> RuntimeActions(IrisLayout layout, Dictionary<LayoutNamespace, string?> configDatabases, IOperationReporter reporter)
        {
            var items = new List<CpfItem>();
            items.AddRange(layout.Databases.Where(d => d.EffectiveStage == LayoutStage.Runtime).Select(CreateDatabase));

            foreach (LayoutNamespace ns in layout.Namespaces)
            {
                var action = new CpfAction("CreateNamespace", ("Name", ns.Name), ("Globals", ns.Globals)) { Source = Source(ns) };
                if (ns.Routines != null)
                {
                    action.Properties.Add("Routines", ns.Routines);
                }

                if (ns.TempGlobals != null)
                {
                    action.Properties.Add("TempGlobals", ns.TempGlobals);
                }

                if (ns.Interoperability.HasValue)
                {
                    action.Properties.Add("Interop", ns.Interoperability.Value ? "1" : "0");
                }

                items.Add(action);
            }

            foreach (LayoutNamespace ns in layout.Namespaces.Where(n => n.Interoperability == true))
            {
                string configDatabase = configDatabases[ns]!;
                foreach (string global in InteroperabilityGlobals)
                {
                    string? database = global == AutoStartGlobal ? ns.Routines : configDatabase;
                    if (database == null)
                    {
                        continue; // no separate code database: Ens.AutoStart already lives with the rest
                    }

                    if (layout.Mappings.Any(m => m.Kind == MappingKind.Global && Same(m.Namespace, ns.Name) && Same(m.Name, global)))
                    {
                        reporter.Verbose($"{global} in namespace {ns.Name} is mapped by the layout's own mapping, not the interoperability default.");
                        continue;
                    }

                    items.Add(new CpfAction("CreateMapGlobal", ("Name", global), ("Namespace", ns.Name), ("Database", database)) { Source = Source(ns) });
                }
            }

            foreach (MappingKind kind in new[] { MappingKind.Global, MappingKind.Routine, MappingKind.Package })
            {
                foreach (LayoutMapping mapping in layout.Mappings.Where(m => m.Kind == kind))
                {
                    items.Add(new CpfAction("CreateMap" + kind, ("Name", mapping.Name), ("Namespace", mapping.Namespace), ("Database", mapping.Database)) { Source = Source(mapping) });
                }
            }

            items.AddRange(layout.Actions.Where(a => a.Stage == LayoutStage.Runtime).Select(a => a.Action.Clone()));
            return items;
        }

        private static CpfAction CreateDatabase(LayoutDatabase database)
        {
            var action = new CpfAction("CreateDatabase", ("Name", database.Name), ("Directory", database.Directory), ("MountAtStartup", database.MountAtStartup ? "1" : "0"))
            {
                Source = Source(database),
            };

            if (database.Resource != null)
            {
                // ResourceName is the documented property; public templates write Resource=.
                action.Properties.Add("ResourceName", database.Resource);
            }

            foreach (CpfProperty property in database.Properties)
            {
                action.Properties.Add(property.Name, property.Value);
            }

            return action;
        }

        /// <summary>The config database of every namespace with interoperability on; errors when it cannot be told.</summary>
        private static Dictionary<LayoutNamespace, string?> ResolveConfigDatabases(IrisLayout layout)
        {
            var result = new Dictionary<LayoutNamespace, string?>();
            List<LayoutDatabase> configs = layout.Databases.Where(d => d.Role == DatabaseRole.Config).ToList();
            foreach (LayoutNamespace ns in layout.Namespaces)
            {
                if (ns.Interoperability != true)
                {
                    result[ns] = ns.ConfigDatabase;
                    continue;
                }

                string where = LayoutValidator.Where(ns, "namespace " + ns.Name);
                if (ns.ConfigDatabase != null)
                {
                    result[ns] = ns.ConfigDatabase;
                }
                else if (configs.Count == 1)
                {
                    result[ns] = configs[0].Name;
                }
                else if (configs.Count == 0)
                {
                    throw LayoutValidator.Error(where,
                        "interoperability is on, but the layout has no database with role config for the production's settings (Ens.Config.*, lookup tables). " +
                        "Without one they would be stored with the code or the data and lost or frozen on the next image: add a database with role: config, or set configDatabase.");
                }
                else
                {
                    throw LayoutValidator.Error(where,
                        $"interoperability is on and the layout has several config databases ({string.Join(", ", configs.Select(c => c.Name))}); say which one holds this namespace's production settings with configDatabase.");
                }
            }

            return result;
        }

        private static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

        private static CpfSource? Source(LayoutElement element) => element.Origin == null ? null : new CpfSource(element.Origin);

        private static string DisplayName(string? sourceName)
        {
            if (string.IsNullOrEmpty(sourceName))
            {
                return "the layout";
            }

            // Only the file name: rendered files go into images, and a local path means nothing there.
            int slash = Math.Max(sourceName!.LastIndexOf('/'), sourceName.LastIndexOf('\\'));
            return slash >= 0 ? sourceName.Substring(slash + 1) : sourceName;
        }
    }
}
