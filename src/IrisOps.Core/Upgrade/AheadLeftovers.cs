using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using IrisOps.Core.Common;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// What a run that was killed (not cancelled: a cancelled run removes its own files) between the copy ahead
    /// and the end of the backup leaves in its backup folder: the archive copied ahead with no manifest that
    /// refers to it, and the working files of the copy and of the check after the stop. Only names IrisOps gives
    /// those files are considered, and never an archive that a manifest in that folder names; a folder whose
    /// manifests cannot be read is left alone as a whole, so nothing a backup may still need goes.
    /// </summary>
    internal static class AheadLeftovers
    {
        // The labels of DurableBackup.Label: a mount's container path with '/' turned into '-'.
        private const string Label = @"[A-Za-z0-9._-]+";

        // The archive copied ahead: a leftover only when no manifest names it.
        private static readonly Regex AheadArchive = new Regex("^" + Label + Regex.Escape(JournalAheadArchive.AheadSuffix) + "$", RegexOptions.CultureInvariant);

        // Working files, never part of a backup: the copy ahead's partial archive, listing, stat lines and script,
        // the check after the stop's files next to the main archive (AheadCheck), and a main archive never finished.
        private static readonly Regex WorkingFile = new Regex(
            "^(?:" + Label + @"\.ahead\.(?:tar\.partial|list|stat)"
            + @"|\.irisops-ahead-[0-9a-f]{32}\.sh"
            + "|" + Label + @"\.tar\.(?:kept|after|list|sh|partial))$", RegexOptions.CultureInvariant);

        /// <summary>
        /// Removes the leftovers in the other backup folders of <paramref name="currentFolder"/>'s node (its
        /// siblings under <c>-BackupPath/&lt;node&gt;</c>); returns what it removed.
        /// </summary>
        public static IReadOnlyList<string> RemoveFromEarlierRuns(string currentFolder)
        {
            string current = Path.GetFullPath(currentFolder).TrimEnd(Path.DirectorySeparatorChar);
            string? node = Path.GetDirectoryName(current);
            var removed = new List<string>();
            if (node == null || !Directory.Exists(node))
            {
                return removed;
            }

            foreach (string folder in Directory.GetDirectories(node).OrderBy(f => f, StringComparer.Ordinal))
            {
                if (string.Equals(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar), current, StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (string file in Find(folder))
                {
                    try
                    {
                        File.Delete(file);
                        removed.Add(file);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                    }
                }
            }

            return removed;
        }

        /// <summary>The leftovers in one backup folder (nothing when a manifest there cannot be read).</summary>
        public static IReadOnlyList<string> Find(string folder)
        {
            var referenced = new HashSet<string>(StringComparer.Ordinal);
            try
            {
                foreach (string manifest in Directory.GetFiles(folder, "*" + DurableBackup.ManifestSuffix))
                {
                    string? ahead = BackupManifest.Parse(File.ReadAllText(manifest, Encoding.UTF8), manifest).AheadArchiveFile;
                    if (ahead != null)
                    {
                        referenced.Add(ahead);
                    }
                }

                return Directory.GetFiles(folder)
                    .Where(f => WorkingFile.IsMatch(Path.GetFileName(f)) || (AheadArchive.IsMatch(Path.GetFileName(f)) && !referenced.Contains(Path.GetFileName(f))))
                    .OrderBy(f => f, StringComparer.Ordinal).ToList();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException)
            {
                return new List<string>();
            }
        }
    }
}
