using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Upgrade;
using IrisOps.Tests.Docker;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>
    /// Ctrl+C in every step of a node's upgrade, on a real Docker engine and the irisops-standin images (a stand-in
    /// for the IRIS container contract, NOT IRIS): the reporter cancels the moment a step reports its progress, so
    /// the step begins with a cancelled token. Each time the old container must be back (same container, running,
    /// healthy), no new or helper container left, and the durable data byte-identical apart from the records a
    /// restart writes. Everything created is labelled irisops.test=1 and removed afterwards.
    /// </summary>
    [Collection("Docker")]
    public sealed class UpgradeCancellationOnDockerTests : IAsyncLifetime
    {
        // Files a stop and a start legitimately rewrite (as in the Pester upgrade tests).
        // standin/session.log: before the stop the upgrade asks the running instance which databases are read-only.
        private static readonly string[] RestartRecords = { "iconfig/standin/running", "iconfig/mgr/iris.ids", "iconfig/standin/starts.log", "iconfig/mgr/messages.log", "iconfig/standin/merge.log", "iconfig/standin/session.log" };
        private readonly string run = "c" + Guid.NewGuid().ToString("N").Substring(0, 10);
        private IDockerEngine engine = null!;
        private TempFolder backups = null!;

        public UpgradeCancellationOnDockerTests(StandInImages images)
        {
            Assert.NotNull(images);
        }

        public Task InitializeAsync()
        {
            engine = DockerEngineFactory.Create(null);
            backups = new TempFolder();
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
            backups.Dispose();
        }

        /// <summary>The progress text each step reports as it begins (NodeUpgrade's steps, in order).</summary>
        public static TheoryData<string> StepProgress() => new TheoryData<string>
        {
            "stopping", "checking the shutdown", "backing up", "renaming the old container", "creating the new container",
            "starting the new container", "waiting until healthy", "running the post-upgrade script",
        };

        [DockerTheory]
        [MemberData(nameof(StepProgress))]
        public async Task Ctrl_C_in_each_step_brings_the_old_container_back_with_the_durable_data_unchanged(string step)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            string node = $"irisops-test-{run}-node";
            await StartNodeAsync(node, limit.Token);
            string oldId = (await engine.InspectContainerAsync(node, limit.Token))!.Id;
            Dictionary<string, string> before = await DurableHashesAsync(node, limit.Token);

            using var ctrlC = new CancellationTokenSource();
            var reporter = new CancelAtProgress(step, ctrlC);
            var errors = new List<IrisOpsException>();
            var results = new List<IrisUpgradeResult>();
            var upgrade = new UpgradeRun(engine, reporter, (n, d) => Task.FromResult(true), results.Add, (e, n) => errors.Add(e));
            var options = new ImageUpgradeOptions
            {
                Image = StandInImages.V2,
                BackupPath = backups.Path,
                HealthTimeout = TimeSpan.FromSeconds(30),
                StopTimeout = TimeSpan.FromSeconds(15),
                PostUpgradeScript = "write \"upgraded\",!",
            };

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upgrade.RunAsync(new[] { new UpgradeTarget(node) }, options, ctrlC.Token));

            Assert.True(reporter.Cancelled, $"the step '{step}' never reported its progress");
            IrisUpgradeResult result = Assert.Single(results);
            Assert.Equal(UpgradeStatus.RolledBack, result.Status);
            Assert.Equal("UpgradeCancelled", Assert.Single(errors).ErrorId);
            ContainerDetails old = (await engine.InspectContainerAsync(node, limit.Token))!;
            Assert.Equal(oldId, old.Id);
            Assert.True(old.State.Running);
            Assert.Equal("healthy", old.State.Health);
            Assert.Null(await engine.InspectContainerAsync(UpgradePlanner.PreviousName(node), limit.Token));
            Assert.Null(await engine.InspectContainerAsync(node + "-irisops-restore", limit.Token));
            Assert.Empty(await engine.ListContainersAsync(new Dictionary<string, string?> { [CodeDatabaseProbe.HelperLabel] = null }, limit.Token));
            Dictionary<string, string> after = await DurableHashesAsync(node, limit.Token);
            foreach (string record in RestartRecords)
            {
                before.Remove(record);
                after.Remove(record);
            }

            Assert.Equal(before.OrderBy(f => f.Key, StringComparer.Ordinal), after.OrderBy(f => f.Key, StringComparer.Ordinal));
        }

        // A node on durable %SYS: a labelled volume made writable for uid 51773 (as a real deployment prepares it).
        private async Task StartNodeAsync(string node, CancellationToken cancellationToken)
        {
            string volume = node + "-durable";
            await engine.CreateVolumeAsync(new VolumeSpec { Name = volume, Labels = TestLabels.For(run) }, cancellationToken);
            var mount = new MountSpec { Kind = MountKind.Volume, Source = volume, Target = "/dur" };
            string chown = node + "-chown";
            await engine.CreateContainerAsync(new ContainerSpec
            {
                Name = chown,
                Image = StandInImages.V1,
                User = "0:0",
                Entrypoint = new List<string> { "/bin/chown", "51773:51773", "/dur" },
                Mounts = new List<MountSpec> { mount },
                Labels = TestLabels.For(run),
            }, cancellationToken);
            await engine.StartContainerAsync(chown, cancellationToken);
            Assert.Equal(0L, await engine.WaitContainerAsync(chown, TimeSpan.FromSeconds(30), cancellationToken));
            await engine.RemoveContainerAsync(chown, true, false, cancellationToken);

            var spec = new ContainerSpec
            {
                Name = node,
                Image = StandInImages.V1,
                Environment = new Dictionary<string, string> { ["ISC_DATA_DIRECTORY"] = "/dur/iconfig" },
                Mounts = new List<MountSpec> { mount },
                Labels = TestLabels.For(run),
            };
            await engine.CreateContainerAsync(spec, cancellationToken);
            await engine.StartContainerAsync(node, cancellationToken);
            Assert.True((await new ContainerHealthWaiter(engine).WaitAsync(node, TimeSpan.FromSeconds(30), cancellationToken)).IsHealthy);
        }

        // SHA-256 of every file of the durable mount, by path relative to it, read through the engine's archive API.
        private async Task<Dictionary<string, string>> DurableHashesAsync(string node, CancellationToken cancellationToken)
        {
            using var archive = new MemoryStream();
            await engine.CopyFromContainerAsync(node, "/dur", archive, cancellationToken);
            archive.Position = 0;
            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            using var reader = new TarReader(archive);
            while (reader.GetNextEntry(copyData: true) is TarEntry entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile && entry.DataStream != null)
                {
                    string relative = entry.Name.Substring(entry.Name.IndexOf('/') + 1);
                    hashes[relative] = Convert.ToHexString(SHA256.HashData(entry.DataStream));
                }
            }

            return hashes;
        }

        /// <summary>Ctrl+C at the moment a given step reports its progress, i.e. before the step's first engine call.</summary>
        private sealed class CancelAtProgress : IOperationReporter
        {
            private readonly string status;
            private readonly CancellationTokenSource source;

            public CancelAtProgress(string status, CancellationTokenSource source)
            {
                this.status = status;
                this.source = source;
            }

            public bool Cancelled { get; private set; }

            public void Progress(string activity, string status, int percentComplete)
            {
                if (!Cancelled && status.StartsWith(this.status, StringComparison.Ordinal))
                {
                    Cancelled = true;
                    source.Cancel();
                }
            }

            public void Verbose(string message)
            {
            }

            public void Warning(string message)
            {
            }
        }
    }
}
