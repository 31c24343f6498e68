using System;
using System.Collections.Generic;
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
    /// One node's upgrade against a scripted engine: each step fails in turn, and is cancelled in turn, and the
    /// rollback must run the undos of the completed steps newest first, leave the old container under its name,
    /// started and healthy, restore the durable data when the new version ran on it, and report what it did.
    /// </summary>
    public sealed class NodeUpgradeTests : IDisposable
    {
        private const string Node = "app";
        private const string Previous = "app-irisops-previous";
        private const string Helper = "app-irisops-restore";
        private const string LogTail = " Last lines of the new container's log:\nnew instance started\nsomething went wrong";
        private readonly TempFolder backups = new TempFolder();
        private readonly ScriptedUpgradeEngine engine = new ScriptedUpgradeEngine();

        public NodeUpgradeTests() => engine.AddNode(Node);

        public void Dispose() => backups.Dispose();

        // The undos of the start (remove the new container, restore the durable directory with a helper), of the
        // create (the container is gone already), of the rename and of the stop, in that order.
        private static readonly string[] UndoAfterStart =
        {
            "remove app", "remove app-irisops-restore", "create app-irisops-restore", "start app-irisops-restore", "copy-to app-irisops-restore /",
            "remove app-irisops-restore", "remove app", "rename app-irisops-previous app", "start app",
        };

        private const string AfterStartNotes = "the new container was removed; '/dur' was restored from the backup and verified identical to it; the old container is 'app' again; the old container is running and healthy.";

        /// <summary>Step, the engine call inside it that fails, the changes the rollback makes, and the rollback's notes.</summary>
        public static TheoryData<string, string, string[], string> Steps() => new TheoryData<string, string, string[], string>
        {
            { "stop", "stop app", new string[0], "the old container is running and healthy." },
            { "check the shutdown", "inspect app", new[] { "start app" }, "the old container is running and healthy." },
            { "back up the durable directories", "copy-from app /dur", new[] { "start app" }, "the old container is running and healthy." },
            { "rename the old container", "rename app app-irisops-previous", new[] { "start app" }, "the old container is running and healthy." },
            { "create the new container", "create app", new[] { "rename app-irisops-previous app", "start app" }, "the old container is 'app' again; the old container is running and healthy." },
            { "start the new container", "start app", UndoAfterStart, AfterStartNotes + LogTail },
            { "wait until the new container is healthy", "health app", UndoAfterStart, AfterStartNotes + LogTail },
            { "run the post-upgrade script", "exec app iris", UndoAfterStart, AfterStartNotes + LogTail },
        };

        private ImageUpgradeOptions Options(bool skipBackup = false) => new ImageUpgradeOptions
        {
            Image = ScriptedUpgradeEngine.NewImage,
            BackupPath = backups.Path,
            SkipBackup = skipBackup,
            PostUpgradeScript = "write \"done\",!",
            HealthTimeout = TimeSpan.FromSeconds(5),
        };

        private async Task<NodeInspection> PreflightAsync(ImageUpgradeOptions options)
        {
            PreflightReport report = await new UpgradePreflight(engine, NullOperationReporter.Instance).InspectAsync(new[] { new UpgradeTarget(Node) }, options, CancellationToken.None);
            NodeInspection node = Assert.Single(report.Nodes);
            Assert.Empty(node.Problems);
            engine.Calls.Clear();
            return node;
        }

        private Dictionary<string, string> DurableText() => engine.Durable(Node).ToDictionary(f => f.Key, f => Encoding.UTF8.GetString(f.Value));

        // The changes made after the failing call, i.e. by the rollback.
        private List<string> RollbackChanges(string failingCall)
        {
            int at = engine.Calls.IndexOf(failingCall);
            Assert.True(at >= 0, $"'{failingCall}' was never called: {string.Join(", ", engine.Calls)}");
            return engine.Calls.Skip(at + 1).Where(ScriptedUpgradeEngine.IsChange).ToList();
        }

        private void AssertOldNodeBack(Dictionary<string, string> durableBefore)
        {
            ScriptedUpgradeEngine.FakeContainer old = engine.Container(Node)!;
            Assert.Equal("id-app", old.Id);
            Assert.Equal("sha256:old", old.ImageId);
            Assert.True(old.Running);
            Assert.Equal("healthy", old.Health);
            Assert.Null(engine.Container(Previous));
            Assert.Null(engine.Container(Helper));
            Assert.Equal(durableBefore, DurableText());
        }

        [Theory]
        [MemberData(nameof(Steps))]
        public async Task A_failing_step_rolls_back_the_completed_steps_newest_first(string step, string failingCall, string[] undoCalls, string notes)
        {
            NodeInspection node = await PreflightAsync(Options());
            Dictionary<string, string> before = DurableText();
            engine.FailOn(failingCall);

            NodeUpgradeOutcome outcome = await new NodeUpgrade(engine, NullOperationReporter.Instance).RunAsync(node, Options(), CancellationToken.None);

            Assert.Equal(undoCalls, RollbackChanges(failingCall));
            AssertOldNodeBack(before);
            Assert.Equal(UpgradeStatus.RolledBack, outcome.Result.Status);
            Assert.Equal($"'{step}' failed: boom Rollback: {notes}", outcome.Result.Message);
            Assert.Equal("FakeFailure", outcome.Result.ErrorId);
            Assert.Equal("FakeFailure", outcome.Error!.ErrorId);
            Assert.Equal($"Upgrade of 'app' to 'app:2' rolled back: {outcome.Result.Message}", outcome.Error.Message);
            Assert.NotNull(outcome.Result.Downtime);
        }

        [Theory]
        [MemberData(nameof(Steps))]
        public async Task Cancelling_during_a_step_rolls_back_without_the_cancelled_token(string step, string cancellingCall, string[] undoCalls, string notes)
        {
            NodeInspection node = await PreflightAsync(Options());
            Dictionary<string, string> before = DurableText();
            using var cancellation = new CancellationTokenSource();
            engine.CancelOn(cancellingCall, cancellation);

            NodeUpgradeOutcome outcome = await new NodeUpgrade(engine, NullOperationReporter.Instance).RunAsync(node, Options(), cancellation.Token);

            Assert.True(cancellation.IsCancellationRequested, step);
            Assert.Equal(undoCalls, RollbackChanges(cancellingCall));
            AssertOldNodeBack(before);
            Assert.Equal(UpgradeStatus.RolledBack, outcome.Result.Status);
            Assert.Equal($"The upgrade was cancelled (Ctrl+C) Rollback: {notes}", outcome.Result.Message);
            Assert.Equal("UpgradeCancelled", outcome.Result.ErrorId);
            Assert.Equal("UpgradeCancelled", outcome.Error!.ErrorId);
            Assert.Equal(Core.Errors.IrisErrorKind.OperationTimeout, outcome.Error.Kind);
        }

        [Fact]
        public async Task A_healthy_upgrade_keeps_a_verified_backup_and_removes_the_old_container()
        {
            NodeInspection node = await PreflightAsync(Options());

            NodeUpgradeOutcome outcome = await new NodeUpgrade(engine, NullOperationReporter.Instance).RunAsync(node, Options(), CancellationToken.None);

            Assert.Null(outcome.Error);
            Assert.Equal(UpgradeStatus.Upgraded, outcome.Result.Status);
            Assert.Equal("Upgraded from 'app:1' to 'app:2'; healthy.", outcome.Result.Message);
            Assert.Equal(new[] { "stop app", "rename app app-irisops-previous", "create app", "start app", "remove app-irisops-previous" }, engine.Changes);
            Assert.Equal("sha256:new", engine.Container(Node)!.ImageId);
            Assert.Equal("converted by the new version", DurableText()["dur/iconfig/mgr/IRIS.DAT"]);
            Assert.Empty(DurableBackup.Verify(outcome.Result.BackupPath!));
        }

        [Fact]
        public async Task A_full_disk_during_the_backup_rolls_back_and_removes_the_partial_archive()
        {
            NodeInspection node = await PreflightAsync(Options());
            Dictionary<string, string> before = DurableText();
            engine.FailOn("copy-from app /dur", new System.IO.IOException("No space left on device"));

            NodeUpgradeOutcome outcome = await new NodeUpgrade(engine, NullOperationReporter.Instance).RunAsync(node, Options(), CancellationToken.None);

            Assert.Equal(UpgradeStatus.RolledBack, outcome.Result.Status);
            Assert.Equal("BackupWriteFailed", outcome.Error!.ErrorId);
            Assert.Contains("-BackupPath", outcome.Error.Message, StringComparison.Ordinal);
            Assert.Equal(new[] { "start app" }, RollbackChanges("copy-from app /dur"));
            Assert.True(engine.Container(Node)!.Running);
            Assert.Equal(before, DurableText());
            // Nothing of the backup is left; the run's journal stays, closed, as the record of what happened.
            Assert.All(System.IO.Directory.GetFiles(backups.Path, "*", System.IO.SearchOption.AllDirectories), f => Assert.Equal(UpgradeJournal.FileName, System.IO.Path.GetFileName(f)));
        }

        [Fact]
        public async Task Without_a_backup_the_old_container_is_not_started_on_data_the_new_version_changed()
        {
            NodeInspection node = await PreflightAsync(Options(skipBackup: true));
            engine.FailOn("health app");

            NodeUpgradeOutcome outcome = await new NodeUpgrade(engine, NullOperationReporter.Instance).RunAsync(node, Options(skipBackup: true), CancellationToken.None);

            Assert.Equal(new[] { "remove app", "remove app", "rename app-irisops-previous app" }, RollbackChanges("health app"));
            Assert.Equal(UpgradeStatus.Failed, outcome.Result.Status);
            Assert.Equal("'wait until the new container is healthy' failed: boom Rollback: the new container was removed; the new container ran on the durable data and there is no backup (-SkipBackup) to restore it from, so the old container was NOT started on data the new version may have changed; the old container is 'app' again." + LogTail, outcome.Result.Message);
            Assert.StartsWith("Upgrade of 'app' to 'app:2' failed and was NOT fully rolled back: ", outcome.Error!.Message, StringComparison.Ordinal);
            Assert.False(engine.Container(Node)!.Running);
            Assert.Equal("id-app", engine.Container(Node)!.Id);
            Assert.Null(outcome.Result.BackupPath);
        }

        [Fact]
        public async Task A_node_that_was_stopped_stays_stopped_after_a_rollback()
        {
            var stopped = new ScriptedUpgradeEngine();
            stopped.AddNode(Node, running: false);
            PreflightReport report = await new UpgradePreflight(stopped, NullOperationReporter.Instance).InspectAsync(new[] { new UpgradeTarget(Node) }, Options(), CancellationToken.None);
            stopped.FailOn("create app");

            NodeUpgradeOutcome outcome = await new NodeUpgrade(stopped, NullOperationReporter.Instance).RunAsync(report.Nodes[0], Options(), CancellationToken.None);

            Assert.Equal(UpgradeStatus.RolledBack, outcome.Result.Status);
            Assert.Equal("'create the new container' failed: boom Rollback: the old container is 'app' again; the old container was not running before and stays stopped.", outcome.Result.Message);
            Assert.DoesNotContain(stopped.Calls, c => c == "stop app" || c == "start app");
            Assert.Null(outcome.Result.Downtime);
        }

        [Fact]
        public async Task A_failing_undo_stops_the_rollback_there_and_says_what_to_check()
        {
            NodeInspection node = await PreflightAsync(Options());
            engine.FailOn("health app");
            engine.FailOn("rename app-irisops-previous app", new Core.Errors.IrisOpsException(Core.Errors.IrisErrorKind.InvalidOperation, "FakeFailure", "rename refused."));

            NodeUpgradeOutcome outcome = await new NodeUpgrade(engine, NullOperationReporter.Instance).RunAsync(node, Options(), CancellationToken.None);

            Assert.Equal(UpgradeStatus.Failed, outcome.Result.Status);
            Assert.Contains("'/dur' was restored from the backup and verified identical to it; the rollback itself failed: rename refused. Check the containers 'app' and 'app-irisops-previous' and the backup in '" + outcome.Result.BackupPath + "', or run Update-IrisApplicationImage on the node again: it describes the node's state and offers -Resume and -RollBack.", outcome.Result.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("start app", RollbackChanges("health app"));
            Assert.False(engine.Container(Previous)!.Running);
        }

        [Fact]
        public async Task The_ledger_undoes_newest_first_and_can_stop_at_the_first_failing_undo()
        {
            var done = new List<string>();
            var ledger = new UndoLedger();
            ledger.Record("one", () => { done.Add("one"); return Task.CompletedTask; });
            ledger.Record("two", () => throw new InvalidOperationException("two failed"));
            ledger.Record("three", () => { done.Add("three"); return Task.CompletedTask; });

            UndoResult result = await ledger.UndoAllAsync(stopAtFirstFailure: true);

            Assert.Equal(new[] { "three" }, done);
            Assert.Equal(new[] { "three" }, result.Undone);
            Assert.Equal("two", Assert.Single(result.Failures).Name);
            Assert.Equal(new[] { "one" }, result.NotAttempted);
            Assert.False(result.Complete);
            Assert.Empty(ledger.Entries);
        }
    }
}
