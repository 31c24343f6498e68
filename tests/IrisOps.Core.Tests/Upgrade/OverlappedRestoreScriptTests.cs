using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    public sealed class OverlappedRestoreScriptTests
    {
        private static TarEntryInfo Dir(string path) => new TarEntryInfo { Path = path, Kind = TarEntryKind.Directory };

        private static TarEntryInfo File(string path, long size) => new TarEntryInfo { Path = path, Kind = TarEntryKind.File, Size = size };

        private static List<string> Lines(string script) => script.Split('\n').Where(l => l.Length > 0).ToList();

        [Fact]
        public void Files_are_archived_again_a_group_at_a_time_once_tar_has_reached_the_entry_after_the_group()
        {
            var entries = new[] { Dir("dur"), File("dur/a", 40), File("dur/b", 40), Dir("dur/sub"), File("dur/sub/c", 40), File("dur/sub/d", 10) };

            List<string> lines = Lines(OverlappedRestoreScript.Create("/dur", new[] { new OverlappedRestoreScript.Source("dur.tar", entries) }, string.Empty, "dur.after.list", groupBytes: 64));

            Assert.Equal("cd -- '/dur' && rm -rf -- ./* ./.[!.]* ./..?* || exit 1", lines[0]);
            Assert.Equal("cd -- '/' || exit 1", lines[1]);
            int extract = lines.IndexOf("tar xpf /irisops-backup/'dur.tar' & x=$!");
            Assert.True(extract > 1);

            // a and b make 80 bytes (a group of 64 or more): checked once 'dur/sub' exists; c and d after tar ended.
            Assert.Equal("after 'dur/sub'; tar cf - --no-recursion 'dur/a' 'dur/b' || fail", lines[extract + 1]);
            Assert.Equal("wait \"$x\" || exit 1", lines[extract + 2]);
            Assert.Equal("tar cf - --no-recursion 'dur/sub/c' 'dur/sub/d' || fail", lines[extract + 3]);
            Assert.Equal("find 'dur' -print0 > /irisops-backup/'dur.after.list' || exit 1", lines[extract + 4]);
            Assert.Equal("tar cf - --no-recursion 'dur' 'dur/sub' || exit 1", lines[extract + 5]);
            Assert.Equal(extract + 6, lines.Count);
        }

        [Fact]
        public void Links_directories_special_files_and_hard_linked_files_are_archived_after_every_extraction_and_the_link_owners()
        {
            var entries = new[]
            {
                Dir("dur"),
                File("dur/target", 5),
                File("dur/plain", 5),
                new TarEntryInfo { Path = "dur/hard", Kind = TarEntryKind.HardLink, LinkTarget = "dur/target" },
                new TarEntryInfo { Path = "dur/soft", Kind = TarEntryKind.SymbolicLink, LinkTarget = "plain" },
                new TarEntryInfo { Path = "dur/fifo", Kind = TarEntryKind.Other },
                File("dur/it's", 5),
            };

            List<string> lines = Lines(OverlappedRestoreScript.Create("/mnt/dur/", new[] { new OverlappedRestoreScript.Source("dur.tar", entries) }, "chown -h 1:1 -- 'dur/soft' || exit 1\n", "s", groupBytes: 1));

            // Each plain file is its own group; a file with a hard link is not archived before its link.
            Assert.Contains("after 'dur/hard'; tar cf - --no-recursion 'dur/plain' || fail", lines);
            Assert.Contains("tar cf - --no-recursion 'dur/it'\\''s' || fail", lines);
            int owners = lines.IndexOf("chown -h 1:1 -- 'dur/soft' || exit 1");
            Assert.True(owners > lines.IndexOf("wait \"$x\" || exit 1"));
            Assert.StartsWith("find 'dur' -print0 > ", lines[owners + 1], StringComparison.Ordinal);
            Assert.Equal("tar cf - --no-recursion 'dur' 'dur/target' 'dur/hard' 'dur/soft' 'dur/fifo' || exit 1", lines[owners + 2]);
            Assert.Equal("cd -- '/mnt' || exit 1", lines[1]);
        }

        [Fact]
        public void Only_the_members_of_a_second_archive_are_extracted_after_the_first_and_checked_the_same_way()
        {
            var main = new[] { Dir("dur"), File("dur/db", 100) };
            var ahead = new[] { File("dur/j1", 100), File("dur/changed", 100), File("dur/j2", 100) };

            List<string> lines = Lines(OverlappedRestoreScript.Create("/dur", new[]
            {
                new OverlappedRestoreScript.Source("dur.tar", main),
                new OverlappedRestoreScript.Source("dur.ahead.tar", ahead, new HashSet<string> { "dur/j1", "dur/j2" }),
            }, string.Empty, "s", groupBytes: 1));

            int first = lines.IndexOf("tar xpf /irisops-backup/'dur.tar' & x=$!");
            int second = lines.IndexOf("tar xpf /irisops-backup/'dur.ahead.tar' 'dur/j1' 'dur/j2' & x=$!");
            Assert.True(first >= 0 && second > first);
            Assert.Equal("wait \"$x\" || exit 1", lines[second - 1]);

            // The first archive's last file is archived again while the second archive is extracted.
            Assert.Equal("tar cf - --no-recursion 'dur/db' || fail", lines[second + 1]);
            Assert.Equal("after 'dur/j2'; tar cf - --no-recursion 'dur/j1' || fail", lines[second + 2]);
            Assert.Equal("wait \"$x\" || exit 1", lines[second + 3]);
            Assert.Equal("tar cf - --no-recursion 'dur/j2' || fail", lines[second + 4]);
            Assert.DoesNotContain(lines, l => l.Contains("dur/changed", StringComparison.Ordinal));
        }

        [Fact]
        public void The_listing_gives_every_name_even_one_with_a_line_break()
        {
            Assert.Equal(new[] { "dur", "dur/a\nb", "dur/c d" }, OverlappedRestoreScript.ParseList("dur/\0dur/a\nb\0dur/c d\0"));
        }

        [Fact]
        public void Command_lines_stay_short_but_a_hard_link_shares_its_files_line()
        {
            var entries = new List<TarEntryInfo> { Dir("dur") };
            string longName = new string('n', 200);
            for (int i = 0; i < 400; i++)
            {
                entries.Add(Dir("dur/" + longName + i));
            }

            entries.Insert(350, File("dur/target", 1));
            entries.Add(new TarEntryInfo { Path = "dur/hard", Kind = TarEntryKind.HardLink, LinkTarget = "dur/target" });

            List<string> archiveAgain = Lines(OverlappedRestoreScript.Create("/dur", new[] { new OverlappedRestoreScript.Source("dur.tar", entries) }, string.Empty, "s"))
                .Where(l => l.StartsWith("tar cf - --no-recursion", StringComparison.Ordinal)).ToList();

            Assert.True(archiveAgain.Count >= 2);
            Assert.All(archiveAgain.Take(archiveAgain.Count - 1), l => Assert.True(l.Length < OverlappedRestoreScript.GroupNameBytes + 300, l.Length.ToString()));
            Assert.Single(archiveAgain, l => l.Contains("'dur/target'", StringComparison.Ordinal) && l.Contains("'dur/hard'", StringComparison.Ordinal));
        }
    }
}
