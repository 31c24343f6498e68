using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Cpf;

namespace IrisOps.Core.Upgrade
{
    /// <summary>A code database that durable %SYS keeps on durable storage although the new image ships its own copy.</summary>
    public sealed class CodeDatabaseFinding
    {
        public string Database { get; set; } = string.Empty;
        public string DurableDirectory { get; set; } = string.Empty;
        public string ImageDirectory { get; set; } = string.Empty;

        /// <summary>Why it counts as code: "routines database of namespace APP" or "marked as code in the layout".</summary>
        public string Why { get; set; } = string.Empty;

        public override string ToString() =>
            $"code database {Database} ({Why}) is used from durable storage ({DurableDirectory}) although the new image ships it at {ImageDirectory}: the new image's code would be ignored";
    }

    /// <summary>
    /// The code-database trap of durable %SYS: on its first start an instance copies every database of the image
    /// that is not read-only to durable storage and uses that copy from then on ("Durable %SYS for Persistent
    /// Instance Data" in Running InterSystems Products in Containers), so an application code database shipped in
    /// a newer image is silently ignored. Only code databases count: the routines database of a namespace of the
    /// new image's iris.cpf ([Namespaces] Name=globals,routines,temporary, where an empty routines value means the
    /// globals database: Configuration Parameter File Reference, [Namespaces]), or a database a layout marks as
    /// code. Data and configuration databases cloned to durable storage are exactly what durable %SYS is for, and
    /// pass.
    /// </summary>
    public static class CodeDatabaseTrap
    {
        /// <summary>Databases IRIS installs and upgrades itself (and USER, which every image ships empty): never reported.</summary>
        public static readonly IReadOnlyCollection<string> InstanceDatabases = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "IRISSYS", "IRISLIB", "IRISTEMP", "IRISLOCALDATA", "IRISAUDIT", "IRISMETRICS", "IRISSECURITY", "ENSLIB",
            "HSLIB", "HSSYS", "HSAUDIT", "HSCUSTOM", "HSSYSLOCALTEMP", "HSLOCALTEMP", "USER",
        };

        /// <param name="durableCpf">iris.cpf from the durable directory (ISC_DATA_DIRECTORY).</param>
        /// <param name="imageCpf">iris.cpf of the new image (in its install directory).</param>
        /// <param name="durableRoots">Container paths of durable storage (the durable mount and ISC_DATA_DIRECTORY).</param>
        /// <param name="layoutCodeDatabases">Databases a layout marks as code (role code), if a layout was given.</param>
        public static IReadOnlyList<CodeDatabaseFinding> Find(CpfDocument durableCpf, CpfDocument imageCpf, IEnumerable<string> durableRoots, IEnumerable<string>? layoutCodeDatabases = null)
        {
            List<string> roots = durableRoots.Where(r => !string.IsNullOrEmpty(r)).Select(Directory).ToList();
            Dictionary<string, string> codeDatabases = CodeDatabases(imageCpf, layoutCodeDatabases);
            Dictionary<string, (string Directory, bool Remote)> imageDatabases = Databases(imageCpf);
            var findings = new List<CodeDatabaseFinding>();
            foreach (KeyValuePair<string, (string Directory, bool Remote)> database in Databases(durableCpf))
            {
                if (database.Value.Remote || InstanceDatabases.Contains(database.Key) || !codeDatabases.TryGetValue(database.Key, out string? why))
                {
                    continue;
                }

                string durableDirectory = Directory(database.Value.Directory);
                if (!roots.Any(root => durableDirectory.StartsWith(root, StringComparison.Ordinal)))
                {
                    continue;
                }

                if (!imageDatabases.TryGetValue(database.Key, out (string Directory, bool Remote) shipped) || shipped.Remote)
                {
                    continue;
                }

                string imageDirectory = Directory(shipped.Directory);
                if (roots.Any(root => imageDirectory.StartsWith(root, StringComparison.Ordinal)))
                {
                    continue; // the image itself points at durable storage: not a copy it ships
                }

                findings.Add(new CodeDatabaseFinding { Database = database.Key, DurableDirectory = durableDirectory, ImageDirectory = imageDirectory, Why = why });
            }

            return findings;
        }

        // Database name -> why it holds code.
        private static Dictionary<string, string> CodeDatabases(CpfDocument imageCpf, IEnumerable<string>? layoutCodeDatabases)
        {
            var code = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (CpfEntry entry in imageCpf.Resolve().GetSection("Namespaces"))
            {
                string[] fields = entry.Value.Split(',');
                string routines = fields.Length > 1 && fields[1].Trim().Length > 0 ? fields[1].Trim() : fields[0].Trim();
                if (routines.Length > 0 && !code.ContainsKey(routines))
                {
                    code[routines] = "routines database of namespace " + entry.Name;
                }
            }

            foreach (string database in layoutCodeDatabases ?? Enumerable.Empty<string>())
            {
                if (!code.ContainsKey(database))
                {
                    code[database] = "marked as code in the layout";
                }
            }

            return code;
        }

        private static Dictionary<string, (string Directory, bool Remote)> Databases(CpfDocument document)
        {
            var databases = new Dictionary<string, (string, bool)>(StringComparer.OrdinalIgnoreCase);
            foreach (CpfEntry entry in document.Resolve().GetSection("Databases"))
            {
                string[] fields = entry.Value.Split(',');
                bool remote = fields.Length > 1 && fields[1].Trim().Length > 0;
                databases[entry.Name] = (fields[0].Trim(), remote);
            }

            return databases;
        }

        private static string Directory(string path)
        {
            string normalized = path.Replace('\\', '/').Trim();
            return normalized.EndsWith("/", StringComparison.Ordinal) ? normalized : normalized + "/";
        }
    }
}
