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
    /// A write-only stream that hands what is written to a second thread, which reads it as a tar archive and
    /// checksums every entry (<see cref="BackupManifest.EntryOf"/>). With it an archive is received, written to
    /// disk and scanned in one pass: the archive's bytes are read once and each entry hashed once, while the
    /// engine is still sending. What is written is also written to <c>copyTo</c> (the archive file) first.
    /// Writes after a failed scan throw the scan's error.
    /// </summary>
    internal sealed class ArchiveScanStream : Stream
    {
        private const int QueuedChunks = 64;
        private readonly BlockingCollection<byte[]> chunks = new BlockingCollection<byte[]>(QueuedChunks);
        private readonly CancellationTokenSource scanFailed = new CancellationTokenSource();
        private readonly Task<IList<BackupManifestEntry>> scan;
        private readonly Stream? copyTo;
        private bool completed;

        public ArchiveScanStream(Stream? copyTo = null)
        {
            this.copyTo = copyTo;
            scan = Task.Run(() => Scan());
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count)
        {
            copyTo?.Write(buffer, offset, count);
            Queue(buffer, offset, count);
        }

        public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            if (copyTo != null)
            {
                await copyTo.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            }

            cancellationToken.ThrowIfCancellationRequested();
            Queue(buffer, offset, count);
        }

        private void Queue(byte[] buffer, int offset, int count)
        {
            if (count == 0)
            {
                return;
            }

            var chunk = new byte[count];
            Buffer.BlockCopy(buffer, offset, chunk, 0, count);
            try
            {
                chunks.Add(chunk, scanFailed.Token);
            }
            catch (OperationCanceledException)
            {
                scan.GetAwaiter().GetResult();
                throw new InvalidDataException("The archive scan stopped early.");
            }
        }

        /// <summary>Ends the archive and returns every entry with its checksum; throws InvalidDataException for a damaged archive.</summary>
        public async Task<IList<BackupManifestEntry>> CompleteAsync()
        {
            if (!completed)
            {
                completed = true;
                chunks.CompleteAdding();
            }

            return await scan.ConfigureAwait(false);
        }

        public override void Flush() => copyTo?.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => copyTo?.FlushAsync(cancellationToken) ?? Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // A caller that failed before completing: end the scan and let it finish (its error is not wanted).
                if (!completed)
                {
                    completed = true;
                    chunks.CompleteAdding();
                }

                try
                {
                    scan.Wait();
                }
                catch (AggregateException)
                {
                }

                chunks.Dispose();
                scanFailed.Dispose();
            }

            base.Dispose(disposing);
        }

        private IList<BackupManifestEntry> Scan()
        {
            try
            {
                var entries = new List<BackupManifestEntry>();
                using (var reader = new QueueReader(chunks))
                {
                    TarArchiveReader.ReadEntries(reader, (info, content) => entries.Add(BackupManifest.EntryOf(info, content)));
                    reader.Drain();
                }

                return entries;
            }
            catch
            {
                scanFailed.Cancel();
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
