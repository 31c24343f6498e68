using System;
using System.Collections.Generic;
using System.Globalization;
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
    /// Writes the archive of one mount straight into the backup folder through a one-shot helper container, for an
    /// engine on this machine: the helper (the node's old image, as root so it reads every file, no IRIS) mounts
    /// the volume or folder read-only and the backup folder at <see cref="BackupFolderInContainer"/>, and runs
    /// <c>tar cf</c> at the disk's speed, where the engine's archive API costs a multiple of it. InterSystems
    /// container images are built on Ubuntu (InterSystems Supported Platforms, "Container Platforms"), which
    /// provides /bin/sh and tar. The archive file is created by IrisOps before the helper writes into it, so it
    /// belongs to the user running IrisOps, not to root. When the helper cannot be used here (the engine does
    /// not see the folder, cannot write to it, or the image has no tar) the caller falls back to the engine's
    /// archive API; a failing tar (a full disk) is an error.
    /// </summary>
    internal sealed class HelperContainerArchive
    {
        /// <summary>Where the helper sees the backup folder.</summary>
        public const string BackupFolderInContainer = "/irisops-backup";

        // The exit code of the helper's script when it cannot be used here (checked before it changes anything):
        // the folder it sees is not the one IrisOps wrote, it cannot write there, or the image has no tar.
        private const long NotUsableHere = 3;
        private readonly IDockerEngine engine;
        private readonly List<IdleHelper> restoreHelpers = new List<IdleHelper>();

        public HelperContainerArchive(IDockerEngine engine) => this.engine = engine;

        /// <summary>
        /// Whether a helper may be tried with this engine: one on this machine (see
        /// <see cref="DockerEndpoint.IsOnThisHost"/>), so a folder of this machine can be its bind-mount source.
        /// </summary>
        public static bool MayUse(IDockerEngine engine) => engine is DockerEngine local && local.Endpoint.IsOnThisHost;

        public TimeSpan CleanupTimeout { get; set; } = IrisDefaults.CleanupTimeout;

        /// <summary>Bytes of regular files the full restore archives again at a time while tar extracts (see <see cref="OverlappedRestoreScript"/>).</summary>
        internal long RestoreGroupBytes { get; set; } = OverlappedRestoreScript.GroupBytes;

        /// <summary>
        /// Writes the archive of <paramref name="mount"/> (entries named like the engine's archive API names them:
        /// the mount's last path element, then its content) into <paramref name="archiveFile"/>, which must exist
        /// and be empty. False when the helper cannot be used here; the file is then left empty.
        /// </summary>
        /// <param name="scriptFile">A script in the backup folder that writes the archive to standard output instead of <c>tar cf</c> of the whole mount (see <see cref="JournalAheadArchive"/>), or null.</param>
        public async Task<bool> TryWriteAsync(string container, string helperImageId, MountSpec mount, string archiveFile, CancellationToken cancellationToken, string? scriptFile = null)
        {
            string file = Quote(Path.GetFileName(archiveFile));
            string writer = scriptFile == null ? "tar cf - " + TarOperands(mount) : "sh " + Quote(Path.GetFileName(scriptFile));
            string script = "( : >> " + file + " ) 2>/dev/null || exit 3; exec " + writer + " > " + file;
            (long? exit, string failure) = await RunAsync(container + "-irisops-backup", helperImageId, mount, restoring: false, archiveFile, script, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            if (exit == 0)
            {
                return true;
            }

            if (exit == null)
            {
                return false;
            }

            throw new IrisOpsException(IrisErrorKind.WriteError, "BackupWriteFailed",
                $"Writing the backup of '{mount.Target}' to '{Path.GetDirectoryName(archiveFile)}' failed ({failure}): free space under -BackupPath or choose another -BackupPath.", archiveFile);
        }

        /// <summary>
        /// Empties <paramref name="mount"/>, extracts <paramref name="archiveFile"/> into it with tar (as root, so
        /// owners and modes come back), archives every entry again into <paramref name="restoredArchiveFile"/> (which
        /// must exist and be empty, or be a named pipe the caller reads; a series of archives, most written while
        /// tar still extracts: <see cref="OverlappedRestoreScript"/>) and lists every path of the mount into
        /// <paramref name="listFile"/>, for the caller to check against the manifest. False when the helper cannot be used here, and then nothing was changed; a failure after that
        /// is RestoreFailed. The helper may run for <paramref name="limit"/>.
        /// </summary>
        /// <param name="ahead">The archive of files copied before the stop and the entries to extract from it (after the main archive: the two hold different files), or null.</param>
        public async Task<bool> TryRestoreAsync(string container, string helperImageId, MountSpec mount, string archiveFile, string restoredArchiveFile, string listFile, IEnumerable<BackupManifestEntry> entries, TimeSpan limit, CancellationToken cancellationToken, (string File, IReadOnlyList<string> Members)? ahead = null)
        {
            string archive = Quote(Path.GetFileName(archiveFile));
            string restored = Quote(Path.GetFileName(restoredArchiveFile));
            string aheadReadable = ahead == null ? string.Empty : "test -r " + Quote(Path.GetFileName(ahead.Value.File)) + " && ";

            // The archives' entries in their order (headers only, the content is skipped) tell the script which
            // files tar has finished; the script goes into the backup folder, so no command line outgrows its limit.
            var sources = new List<OverlappedRestoreScript.Source> { new OverlappedRestoreScript.Source(Path.GetFileName(archiveFile), ListArchive(archiveFile)) };
            if (ahead != null)
            {
                sources.Add(new OverlappedRestoreScript.Source(Path.GetFileName(ahead.Value.File), ListArchive(ahead.Value.File), new HashSet<string>(ahead.Value.Members, StringComparer.Ordinal)));
            }

            string scriptFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(archiveFile))!, ".irisops-restore-" + Guid.NewGuid().ToString("N") + ".sh");
            File.WriteAllText(scriptFile, OverlappedRestoreScript.Create(mount.Target, sources, LinkOwnersScript(entries), Path.GetFileName(listFile), RestoreGroupBytes), new UTF8Encoding(false));
            CreateOutputFile(listFile);
            string script = "test -r " + archive + " && " + aheadReadable + OutputProbe(restored) + " || exit 3; sh " + BackupFolderInContainer + "/" + Quote(Path.GetFileName(scriptFile)) + " > " + restored;
            long? exit;
            string failure;
            try
            {
                (exit, failure) = await RunAsync(container + "-irisops-restore", helperImageId, mount, restoring: true, archiveFile, script, limit, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Cleanup.DeleteFileQuietly(scriptFile);
            }

            if (exit == 0)
            {
                return true;
            }

            if (exit == null)
            {
                return false;
            }

            throw new IrisOpsException(IrisErrorKind.InvalidOperation, "RestoreFailed",
                $"Restoring '{mount.Target}' from '{archiveFile}' failed ({failure}).", container);
        }

        private static IReadOnlyList<TarEntryInfo> ListArchive(string archiveFile)
        {
            using (var archive = new FileStream(archiveFile, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16))
            {
                return TarArchiveReader.List(archive);
            }
        }

        // Runs the script in a helper that sees the mount and the archive's folder; null when the helper cannot be
        // used here (the engine refused the mount, or the script's own checks failed before it changed anything:
        // the folder it sees is not this one, or it has no tar). Unless restoring, the helper mounts the mount
        // read-only, runs the script as its command and is removed. A restoring helper (the mount writable) idles
        // and runs each script of the mount's restore in turn, and is kept until RemoveRestoreHelpersAsync.
        internal async Task<(long? Exit, string Failure)> RunAsync(string helper, string image, MountSpec mount, bool restoring, string archiveFile, string script, TimeSpan limit, CancellationToken cancellationToken)
        {
            string target = mount.Target.TrimEnd('/');
            if (target.LastIndexOf('/') < 0 || target.Length == 0 || target.StartsWith(BackupFolderInContainer, StringComparison.Ordinal))
            {
                return (null, string.Empty);
            }

            string folder = Path.GetDirectoryName(Path.GetFullPath(archiveFile))!;
            IdleHelper? idle = restoring ? restoreHelpers.FirstOrDefault(kept => kept.Serves(image, mount, folder)) : null;
            if (restoring && idle == null)
            {
                // A node's second mount gets a helper of its own while the first one's still idles.
                idle = new IdleHelper(restoreHelpers.Any(kept => kept.Name == helper) ? helper + "-" + (restoreHelpers.Count + 1).ToString(CultureInfo.InvariantCulture) : helper, image, mount, folder, limit);
            }

            helper = idle?.Name ?? helper;
            string probe = ".irisops-probe-" + Guid.NewGuid().ToString("N");
            string probePath = Path.Combine(folder, probe);
            File.WriteAllBytes(probePath, new byte[0]);
            string checkedScript = "cd " + BackupFolderInContainer + " && test -f " + Quote(probe) + " && command -v tar >/dev/null || exit 3; " + script;
            bool keep = false;
            try
            {
                if (idle == null || !restoreHelpers.Contains(idle))
                {
                    if (!await CreateAndStartAsync(helper, image, mount, restoring, folder, restoring ? "exec sleep " + IdleSeconds(limit) : checkedScript, cancellationToken).ConfigureAwait(false))
                    {
                        return (null, string.Empty);
                    }
                }

                (long exit, string output) = idle != null
                    ? await ExecInIdleHelperAsync(helper, checkedScript, limit, cancellationToken).ConfigureAwait(false)
                    : (await engine.WaitContainerAsync(helper, limit, cancellationToken).ConfigureAwait(false), string.Empty);
                if (exit == NotUsableHere)
                {
                    return (null, string.Empty);
                }

                keep = idle != null;
                if (exit == 0)
                {
                    return (exit, string.Empty);
                }

                string log = idle != null ? output : await Cleanup.Quietly(() => Cleanup.BoundedAsync(CleanupTimeout, token => engine.GetContainerLogsAsync(helper, 10, token))).ConfigureAwait(false) ?? string.Empty;
                return (exit, $"tar in a helper container exited with code {exit}: {log.Trim()}");
            }
            finally
            {
                if (keep)
                {
                    if (!restoreHelpers.Contains(idle!))
                    {
                        restoreHelpers.Add(idle!);
                    }
                }
                else
                {
                    // Also after Ctrl+C: removing the helper ends its tar before the caller deletes the partial file.
                    restoreHelpers.Remove(idle!);
                    await Cleanup.Quietly(() => Cleanup.BoundedAsync(CleanupTimeout, token => engine.RemoveContainerAsync(helper, true, false, token))).ConfigureAwait(false);
                }

                Cleanup.DeleteFileQuietly(probePath);
            }
        }

        // False: the engine refused the bind mount (the folder does not exist where the engine runs). No network:
        // a helper only reads and writes files, and a container without one starts sooner.
        private async Task<bool> CreateAndStartAsync(string helper, string image, MountSpec mount, bool restoring, string folder, string command, CancellationToken cancellationToken)
        {
            await Cleanup.Quietly(() => Cleanup.BoundedAsync(CleanupTimeout, token => engine.RemoveContainerAsync(helper, true, false, token))).ConfigureAwait(false);
            try
            {
                await engine.CreateContainerAsync(new ContainerSpec
                {
                    Name = helper,
                    Image = image,
                    User = "0:0",
                    Entrypoint = new List<string> { "/bin/sh", "-c" },
                    Command = new List<string> { command },
                    Mounts = new List<MountSpec>
                    {
                        new MountSpec { Kind = mount.Kind, Source = mount.Source, Target = mount.Target, ReadOnly = !restoring },
                        new MountSpec { Kind = MountKind.Bind, Source = folder, Target = BackupFolderInContainer },
                    },
                    Networks = new List<NetworkAttachmentSpec> { new NetworkAttachmentSpec { Network = "none" } },
                    HealthCheck = new HealthCheckSpec { Test = new List<string> { "NONE" } },
                    Labels = new Dictionary<string, string> { [CodeDatabaseProbe.HelperLabel] = restoring ? "restore" : "backup" },
                    RestartPolicy = "no",
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (IrisOpsException)
            {
                return false;
            }

            await engine.StartContainerAsync(helper, cancellationToken).ConfigureAwait(false);
            return true;
        }

        /// <summary>
        /// Removes the helpers kept after restoring a mount, each within the time its restore had. A restoring
        /// helper idles after its script instead of ending: when a container ends, the engine unmounts its root file
        /// system, and with the overlay2 storage driver that waits until the disk under it has written out every
        /// changed page, which includes the data just restored when volumes live on the same disk (about 1.3 s for
        /// 2 GiB on the bench machine). Kept until the node runs again, that wait no longer delays the node's start.
        /// How many there were; never throws.
        /// </summary>
        public async Task<int> RemoveRestoreHelpersAsync()
        {
            int count = restoreHelpers.Count;
            foreach (IdleHelper helper in restoreHelpers)
            {
                await Cleanup.Quietly(() => Cleanup.BoundedAsync(helper.Limit, token => engine.RemoveContainerAsync(helper.Name, true, false, token))).ConfigureAwait(false);
            }

            restoreHelpers.Clear();
            return count;
        }

        /// <summary>
        /// Removes the restore helpers an interrupted run left for <paramref name="container"/> (one per mount,
        /// named after it), running or not. Never throws.
        /// </summary>
        public static async Task RemoveLeftoverRestoreHelpersAsync(IDockerEngine engine, string container, CancellationToken cancellationToken)
        {
            string name = container + "-irisops-restore";
            await Cleanup.Quietly(() => engine.RemoveContainerAsync(name, true, false, cancellationToken)).ConfigureAwait(false);
            IList<ContainerSummary>? helpers = await Cleanup.Quietly(() => engine.ListContainersAsync(new Dictionary<string, string?> { [CodeDatabaseProbe.HelperLabel] = "restore" }, cancellationToken)).ConfigureAwait(false);
            foreach (ContainerSummary helper in helpers ?? new List<ContainerSummary>())
            {
                string found = helper.Name.TrimStart('/');
                if (found.StartsWith(name + "-", StringComparison.Ordinal) && found.Substring(name.Length + 1).All(char.IsDigit))
                {
                    await Cleanup.Quietly(() => engine.RemoveContainerAsync(found, true, false, cancellationToken)).ConfigureAwait(false);
                }
            }
        }

        // The restoring script runs in the idle helper: its exit code and the end of its error output. A helper
        // that is not idling (its image has no sleep) ran nothing: not usable here.
        private async Task<(long Exit, string Output)> ExecInIdleHelperAsync(string helper, string script, TimeSpan limit, CancellationToken cancellationToken)
        {
            ExecResult result;
            try
            {
                result = await engine.ExecAsync(helper, new ExecRequest
                {
                    Command = new List<string> { "/bin/sh", "-c", script },
                    User = "0:0",
                    Timeout = limit,
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (IrisOpsException) when (!cancellationToken.IsCancellationRequested)
            {
                ContainerDetails? idle = await Cleanup.Quietly(() => Cleanup.BoundedAsync(CleanupTimeout, token => engine.InspectContainerAsync(helper, token))).ConfigureAwait(false);
                if (idle != null && !idle.State.Running && idle.State.ExitCode != 0)
                {
                    return (NotUsableHere, string.Empty);
                }

                throw;
            }

            string[] lines = (result.StandardError + result.StandardOutput).Trim().Split('\n');
            return (result.ExitCode, string.Join("\n", lines.Skip(Math.Max(0, lines.Length - 10))));
        }

        // How long an idle helper waits to be removed: the time of both its scripts (the differential restore's
        // first pass, then a full restore) and an hour for the node to start again; should IrisOps be gone by then,
        // the helper ends by itself. Its scripts would end with it, so the bound is generous.
        private static string IdleSeconds(TimeSpan limit) =>
            (limit == Timeout.InfiniteTimeSpan ? 86400 : 2 * (long)Math.Ceiling(limit.TotalSeconds) + 3600).ToString(CultureInfo.InvariantCulture);

        /// <summary>
        /// The helper's check (run in the backup folder) that it can write <paramref name="output"/> (a quoted name):
        /// a named pipe is only usable when this machine's kernel runs the helper, and its opening for writing
        /// waits for IrisOps's reader, so it gets 5 s (timeout: coreutils, busybox) before the helper gives up.
        /// </summary>
        internal static string OutputProbe(string output) =>
            "{ if test -p " + output + "; then timeout 5 sh -c " + Quote(": >> " + output) + "; else ( : >> " + output + " ); fi; } 2>/dev/null";

        /// <summary>
        /// A /bin/sh script giving every symbolic link among <paramref name="entries"/> its owner back, one
        /// <c>chown -h</c> per line (run from the mount's parent; the first failure ends it); empty when there is none.
        /// </summary>
        internal static string LinkOwnersScript(IEnumerable<BackupManifestEntry> entries)
        {
            var script = new StringBuilder();
            foreach (BackupManifestEntry link in entries.Where(e => e.Kind == TarEntryKind.SymbolicLink))
            {
                script.Append("chown -h " + link.Uid.ToString(CultureInfo.InvariantCulture) + ":" + link.Gid.ToString(CultureInfo.InvariantCulture) + " -- " + Quote(link.Path.TrimEnd('/')) + " || exit 1\n");
            }

            return script.ToString();
        }

        internal static string Parent(MountSpec mount)
        {
            string target = mount.Target.TrimEnd('/');
            int slash = target.LastIndexOf('/');
            return slash == 0 ? "/" : target.Substring(0, slash);
        }

        // "-C parent name": the mount's entries named as the engine's archive API names them.
        internal static string TarOperands(MountSpec mount)
        {
            string target = mount.Target.TrimEnd('/');
            return "-C " + Quote(Parent(mount)) + " " + Quote(target.Substring(target.LastIndexOf('/') + 1));
        }

        /// <summary>
        /// Creates (or empties) a file a helper container writes into: made by IrisOps first, so it belongs to the
        /// user running IrisOps, not to the helper's root.
        /// </summary>
        internal static void CreateOutputFile(string path)
        {
            using (new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite))
            {
            }
        }

        /// <summary>One word for /bin/sh: single-quoted, an embedded single quote closed, escaped and reopened.</summary>
        internal static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";

        // A restoring helper that stays between its scripts: one per mount of a node.
        private sealed class IdleHelper
        {
            public IdleHelper(string name, string image, MountSpec mount, string folder, TimeSpan limit)
            {
                Name = name;
                Image = image;
                Mount = mount;
                Folder = folder;
                Limit = limit;
            }

            public string Name { get; }

            public string Image { get; }

            public MountSpec Mount { get; }

            public string Folder { get; }

            /// <summary>The time its restore had; also the time its removal may take.</summary>
            public TimeSpan Limit { get; }

            public bool Serves(string image, MountSpec mount, string folder) =>
                Image == image && Mount.Kind == mount.Kind && Mount.Source == mount.Source && Mount.Target == mount.Target && Folder == folder;
        }
    }
}
