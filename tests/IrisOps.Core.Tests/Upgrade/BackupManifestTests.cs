using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>BackupManifest and DurableBackup.Verify: the archive scan, the manifest, and the comparison that verifies a backup.</summary>
    public class BackupManifestTests
    {
        private static string Sha(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

        // An archive written by .NET's own tar writer (independent of the reader under test).
        // The modification time of every file of the sample archives.
        private static readonly DateTimeOffset FileTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

        internal static byte[] Archive(TarEntryFormat format, IDictionary<string, byte[]> files, string longName)
        {
            using var buffer = new MemoryStream();
            using (var writer = new TarWriter(buffer, format, leaveOpen: true))
            {
                writer.WriteEntry(Directory(format, "dur/"));
                writer.WriteEntry(Directory(format, "dur/iconfig/"));
                foreach (KeyValuePair<string, byte[]> file in files)
                {
                    TarEntry entry = format == TarEntryFormat.Pax ? new PaxTarEntry(TarEntryType.RegularFile, file.Key)
                        : format == TarEntryFormat.Gnu ? new GnuTarEntry(TarEntryType.RegularFile, file.Key)
                        : new UstarTarEntry(TarEntryType.RegularFile, file.Key);
                    entry.Uid = 51773;
                    entry.Gid = 51773;
                    entry.Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
                    entry.ModificationTime = FileTime;
                    entry.DataStream = new MemoryStream(file.Value);
                    writer.WriteEntry(entry);
                }

                TarEntry link = format == TarEntryFormat.Pax ? new PaxTarEntry(TarEntryType.SymbolicLink, "dur/iconfig/latest")
                    : format == TarEntryFormat.Gnu ? new GnuTarEntry(TarEntryType.SymbolicLink, "dur/iconfig/latest")
                    : new UstarTarEntry(TarEntryType.SymbolicLink, "dur/iconfig/latest");
                link.LinkName = format == TarEntryFormat.Ustar ? "iris.cpf" : longName; // ustar links are limited to 100 characters
                writer.WriteEntry(link);
            }

            return buffer.ToArray();
        }

        private static TarEntry Directory(TarEntryFormat format, string name)
        {
            TarEntry entry = format == TarEntryFormat.Pax ? new PaxTarEntry(TarEntryType.Directory, name)
                : format == TarEntryFormat.Gnu ? new GnuTarEntry(TarEntryType.Directory, name)
                : new UstarTarEntry(TarEntryType.Directory, name);
            entry.Uid = 51773;
            entry.Gid = 51773;
            entry.Mode = (UnixFileMode)Convert.ToInt32("755", 8);
            return entry;
        }

        internal static Dictionary<string, byte[]> SampleFiles(string longName)
        {
            var random = new Random(7);
            var big = new byte[70_001];
            random.NextBytes(big);
            return new Dictionary<string, byte[]>
            {
                ["dur/iconfig/iris.cpf"] = Encoding.UTF8.GetBytes("[Databases]\nUSER=/dur/iconfig/mgr/user/\n"),
                ["dur/iconfig/mgr/IRIS.DAT"] = big,
                ["dur/iconfig/empty"] = Array.Empty<byte>(),
                [longName] = Encoding.UTF8.GetBytes("deep"),
            };
        }

        [Theory]
        [InlineData(TarEntryFormat.Pax)]
        [InlineData(TarEntryFormat.Gnu)]
        [InlineData(TarEntryFormat.Ustar)]
        public void Scan_lists_every_entry_with_the_sha256_of_its_content_and_of_the_whole_archive(TarEntryFormat format)
        {
            // Ustar keeps names up to 255 characters through its prefix field; PAX and GNU take longer ones.
            string longName = "dur/iconfig/" + string.Join("/", Enumerable.Repeat(format == TarEntryFormat.Ustar ? "d123456789" : "directory-with-a-long-name", 8)) + "/file.dat";
            Dictionary<string, byte[]> files = SampleFiles(longName);
            byte[] archive = Archive(format, files, longName);

            (IList<BackupManifestEntry> entries, string archiveSha, long bytes) = BackupManifest.Scan(new MemoryStream(archive));

            Assert.Equal(Sha(archive), archiveSha);
            Assert.Equal(archive.Length, bytes);
            Assert.Equal(new[] { "dur", "dur/iconfig" }, entries.Where(e => e.Kind == TarEntryKind.Directory).Select(e => e.Path));
            foreach (KeyValuePair<string, byte[]> file in files)
            {
                BackupManifestEntry entry = Assert.Single(entries, e => e.Path == file.Key);
                Assert.Equal(TarEntryKind.File, entry.Kind);
                Assert.Equal(file.Value.Length, entry.Size);
                Assert.Equal(Sha(file.Value), entry.Sha256);
                Assert.Equal(51773, entry.Uid);
                Assert.Equal(Convert.ToInt32("640", 8), entry.Mode & 0xFFF);
                Assert.Equal(FileTime.ToUnixTimeSeconds(), entry.Modified);
            }

            BackupManifestEntry link = Assert.Single(entries, e => e.Kind == TarEntryKind.SymbolicLink);
            Assert.Equal(format == TarEntryFormat.Ustar ? "iris.cpf" : longName, link.LinkTarget);
        }

        [Fact]
        public void A_damaged_or_truncated_archive_is_refused()
        {
            string longName = "dur/iconfig/x.dat";
            byte[] archive = Archive(TarEntryFormat.Pax, SampleFiles(longName), longName);
            byte[] headerDamaged = (byte[])archive.Clone();
            headerDamaged[10] ^= 0x40; // inside the first header's name: the checksum no longer matches
            Assert.Throws<InvalidDataException>(() => BackupManifest.Scan(new MemoryStream(headerDamaged)));
            Assert.Throws<InvalidDataException>(() => BackupManifest.Scan(new MemoryStream(archive.Take(archive.Length / 2 + 100).ToArray())));
        }

        [Fact]
        public void A_manifest_round_trips_through_its_json_and_VerifyBackup_accepts_the_intact_backup_and_names_a_changed_file()
        {
            using var folder = new TempFolder();
            string longName = "dur/iconfig/" + new string('n', 120);
            byte[] archive = Archive(TarEntryFormat.Pax, SampleFiles(longName), longName);
            File.WriteAllBytes(folder.Combine(DurableBackup.ArchiveFileName), archive);
            (IList<BackupManifestEntry> entries, string sha, long bytes) = BackupManifest.Scan(new MemoryStream(archive));
            var manifest = new BackupManifest
            {
                Container = "node", Image = "app:1", ContainerPath = "/dur", Source = "volume:node-durable", DataDirectory = "/dur/iconfig",
                CreatedUtc = new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), ArchiveFile = DurableBackup.ArchiveFileName,
                ArchiveSha256 = sha, ArchiveBytes = bytes, Entries = entries,
            };
            File.WriteAllText(folder.Combine(DurableBackup.ManifestFileName), manifest.ToJson());

            BackupManifest parsed = BackupManifest.Parse(File.ReadAllText(folder.Combine(DurableBackup.ManifestFileName)), "manifest.json");
            Assert.Equal(manifest.ArchiveSha256, parsed.ArchiveSha256);
            Assert.Equal(manifest.CreatedUtc, parsed.CreatedUtc);
            Assert.Equal("volume:node-durable", parsed.Source);
            Assert.Empty(BackupManifest.Compare(manifest.Entries, parsed.Entries));
            Assert.Equal(manifest.Entries.Select(e => e.Modified), parsed.Entries.Select(e => e.Modified));
            Assert.All(parsed.Entries.Where(e => e.Kind == TarEntryKind.File), e => Assert.Equal(FileTime.ToUnixTimeSeconds(), e.Modified));
            Assert.Empty(DurableBackup.Verify(folder.Path));

            // One byte of IRIS.DAT's content changes on disk: the archive checksum and that file are reported.
            byte[] damaged = (byte[])archive.Clone();
            int at = IndexOf(damaged, SampleFiles(longName)["dur/iconfig/mgr/IRIS.DAT"].Take(64).ToArray()) + 10;
            damaged[at] ^= 0xFF;
            File.WriteAllBytes(folder.Combine(DurableBackup.ArchiveFileName), damaged);
            IReadOnlyList<string> problems = DurableBackup.Verify(folder.Path);
            Assert.Contains(problems, p => p.Contains("SHA-256", StringComparison.Ordinal) && p.StartsWith("durable.tar: the archive", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("'dur/iconfig/mgr/IRIS.DAT' has different content", StringComparison.Ordinal));
        }

        [Fact]
        public void Parse_refuses_a_damaged_manifest_with_its_name()
        {
            var ex = Assert.Throws<InvalidDataException>(() => BackupManifest.Parse("{\"format\":1}", "/backups/manifest.json"));
            Assert.Contains("/backups/manifest.json", ex.Message, StringComparison.Ordinal);
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i <= haystack.Length - needle.Length; i++)
            {
                if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                {
                    return i;
                }
            }

            throw new InvalidOperationException("not found");
        }

        [Fact]
        public void Compare_reports_missing_extra_changed_and_re_owned_entries()
        {
            BackupManifestEntry File(string path, string sha, int mode = 0x1A4, int uid = 51773) =>
                new BackupManifestEntry { Path = path, Kind = TarEntryKind.File, Size = 1, Sha256 = sha, Mode = mode, Uid = uid, Gid = 51773 };
            var expected = new[] { File("a", "11"), File("b", "22"), File("c", "33"), File("d", "44") };
            var actual = new[] { File("a", "11"), File("b", "99"), File("c", "33", uid: 0), File("e", "55") };

            IReadOnlyList<string> problems = BackupManifest.Compare(expected, actual);

            Assert.Equal(4, problems.Count);
            Assert.Contains("'b' has different content", problems[0], StringComparison.Ordinal);
            Assert.Contains("'c' has mode 644 owner 0:51773", problems[1], StringComparison.Ordinal);
            Assert.Equal("'d' is missing", problems[2]);
            Assert.Equal("'e' is not in the backup", problems[3]);
            Assert.Empty(BackupManifest.Compare(expected, expected));
        }
    }
}
