using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// The pure part of an upgrade: in which order nodes go, and the exact steps each one takes (what -WhatIf
    /// shows). Nodes are always upgraded one at a time, so within a cluster at most one node is down.
    /// </summary>
    public static class UpgradePlanner
    {
        public const string PreviousSuffix = "-irisops-previous";

        /// <summary>
        /// Execution order: clusters in the order they first appear, standalone containers where they appear;
        /// within a cluster the application servers in the order given and the data server first or last.
        /// Duplicates (the same container given twice) are dropped.
        /// </summary>
        public static IReadOnlyList<UpgradeTarget> Order(IEnumerable<UpgradeTarget> targets, DataServerOrder dataServerOrder)
        {
            var unique = new List<UpgradeTarget>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (UpgradeTarget target in targets)
            {
                if (seen.Add(target.Container))
                {
                    unique.Add(target);
                }
            }

            var ordered = new List<UpgradeTarget>();
            var doneClusters = new HashSet<string>(StringComparer.Ordinal);
            foreach (UpgradeTarget target in unique)
            {
                if (target.Cluster == null || target.Role == UpgradeNodeRole.Standalone)
                {
                    ordered.Add(target);
                    continue;
                }

                if (!doneClusters.Add(target.Cluster))
                {
                    continue;
                }

                List<UpgradeTarget> members = unique.Where(t => t.Cluster == target.Cluster && t.Role != UpgradeNodeRole.Standalone).ToList();
                List<UpgradeTarget> data = members.Where(t => t.Role == UpgradeNodeRole.Data).ToList();
                List<UpgradeTarget> apps = members.Where(t => t.Role != UpgradeNodeRole.Data).ToList();
                if (dataServerOrder == DataServerOrder.First)
                {
                    ordered.AddRange(data);
                    ordered.AddRange(apps);
                }
                else
                {
                    ordered.AddRange(apps);
                    ordered.AddRange(data);
                }
            }

            return ordered;
        }

        /// <summary>The name the old container carries while the new one runs (and after, with -KeepPrevious).</summary>
        public static string PreviousName(string container) => container + PreviousSuffix;

        /// <summary>The steps one node goes through, in order, as sentences (for -WhatIf, -Confirm and -Verbose).</summary>
        public static IReadOnlyList<string> Steps(NodeStepInput node, ImageUpgradeOptions options)
        {
            var steps = new List<string>();
            string stopSeconds = options.StopTimeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
            if (node.DatabasesInWritableLayer.Count > 0)
            {
                steps.Add($"refuse unless the new image's iris.cpf ships {string.Join(", ", node.DatabasesInWritableLayer)} at that same directory (no mount holds them, so they must come with the image)");
            }

            if (node.CopiesAhead && !options.SkipBackup)
            {
                steps.Add("while it still runs (only with a Docker engine on this machine): ask the instance in one read-only iris session (%SYS) which of its databases are read-only, and archive the closed journal files and those databases' IRIS.DAT into the backup folder; after the stop each is checked (inode, size, modification and change time) and archived again if it changed");
            }

            if (node.Running)
            {
                steps.Add($"stop container '{node.Container}' (docker stop, waiting up to {stopSeconds} s for a clean shutdown)");
            }
            else
            {
                steps.Add($"container '{node.Container}' is not running: no stop needed");
            }

            steps.Add("refuse to go on unless the shutdown was clean (the container is down and no instance-running marker mgr/iris.ids is left in the durable directory; the exit code is reported, not decisive); after an unclean shutdown the old container stays stopped and the manual's remedy is given");
            if (options.SkipBackup)
            {
                steps.Add("take NO backup (-SkipBackup): a failed upgrade cannot restore the durable directory");
            }
            else
            {
                steps.Add($"back up {string.Join(", ", node.BackupMounts)} to '{node.BackupFolder}' (per mount an archive <mount>.tar and <mount>.manifest.json with SHA-256 checksums) and verify each");
            }

            steps.Add($"rename '{node.Container}' to '{PreviousName(node.Container)}'");
            string merge = node.MergeFile == null ? string.Empty : ", with " + node.MergeFile.Describe();
            steps.Add($"create '{node.Container}' from image '{options.Image}' with the old container's configuration (environment, mounts, networks with aliases and addresses, ports, labels, command, health check, restart policy, stop timeout){merge}");
            steps.Add("start it and wait up to " + options.HealthTimeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " s until it is healthy");
            if (options.PostUpgradeScript != null)
            {
                steps.Add($"run the post-upgrade script with '{IrisContainer.SessionCommandLine(options.Namespace)}'");
            }

            steps.Add(options.KeepPrevious
                ? $"keep the old container as '{PreviousName(node.Container)}' (-KeepPrevious)"
                : $"remove the old container '{PreviousName(node.Container)}'");
            steps.Add("on any failure or Ctrl+C after the stop: remove the new container, restore every backed-up mount from the backup if the new container ran on it, rename and start the old container and wait until it is healthy");
            return steps;
        }

        /// <summary>The steps of a Swarm node's upgrade (<see cref="SwarmNodeUpgrade"/>): its service is changed, not its container.</summary>
        public static IReadOnlyList<string> SwarmSteps(NodeStepInput node, SwarmNodeFacts swarm, ImageUpgradeOptions options)
        {
            string seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
            var steps = new List<string>();
            if (node.DatabasesInWritableLayer.Count > 0)
            {
                steps.Add($"refuse unless the new image's iris.cpf ships {string.Join(", ", node.DatabasesInWritableLayer)} at that same directory (no mount holds them, so they must come with the image)");
            }

            steps.Add($"scale service '{swarm.Service}' to 0 replicas (Swarm stops task container '{node.Container}' with the service's stop grace period) and wait up to {seconds(swarm.StopWait(options.StopTimeout))} s until it is down");
            steps.Add($"refuse to go on unless the shutdown was clean (no instance-running marker mgr/iris.ids is left in the durable directory); after an unclean shutdown the service stays at 0 replicas and the manual's remedy is given");
            steps.Add(options.SkipBackup
                ? "take NO backup (-SkipBackup): a failed upgrade cannot restore the durable volume"
                : $"back up {string.Join(", ", node.BackupMounts)} to '{node.BackupFolder}' (per mount an archive <mount>.tar and <mount>.manifest.json with SHA-256 checksums) and verify each");
            steps.Add($"update service '{swarm.Service}' to image '{options.Image}' and 1 replica in one update, and wait up to {seconds(options.HealthTimeout)} s until its new task runs healthy");
            if (options.PostUpgradeScript != null)
            {
                steps.Add($"run the post-upgrade script in the new task with '{IrisContainer.SessionCommandLine(options.Namespace)}'");
            }

            steps.Add($"on any failure or Ctrl+C after the scale-down: scale the service to 0, restore every backed-up mount from the backup if the new task ran on it, update the service back to image '{swarm.ServiceImage}' and 1 replica and wait until its task is healthy");
            return steps;
        }
    }

    /// <summary>What <see cref="UpgradePlanner.Steps"/> needs to know about a node.</summary>
    public sealed class NodeStepInput
    {
        public string Container { get; set; } = string.Empty;
        public bool Running { get; set; }
        /// <summary>The mounts the backup archives, each as "'target' (volume name)" or "'target' (host folder path)".</summary>
        public IList<string> BackupMounts { get; set; } = new List<string>();

        /// <summary>Databases in no mount, each as "database NAME ('directory')": checked against the new image before the stop.</summary>
        public IList<string> DatabasesInWritableLayer { get; set; } = new List<string>();
        public string BackupFolder { get; set; } = string.Empty;

        /// <summary>The node runs and has journal or database directories on its backup mounts: some files may be copied before the stop.</summary>
        public bool CopiesAhead { get; set; }

        /// <summary>The one merge file the new container gets, or null when it keeps the old ISC_CPF_MERGE_FILE as it is.</summary>
        public UpgradeMergeFile? MergeFile { get; set; }
    }
}
