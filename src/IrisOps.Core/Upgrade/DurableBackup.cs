using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>The archive of one mount, its verified manifest, and where both are.</summary>
    public sealed class BackupRecord
    {
        public BackupRecord(string folder, string archive, string manifestPath, MountSpec mount, BackupManifest manifest)
        {
            Folder = folder;
            Archive = archive;
            ManifestPath = manifestPath;
            Mount = mount;
            Manifest = manifest;
        }

        public string Folder { get; }
        public string Archive { get; }
        public string ManifestPath { get; }
        public MountSpec Mount { get; }
        public BackupManifest Manifest { get; }

        /// <summary>How the archive was written: by a helper container's tar, or received from the engine's archive API.</summary>
        public string Writer { get; set; } = string.Empty;

        /// <summary>How long writing the archive took: until a helper's tar ended, or (the engine's archive API) receiving, writing, scanning and syncing it, one pass.</summary>
        public TimeSpan ReceiveTime { get; set; }

        /// <summary>How the last restore from this backup was checked: where the archive of the restored mount came from.</summary>
        public string RestoreCheck { get; set; } = string.Empty;

        /// <summary>How long after that the archive was hashed and on disk (a helper's: the rest of the read that followed its tar, and the last sync), or read back and checked against what was received.</summary>
        public TimeSpan CheckTime { get; set; }
    }

    /// <summary>
    /// Cold backup of a stopped node (Data Integrity Guide, "Cold Backup": every directory the instance uses,
    /// taken after a normal shutdown): one archive plus one manifest (SHA-256 of the archive and of every file)
    /// per mount that holds such a directory, all in the node's backup folder. With an engine on this machine a
    /// helper container writes each archive into the folder with tar, and IrisOps hashes the file once while it
    /// is written (the archive and every entry in one read that follows the growing file), syncs it to disk as
    /// it goes, and writes the manifest from that read; otherwise (or when the helper
    /// cannot be used) the engine's archive API sends it, and it is received, written and checksummed in one
    /// pass, then read back from disk and checked against its manifest. Either way before the caller changes
    /// anything it protects.
    /// </summary>
    public sealed class DurableBackup
    {
        /// <summary>The archive of a backup folder written before backups held several mounts (still verified by <see cref="Verify"/>).</summary>
        public const string ArchiveFileName = "durable.tar";

        /// <summary>The manifest of a backup folder written before backups held several mounts.</summary>
        public const string ManifestFileName = "manifest.json";

        public const string ManifestSuffix = ".manifest.json";
        private const int FileBuffer = 1 << 20;
        private readonly IDockerEngine engine;
        private readonly HelperContainerArchive? helperArchive;

        /// <param name="engine">The engine the node runs on.</param>
        /// <param name="engineOnThisHost">True when the engine runs on this machine: a helper container may then write each archive into the backup folder (see <see cref="HelperContainerArchive"/>).</param>
        public DurableBackup(IDockerEngine engine, bool engineOnThisHost = false)
        {
            this.engine = engine;
            helperArchive = engineOnThisHost ? new HelperContainerArchive(engine) : null;
        }

        /// <summary>Whether <see cref="CopyAheadAsync"/> can copy anything here: only a helper container on an engine on this machine can.</summary>
        public bool CanCopyAhead => helperArchive != null;

        /// <summary>The name of a mount's files in the backup folder: its container path, '/' turned into '-' (/irisops/journal: irisops-journal).</summary>
        public static string Label(MountSpec mount)
        {
            string trimmed = mount.Target.Trim('/');
            return trimmed.Length == 0 ? "root" : trimmed.Replace('/', '-');
        }

        /// <summary>
        /// Archives every mount of the (stopped) container into <paramref name="folder"/> and verifies each. On
        /// any failure (a full disk included) every file this call wrote is removed before the error goes up.
        /// </summary>
        /// <param name="ahead">What <see cref="CopyAheadAsync"/> archived before the stop: those files are only checked now and, unchanged, not archived again (the manifest still lists every file). The call owns these archives: a failure removes them too.</param>
        public async Task<IReadOnlyList<BackupRecord>> TakeAllAsync(string container, string image, string helperImageId, IReadOnlyList<MountSpec> mounts, string dataDirectory, string folder, CancellationToken cancellationToken, IReadOnlyList<AheadCopy>? ahead = null)
        {
            List<string> created = MissingFolders(folder);
            Directory.CreateDirectory(folder);
            var written = new List<string>((ahead ?? new AheadCopy[0]).Select(a => a.Archive));
            var records = new List<BackupRecord>();
            try
            {
                foreach (MountSpec mount in mounts)
                {
                    AheadCopy? copied = helperArchive == null ? null : ahead?.FirstOrDefault(a => ReferenceEquals(a.Mount, mount) || a.Mount.Target == mount.Target);
                    records.Add(await TakeAsync(container, image, helperImageId, mount, dataDirectory, folder, written, copied, cancellationToken).ConfigureAwait(false));
                }

                foreach (AheadCopy unused in (ahead ?? new AheadCopy[0]).Where(a => !records.Any(r => r.Manifest.AheadArchiveFile == Path.GetFileName(a.Archive))))
                {
                    Cleanup.DeleteFileQuietly(unused.Archive);
                }

                return records;
            }
            catch
            {
                foreach (string file in written)
                {
                    Cleanup.DeleteFileQuietly(file);
                }

                foreach (string missing in created)
                {
                    Cleanup.DeleteEmptyDirectoryQuietly(missing);
                }

                throw;
            }
        }

        /// <summary>
        /// While the instance still runs (the container started from <paramref name="helperImageId"/>): archives the
        /// closed journal files that <paramref name="journalDirectories"/> hold on each mount, and the files of
        /// <paramref name="unchangingFiles"/> (the IRIS.DAT of read-only databases, see <see cref="ReadOnlyDatabases"/>),
        /// into the backup folder (see <see cref="JournalCopyAhead"/>), for <see cref="TakeAllAsync"/> to check after
        /// the stop. Empty when there is nothing to copy or no helper container can be used here (an engine
        /// elsewhere); only cancellation is an error.
        /// </summary>
        public async Task<IReadOnlyList<AheadCopy>> CopyAheadAsync(string container, string helperImageId, IReadOnlyList<MountSpec> mounts, IReadOnlyList<string> journalDirectories, string folder, CancellationToken cancellationToken, IReadOnlyList<string>? unchangingFiles = null)
        {
            var copies = new List<AheadCopy>();
            unchangingFiles ??= new List<string>();
            if (helperArchive == null || (journalDirectories.Count == 0 && unchangingFiles.Count == 0))
            {
                return copies;
            }

            Directory.CreateDirectory(folder);
            var ahead = new JournalAheadArchive(helperArchive);
            try
            {
                foreach (MountSpec mount in mounts)
                {
                    IEnumerable<string> here = journalDirectories.Where(d => ReferenceEquals(BackupScope.MountFor(mounts, d), mount));
                    IEnumerable<string> filesHere = unchangingFiles.Where(f => ReferenceEquals(BackupScope.MountFor(mounts, f), mount));
                    AheadCopy? copy = await ahead.TryCopyAsync(container, helperImageId, mount, here, filesHere, folder, Label(mount), cancellationToken).ConfigureAwait(false);
                    if (copy != null)
                    {
                        copies.Add(copy);
                    }
                }
            }
            catch
            {
                DeleteAhead(copies);
                throw;
            }

            return copies;
        }

        /// <summary>Removes archives of <see cref="CopyAheadAsync"/> that no backup took over.</summary>
        public static void DeleteAhead(IEnumerable<AheadCopy> copies)
        {
            foreach (AheadCopy copy in copies)
            {
                Cleanup.DeleteFileQuietly(copy.Archive);
            }
        }

        private async Task<BackupRecord> TakeAsync(string container, string image, string helperImageId, MountSpec mount, string dataDirectory, string folder, IList<string> written, AheadCopy? ahead, CancellationToken cancellationToken)
        {
            string label = Label(mount);
            string archive = Path.Combine(folder, label + ".tar");
            string manifestPath = Path.Combine(folder, label + ManifestSuffix);
            string partial = archive + ".partial";
            written.Add(partial);
            written.Add(archive);
            written.Add(manifestPath + ".partial");
            written.Add(manifestPath);
            IList<BackupManifestEntry> entries;
            string sha;
            long bytes;
            bool byHelper = false;
            IList<string> kept = new List<string>();
            string writer = "received from the engine's archive API";
            var watch = System.Diagnostics.Stopwatch.StartNew();
            TimeSpan received;
            try
            {
                // Created here, so the archive belongs to the user running IrisOps even when a helper writes it.
                using (new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite))
                {
                }

                // The file is hashed and synced to disk while the helper's tar writes it (the tar does not sync, and
                // the backup must be on the disk before what it protects changes).
                TimeSpan tarEnded = TimeSpan.Zero;
                using AheadCheck? afterStop = ahead == null ? null : new AheadCheck(ahead, archive, written);
                var followed = helperArchive == null ? null : await FollowedArchive.WriteAndHashAsync(partial, async () =>
                {
                    bool used = await helperArchive.TryWriteAsync(container, helperImageId, mount, partial, cancellationToken, afterStop?.Script).ConfigureAwait(false);
                    tarEnded = watch.Elapsed;
                    return used;
                }, syncToDisk: true).ConfigureAwait(false);
                if (followed != null)
                {
                    byHelper = true;
                    writer = "written by a helper container's tar";
                    received = tarEnded;
                    (entries, sha, bytes) = followed.Value;
                    kept = afterStop?.Kept(entries) ?? new List<string>();
                    if (kept.Count > 0)
                    {
                        entries = JournalCopyAhead.Merge(entries, ahead!.Entries, kept);
                        writer += $" ({kept.Count} file{(kept.Count == 1 ? string.Empty : "s")}, {UpgradePreflight.Megabytes(ahead.Entries.Where(e => kept.Contains(e.Path)).Sum(e => e.Size))}, copied before the stop in {ahead.Time.TotalSeconds:0.00} s and found unchanged)";
                    }
                }
                else
                {
                    using (var file = new FileStream(partial, FileMode.Truncate, FileAccess.Write, FileShare.None, FileBuffer))
                    using (var hashing = new Sha256PassThroughStream(file))
                    using (var scanning = new ArchiveScanStream(hashing))
                    {
                        await engine.CopyFromContainerAsync(container, mount.Target, scanning, cancellationToken).ConfigureAwait(false);
                        entries = await scanning.CompleteAsync().ConfigureAwait(false);
                        hashing.Flush();
                        file.Flush(true);
                        sha = hashing.Finish();
                        bytes = hashing.Count;
                    }

                    received = watch.Elapsed;
                }
            }
            catch (IOException ex) when (!(ex is FileNotFoundException || ex is DirectoryNotFoundException))
            {
                throw new IrisOpsException(IrisErrorKind.WriteError, "BackupWriteFailed",
                    $"Writing the backup of '{mount.Target}' to '{folder}' failed ({ex.Message}): free space under -BackupPath or choose another -BackupPath.", archive, ex);
            }
            catch (InvalidDataException ex)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "BackupArchiveDamaged",
                    $"The archive of '{mount.Target}' ({writer}) cannot be read as tar: {ex.Message}", container, ex);
            }

            File.Move(partial, archive);
            var manifest = new BackupManifest
            {
                Container = container,
                Image = image,
                ContainerPath = mount.Target,
                Source = (mount.Kind == MountKind.Volume ? "volume:" : "bind:") + mount.Source,
                DataDirectory = dataDirectory,
                CreatedUtc = DateTime.UtcNow,
                ArchiveFile = Path.GetFileName(archive),
                ArchiveSha256 = sha,
                ArchiveBytes = bytes,
                Entries = entries,
            };
            if (kept.Count > 0)
            {
                manifest.AheadArchiveFile = Path.GetFileName(ahead!.Archive);
                manifest.AheadArchiveSha256 = ahead.Sha256;
                manifest.AheadArchiveBytes = ahead.Bytes;
                manifest.AheadEntries = ahead.Entries;
                manifest.AheadRestored = kept;
            }

            WriteManifest(manifestPath, manifest);

            // Read back from disk: what the disk holds must be what was received and scanned. An archive a helper
            // wrote was hashed from the disk itself, so that one read is its check.
            string? problem = byHelper ? null : CheckArchiveFile(archive, manifest);
            if (problem != null)
            {
                throw new IrisOpsException(IrisErrorKind.WriteError, "BackupVerificationFailed",
                    $"The backup archive '{archive}' on disk differs from what the engine sent: {problem}. The disk under -BackupPath is unreliable or full.", archive);
            }

            return new BackupRecord(folder, archive, manifestPath, mount, manifest) { Writer = writer, ReceiveTime = received, CheckTime = watch.Elapsed - received };
        }

        /// <summary>
        /// The backups a folder holds, as records a restore takes: each mount comes from its manifest (container
        /// path and source). For a run that another process began (an interrupted upgrade).
        /// </summary>
        public static IReadOnlyList<BackupRecord> Load(string folder)
        {
            var records = new List<BackupRecord>();
            foreach (string manifestPath in ManifestPaths(folder))
            {
                BackupManifest manifest = BackupManifest.Parse(File.ReadAllText(manifestPath, Encoding.UTF8), manifestPath);
                bool volume = manifest.Source.StartsWith("volume:", StringComparison.Ordinal);
                var mount = new MountSpec
                {
                    Kind = volume ? MountKind.Volume : MountKind.Bind,
                    Source = manifest.Source.Substring(manifest.Source.IndexOf(':') + 1),
                    Target = manifest.ContainerPath,
                };
                records.Add(new BackupRecord(folder, Path.Combine(folder, manifest.ArchiveFile), manifestPath, mount, manifest));
            }

            return records;
        }

        /// <summary>
        /// Reads every backup of a folder back from disk: each archive must match its manifest, file by file.
        /// Holds one manifest per mount (<c>label.manifest.json</c>), or the single <c>manifest.json</c> of a
        /// folder written before backups held several mounts. Empty means verified.
        /// </summary>
        public static IReadOnlyList<string> Verify(string folder)
        {
            List<string> manifests = ManifestPaths(folder);
            if (manifests.Count == 0)
            {
                return new[] { $"'{folder}' holds no backup manifest" };
            }

            var problems = new List<string>();
            foreach (string manifestPath in manifests)
            {
                BackupManifest manifest = BackupManifest.Parse(File.ReadAllText(manifestPath, Encoding.UTF8), manifestPath);
                problems.AddRange(VerifyArchive(folder, manifest.ArchiveFile, manifest.ArchiveSha256, manifest.ArchiveBytes, manifest.MainEntries()));
                if (manifest.AheadArchiveFile != null)
                {
                    problems.AddRange(VerifyArchive(folder, manifest.AheadArchiveFile, manifest.AheadArchiveSha256, manifest.AheadArchiveBytes, manifest.AheadEntries));
                }
            }

            return problems;
        }

        private static IEnumerable<string> VerifyArchive(string folder, string name, string expectedSha, long expectedBytes, IEnumerable<BackupManifestEntry> expected)
        {
            var problems = new List<string>();
            using (FileStream read = new FileStream(Path.Combine(folder, name), FileMode.Open, FileAccess.Read, FileShare.Read, FileBuffer))
            {
                (IList<BackupManifestEntry> entries, string sha, long bytes) = BackupManifest.Scan(read);
                if (sha != expectedSha || bytes != expectedBytes)
                {
                    problems.Add($"{name}: the archive's SHA-256 is {sha} ({bytes} bytes), the manifest says {expectedSha} ({expectedBytes} bytes)");
                }

                problems.AddRange(BackupManifest.Compare(expected, entries).Select(p => name + ": " + p));
            }

            return problems;
        }

        // One manifest per mount, or the single manifest.json of a folder written before backups held several mounts.
        private static List<string> ManifestPaths(string folder)
        {
            List<string> manifests = Directory.GetFiles(folder, "*" + ManifestSuffix).OrderBy(f => f, StringComparer.Ordinal).ToList();
            string legacy = Path.Combine(folder, ManifestFileName);
            if (File.Exists(legacy))
            {
                manifests.Insert(0, legacy);
            }

            return manifests;
        }

        // One read of the file: its SHA-256 and length must be the manifest's, which were taken from the same
        // bytes as every entry's checksum; so a match proves every entry too.
        private static string? CheckArchiveFile(string archive, BackupManifest manifest)
        {
            using (var read = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, FileBuffer))
            using (var hashing = new Sha256PassThroughStream(read))
            {
                hashing.Drain();
                string sha = hashing.Finish();
                return sha == manifest.ArchiveSha256 && hashing.Count == manifest.ArchiveBytes
                    ? null
                    : $"{hashing.Count} bytes with SHA-256 {sha}, {manifest.ArchiveBytes} bytes with {manifest.ArchiveSha256} received";
            }
        }

        // The folder and those of its parents that do not exist yet, deepest first: what a failure removes again.
        private static List<string> MissingFolders(string folder)
        {
            var missing = new List<string>();
            for (string? current = Path.GetFullPath(folder); current != null && !Directory.Exists(current); current = Path.GetDirectoryName(current))
            {
                missing.Add(current);
            }

            return missing;
        }

        private static void WriteManifest(string path, BackupManifest manifest)
        {
            File.WriteAllText(path + ".partial", manifest.ToJson(), new UTF8Encoding(false));
            File.Move(path + ".partial", path);
        }
    }
}
