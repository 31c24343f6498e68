using System;
using System.Collections.Generic;
using System.IO;
using System.Threading.Tasks;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// Hashes an archive while a helper container writes it: the file is followed as it grows
    /// (<see cref="GrowingFileStream"/>), its SHA-256 taken on one thread and every entry's on another
    /// (<see cref="ArchiveScanStream"/>), and, for a backup, synced to disk as it goes. So the time after the
    /// helper's tar ends is what is left to read and to sync, not a second pass over the whole file.
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
        public static async Task<(IList<BackupManifestEntry> Entries, string Sha256, long Bytes)?> WriteAndHashAsync(string archive, Func<Task<bool>> write, bool syncToDisk)
        {
            Task<bool> writing = write();
            Task<(IList<BackupManifestEntry>, string, long)?> hashing = Task.Run(() => HashAsync(archive, writing, syncToDisk));
            bool written;
            try
            {
                written = await writing.ConfigureAwait(false);
            }
            catch
            {
                // The reader ends once the writer has; it must let go of the file before the caller deletes it.
                await Task.WhenAny(hashing).ConfigureAwait(false);
                throw;
            }

            if (!written)
            {
                await Task.WhenAny(hashing).ConfigureAwait(false);
                return null;
            }

            return await hashing.ConfigureAwait(false);
        }

        /// <summary>One read of a finished archive: its SHA-256 and every entry's, as <see cref="WriteAndHashAsync"/> takes them.</summary>
        public static async Task<(IList<BackupManifestEntry> Entries, string Sha256, long Bytes)> HashAsync(string archive)
            => (await HashAsync(archive, Task.FromResult(true), false).ConfigureAwait(false))!.Value;

        private static async Task<(IList<BackupManifestEntry>, string, long)?> HashAsync(string archive, Task<bool> writing, bool syncToDisk)
        {
            using (var follow = new GrowingFileStream(archive, writing, syncToDisk ? SyncEvery : 0, Poll))
            using (var hashing = new Sha256PassThroughStream(Stream.Null))
            using (var scanning = new ArchiveScanStream(hashing))
            {
                var buffer = new byte[ReadBuffer];
                int n;
                while ((n = follow.Read(buffer, 0, buffer.Length)) > 0)
                {
                    scanning.Write(buffer, 0, n);
                }

                if (writing.Status != TaskStatus.RanToCompletion || !writing.Result)
                {
                    // Nothing usable was written (or the writer failed, and its error is the one that counts).
                    return null;
                }

                IList<BackupManifestEntry> entries = await scanning.CompleteAsync().ConfigureAwait(false);
                if (syncToDisk)
                {
                    await follow.SyncAsync().ConfigureAwait(false);
                }

                long length = new FileInfo(archive).Length;
                if (hashing.Count != length)
                {
                    throw new InvalidDataException($"{length} bytes on disk, {hashing.Count} read");
                }

                return (entries, hashing.Finish(), hashing.Count);
            }
        }
    }
}
