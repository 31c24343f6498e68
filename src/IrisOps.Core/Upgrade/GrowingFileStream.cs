using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// Reads a file that another process is still appending to (a helper container's <c>tar cf - &gt; file</c>),
    /// so the file is read and hashed while it is written instead of after. At the file's current end it waits
    /// for more bytes until <c>writer</c> has ended; then it reads to the end once more and reports the end of
    /// the stream. Every <c>syncEvery</c> bytes read it starts a sync of the file to disk on another thread
    /// (one at a time), so that <see cref="SyncAsync"/> at the end has little left to write.
    /// </summary>
    internal sealed class GrowingFileStream : ForwardReadStream
    {
        private readonly FileStream read;
        private readonly FileStream? sync;
        private readonly Task writer;
        private readonly long syncEvery;
        private readonly TimeSpan poll;
        private long readSinceSync;
        private Task syncing = Task.CompletedTask;

        /// <param name="path">The file; it must exist (the writer appends to it).</param>
        /// <param name="writer">Ends when nothing more will be appended: the helper container has exited (either way).</param>
        /// <param name="syncEvery">Bytes read between two syncs to disk; 0: the file is never synced.</param>
        /// <param name="poll">How long to wait at the file's end before looking again.</param>
        public GrowingFileStream(string path, Task writer, long syncEvery, TimeSpan poll)
        {
            this.writer = writer;
            this.syncEvery = syncEvery;
            this.poll = poll;
            read = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            sync = syncEvery > 0 ? new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete) : null;
        }

        /// <summary>How many syncs to disk were started while reading (not counting <see cref="SyncAsync"/>).</summary>
        public int SyncsWhileReading { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (true)
            {
                // Whether the writer had ended is read before the file: bytes it wrote before ending are then seen.
                bool ended = writer.IsCompleted;
                int n = read.Read(buffer, offset, count);
                if (n > 0)
                {
                    Count += n;
                    readSinceSync += n;
                    if (sync != null && readSinceSync >= syncEvery && syncing.IsCompleted)
                    {
                        readSinceSync = 0;
                        SyncsWhileReading++;
                        syncing = Task.Run(() => sync.Flush(true));
                    }

                    return n;
                }

                if (ended)
                {
                    return 0;
                }

                ((IAsyncResult)writer).AsyncWaitHandle.WaitOne(poll);
            }
        }

        /// <summary>
        /// Waits for the sync under way, then syncs the whole file to disk (what the writer appended since);
        /// after it the file is on the disk. Throws the write error of either sync.
        /// </summary>
        public async Task SyncAsync()
        {
            if (sync == null)
            {
                throw new InvalidOperationException("This file is not synced.");
            }

            await syncing.ConfigureAwait(false);
            await Task.Run(() => sync.Flush(true)).ConfigureAwait(false);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // A sync under way still uses its handle: let it end (its error, if any, is not wanted here).
                try
                {
                    syncing.Wait();
                }
                catch (AggregateException)
                {
                }

                read.Dispose();
                sync?.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
