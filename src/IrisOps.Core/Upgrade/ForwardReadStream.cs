using System;
using System.IO;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// A stream read once from its start to its end, counting what was read (also its position); it has no length
    /// and cannot seek or be written.
    /// </summary>
    internal abstract class ForwardReadStream : Stream
    {
        /// <summary>How many bytes were read.</summary>
        public long Count { get; protected set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
