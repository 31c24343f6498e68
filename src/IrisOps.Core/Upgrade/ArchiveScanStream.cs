using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// A write-only stream that hands what is written to two other threads: one reads it as a tar archive and
    /// checksums every entry (<see cref="BackupManifest.EntryOf"/>), the other writes it to <c>copyTo</c> (the
    /// archive file, through its SHA-256). So an archive is received, written to disk and scanned in one pass
    /// while the engine is still sending, and the engine's stream is never held up by the disk or the hashing
    /// more than the bounded queues allow. A failure of either thread fails the next write and the completion.
    /// </summary>
    internal sealed class ArchiveScanStream : Stream
    {
        private const int QueuedChunks = 256;
        private readonly BlockingCollection<byte[]> toScan = new BlockingCollection<byte[]>(QueuedChunks);
        private readonly BlockingCollection<byte[]>? toCopy;
        private readonly CancellationTokenSource failed = new CancellationTokenSource();
        private readonly Task<IList<BackupManifestEntry>> scan;
        private readonly Task copy;
        private readonly bool series;
        private bool completed;

        /// <param name="copyTo">Where to write what is written, or null.</param>
        /// <param name="series">True when the stream is several archives one after another (see <see cref="TarArchiveReader.ReadEntries"/>).</param>
        public ArchiveScanStream(Stream? copyTo = null, bool series = false)
        {
            this.series = series;
            scan = Task.Factory.StartNew(Scan, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            if (copyTo == null)
            {
                copy = Task.CompletedTask;
            }
            else
            {
                toCopy = new BlockingCollection<byte[]>(QueuedChunks);
                copy = Task.Factory.StartNew(() => Copy(copyTo), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (count == 0)
            {
                return;
            }

            // The chunk is shared by both threads and never changed after this.
            var chunk = new byte[count];
            Buffer.BlockCopy(buffer, offset, chunk, 0, count);
            try
            {
                toCopy?.Add(chunk, failed.Token);
                toScan.Add(chunk, failed.Token);
            }
            catch (OperationCanceledException)
            {
                // One thread failed: stop the other, then report the first cause (the disk before the scan).
                End();
                try
                {
                    Task.WaitAll(copy, scan);
                }
                catch (AggregateException)
                {
                }

                ThrowFailure();
                throw;
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        /// <summary>
        /// Ends the archive, waits until it is written and scanned, and returns every entry with its checksum;
        /// throws InvalidDataException for a damaged archive and the write error of the file.
        /// </summary>
        public async Task<IList<BackupManifestEntry>> CompleteAsync()
        {
            End();
            await copy.ConfigureAwait(false);
            return await scan.ConfigureAwait(false);
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // A caller that failed before completing: end both threads and let them finish (their errors are not wanted).
                End();
                try
                {
                    Task.WaitAll(copy, scan);
                }
                catch (AggregateException)
                {
                }

                toScan.Dispose();
                toCopy?.Dispose();
                failed.Dispose();
            }

            base.Dispose(disposing);
        }

        private void End()
        {
            if (!completed)
            {
                completed = true;
                toScan.CompleteAdding();
                toCopy?.CompleteAdding();
            }
        }

        private void ThrowFailure()
        {
            if (copy.IsFaulted)
            {
                copy.GetAwaiter().GetResult();
            }

            if (scan.IsFaulted)
            {
                scan.GetAwaiter().GetResult();
            }
        }

        private void Copy(Stream destination)
        {
            try
            {
                foreach (byte[] chunk in toCopy!.GetConsumingEnumerable())
                {
                    destination.Write(chunk, 0, chunk.Length);
                }
            }
            catch
            {
                failed.Cancel();
                throw;
            }
        }

        private IList<BackupManifestEntry> Scan()
        {
            try
            {
                var entries = new List<BackupManifestEntry>();
                using (var reader = new QueueReader(toScan))
                {
                    TarArchiveReader.ReadEntries(reader, (info, content) => entries.Add(BackupManifest.EntryOf(info, content)), series);
                    reader.Drain();
                }

                return entries;
            }
            catch
            {
                failed.Cancel();
                throw;
            }
        }

        /// <summary>The read side: the chunks in order, then the end of the stream once writing is complete.</summary>
        private sealed class QueueReader : Stream
        {
            private readonly BlockingCollection<byte[]> source;
            private byte[] current = new byte[0];
            private int position;

            public QueueReader(BlockingCollection<byte[]> source) => this.source = source;

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                while (position == current.Length)
                {
                    if (!source.TryTake(out byte[]? next, Timeout.Infinite))
                    {
                        return 0;
                    }

                    current = next;
                    position = 0;
                }

                int n = Math.Min(count, current.Length - position);
                Buffer.BlockCopy(current, position, buffer, offset, n);
                position += n;
                return n;
            }

            /// <summary>Reads past the end blocks, so the writer is never left waiting on a full queue.</summary>
            public void Drain()
            {
                var buffer = new byte[81920];
                while (Read(buffer, 0, buffer.Length) > 0)
                {
                }
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

            public override void SetLength(long value) => throw new NotSupportedException();

            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
