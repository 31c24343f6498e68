using System;
using System.Collections.Generic;

namespace IrisOps.Core.Upgrade
{
    /// <summary>One node's outcome: Update-IrisApplicationImage writes one per node.</summary>
    public sealed class IrisUpgradeResult
    {
        /// <summary>The container name.</summary>
        public string Node { get; set; } = string.Empty;

        public string? Cluster { get; set; }

        public UpgradeNodeRole Role { get; set; }

        public string FromImage { get; set; } = string.Empty;

        public string ToImage { get; set; } = string.Empty;

        public UpgradeStatus Status { get; set; }

        /// <summary>The folder with the archive and its manifest; null when no backup was taken.</summary>
        public string? BackupPath { get; set; }

        /// <summary>From the stop of the old container until a container (new, or old after a rollback) was healthy again.</summary>
        public TimeSpan? Downtime { get; set; }

        public TimeSpan Duration { get; set; }

        public string Message { get; set; } = string.Empty;

        /// <summary>The old container's name when -KeepPrevious kept it.</summary>
        public string? PreviousContainer { get; set; }

        /// <summary>The last lines of the new container's log when it failed.</summary>
        public string? NewContainerLogTail { get; set; }

        /// <summary>Stable id of the failure (as in the error record), or null.</summary>
        public string? ErrorId { get; set; }

        public IList<string> Warnings { get; set; } = new List<string>();

        public override string ToString() => $"{Node}: {Status}";
    }
}
