using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>
    /// The helper scripts of the copy ahead, the check after the stop and the restore, run with this machine's
    /// /bin/sh and GNU tar, find and coreutils stat (what the Ubuntu-based IRIS image has; the stand-in image
    /// has busybox) against a temporary folder standing for the mount, no Docker: the listing, stat lines and
    /// archives must be what the C# side parses, and the restore must give back the tree as it was at the stop.
    /// </summary>
    public class AheadScriptsOnGnuToolsTests
    {
        [GnuToolsFact]
        public void Copy_ahead_check_after_the_stop_and_restore_work_with_gnu_tools()
        {
            using var work = new TempFolder();
            string backup = work.Combine("backup");
            string parent = work.Combine("mnt");
            string dur = Path.Combine(parent, "dur");
            Directory.CreateDirectory(backup);
            foreach (string directory in new[] { "journal", "db/ro1", "db/ro2", "db/rw", "iconfig" })
            {
                Directory.CreateDirectory(Path.Combine(dur, directory));
            }

            Write(dur, "journal/20261201.001", 3000);
            Write(dur, "journal/20261201.002", 5000);
            Write(dur, "journal/20261201.003", 700);
            Write(dur, "db/ro1/IRIS.DAT", 9000);
            Write(dur, "db/ro2/IRIS.DAT", 8000);
            Write(dur, "db/rw/IRIS.DAT", 6000);
            Write(dur, "iconfig/iris.cpf", 100);
            Shell(parent, "ln -s iris.cpf dur/iconfig/latest.cpf");
            var mount = new MountSpec { Kind = MountKind.Bind, Source = dur, Target = dur };

            // Before the stop: the listing (journal directory and the read-only databases' files, one missing).
            string listing = JournalAheadArchive.ListingScript(new[] { dur + "/journal" }, new[] { dur + "/db/ro1/IRIS.DAT", dur + "/db/ro2/IRIS.DAT", dur + "/db/gone/IRIS.DAT" }, "dur.ahead.list");
            Shell(backup, listing);
            IReadOnlyList<string> members = JournalAheadArchive.Members(mount, File.ReadAllText(Path.Combine(backup, "dur.ahead.list")));
            Assert.Equal(new[] { "dur/journal/20261201.001", "dur/journal/20261201.002", "dur/db/ro1/IRIS.DAT", "dur/db/ro2/IRIS.DAT" }, members);

            // The copy: stat lines first, then tar of exactly those members.
            string aheadArchive = Path.Combine(backup, "dur" + JournalAheadArchive.AheadSuffix);
            File.WriteAllText(Path.Combine(backup, "copy.sh"), InBackup(JournalAheadArchive.CopyScript(mount, members, "dur.ahead.stat"), backup));
            Shell(backup, "sh copy.sh", aheadArchive);
            IReadOnlyDictionary<string, string> stats = JournalCopyAhead.ParseStat(members, File.ReadAllText(Path.Combine(backup, "dur.ahead.stat")))!;
            Assert.NotNull(stats);
            Assert.All(stats.Values, s => Assert.Matches(@"^\d+ \d+ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} [+-]\d{4} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} [+-]\d{4}$", s));
            (IList<BackupManifestEntry> aheadEntries, string aheadSha, long aheadBytes) = Scan(aheadArchive);
            Assert.Equal(members.OrderBy(m => m, StringComparer.Ordinal), aheadEntries.Select(e => e.Path).OrderBy(p => p, StringComparer.Ordinal));
            var ahead = new AheadCopy(mount, aheadArchive, members.Select(m => new AheadFile(m, stats[m])).ToList(), aheadEntries, aheadSha, aheadBytes);

            // Between the copy and the stop: a read-only database and a closed journal file change anyway, and the
            // current journal file keeps growing.
            Append(dur, "db/ro2/IRIS.DAT");
            Append(dur, "journal/20261201.002");
            Append(dur, "journal/20261201.003");
            Dictionary<string, string> atStop = Tree(dur);

            // After the stop: the check and the archive of everything else.
            string mainArchive = Path.Combine(backup, "dur.tar");
            var written = new List<string>();
            IList<string> kept;
            using (var check = new AheadCheck(ahead, mainArchive, written))
            {
                File.WriteAllText(check.Script, InBackup(File.ReadAllText(check.Script), backup));
                Shell(backup, "sh " + HelperContainerArchive.Quote(Path.GetFileName(check.Script)), mainArchive);
                (IList<BackupManifestEntry> mainEntries, _, _) = Scan(mainArchive);
                kept = check.Kept(mainEntries);
                Assert.Contains(mainEntries, e => e.Path == "dur/db/ro2/IRIS.DAT");
                Assert.Contains(mainEntries, e => e.Path == "dur/journal/20261201.002");
                Assert.DoesNotContain(mainEntries, e => e.Path == "dur/db/ro1/IRIS.DAT" || e.Path == "dur/journal/20261201.001");
                Assert.Contains(mainEntries, e => e.Path == "dur/iconfig/latest.cpf" && e.Kind == TarEntryKind.SymbolicLink);
            }

            Assert.Equal(new[] { "dur/db/ro1/IRIS.DAT", "dur/journal/20261201.001" }, kept.OrderBy(k => k, StringComparer.Ordinal));
            Assert.All(written, f => Assert.False(File.Exists(f) && f != mainArchive, f + " was left behind"));

            // The full restore: the mount (with a file the failed run added) emptied, the main archive, then the
            // kept files from the copy ahead, extracted in the background while every finished file (here: each
            // one, the groups being one byte) is archived again; then the links' owners, the listing, the rest.
            IList<BackupManifestEntry> manifest;
            (IList<BackupManifestEntry> restoredFrom, _, _) = Scan(mainArchive);
            manifest = JournalCopyAhead.Merge(restoredFrom, ahead.Entries, kept);
            Write(dur, "iconfig/added-by-the-failed-run", 10);
            var sources = new List<OverlappedRestoreScript.Source>
            {
                new OverlappedRestoreScript.Source(Path.GetFileName(mainArchive), List(mainArchive)),
                new OverlappedRestoreScript.Source(Path.GetFileName(aheadArchive), List(aheadArchive), new HashSet<string>(kept, StringComparer.Ordinal)),
            };
            File.WriteAllText(Path.Combine(backup, "restore.sh"), InBackup(OverlappedRestoreScript.Create(dur, sources, HelperContainerArchive.LinkOwnersScript(restoredFrom), "dur.after.list", groupBytes: 1), backup));
            string checkArchive = Path.Combine(backup, "dur.tar.restored");
            Shell(backup, "sh restore.sh", checkArchive);
            Assert.Equal(atStop, Tree(dur));
            var again = new List<BackupManifestEntry>();
            using (var read = File.OpenRead(checkArchive))
            {
                TarArchiveReader.ReadEntries(read, (info, content) => again.Add(BackupManifest.EntryOf(info, content)), series: true);
            }

            Assert.Empty(BackupManifest.Compare(manifest, again));
            Assert.Equal(manifest.Count, again.Count);
            Assert.Equal(manifest.Select(e => e.Path).OrderBy(p => p, StringComparer.Ordinal), OverlappedRestoreScript.ParseList(File.ReadAllText(Path.Combine(backup, "dur.after.list"))).OrderBy(p => p, StringComparer.Ordinal));

            // The differential restore's first pass (its stat list and archive of the mount as a failed run left
            // it): GNU find and stat lines must parse, and the plan must touch only the file that was changed.
            Append(dur, "db/rw/IRIS.DAT");
            string restoredArchive = Path.Combine(backup, "dur.tar.restored");
            File.WriteAllText(Path.Combine(backup, "pass1.sh"), "cd -- " + HelperContainerArchive.Quote(parent) + " && find dur -exec stat -c '" + RestorePlan.StatFormat + "' -- {} + > " + HelperContainerArchive.Quote(Path.Combine(backup, "dur.before.stat")) + " && exec tar cf - dur\n");
            Shell(backup, "sh pass1.sh", restoredArchive);
            (IList<BackupManifestEntry> found, _, _) = Scan(restoredArchive);
            RestorePlan? plan = RestorePlan.Create(manifest, found, File.ReadAllText(Path.Combine(backup, "dur.before.stat")));
            Assert.NotNull(plan);
            Assert.Equal(new[] { "dur/db/rw/IRIS.DAT" }, plan!.Restore.Select(e => e.Path));
            Assert.All(plan.Delete, d => Assert.Equal("dur/db/rw/IRIS.DAT", d));
        }

        // The helper sees the backup folder at /irisops-backup; here it is the temporary one.
        private static string InBackup(string script, string backup) => script.Replace(HelperContainerArchive.BackupFolderInContainer + "/", backup + "/");

        private static void Write(string root, string relative, int bytes)
        {
            var content = new byte[bytes];
            new Random(bytes).NextBytes(content);
            File.WriteAllBytes(Path.Combine(root, relative), content);
        }

        private static void Append(string root, string relative)
        {
            using var file = new FileStream(Path.Combine(root, relative), FileMode.Append);
            file.Write(new byte[] { 1, 2, 3 }, 0, 3);
        }

        private static IReadOnlyList<TarEntryInfo> List(string archive)
        {
            using var read = File.OpenRead(archive);
            return TarArchiveReader.List(read);
        }

        private static (IList<BackupManifestEntry>, string, long) Scan(string archive)
        {
            using var read = File.OpenRead(archive);
            return BackupManifest.Scan(read);
        }

        // Every file's content hash and every link's target, by path under root.
        private static Dictionary<string, string> Tree(string root)
        {
            var tree = new Dictionary<string, string>(StringComparer.Ordinal);
            var links = new HashSet<string>(Shell(root, "find . -type l").Split('\n').Where(l => l.Length > 2).Select(l => l.Substring(2)), StringComparer.Ordinal);
            foreach (string path in Directory.GetFileSystemEntries(root, "*", SearchOption.AllDirectories))
            {
                string name = path.Substring(root.Length + 1);
                if (links.Contains(name))
                {
                    tree[name] = "link " + Shell(root, "readlink " + HelperContainerArchive.Quote(name)).Trim();
                }
                else if (Directory.Exists(path))
                {
                    tree[name] = "directory";
                }
                else
                {
                    using var sha = SHA256.Create();
                    tree[name] = BitConverter.ToString(sha.ComputeHash(File.ReadAllBytes(path)));
                }
            }

            return tree;
        }

        // Runs a /bin/sh script in a folder (from a file beside it, as the helper does), standard output into a
        // file (or returned); a failure fails the test.
        internal static string Shell(string folder, string script, string? outputFile = null)
        {
            string file = Path.Combine(Path.GetDirectoryName(folder)!, ".test-" + Guid.NewGuid().ToString("N") + ".sh");
            File.WriteAllText(file, outputFile == null ? script : "{\n" + script + "\n} > " + HelperContainerArchive.Quote(outputFile) + "\n");
            var start = new ProcessStartInfo("/bin/sh", "\"" + file + "\"") { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(60_000), "the script did not end within 60 s: " + script);
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {error}\n{script}");
            File.Delete(file);
            return output;
        }
    }

    /// <summary>A fact that needs /bin/sh with GNU tar, find and coreutils stat; skipped, saying so, where they are absent.</summary>
    public sealed class GnuToolsFactAttribute : FactAttribute
    {
        private static readonly Lazy<string?> Missing = new Lazy<string?>(() =>
        {
            foreach ((string tool, string brand) in new[] { ("tar", "GNU tar"), ("find", "GNU findutils"), ("stat", "GNU coreutils") })
            {
                try
                {
                    var start = new ProcessStartInfo(tool, "--version") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
                    using Process process = Process.Start(start)!;
                    string output = process.StandardOutput.ReadToEnd();
                    process.WaitForExit(10_000);
                    if (!output.Contains(brand))
                    {
                        return $"'{tool} --version' does not say {brand}";
                    }
                }
                catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is InvalidOperationException)
                {
                    return $"{tool} is not on this machine ({ex.Message})";
                }
            }

            return File.Exists("/bin/sh") ? null : "/bin/sh is not on this machine";
        });

        public GnuToolsFactAttribute()
        {
            if (Missing.Value != null)
            {
                Skip = "Needs GNU tar, find and coreutils stat: " + Missing.Value + ".";
            }
        }
    }
}
