using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// The step before the stop that archives what the running instance does not write (closed journal files,
    /// the IRIS.DAT of read-only databases; see <see cref="JournalCopyAhead"/>), for the backup after the stop to
    /// check and not archive again. It first removes what a killed earlier run of the node left behind
    /// (<see cref="AheadLeftovers"/>).
    /// </summary>
    internal static class CopyAheadStep
    {
        public const string Name = "copy closed journal files and read-only databases ahead";

        public const string Progress = "copying closed journal files and read-only databases";

        /// <summary>Whether the node has anything that may be copied ahead: journal or database directories on its backup mounts.</summary>
        public static bool Applies(NodeInspection node) => node.Running && (node.JournalDirectories.Count > 0 || node.DatabaseDirectories.Count > 0);

        public static async Task<IReadOnlyList<AheadCopy>> RunAsync(IDockerEngine engine, DurableBackup backups, NodeInspection node, IOperationReporter reporter, CancellationToken cancellationToken)
        {
            string name = node.Target.Container;
            foreach (string file in AheadLeftovers.RemoveFromEarlierRuns(node.BackupFolder))
            {
                reporter.Verbose($"{name}: removed '{file}', left by an earlier run that ended before its backup was complete (no backup manifest names it).");
            }

            IReadOnlyList<string> readOnly = !backups.CanCopyAhead ? new List<string>() : await ReadOnlyDatabases.FilesToCopyAheadAsync(engine, name, node.DatabaseDirectories, reporter, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<AheadCopy> ahead = await backups.CopyAheadAsync(name, node.Container!.ImageId, node.BackupMounts, node.JournalDirectories, node.BackupFolder, cancellationToken, readOnly).ConfigureAwait(false);
            int files = ahead.Sum(a => a.Files.Count);
            reporter.Verbose(files == 0
                ? $"{name}: nothing copied before the stop."
                : $"{name}: {files} file{(files == 1 ? string.Empty : "s")} ({UpgradePreflight.Megabytes(ahead.Sum(a => a.Entries.Sum(e => e.Size)))}: closed journal files and read-only databases) copied before the stop in {ahead.Sum(a => a.Time.TotalSeconds):0.00} s.");
            return ahead;
        }
    }
}
