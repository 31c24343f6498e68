using System.Collections.Generic;

namespace IrisOps.Core.Cpf.Layout
{
    /// <summary>Which merge file of a layout to render.</summary>
    public enum LayoutStage
    {
        /// <summary>Everything in one merge file, build part first.</summary>
        All,

        /// <summary>The merge run by the Dockerfile ("iris merge" during docker build): resources, data and config databases.</summary>
        Build,

        /// <summary>The merge given to the container (ISC_CPF_MERGE_FILE): settings, code databases, namespaces, mappings.</summary>
        Runtime,
    }

    /// <summary>What a database holds, which decides where it must live (Running InterSystems Products in Containers, durable %SYS).</summary>
    public enum DatabaseRole
    {
        /// <summary>Compiled application code: stays in the image so every new image's code is used.</summary>
        Code,

        /// <summary>Application data: on durable storage, survives new images.</summary>
        Data,

        /// <summary>Configuration changed at the site (production settings, lookup tables): on durable storage.</summary>
        Config,

        /// <summary>Anything else; treated like data.</summary>
        Other,
    }

    public enum MappingKind
    {
        Global,
        Routine,
        Package,
    }

    /// <summary>
    /// An application's databases, namespaces and mappings, described once and rendered into the build-stage
    /// and runtime-stage merge files by <see cref="LayoutRenderer"/>. Read from YAML, JSON or a hashtable by
    /// <see cref="LayoutReader"/>, or built in code.
    /// </summary>
    public sealed class IrisLayout
    {
        /// <summary>Where the layout was read from, for messages and the header comment; null when built in code.</summary>
        public string? SourceName { get; set; }

        /// <summary>
        /// The container's durable directory (the ISC_DATA_DIRECTORY volume, e.g. /durable/iconfig). Optional;
        /// when given, databases placed under it are checked against their role.
        /// </summary>
        public string? DurableDirectory { get; set; }

        public List<LayoutResource> Resources { get; } = new List<LayoutResource>();

        public List<LayoutDatabase> Databases { get; } = new List<LayoutDatabase>();

        public List<LayoutNamespace> Namespaces { get; } = new List<LayoutNamespace>();

        public List<LayoutMapping> Mappings { get; } = new List<LayoutMapping>();

        /// <summary>[config], [Startup] and other plain-section values; rendered in the runtime stage.</summary>
        public List<LayoutSetting> Settings { get; } = new List<LayoutSetting>();

        /// <summary>Extra actions written as they are, in the stage each one names.</summary>
        public List<LayoutAction> Actions { get; } = new List<LayoutAction>();
    }

    /// <summary>The common part of every layout element: where it was defined, for messages.</summary>
    public abstract class LayoutElement
    {
        /// <summary>e.g. "app-layout.yml line 12 (databases[0])"; null when built in code.</summary>
        public string? Origin { get; set; }
    }

    public sealed class LayoutResource : LayoutElement
    {
        public string Name { get; set; } = string.Empty;

        /// <summary>Written as PublicPermission when set, e.g. "0" or "R".</summary>
        public string? PublicPermission { get; set; }

        public string? Description { get; set; }
    }

    public sealed class LayoutDatabase : LayoutElement
    {
        public string Name { get; set; } = string.Empty;

        public DatabaseRole Role { get; set; } = DatabaseRole.Data;

        /// <summary>The IRIS.DAT folder, as the instance sees it.</summary>
        public string Directory { get; set; } = string.Empty;

        /// <summary>The resource protecting it (ResourceName); created in the build stage.</summary>
        public string? Resource { get; set; }

        public bool MountAtStartup { get; set; } = true;

        /// <summary>Overrides the stage the role implies (code: runtime; data, config, other: build).</summary>
        public LayoutStage? Stage { get; set; }

        /// <summary>Any other CreateDatabase properties (Size, MaxSize, ReadOnly...), in order.</summary>
        public List<CpfProperty> Properties { get; } = new List<CpfProperty>();

        public LayoutStage EffectiveStage => Stage ?? (Role == DatabaseRole.Code ? LayoutStage.Runtime : LayoutStage.Build);
    }

    public sealed class LayoutNamespace : LayoutElement
    {
        public string Name { get; set; } = string.Empty;

        /// <summary>The default database for globals (data).</summary>
        public string Globals { get; set; } = string.Empty;

        /// <summary>The default database for routines (code); IRIS uses Globals when absent.</summary>
        public string? Routines { get; set; }

        public string? TempGlobals { get; set; }

        /// <summary>Interop=1/0 on CreateNamespace; when true the interoperability configuration is mapped to the config database.</summary>
        public bool? Interoperability { get; set; }

        /// <summary>Where the interoperability configuration globals go; by default the layout's only config database.</summary>
        public string? ConfigDatabase { get; set; }
    }

    public sealed class LayoutMapping : LayoutElement
    {
        public MappingKind Kind { get; set; }

        public string Namespace { get; set; } = string.Empty;

        /// <summary>The global, routine or package name; '*' wildcards as IRIS takes them (Ens.Config.*).</summary>
        public string Name { get; set; } = string.Empty;

        public string Database { get; set; } = string.Empty;
    }

    public sealed class LayoutSetting : LayoutElement
    {
        public string Section { get; set; } = CpfSectionNames.Config;

        public string Name { get; set; } = string.Empty;

        public string Value { get; set; } = string.Empty;
    }

    public sealed class LayoutAction : LayoutElement
    {
        public LayoutAction(CpfAction action)
        {
            Action = action;
        }

        public CpfAction Action { get; }

        /// <summary>Build or Runtime (the default).</summary>
        public LayoutStage Stage { get; set; } = LayoutStage.Runtime;
    }
}
