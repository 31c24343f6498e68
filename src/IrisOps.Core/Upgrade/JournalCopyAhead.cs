using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using IrisOps.Core.Docker;

namespace IrisOps.Core.Upgrade
{
    /// <summary>A file copied ahead: its name in the mount's archive, and its stat line as a helper saw it before the copy.</summary>
    public sealed class AheadFile
    {
        public AheadFile(string member, string stat)
        {
            Member = member;
            Stat = stat;
        }

        /// <summary>The file's name in the mount's archive (the mount's last path element, then the path inside it).</summary>
        public string Member { get; }

        /// <summary>What <see cref="JournalCopyAhead.StatFormat"/> printed for it: inode, size, modification and change time (ns).</summary>
        public string Stat { get; }
    }

    /// <summary>
    /// Which files may be archived before the stop, while the instance still runs, and which of those copies still
    /// hold after it. Closed journal files: the Data Integrity Guide ("Journal File Names and Rollover") names a
    /// journal file <c>[prefix]yyyymmdd.nnn</c> and says that when it fills the instance switches to a new one with
    /// the suffix increased by one (or the next day's base name), so only the newest file is written; a closed file
    /// is only ever compressed ([Journal] CompressFiles, Configuration Parameter File Reference) or purged ("Purge
    /// Journal Files"). Neither is assumed away: every copy is checked after the stop against the file's inode,
    /// size, modification and change time (the change time moves with every write and cannot be set back), and a
    /// file that changed, vanished or appeared goes into the archive taken after the stop instead. The IRIS.DAT of a
    /// database the running instance reports as read-only (<see cref="ReadOnlyDatabases"/>) is copied and checked
    /// the same way.
    /// </summary>
    internal static class JournalCopyAhead
    {
        /// <summary>The stat(1) format of a file's identity, the same in GNU coreutils and busybox: inode, size, mtime and ctime with nanoseconds.</summary>
        public const string StatFormat = "%i %s %y %z";

        /// <summary>What the helper prints instead of a stat line for a file that is gone.</summary>
        public const string Gone = "gone";

        // A journal file name (Data Integrity Guide, "Journal File Names and Rollover"): an optional prefix, then
        // yyyymmdd.nnn. Only prefixes and directories of plain characters are taken, so every name is one shell
        // word and one tar operand with nothing to escape.
        private static readonly Regex JournalName = new Regex(@"^(?<prefix>[A-Za-z0-9_-]*)(?<base>[0-9]{8}\.[0-9]{3})$", RegexOptions.CultureInvariant);
        private static readonly Regex PlainPath = new Regex(@"^/[A-Za-z0-9._/-]*$", RegexOptions.CultureInvariant);

        /// <summary>Whether a container path is simple enough to name in a helper's script and a tar operand list.</summary>
        public static bool IsPlain(string path) => PlainPath.IsMatch(path) && !path.Split('/').Any(p => p == ".." || p.StartsWith("-", StringComparison.Ordinal));

        /// <summary>
        /// The closed journal files among <paramref name="files"/> (container paths of the regular files in the
        /// journal directories): every file named like a journal file except the newest by its yyyymmdd.nnn
        /// (the current file, in whichever directory it is); all files sharing that newest name are left out.
        /// </summary>
        public static IReadOnlyList<string> Closed(IEnumerable<string> files)
        {
            var journal = files
                .Select(f => (Path: f, Match: JournalName.Match(f.Substring(f.LastIndexOf('/') + 1))))
                .Where(f => f.Match.Success && IsPlain(f.Path))
                .ToList();
            if (journal.Count == 0)
            {
                return new List<string>();
            }

            string newest = journal.Select(f => f.Match.Groups["base"].Value).OrderBy(b => b, StringComparer.Ordinal).Last();
            return journal.Where(f => string.CompareOrdinal(f.Match.Groups["base"].Value, newest) < 0)
                .Select(f => f.Path).Distinct(StringComparer.Ordinal).OrderBy(f => f, StringComparer.Ordinal).ToList();
        }

        /// <summary>The name a file of <paramref name="mount"/> has in its archive (see <see cref="HelperContainerArchive"/>); null when it is not in it.</summary>
        public static string? Member(MountSpec mount, string containerPath)
        {
            string target = mount.Target.TrimEnd('/');
            if (!containerPath.StartsWith(target + "/", StringComparison.Ordinal) || target.LastIndexOf('/') < 0)
            {
                return null;
            }

            return containerPath.Substring(target.LastIndexOf('/') + 1);
        }

        /// <summary>
        /// Splits the files copied ahead by what a helper saw after the stop (<paramref name="after"/>: one stat
        /// line, or <see cref="Gone"/>, per member): unchanged files keep their copy; changed ones must come from
        /// the archive taken after the stop; vanished ones must not be restored at all.
        /// </summary>
        public static (IReadOnlyList<string> Unchanged, IReadOnlyList<string> Changed, IReadOnlyList<string> Vanished) Compare(IEnumerable<AheadFile> before, IReadOnlyDictionary<string, string> after)
        {
            var unchanged = new List<string>();
            var changed = new List<string>();
            var vanished = new List<string>();
            foreach (AheadFile file in before)
            {
                if (!after.TryGetValue(file.Member, out string? now) || now == Gone)
                {
                    vanished.Add(file.Member);
                }
                else if (now == file.Stat && now.Length > 0)
                {
                    unchanged.Add(file.Member);
                }
                else
                {
                    changed.Add(file.Member);
                }
            }

            return (unchanged, changed, vanished);
        }

        /// <summary>
        /// The complete manifest entries of a mount: every entry of the archive taken after the stop, and the
        /// entries of the copy-ahead archive whose files were unchanged (an entry of both: the later archive's).
        /// </summary>
        public static IList<BackupManifestEntry> Merge(IEnumerable<BackupManifestEntry> main, IEnumerable<BackupManifestEntry> ahead, IEnumerable<string> unchanged)
        {
            var merged = main.ToList();
            var present = new HashSet<string>(merged.Select(e => e.Path), StringComparer.Ordinal);
            var kept = new HashSet<string>(unchanged, StringComparer.Ordinal);
            merged.AddRange(ahead.Where(e => kept.Contains(e.Path) && present.Add(e.Path)));
            return merged;
        }

        /// <summary>
        /// A /bin/sh script printing one stat line per member (run from the mount's parent), or <see cref="Gone"/>
        /// for a member that is no longer there; the members are plain names (see <see cref="IsPlain"/>).
        /// </summary>
        public static string StatScript(IEnumerable<string> members) =>
            string.Concat(members.Select(m => "stat -c '" + StatFormat + "' -- " + HelperContainerArchive.Quote(m) + " 2>/dev/null || echo " + Gone + "\n"));

        /// <summary>Pairs each member with its line of <see cref="StatScript"/>'s output; null when the output does not have one line per member.</summary>
        public static IReadOnlyDictionary<string, string>? ParseStat(IReadOnlyList<string> members, string output)
        {
            string[] lines = output.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
            if (members.Count == 0)
            {
                return new Dictionary<string, string>(StringComparer.Ordinal);
            }

            if (lines.Length != members.Count)
            {
                return null;
            }

            var stats = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i < members.Count; i++)
            {
                stats[members[i]] = lines[i].Trim();
            }

            return stats;
        }
    }
}
