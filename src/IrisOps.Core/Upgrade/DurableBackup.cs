using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>An archive of the durable mount and its verified manifest.</summary>
    public sealed class BackupRecord
    {
        public BackupRecord(string folder, string archive, BackupManifest manifest)
        {
            Folder = folder;
            Archive = archive;
            Manifest = manifest;
        }

        public string Folder { get; }
        public string Archive { get; }
        public BackupManifest Manifest { get; }
    }

    /// <summary>
    /// Cold backup of a stopped node's durable mount (an archive plus a manifest with SHA-256 checksums, read back
    /// and verified) and the byte-identical restore of it. A restore is part of a rollback, so it never takes the
    /// caller's cancellation token: each of its calls has <see cref="CleanupTimeout"/> instead.
    /// </summary>
    public sealed class DurableBackup
    {
        public const string ArchiveFileName = "durable.tar";
        public const string ManifestFileName = "manifest.json";
        private readonly IDockerEngine engine;

        public DurableBackup(IDockerEngine engine) => this.engine = engine;

        public TimeSpan CleanupTimeout { get; set; } = IrisDefaults.CleanupTimeout;

        /// <summary>Archives <paramref name="mount"/> of the (stopped) container into <paramref name="folder"/> and verifies it.</summary>
        public async Task<BackupRecord> TakeAsync(string container, string image, MountSpec mount, string dataDirectory, string folder, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(folder);
            string archive = Path.Combine(folder, ArchiveFileName);
            string partial = archive + ".partial";
            string received;
            long receivedBytes;
            using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            using (var hashing = new Sha256PassThroughStream(file))
            {
                await engine.CopyFromContainerAsync(container, mount.Target, hashing, cancellationToken).ConfigureAwait(false);
                await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(true);
                received = hashing.Finish();
                receivedBytes = hashing.Count;
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
                ArchiveFile = ArchiveFileName,
            };
            using (FileStream read = File.OpenRead(archive))
            {
                (IList<BackupManifestEntry> entries, string sha, long bytes) = BackupManifest.Scan(read);
                manifest.Entries = entries;
                manifest.ArchiveSha256 = sha;
                manifest.ArchiveBytes = bytes;
            }

            if (manifest.ArchiveSha256 != received || manifest.ArchiveBytes != receivedBytes)
            {
                throw new IrisOpsException(IrisErrorKind.WriteError, "BackupVerificationFailed",
                    $"The backup archive '{archive}' on disk differs from what the engine sent ({manifest.ArchiveBytes} of {receivedBytes} bytes): the disk under -BackupPath is unreliable or full.", archive);
            }

            string manifestPath = Path.Combine(folder, ManifestFileName);
            File.WriteAllText(manifestPath + ".partial", manifest.ToJson(), new UTF8Encoding(false));
            File.Move(manifestPath + ".partial", manifestPath);

            IReadOnlyList<string> problems = Verify(folder);
            if (problems.Count > 0)
            {
                throw new IrisOpsException(IrisErrorKind.WriteError, "BackupVerificationFailed",
                    $"The backup in '{folder}' does not match its manifest: {string.Join("; ", problems)}.", folder);
            }

            return new BackupRecord(folder, archive, manifest);
        }

        /// <summary>Reads a backup folder back from disk: the archive must match its manifest, file by file. Empty means verified.</summary>
        public static IReadOnlyList<string> Verify(string folder)
        {
            string manifestPath = Path.Combine(folder, ManifestFileName);
            BackupManifest manifest = BackupManifest.Parse(File.ReadAllText(manifestPath, Encoding.UTF8), manifestPath);
            string archive = Path.Combine(folder, manifest.ArchiveFile);
            var problems = new List<string>();
            using (FileStream read = File.OpenRead(archive))
            {
                (IList<BackupManifestEntry> entries, string sha, long bytes) = BackupManifest.Scan(read);
                if (sha != manifest.ArchiveSha256 || bytes != manifest.ArchiveBytes)
                {
                    problems.Add($"the archive's SHA-256 is {sha} ({bytes} bytes), the manifest says {manifest.ArchiveSha256} ({manifest.ArchiveBytes} bytes)");
                }

                problems.AddRange(BackupManifest.Compare(manifest.Entries, entries));
            }

            return problems;
        }

        /// <summary>
        /// Makes the durable mount byte-identical to the backup: a helper container (the old image, as root, no
        /// IRIS) mounting the same volume or folder empties it, the archive is extracted back, and the result is
        /// archived again and compared with the manifest.
        /// </summary>
        public async Task RestoreAsync(string container, string helperImageId, MountSpec mount, BackupRecord backup)
        {
            string helper = container + "-irisops-restore";
            await Cleanup.Quietly(() => engine.RemoveContainerAsync(helper, true, false, CleanupToken())).ConfigureAwait(false);
            string target = mount.Target.TrimEnd('/');
            string quoted = "'" + target.Replace("'", "'\\''") + "'";
            try
            {
                await engine.CreateContainerAsync(new ContainerSpec
                {
                    Name = helper,
                    Image = helperImageId,
                    User = "0:0",
                    Entrypoint = new List<string> { "/bin/sh", "-c" },
                    Command = new List<string> { "cd -- " + quoted + " && rm -rf -- ./* ./.[!.]* ./..?*" },
                    Mounts = new List<MountSpec> { new MountSpec { Kind = mount.Kind, Source = mount.Source, Target = mount.Target } },
                    HealthCheck = new HealthCheckSpec { Test = new List<string> { "NONE" } },
                    Labels = new Dictionary<string, string> { [CodeDatabaseProbe.HelperLabel] = "restore" },
                    RestartPolicy = "no",
                }, CleanupToken()).ConfigureAwait(false);
                await engine.StartContainerAsync(helper, CleanupToken()).ConfigureAwait(false);
                long exit = await engine.WaitContainerAsync(helper, CleanupTimeout, CleanupToken()).ConfigureAwait(false);
                if (exit != 0)
                {
                    string log = await Cleanup.Quietly(() => engine.GetContainerLogsAsync(helper, 10, CleanupToken())).ConfigureAwait(false) ?? string.Empty;
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "RestoreFailed", $"Emptying '{target}' before the restore failed (exit code {exit}): {log.Trim()}", helper);
                }

                string parent = target.Substring(0, target.LastIndexOf('/'));
                using (FileStream archive = File.OpenRead(backup.Archive))
                {
                    await engine.CopyToContainerAsync(helper, parent.Length == 0 ? "/" : parent, archive, CleanupToken()).ConfigureAwait(false);
                }

                await VerifyRestoredAsync(helper, mount, target, backup).ConfigureAwait(false);
            }
            finally
            {
                await Cleanup.Quietly(() => engine.RemoveContainerAsync(helper, true, false, CleanupToken())).ConfigureAwait(false);
            }
        }

        private async Task VerifyRestoredAsync(string helper, MountSpec mount, string target, BackupRecord backup)
        {
            string check = Path.Combine(backup.Folder, "restore-check.tar");
            try
            {
                using (var file = new FileStream(check, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
                {
                    await engine.CopyFromContainerAsync(helper, mount.Target, file, CleanupToken()).ConfigureAwait(false);
                    file.Position = 0;
                    IReadOnlyList<string> problems = BackupManifest.Compare(backup.Manifest.Entries, BackupManifest.Scan(file).Entries);
                    if (problems.Count > 0)
                    {
                        throw new IrisOpsException(IrisErrorKind.InvalidData, "RestoreNotIdentical",
                            $"After the restore, '{target}' differs from the backup in '{backup.Folder}': {string.Join("; ", problems)}.", helper);
                    }
                }
            }
            finally
            {
                File.Delete(check);
            }
        }

        private CancellationToken CleanupToken() => new CancellationTokenSource(CleanupTimeout).Token;
    }
}
