using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;
using IrisOps.Core.Upgrade;

namespace IrisOps.Core.Productions
{
    /// <summary>
    /// Where a namespace keeps its production configuration, read from the instance's iris.cpf, and whether that
    /// survives a new image. The configuration objects live in the Ens.Config globals of the namespace: in the
    /// database a [Map.&lt;namespace&gt;] Global_ entry maps them to, else in the namespace's default globals
    /// database ([Namespaces], Configuration Parameter File Reference). Only what is on a volume or bind mount of the
    /// container outlives it (Running InterSystems Products in Containers, "Durable %SYS for Persistent Instance
    /// Data"): anything else is lost with the next image.
    /// </summary>
    public static class ConfigurationStorage
    {
        /// <summary>The start of the names of the globals that hold the Ens.Config classes' objects.</summary>
        public const string GlobalPrefix = "Ens.Config.";

        /// <summary>Warnings, each saying what would be lost and how to fix the layout; empty when every part is on durable storage.</summary>
        public static async Task<IList<string>> CheckAsync(IDockerEngine engine, ContainerDetails container, string ns, CancellationToken cancellationToken)
        {
            string name = container.Name.TrimStart('/');
            string fix = $"Map the Ens.Config globals of {ns} to a database on durable storage (merge file: CreateMapGlobal:Name=Ens.Config.*,Namespace={ns},Database=<config database>, with the database created in the image build so durable %SYS copies it; Export-IrisMergeCpf renders this layout from a namespace with 'interoperability: true', see about_IrisOps).";
            container.Spec.Environment.TryGetValue(IrisContainer.DataDirectoryVariable, out string? dataDirectory);
            if (string.IsNullOrEmpty(dataDirectory))
            {
                return new List<string> { $"Container '{name}' does not use durable %SYS ({IrisContainer.DataDirectoryVariable} is not set): the production items of {ns} are stored inside the container and would be lost with the next image. Run it with durable %SYS, and {Lower(fix)}" };
            }

            string cpfPath = dataDirectory!.TrimEnd('/') + "/iris.cpf";
            CpfDocument cpf;
            try
            {
                byte[] text = await new ContainerFileReader(engine) { Timeout = IrisDefaults.QuickCommandTimeout }.ReadAsync(name, cpfPath, cancellationToken).ConfigureAwait(false);
                cpf = CpfParser.Parse(text, name + ":" + cpfPath);
            }
            catch (Exception ex) when (ex is IrisOpsException || ex is CpfSyntaxException || ex is InvalidDataException)
            {
                return new List<string> { $"Could not read {cpfPath} in '{name}' to check that the production items of {ns} are kept on durable storage: {ex.Message}" };
            }

            return Check(cpf.Resolve(), ns, name, container.Spec.Mounts, fix);
        }

        /// <summary>The check on a parsed configuration: which databases hold the Ens.Config globals of <paramref name="ns"/>, and are they on a mount.</summary>
        public static IList<string> Check(CpfResolvedView cpf, string ns, string container, IEnumerable<MountSpec> mounts, string fix)
        {
            var warnings = new List<string>();
            CpfEntry? space = cpf.GetSection("Namespaces").FirstOrDefault(e => string.Equals(e.Name, ns, StringComparison.OrdinalIgnoreCase));
            if (space == null)
            {
                warnings.Add($"The iris.cpf of '{container}' has no namespace {ns} in [Namespaces]; IrisOps cannot tell where its production items are stored.");
                return warnings;
            }

            foreach (string database in Databases(cpf, ns, space.Value.Split(',')[0].Trim()))
            {
                CpfEntry? entry = cpf.GetSection("Databases").FirstOrDefault(e => string.Equals(e.Name, database, StringComparison.OrdinalIgnoreCase));
                string[] fields = entry?.Value.Split(',') ?? new string[0];
                if (fields.Length == 0)
                {
                    warnings.Add($"The Ens.Config globals of {ns} in '{container}' are in database {database}, which [Databases] of its iris.cpf does not list; check the configuration.");
                }
                else if (fields.Length > 1 && fields[1].Trim().Length > 0)
                {
                    // A remote database: its storage is the data server's, which this container cannot see.
                    continue;
                }
                else if (UpgradePreflight.FindMount(mounts, fields[0].Trim()) == null)
                {
                    warnings.Add($"The production items of {ns} in '{container}' are stored in database {database} ({fields[0].Trim()}), which is not on a volume or bind mount: the change would be lost with the next image. {fix}");
                }
            }

            return warnings;
        }

        /// <summary>
        /// The databases that hold any Ens.Config global: the one the most specific mapping covering every
        /// Ens.Config.* name points to (else the namespace's default), plus those of narrower mappings.
        /// </summary>
        public static IEnumerable<string> Databases(CpfResolvedView cpf, string ns, string defaultDatabase)
        {
            string? covering = null;
            int coveringLength = -1;
            var narrower = new List<string>();
            foreach (CpfEntry entry in cpf.GetSection("Map." + ns))
            {
                if (!entry.Name.StartsWith("Global_", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                string pattern = entry.Name.Substring("Global_".Length);
                int subscript = pattern.IndexOf('(');
                string global = subscript >= 0 ? pattern.Substring(0, subscript) : pattern;
                string database = entry.Value.Split(',')[0].Trim();
                bool prefix = global.EndsWith("*", StringComparison.Ordinal);
                string start = prefix ? global.Substring(0, global.Length - 1) : global;
                if (prefix && subscript < 0 && GlobalPrefix.StartsWith(start, StringComparison.Ordinal))
                {
                    if (start.Length > coveringLength)
                    {
                        covering = database;
                        coveringLength = start.Length;
                    }
                }
                else if (start.StartsWith(GlobalPrefix, StringComparison.Ordinal) || (prefix && GlobalPrefix.StartsWith(start, StringComparison.Ordinal)))
                {
                    narrower.Add(database);
                }
            }

            return new[] { covering ?? defaultDatabase }.Concat(narrower).Distinct(StringComparer.OrdinalIgnoreCase);
        }

        private static string Lower(string sentence) => sentence.Length == 0 ? sentence : char.ToLowerInvariant(sentence[0]) + sentence.Substring(1);
    }
}
