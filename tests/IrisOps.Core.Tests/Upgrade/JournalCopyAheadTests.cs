using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>JournalCopyAhead: which journal files are closed, which copies still hold after the stop, and the merged manifest.</summary>
    public class JournalCopyAheadTests
    {
        private static readonly MountSpec Mount = new MountSpec { Kind = MountKind.Bind, Source = "/host/dur", Target = "/dur" };

        [Fact]
        public void ClosedLeavesOutTheNewestFileAcrossBothDirectories()
        {
            IReadOnlyList<string> closed = JournalCopyAhead.Closed(new[]
            {
                "/dur/journal/20261201.001", "/dur/journal/20261201.002", "/dur/journal/20261130.009",
                "/dur/altjournal/20261202.001", "/dur/journal/iris.lck", "/dur/journal/20261201.002.tmp",
            });
            Assert.Equal(new[] { "/dur/journal/20261130.009", "/dur/journal/20261201.001", "/dur/journal/20261201.002" }, closed);
        }

        [Fact]
        public void ClosedOrdersByDateAndSuffixNotByPrefix()
        {
            IReadOnlyList<string> closed = JournalCopyAhead.Closed(new[] { "/j/ZZ20261201.001", "/j/AA20261201.002" });
            Assert.Equal(new[] { "/j/ZZ20261201.001" }, closed);
        }

        [Fact]
        public void ClosedTakesNothingWithoutJournalFilesOrWithUnusualNames()
        {
            Assert.Empty(JournalCopyAhead.Closed(new string[0]));
            Assert.Empty(JournalCopyAhead.Closed(new[] { "/dur/journal/20261201.001" }));
            Assert.Empty(JournalCopyAhead.Closed(new[] { "/dur/my journal/20261201.001", "/dur/journal/20261201.002" }));
            Assert.Empty(JournalCopyAhead.Closed(new[] { "/dur/../x/20261201.001", "/dur/journal/20261201.002" }));
            Assert.Empty(JournalCopyAhead.Closed(new[] { "/-dur/journal/20261201.001", "/-dur/journal/20261201.002" }));
        }

        [Fact]
        public void MemberIsTheNameInTheMountsArchive()
        {
            Assert.Equal("dur/journal/20261201.001", JournalCopyAhead.Member(Mount, "/dur/journal/20261201.001"));
            Assert.Null(JournalCopyAhead.Member(Mount, "/durable/journal/20261201.001"));
        }

        [Fact]
        public void CompareSortsUnchangedChangedAndVanished()
        {
            var before = new[]
            {
                new AheadFile("dur/journal/20261201.001", "11 64 2026-12-01 10:00:00.1 +0000 2026-12-01 10:00:00.1 +0000"),
                new AheadFile("dur/journal/20261201.002", "12 64 2026-12-01 11:00:00.1 +0000 2026-12-01 11:00:00.1 +0000"),
                new AheadFile("dur/journal/20261201.003", "13 64 2026-12-01 12:00:00.1 +0000 2026-12-01 12:00:00.1 +0000"),
                new AheadFile("dur/journal/20261201.004", "14 64 2026-12-01 13:00:00.1 +0000 2026-12-01 13:00:00.1 +0000"),
            };
            var after = new Dictionary<string, string>
            {
                ["dur/journal/20261201.001"] = before[0].Stat,
                ["dur/journal/20261201.002"] = "12 64 2026-12-01 11:00:00.1 +0000 2026-12-02 01:00:00.5 +0000",
                ["dur/journal/20261201.003"] = JournalCopyAhead.Gone,
            };
            var (unchanged, changed, vanished) = JournalCopyAhead.Compare(before, after);
            Assert.Equal(new[] { "dur/journal/20261201.001" }, unchanged);
            Assert.Equal(new[] { "dur/journal/20261201.002" }, changed);
            Assert.Equal(new[] { "dur/journal/20261201.003", "dur/journal/20261201.004" }, vanished);
        }

        [Fact]
        public void MergeKeepsUnchangedAheadEntriesAndTheMainArchiveWins()
        {
            var main = new List<BackupManifestEntry>
            {
                new BackupManifestEntry { Path = "dur/", Kind = TarEntryKind.Directory },
                new BackupManifestEntry { Path = "dur/journal/20261201.002", Kind = TarEntryKind.File, Sha256 = "new" },
                new BackupManifestEntry { Path = "dur/journal/20261201.009", Kind = TarEntryKind.File, Sha256 = "current" },
            };
            var ahead = new List<BackupManifestEntry>
            {
                new BackupManifestEntry { Path = "dur/journal/20261201.001", Kind = TarEntryKind.File, Sha256 = "one" },
                new BackupManifestEntry { Path = "dur/journal/20261201.002", Kind = TarEntryKind.File, Sha256 = "old" },
                new BackupManifestEntry { Path = "dur/journal/20261201.003", Kind = TarEntryKind.File, Sha256 = "purged" },
            };
            IList<BackupManifestEntry> merged = JournalCopyAhead.Merge(main, ahead, new[] { "dur/journal/20261201.001", "dur/journal/20261201.002" });
            Assert.Equal(new[] { "dur/", "dur/journal/20261201.002", "dur/journal/20261201.009", "dur/journal/20261201.001" }, merged.Select(e => e.Path));
            Assert.Equal("new", merged.Single(e => e.Path == "dur/journal/20261201.002").Sha256);
        }

        [Fact]
        public void StatScriptPrintsOneLinePerMemberAndParseRefusesAnotherCount()
        {
            string script = JournalCopyAhead.StatScript(new[] { "dur/journal/20261201.001" });
            Assert.Equal("stat -c '%i %s %y %z' -- 'dur/journal/20261201.001' 2>/dev/null || echo gone\n", script);
            var members = new[] { "a", "b" };
            Assert.Equal("gone", JournalCopyAhead.ParseStat(members, "1 2 x\ngone\n")!["b"]);
            Assert.Null(JournalCopyAhead.ParseStat(members, "1 2 x\n"));
        }
    

        [Fact]
        public void ManifestWithAheadArchiveRoundTripsAndNamesWhatEachArchiveHolds()
        {
            var manifest = new BackupManifest
            {
                ContainerPath = "/dur",
                ArchiveFile = "dur.tar",
                ArchiveSha256 = "aa",
                Entries = new List<BackupManifestEntry>
                {
                    new BackupManifestEntry { Path = "dur/", Kind = TarEntryKind.Directory, Mode = 0x1ED },
                    new BackupManifestEntry { Path = "dur/journal/20261201.001", Kind = TarEntryKind.File, Size = 3, Sha256 = "one" },
                },
                AheadArchiveFile = "dur.ahead.tar",
                AheadArchiveSha256 = "bb",
                AheadArchiveBytes = 2048,
                AheadEntries = new List<BackupManifestEntry>
                {
                    new BackupManifestEntry { Path = "dur/journal/20261201.001", Kind = TarEntryKind.File, Size = 3, Sha256 = "one" },
                    new BackupManifestEntry { Path = "dur/journal/20261201.002", Kind = TarEntryKind.File, Size = 3, Sha256 = "purged" },
                },
                AheadRestored = new List<string> { "dur/journal/20261201.001" },
            };
            BackupManifest read = BackupManifest.Parse(manifest.ToJson(), "test");
            Assert.Equal(BackupManifest.WithAheadFormat, read.Format);
            Assert.Equal("dur.ahead.tar", read.AheadArchiveFile);
            Assert.Equal(2048, read.AheadArchiveBytes);
            Assert.Equal(2, read.AheadEntries.Count);
            Assert.Equal(new[] { "dur/journal/20261201.001" }, read.AheadRestored);
            Assert.Equal(new[] { "dur/" }, read.MainEntries().Select(e => e.Path));
            Assert.Equal(BackupManifest.CurrentFormat, BackupManifest.Parse(new BackupManifest { ArchiveFile = "x.tar" }.ToJson(), "plain").Format);
        }
    }
}
