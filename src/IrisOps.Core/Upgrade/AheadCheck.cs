using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using IrisOps.Core.Common;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// The after-stop half of a copy ahead for one mount: the files the script of
    /// <see cref="JournalAheadArchive.MainArchiveScript"/> needs next to the archive, and the check of what it did.
    /// Which copies are kept is decided twice and must agree: by the script (each file's stat line against the one
    /// taken before its copy) and here (<see cref="JournalCopyAhead.Compare"/> on the lines it printed), and the
    /// archive taken after the stop must hold every other file copied ahead that still exists, and none it kept.
    /// </summary>
    internal sealed class AheadCheck : IDisposable
    {
        private readonly AheadCopy ahead;
        private readonly string keptFile;
        private readonly string afterFile;
        private readonly string listFile;

        /// <summary>Writes the script and its empty output files next to <paramref name="archive"/>, each named in <paramref name="written"/> (removed on failure).</summary>
        public AheadCheck(AheadCopy ahead, string archive, IList<string> written)
        {
            this.ahead = ahead;
            keptFile = archive + ".kept";
            afterFile = archive + ".after";
            listFile = archive + ".list";
            Script = archive + ".sh";
            foreach (string file in new[] { keptFile, afterFile, listFile, Script })
            {
                written.Add(file);
                HelperContainerArchive.CreateOutputFile(file);
            }

            File.WriteAllText(Script, JournalAheadArchive.MainArchiveScript(ahead, keptFile, afterFile, listFile), new UTF8Encoding(false));
        }

        /// <summary>The script that writes the archive after the stop (in the backup folder).</summary>
        public string Script { get; }

        /// <summary>
        /// The members restored from the copy ahead, once the archive after the stop (<paramref name="main"/>: its
        /// entries) is written; removes the script and its files. Throws InvalidDataException when the two
        /// decisions differ or the archive does not hold what it must.
        /// </summary>
        public IList<string> Kept(IList<BackupManifestEntry> main)
        {
            try
            {
                List<string> kept = File.ReadAllText(keptFile, Encoding.UTF8).Split('\n').Where(l => l.Length > 0).ToList();
                List<string> members = ahead.Files.Select(f => f.Member).ToList();
                IReadOnlyDictionary<string, string> after = JournalCopyAhead.ParseStat(members, File.ReadAllText(afterFile, Encoding.UTF8))
                    ?? throw new InvalidDataException($"the stat lines after the stop do not name the {members.Count} files copied ahead");
                var (unchanged, changed, _) = JournalCopyAhead.Compare(ahead.Files, after);
                var inMain = new HashSet<string>(main.Select(e => e.Path), StringComparer.Ordinal);
                string? wrong = kept.FirstOrDefault(k => !unchanged.Contains(k) || inMain.Contains(k))
                    ?? (kept.Count == 0 ? null : changed.FirstOrDefault(c => !inMain.Contains(c)))
                    ?? unchanged.FirstOrDefault(u => !kept.Contains(u) && !inMain.Contains(u));
                if (wrong != null)
                {
                    throw new InvalidDataException($"'{wrong}', copied before the stop, is not where the check after the stop put it");
                }

                return kept;
            }
            finally
            {
                Dispose();
            }
        }

        /// <summary>Removes the script and its files (also when the archive was not written by the helper after all).</summary>
        public void Dispose()
        {
            foreach (string file in new[] { keptFile, afterFile, listFile, Script })
            {
                Cleanup.DeleteFileQuietly(file);
            }
        }
    }
}
