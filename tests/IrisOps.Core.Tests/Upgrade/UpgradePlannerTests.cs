using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>UpgradePlanner: the order of the nodes and the steps -WhatIf describes.</summary>
    public class UpgradePlannerTests
    {
        [Fact]
        public void Order_puts_application_servers_one_after_another_and_the_data_server_last_by_default()
        {
            var targets = new[]
            {
                new UpgradeTarget("c1-data", "c1", UpgradeNodeRole.Data),
                new UpgradeTarget("solo"),
                new UpgradeTarget("c1-app2", "c1", UpgradeNodeRole.Application),
                new UpgradeTarget("c2-app1", "c2", UpgradeNodeRole.Application),
                new UpgradeTarget("c1-app1", "c1", UpgradeNodeRole.Application),
                new UpgradeTarget("c2-data", "c2", UpgradeNodeRole.Data),
                new UpgradeTarget("c1-app2", "c1", UpgradeNodeRole.Application),
            };

            Assert.Equal(new[] { "c1-app2", "c1-app1", "c1-data", "solo", "c2-app1", "c2-data" },
                UpgradePlanner.Order(targets, DataServerOrder.Last).Select(t => t.Container));
            Assert.Equal(new[] { "c1-data", "c1-app2", "c1-app1", "solo", "c2-data", "c2-app1" },
                UpgradePlanner.Order(targets, DataServerOrder.First).Select(t => t.Container));
            Assert.Equal(DataServerOrder.Last, new ImageUpgradeOptions().DataServerOrder);
        }

        [Fact]
        public void Steps_say_exactly_what_happens_to_a_node()
        {
            var node = new NodeStepInput { Container = "app1", Running = true, BackupMounts = { "'/dur' (volume app1-durable)" }, BackupFolder = "/b/app1/t" };
            var options = new ImageUpgradeOptions { Image = "app:2", StopTimeout = TimeSpan.FromSeconds(330), HealthTimeout = TimeSpan.FromSeconds(60) };

            IReadOnlyList<string> steps = UpgradePlanner.Steps(node, options);

            Assert.StartsWith("stop container 'app1'", steps[0], StringComparison.Ordinal);
            Assert.Contains("330 s", steps[0], StringComparison.Ordinal);
            Assert.Contains("clean", steps[1], StringComparison.Ordinal);
            Assert.Contains("back up '/dur' (volume app1-durable) to '/b/app1/t'", steps[2], StringComparison.Ordinal);
            Assert.Equal("rename 'app1' to 'app1-irisops-previous'", steps[3]);
            Assert.Contains("from image 'app:2'", steps[4], StringComparison.Ordinal);
            Assert.Contains("60 s", steps[5], StringComparison.Ordinal);
            Assert.Equal("remove the old container 'app1-irisops-previous'", steps[6]);
            Assert.StartsWith("on any failure or Ctrl+C", steps[7], StringComparison.Ordinal);

            options.SkipBackup = true;
            options.KeepPrevious = true;
            options.PostUpgradeScript = "do ##class(Ens.Director).UpdateProduction()";
            options.Namespace = "APP";
            steps = UpgradePlanner.Steps(node, options);
            Assert.Contains(steps, s => s.StartsWith("take NO backup", StringComparison.Ordinal));
            Assert.Contains(steps, s => s.Contains("iris session IRIS -U APP", StringComparison.Ordinal));
            Assert.Contains(steps, s => s.StartsWith("keep the old container as 'app1-irisops-previous'", StringComparison.Ordinal));
        }

        [Fact]
        public void Steps_say_what_is_copied_while_the_instance_still_runs_and_nothing_with_SkipBackup()
        {
            var node = new NodeStepInput { Container = "app1", Running = true, CopiesAhead = true, BackupMounts = { "'/dur' (volume app1-durable)" }, BackupFolder = "/b/app1/t" };
            var options = new ImageUpgradeOptions { Image = "app:2" };

            IReadOnlyList<string> steps = UpgradePlanner.Steps(node, options);

            Assert.StartsWith("while it still runs", steps[0], StringComparison.Ordinal);
            Assert.Contains("read-only iris session (%SYS)", steps[0], StringComparison.Ordinal);
            Assert.Contains("closed journal files", steps[0], StringComparison.Ordinal);
            Assert.StartsWith("stop container 'app1'", steps[1], StringComparison.Ordinal);

            options.SkipBackup = true;
            Assert.DoesNotContain(UpgradePlanner.Steps(node, options), s => s.StartsWith("while it still runs", StringComparison.Ordinal));
        }

        [Fact]
        public void Steps_name_every_mount_backed_up_and_the_databases_no_mount_holds()
        {
            var node = new NodeStepInput
            {
                Container = "app1",
                Running = true,
                BackupMounts = { "'/dur' (volume app1-durable)", "'/journal' (host folder /srv/journal)" },
                DatabasesInWritableLayer = { "database APPCODE ('/opt/app/code/')" },
                BackupFolder = "/b/app1/t",
            };

            IReadOnlyList<string> steps = UpgradePlanner.Steps(node, new ImageUpgradeOptions { Image = "app:2" });

            Assert.Equal("refuse unless the new image's iris.cpf ships database APPCODE ('/opt/app/code/') at that same directory (no mount holds them, so they must come with the image)", steps[0]);
            Assert.StartsWith("stop container 'app1'", steps[1], StringComparison.Ordinal);
            Assert.Contains("back up '/dur' (volume app1-durable), '/journal' (host folder /srv/journal) to '/b/app1/t'", steps[3], StringComparison.Ordinal);
        }
    }
}
