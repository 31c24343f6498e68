using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Upgrade
{
    /// <summary>The closed journal files and read-only databases of one mount, archived while the instance still ran (see <see cref="JournalCopyAhead"/>).</summary>
    public sealed class AheadCopy
    {
        internal AheadCopy(MountSpec mount, string archive, IReadOnlyList<AheadFile> files, IList<BackupManifestEntry> entries, string sha256, long bytes)
        {
            Mount = mount;
            Archive = archive;
            Files = files;
            Entries = entries;
            Sha256 = sha256;
            Bytes = bytes;
        }

        public MountSpec Mount { get; }

        /// <summary>The archive in the backup folder (<c>label.ahead.tar</c>), synced to disk.</summary>
        public string Archive { get; }

        /// <summary>Every file it holds, with its stat line as the helper saw it before archiving it.</summary>
        public IReadOnlyList<AheadFile> Files { get; }

        /// <summary>Its entries, each with the SHA-256 of its content.</summary>
        public IList<BackupManifestEntry> Entries { get; }

        public string Sha256 { get; }

        public long Bytes { get; }

        /// <summary>How long it took, for the verbose report.</summary>
        public TimeSpan Time { get; set; }
    }

    /// <summary>
    /// The helper-container side of <see cref="JournalCopyAhead"/>, for an engine on this machine: before the stop a
    /// helper lists the journal directories of a mount and archives the closed files and the IRIS.DAT of read-only
    /// databases (<see cref="ReadOnlyDatabases"/>), after printing their stat lines, into <c>label.ahead.tar</c>,
    /// which is hashed and synced while it is written (<see cref="FollowedArchive"/>);
    /// after the stop the script of <see cref="MainArchiveScript"/> checks each of them again and archives everything
    /// else. Every name goes through a script file in the backup folder, one per line, so no command line outgrows
    /// its limit. Anything unexpected before the stop means no copy ahead, never a failed upgrade.
    /// </summary>
    internal sealed class JournalAheadArchive
    {
        /// <summary>Past this many bytes of names the archive after the stop is taken whole (an argument list may hold about 2 MiB on Linux).</summary>
        public const int MaxListBytes = 1 << 20;

        public const string AheadSuffix = ".ahead.tar";
        private readonly HelperContainerArchive helper;

        public JournalAheadArchive(HelperContainerArchive helper) => this.helper = helper;

        /// <summary>
        /// Archives the closed journal files that <paramref name="journalDirectories"/> (container paths) hold on
        /// <paramref name="mount"/>, and those of <paramref name="unchangingFiles"/> (container paths of files the
        /// instance does not write, such as the IRIS.DAT of a read-only database) that exist there. Null when there
        /// are none or the helper cannot do it here; every file it wrote is then gone again. Only cancellation goes
        /// up as an error.
        /// </summary>
        public async Task<AheadCopy?> TryCopyAsync(string container, string helperImageId, MountSpec mount, IEnumerable<string> journalDirectories, IEnumerable<string> unchangingFiles, string folder, string label, CancellationToken cancellationToken)
        {
            List<string> directories = journalDirectories.Select(d => BackupScope.Normalize(d).TrimEnd('/'))
                .Where(d => JournalCopyAhead.IsPlain(d) && JournalCopyAhead.Member(mount, d + "/x") != null).Distinct(StringComparer.Ordinal).ToList();
            List<string> files = unchangingFiles.Where(f => JournalCopyAhead.IsPlain(f) && JournalCopyAhead.Member(mount, f) != null).Distinct(StringComparer.Ordinal).ToList();
            if ((directories.Count == 0 && files.Count == 0) || !JournalCopyAhead.IsPlain(mount.Target.TrimEnd('/')))
            {
                return null;
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            string archive = Path.Combine(folder, label + AheadSuffix);
            string partial = archive + ".partial";
            string list = Path.Combine(folder, label + ".ahead.list");
            string stat = Path.Combine(folder, label + ".ahead.stat");
            string script = Path.Combine(folder, ".irisops-ahead-" + Guid.NewGuid().ToString("N") + ".sh");
            bool done = false;
            try
            {
                if (!await RunAsync(container, helperImageId, mount, list, ListingScript(directories, files, Path.GetFileName(list)), cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                IReadOnlyList<string> members = Members(mount, File.ReadAllText(list, Encoding.UTF8));
                if (members.Count == 0)
                {
                    return null;
                }

                File.WriteAllText(script, CopyScript(mount, members, Path.GetFileName(stat)), new UTF8Encoding(false));
                HelperContainerArchive.CreateOutputFile(partial);

                HelperContainerArchive.CreateOutputFile(stat);
                var followed = await FollowedArchive.WriteAndHashAsync(partial, () => TryWriteQuietlyAsync(container, helperImageId, mount, partial, script, cancellationToken), syncToDisk: true).ConfigureAwait(false);
                IReadOnlyDictionary<string, string>? stats = JournalCopyAhead.ParseStat(members, File.ReadAllText(stat, Encoding.UTF8));
                if (followed == null || stats == null || stats.Values.Any(s => s == JournalCopyAhead.Gone || s.Length == 0)
                    || !followed.Value.Entries.Select(e => e.Path).OrderBy(p => p, StringComparer.Ordinal).SequenceEqual(members.OrderBy(m => m, StringComparer.Ordinal)))
                {
                    return null;
                }

                File.Move(partial, archive);
                done = true;
                var copied = members.Select(m => new AheadFile(m, stats[m])).ToList();
                return new AheadCopy(mount, archive, copied, followed.Value.Entries, followed.Value.Sha256, followed.Value.Bytes) { Time = watch.Elapsed };
            }
            catch (Exception ex) when (ex is IOException || ex is InvalidDataException || ex is UnauthorizedAccessException || ex is IrisOpsException)
            {
                return null;
            }
            finally
            {
                foreach (string file in new[] { partial, list, stat, script })
                {
                    Cleanup.DeleteFileQuietly(file);
                }

                if (!done)
                {
                    Cleanup.DeleteFileQuietly(archive);
                }
            }
        }

        /// <summary>
        /// The helper's script (run in the backup folder) that lists, into <paramref name="listFile"/>, the regular
        /// files of <paramref name="directories"/> (one path a line) and, each prefixed with '+', those of
        /// <paramref name="files"/> that exist; all names are plain (see <see cref="JournalCopyAhead.IsPlain"/>).
        /// </summary>
        public static string ListingScript(IReadOnlyList<string> directories, IReadOnlyList<string> files, string listFile)
        {
            var script = new StringBuilder("{ ");
            if (directories.Count > 0)
            {
                script.Append("for d in " + string.Join(" ", directories.Select(HelperContainerArchive.Quote)) + "; do if test -d \"$d\"; then find \"$d\" -maxdepth 1 -type f || exit 1; fi; done; ");
            }

            if (files.Count > 0)
            {
                script.Append("for f in " + string.Join(" ", files.Select(HelperContainerArchive.Quote)) + "; do if test -f \"$f\"; then echo \"+$f\"; fi; done; ");
            }

            return script.Append("} > " + HelperContainerArchive.Quote(listFile)).ToString();
        }

        /// <summary>The members to copy ahead from <see cref="ListingScript"/>'s output: the closed journal files, then the listed unchanging files.</summary>
        public static IReadOnlyList<string> Members(MountSpec mount, string listing)
        {
            string[] lines = listing.Replace("\r\n", "\n").Split('\n').Where(l => l.Length > 0).ToArray();
            return JournalCopyAhead.Closed(lines.Where(l => !l.StartsWith("+", StringComparison.Ordinal)))
                .Concat(lines.Where(l => l.StartsWith("+", StringComparison.Ordinal)).Select(l => l.Substring(1)).Where(JournalCopyAhead.IsPlain))
                .Select(f => JournalCopyAhead.Member(mount, f)).Where(m => m != null).Select(m => m!).Distinct(StringComparer.Ordinal).ToList();
        }

        /// <summary>
        /// The helper's script writing the archive of <paramref name="members"/> to standard output (run in the
        /// backup folder): the stat lines first, into <paramref name="statFile"/>, then the copy, so a file that
        /// changes after its line no longer matches it.
        /// </summary>
        public static string CopyScript(MountSpec mount, IReadOnlyList<string> members, string statFile) =>
            "cd -- " + HelperContainerArchive.Quote(HelperContainerArchive.Parent(mount)) + " || exit 1\n"
            + "{\n" + JournalCopyAhead.StatScript(members) + "} > " + HelperContainerArchive.BackupFolderInContainer + "/" + HelperContainerArchive.Quote(statFile) + " || exit 1\n"
            + "exec tar cf - " + string.Join(" ", members.Select(HelperContainerArchive.Quote)) + "\n";

        /// <summary>
        /// The script (run from the backup folder in the helper, after the stop) that writes the archive of
        /// <paramref name="ahead"/>'s mount to standard output: the stat line of every file copied ahead into
        /// <paramref name="afterFile"/>, the names of those still as they were into <paramref name="keptFile"/>,
        /// then <c>tar cf</c> of everything else by name (directories not descended, so each name is archived once).
        /// With nothing kept, a name holding a line break, or a list past <see cref="MaxListBytes"/>, the whole
        /// mount is archived and nothing kept.
        /// </summary>
        public static string MainArchiveScript(AheadCopy ahead, string keptFile, string afterFile, string listFile)
        {
            string parent = HelperContainerArchive.Quote(HelperContainerArchive.Parent(ahead.Mount));
            string target = ahead.Mount.Target.TrimEnd('/');
            string name = HelperContainerArchive.Quote(target.Substring(target.LastIndexOf('/') + 1));
            string folder = HelperContainerArchive.BackupFolderInContainer + "/";
            string kept = folder + HelperContainerArchive.Quote(Path.GetFileName(keptFile));
            string list = folder + HelperContainerArchive.Quote(Path.GetFileName(listFile));
            var script = new StringBuilder("cd -- " + parent + " || exit 1\n");
            script.Append("{\n" + JournalCopyAhead.StatScript(ahead.Files.Select(f => f.Member)) + "} > " + folder + HelperContainerArchive.Quote(Path.GetFileName(afterFile)) + " || exit 1\n");
            script.Append(": > " + kept + " || exit 1\n");
            foreach (AheadFile file in ahead.Files)
            {
                script.Append("if test \"$(stat -c '" + JournalCopyAhead.StatFormat + "' -- " + HelperContainerArchive.Quote(file.Member) + " 2>/dev/null)\" = " + HelperContainerArchive.Quote(file.Stat) + "; then echo " + HelperContainerArchive.Quote(file.Member) + " >> " + kept + " || exit 1; fi\n");
            }

            script.Append("if find " + name + " -name \"$(printf '*\\n*')\" | grep -q . ; then : > " + kept + "; fi\n");
            script.Append("test -s " + kept + " && find " + name + " | grep -v -x -F -f " + kept + " > " + list + " || : > " + list + "\n");
            script.Append("if ! test -s " + list + " || test \"$(wc -c < " + list + ")\" -gt " + MaxListBytes + "; then : > " + kept + "; exec tar cf - " + name + "; fi\n");
            script.Append("IFS='\n'\nset -f\nset -- $(cat " + list + ")\nexec tar cf - --no-recursion \"$@\"\n");
            return script.ToString();
        }

        // A helper run whose output file exists before it starts (so it belongs to the user running IrisOps).
        private async Task<bool> RunAsync(string container, string helperImageId, MountSpec mount, string outputFile, string script, CancellationToken cancellationToken)
        {
            HelperContainerArchive.CreateOutputFile(outputFile);
            (long? exit, _) = await helper.RunAsync(container + "-irisops-ahead", helperImageId, mount, restoring: false, outputFile, script, TimeSpan.FromMinutes(10), cancellationToken).ConfigureAwait(false);
            return exit == 0;
        }

        private async Task<bool> TryWriteQuietlyAsync(string container, string helperImageId, MountSpec mount, string partial, string script, CancellationToken cancellationToken)
        {
            try
            {
                return await helper.TryWriteAsync(container, helperImageId, mount, partial, cancellationToken, script).ConfigureAwait(false);
            }
            catch (IrisOpsException)
            {
                return false;
            }
        }
    }
}
