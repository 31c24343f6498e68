using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// Writes a tar archive holding only some entries of a backup's archives, each copied as it is (its headers,
    /// extended ones included, and its content), so a <c>tar x</c> of it restores exactly those entries; busybox
    /// tar cannot extract a list of names from a file. The archives are seekable files: the entries that are not
    /// wanted are skipped, not read. Every copied file's content is hashed on the way and must match the manifest.
    /// </summary>
    internal static class TarSubset
    {
        private const int Block = 512;

        /// <summary>
        /// Copies the entries of <paramref name="archiveFile"/> named in <paramref name="wanted"/> to
        /// <paramref name="output"/>, in the archive's order. Throws InvalidDataException when one of them is not
        /// in the archive or its kind, owner, mode, link or content is not what the manifest recorded.
        /// </summary>
        public static void Copy(string archiveFile, IReadOnlyDictionary<string, BackupManifestEntry> wanted, Stream output)
        {
            if (wanted.Count == 0)
            {
                return;
            }

            var ranges = new List<(BackupManifestEntry Want, long Start, long Content, long Length)>();
            using (var archive = new FileStream(archiveFile, FileMode.Open, FileAccess.Read, FileShare.Read, Block * 16))
            {
                long next = 0;
                TarArchiveReader.ReadEntries(archive, (info, _) =>
                {
                    long content = archive.Position;
                    long length = info.Kind == TarEntryKind.File || info.Kind == TarEntryKind.Other ? info.Size : 0;
                    if (wanted.TryGetValue(info.Path, out BackupManifestEntry? want))
                    {
                        if (info.Kind != want.Kind || info.Uid != want.Uid || info.Gid != want.Gid || (info.Mode & 0xFFF) != (want.Mode & 0xFFF) || info.LinkTarget != want.LinkTarget)
                        {
                            throw new InvalidDataException($"'{info.Path}' in '{archiveFile}' is not what the manifest recorded.");
                        }

                        ranges.Add((want, next, content, length));
                    }

                    next = content + length + Padding(length);
                });
            }

            string? missing = wanted.Keys.Except(ranges.Select(r => r.Want.Path), StringComparer.Ordinal).FirstOrDefault();
            if (missing != null)
            {
                throw new InvalidDataException($"'{missing}' is not in '{archiveFile}'.");
            }

            using (var archive = new FileStream(archiveFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
            {
                foreach (var range in ranges)
                {
                    archive.Seek(range.Start, SeekOrigin.Begin);
                    CopyBytes(archive, output, range.Content - range.Start, null);
                    using (SHA256 sha = SHA256.Create())
                    {
                        CopyBytes(archive, output, range.Length, sha);
                        sha.TransformFinalBlock(new byte[0], 0, 0);
                        if (range.Want.Kind == TarEntryKind.File && !string.Equals(Hex.Lower(sha.Hash!), range.Want.Sha256, StringComparison.OrdinalIgnoreCase))
                        {
                            throw new InvalidDataException($"The content of '{range.Want.Path}' in '{archiveFile}' does not match its SHA-256 in the manifest.");
                        }
                    }

                    CopyBytes(archive, output, Padding(range.Length), null);
                }
            }
        }

        /// <summary>Ends an archive: two zero blocks.</summary>
        public static void End(Stream output) => output.Write(new byte[2 * Block], 0, 2 * Block);

        private static long Padding(long size) => (Block - (size % Block)) % Block;

        private static void CopyBytes(Stream from, Stream to, long count, HashAlgorithm? hash)
        {
            var buffer = new byte[1 << 20];
            while (count > 0)
            {
                int n = from.Read(buffer, 0, (int)Math.Min(buffer.Length, count));
                if (n == 0)
                {
                    throw new InvalidDataException("The archive ends inside an entry.");
                }

                hash?.TransformBlock(buffer, 0, n, null, 0);
                to.Write(buffer, 0, n);
                count -= n;
            }
        }
    }
}
