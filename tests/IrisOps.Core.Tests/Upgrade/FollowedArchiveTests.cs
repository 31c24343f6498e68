using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>
    /// An archive hashed while another writer still appends to it (what a helper container's tar does): the
    /// reader sees every byte once, ends only after the writer has, syncs as it goes, and yields what one scan
    /// of the finished file yields. No Docker: the writer is a task appending chunks to the file.
    /// </summary>
    public sealed class FollowedArchiveTests : IDisposable
    {
        private const string LongName = "dur/iconfig/mgr/journal/a-directory-name-well-beyond-one-hundred-characters-so-that-the-writer-needs-one/20261201.001";
        private readonly TempFolder work = new TempFolder();

        public void Dispose() => work.Dispose();

        private static byte[] SampleArchive() => BackupManifestTests.Archive(TarEntryFormat.Pax, BackupManifestTests.SampleFiles(LongName), LongName);

        // Appends the bytes in chunks, yielding between them, so the reader meets the file's end many times.
        private static async Task AppendInChunksAsync(string path, byte[] bytes, int chunk)
        {
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            for (int at = 0; at < bytes.Length; at += chunk)
            {
                file.Write(bytes, at, Math.Min(chunk, bytes.Length - at));
                file.Flush();
                await Task.Delay(1);
            }
        }

        private string EmptyFile(string name)
        {
            string path = work.Combine(name);
            File.WriteAllBytes(path, Array.Empty<byte>());
            return path;
        }

        [Theory]
        [InlineData(512, true)]
        [InlineData(7001, false)]
        public async Task A_file_hashed_while_it_is_written_yields_what_a_scan_of_the_finished_file_does(int chunk, bool syncToDisk)
        {
            byte[] archive = SampleArchive();
            string path = EmptyFile("dur.tar.partial");

            var followed = await FollowedArchive.WriteAndHashAsync(path, async () =>
            {
                await AppendInChunksAsync(path, archive, chunk);
                return true;
            }, syncToDisk);

            Assert.NotNull(followed);
            (IList<BackupManifestEntry> entries, string sha, long bytes) = followed!.Value;
            (IList<BackupManifestEntry> scanned, string scannedSha, long scannedBytes) = BackupManifest.Scan(new MemoryStream(archive));
            Assert.Equal(scannedSha, sha);
            Assert.Equal(Convert.ToHexString(SHA256.HashData(archive)).ToLowerInvariant(), sha);
            Assert.Equal(archive.Length, bytes);
            Assert.Equal(scannedBytes, bytes);
            Assert.Empty(BackupManifest.Compare(scanned, entries));
            Assert.Equal(scanned.Select(e => e.Path), entries.Select(e => e.Path));
        }

        [Fact]
        public async Task The_reader_reads_what_the_writer_wrote_before_it_ended_and_syncs_while_reading()
        {
            byte[] bytes = new byte[300_000];
            new Random(3).NextBytes(bytes);
            string path = EmptyFile("grow.bin");
            Task writing = AppendInChunksAsync(path, bytes, 10_000);
            using var read = new MemoryStream();

            int syncs;
            using (var growing = new GrowingFileStream(path, writing, syncEvery: 1, poll: TimeSpan.FromMilliseconds(5)))
            {
                growing.CopyTo(read);
                await growing.SyncAsync();
                syncs = growing.SyncsWhileReading;
                Assert.Equal(bytes.Length, growing.Count);
            }

            Assert.True(writing.IsCompleted);
            Assert.Equal(bytes, read.ToArray());
            Assert.True(syncs >= 1, "the first read starts a sync when syncEvery is one byte");
        }

        [Fact]
        public async Task A_file_that_is_not_synced_refuses_SyncAsync()
        {
            string path = EmptyFile("nosync.bin");
            using var growing = new GrowingFileStream(path, Task.CompletedTask, syncEvery: 0, poll: TimeSpan.FromMilliseconds(5));

            Assert.Equal(0, growing.Read(new byte[16], 0, 16));
            await Assert.ThrowsAsync<InvalidOperationException>(() => growing.SyncAsync());
        }

        [Fact]
        public async Task A_writer_that_cannot_be_used_here_yields_null()
        {
            string path = EmptyFile("unused.tar.partial");

            var followed = await FollowedArchive.WriteAndHashAsync(path, () => Task.FromResult(false), syncToDisk: true);

            Assert.Null(followed);
        }

        [Fact]
        public async Task A_failing_writer_fails_with_its_own_error_and_the_file_is_let_go()
        {
            byte[] archive = SampleArchive();
            string path = EmptyFile("failed.tar.partial");

            var error = await Assert.ThrowsAsync<IOException>(() => FollowedArchive.WriteAndHashAsync(path, async () =>
            {
                await AppendInChunksAsync(path, archive.Take(archive.Length / 2).ToArray(), 4096);
                throw new IOException("No space left on device");
            }, syncToDisk: true));

            Assert.Equal("No space left on device", error.Message);
            File.Delete(path);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public async Task A_file_that_is_not_tar_is_InvalidData()
        {
            string path = EmptyFile("garbage.tar.partial");
            byte[] garbage = Enumerable.Repeat((byte)'x', 4096).ToArray();

            await Assert.ThrowsAsync<InvalidDataException>(() => FollowedArchive.WriteAndHashAsync(path, async () =>
            {
                await AppendInChunksAsync(path, garbage, 1024);
                return true;
            }, syncToDisk: false));
        }

        // A named pipe in the test's folder; false (the test has nothing to check) only where the platform has no mkfifo.
        private bool TryMakeFifo(string name, out string fifo)
        {
            fifo = work.Combine(name);
            if (FifoReadStream.TryCreate(fifo)) return true;
            Assert.False(OperatingSystem.IsLinux(), "mkfifo is expected to work on Linux");
            return false;
        }

        // The writer's side of a named pipe, as the helper uses it: an opening that writes nothing (its probe), then the archive in chunks.
        private static async Task ProbeThenWriteAsync(string fifo, byte[] bytes, int chunk)
        {
            await Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1).Dispose());
            await Task.Delay(20);
            await Task.Run(() =>
            {
                using var pipe = new FileStream(fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
                for (int at = 0; at < bytes.Length; at += chunk)
                {
                    pipe.Write(bytes, at, Math.Min(chunk, bytes.Length - at));
                }
            });
        }

        [Fact]
        public async Task Reading_stopped_at_the_first_bytes_ends_the_writer_and_is_not_tried_again_with_a_file()
        {
            string path = work.Combine("dur.tar.restored.partial");
            if (!OperatingSystem.IsLinux())
            {
                return;
            }

            int writes = 0;
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => FollowedArchive.ReadCheckArchiveAsync(path, async () =>
            {
                writes++;
                try
                {
                    await ProbeThenWriteAsync(path, new byte[4 << 20], 65536);
                    return true;
                }
                catch (IOException)
                {
                    // The reader closed the pipe: the writer fails, as tar does.
                    return false;
                }
            }, onFirstBytes: () => throw new InvalidOperationException("enough")));

            Assert.Equal("enough", error.Message);
            Assert.Equal(1, writes);
            Assert.False(File.Exists(path));
        }

        [Fact]
        public async Task What_a_writer_pads_after_the_archive_in_a_named_pipe_is_read_too_so_the_writer_finishes()
        {
            if (!TryMakeFifo("dur.tar.restored.partial", out string fifo)) return;

            // tar pads its output to whole records; here far more than a pipe holds (64 KiB on Linux).
            byte[] archive = SampleArchive();
            byte[] padded = new byte[archive.Length + (1 << 20)];
            archive.CopyTo(padded, 0);

            var piped = await FollowedArchive.ReadThroughPipeAsync(fifo, async () =>
            {
                await ProbeThenWriteAsync(fifo, padded, 65536);
                return true;
            });

            Assert.NotNull(piped);
            Assert.Equal(padded.Length, piped!.Value.Bytes);
            Assert.Empty(BackupManifest.Compare(BackupManifest.Scan(new MemoryStream(archive)).Entries, piped.Value.Entries));
        }

        [Fact]
        public async Task An_archive_written_into_a_named_pipe_after_a_probe_is_hashed_as_it_comes()
        {
            if (!TryMakeFifo("dur.tar.restored.partial", out string fifo)) return;

            byte[] archive = SampleArchive();

            var piped = await FollowedArchive.ReadThroughPipeAsync(fifo, async () =>
            {
                await ProbeThenWriteAsync(fifo, archive, 65536);
                return true;
            });

            Assert.NotNull(piped);
            (IList<BackupManifestEntry> scanned, _, long scannedBytes) = BackupManifest.Scan(new MemoryStream(archive));
            Assert.Equal(string.Empty, piped!.Value.Sha256);
            Assert.Equal(scannedBytes, piped.Value.Bytes);
            Assert.Empty(BackupManifest.Compare(scanned, piped.Value.Entries));
        }

        [Fact]
        public async Task A_pipe_nobody_opens_ends_the_reading_when_the_writer_was_not_usable_or_failed()
        {
            if (!TryMakeFifo("unused.restored.partial", out string fifo)) return;

            Assert.Null(await FollowedArchive.ReadThroughPipeAsync(fifo, () => Task.FromResult(false)));
            var error = await Assert.ThrowsAsync<IOException>(() => FollowedArchive.ReadThroughPipeAsync(fifo, async () =>
            {
                await Task.Delay(10);
                throw new IOException("extraction failed");
            }));
            Assert.Equal("extraction failed", error.Message);
        }

        [Fact]
        public async Task A_writer_that_probes_and_then_fails_ends_the_reading_with_its_own_error()
        {
            if (!TryMakeFifo("probed.restored.partial", out string fifo)) return;

            var error = await Assert.ThrowsAsync<IOException>(() => FollowedArchive.ReadThroughPipeAsync(fifo, async () =>
            {
                await Task.Run(() => new FileStream(fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1).Dispose());
                throw new IOException("tar: write error");
            }));

            Assert.Equal("tar: write error", error.Message);
        }

        [Fact]
        public void The_link_owners_script_has_one_quoted_chown_per_symbolic_link_and_stops_at_the_first_failure()
        {
            var entries = new List<BackupManifestEntry>
            {
                new BackupManifestEntry { Path = "dur/iconfig/", Kind = TarEntryKind.Directory, Uid = 51773, Gid = 51773 },
                new BackupManifestEntry { Path = "dur/iconfig/latest", Kind = TarEntryKind.SymbolicLink, Uid = 51773, Gid = 51773, LinkTarget = "iris.cpf" },
                new BackupManifestEntry { Path = "dur/it's here", Kind = TarEntryKind.SymbolicLink, Uid = 0, Gid = 52773, LinkTarget = "x" },
                new BackupManifestEntry { Path = "dur/iconfig/iris.cpf", Kind = TarEntryKind.File, Uid = 51773, Gid = 51773 },
            };

            string script = HelperContainerArchive.LinkOwnersScript(entries);

            Assert.Equal("chown -h 51773:51773 -- 'dur/iconfig/latest' || exit 1\nchown -h 0:52773 -- 'dur/it'\\''s here' || exit 1\n", script);
            Assert.Equal(string.Empty, HelperContainerArchive.LinkOwnersScript(entries.Where(e => e.Kind != TarEntryKind.SymbolicLink)));
        }

        [Fact]
        public void Ten_thousand_links_make_a_script_of_ten_thousand_lines_not_one_command_line()
        {
            IEnumerable<BackupManifestEntry> links = Enumerable.Range(0, 10_000).Select(i => new BackupManifestEntry { Path = "dur/links/l" + i, Kind = TarEntryKind.SymbolicLink, Uid = 51773, Gid = 51773 });

            string script = HelperContainerArchive.LinkOwnersScript(links);

            Assert.Equal(10_000, script.Split('\n').Count(line => line.StartsWith("chown -h ", StringComparison.Ordinal)));
        }
    }
}
