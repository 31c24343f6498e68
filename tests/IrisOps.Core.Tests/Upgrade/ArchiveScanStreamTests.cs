using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>ArchiveScanStream: one pass writes the archive and yields the entries a scan of the file would.</summary>
    public class ArchiveScanStreamTests
    {
        private const string LongName = "dur/iconfig/mgr/a-directory-name-well-beyond-one-hundred-characters-so-that-the-writer-needs-an-extension/file.dat";

        private static async Task<IList<BackupManifestEntry>> WriteInChunksAsync(ArchiveScanStream stream, byte[] archive, int chunk)
        {
            for (int at = 0; at < archive.Length; at += chunk)
            {
                await stream.WriteAsync(archive, at, Math.Min(chunk, archive.Length - at));
            }

            return await stream.CompleteAsync();
        }

        [Theory]
        [InlineData(1)]
        [InlineData(511)]
        [InlineData(81920)]
        public async Task The_copy_is_the_archive_and_the_entries_are_those_of_a_scan(int chunk)
        {
            byte[] archive = BackupManifestTests.Archive(TarEntryFormat.Pax, BackupManifestTests.SampleFiles(LongName), LongName);
            using var copy = new MemoryStream();
            IList<BackupManifestEntry> entries;
            using (var stream = new ArchiveScanStream(copy))
            {
                entries = await WriteInChunksAsync(stream, archive, chunk);
            }

            Assert.Equal(archive, copy.ToArray());
            IList<BackupManifestEntry> scanned = BackupManifest.Scan(new MemoryStream(archive)).Entries;
            Assert.Empty(BackupManifest.Compare(scanned, entries));
            Assert.Equal(scanned.Select(e => e.Path), entries.Select(e => e.Path));
        }

        [Fact]
        public async Task A_failing_copy_destination_fails_the_receive_with_its_own_error()
        {
            byte[] archive = BackupManifestTests.Archive(TarEntryFormat.Pax, BackupManifestTests.SampleFiles(LongName), LongName);
            using var stream = new ArchiveScanStream(new FullDisk());

            var ex = await Assert.ThrowsAsync<IOException>(() => WriteInChunksAsync(stream, archive, 512));

            Assert.Equal("No space left on device", ex.Message);
        }

        [Fact]
        public async Task A_damaged_archive_fails_the_completion()
        {
            byte[] archive = BackupManifestTests.Archive(TarEntryFormat.Pax, BackupManifestTests.SampleFiles(LongName), LongName);
            archive[148] ^= 0x55; // the first header's checksum field
            using var stream = new ArchiveScanStream();

            await Assert.ThrowsAsync<InvalidDataException>(() => WriteInChunksAsync(stream, archive, 4096));
        }

        private sealed class FullDisk : MemoryStream
        {
            public override void Write(byte[] buffer, int offset, int count)
            {
                if (Length + count > 1024)
                {
                    throw new IOException("No space left on device");
                }

                base.Write(buffer, offset, count);
            }
        }
    }
}
