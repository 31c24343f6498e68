using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Upgrade;
using IrisOps.Tests.Docker;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>
    /// The backup's helper container on a fake engine: Ctrl+C while its tar runs, a tar that fails (a full disk),
    /// and a helper that cannot be used here (the engine's archive API takes over). The helper is always removed
    /// and no file of the backup is left behind after a failure. The restore's helper idles between its scripts
    /// and stays until the caller removes it.
    /// </summary>
    public sealed class HelperContainerArchiveTests : IDisposable
    {
        private static readonly MountSpec Mount = new MountSpec { Kind = MountKind.Volume, Source = "node-durable", Target = "/dur" };
        private readonly TempFolder work = new TempFolder();

        public void Dispose() => work.Dispose();

        [Fact]
        public async Task Ctrl_C_while_the_helper_runs_removes_it_and_every_file_of_the_backup()
        {
            using var ctrlC = new CancellationTokenSource();
            var engine = new HelperEngine { OnWait = async token =>
            {
                ctrlC.Cancel();
                await Task.Delay(Timeout.Infinite, token);
                return 0L;
            },
            };
            string folder = work.Combine("backups", "node");

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DurableBackup(engine, engineOnThisHost: true).TakeAllAsync("node", "app:1", "sha256:old", new[] { Mount }, "/dur/iconfig", folder, ctrlC.Token));

            Assert.Contains("remove node-irisops-backup", engine.Calls);
            Assert.Equal("remove node-irisops-backup", engine.Calls.Last());
            Assert.False(Directory.Exists(folder));
            Assert.Empty(Directory.GetFiles(work.Path, "*", SearchOption.AllDirectories));
        }

        [Fact]
        public async Task A_failing_tar_is_BackupWriteFailed_with_its_message_and_leaves_nothing()
        {
            var engine = new HelperEngine { OnWait = _ => Task.FromResult(2L), Log = "tar: write error: No space left on device" };
            string folder = work.Combine("node");

            IrisOpsException error = await Assert.ThrowsAsync<IrisOpsException>(() => new DurableBackup(engine, engineOnThisHost: true).TakeAllAsync("node", "app:1", "sha256:old", new[] { Mount }, "/dur/iconfig", folder, CancellationToken.None));

            Assert.Equal("BackupWriteFailed", error.ErrorId);
            Assert.Contains("No space left on device", error.Message);
            Assert.Contains("-BackupPath", error.Message);
            Assert.Equal("remove node-irisops-backup", engine.Calls.Last());
            Assert.False(Directory.Exists(folder));
        }

        [Fact]
        public async Task A_helper_that_cannot_be_used_here_falls_back_to_the_archive_API()
        {
            var engine = new HelperEngine { OnWait = _ => Task.FromResult(3L) };
            string folder = work.Combine("node");

            BackupRecord record = Assert.Single(await new DurableBackup(engine, engineOnThisHost: true).TakeAllAsync("node", "app:1", "sha256:old", new[] { Mount }, "/dur/iconfig", folder, CancellationToken.None));

            Assert.StartsWith("received from the engine", record.Writer, StringComparison.Ordinal);
            Assert.Equal(new[] { "remove node-irisops-backup", "create node-irisops-backup", "start node-irisops-backup", "wait node-irisops-backup", "remove node-irisops-backup", "copy-from node /dur" }, engine.Calls);
            Assert.Empty(DurableBackup.Verify(folder));
            Assert.Equal(new[] { "dur.manifest.json", "dur.tar" }, Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal));
        }

        [Fact]
        public async Task The_helper_mounts_the_data_read_only_and_the_backup_folder_and_runs_as_root()
        {
            var engine = new HelperEngine { OnWait = _ => Task.FromResult(3L) };

            await new DurableBackup(engine, engineOnThisHost: true).TakeAllAsync("node", "app:1", "sha256:old", new[] { Mount }, "/dur/iconfig", work.Combine("node"), CancellationToken.None);

            ContainerSpec spec = engine.Created!;
            Assert.Equal("sha256:old", spec.Image);
            Assert.Equal("0:0", spec.User);
            Assert.Contains(spec.Mounts, m => m.Target == "/dur" && m.Source == "node-durable" && m.ReadOnly);
            Assert.Contains(spec.Mounts, m => m.Target == HelperContainerArchive.BackupFolderInContainer && m.Kind == MountKind.Bind && m.Source == work.Combine("node"));
            Assert.Contains("tar cf - -C '/' 'dur' > 'dur.tar.partial'", spec.Command![0]);
        }

        [Fact]
        public async Task A_restore_runs_every_script_for_a_mount_in_one_idle_helper_kept_until_the_caller_removes_it()
        {
            var engine = new HelperEngine();
            var helper = new HelperContainerArchive(engine);
            var journal = new MountSpec { Kind = MountKind.Bind, Source = "/srv/journal", Target = "/journal" };
            string archive = work.Combine("dur.tar");

            foreach (MountSpec mount in new[] { Mount, Mount, journal })
            {
                (long? exit, _) = await helper.RunAsync("node-irisops-restore", "sha256:old", mount, restoring: true, archive, "true", TimeSpan.FromMinutes(1), CancellationToken.None);
                Assert.Equal(0L, exit);
            }

            // The first mount's two scripts share its helper; the second mount gets its own while the first idles.
            Assert.Equal(new[]
            {
                "remove node-irisops-restore", "create node-irisops-restore", "start node-irisops-restore", "exec node-irisops-restore", "exec node-irisops-restore",
                "remove node-irisops-restore-2", "create node-irisops-restore-2", "start node-irisops-restore-2", "exec node-irisops-restore-2",
            }, engine.Calls);
            ContainerSpec spec = engine.Created!;
            Assert.Equal("exec sleep 3720", Assert.Single(spec.Command!));
            Assert.Contains(spec.Mounts, m => m.Target == "/journal" && !m.ReadOnly);
            Assert.Equal("none", Assert.Single(spec.Networks).Network);
            Assert.Empty(Directory.GetFiles(work.Path));

            Assert.Equal(2, await helper.RemoveRestoreHelpersAsync());
            Assert.Equal(new[] { "remove node-irisops-restore", "remove node-irisops-restore-2" }, engine.Calls.Skip(9));
            Assert.Equal(0, await helper.RemoveRestoreHelpersAsync());
        }

        [Fact]
        public async Task A_restore_helper_that_cannot_be_used_here_is_removed_at_once()
        {
            var engine = new HelperEngine { ExecExit = 3 };
            var helper = new HelperContainerArchive(engine);

            (long? exit, _) = await helper.RunAsync("node-irisops-restore", "sha256:old", Mount, restoring: true, work.Combine("dur.tar"), "true", TimeSpan.FromMinutes(1), CancellationToken.None);

            Assert.Null(exit);
            Assert.Equal("remove node-irisops-restore", engine.Calls.Last());
            Assert.Equal(0, await helper.RemoveRestoreHelpersAsync());
        }

        [Fact]
        public async Task A_restore_helper_whose_image_cannot_idle_is_not_usable_here()
        {
            // No sleep in the image: the helper has ended (127) before the script could run in it.
            var engine = new HelperEngine { ExecError = new IrisOpsException(IrisErrorKind.InvalidOperation, "Conflict", "container is not running", "node-irisops-restore") };
            var helper = new HelperContainerArchive(engine);

            (long? exit, _) = await helper.RunAsync("node-irisops-restore", "sha256:old", Mount, restoring: true, work.Combine("dur.tar"), "true", TimeSpan.FromMinutes(1), CancellationToken.None);

            Assert.Null(exit);
            Assert.Equal(new[] { "exec node-irisops-restore", "inspect node-irisops-restore", "remove node-irisops-restore" }, engine.Calls.Skip(3));
        }

        /// <summary>The calls the backup's helper makes, and the archive API of a mount holding one file.</summary>
        private sealed class HelperEngine : UnsupportedDockerEngine
        {
            public List<string> Calls { get; } = new List<string>();

            public Func<CancellationToken, Task<long>> OnWait { get; set; } = _ => Task.FromResult(0L);

            public string Log { get; set; } = string.Empty;

            public ContainerSpec? Created { get; private set; }

            public override Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
            {
                Calls.Add("create " + spec.Name);
                Created = spec;
                return Task.FromResult("id-" + spec.Name);
            }

            public override Task StartContainerAsync(string nameOrId, CancellationToken cancellationToken)
            {
                Calls.Add("start " + nameOrId);
                return Task.CompletedTask;
            }

            public override Task<long> WaitContainerAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken)
            {
                Calls.Add("wait " + nameOrId);
                return OnWait(cancellationToken);
            }

            public override Task<bool> RemoveContainerAsync(string nameOrId, bool force, bool removeAnonymousVolumes, CancellationToken cancellationToken)
            {
                Calls.Add("remove " + nameOrId);
                return Task.FromResult(true);
            }

            public long ExecExit { get; set; }

            public IrisOpsException? ExecError { get; set; }

            public override Task<ExecResult> ExecAsync(string nameOrId, ExecRequest request, CancellationToken cancellationToken)
            {
                Calls.Add("exec " + nameOrId);
                return ExecError != null ? Task.FromException<ExecResult>(ExecError) : Task.FromResult(new ExecResult { ExitCode = ExecExit });
            }

            // After a failed exec: the helper has ended, as one whose image has no sleep.
            public override Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken)
            {
                Calls.Add("inspect " + nameOrId);
                return Task.FromResult<ContainerDetails?>(new ContainerDetails { Name = nameOrId, State = new ContainerStateInfo { Running = false, Status = "exited", ExitCode = 127 } });
            }

            public override Task<string> GetContainerLogsAsync(string nameOrId, int tailLines, CancellationToken cancellationToken) => Task.FromResult(Log);

            public override Task CopyFromContainerAsync(string nameOrId, string path, Stream destination, CancellationToken cancellationToken)
            {
                Calls.Add("copy-from " + nameOrId + " " + path);
                TestArchives.WriteFile(destination, "dur/iconfig/iris.cpf", Encoding.UTF8.GetBytes("[config]\n"));
                return Task.CompletedTask;
            }
        }
    }
}
