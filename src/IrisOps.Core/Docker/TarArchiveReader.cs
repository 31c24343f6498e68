using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace IrisOps.Core.Docker
{
    public enum TarEntryKind
    {
        File,
        Directory,
        SymbolicLink,
        HardLink,
        Other,
    }

    /// <summary>One entry of a tar archive, with the metadata a backup manifest records.</summary>
    public sealed class TarEntryInfo
    {
        public string Path { get; set; } = string.Empty;
        public TarEntryKind Kind { get; set; }
        public long Size { get; set; }
        public int Mode { get; set; }
        public int Uid { get; set; }
        public int Gid { get; set; }
        public string? LinkTarget { get; set; }

        /// <summary>The modification time, in seconds since 1970-01-01 UTC (the header's mtime field, or a PAX mtime's whole seconds).</summary>
        public long Modified { get; set; }
    }

    /// <summary>
    /// A small forward-only reader for the tar archives the Docker engine produces (Go's archive/tar: ustar with
    /// the prefix field, PAX extended headers, GNU long names, base-256 sizes). It exists because System.Formats.Tar
    /// is not available on net472. Each entry's content must be read (or skipped) through <see cref="ReadEntries"/>.
    /// </summary>
    public static class TarArchiveReader
    {
        private const int Block = 512;

        /// <summary>
        /// Calls <paramref name="onEntry"/> for each entry with a stream over its content (empty for non-files);
        /// the stream is valid only during the call. Throws InvalidDataException for a damaged archive.
        /// </summary>
        /// <param name="series">True for several archives written one after another (each with its end blocks): zero blocks are skipped and the entries read up to the end of the stream.</param>
        public static void ReadEntries(Stream archive, Action<TarEntryInfo, Stream> onEntry, bool series = false)
        {
            var header = new byte[Block];
            string? longName = null;
            string? longLink = null;
            Dictionary<string, string>? pax = null;
            while (true)
            {
                if (!ReadFull(archive, header, Block))
                {
                    // Some writers omit the two end blocks; a clean end of stream at a block boundary is accepted.
                    return;
                }

                if (IsZero(header))
                {
                    if (series)
                    {
                        continue;
                    }

                    return;
                }

                VerifyChecksum(header);
                char type = (char)header[156];
                long size = ParseNumber(header, 124, 12);
                if (size < 0)
                {
                    throw new InvalidDataException("A tar header has a negative size.");
                }

                if (type == 'x' || type == 'g' || type == 'L' || type == 'K')
                {
                    byte[] data = ReadData(archive, size);
                    if (type == 'x')
                    {
                        pax = ParsePax(data);
                    }
                    else if (type == 'L')
                    {
                        longName = Encoding.UTF8.GetString(data).TrimEnd('\0');
                    }
                    else if (type == 'K')
                    {
                        longLink = Encoding.UTF8.GetString(data).TrimEnd('\0');
                    }

                    continue;
                }

                string name = ReadString(header, 0, 100);
                string prefix = IsUstar(header) ? ReadString(header, 345, 155) : string.Empty;
                if (prefix.Length > 0)
                {
                    name = prefix + "/" + name;
                }

                var entry = new TarEntryInfo
                {
                    Path = longName ?? name,
                    Mode = (int)ParseNumber(header, 100, 8),
                    Uid = (int)ParseNumber(header, 108, 8),
                    Gid = (int)ParseNumber(header, 116, 8),
                    LinkTarget = longLink ?? NullIfEmpty(ReadString(header, 157, 100)),
                    Size = size,
                    Modified = ParseNumber(header, 136, 12),
                };
                if (pax != null)
                {
                    if (pax.TryGetValue("path", out string? paxPath)) entry.Path = paxPath;
                    if (pax.TryGetValue("linkpath", out string? paxLink)) entry.LinkTarget = paxLink;
                    if (pax.TryGetValue("size", out string? paxSize)) entry.Size = size = long.Parse(paxSize, CultureInfo.InvariantCulture);
                    if (pax.TryGetValue("uid", out string? paxUid)) entry.Uid = int.Parse(paxUid, CultureInfo.InvariantCulture);
                    if (pax.TryGetValue("gid", out string? paxGid)) entry.Gid = int.Parse(paxGid, CultureInfo.InvariantCulture);
                    if (pax.TryGetValue("mtime", out string? paxTime)) entry.Modified = (long)Math.Floor(double.Parse(paxTime, CultureInfo.InvariantCulture));
                }

                longName = null;
                longLink = null;
                pax = null;
                switch (type)
                {
                    case '0':
                    case '\0':
                    case '7':
                        entry.Kind = TarEntryKind.File;
                        break;
                    case '5':
                        entry.Kind = TarEntryKind.Directory;
                        break;
                    case '2':
                        entry.Kind = TarEntryKind.SymbolicLink;
                        break;
                    case '1':
                        entry.Kind = TarEntryKind.HardLink;
                        break;
                    default:
                        entry.Kind = TarEntryKind.Other;
                        break;
                }

                if (entry.Kind != TarEntryKind.File)
                {
                    entry.Size = entry.Kind == TarEntryKind.Other ? size : 0;
                }

                long dataSize = entry.Kind == TarEntryKind.File || entry.Kind == TarEntryKind.Other ? size : 0;
                entry.Path = entry.Path.TrimEnd('/');
                var content = new BoundedStream(archive, dataSize);
                onEntry(entry, content);
                content.SkipRest();
                Skip(archive, Padding(dataSize));
            }
        }

        /// <summary>Every entry of an archive, with the content skipped.</summary>
        public static IReadOnlyList<TarEntryInfo> List(Stream archive)
        {
            var entries = new List<TarEntryInfo>();
            ReadEntries(archive, (entry, _) => entries.Add(entry));
            return entries;
        }

        private static long Padding(long size) => (Block - (size % Block)) % Block;

        private static byte[] ReadData(Stream archive, long size)
        {
            if (size > 16 * 1024 * 1024)
            {
                throw new InvalidDataException("A tar extended header is larger than 16 MB.");
            }

            var data = new byte[size];
            if (!ReadFull(archive, data, (int)size))
            {
                throw new InvalidDataException("The tar archive ends inside an extended header.");
            }

            Skip(archive, Padding(size));
            return data;
        }

        private static Dictionary<string, string> ParsePax(byte[] data)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            int position = 0;
            while (position < data.Length)
            {
                int space = Array.IndexOf(data, (byte)' ', position);
                if (space < 0)
                {
                    break;
                }

                int length = int.Parse(Encoding.ASCII.GetString(data, position, space - position), CultureInfo.InvariantCulture);
                if (length <= 0 || position + length > data.Length)
                {
                    throw new InvalidDataException("A tar PAX record has an invalid length.");
                }

                string record = Encoding.UTF8.GetString(data, space + 1, position + length - space - 2);
                int equals = record.IndexOf('=');
                if (equals > 0)
                {
                    values[record.Substring(0, equals)] = record.Substring(equals + 1);
                }

                position += length;
            }

            return values;
        }

        private static bool IsUstar(byte[] header) => header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a' && header[261] == 'r';

        private static void VerifyChecksum(byte[] header)
        {
            long expected = ParseNumber(header, 148, 8);
            long sum = 0;
            for (int i = 0; i < Block; i++)
            {
                sum += i >= 148 && i < 156 ? (byte)' ' : header[i];
            }

            if (sum != expected)
            {
                throw new InvalidDataException("A tar header checksum does not match: the archive is damaged.");
            }
        }

        private static long ParseNumber(byte[] header, int offset, int length)
        {
            if ((header[offset] & 0x80) != 0)
            {
                // GNU base-256: big-endian, first byte's high bit set.
                long value = header[offset] & 0x7F;
                for (int i = 1; i < length; i++)
                {
                    value = (value << 8) | header[offset + i];
                }

                return value;
            }

            string text = Encoding.ASCII.GetString(header, offset, length).Trim(' ', '\0');
            if (text.Length == 0)
            {
                return 0;
            }

            try
            {
                return Convert.ToInt64(text, 8);
            }
            catch (FormatException ex)
            {
                throw new InvalidDataException("A tar header has an invalid number '" + text + "'.", ex);
            }
        }

        private static string ReadString(byte[] header, int offset, int length)
        {
            int end = Array.IndexOf(header, (byte)0, offset, length);
            int count = (end < 0 ? offset + length : end) - offset;
            return Encoding.UTF8.GetString(header, offset, count);
        }

        private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

        private static bool IsZero(byte[] block)
        {
            foreach (byte b in block)
            {
                if (b != 0)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool ReadFull(Stream stream, byte[] buffer, int count)
        {
            int read = 0;
            while (read < count)
            {
                int n = stream.Read(buffer, read, count - read);
                if (n == 0)
                {
                    if (read == 0)
                    {
                        return false;
                    }

                    throw new InvalidDataException("The tar archive is truncated.");
                }

                read += n;
            }

            return true;
        }

        // A file is skipped by seeking, so reading a few entries of a large archive does not read all of it.
        private static void Skip(Stream stream, long count)
        {
            if (stream.CanSeek && count > 0)
            {
                if (stream.Length - stream.Position < count)
                {
                    throw new InvalidDataException("The tar archive is truncated.");
                }

                stream.Seek(count, SeekOrigin.Current);
                return;
            }

            var buffer = new byte[8192];
            while (count > 0)
            {
                int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
                if (n == 0)
                {
                    throw new InvalidDataException("The tar archive is truncated.");
                }

                count -= n;
            }
        }

        private sealed class BoundedStream : Stream
        {
            private readonly Stream inner;
            private long left;

            public BoundedStream(Stream inner, long length)
            {
                this.inner = inner;
                left = length;
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (left <= 0)
                {
                    return 0;
                }

                int n = inner.Read(buffer, offset, (int)Math.Min(count, left));
                if (n == 0)
                {
                    throw new InvalidDataException("The tar archive is truncated inside a file.");
                }

                left -= n;
                return n;
            }

            public void SkipRest()
            {
                Skip(inner, left);
                left = 0;
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
