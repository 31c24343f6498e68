using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// The byte-identical restore of a node's backups, one mount at a time: a helper container (the old image, as
    /// root, no IRIS) mounting the same volume or folder empties it, the archive is extracted back, and the mount
    /// is archived again and checked entry by entry against the manifest (received and hashed in one pass, never
    /// written to disk). A restore is part of a rollback, so it never takes the caller's cancellation token: each
    /// of its calls has <see cref="CleanupTimeout"/> instead.
    /// </summary>
    public sealed class DurableRestore
    {
        private readonly IDockerEngine engine;

        public DurableRestore(IDockerEngine engine) => this.engine = engine;

        public TimeSpan CleanupTimeout { get; set; } = IrisDefaults.CleanupTimeout;

        /// <summary>Restores every backup in turn; the first failure stops it (the error names the mount and the folder).</summary>
        public async Task RestoreAllAsync(string container, string helperImageId, IReadOnlyList<BackupRecord> backups)
        {
            foreach (BackupRecord backup in backups)
            {
                await RestoreAsync(container, helperImageId, backup).ConfigureAwait(false);
            }
        }

        private async Task RestoreAsync(string container, string helperImageId, BackupRecord backup)
        {
            MountSpec mount = backup.Mount;
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
                using (var archive = new FileStream(backup.Archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
                {
                    await engine.CopyToContainerAsync(helper, parent.Length == 0 ? "/" : parent, archive, CleanupToken()).ConfigureAwait(false);
                }

                await VerifyRestoredAsync(helper, target, backup).ConfigureAwait(false);
            }
            finally
            {
                await Cleanup.Quietly(() => engine.RemoveContainerAsync(helper, true, false, CleanupToken())).ConfigureAwait(false);
            }
        }

        private async Task VerifyRestoredAsync(string helper, string target, BackupRecord backup)
        {
            IList<BackupManifestEntry> restored;
            using (var scanning = new ArchiveScanStream())
            {
                await engine.CopyFromContainerAsync(helper, backup.Mount.Target, scanning, CleanupToken()).ConfigureAwait(false);
                restored = await scanning.CompleteAsync().ConfigureAwait(false);
            }

            IReadOnlyList<string> problems = BackupManifest.Compare(backup.Manifest.Entries, restored);
            if (problems.Count > 0)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "RestoreNotIdentical",
                    $"After the restore, '{target}' differs from the backup '{backup.ManifestPath}': {string.Join("; ", problems)}.", helper);
            }
        }

        private CancellationToken CleanupToken() => new CancellationTokenSource(CleanupTimeout).Token;
    }
}
