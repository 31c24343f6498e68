using System.Collections.Generic;
using System.IO;
using IrisOps.Core.Common;
using IrisOps.Core.Errors;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>BackupPathCheck: -BackupPath refused with InvalidArgument before any node is stopped.</summary>
    public sealed class BackupPathCheckTests : System.IDisposable
    {
        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        [Fact]
        public void A_folder_or_a_missing_folder_in_an_existing_parent_is_usable_and_nothing_is_left_behind()
        {
            BackupPathCheck.CheckUsable(folder.Path);
            BackupPathCheck.CheckUsable(folder.Combine("new"));

            Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
        }

        [Fact]
        public void A_file_is_refused()
        {
            File.WriteAllText(folder.Combine("file"), "x");

            AssertRefused("BackupPathIsFile", folder.Combine("file"));
        }

        [Fact]
        public void A_missing_parent_is_refused()
        {
            AssertRefused("BackupPathParentMissing", folder.Combine("missing", "backups"));
        }

        [Fact]
        public void The_default_folder_may_be_missing_with_its_parents()
        {
            BackupPathCheck.CheckUsable(folder.Combine("IrisOps", "backups"), isDefault: true);

            Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
        }

        [Fact]
        public void A_parent_that_is_a_file_is_refused()
        {
            File.WriteAllText(folder.Combine("file"), "x");

            AssertRefused("BackupPathParentMissing", folder.Combine("file", "backups"));
        }

        [Fact]
        public void A_folder_that_cannot_be_written_is_refused()
        {
            // /proc refuses new files even to root, so this holds wherever the tests run as root on Linux.
            if (!Directory.Exists("/proc/self"))
            {
                return;
            }

            AssertRefused("BackupPathNotWritable", "/proc/irisops-backups");
        }

        [Fact]
        public void Too_little_free_space_for_all_mounts_is_a_problem_of_every_node_naming_the_parameter()
        {
            var nodes = new List<NodeInspection>
            {
                new NodeInspection(new UpgradeTarget("a")) { DurableBytes = long.MaxValue / 4 },
                new NodeInspection(new UpgradeTarget("b")) { DurableBytes = 1 },
            };

            BackupPathCheck.CheckFreeSpace(nodes, folder.Path, NullOperationReporter.Instance);

            foreach (NodeInspection node in nodes)
            {
                PreflightProblem problem = Assert.Single(node.Problems);
                Assert.Equal("BackupSpaceLow", problem.ErrorId);
                Assert.Equal(IrisErrorKind.InvalidArgument, problem.Kind);
                Assert.Contains("-BackupPath '" + folder.Path + "'", problem.Message, System.StringComparison.Ordinal);
            }
        }

        private static void AssertRefused(string errorId, string path)
        {
            var ex = Assert.Throws<IrisOpsException>(() => BackupPathCheck.CheckUsable(path));
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Equal(IrisErrorKind.InvalidArgument, ex.Kind);
            Assert.Contains("-BackupPath", ex.Message, System.StringComparison.Ordinal);
        }
    }
}
