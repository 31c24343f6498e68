using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// Passes reads or writes through to another stream while computing the SHA-256 of every byte that went
    /// through, so an archive is checksummed in the same pass that receives or scans it.
    /// </summary>
    internal sealed class Sha256PassThroughStream : Stream
    {
        private readonly Stream inner;
        private readonly SHA256 sha = SHA256.Create();

        public Sha256PassThroughStream(Stream inner) => this.inner = inner;

        /// <summary>How many bytes were read or written through this stream.</summary>
        public long Count { get; private set; }

        public override bool CanRead => inner.CanRead;
        public override bool CanSeek => false;
        public override bool CanWrite => inner.CanWrite;
        public override long Length => CanWrite ? Count : throw new NotSupportedException();
        public override long Position { get => CanWrite ? Count : throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            Hash(buffer, offset, n);
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Hash(buffer, offset, count);
            inner.Write(buffer, offset, count);
        }

        public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Hash(buffer, offset, count);
            await inner.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Reads the rest of the inner stream, so the checksum covers all of it.</summary>
        public void Drain()
        {
            var buffer = new byte[81920];
            while (Read(buffer, 0, buffer.Length) > 0)
            {
            }
        }

        /// <summary>The SHA-256 of everything that went through, lowercase hex.</summary>
        public string Finish()
        {
            sha.TransformFinalBlock(new byte[0], 0, 0);
            return Hex.Lower(sha.Hash!);
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                sha.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Hash(byte[] buffer, int offset, int count)
        {
            if (count > 0)
            {
                sha.TransformBlock(buffer, offset, count, null, 0);
                Count += count;
            }
        }
    }
}
