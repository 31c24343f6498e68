using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// Hashes an archive while a helper container writes it: the file is followed as it grows
    /// (<see cref="GrowingFileStream"/>), its SHA-256 taken on one thread and every entry's on another
    /// (<see cref="ArchiveScanStream"/>), and, for a backup, synced to disk as it goes (an archive that is only
    /// checked: its entries only). So the time after the
    /// helper's tar ends is what is left to read and to sync, not a second pass over the whole file. An archive
    /// that is only checked may come through a named pipe instead (<see cref="FifoReadStream"/>).
    /// </summary>
    internal static class FollowedArchive
    {
        /// <summary>Bytes between two syncs of a followed backup: the final sync then has at most this much left.</summary>
        public const long SyncEvery = 128L << 20;

        private const int ReadBuffer = 1 << 20;
        private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

        /// <summary>
        /// Runs <paramref name="write"/> (which appends the archive to <paramref name="archive"/>, an existing
        /// empty file, and says whether it could be used here) and hashes the file while it grows. Null when
        /// <paramref name="write"/> returned false. The writer's error goes up as it is (the reading is then
        /// abandoned). Throws InvalidDataException when the file does not parse as tar or its length is not what
        /// was read; with <paramref name="syncToDisk"/> the file is on the disk when this returns.
        /// </summary>
        public static Task<(IList<BackupManifestEntry> Entries, string Sha256, long Bytes)?> WriteAndHashAsync(string archive, Func<Task<bool>> write, bool syncToDisk)
            => RunAsync(write, writing => HashFileAsync(archive, writing, syncToDisk, checkOnly: false, series: false, onFirstBytes: null), release: null);

        /// <summary>
        /// An archive that is only checked: <paramref name="write"/> writes it into the named pipe <paramref name="fifo"/>
        /// (<see cref="FifoReadStream.TryCreate"/>) and every entry is hashed as it comes, never written to disk.
        /// Only the entries count, so the archive's own SHA-256 is not taken (empty).
        /// </summary>
        internal static Task<(IList<BackupManifestEntry> Entries, string Sha256, long Bytes)?> ReadThroughPipeAsync(string fifo, Func<Task<bool>> write, bool series = false, Action? onFirstBytes = null)
            => RunAsync(write, writing => HashAsync(new FifoReadStream(fifo, writing), writing, null, hashWhole: false, series, onFirstBytes), () => FifoReadStream.Release(fifo));

        /// <summary>
        /// Reads an archive that is only checked: <paramref name="write"/> writes it to <paramref name="path"/>, a
        /// named pipe where that works, else a file followed while it grows (never synced), which is deleted
        /// afterwards. Returns its entries and how they came; null when <paramref name="write"/> could not be
        /// used here either way. With <paramref name="series"/> the archive may be several archives one after another.
        /// <paramref name="onFirstBytes"/> runs once the first bytes have come (so whatever the writer wrote before
        /// its archive is complete); it may throw to stop the reading, and then its exception goes up (the writer
        /// ends on the closed pipe, or writes its file to the end).
        /// </summary>
        public static async Task<(IList<BackupManifestEntry> Entries, string How)?> ReadCheckArchiveAsync(string path, Func<Task<bool>> write, bool series = false, Action? onFirstBytes = null)
        {
            // What an interrupted run left (a pipe would make the file's creation wait) goes first.
            Cleanup.DeleteFileQuietly(path);
            try
            {
                if (FifoReadStream.TryCreate(path))
                {
                    // Reading that onFirstBytes stopped is not tried again with a file: its exception goes up.
                    ExceptionDispatchInfo? stopped = null;
                    Action? first = onFirstBytes == null ? null : () =>
                    {
                        try
                        {
                            onFirstBytes();
                        }
                        catch (Exception ex)
                        {
                            stopped = ExceptionDispatchInfo.Capture(ex);
                            throw;
                        }
                    };
                    var piped = await ReadThroughPipeAsync(path, write, series, first).ConfigureAwait(false);
                    stopped?.Throw();
                    if (piped != null)
                    {
                        return (piped.Value.Entries, "read through a named pipe");
                    }

                    Cleanup.DeleteFileQuietly(path);
                }

                HelperContainerArchive.CreateOutputFile(path);

                var followed = await RunAsync(write, writing => HashFileAsync(path, writing, syncToDisk: false, checkOnly: true, series, onFirstBytes), release: null).ConfigureAwait(false);
                return followed == null ? null : (followed.Value.Entries, "read from a file while it was written");
            }
            finally
            {
                Cleanup.DeleteFileQuietly(path);
            }
        }

        private static async Task<(IList<BackupManifestEntry> Entries, string Sha256, long Bytes)?> RunAsync(Func<Task<bool>> write, Func<Task<bool>, Task<(IList<BackupManifestEntry>, string, long)?>> hash, Action? release)
        {
            Task<bool> writing = write();
            // The reading blocks its thread (a pipe's opening, reads, full queues) for as long as the archive
            // takes: on a thread of its own, so that on a machine with few cores it never holds up the thread
            // pool, which runs the continuations of the writer's engine calls.
            Task<(IList<BackupManifestEntry>, string, long)?> hashing = Task.Factory.StartNew(() => hash(writing), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
            bool written;
            try
            {
                written = await writing.ConfigureAwait(false);
            }
            catch
            {
                // The reader ends once the writer has; it must let go of the file before the caller deletes it.
                await EndReadingAsync(hashing, release).ConfigureAwait(false);
                throw;
            }

            await EndReadingAsync(hashing, release).ConfigureAwait(false);
            return written ? await hashing.ConfigureAwait(false) : null;
        }

        // A pipe's reader may wait for a writer that will not come any more: release the pipe until it has
        // ended (it ends at the latest on its second opening after the writer ended).
        private static async Task EndReadingAsync(Task reading, Action? release)
        {
            for (int i = 0; release != null && !reading.IsCompleted; i++)
            {
                if (i == 3000)
                {
                    throw new IOException("The named pipe of the check archive was not released within 30 s.");
                }

                release();
                await Task.WhenAny(reading, Task.Delay(10)).ConfigureAwait(false);
            }

            await Task.WhenAny(reading).ConfigureAwait(false);
        }

        private static async Task<(IList<BackupManifestEntry>, string, long)?> HashFileAsync(string archive, Task<bool> writing, bool syncToDisk, bool checkOnly, bool series, Action? onFirstBytes)
        {
            using (var follow = new GrowingFileStream(archive, writing, syncToDisk ? SyncEvery : 0, Poll))
            {
                Func<long, Task> check = async bytes =>
                {
                    if (syncToDisk)
                    {
                        await follow.SyncAsync().ConfigureAwait(false);
                    }

                    long length = new FileInfo(archive).Length;
                    if (bytes != length)
                    {
                        throw new InvalidDataException($"{length} bytes on disk, {bytes} read");
                    }
                };
                return await HashAsync(follow, writing, check, hashWhole: !checkOnly, series, onFirstBytes).ConfigureAwait(false);
            }
        }

        // Reads the source to its end, hashing every entry and, with hashWhole, the archive (on another thread,
        // ArchiveScanStream; a check archive's own SHA-256 is not used, and on two cores a second hash of every
        // byte slows the check); null when the writer did not succeed (its error is the one that counts).
        // <paramref name="check"/> runs on the number of bytes read; onFirstBytes once the first bytes have come.
        private static async Task<(IList<BackupManifestEntry>, string, long)?> HashAsync(Stream source, Task<bool> writing, Func<long, Task>? check, bool hashWhole, bool series, Action? onFirstBytes)
        {
            if (!hashWhole)
            {
                return await ScanAsync(source, writing, check, series, onFirstBytes).ConfigureAwait(false);
            }

            using (source)
            using (Sha256PassThroughStream? hashing = hashWhole ? new Sha256PassThroughStream(Stream.Null) : null)
            using (var scanning = new ArchiveScanStream(hashing, series))
            {
                var buffer = new byte[ReadBuffer];
                long read = 0;
                int n;
                while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
                {
                    if (read == 0)
                    {
                        onFirstBytes?.Invoke();
                    }

                    scanning.Write(buffer, 0, n);
                    read += n;
                }

                if (writing.Status != TaskStatus.RanToCompletion || !writing.Result)
                {
                    return null;
                }

                IList<BackupManifestEntry> entries = await scanning.CompleteAsync().ConfigureAwait(false);
                if (check != null)
                {
                    await check(read).ConfigureAwait(false);
                }

                return (entries, hashing?.Finish() ?? string.Empty, read);
            }
        }

        // A check archive, whose own SHA-256 is not taken: its entries are hashed right on the reading thread.
        // Handing the bytes to a second thread (ArchiveScanStream) costs a copy and an allocation of every chunk,
        // which on two cores, next to the helper's tar, took longer than the hashing saved.
        private static async Task<(IList<BackupManifestEntry>, string, long)?> ScanAsync(Stream source, Task<bool> writing, Func<long, Task>? check, bool series, Action? onFirstBytes)
        {
            var entries = new List<BackupManifestEntry>();
            long read;
            using (var counted = new FirstBytesStream(source, onFirstBytes))
            {
                TarArchiveReader.ReadEntries(counted, (info, content) => entries.Add(BackupManifest.EntryOf(info, content)), series);

                // What follows the end blocks is read too, so the writer is never left waiting on a full pipe.
                var rest = new byte[1 << 16];
                while (counted.Read(rest, 0, rest.Length) > 0)
                {
                }

                read = counted.Count;
            }

            if (writing.Status != TaskStatus.RanToCompletion || !writing.Result)
            {
                return null;
            }

            if (check != null)
            {
                await check(read).ConfigureAwait(false);
            }

            return (entries, string.Empty, read);
        }

        /// <summary>Counts what is read and runs an action once, when the first bytes have come.</summary>
        private sealed class FirstBytesStream : ForwardReadStream
        {
            private readonly Stream inner;
            private Action? onFirstBytes;

            public FirstBytesStream(Stream inner, Action? onFirstBytes)
            {
                this.inner = inner;
                this.onFirstBytes = onFirstBytes;
            }

            public override int Read(byte[] buffer, int offset, int count)
            {
                int n = inner.Read(buffer, offset, count);
                if (n > 0)
                {
                    Count += n;
                    Action? first = onFirstBytes;
                    onFirstBytes = null;
                    first?.Invoke();
                }

                return n;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
