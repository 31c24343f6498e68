using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;

namespace IrisOps.Core.Upgrade
{
    /// <summary>A directory the instance uses, as its durable iris.cpf names it, and why.</summary>
    public sealed class InstanceDirectory
    {
        public InstanceDirectory(string path, string use, string? database = null, bool journal = false)
        {
            Path = path;
            Use = use;
            Database = database;
            IsJournal = journal;
        }

        /// <summary>True for the [Journal] CurrentDirectory and AlternateDirectory.</summary>
        public bool IsJournal { get; }

        /// <summary>Container path, ending with '/'.</summary>
        public string Path { get; }

        /// <summary>What the instance keeps there ("database USER", "primary journal directory", ...).</summary>
        public string Use { get; }

        /// <summary>The database name for a [Databases] directory, else null.</summary>
        public string? Database { get; }

        public override string ToString() => $"{Use} ({Path})";
    }

    /// <summary>
    /// Which directories a cold backup must hold, and the container mounts that hold them. The Data Integrity
    /// Guide ("Cold Backup") says a cold backup covers every directory the instance uses: the database
    /// directories, the journal and alternate journal directories and the WIJ directory; "Running InterSystems
    /// Products in Containers" ("Separating File Systems for Containerized InterSystems IRIS") recommends putting
    /// the journal directories and the WIJ on mounts of their own. The durable iris.cpf names all of them.
    /// </summary>
    public static class BackupScope
    {
        /// <summary>
        /// Databases of the installation directory that come with every image (libraries and temporary data):
        /// durable %SYS never copies them, so outside a mount they are not instance data.
        /// </summary>
        public static readonly IReadOnlyCollection<string> InstallationDatabases = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "IRISLIB", "IRISTEMP", "ENSLIB", "HSLIB", "HSSYSLOCALTEMP", "HSLOCALTEMP",
        };

        /// <summary>
        /// Every local directory the durable iris.cpf names. Empty journal settings mean the default
        /// (Configuration Parameter File Reference, [Journal] CurrentDirectory: install-dir/mgr/journal/; and
        /// AlternateDirectory); an empty [config] wijdir means the manager's directory (install-dir/mgr). With
        /// durable %SYS the manager's directory is ISC_DATA_DIRECTORY/mgr ("Durable %SYS for Persistent
        /// Instance Data"). Relative database directories are taken relative to that manager's directory.
        /// </summary>
        public static IReadOnlyList<InstanceDirectory> Directories(CpfDocument durableCpf, string dataDirectory)
        {
            CpfResolvedView cpf = durableCpf.Resolve();
            string manager = Normalize(dataDirectory) + "mgr/";
            var directories = new List<InstanceDirectory> { new InstanceDirectory(Normalize(dataDirectory), "durable %SYS directory (ISC_DATA_DIRECTORY)") };
            foreach (CpfEntry entry in cpf.GetSection("Databases"))
            {
                // [Databases] Name=a,b,...: a is the directory, b the remote server (empty for a local database).
                string[] fields = entry.Value.Split(',');
                if (fields.Length > 1 && fields[1].Trim().Length > 0)
                {
                    continue;
                }

                directories.Add(new InstanceDirectory(Resolve(fields[0], manager), "database " + entry.Name, entry.Name));
            }

            string primary = cpf.Get("Journal", "CurrentDirectory") ?? string.Empty;
            string alternate = cpf.Get("Journal", "AlternateDirectory") ?? string.Empty;
            directories.Add(new InstanceDirectory(Resolve(primary, manager, manager + "journal/"), "primary journal directory ([Journal] CurrentDirectory)", journal: true));
            directories.Add(new InstanceDirectory(Resolve(alternate, manager, manager + "journal/"), "alternate journal directory ([Journal] AlternateDirectory)", journal: true));
            directories.Add(new InstanceDirectory(Resolve(cpf.Get("config", "wijdir") ?? string.Empty, manager, manager), "WIJ directory ([config] wijdir)"));
            return directories;
        }

        /// <summary>The mount that holds <paramref name="path"/>: the one with the longest target that is a prefix of it, of any kind.</summary>
        public static MountSpec? MountFor(IEnumerable<MountSpec> mounts, string path)
        {
            string wanted = Normalize(path);
            return mounts
                .Where(m => wanted.StartsWith(Normalize(m.Target), StringComparison.Ordinal))
                .OrderByDescending(m => Normalize(m.Target).Length)
                .FirstOrDefault();
        }

        /// <summary>True for a volume or bind mount the instance can write: what a backup archives and a rollback restores.</summary>
        public static bool IsBackedUp(MountSpec mount) => mount.Kind != MountKind.Tmpfs && !mount.ReadOnly;

        /// <summary>
        /// Maps every directory to its mount: the writable mounts to archive (in the order of the container's
        /// mounts), and the directories in no mount at all (in the container's own writable layer). A directory on
        /// a read-only mount is not changed by the instance; one on a tmpfs mount is lost at every stop anyway.
        /// </summary>
        public static (IReadOnlyList<MountSpec> Mounts, IReadOnlyList<InstanceDirectory> InWritableLayer) Map(IReadOnlyList<MountSpec> mounts, IEnumerable<InstanceDirectory> directories)
        {
            var used = new HashSet<MountSpec>();
            var unmounted = new List<InstanceDirectory>();
            foreach (InstanceDirectory directory in directories)
            {
                MountSpec? mount = MountFor(mounts, directory.Path);
                if (mount == null)
                {
                    unmounted.Add(directory);
                }
                else if (IsBackedUp(mount))
                {
                    used.Add(mount);
                }
            }

            return (mounts.Where(used.Contains).ToList(), unmounted);
        }

        /// <summary>
        /// The directories of <paramref name="inWritableLayer"/> that hold instance data: all but the
        /// installation directory's own library and temporary databases, and databases the new image itself
        /// ships at that same directory (its iris.cpf names them there, so they come with the image).
        /// </summary>
        public static IReadOnlyList<InstanceDirectory> NotFromImage(IEnumerable<InstanceDirectory> inWritableLayer, string installDirectory, CpfDocument? imageCpf)
        {
            string install = Normalize(installDirectory);
            var shipped = new HashSet<string>(StringComparer.Ordinal);
            if (imageCpf != null)
            {
                foreach (CpfEntry entry in imageCpf.Resolve().GetSection("Databases"))
                {
                    shipped.Add(entry.Name.ToUpperInvariant() + "=" + Resolve(entry.Value.Split(',')[0], install + "mgr/"));
                }
            }

            return inWritableLayer.Where(d => d.Database == null ||
                !(InstallationDatabases.Contains(d.Database) && d.Path.StartsWith(install, StringComparison.Ordinal)) &&
                !shipped.Contains(d.Database.ToUpperInvariant() + "=" + d.Path)).ToList();
        }

        /// <summary>Pairs of writable mounts where one lies inside the other: archiving the outer one would copy the inner one too.</summary>
        public static IReadOnlyList<(MountSpec Outer, MountSpec Inner)> Nested(IReadOnlyList<MountSpec> mounts) =>
            (from outer in mounts
             from inner in mounts
             where !ReferenceEquals(outer, inner) && Normalize(inner.Target).StartsWith(Normalize(outer.Target), StringComparison.Ordinal)
             select (outer, inner)).ToList();

        /// <summary>A container path with '/' separators and one trailing '/'.</summary>
        public static string Normalize(string path)
        {
            string normalized = path.Replace('\\', '/').Trim();
            return normalized.EndsWith("/", StringComparison.Ordinal) ? normalized : normalized + "/";
        }

        private static string Resolve(string value, string manager, string? whenEmpty = null)
        {
            string trimmed = value.Trim();
            if (trimmed.Length == 0)
            {
                return whenEmpty ?? manager;
            }

            return Normalize(trimmed.StartsWith("/", StringComparison.Ordinal) ? trimmed : manager + trimmed);
        }
    }
}
