using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IrisOps.Core.Docker;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// The /bin/sh script of a full restore whose check runs while tar still extracts (run from the backup folder,
    /// its standard output the check archive). The mount is emptied; tar extracts the archive in the background;
    /// meanwhile the regular files it has finished are archived again for the check, a group at a time. tar
    /// extracts entries in archive order, so once the path of the entry after a group exists, every file of the
    /// group is written and closed with its mode, owner and times (GNU tar and busybox set those when they close
    /// a regular file). Directories (whose modes and times tar may set only at its end), symbolic links (whose
    /// owners are set after the extraction), hard links with their files (tar archives a hard link as one only
    /// next to its file) and special files are archived last, once every extraction has ended. So the check
    /// archive is a series of archives, one after another, holding every entry once. Finally every path of the
    /// mount is listed into a file (<c>find -print0</c>: names end with a NUL byte, so any name is one item),
    /// so that a path not in the backup is found too. The first failure ends the script (and its tar) with a
    /// non-zero exit code.
    /// </summary>
    internal static class OverlappedRestoreScript
    {
        /// <summary>Bytes of regular files per group: small enough that the check trails the extraction closely.</summary>
        public const long GroupBytes = 64L << 20;

        /// <summary>Bytes of quoted names per tar command line, far below any system's limit for one command.</summary>
        public const int GroupNameBytes = 64 << 10;

        /// <summary>The paths of a listing written by the script (<c>find -print0</c>), as tar names them (no trailing slash).</summary>
        public static IEnumerable<string> ParseList(string listing) =>
            listing.Split('\0').Where(p => p.Length > 0).Select(p => p.TrimEnd('/'));

        /// <summary>One archive to extract: its file name in the backup folder, its entries in archive order, and the members to extract (null: all).</summary>
        public sealed class Source
        {
            public Source(string archiveFile, IReadOnlyList<TarEntryInfo> entries, IReadOnlyCollection<string>? members = null)
            {
                ArchiveFile = archiveFile;
                Entries = entries;
                Members = members;
            }

            public string ArchiveFile { get; }

            public IReadOnlyList<TarEntryInfo> Entries { get; }

            public IReadOnlyCollection<string>? Members { get; }
        }

        /// <param name="target">The mount's path in the container.</param>
        /// <param name="sources">The archives, extracted in this order (they hold different paths).</param>
        /// <param name="linkOwners">Script lines run from the mount's parent after every extraction (see <see cref="HelperContainerArchive.LinkOwnersScript"/>).</param>
        /// <param name="listFile">The file in the backup folder that receives the listing of the mount.</param>
        /// <param name="groupBytes">Bytes of regular files per group (<see cref="GroupBytes"/>).</param>
        public static string Create(string target, IReadOnlyList<Source> sources, string linkOwners, string listFile, long groupBytes = GroupBytes)
        {
            string trimmed = target.TrimEnd('/');
            string name = trimmed.Substring(trimmed.LastIndexOf('/') + 1);
            string folder = HelperContainerArchive.BackupFolderInContainer + "/";
            var script = new StringBuilder();
            script.Append("cd -- " + Q(trimmed) + " && rm -rf -- ./* ./.[!.]* ./..?* || exit 1\n");
            script.Append("cd -- " + Q(HelperContainerArchive.Parent(new MountSpec { Target = trimmed })) + " || exit 1\n");

            // after PATH: returns once PATH exists (tar has gone past everything before it) or tar has ended.
            script.Append("x=\n");
            script.Append("after() { while ! test -e \"$1\" && ! test -L \"$1\"; do kill -0 \"$x\" 2>/dev/null || return 0; sleep 0.05 2>/dev/null || sleep 1; done; }\n");
            script.Append("fail() { kill \"$x\" 2>/dev/null; exit 1; }\n");
            var last = new List<TarEntryInfo>();

            // An archive's last group can only be archived again once its tar has ended: that happens while the
            // next archive is extracted.
            string? tail = null;
            foreach (Source source in sources)
            {
                List<TarEntryInfo> extracted = source.Members == null
                    ? source.Entries.ToList()
                    : source.Entries.Where(e => source.Members.Contains(e.Path.TrimEnd('/'))).ToList();
                if (extracted.Count == 0)
                {
                    continue;
                }

                string members = source.Members == null ? string.Empty : " " + string.Join(" ", extracted.Select(e => Q(e.Path.TrimEnd('/'))));
                script.Append("tar xpf " + folder + Q(source.ArchiveFile) + members + " & x=$!\n");
                script.Append(tail);
                tail = null;
                var hardLinked = new HashSet<string>(extracted.Where(e => e.Kind == TarEntryKind.HardLink).Select(e => (e.LinkTarget ?? string.Empty).TrimEnd('/')), StringComparer.Ordinal);
                var group = new List<string>();
                long filesBytes = 0;
                int groupNames = 0;
                for (int i = 0; i < extracted.Count; i++)
                {
                    TarEntryInfo entry = extracted[i];
                    string path = entry.Path.TrimEnd('/');
                    if (entry.Kind != TarEntryKind.File || hardLinked.Contains(path))
                    {
                        last.Add(entry);
                        continue;
                    }

                    group.Add(Q(path));
                    filesBytes += entry.Size;
                    groupNames += path.Length + 3;
                    if (i + 1 < extracted.Count && (filesBytes >= groupBytes || groupNames >= GroupNameBytes))
                    {
                        script.Append("after " + Q(extracted[i + 1].Path.TrimEnd('/')) + "; tar cf - --no-recursion " + string.Join(" ", group) + " || fail\n");
                        group.Clear();
                        filesBytes = 0;
                        groupNames = 0;
                    }
                }

                script.Append("wait \"$x\" || exit 1\n");
                if (group.Count > 0)
                {
                    tail = "tar cf - --no-recursion " + string.Join(" ", group) + " || fail\n";
                }
            }

            script.Append(tail);

            script.Append(linkOwners);
            script.Append("find " + Q(name) + " -print0 > " + folder + Q(listFile) + " || exit 1\n");
            foreach (List<string> names in LastGroups(last))
            {
                script.Append("tar cf - --no-recursion " + string.Join(" ", names) + " || exit 1\n");
            }

            return script.ToString();
        }

        // The entries archived last, in order, in command lines of at most GroupNameBytes of names, except that a
        // hard link always shares its file's command line (the file comes first in archive order).
        private static IEnumerable<List<string>> LastGroups(List<TarEntryInfo> entries)
        {
            var lastLink = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < entries.Count; i++)
            {
                if (entries[i].Kind == TarEntryKind.HardLink)
                {
                    lastLink[(entries[i].LinkTarget ?? string.Empty).TrimEnd('/')] = i;
                }
            }

            var names = new List<string>();
            int nameBytes = 0;
            int needUntil = -1;
            for (int i = 0; i < entries.Count; i++)
            {
                string path = entries[i].Path.TrimEnd('/');
                names.Add(Q(path));
                nameBytes += path.Length + 3;
                if (lastLink.TryGetValue(path, out int link))
                {
                    needUntil = Math.Max(needUntil, link);
                }

                if (nameBytes >= GroupNameBytes && i >= needUntil)
                {
                    yield return names;
                    names = new List<string>();
                    nameBytes = 0;
                }
            }

            if (names.Count > 0)
            {
                yield return names;
            }
        }

        private static string Q(string text) => HelperContainerArchive.Quote(text);
    }
}
