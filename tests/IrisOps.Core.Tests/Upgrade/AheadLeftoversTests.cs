using System;
using System.IO;
using System.Linq;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>AheadLeftovers: what a killed run left between the copy ahead and the backup goes; every backup stays.</summary>
    public class AheadLeftoversTests
    {
        private static void Touch(string path) => File.WriteAllText(path, "x");

        private static void Manifest(string folder, string label, string? ahead)
        {
            var manifest = new BackupManifest
            {
                Container = "node",
                Image = "img:1",
                ContainerPath = "/" + label,
                Source = "volume:v",
                DataDirectory = "/dur/iconfig",
                CreatedUtc = DateTime.UtcNow,
                ArchiveFile = label + ".tar",
                ArchiveSha256 = new string('0', 64),
            };
            if (ahead != null)
            {
                manifest.AheadArchiveFile = ahead;
                manifest.AheadArchiveSha256 = new string('1', 64);
            }

            File.WriteAllText(Path.Combine(folder, label + DurableBackup.ManifestSuffix), manifest.ToJson());
        }

        [Fact]
        public void Removes_only_unreferenced_ahead_archives_and_working_files_of_earlier_runs()
        {
            using var work = new TempFolder();
            string killed = work.Combine("node", "20261201-100000");
            string finished = work.Combine("node", "20261201-110000");
            string current = work.Combine("node", "20261202-090000");
            foreach (string folder in new[] { killed, finished, current })
            {
                Directory.CreateDirectory(folder);
            }

            // Killed after the copy ahead: no manifest at all.
            foreach (string name in new[] { "dur.ahead.tar", "dur.ahead.stat", "dur.ahead.list", "journal.ahead.tar.partial", ".irisops-ahead-0123456789abcdef0123456789abcdef.sh", "dur.tar.partial", "dur.tar.kept", "dur.tar.after", "dur.tar.list", "dur.tar.sh", "upgrade-journal.json", "notes.ahead.tar.txt", "my.ahead.tar.bak" })
            {
                Touch(Path.Combine(killed, name));
            }

            // A finished backup: its ahead archive is named by a manifest; another mount's was never taken over.
            Manifest(finished, "dur", "dur.ahead.tar");
            Manifest(finished, "journal", null);
            foreach (string name in new[] { "dur.tar", "dur.ahead.tar", "journal.tar", "journal.ahead.tar", "upgrade-journal.json" })
            {
                Touch(Path.Combine(finished, name));
            }

            // The current run's own files are never touched.
            Touch(Path.Combine(current, "dur.ahead.tar"));
            Touch(Path.Combine(current, "dur.ahead.stat"));

            var removed = AheadLeftovers.RemoveFromEarlierRuns(current).Select(f => f.Substring(work.Path.Length + 1).Replace('\\', '/')).ToList();

            Assert.Equal(new[]
            {
                "node/20261201-100000/.irisops-ahead-0123456789abcdef0123456789abcdef.sh",
                "node/20261201-100000/dur.ahead.list", "node/20261201-100000/dur.ahead.stat", "node/20261201-100000/dur.ahead.tar",
                "node/20261201-100000/dur.tar.after", "node/20261201-100000/dur.tar.kept", "node/20261201-100000/dur.tar.list",
                "node/20261201-100000/dur.tar.partial", "node/20261201-100000/dur.tar.sh", "node/20261201-100000/journal.ahead.tar.partial",
                "node/20261201-110000/journal.ahead.tar",
            }, removed.OrderBy(f => f, StringComparer.Ordinal));
            Assert.Equal(new[] { "my.ahead.tar.bak", "notes.ahead.tar.txt", "upgrade-journal.json" }, Names(killed));
            Assert.Equal(new[] { "dur.ahead.tar", "dur.manifest.json", "dur.tar", "journal.manifest.json", "journal.tar", "upgrade-journal.json" }, Names(finished));
            Assert.Equal(new[] { "dur.ahead.stat", "dur.ahead.tar" }, Names(current));
        }

        [Fact]
        public void A_folder_whose_manifest_cannot_be_read_is_left_alone()
        {
            using var work = new TempFolder();
            string earlier = work.Combine("node", "20261201-100000");
            string current = work.Combine("node", "20261202-090000");
            Directory.CreateDirectory(earlier);
            File.WriteAllText(Path.Combine(earlier, "dur" + DurableBackup.ManifestSuffix), "{ not json");
            Touch(Path.Combine(earlier, "dur.ahead.tar"));
            Touch(Path.Combine(earlier, "dur.ahead.stat"));

            Assert.Empty(AheadLeftovers.RemoveFromEarlierRuns(current));
            Assert.Equal(new[] { "dur.ahead.stat", "dur.ahead.tar", "dur.manifest.json" }, Names(earlier));
        }

        [Fact]
        public void Nothing_happens_without_earlier_runs()
        {
            using var work = new TempFolder();
            Assert.Empty(AheadLeftovers.RemoveFromEarlierRuns(work.Combine("node", "20261202-090000")));
        }

        private static string[] Names(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToArray()!;
    }
}
