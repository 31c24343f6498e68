using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;

namespace IrisOps.Core.Upgrade
{
    /// <summary>One file, directory or link of a backed-up durable directory.</summary>
    public sealed class BackupManifestEntry
    {
        public string Path { get; set; } = string.Empty;
        public TarEntryKind Kind { get; set; }
        public long Size { get; set; }
        public int Mode { get; set; }
        public int Uid { get; set; }
        public int Gid { get; set; }
        public string? LinkTarget { get; set; }

        /// <summary>The modification time in seconds since 1970-01-01 UTC as the archive recorded it; null in a manifest written before it was recorded.</summary>
        public long? Modified { get; set; }

        /// <summary>SHA-256 of the content (files only), lowercase hex.</summary>
        public string? Sha256 { get; set; }
    }

    /// <summary>
    /// What a backup holds: where it came from, the archive's own SHA-256, and the SHA-256 of every file in it.
    /// Written next to the archive as JSON; the checksums also prove a restore byte-identical.
    /// </summary>
    public sealed class BackupManifest
    {
        public const int CurrentFormat = 1;

        /// <summary>The format of a manifest whose mount was partly archived before the stop (<see cref="AheadArchiveFile"/>).</summary>
        public const int WithAheadFormat = 2;

        public int Format { get; set; } = CurrentFormat;
        public string Container { get; set; } = string.Empty;
        public string Image { get; set; } = string.Empty;

        /// <summary>The directory inside the container that was archived (one mount the backup covers).</summary>
        public string ContainerPath { get; set; } = string.Empty;

        /// <summary>What is mounted there: volume:name or bind:host path.</summary>
        public string Source { get; set; } = string.Empty;

        public string DataDirectory { get; set; } = string.Empty;
        public DateTime CreatedUtc { get; set; }
        public string ArchiveFile { get; set; } = string.Empty;
        public long ArchiveBytes { get; set; }
        public string ArchiveSha256 { get; set; } = string.Empty;

        /// <summary>Every entry of the mount: those of <see cref="ArchiveFile"/> and the ones restored from <see cref="AheadArchiveFile"/>.</summary>
        public IList<BackupManifestEntry> Entries { get; set; } = new List<BackupManifestEntry>();

        /// <summary>The archive of files copied while the instance still ran (closed journal files), or null.</summary>
        public string? AheadArchiveFile { get; set; }

        public long AheadArchiveBytes { get; set; }

        public string AheadArchiveSha256 { get; set; } = string.Empty;

        /// <summary>Every entry of <see cref="AheadArchiveFile"/>, as it was hashed.</summary>
        public IList<BackupManifestEntry> AheadEntries { get; set; } = new List<BackupManifestEntry>();

        /// <summary>The entries of <see cref="AheadArchiveFile"/> a restore extracts: the files unchanged at the stop (the others are not restored from it).</summary>
        public IList<string> AheadRestored { get; set; } = new List<string>();

        /// <summary>The entries <see cref="ArchiveFile"/> itself holds: all but those restored from the ahead archive.</summary>
        public IEnumerable<BackupManifestEntry> MainEntries()
        {
            var ahead = new HashSet<string>(AheadRestored, StringComparer.Ordinal);
            return Entries.Where(e => !ahead.Contains(e.Path));
        }

        public long FileCount => Entries.Count(e => e.Kind == TarEntryKind.File);

        public long ContentBytes => Entries.Where(e => e.Kind == TarEntryKind.File).Sum(e => e.Size);

        /// <summary>Reads a whole archive: every entry with its content checksum, and the checksum of the archive bytes.</summary>
        public static (IList<BackupManifestEntry> Entries, string ArchiveSha256, long ArchiveBytes) Scan(Stream archive)
        {
            using (var hashing = new Sha256PassThroughStream(archive))
            {
                var entries = new List<BackupManifestEntry>();
                TarArchiveReader.ReadEntries(hashing, (info, content) => entries.Add(EntryOf(info, content)));
                hashing.Drain();
                return (entries, hashing.Finish(), hashing.Count);
            }
        }

        /// <summary>An entry of an archive with the checksum of its content (files only); reads the content to its end.</summary>
        public static BackupManifestEntry EntryOf(TarEntryInfo info, Stream content)
        {
            var entry = new BackupManifestEntry
            {
                Path = info.Path,
                Kind = info.Kind,
                Size = info.Size,
                Mode = info.Mode,
                Uid = info.Uid,
                Gid = info.Gid,
                LinkTarget = info.LinkTarget,
                Modified = info.Modified,
            };
            if (info.Kind == TarEntryKind.File)
            {
                entry.Sha256 = Sha256Of(content, info.Size);
            }

            return entry;
        }

        // Read in chunks of up to 1 MiB: HashAlgorithm.ComputeHash(Stream) reads 4 KiB at a time, and for a 2 GiB
        // archive the cost of each of those half a million reads and hash calls outweighed the hashing itself.
        private static string Sha256Of(Stream content, long size)
        {
            using (SHA256 sha = SHA256.Create())
            {
                var buffer = new byte[(int)Math.Max(1, Math.Min(size, 1 << 20))];
                int n;
                while ((n = content.Read(buffer, 0, buffer.Length)) > 0)
                {
                    sha.TransformBlock(buffer, 0, n, null, 0);
                }

                sha.TransformFinalBlock(buffer, 0, 0);
                return Hex.Lower(sha.Hash!);
            }
        }

        /// <summary>
        /// The differences between what a manifest recorded and what an archive (or a restored directory,
        /// archived again) holds: missing, extra, and changed entries. Empty means identical.
        /// </summary>
        public static IReadOnlyList<string> Compare(IEnumerable<BackupManifestEntry> expected, IEnumerable<BackupManifestEntry> actual, int limit = 20)
        {
            var problems = new List<string>();
            Dictionary<string, BackupManifestEntry> have = actual.GroupBy(e => e.Path, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (BackupManifestEntry want in expected)
            {
                seen.Add(want.Path);
                if (!have.TryGetValue(want.Path, out BackupManifestEntry? got))
                {
                    problems.Add($"'{want.Path}' is missing");
                }
                else if (got.Kind != want.Kind)
                {
                    problems.Add($"'{want.Path}' is a {got.Kind}, not a {want.Kind}");
                }
                else if (want.Kind == TarEntryKind.File && (got.Size != want.Size || !string.Equals(got.Sha256, want.Sha256, StringComparison.OrdinalIgnoreCase)))
                {
                    problems.Add($"'{want.Path}' has different content ({got.Size} bytes, SHA-256 {Short(got.Sha256)}; expected {want.Size} bytes, {Short(want.Sha256)})");
                }
                else if (got.LinkTarget != want.LinkTarget && (want.Kind == TarEntryKind.SymbolicLink || want.Kind == TarEntryKind.HardLink))
                {
                    problems.Add($"'{want.Path}' links to '{got.LinkTarget}', not '{want.LinkTarget}'");
                }
                else if ((got.Mode & 0xFFF) != (want.Mode & 0xFFF) || got.Uid != want.Uid || got.Gid != want.Gid)
                {
                    problems.Add($"'{want.Path}' has mode {Convert.ToString(got.Mode & 0xFFF, 8)} owner {got.Uid}:{got.Gid}, expected {Convert.ToString(want.Mode & 0xFFF, 8)} {want.Uid}:{want.Gid}");
                }

                if (problems.Count >= limit)
                {
                    return problems;
                }
            }

            foreach (BackupManifestEntry extra in have.Values.Where(e => !seen.Contains(e.Path)).OrderBy(e => e.Path, StringComparer.Ordinal))
            {
                problems.Add($"'{extra.Path}' is not in the backup");
                if (problems.Count >= limit)
                {
                    break;
                }
            }

            return problems;
        }

        public string ToJson()
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
                {
                    json.WriteStartObject();
                    json.WriteNumber("format", AheadArchiveFile != null ? WithAheadFormat : CurrentFormat);
                    json.WriteString("tool", "IrisOps Update-IrisApplicationImage");
                    json.WriteString("container", Container);
                    json.WriteString("image", Image);
                    json.WriteString("containerPath", ContainerPath);
                    json.WriteString("source", Source);
                    json.WriteString("dataDirectory", DataDirectory);
                    json.WriteString("createdUtc", CreatedUtc.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
                    json.WriteString("archiveFile", ArchiveFile);
                    json.WriteNumber("archiveBytes", ArchiveBytes);
                    json.WriteString("archiveSha256", ArchiveSha256);
                    WriteEntries(json, "entries", Entries);
                    if (AheadArchiveFile != null)
                    {
                        json.WriteString("aheadArchiveFile", AheadArchiveFile);
                        json.WriteNumber("aheadArchiveBytes", AheadArchiveBytes);
                        json.WriteString("aheadArchiveSha256", AheadArchiveSha256);
                        WriteEntries(json, "aheadEntries", AheadEntries);
                        json.WriteStartArray("aheadRestored");
                        foreach (string path in AheadRestored)
                        {
                            json.WriteStringValue(path);
                        }

                        json.WriteEndArray();
                    }

                    json.WriteEndObject();
                }

                return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
            }
        }

        private static void WriteEntries(Utf8JsonWriter json, string name, IEnumerable<BackupManifestEntry> entries)
        {
            json.WriteStartArray(name);
            foreach (BackupManifestEntry entry in entries)
            {
                json.WriteStartObject();
                json.WriteString("path", entry.Path);
                json.WriteString("kind", entry.Kind.ToString().ToLowerInvariant());
                json.WriteNumber("size", entry.Size);
                json.WriteString("mode", Convert.ToString(entry.Mode, 8));
                json.WriteNumber("uid", entry.Uid);
                json.WriteNumber("gid", entry.Gid);
                if (entry.LinkTarget != null)
                {
                    json.WriteString("linkTarget", entry.LinkTarget);
                }

                if (entry.Modified != null)
                {
                    json.WriteNumber("mtime", entry.Modified.Value);
                }

                if (entry.Sha256 != null)
                {
                    json.WriteString("sha256", entry.Sha256);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        public static BackupManifest Parse(string text, string sourceName)
        {
            try
            {
                using (JsonDocument document = JsonDocument.Parse(text))
                {
                    JsonElement root = document.RootElement;
                    var manifest = new BackupManifest
                    {
                        Format = root.GetProperty("format").GetInt32(),
                        Container = root.GetProperty("container").GetString() ?? string.Empty,
                        Image = root.GetProperty("image").GetString() ?? string.Empty,
                        ContainerPath = root.GetProperty("containerPath").GetString() ?? string.Empty,
                        Source = root.GetProperty("source").GetString() ?? string.Empty,
                        DataDirectory = root.GetProperty("dataDirectory").GetString() ?? string.Empty,
                        CreatedUtc = DateTime.Parse(root.GetProperty("createdUtc").GetString() ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                        ArchiveFile = root.GetProperty("archiveFile").GetString() ?? string.Empty,
                        ArchiveBytes = root.GetProperty("archiveBytes").GetInt64(),
                        ArchiveSha256 = root.GetProperty("archiveSha256").GetString() ?? string.Empty,
                    };
                    if (manifest.Format != CurrentFormat && manifest.Format != WithAheadFormat)
                    {
                        throw new InvalidDataException($"format {manifest.Format} is not supported (expected {CurrentFormat} or {WithAheadFormat})");
                    }

                    ReadEntries(root.GetProperty("entries"), manifest.Entries);
                    if (manifest.Format == WithAheadFormat)
                    {
                        manifest.AheadArchiveFile = root.GetProperty("aheadArchiveFile").GetString();
                        manifest.AheadArchiveBytes = root.GetProperty("aheadArchiveBytes").GetInt64();
                        manifest.AheadArchiveSha256 = root.GetProperty("aheadArchiveSha256").GetString() ?? string.Empty;
                        ReadEntries(root.GetProperty("aheadEntries"), manifest.AheadEntries);
                        foreach (JsonElement path in root.GetProperty("aheadRestored").EnumerateArray())
                        {
                            manifest.AheadRestored.Add(path.GetString() ?? string.Empty);
                        }
                    }

                    return manifest;
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException || ex is FormatException || ex is ArgumentException || ex is InvalidDataException)
            {
                throw new InvalidDataException($"The backup manifest '{sourceName}' cannot be read: {ex.Message}", ex);
            }
        }

        private static void ReadEntries(JsonElement array, IList<BackupManifestEntry> entries)
        {
            foreach (JsonElement item in array.EnumerateArray())
            {
                entries.Add(new BackupManifestEntry
                {
                    Path = item.GetProperty("path").GetString() ?? string.Empty,
                    Kind = (TarEntryKind)Enum.Parse(typeof(TarEntryKind), item.GetProperty("kind").GetString() ?? string.Empty, ignoreCase: true),
                    Size = item.GetProperty("size").GetInt64(),
                    Mode = Convert.ToInt32(item.GetProperty("mode").GetString(), 8),
                    Uid = item.GetProperty("uid").GetInt32(),
                    Gid = item.GetProperty("gid").GetInt32(),
                    LinkTarget = item.TryGetProperty("linkTarget", out JsonElement link) ? link.GetString() : null,
                    Modified = item.TryGetProperty("mtime", out JsonElement modified) ? modified.GetInt64() : (long?)null,
                    Sha256 = item.TryGetProperty("sha256", out JsonElement sha) ? sha.GetString() : null,
                });
            }
        }

        private static string Short(string? sha) => sha == null ? "none" : sha.Length > 12 ? sha.Substring(0, 12) + "..." : sha;
    }
}
