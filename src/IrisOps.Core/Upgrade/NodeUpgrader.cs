using System;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// What every way of moving one node to a new image shares: the engine, the reporter, the verified backup and
    /// restore on this host, the time a rollback's calls may take, and the node's progress bar.
    /// </summary>
    public abstract class NodeUpgrader
    {
        internal const string Activity = "Update-IrisApplicationImage";
        private TimeSpan cleanupTimeout = IrisDefaults.CleanupTimeout;

        protected NodeUpgrader(IDockerEngine engine, IOperationReporter reporter)
        {
            Engine = engine;
            Reporter = reporter;
            bool onThisHost = HelperContainerArchive.MayUse(engine);
            Backups = new DurableBackup(engine, onThisHost);
            Restores = new DurableRestore(engine, onThisHost);
        }

        /// <summary>Time allowed for each call of a rollback (which cannot be cancelled by the user).</summary>
        public TimeSpan CleanupTimeout
        {
            get => cleanupTimeout;
            set
            {
                cleanupTimeout = value;
                Restores.CleanupTimeout = value;
            }
        }

        /// <summary>The run's own activity, shown above each node's (null: the node's activity stands alone).</summary>
        public string? ParentActivity { get; set; }

        internal IDockerEngine Engine { get; }

        internal IOperationReporter Reporter { get; }

        internal DurableBackup Backups { get; }

        internal DurableRestore Restores { get; }

        /// <summary>Upgrades the node. Never throws for a node failure: the outcome says what happened.</summary>
        public abstract Task<NodeUpgradeOutcome> RunAsync(NodeInspection node, ImageUpgradeOptions options, CancellationToken cancellationToken);

        internal void Progress(string node, string status, int percent) => NestedProgress.Report(Reporter, Activity + " " + node, status, percent, ParentActivity);

        /// <summary>One call of a rollback, bounded by <see cref="CleanupTimeout"/> (plus <paramref name="extra"/>), never by the caller's token.</summary>
        internal Task<T> BoundedAsync<T>(Func<CancellationToken, Task<T>> call, TimeSpan extra = default) => Cleanup.BoundedAsync(cleanupTimeout + extra, call);

        /// <inheritdoc cref="BoundedAsync{T}(Func{CancellationToken, Task{T}}, TimeSpan)"/>
        internal Task BoundedAsync(Func<CancellationToken, Task> call, TimeSpan extra = default) => Cleanup.BoundedAsync(cleanupTimeout + extra, call);
    }
}
