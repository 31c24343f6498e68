using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using IrisOps.Tests.Docker;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>
    /// The backup and the restore through a helper container's tar, on the local Docker engine and the stand-in
    /// image (NOT IRIS): the archive holds exactly what the engine's archive API sends for the same mount, belongs
    /// to the caller, and verifies; the restore brings a changed mount back to the manifest. No helper container,
    /// probe or partial file is left. Everything created is labelled irisops.test=1 and removed afterwards.
    /// </summary>
    [Collection("Docker")]
    public sealed class HelperContainerArchiveOnDockerTests : IAsyncLifetime
    {
        private readonly string run = "h" + Guid.NewGuid().ToString("N").Substring(0, 10);
        private IDockerEngine engine = null!;
        private TempFolder work = null!;

        public HelperContainerArchiveOnDockerTests(StandInImages images)
        {
            Assert.NotNull(images);
        }

        public Task InitializeAsync()
        {
            engine = DockerEngineFactory.Create(null);
            work = new TempFolder();
            return Task.CompletedTask;
        }

        public async Task DisposeAsync()
        {
            if (DockerAvailability.SkipReason == null)
            {
                using var cleanup = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                var labels = new Dictionary<string, string?> { ["irisops.test.run"] = run };
                foreach (ContainerSummary container in await engine.ListContainersAsync(labels, cleanup.Token))
                {
                    await engine.RemoveContainerAsync(container.Id, force: true, removeAnonymousVolumes: true, cleanup.Token);
                }

                foreach (VolumeDetails volume in await engine.ListVolumesAsync(labels, cleanup.Token))
                {
                    await engine.RemoveVolumeAsync(volume.Name, true, cleanup.Token);
                }
            }

            engine.Dispose();
            work.Dispose();
        }

        [DockerFact]
        public async Task The_helper_archive_holds_what_the_archive_API_sends_belongs_to_the_caller_and_verifies()
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            (string node, MountSpec mount, string imageId) = await NodeWithDataAsync(limit.Token);
            Assert.True(HelperContainerArchive.MayUse(engine), "the test engine is expected on this machine");
            string byHelper = work.Combine("helper");
            string byApi = work.Combine("api");

            BackupRecord helper = Assert.Single(await new DurableBackup(engine, engineOnThisHost: true).TakeAllAsync(node, StandInImages.V1, imageId, new[] { mount }, "/dur/iconfig", byHelper, limit.Token));
            BackupRecord api = Assert.Single(await new DurableBackup(engine, engineOnThisHost: false).TakeAllAsync(node, StandInImages.V1, imageId, new[] { mount }, "/dur/iconfig", byApi, limit.Token));

            Assert.StartsWith("written by a helper container", helper.Writer, StringComparison.Ordinal);
            Assert.StartsWith("received from the engine", api.Writer, StringComparison.Ordinal);
            Assert.Contains(helper.Manifest.Entries, e => e.Path == "dur/a/big" && e.Size == 3 << 20);
            Assert.Empty(BackupManifest.Compare(api.Manifest.Entries, helper.Manifest.Entries));
            Assert.Empty(BackupManifest.Compare(helper.Manifest.Entries, api.Manifest.Entries));
            Assert.Empty(DurableBackup.Verify(byHelper));
            Assert.Equal(new[] { "dur.manifest.json", "dur.tar" }, Directory.GetFiles(byHelper).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal));
            Assert.Equal(Owner(byHelper), Owner(helper.Archive));
            Assert.Empty(await engine.ListContainersAsync(new Dictionary<string, string?> { [CodeDatabaseProbe.HelperLabel] = null }, limit.Token));
        }

        [DockerFact]
        public async Task The_helper_restore_brings_a_changed_mount_back_to_the_manifest()
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            (string node, MountSpec mount, string imageId) = await NodeWithDataAsync(limit.Token);
            string folder = work.Combine("backup");
            IReadOnlyList<BackupRecord> backup = await new DurableBackup(engine, engineOnThisHost: true).TakeAllAsync(node, StandInImages.V1, imageId, new[] { mount }, "/dur/iconfig", folder, limit.Token);
            await RunInVolumeAsync(mount, "rm /dur/a/f && echo changed > /dur/a/big && echo new > /dur/extra && chmod 600 /dur/a/b", limit.Token);

            // The helper that restored stays, idle, until the caller removes it (once the node runs again): its
            // removal makes the engine write the restored data out, which would otherwise delay the node's start.
            var restore = new DurableRestore(engine, engineOnThisHost: true);
            await restore.RestoreAllAsync(node, imageId, backup);
            ContainerSummary idle = Assert.Single(await engine.ListContainersAsync(new Dictionary<string, string?> { [CodeDatabaseProbe.HelperLabel] = "restore" }, limit.Token));
            Assert.Equal(node + "-irisops-restore", idle.Name.TrimStart('/'));
            Assert.Equal("running", idle.State);
            Assert.Equal(1, await restore.RemoveHelpersAsync());
            Assert.Equal(0, await restore.RemoveHelpersAsync());

            // The 3 MiB file changed size: its stat line alone shows that over half of the bytes differ, so the
            // mount is not read but everything extracted again. This Linux machine's engine runs the helper on its
            // own kernel: the check's archive comes through a pipe.
            Assert.Contains("differed by their stat lines alone (over half), so everything extracted again and checked while it was extracted, the check's archive read through a named pipe", backup[0].RestoreCheck, StringComparison.Ordinal);
            await AssertRestoredAsync(node, backup[0], folder, limit.Token);
        }

        [DockerFact]
        public async Task The_full_restore_of_a_backup_with_a_hard_link_and_a_line_break_in_a_name_checks_each_file_while_tar_extracts_the_next()
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            (string node, MountSpec mount, string imageId) = await NodeWithDataAsync(limit.Token);
            await RunInVolumeAsync(mount, "ln /dur/a/f /dur/a/f-hard && printf x > \"/dur/a/new$(printf '\\nline')\" && for i in $(seq 1 20); do head -c 65536 /dev/urandom > /dur/a/b/part$i; done && chown -R 51773:51773 /dur", limit.Token);
            string folder = work.Combine("backup");
            IReadOnlyList<BackupRecord> backup = await new DurableBackup(engine, engineOnThisHost: true).TakeAllAsync(node, StandInImages.V1, imageId, new[] { mount }, "/dur/iconfig", folder, limit.Token);
            Assert.Contains(backup[0].Manifest.Entries, e => e.Kind == TarEntryKind.HardLink);
            Assert.Contains(backup[0].Manifest.Entries, e => e.Path == "dur/a/new\nline");
            await RunInVolumeAsync(mount, "rm /dur/a/b/part3 && echo changed > /dur/a/b/part7 && echo new > /dur/a/extra && chmod 600 /dur/a/b/part9", limit.Token);

            // Every file its own group: each is archived again once tar has gone on to the next entry.
            await RestoreAsync(new DurableRestore(engine, engineOnThisHost: true) { OverlapGroupBytes = 1 }, node, imageId, backup);

            Assert.StartsWith("the backup holds hard links, special files or names that the differential restore does not handle, so everything extracted again and checked while it was extracted", backup[0].RestoreCheck, StringComparison.Ordinal);
            await AssertRestoredAsync(node, backup[0], folder, limit.Token);
        }

        [DockerFact]
        public async Task The_helper_restore_gives_a_thousand_long_named_links_their_owner_back()
        {
            // One chown per link on the helper's command line would be about 170 KB: more than one argument may hold (128 KB on Linux).
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            (string node, MountSpec mount, string imageId) = await NodeWithDataAsync(limit.Token);
            string name = new string('l', 140);
            await RunInVolumeAsync(mount, $"mkdir /dur/links && i=0 && while [ $i -lt 1000 ]; do ln -s ../a/f /dur/links/{name}$i; i=$((i+1)); done && chown -R -h 51773:51773 /dur/links", limit.Token);
            string folder = work.Combine("links");
            IReadOnlyList<BackupRecord> backup = await new DurableBackup(engine, engineOnThisHost: true).TakeAllAsync(node, StandInImages.V1, imageId, new[] { mount }, "/dur/iconfig", folder, limit.Token);
            Assert.Equal(1001, backup[0].Manifest.Entries.Count(e => e.Kind == TarEntryKind.SymbolicLink && e.Uid == 51773));
            await RunInVolumeAsync(mount, "rm -rf /dur/links", limit.Token);

            await RestoreAsync(new DurableRestore(engine, engineOnThisHost: true), node, imageId, backup);

            // Only the links (and their folder) are extracted again, the 3 MiB file is kept.
            Assert.StartsWith("1001 entries (0 bytes) restored and 0 paths removed;", backup[0].RestoreCheck, StringComparison.Ordinal);

            using var restored = new MemoryStream();
            await engine.CopyFromContainerAsync(node, "/dur", restored, limit.Token);
            restored.Position = 0;
            Assert.Empty(BackupManifest.Compare(backup[0].Manifest.Entries, BackupManifest.Scan(restored).Entries));
            Assert.Equal(new[] { "dur.manifest.json", "dur.tar" }, Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal));
        }

        [DockerFact]
        public async Task Closed_journal_files_copied_ahead_are_checked_after_the_stop_and_both_restores_are_identical()
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            (string node, MountSpec mount, string imageId) = await NodeWithDataAsync(limit.Token);
            await RunInVolumeAsync(mount, "mkdir /dur/journal && for n in 1 2 3 4 5; do head -c 65536 /dev/urandom > /dur/journal/20261201.00$n; done && chown -R 51773:51773 /dur/journal", limit.Token);
            string folder = work.Combine("ahead");
            var backups = new DurableBackup(engine, engineOnThisHost: true);

            AheadCopy ahead = Assert.Single(await backups.CopyAheadAsync(node, imageId, new[] { mount }, new[] { "/dur/journal/" }, folder, limit.Token));
            Assert.Equal(new[] { "dur/journal/20261201.001", "dur/journal/20261201.002", "dur/journal/20261201.003", "dur/journal/20261201.004" }, ahead.Files.Select(f => f.Member));

            // Between the copy and the stop: one closed file changes (compressed, say), one is purged, one appears.
            await RunInVolumeAsync(mount, "echo more >> /dur/journal/20261201.002 && rm /dur/journal/20261201.003 && echo new > /dur/journal/20261201.006", limit.Token);
            BackupRecord record = Assert.Single(await backups.TakeAllAsync(node, StandInImages.V1, imageId, new[] { mount }, "/dur/iconfig", folder, limit.Token, new[] { ahead }));

            Assert.Equal(new[] { "dur/journal/20261201.001", "dur/journal/20261201.004" }, record.Manifest.AheadRestored.OrderBy(p => p, StringComparer.Ordinal));
            Assert.Contains("(2 files, ", record.Writer, StringComparison.Ordinal);
            Assert.DoesNotContain(record.Manifest.Entries, e => e.Path == "dur/journal/20261201.003");
            Assert.Empty(DurableBackup.Verify(folder));
            Assert.Equal(new[] { "dur.ahead.tar", "dur.manifest.json", "dur.tar" }, Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal));

            // The whole mount as it was at the stop, compared with an archive of it taken by the engine's archive API.
            using (var atStop = new MemoryStream())
            {
                await engine.CopyFromContainerAsync(node, "/dur", atStop, limit.Token);
                atStop.Position = 0;
                Assert.Empty(BackupManifest.Compare(BackupManifest.Scan(atStop).Entries, record.Manifest.Entries));
            }

            foreach (bool onThisHost in new[] { true, false })
            {
                await RunInVolumeAsync(mount, "rm /dur/journal/20261201.001 && echo x > /dur/journal/20261201.003 && echo y >> /dur/journal/20261201.004", limit.Token);
                await RestoreAsync(new DurableRestore(engine, onThisHost), node, imageId, new[] { record });
                using var restored = new MemoryStream();
                await engine.CopyFromContainerAsync(node, "/dur", restored, limit.Token);
                restored.Position = 0;
                Assert.Empty(BackupManifest.Compare(record.Manifest.Entries, BackupManifest.Scan(restored).Entries));
            }

            Assert.Empty(await engine.ListContainersAsync(new Dictionary<string, string?> { [CodeDatabaseProbe.HelperLabel] = null }, limit.Token));
        }

        [DockerFact]
        public async Task The_differential_restore_gives_back_exactly_the_backup_after_changes_of_every_kind()
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            (string node, MountSpec mount, string imageId) = await NodeWithDataAsync(limit.Token);
            await RunInVolumeAsync(mount, "mkdir /dur/c && echo g > /dur/c/g && echo d > /dur/c/d && echo t > /dur/c/t && echo h > /dur/h && chown -R 51773:51773 /dur/c /dur/h && touch -d '2026-01-02 03:04:05' /dur/h /dur/c/t", limit.Token);
            string folder = work.Combine("differential");
            IReadOnlyList<BackupRecord> backup = await new DurableBackup(engine, engineOnThisHost: true).TakeAllAsync(node, StandInImages.V1, imageId, new[] { mount }, "/dur/iconfig", folder, limit.Token);

            // What a broken upgrade might do: a file changed in place, one deleted, files and folders added, a mode
            // and an owner changed, a file only touched, a file replaced by a directory, a directory by a file, a link retargeted.
            await RunInVolumeAsync(mount,
                "echo changed > /dur/a/f && rm /dur/c/d && echo new > /dur/extra && mkdir -p /dur/newdir/sub && echo n > /dur/newdir/sub/n && " +
                "chmod 700 /dur/c && chown 0:0 /dur/c/g && touch /dur/c/t && rm /dur/h && mkdir /dur/h && echo inside > /dur/h/i && " +
                "rm -rf /dur/a/b && echo was-a-dir > /dur/a/b && ln -sf big /dur/a/l", limit.Token);

            await RestoreAsync(new DurableRestore(engine, engineOnThisHost: true), node, imageId, backup);

            // Restored: a/f, c/d, c (its mode), c/g, c/t, h (a file again), a/b (a directory again), a/l; removed
            // first: a/f, c/g, c/t, h, a/b, a/l, extra, newdir; the 3 MiB file and the other folders are kept.
            Assert.StartsWith("8 entries (", backup[0].RestoreCheck, StringComparison.Ordinal);
            Assert.Contains("restored and 8 paths removed; 5 entries (3.0 MiB) were equal to the backup and kept; the archives read through a named pipe", backup[0].RestoreCheck, StringComparison.Ordinal);
            using var restored = new MemoryStream();
            await engine.CopyFromContainerAsync(node, "/dur", restored, limit.Token);
            restored.Position = 0;
            IList<BackupManifestEntry> after = BackupManifest.Scan(restored).Entries;
            Assert.Empty(BackupManifest.Compare(backup[0].Manifest.Entries, after));
            Assert.Equal(Times(backup[0].Manifest.Entries), Times(after));
            Assert.Equal(new[] { "dur.manifest.json", "dur.tar" }, Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal));
            Assert.Empty(await engine.ListContainersAsync(new Dictionary<string, string?> { [CodeDatabaseProbe.HelperLabel] = null }, limit.Token));

            // Restored again with nothing changed: nothing to do.
            await RestoreAsync(new DurableRestore(engine, engineOnThisHost: true), node, imageId, backup);
            Assert.StartsWith("nothing differed from the backup", backup[0].RestoreCheck, StringComparison.Ordinal);
        }

        // Restores as a rollback does: each helper that restored a mount idles until the node would run again, then goes.
        private static async Task RestoreAsync(DurableRestore restore, string node, string imageId, IReadOnlyList<BackupRecord> backups)
        {
            try
            {
                await restore.RestoreAllAsync(node, imageId, backups);
            }
            finally
            {
                await restore.RemoveHelpersAsync();
            }
        }

        // The mount equals the backup (read through the engine's archive API), the backup folder holds only the
        // backup, and no helper container is left.
        private async Task AssertRestoredAsync(string node, BackupRecord backup, string folder, CancellationToken cancellationToken)
        {
            using var restored = new MemoryStream();
            await engine.CopyFromContainerAsync(node, "/dur", restored, cancellationToken);
            restored.Position = 0;
            Assert.Empty(BackupManifest.Compare(backup.Manifest.Entries, BackupManifest.Scan(restored).Entries));
            Assert.Equal(new[] { "dur.manifest.json", "dur.tar" }, Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal));
            Assert.Empty(await engine.ListContainersAsync(new Dictionary<string, string?> { [CodeDatabaseProbe.HelperLabel] = null }, cancellationToken));
        }

        // A stopped container on a volume holding directories, a link, modes, IRIS's owner and 3 MiB of random data.
        private async Task<(string Node, MountSpec Mount, string ImageId)> NodeWithDataAsync(CancellationToken cancellationToken)
        {
            string node = $"irisops-test-{run}-node";
            await engine.CreateVolumeAsync(new VolumeSpec { Name = node + "-durable", Labels = TestLabels.For(run) }, cancellationToken);
            var mount = new MountSpec { Kind = MountKind.Volume, Source = node + "-durable", Target = "/dur" };
            await RunInVolumeAsync(mount,
                "mkdir -p /dur/iconfig/mgr /dur/a/b && echo data > /dur/a/f && ln -s f /dur/a/l && head -c 3145728 /dev/urandom > /dur/a/big && " +
                "chmod 640 /dur/a/f && chmod 750 /dur/a/b && chown -R 51773:51773 /dur", cancellationToken);
            string id = await engine.CreateContainerAsync(new ContainerSpec
            {
                Name = node,
                Image = StandInImages.V1,
                Mounts = new List<MountSpec> { mount },
                Labels = TestLabels.For(run),
            }, cancellationToken);
            return (node, mount, (await engine.InspectContainerAsync(id, cancellationToken))!.ImageId);
        }

        private async Task RunInVolumeAsync(MountSpec mount, string script, CancellationToken cancellationToken)
        {
            string name = $"irisops-test-{run}-prepare";
            await engine.CreateContainerAsync(new ContainerSpec
            {
                Name = name,
                Image = StandInImages.V1,
                User = "0:0",
                Entrypoint = new List<string> { "/bin/sh", "-c", script },
                Mounts = new List<MountSpec> { mount },
                Labels = TestLabels.For(run),
            }, cancellationToken);
            await engine.StartContainerAsync(name, cancellationToken);
            Assert.Equal(0L, await engine.WaitContainerAsync(name, TimeSpan.FromSeconds(30), cancellationToken));
            await engine.RemoveContainerAsync(name, true, false, cancellationToken);
        }

        // Every file with its modification time, by path.
        private static IEnumerable<string> Times(IEnumerable<BackupManifestEntry> entries) =>
            entries.Where(e => e.Kind == TarEntryKind.File).Select(e => e.Path + "@" + e.Modified).OrderBy(t => t, StringComparer.Ordinal);

        // The numeric owner of a path (stat on this Linux machine).
        private static string Owner(string path)
        {
            using Process stat = Process.Start(new ProcessStartInfo("stat", new[] { "-c", "%u:%g", path }) { RedirectStandardOutput = true })!;
            string owner = stat.StandardOutput.ReadToEnd().Trim();
            Assert.True(stat.WaitForExit(10_000));
            return owner;
        }
    }
}
