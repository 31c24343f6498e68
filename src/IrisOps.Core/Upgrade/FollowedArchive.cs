using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;
using IrisOps.Core.Common;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// Hashes an archive while a helper container writes it: the file is followed as it grows
    /// (<see cref="GrowingFileStream"/>), its SHA-256 taken on one thread and every entry's on another
    /// (<see cref="ArchiveScanStream"/>), and, for a backup, synced to disk as it goes. So the time after the
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
            => RunAsync(write, writing => HashFileAsync(archive, writing, syncToDisk), release: null);

        /// <summary>
        /// As <see cref="WriteAndHashAsync"/>, for an archive that is only checked: <paramref name="write"/>
        /// writes it into the named pipe <paramref name="fifo"/> (<see cref="FifoReadStream.TryCreate"/>), and it
        /// is hashed as it comes, never written to disk.
        /// </summary>
        public static Task<(IList<BackupManifestEntry> Entries, string Sha256, long Bytes)?> WriteAndHashThroughPipeAsync(string fifo, Func<Task<bool>> write)
            => RunAsync(write, writing => HashAsync(new FifoReadStream(fifo, writing), writing, null), () => FifoReadStream.Release(fifo));

        /// <summary>
        /// Reads an archive that is only checked: <paramref name="write"/> writes it to <paramref name="path"/>, a
        /// named pipe where that works, else a file followed while it grows (never synced), which is deleted
        /// afterwards. Returns its entries and how they came; null when <paramref name="write"/> could not be
        /// used here either way.
        /// </summary>
        public static async Task<(IList<BackupManifestEntry> Entries, string How)?> ReadCheckArchiveAsync(string path, Func<Task<bool>> write)
        {
            // What an interrupted run left (a pipe would make the file's creation wait) goes first.
            Cleanup.DeleteFileQuietly(path);
            try
            {
                if (FifoReadStream.TryCreate(path))
                {
                    var piped = await WriteAndHashThroughPipeAsync(path, write).ConfigureAwait(false);
                    if (piped != null)
                    {
                        return (piped.Value.Entries, "read through a named pipe");
                    }

                    Cleanup.DeleteFileQuietly(path);
                }

                HelperContainerArchive.CreateOutputFile(path);

                var followed = await WriteAndHashAsync(path, write, syncToDisk: false).ConfigureAwait(false);
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
            Task<(IList<BackupManifestEntry>, string, long)?> hashing = Task.Run(() => hash(writing));
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

        private static async Task<(IList<BackupManifestEntry>, string, long)?> HashFileAsync(string archive, Task<bool> writing, bool syncToDisk)
        {
            using (var follow = new GrowingFileStream(archive, writing, syncToDisk ? SyncEvery : 0, Poll))
            {
                return await HashAsync(follow, writing, async bytes =>
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
                }).ConfigureAwait(false);
            }
        }

        // Reads the source to its end, hashing the archive and every entry; null when the writer did not succeed
        // (its error is the one that counts). <paramref name="check"/> runs on the number of bytes read.
        private static async Task<(IList<BackupManifestEntry>, string, long)?> HashAsync(Stream source, Task<bool> writing, Func<long, Task>? check)
        {
            using (source)
            using (var hashing = new Sha256PassThroughStream(Stream.Null))
            using (var scanning = new ArchiveScanStream(hashing))
            {
                var buffer = new byte[ReadBuffer];
                int n;
                while ((n = source.Read(buffer, 0, buffer.Length)) > 0)
                {
                    scanning.Write(buffer, 0, n);
                }

                if (writing.Status != TaskStatus.RanToCompletion || !writing.Result)
                {
                    return null;
                }

                IList<BackupManifestEntry> entries = await scanning.CompleteAsync().ConfigureAwait(false);
                if (check != null)
                {
                    await check(hashing.Count).ConfigureAwait(false);
                }

                return (entries, hashing.Finish(), hashing.Count);
            }
        }
    }
}
