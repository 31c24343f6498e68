using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>Which entries a differential restore extracts, removes and keeps, and its check afterwards.</summary>
    public sealed class RestorePlanTests
    {
        private static BackupManifestEntry Dir(string path, int mode = 0x1ED, int uid = 51773) =>
            new BackupManifestEntry { Path = path, Kind = TarEntryKind.Directory, Mode = mode, Uid = uid, Gid = 51773 };

        internal static BackupManifestEntry File(string path, string sha, long size = 10, int mode = 0x1A4, int uid = 51773, long? modified = 100) =>
            new BackupManifestEntry { Path = path, Kind = TarEntryKind.File, Size = size, Mode = mode, Uid = uid, Gid = 51773, Sha256 = sha, Modified = modified };

        private static BackupManifestEntry Link(string path, string target, int uid = 51773) =>
            new BackupManifestEntry { Path = path, Kind = TarEntryKind.SymbolicLink, Mode = 0x1FF, Uid = uid, Gid = 51773, LinkTarget = target };

        private static BackupManifestEntry Copy(BackupManifestEntry e) =>
            new BackupManifestEntry { Path = e.Path, Kind = e.Kind, Size = e.Size, Mode = e.Mode, Uid = e.Uid, Gid = e.Gid, LinkTarget = e.LinkTarget, Sha256 = e.Sha256, Modified = e.Modified };

        // The stat lines a helper would print for these entries (inode from the position, fixed times).
        private static string Stat(IEnumerable<BackupManifestEntry> entries, int inodeBase = 1) =>
            string.Concat(entries.Select((e, i) =>
                $"{(e.Kind == TarEntryKind.File ? 0x8000 : e.Kind == TarEntryKind.Directory ? 0x4000 : 0xA000) | (e.Mode & 0xFFF):x} {e.Uid} {e.Gid} {(e.Kind == TarEntryKind.File ? e.Size : 4096)} {inodeBase + i} 2026-12-02 03:00:00.000000001 +0000 2026-12-02 03:00:00.000000002 +0000 {e.Path}\n"));

        private static List<BackupManifestEntry> Manifest() => new List<BackupManifestEntry>
        {
            Dir("dur"), Dir("dur/a"), File("dur/a/f", "aa"), File("dur/a/big", "bb", size: 1000), Link("dur/a/l", "f"), Dir("dur/c", mode: 0x1E8), File("dur/c/g", "cc"), File("dur/h", "hh"),
        };

        [Fact]
        public void Every_kind_of_difference_is_restored_or_removed_and_the_rest_kept()
        {
            List<BackupManifestEntry> manifest = Manifest();
            var found = manifest.Select(Copy).ToList();
            found.Single(e => e.Path == "dur/a/f").Sha256 = "changed";
            found.Single(e => e.Path == "dur/c").Mode = 0x1C0;
            found.Single(e => e.Path == "dur/c/g").Uid = 0;
            found.Single(e => e.Path == "dur/a/l").LinkTarget = "big";
            found.RemoveAll(e => e.Path == "dur/h");
            found.Add(Dir("dur/h"));
            found.Add(File("dur/h/inside", "ii"));
            found.Add(Dir("dur/new"));
            found.Add(File("dur/new/n", "nn"));
            found.Add(File("dur/extra", "ee"));

            RestorePlan plan = RestorePlan.Create(manifest, found, Stat(found))!;

            Assert.Equal(new[] { "dur/a/f", "dur/a/l", "dur/c", "dur/c/g", "dur/h" }, plan.Restore.Select(e => e.Path).OrderBy(p => p, StringComparer.Ordinal));
            Assert.Equal(new[] { "dur/a/f", "dur/a/l", "dur/c/g", "dur/extra", "dur/h", "dur/new" }, plan.Delete);
            Assert.Equal(new[] { "dur", "dur/a", "dur/a/big" }, plan.Kept.Keys.OrderBy(p => p, StringComparer.Ordinal));
            Assert.Equal(1000, plan.KeptBytes);
            Assert.Equal(30, plan.RestoreBytes);
        }

        [Fact]
        public void A_touched_file_is_restored_a_missing_one_too_and_nothing_differing_means_nothing_to_do()
        {
            List<BackupManifestEntry> manifest = Manifest();
            Assert.True(RestorePlan.Create(manifest, manifest.Select(Copy).ToList(), Stat(manifest))!.NothingToDo);

            var found = manifest.Select(Copy).ToList();
            found.Single(e => e.Path == "dur/a/f").Modified = 200;
            found.RemoveAll(e => e.Path == "dur/c/g");
            RestorePlan plan = RestorePlan.Create(manifest, found, Stat(found))!;
            Assert.Equal(new[] { "dur/a/f", "dur/c/g" }, plan.Restore.Select(e => e.Path));
            Assert.Equal(new[] { "dur/a/f" }, plan.Delete);

            // A manifest written before modification times were recorded: a touched file is kept.
            foreach (BackupManifestEntry e in manifest)
            {
                e.Modified = null;
            }

            Assert.Equal(new[] { "dur/c/g" }, RestorePlan.Create(manifest, found, Stat(found))!.Restore.Select(e => e.Path));
        }

        [Fact]
        public void The_stat_lines_alone_give_the_bytes_a_restore_needs_at_least_before_any_content_is_read()
        {
            long at = new DateTimeOffset(2026, 12, 2, 3, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
            var manifest = new List<BackupManifestEntry>
            {
                Dir("dur"), File("dur/same", "s", size: 100, modified: at), File("dur/content-only", "c", size: 200, modified: at), File("dur/touched", "t", size: 400, modified: at - 1),
                File("dur/grown", "g", size: 800, modified: at), File("dur/gone", "x", size: 1600, modified: at), File("dur/chmod", "m", size: 3200, modified: at),
            };
            var found = manifest.Where(e => e.Path != "dur/gone").Select(Copy).ToList();
            found.Single(e => e.Path == "dur/grown").Size = 801;
            found.Single(e => e.Path == "dur/chmod").Mode = 0x180;

            // Changed content with the same size and time is not seen here (the hashes find it later).
            Assert.Equal(400 + 800 + 1600 + 3200, RestorePlan.ChangedBytesByStat(manifest, Stat(found)));
            string otherZone = Stat(found).Replace("2026-12-02 03:00:00.000000001 +0000", "2026-12-02 04:00:00.999999999 +0100");
            Assert.Equal(400 + 800 + 1600 + 3200, RestorePlan.ChangedBytesByStat(manifest, otherZone));
            Assert.Null(RestorePlan.ChangedBytesByStat(manifest, "not a stat line\n"));
        }

        [Fact]
        public void Hard_links_special_files_line_breaks_and_listings_that_disagree_need_a_full_restore()
        {
            List<BackupManifestEntry> manifest = Manifest();
            var withHardLink = manifest.Select(Copy).Append(new BackupManifestEntry { Path = "dur/a/hard", Kind = TarEntryKind.HardLink, LinkTarget = "dur/a/f" }).ToList();
            Assert.Null(RestorePlan.Create(manifest, withHardLink, Stat(manifest)));
            Assert.Null(RestorePlan.Create(withHardLink, manifest, Stat(manifest)));

            // A backup that holds one is restored whole without comparing the mount first (that would only add to it).
            Assert.True(RestorePlan.Handles(manifest));
            Assert.False(RestorePlan.Handles(withHardLink));
            var withBreak = manifest.Select(Copy).Append(File("dur/a/two\nlines", "xx")).ToList();
            Assert.Null(RestorePlan.Create(manifest, withBreak, Stat(withBreak)));

            // The stat lines must list the same paths with the same owner as the archive.
            Assert.Null(RestorePlan.Create(manifest, manifest, Stat(manifest.Take(3))));
            var otherOwner = manifest.Select(Copy).ToList();
            otherOwner[2].Uid = 0;
            Assert.Null(RestorePlan.Create(manifest, manifest, Stat(otherOwner)));
            Assert.Null(RestorePlan.Create(manifest, manifest, "not a stat line\n"));
        }

        [Fact]
        public void The_check_after_the_restore_needs_the_restored_entries_archived_again_and_kept_files_untouched()
        {
            List<BackupManifestEntry> manifest = Manifest();
            var found = manifest.Select(Copy).ToList();
            found.Single(e => e.Path == "dur/a/f").Sha256 = "changed";
            found.Add(File("dur/extra", "ee"));
            string before = Stat(found);
            RestorePlan plan = RestorePlan.Create(manifest, found, before)!;
            var again = new List<BackupManifestEntry> { Copy(manifest[0]), Copy(manifest[2]) };

            // The mount after the restore: a/f replaced (a new inode), extra gone, everything else as before.
            string after = string.Concat(before.Split('\n').Where(l => l.Length > 0 && !l.EndsWith(" dur/extra", StringComparison.Ordinal))
                .Select(l => l.EndsWith(" dur/a/f", StringComparison.Ordinal) ? l.Replace(" 3 2026", " 99 2026") : l).Select(l => l + "\n"));
            Assert.Empty(plan.Verify(manifest, after, again));

            // The restored file archived again with other content; a kept file rewritten since it was hashed; an extra path; a missing one.
            var wrong = new List<BackupManifestEntry> { Copy(manifest[0]), File("dur/a/f", "other") };
            Assert.Contains(plan.Verify(manifest, after, wrong), p => p.Contains("'dur/a/f' has different content", StringComparison.Ordinal));
            Assert.Contains(plan.Verify(manifest, after.Replace(" 4 2026", " 77 2026"), again), p => p == "'dur/a/big' changed after it was checked");
            Assert.Contains(plan.Verify(manifest, after + after.Split('\n')[2].Replace("dur/a/f", "dur/a/new") + "\n", again), p => p == "'dur/a/new' is not in the backup");
            Assert.Contains(plan.Verify(manifest, string.Concat(after.Split('\n').Where(l => l.Length > 0 && !l.EndsWith(" dur/h", StringComparison.Ordinal)).Select(l => l + "\n")), again), p => p == "'dur/h' is missing");
            Assert.Contains(plan.Verify(manifest, after.Replace("41e8 51773", "41ff 51773"), again), p => p.StartsWith("'dur/c' has mode 777", StringComparison.Ordinal));
        }
    }
}
