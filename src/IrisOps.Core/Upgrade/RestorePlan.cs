using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IrisOps.Core.Docker;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// One line of <c>find ... -exec stat -c </c><see cref="RestorePlan.StatFormat"/>: the kind, mode, owner and size
    /// of a path, and (in <see cref="Line"/>) its inode and modification and change times, which any write,
    /// <c>chmod</c>, <c>chown</c> or replacement of the path changes.
    /// </summary>
    internal sealed class StatLine
    {
        public StatLine(string path, TarEntryKind kind, int mode, int uid, int gid, long size, long? modified, string line)
        {
            Modified = modified;
            Path = path;
            Kind = kind;
            Mode = mode;
            Uid = uid;
            Gid = gid;
            Size = size;
            Line = line;
        }

        public string Path { get; }
        public TarEntryKind Kind { get; }
        public int Mode { get; }
        public int Uid { get; }
        public int Gid { get; }
        public long Size { get; }

        /// <summary>The modification time in whole seconds since 1970 (as a tar header has it); null when it does not parse.</summary>
        public long? Modified { get; }

        /// <summary>The whole line as printed.</summary>
        public string Line { get; }

        /// <summary>Whether this line shows the kind, mode, owner and (for a file) size of <paramref name="entry"/>.</summary>
        public bool Describes(BackupManifestEntry entry) =>
            Kind == entry.Kind && Mode == (entry.Mode & 0xFFF) && Uid == entry.Uid && Gid == entry.Gid && (entry.Kind != TarEntryKind.File || Size == entry.Size);
    }

    /// <summary>
    /// A differential restore of one mount: the mount as a failed upgrade left it (archived and hashed entry by
    /// entry, with a stat line per path taken before the archive) against the manifest gives the paths to remove
    /// and the entries to extract again; every other entry is kept, already proven equal to the backup. After
    /// the restore, <see cref="Verify"/> proves the whole mount equal to the manifest: the restored entries by
    /// their content archived again, the kept files and links by a stat line unchanged since they were hashed,
    /// every path by its kind, mode and owner. Null from <see cref="Create"/> when the case is not one it
    /// handles (hard links, special files, a name with a line break, listings that disagree): the caller then
    /// restores everything.
    /// </summary>
    internal sealed class RestorePlan
    {
        /// <summary>
        /// The stat format (GNU coreutils and busybox): raw mode in hex, owner, group, size, inode, modification
        /// and change time (with nanoseconds, three words each), then the name.
        /// </summary>
        public const string StatFormat = "%f %u %g %s %i %y %z %n";

        /// <summary>Past this many bytes of names to extract, the list would not fit one command line: everything is restored.</summary>
        public const int MaxNameBytes = 1 << 20;

        private const int StatWords = 11;

        private RestorePlan(List<string> delete, List<BackupManifestEntry> restore, Dictionary<string, BackupManifestEntry> kept, Dictionary<string, StatLine> before)
        {
            Delete = delete;
            Restore = restore;
            Kept = kept;
            Before = before;
        }

        /// <summary>The paths removed (<c>rm -rf</c>) before the extraction: those not in the backup and those to replace; none lies under another.</summary>
        public IReadOnlyList<string> Delete { get; }

        /// <summary>The manifest's entries extracted again (a directory's over the existing one: it only gets its mode and owner back).</summary>
        public IReadOnlyList<BackupManifestEntry> Restore { get; }

        /// <summary>The entries left as they are, as they were archived and hashed.</summary>
        public IReadOnlyDictionary<string, BackupManifestEntry> Kept { get; }

        public long RestoreBytes => Restore.Where(e => e.Kind == TarEntryKind.File).Sum(e => e.Size);

        public long KeptBytes => Kept.Values.Where(e => e.Kind == TarEntryKind.File).Sum(e => e.Size);

        public bool NothingToDo => Delete.Count == 0 && Restore.Count == 0;

        private IReadOnlyDictionary<string, StatLine> Before { get; }

        /// <summary>
        /// Compares the mount (<paramref name="found"/>: its archive's entries, hashed; <paramref name="statBefore"/>:
        /// the stat lines taken before that archive) with <paramref name="expected"/> (the manifest). Null when
        /// this case needs a full restore.
        /// </summary>
        public static RestorePlan? Create(IList<BackupManifestEntry> expected, IList<BackupManifestEntry> found, string statBefore)
        {
            Dictionary<string, StatLine>? stats = ParseStat(statBefore);
            if (stats == null || !Plain(expected) || !Plain(found) || stats.Count != found.Count)
            {
                return null;
            }

            var have = new Dictionary<string, BackupManifestEntry>(StringComparer.Ordinal);
            foreach (BackupManifestEntry entry in found)
            {
                // The stat lines and the archive must describe the same mount.
                if (have.ContainsKey(entry.Path) || !stats.TryGetValue(entry.Path, out StatLine? stat) || !stat.Describes(entry))
                {
                    return null;
                }

                have.Add(entry.Path, entry);
            }

            var delete = new List<string>();
            var restore = new List<BackupManifestEntry>();
            var kept = new Dictionary<string, BackupManifestEntry>(StringComparer.Ordinal);
            var wanted = new HashSet<string>(StringComparer.Ordinal);
            foreach (BackupManifestEntry want in expected)
            {
                if (!wanted.Add(want.Path))
                {
                    return null;
                }

                if (!have.TryGetValue(want.Path, out BackupManifestEntry? got))
                {
                    restore.Add(want);
                }
                else if (got.Kind == TarEntryKind.Directory && want.Kind == TarEntryKind.Directory)
                {
                    if (SameModeAndOwner(want, got))
                    {
                        kept.Add(want.Path, got);
                    }
                    else
                    {
                        restore.Add(want);
                    }
                }
                else if (Same(want, got))
                {
                    kept.Add(want.Path, got);
                }
                else
                {
                    delete.Add(want.Path);
                    restore.Add(want);
                }
            }

            delete.AddRange(have.Keys.Where(p => !wanted.Contains(p)));
            delete.Sort(StringComparer.Ordinal);
            var removed = new HashSet<string>(StringComparer.Ordinal);
            var topmost = new List<string>();
            foreach (string path in delete)
            {
                if (!UnderAny(path, removed))
                {
                    topmost.Add(path);
                }

                removed.Add(path);
            }

            // A kept entry under a removed path would be removed with it; that cannot happen (a removed path is
            // a file, a link, or a directory not in the backup), but a plan that says otherwise is not used.
            if (kept.Keys.Any(p => UnderAny(p, removed)) || restore.Sum(e => e.Path.Length + 3) > MaxNameBytes)
            {
                return null;
            }

            return new RestorePlan(topmost, restore, kept, stats);
        }

        /// <summary>
        /// Compares the mount after the restore with <paramref name="expected"/>: <paramref name="statAfter"/> lists
        /// every path; <paramref name="restoredArchive"/> holds the entries of <see cref="Restore"/> archived again
        /// (with the mount's own directory). Kept files and links must have the very stat line they had before they
        /// were hashed. Returns the differences (empty: identical).
        /// </summary>
        public IReadOnlyList<string> Verify(IEnumerable<BackupManifestEntry> expected, string statAfter, IList<BackupManifestEntry> restoredArchive)
        {
            Dictionary<string, StatLine>? stats = ParseStat(statAfter);
            if (stats == null)
            {
                return new[] { "the listing of the restored mount cannot be read" };
            }

            var problems = new List<string>();
            var archived = new Dictionary<string, BackupManifestEntry>(StringComparer.Ordinal);
            foreach (BackupManifestEntry entry in restoredArchive)
            {
                archived[entry.Path] = entry;
            }

            var restored = new HashSet<string>(Restore.Select(e => e.Path), StringComparer.Ordinal);
            var actual = new List<BackupManifestEntry>();
            foreach (StatLine stat in stats.Values)
            {
                if (restored.Contains(stat.Path))
                {
                    if (!archived.TryGetValue(stat.Path, out BackupManifestEntry? again) || again.Kind != stat.Kind)
                    {
                        problems.Add($"'{stat.Path}' was restored but not archived again for the check");
                        continue;
                    }

                    actual.Add(again);
                }
                else if (Kept.TryGetValue(stat.Path, out BackupManifestEntry? kept) && kept.Kind != TarEntryKind.Directory)
                {
                    if (!Before.TryGetValue(stat.Path, out StatLine? before) || before.Line != stat.Line)
                    {
                        problems.Add($"'{stat.Path}' changed after it was checked");
                        continue;
                    }

                    actual.Add(kept);
                }
                else
                {
                    // A directory (its mode and owner are what counts) or a path that is not in the backup.
                    actual.Add(new BackupManifestEntry { Path = stat.Path, Kind = stat.Kind, Size = stat.Kind == TarEntryKind.File ? stat.Size : 0, Mode = stat.Mode & 0xFFF, Uid = stat.Uid, Gid = stat.Gid });
                }
            }

            problems.AddRange(BackupManifest.Compare(expected, actual));
            return problems;
        }

        /// <summary>The stat lines of <see cref="StatFormat"/> by path; null when a line does not parse or a path comes twice.</summary>
        internal static Dictionary<string, StatLine>? ParseStat(string output)
        {
            var lines = new Dictionary<string, StatLine>(StringComparer.Ordinal);
            foreach (string line in output.Split('\n'))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                string[] words = line.Split(new[] { ' ' }, StatWords + 1);
                if (words.Length != StatWords + 1 || words[StatWords].Length == 0
                    || !int.TryParse(words[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int raw)
                    || !int.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out int uid)
                    || !int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out int gid)
                    || !long.TryParse(words[3], NumberStyles.None, CultureInfo.InvariantCulture, out long size))
                {
                    return null;
                }

                string path = words[StatWords].TrimEnd('/');
                if (lines.ContainsKey(path))
                {
                    return null;
                }

                lines.Add(path, new StatLine(path, KindOf(raw), raw & 0xFFF, uid, gid, size, Seconds(words[5], words[6], words[7]), line));
            }

            return lines;
        }

        // "2026-12-02 06:29:13.123456789 +0000" (stat's %y) as whole seconds since 1970.
        private static long? Seconds(string date, string time, string zone)
        {
            int dot = time.IndexOf('.');
            if (zone.Length != 5 || (zone[0] != '+' && zone[0] != '-')
                || !int.TryParse(zone.Substring(1, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int hours)
                || !int.TryParse(zone.Substring(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out int minutes)
                || !DateTime.TryParseExact(date + " " + (dot < 0 ? time : time.Substring(0, dot)), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime local))
            {
                return null;
            }

            var offset = new TimeSpan(hours, minutes, 0);
            return new DateTimeOffset(local, zone[0] == '-' ? -offset : offset).ToUnixTimeSeconds();
        }

        /// <summary>
        /// The bytes of the backup's regular files that the stat lines alone show to differ (missing, another kind,
        /// size, mode, owner or modification second): what a plan restores at least, known before any content is
        /// read. Null when the listing does not parse.
        /// </summary>
        public static long? ChangedBytesByStat(IEnumerable<BackupManifestEntry> expected, string statBefore)
        {
            Dictionary<string, StatLine>? stats = ParseStat(statBefore);
            if (stats == null)
            {
                return null;
            }

            long bytes = 0;
            foreach (BackupManifestEntry want in expected.Where(e => e.Kind == TarEntryKind.File))
            {
                if (!stats.TryGetValue(want.Path, out StatLine? stat) || !stat.Describes(want) || (want.Modified != null && stat.Modified != null && stat.Modified != want.Modified))
                {
                    bytes += want.Size;
                }
            }

            return bytes;
        }

        // The file type bits of st_mode (POSIX <sys/stat.h>): regular file, directory, symbolic link; anything
        // else (a device, a pipe, a socket) is Other.
        private static TarEntryKind KindOf(int raw)
        {
            switch (raw & 0xF000)
            {
                case 0x8000:
                    return TarEntryKind.File;
                case 0x4000:
                    return TarEntryKind.Directory;
                case 0xA000:
                    return TarEntryKind.SymbolicLink;
                default:
                    return TarEntryKind.Other;
            }
        }

        /// <summary>
        /// Whether a backup with these entries can be restored by what differs at all: with hard links, special files
        /// or a name with a line break it cannot, and comparing the mount first would only add to the full restore.
        /// </summary>
        public static bool Handles(IEnumerable<BackupManifestEntry> expected) => Plain(expected);

        private static bool Plain(IEnumerable<BackupManifestEntry> entries) =>
            entries.All(e => (e.Kind == TarEntryKind.File || e.Kind == TarEntryKind.Directory || e.Kind == TarEntryKind.SymbolicLink) && e.Path.Length > 0 && e.Path.IndexOf('\n') < 0);

        private static bool SameModeAndOwner(BackupManifestEntry want, BackupManifestEntry got) =>
            (want.Mode & 0xFFF) == (got.Mode & 0xFFF) && want.Uid == got.Uid && want.Gid == got.Gid;

        // A file: same content, mode, owner and (where the manifest has it) modification time; a link: same target and owner.
        private static bool Same(BackupManifestEntry want, BackupManifestEntry got)
        {
            if (want.Kind != got.Kind || want.Uid != got.Uid || want.Gid != got.Gid)
            {
                return false;
            }

            if (want.Kind == TarEntryKind.SymbolicLink)
            {
                return string.Equals(want.LinkTarget, got.LinkTarget, StringComparison.Ordinal);
            }

            return (want.Mode & 0xFFF) == (got.Mode & 0xFFF) && want.Size == got.Size && (want.Modified == null || want.Modified == got.Modified)
                && want.Sha256 != null && string.Equals(want.Sha256, got.Sha256, StringComparison.OrdinalIgnoreCase);
        }

        private static bool UnderAny(string path, HashSet<string> roots)
        {
            for (int slash = path.LastIndexOf('/'); slash > 0; slash = path.LastIndexOf('/', slash - 1))
            {
                if (roots.Contains(path.Substring(0, slash)))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
