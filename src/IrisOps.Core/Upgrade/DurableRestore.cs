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
    /// <summary>
    /// The byte-identical restore of a node's backups, one mount at a time. With an engine on this machine only
    /// what differs from the backup is restored and checked (<see cref="DifferentialRestore"/>) unless most of it
    /// differs. Otherwise a helper container (the old image, as
    /// root, no IRIS) mounting the same volume or folder empties it, the archive is extracted back, and the mount
    /// is archived again and checked entry by entry against the manifest. With an engine on this machine the
    /// helper does all of that with tar and the backup folder mounted, archiving files again while tar still
    /// extracts (<see cref="OverlappedRestoreScript"/>); otherwise the engine's archive API carries both archives (the check's is
    /// received and hashed in one pass, never written to disk). A restore is part of a rollback, so it never takes the caller's cancellation token: each
    /// of its calls has <see cref="CleanupTimeout"/> instead.
    /// </summary>
    public sealed class DurableRestore
    {
        private readonly IDockerEngine engine;
        private readonly HelperContainerArchive? helperArchive;

        /// <param name="engine">The engine the node runs on.</param>
        /// <param name="engineOnThisHost">True when the engine runs on this machine: a helper container may then extract each archive from the backup folder with tar (see <see cref="HelperContainerArchive"/>).</param>
        public DurableRestore(IDockerEngine engine, bool engineOnThisHost = false)
        {
            this.engine = engine;
            helperArchive = engineOnThisHost ? new HelperContainerArchive(engine) : null;
        }

        private TimeSpan cleanupTimeout = IrisDefaults.CleanupTimeout;

        public TimeSpan CleanupTimeout
        {
            get => cleanupTimeout;
            set
            {
                cleanupTimeout = value;
                if (helperArchive != null)
                {
                    helperArchive.CleanupTimeout = value;
                }
            }
        }

        /// <summary>Bytes of regular files the full restore archives again at a time for its check while tar still extracts.</summary>
        internal long OverlapGroupBytes
        {
            set
            {
                if (helperArchive != null)
                {
                    helperArchive.RestoreGroupBytes = value;
                }
            }
        }

        /// <summary>
        /// Restores every backup in turn; the first failure stops it (the error names the mount and the folder).
        /// Helpers that restored with tar stay, idle, until <see cref="RemoveHelpersAsync"/>.
        /// </summary>
        public async Task RestoreAllAsync(string container, string helperImageId, IReadOnlyList<BackupRecord> backups)
        {
            foreach (BackupRecord backup in backups)
            {
                await RestoreAsync(container, helperImageId, backup).ConfigureAwait(false);
            }
        }

        /// <summary>What a rollback's notes say once <paramref name="backups"/> were restored by <see cref="RestoreAllAsync"/>.</summary>
        public static string RestoredNote(IReadOnlyList<BackupRecord> backups) =>
            $"{string.Join(", ", backups.Select(b => "'" + b.Mount.Target + "'"))} {(backups.Count == 1 ? "was" : "were")} restored from the backup and verified identical to it";

        /// <summary>
        /// Removes the helper containers that restored mounts with tar (see
        /// <see cref="HelperContainerArchive.RemoveRestoreHelpersAsync"/>): call it once the node runs again, and
        /// also when the rollback failed. How many there were; never throws.
        /// </summary>
        public Task<int> RemoveHelpersAsync() => helperArchive?.RemoveRestoreHelpersAsync() ?? Task.FromResult(0);

        private async Task RestoreAsync(string container, string helperImageId, BackupRecord backup)
        {
            if (helperArchive != null && await TryRestoreWithTarAsync(container, helperImageId, backup).ConfigureAwait(false))
            {
                return;
            }

            MountSpec mount = backup.Mount;
            BackupManifest manifest = backup.Manifest;
            string helper = container + "-irisops-restore";
            string target = mount.Target.TrimEnd('/');
            string parent = HelperContainerArchive.Parent(mount);
            try
            {
                await RunInHelperAsync(helperImageId, mount, helper, "cd -- " + HelperContainerArchive.Quote(target) + " && rm -rf -- ./* ./.[!.]* ./..?*", "Emptying '" + target + "' before the restore").ConfigureAwait(false);
                if (manifest.AheadArchiveFile != null)
                {
                    // The whole archive copied ahead goes first, so the main archive's copy of a file that changed
                    // before the stop replaces it; files that were gone at the stop are removed again.
                    await CopyArchiveAsync(helper, parent, Path.Combine(backup.Folder, manifest.AheadArchiveFile)).ConfigureAwait(false);
                    var present = new HashSet<string>(manifest.Entries.Select(e => e.Path), StringComparer.Ordinal);
                    List<string> gone = manifest.AheadEntries.Select(e => e.Path).Where(p => !present.Contains(p)).ToList();
                    if (gone.Count > 0)
                    {
                        await RunInHelperAsync(helperImageId, mount, helper, "cd -- " + HelperContainerArchive.Quote(parent) + " && rm -f -- " + string.Join(" ", gone.Select(HelperContainerArchive.Quote)), "Removing the files gone at the stop from '" + target + "'").ConfigureAwait(false);
                    }
                }

                await CopyArchiveAsync(helper, parent, backup.Archive).ConfigureAwait(false);
                backup.RestoreCheck = "the check's archive received from the engine's archive API";
                await VerifyRestoredAsync(helper, target, backup).ConfigureAwait(false);
            }
            finally
            {
                await Cleanup.Quietly(() => Cleanup.BoundedAsync(CleanupTimeout, token => engine.RemoveContainerAsync(helper, true, false, token))).ConfigureAwait(false);
            }
        }

        private async Task CopyArchiveAsync(string helper, string parent, string archiveFile)
        {
            using (var archive = new FileStream(archiveFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
            {
                await Cleanup.BoundedAsync(CleanupTimeout, token => engine.CopyToContainerAsync(helper, parent, archive, token)).ConfigureAwait(false);
            }
        }

        // A one-shot helper (the old image, as root) that mounts the volume or folder and runs one command; it stays
        // (exited) for the engine's archive API to copy into and out of until the next call or the caller removes it.
        private async Task RunInHelperAsync(string helperImageId, MountSpec mount, string helper, string command, string what)
        {
            await Cleanup.Quietly(() => Cleanup.BoundedAsync(CleanupTimeout, token => engine.RemoveContainerAsync(helper, true, false, token))).ConfigureAwait(false);
            await Cleanup.BoundedAsync(CleanupTimeout, token => engine.CreateContainerAsync(new ContainerSpec
            {
                Name = helper,
                Image = helperImageId,
                User = "0:0",
                Entrypoint = new List<string> { "/bin/sh", "-c" },
                Command = new List<string> { command },
                Mounts = new List<MountSpec> { new MountSpec { Kind = mount.Kind, Source = mount.Source, Target = mount.Target } },
                HealthCheck = new HealthCheckSpec { Test = new List<string> { "NONE" } },
                Labels = new Dictionary<string, string> { [CodeDatabaseProbe.HelperLabel] = "restore" },
                RestartPolicy = "no",
            }, token)).ConfigureAwait(false);
            await Cleanup.BoundedAsync(CleanupTimeout, token => engine.StartContainerAsync(helper, token)).ConfigureAwait(false);
            long exit = await Cleanup.BoundedAsync(CleanupTimeout, token => engine.WaitContainerAsync(helper, CleanupTimeout, token)).ConfigureAwait(false);
            if (exit != 0)
            {
                string log = await Cleanup.Quietly(() => Cleanup.BoundedAsync(CleanupTimeout, token => engine.GetContainerLogsAsync(helper, 10, token))).ConfigureAwait(false) ?? string.Empty;
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "RestoreFailed", $"{what} failed (exit code {exit}): {log.Trim()}", helper);
            }
        }

        // First a differential restore (see RestorePlan): the mount as the failed run left it is compared with the
        // manifest and only what differs is restored. Where that does not fit (too much differs, hard links), the
        // helper extracts the whole archive with tar and archives every entry again for the check, most while tar
        // still extracts, and lists every path: the check's archives go into a named pipe in the backup folder
        // where that works (Linux, the helper on this kernel), so they are hashed as they come and never written;
        // otherwise into a file next to the backup, read once while it is written and deleted. Either way every
        // entry is checked against the manifest, and the listing must hold no path outside it. False: nothing
        // changed, and the engine's archive API is used instead.
        private async Task<bool> TryRestoreWithTarAsync(string container, string helperImageId, BackupRecord backup)
        {
            bool? differential = await new DifferentialRestore(helperArchive!).TryAsync(container, helperImageId, backup, Limit(backup.Manifest)).ConfigureAwait(false);
            if (differential != false)
            {
                return differential == true;
            }

            string restored = backup.Archive + ".restored.partial";
            string listAfter = backup.Archive + ".after.list";
            try
            {
                var check = await FollowedArchive.ReadCheckArchiveAsync(restored, () => ExtractAndArchiveAgainAsync(container, helperImageId, backup, restored, listAfter), series: true).ConfigureAwait(false);
                if (check == null)
                {
                    return false;
                }

                backup.RestoreCheck = backup.RestoreCheck + "everything extracted again and checked while it was extracted, the check's archive " + check.Value.How;
                var problems = BackupManifest.Compare(backup.Manifest.Entries, check.Value.Entries).ToList();
                problems.AddRange(NotInBackup(backup.Manifest, File.ReadAllText(listAfter, Encoding.UTF8)));
                ThrowIfDifferent(container, backup, problems);
                return true;
            }
            finally
            {
                Cleanup.DeleteFileQuietly(listAfter);
            }
        }

        // The paths the listing of the restored mount shows that the backup does not hold (the check archive
        // holds only the backup's own paths).
        private static IEnumerable<string> NotInBackup(BackupManifest manifest, string listing)
        {
            var known = new HashSet<string>(manifest.Entries.Select(e => e.Path), StringComparer.Ordinal);
            return OverlappedRestoreScript.ParseList(listing).Where(p => !known.Contains(p)).OrderBy(p => p, StringComparer.Ordinal).Take(20).Select(p => $"'{p}' is not in the backup");
        }

        // One call extracts and archives again, so it gets the cleanup timeout once more per GiB of archive.
        private TimeSpan Limit(BackupManifest manifest) => TimeSpan.FromTicks(CleanupTimeout.Ticks * (1 + (manifest.ArchiveBytes + manifest.AheadArchiveBytes) / (1L << 30)));

        private async Task<bool> ExtractAndArchiveAgainAsync(string container, string helperImageId, BackupRecord backup, string restored, string listAfter)
        {
            BackupManifest manifest = backup.Manifest;
            TimeSpan limit = Limit(manifest);
            using var deadline = new CancellationTokenSource(limit);
            (string, IReadOnlyList<string>)? ahead = manifest.AheadArchiveFile == null ? null : (Path.Combine(backup.Folder, manifest.AheadArchiveFile), manifest.AheadRestored.ToList());
            return await helperArchive!.TryRestoreAsync(container, helperImageId, backup.Mount, backup.Archive, restored, listAfter, manifest.Entries, limit, deadline.Token, ahead).ConfigureAwait(false);
        }

        private async Task VerifyRestoredAsync(string helper, string target, BackupRecord backup)
        {
            IList<BackupManifestEntry> restored;
            using (var scanning = new ArchiveScanStream())
            {
                await Cleanup.BoundedAsync(CleanupTimeout, token => engine.CopyFromContainerAsync(helper, backup.Mount.Target, scanning, token)).ConfigureAwait(false);
                restored = await scanning.CompleteAsync().ConfigureAwait(false);
            }

            CheckIdentical(helper, backup, restored);
        }

        private static void CheckIdentical(string target, BackupRecord backup, IList<BackupManifestEntry> restored) =>
            ThrowIfDifferent(target, backup, BackupManifest.Compare(backup.Manifest.Entries, restored));

        /// <summary>RestoreNotIdentical (naming the mount and the backup) when the check after a restore found differences.</summary>
        internal static void ThrowIfDifferent(string target, BackupRecord backup, IReadOnlyList<string> problems)
        {
            if (problems.Count > 0)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "RestoreNotIdentical",
                    $"After the restore, '{backup.Mount.Target}' differs from the backup '{backup.ManifestPath}': {string.Join("; ", problems)}.", target);
            }
        }
    }
}
