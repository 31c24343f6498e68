using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>What the preflight found: the new image (null when it is not on the engine) and every node.</summary>
    public sealed class PreflightReport
    {
        public PreflightReport(ImageDetails? newImage, IReadOnlyList<NodeInspection> nodes)
        {
            NewImage = newImage;
            Nodes = nodes;
        }

        public ImageDetails? NewImage { get; }

        public IReadOnlyList<NodeInspection> Nodes { get; }

        public bool HasProblems => Nodes.Any(n => n.Problems.Count > 0);
    }

    /// <summary>
    /// Reads everything about every node without changing anything. Problems are collected per node, never
    /// thrown, so a run can report all of them before it touches any node.
    /// </summary>
    public sealed class UpgradePreflight
    {
        private readonly IDockerEngine engine;
        private readonly IOperationReporter reporter;

        public UpgradePreflight(IDockerEngine engine, IOperationReporter reporter)
        {
            this.engine = engine;
            this.reporter = reporter;
        }

        public async Task<PreflightReport> InspectAsync(IReadOnlyList<UpgradeTarget> targets, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            if (!options.SkipBackup)
            {
                BackupPathCheck.CheckUsable(options.BackupPath, options.BackupPathIsDefault);
            }

            ImageDetails? newImage = await engine.InspectImageAsync(options.Image, cancellationToken).ConfigureAwait(false);
            string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "Z";
            var inspections = new List<NodeInspection>();
            foreach (UpgradeTarget target in targets)
            {
                var node = new NodeInspection(target) { BackupFolder = Path.Combine(options.BackupPath, target.Container, stamp) };
                inspections.Add(node);
                await InspectNodeAsync(node, newImage, options, cancellationToken).ConfigureAwait(false);
            }

            if (!options.SkipBackup)
            {
                BackupPathCheck.CheckFreeSpace(inspections.Where(n => !n.AlreadyOnImage && n.Problems.Count == 0).ToList(), options.BackupPath, reporter);
            }

            return new PreflightReport(newImage, inspections);
        }

        private async Task InspectNodeAsync(NodeInspection node, ImageDetails? newImage, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            string name = node.Target.Container;
            reporter.Verbose($"Preflight of '{name}'.");

            // The old container of an earlier run still carries its upgrade name: kept with -KeepPrevious, or left by
            // an interrupted run, whose state is described with the commands that finish or undo it.
            InterruptedState? interrupted = await new InterruptedUpgrade(engine, reporter).InspectAsync(name, options.BackupPath, cancellationToken).ConfigureAwait(false);
            if (interrupted != null && interrupted.Journal != null)
            {
                node.Problems.Add(new PreflightProblem("InterruptedUpgrade", IrisErrorKind.InvalidOperation, interrupted.Describe(options.Image) + " Nothing was changed."));
            }
            else if (interrupted != null)
            {
                node.Problems.Add(new PreflightProblem("PreviousContainerExists", IrisErrorKind.ResourceExists,
                    $"A container named '{UpgradePlanner.PreviousName(name)}' exists (kept by an earlier upgrade with -KeepPrevious, or left by an interrupted one whose journal is not under -BackupPath '{options.BackupPath}'): remove or rename it before upgrading '{name}', or give the -BackupPath of that run to see its state."));
            }

            if (interrupted != null)
            {
                return; // whatever the containers look like now, they are mid-upgrade: nothing else is judged
            }

            ContainerDetails? details = await engine.InspectContainerAsync(name, cancellationToken).ConfigureAwait(false);
            if (details == null)
            {
                node.Problems.Add(new PreflightProblem("ContainerNotFound", IrisErrorKind.ObjectNotFound, $"The container '{name}' does not exist on the Docker engine at {engine.Endpoint.Host}."));
                return;
            }

            // A Swarm run keeps its journal under the service's name: Swarm replaces the task container, so no
            // renamed container marks an interrupted run, and the task may already run the new image.
            if (details.Spec.Labels.TryGetValue(Ecp.ClusterLabels.SwarmService, out string? ofService))
            {
                InterruptedSwarmState? interruptedService = await new InterruptedSwarmUpgrade(engine, reporter).InspectAsync(ofService, options.BackupPath, cancellationToken).ConfigureAwait(false);
                if (interruptedService != null)
                {
                    node.Problems.Add(new PreflightProblem("InterruptedUpgrade", IrisErrorKind.InvalidOperation, interruptedService.Describe(name) + " Nothing was changed."));
                    return;
                }
            }

            node.Container = details;
            node.FromImage = details.Spec.Image;
            node.Running = details.State.Running;
            node.OldImage = await engine.InspectImageAsync(details.ImageId, cancellationToken).ConfigureAwait(false);
            if (node.OldImage == null)
            {
                node.Warnings.Add($"The image '{node.FromImage}' of '{name}' is no longer on the engine, so its defaults cannot be told apart from the container's own settings: the new container keeps all of them (environment, entrypoint, command, health check) instead of taking the new image's.");
            }

            if (newImage == null)
            {
                node.Problems.Add(new PreflightProblem("ImageNotFound", IrisErrorKind.ObjectNotFound,
                    $"The image '{options.Image}' does not exist on the Docker engine at {engine.Endpoint.Host}: pull or load it first (IrisOps never pulls during an upgrade)."));
            }
            else if (string.Equals(details.ImageId, newImage.Id, StringComparison.Ordinal))
            {
                node.AlreadyOnImage = true;
                return;
            }

            if (details.Name.EndsWith(UpgradePlanner.PreviousSuffix, StringComparison.Ordinal))
            {
                node.Problems.Add(new PreflightProblem("ContainerIsPrevious", IrisErrorKind.InvalidArgument,
                    $"'{name}' is an old container kept by an earlier upgrade (-KeepPrevious); upgrade the container without the '{UpgradePlanner.PreviousSuffix}' suffix."));
            }

            // A Swarm task's container belongs to its service: replacing it would race Swarm, which starts the task
            // again, and could put two containers on one durable %SYS. The service is upgraded instead.
            if (details.Spec.Labels.TryGetValue(Ecp.ClusterLabels.SwarmService, out string? service))
            {
                await SwarmUpgradeCheck.InspectAsync(engine, node, details, service, options, cancellationToken).ConfigureAwait(false);
            }

            // Durable %SYS: ISC_DATA_DIRECTORY must be on a volume or bind mount, else the instance data lives in
            // the container's own file system and would be lost with the old container.
            details.Spec.Environment.TryGetValue(IrisContainer.DataDirectoryVariable, out string? dataDirectory);
            MountSpec? mount = string.IsNullOrEmpty(dataDirectory) ? null : FindMount(details.Spec.Mounts, dataDirectory!);
            if (string.IsNullOrEmpty(dataDirectory))
            {
                node.Problems.Add(new PreflightProblem("DurableSysMissing", IrisErrorKind.InvalidOperation,
                    $"'{name}' does not use durable %SYS ({IrisContainer.DataDirectoryVariable} is not set): its instance data lives inside the container and would be lost by replacing it. Nothing was changed."));
            }
            else if (mount == null)
            {
                node.Problems.Add(new PreflightProblem("DurableSysNotMounted", IrisErrorKind.InvalidOperation,
                    $"'{name}' sets {IrisContainer.DataDirectoryVariable}={dataDirectory} but no volume or bind mount holds that path: its instance data would be lost by replacing the container. Nothing was changed."));
            }
            else
            {
                node.DurableMount = mount;
                node.DataDirectory = dataDirectory;
            }

            await CheckStateAsync(node, details, cancellationToken).ConfigureAwait(false);

            if (node.DurableMount != null)
            {
                await NodeBackupScope.InspectAsync(engine, node, cancellationToken).ConfigureAwait(false);
            }

            if (node.BackupMounts.Count > 0 && !options.SkipBackup && details.State.Running)
            {
                node.DurableBytes = await MeasureAsync(name, node.BackupMounts.Select(m => m.Target).ToList(), cancellationToken).ConfigureAwait(false);
                if (node.DurableBytes == null)
                {
                    node.Warnings.Add($"Could not measure {string.Join(", ", node.BackupMounts.Select(m => "'" + m.Target + "'"))} in '{name}' (du failed): free space for the backup is checked while writing only.");
                }
            }

            // One merge file for the new container, composed now, while the old container is untouched.
            if (node.Swarm == null && UpgradeMergeFile.IsNeeded(details.Spec, options))
            {
                try
                {
                    node.MergeFile = await UpgradeMergeFile.PrepareAsync(details, options, UpgradeMergeFile.HostPathFor(node.BackupFolder),
                        (path, token) => new ContainerFileReader(engine).ReadAsync(name, path, token), node.Warnings, reporter, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IrisOpsException || ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException)
                {
                    node.Problems.Add(new PreflightProblem("MergeFileNotComposed", IrisErrorKind.InvalidData, $"Cannot compose the merge file for '{name}': {ex.Message}"));
                }
            }
        }

        // A stopped instance must have shut down cleanly, judged as the manuals allow (see InstanceRunningMarker):
        // no instance-running marker left; a non-zero exit code alone is only reported.
        private async Task CheckStateAsync(NodeInspection node, ContainerDetails details, CancellationToken cancellationToken)
        {
            string name = node.Target.Container;
            if (!details.State.Running)
            {
                if (node.DataDirectory != null)
                {
                    ShutdownVerdict verdict = await InstanceRunningMarker.JudgeAsync(engine, name, details, node.DataDirectory, cancellationToken).ConfigureAwait(false);
                    if (!verdict.Clean)
                    {
                        node.Problems.Add(new PreflightProblem("UncleanPreviousShutdown", IrisErrorKind.InvalidOperation,
                            $"'{name}' is stopped and its last shutdown was not clean: {verdict.Reason}. {InstanceRunningMarker.Remedy(name, details.Spec.Image)}"));
                    }
                    else if (details.State.ExitCode != 0)
                    {
                        node.Warnings.Add($"'{name}' is stopped with exit code {details.State.ExitCode}; its last shutdown counts as clean because no instance-running marker is left (the exit code of iris-main is not documented).");
                    }
                }
            }
            else if (details.State.Health == "unhealthy")
            {
                node.Problems.Add(new PreflightProblem("NodeUnhealthy", IrisErrorKind.InvalidOperation,
                    $"'{name}' is unhealthy now; a rollback could not prove it healthy again. Fix it first."));
            }
        }

        /// <summary>The volume or bind mount that holds <paramref name="path"/> (see <see cref="BackupScope.MountFor"/>), when the instance can write it; else null.</summary>
        public static MountSpec? FindMount(IEnumerable<MountSpec> mounts, string path)
        {
            MountSpec? mount = BackupScope.MountFor(mounts, path);
            return mount != null && BackupScope.IsBackedUp(mount) ? mount : null;
        }

        // du -sk prints one line per path; the sum is the size of everything the backup archives.
        private async Task<long?> MeasureAsync(string container, IReadOnlyList<string> paths, CancellationToken cancellationToken)
        {
            try
            {
                var command = new List<string> { "du", "-sk" };
                command.AddRange(paths);
                ExecResult result = await engine.ExecAsync(container, new ExecRequest { Command = command, Timeout = IrisDefaults.HelperTimeout }, cancellationToken).ConfigureAwait(false);
                if (result.ExitCode != 0)
                {
                    return null;
                }

                long total = 0;
                foreach (string line in result.StandardOutput.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    string first = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
                    if (!long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out long kib))
                    {
                        return null;
                    }

                    total += kib * 1024;
                }

                return total;
            }
            catch (IrisOpsException)
            {
                return null;
            }
        }

        internal static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MB";
    }
}
