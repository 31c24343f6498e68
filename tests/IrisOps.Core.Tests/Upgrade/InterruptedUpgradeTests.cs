using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>
    /// An upgrade interrupted in "wait until the new container is healthy" (the process died): the journal stays
    /// open, the old container renamed, the new one on the durable data. The next run describes that state and
    /// refuses; -RollBack and -Resume finish it; both refuse when the state is not known well enough.
    /// </summary>
    public sealed class InterruptedUpgradeTests : IDisposable
    {
        private const string Node = "app";
        private const string Previous = "app-irisops-previous";
        private readonly TempFolder backups = new TempFolder();
        private readonly ScriptedUpgradeEngine engine = new ScriptedUpgradeEngine();
        private Dictionary<string, string> before = new Dictionary<string, string>();

        public InterruptedUpgradeTests() => engine.AddNode(Node);

        public void Dispose() => backups.Dispose();

        private ImageUpgradeOptions Options(bool skipBackup = false) => new ImageUpgradeOptions
        {
            Image = ScriptedUpgradeEngine.NewImage,
            BackupPath = backups.Path,
            SkipBackup = skipBackup,
            KeepPrevious = true,
            HealthTimeout = TimeSpan.FromSeconds(5),
        };

        private Dictionary<string, string> DurableText() => engine.Durable(Node).ToDictionary(f => f.Key, f => Encoding.UTF8.GetString(f.Value));

        // Runs an upgrade to its end, then rewrites its journal as the process would have left it had it died
        // while waiting for the new container's health.
        private async Task<UpgradeJournal> InterruptAsync(bool skipBackup = false)
        {
            before = DurableText();
            PreflightReport report = await new UpgradePreflight(engine, NullOperationReporter.Instance).InspectAsync(new[] { new UpgradeTarget(Node) }, Options(skipBackup), CancellationToken.None);
            NodeUpgradeOutcome outcome = await new NodeUpgrade(engine, NullOperationReporter.Instance).RunAsync(report.Nodes[0], Options(skipBackup), CancellationToken.None);
            Assert.Equal(UpgradeStatus.Upgraded, outcome.Result.Status);
            UpgradeJournal journal = UpgradeJournal.Load(Path.Combine(report.Nodes[0].BackupFolder, UpgradeJournal.FileName))!;
            Assert.Equal("upgraded", journal.Outcome);
            journal.Outcome = null;
            journal.Finished.Remove("wait until the new container is healthy");
            journal.Save();
            engine.Calls.Clear();
            return journal;
        }

        private async Task<(List<IrisUpgradeResult> Results, List<Core.Errors.IrisOpsException> Errors)> RunAsync(ImageUpgradeOptions options, bool approve = true)
        {
            var results = new List<IrisUpgradeResult>();
            var errors = new List<Core.Errors.IrisOpsException>();
            await new UpgradeRun(engine, NullOperationReporter.Instance, (n, d) => Task.FromResult(approve), results.Add, (e, n) => errors.Add(e))
                .RunAsync(new[] { new UpgradeTarget(Node) }, options, CancellationToken.None);
            return (results, errors);
        }

        [Fact]
        public async Task The_next_run_describes_the_state_and_changes_nothing()
        {
            UpgradeJournal journal = await InterruptAsync();

            (List<IrisUpgradeResult> results, List<Core.Errors.IrisOpsException> errors) = await RunAsync(Options());

            Core.Errors.IrisOpsException error = Assert.Single(errors);
            Assert.Equal("InterruptedUpgrade", error.ErrorId);
            Assert.Contains($"last step: 'wait until the new container is healthy (begun, not finished)'", error.Message, StringComparison.Ordinal);
            Assert.Contains("the old container is renamed 'app-irisops-previous' (exited)", error.Message, StringComparison.Ordinal);
            Assert.Contains("the new container 'app' exists on image 'app:2' (running, healthy)", error.Message, StringComparison.Ordinal);
            Assert.Contains($"the backup in '{journal.Folder}' verifies against its manifest", error.Message, StringComparison.Ordinal);
            Assert.Contains("the new instance may have run on the durable data", error.Message, StringComparison.Ordinal);
            Assert.Contains("-Resume (", error.Message, StringComparison.Ordinal);
            Assert.Contains("-RollBack (removes the new container, restores the durable directory from the backup, renames the old container back and starts it)", error.Message, StringComparison.Ordinal);
            Assert.Equal(UpgradeStatus.Failed, Assert.Single(results).Status);
            Assert.Empty(engine.Changes);
        }

        [Fact]
        public async Task RollBack_restores_the_backup_and_brings_the_old_container_back()
        {
            UpgradeJournal journal = await InterruptAsync();
            ImageUpgradeOptions options = Options();
            options.RollBack = true;

            // The interrupted run's restore helper for a second mount, still idle: it goes first.
            engine.AddNode(Node + "-irisops-restore-2", running: true, durable: false, labels: new Dictionary<string, string> { [CodeDatabaseProbe.HelperLabel] = "restore" });

            (List<IrisUpgradeResult> results, List<Core.Errors.IrisOpsException> errors) = await RunAsync(options);

            Assert.Empty(errors);
            IrisUpgradeResult result = Assert.Single(results);
            Assert.Equal(UpgradeStatus.RolledBack, result.Status);
            Assert.Equal("The interrupted upgrade was rolled back: the new container was removed; '/dur' was restored from the backup and verified identical to it; the old container is 'app' again; the old container is running and healthy.", result.Message);
            Assert.Equal(new[] { "remove app-irisops-restore-2", "remove app" }, engine.Changes.Skip(1).Take(2));
            Assert.Null(engine.Container(Node + "-irisops-restore-2"));
            Assert.Equal(new[] { "rename app-irisops-previous app", "start app" }, engine.Changes.Skip(engine.Changes.Count() - 2));
            Assert.Equal("id-app", engine.Container(Node)!.Id);
            Assert.Null(engine.Container(Previous));
            Assert.Equal(before, DurableText());
            Assert.Equal("rolled back", UpgradeJournal.Load(journal.Path)!.Outcome);
        }

        [Fact]
        public async Task Resume_removes_the_old_container_once_the_new_one_is_healthy()
        {
            UpgradeJournal journal = await InterruptAsync();
            ImageUpgradeOptions options = Options();
            options.KeepPrevious = false;
            options.Resume = true;

            (List<IrisUpgradeResult> results, List<Core.Errors.IrisOpsException> errors) = await RunAsync(options);

            Assert.Empty(errors);
            Assert.Equal(UpgradeStatus.Upgraded, Assert.Single(results).Status);
            Assert.Equal(new[] { "remove app-irisops-previous" }, engine.Changes);
            Assert.Equal("sha256:new", engine.Container(Node)!.ImageId);
            Assert.Equal("upgraded", UpgradeJournal.Load(journal.Path)!.Outcome);
        }

        [Fact]
        public async Task WhatIf_shows_the_description_and_changes_nothing()
        {
            await InterruptAsync();
            ImageUpgradeOptions options = Options();
            options.RollBack = true;

            (List<IrisUpgradeResult> results, List<Core.Errors.IrisOpsException> errors) = await RunAsync(options, approve: false);

            Assert.Empty(results);
            Assert.Empty(errors);
            Assert.Empty(engine.Changes);
        }

        [Fact]
        public async Task Both_refuse_while_the_renamed_old_container_runs()
        {
            await InterruptAsync();
            engine.Container(Previous)!.Running = true;
            ImageUpgradeOptions options = Options();
            options.RollBack = true;

            (List<IrisUpgradeResult> _, List<Core.Errors.IrisOpsException> errors) = await RunAsync(options);
            Assert.Equal("RollBackNotPossible", Assert.Single(errors).ErrorId);
            Assert.Contains("is running although it was renamed for the upgrade", errors[0].Message, StringComparison.Ordinal);

            options.RollBack = false;
            options.Resume = true;
            (_, errors) = await RunAsync(options);
            Assert.Equal("ResumeNotPossible", Assert.Single(errors).ErrorId);
            Assert.Empty(engine.Changes);
        }

        [Fact]
        public async Task Without_a_journal_or_a_verified_backup_both_refuse_and_change_nothing()
        {
            UpgradeJournal journal = await InterruptAsync(skipBackup: true);
            ImageUpgradeOptions options = Options(skipBackup: true);
            options.RollBack = true;

            (List<IrisUpgradeResult> results, List<Core.Errors.IrisOpsException> errors) = await RunAsync(options);
            Assert.Equal("RollBackNotPossible", Assert.Single(errors).ErrorId);
            Assert.Contains("there is no verified backup to restore it from", errors[0].Message, StringComparison.Ordinal);

            File.Delete(journal.Path);
            options.RollBack = false;
            options.Resume = true;
            (results, errors) = await RunAsync(options);
            Assert.Equal("ResumeNotPossible", Assert.Single(errors).ErrorId);
            Assert.Contains("no journal of the interrupted run was found", errors[0].Message, StringComparison.Ordinal);

            options.Resume = false;
            (results, errors) = await RunAsync(options);
            Assert.Equal("PreviousContainerExists", Assert.Single(errors).ErrorId);
            Assert.Empty(engine.Changes);
            Assert.NotNull(engine.Container(Previous));
        }
    }
}
