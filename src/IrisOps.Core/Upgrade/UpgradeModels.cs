using System;
using System.Collections.Generic;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    public enum UpgradeStatus
    {
        /// <summary>The node runs the new image and is healthy.</summary>
        Upgraded,

        /// <summary>The upgrade failed (or was cancelled) and the node is back on its old image, healthy, with its durable data as before.</summary>
        RolledBack,

        /// <summary>Nothing was done: the node is already on the image, or it was not attempted.</summary>
        Skipped,

        /// <summary>The node could not be upgraded nor fully rolled back, or the preflight refused it; the message says what state it is in.</summary>
        Failed,
    }

    /// <summary>When the data server of a cluster is upgraded relative to its application servers.</summary>
    public enum DataServerOrder
    {
        /// <summary>Application servers first, then the data server (the IRIS documentation's general advice for ECP).</summary>
        Last,

        /// <summary>The data server first, then the application servers.</summary>
        First,
    }

    public enum UpgradeNodeRole
    {
        /// <summary>A container that is not part of an IrisOps cluster.</summary>
        Standalone,
        Data,
        Application,
    }

    /// <summary>A container to upgrade, with its place in a cluster if it has one.</summary>
    public sealed class UpgradeTarget
    {
        public UpgradeTarget(string container, string? cluster = null, UpgradeNodeRole role = UpgradeNodeRole.Standalone)
        {
            Container = container;
            Cluster = cluster;
            Role = role;
        }

        public string Container { get; }

        public string? Cluster { get; set; }

        public UpgradeNodeRole Role { get; set; }

        public override string ToString() => Container;
    }

    /// <summary>What Update-IrisApplicationImage was asked to do.</summary>
    public sealed class ImageUpgradeOptions
    {
        public string Image { get; set; } = string.Empty;

        /// <summary>Full path of the folder that receives the backups (one sub-folder per container and run).</summary>
        public string BackupPath { get; set; } = string.Empty;

        /// <summary>True when -BackupPath was not given: the default folder may not exist yet, with its parents.</summary>
        public bool BackupPathIsDefault { get; set; }

        public bool SkipBackup { get; set; }

        public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(IrisDefaults.HealthTimeoutSeconds);

        /// <summary>How long docker stop waits before killing (see <see cref="IrisDefaults.StopTimeoutSeconds"/>).</summary>
        public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(IrisDefaults.StopTimeoutSeconds);

        /// <summary>The new merge file, already validated and rendered through the CPF model.</summary>
        public string? MergeFileContent { get; set; }

        public string? MergeFileSource { get; set; }

        /// <summary>ObjectScript fed to iris session once the node is healthy.</summary>
        public string? PostUpgradeScript { get; set; }

        public string Namespace { get; set; } = "USER";

        public bool KeepPrevious { get; set; }

        public DataServerOrder DataServerOrder { get; set; } = DataServerOrder.Last;

        /// <summary>Refuse (instead of warn) when the code-database trap is found.</summary>
        public bool Strict { get; set; }

        /// <summary>Finish an interrupted upgrade instead of starting one (see <see cref="InterruptedUpgrade"/>).</summary>
        public bool Resume { get; set; }

        /// <summary>Undo an interrupted upgrade instead of starting one (see <see cref="InterruptedUpgrade"/>).</summary>
        public bool RollBack { get; set; }

        /// <summary>Databases a code/data/config layout marks as code, checked besides the routines databases of the image's namespaces.</summary>
        public IList<string> LayoutCodeDatabases { get; set; } = new List<string>();

        public int LogTailLines { get; set; } = 40;
    }
}
