using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Upgrade
{
    /// <summary>A problem the preflight found on a node: nothing changes while any node has one.</summary>
    public sealed class PreflightProblem
    {
        public PreflightProblem(string errorId, IrisErrorKind kind, string message)
        {
            ErrorId = errorId;
            Kind = kind;
            Message = message;
        }

        public string ErrorId { get; }
        public IrisErrorKind Kind { get; }
        public string Message { get; }

        public override string ToString() => Message;
    }

    /// <summary>What the preflight learned about one node.</summary>
    public sealed class NodeInspection
    {
        public NodeInspection(UpgradeTarget target) => Target = target;

        public UpgradeTarget Target { get; }
        public ContainerDetails? Container { get; set; }
        public ImageDetails? OldImage { get; set; }
        public string FromImage { get; set; } = string.Empty;
        public bool AlreadyOnImage { get; set; }
        public bool Running { get; set; }
        public MountSpec? DurableMount { get; set; }
        public string? DataDirectory { get; set; }
        public long? DurableBytes { get; set; }
        public string BackupFolder { get; set; } = string.Empty;
        public UpgradeMergeFile? MergeFile { get; set; }
        public IList<PreflightProblem> Problems { get; } = new List<PreflightProblem>();
        public IList<string> Warnings { get; } = new List<string>();

        public NodeStepInput StepInput => new NodeStepInput
        {
            Container = Target.Container,
            Running = Running,
            DurableMount = DurableMount?.Target ?? string.Empty,
            DurableSource = DurableMount == null ? string.Empty : (DurableMount.Kind == MountKind.Volume ? "volume " : "host folder ") + DurableMount.Source,
            BackupFolder = BackupFolder,
            MergeFile = MergeFile,
        };
    }

    /// <summary>A node's result, with the error to report when it failed or was rolled back.</summary>
    public sealed class NodeUpgradeOutcome
    {
        public NodeUpgradeOutcome(IrisUpgradeResult result, IrisOpsException? error)
        {
            Result = result;
            Error = error;
        }

        public IrisUpgradeResult Result { get; }
        public IrisOpsException? Error { get; }
    }

    /// <summary>
    /// Moves containers to a new image keeping durable %SYS: preflight of every node, then per node
    /// stop -> clean-shutdown check -> cold backup with a verified manifest -> keep the old container under another
    /// name -> create the new one with the same configuration -> start -> health gate -> post-upgrade script ->
    /// remove the old one. Any failure or cancellation after the stop rolls back, and the rollback never uses the
    /// caller's cancellation token.
    /// </summary>
    public sealed class ImageUpgrader
    {
        public const string HelperLabel = "irisops.upgrade.helper";
        private const string Activity = "Update-IrisApplicationImage";
        private static readonly string[] RunningMarkers = { "standin/running", "mgr/iris.ids" };
        private readonly IDockerEngine engine;
        private readonly IOperationReporter reporter;
        private CpfDocument? newImageCpf;
        private string? newImageCpfError;

        public ImageUpgrader(IDockerEngine engine, IOperationReporter reporter)
        {
            this.engine = engine;
            this.reporter = reporter;
        }

        /// <summary>Time allowed for each cleanup call of a rollback (which cannot be cancelled by the user).</summary>
        public TimeSpan CleanupTimeout { get; set; } = TimeSpan.FromMinutes(2);

        public ImageDetails? NewImage { get; private set; }

        // ---------------------------------------------------------------- preflight

        /// <summary>Reads everything about every node without changing anything; problems are collected, never thrown.</summary>
        public async Task<IReadOnlyList<NodeInspection>> InspectAsync(IReadOnlyList<UpgradeTarget> targets, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            NewImage = await engine.InspectImageAsync(options.Image, cancellationToken).ConfigureAwait(false);
            string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "Z";
            var inspections = new List<NodeInspection>();
            foreach (UpgradeTarget target in targets)
            {
                var node = new NodeInspection(target) { BackupFolder = Path.Combine(options.BackupPath, target.Container, stamp) };
                inspections.Add(node);
                await InspectNodeAsync(node, options, cancellationToken).ConfigureAwait(false);
            }

            CheckFreeSpace(inspections.Where(n => !n.AlreadyOnImage && n.Problems.Count == 0).ToList(), options);
            return inspections;
        }

        private async Task InspectNodeAsync(NodeInspection node, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            string name = node.Target.Container;
            reporter.Verbose($"Preflight of '{name}'.");
            ContainerDetails? details = await engine.InspectContainerAsync(name, cancellationToken).ConfigureAwait(false);
            if (details == null)
            {
                node.Problems.Add(new PreflightProblem("ContainerNotFound", IrisErrorKind.ObjectNotFound, $"The container '{name}' does not exist on the Docker engine at {engine.Endpoint.Host}."));
                return;
            }

            node.Container = details;
            node.FromImage = details.Spec.Image;
            node.Running = details.State.Running;
            node.OldImage = await engine.InspectImageAsync(details.ImageId, cancellationToken).ConfigureAwait(false);
            if (node.OldImage == null)
            {
                node.Warnings.Add($"The image '{node.FromImage}' of '{name}' is no longer on the engine, so its defaults cannot be told apart from the container's own settings: the new container keeps all of them (environment, entrypoint, command, health check) instead of taking the new image's.");
            }

            if (NewImage == null)
            {
                node.Problems.Add(new PreflightProblem("ImageNotFound", IrisErrorKind.ObjectNotFound,
                    $"The image '{options.Image}' does not exist on the Docker engine at {engine.Endpoint.Host}: pull or load it first (IrisOps never pulls during an upgrade)."));
            }
            else if (string.Equals(details.ImageId, NewImage.Id, StringComparison.Ordinal))
            {
                node.AlreadyOnImage = true;
                return;
            }

            if (details.Name.EndsWith(UpgradePlanner.PreviousSuffix, StringComparison.Ordinal))
            {
                node.Problems.Add(new PreflightProblem("ContainerIsPrevious", IrisErrorKind.InvalidArgument,
                    $"'{name}' is an old container kept by an earlier upgrade (-KeepPrevious); upgrade the container without the '{UpgradePlanner.PreviousSuffix}' suffix."));
            }

            string previous = UpgradePlanner.PreviousName(name);
            if (await engine.InspectContainerAsync(previous, cancellationToken).ConfigureAwait(false) != null)
            {
                node.Problems.Add(new PreflightProblem("PreviousContainerExists", IrisErrorKind.ResourceExists,
                    $"A container named '{previous}' exists (kept by an earlier upgrade with -KeepPrevious, or left by an interrupted one): remove or rename it before upgrading '{name}'."));
            }

            // Durable %SYS: ISC_DATA_DIRECTORY must be on a volume or bind mount, else the instance data lives in
            // the container's own file system and would be lost with the old container.
            details.Spec.Environment.TryGetValue("ISC_DATA_DIRECTORY", out string? dataDirectory);
            MountSpec? mount = string.IsNullOrEmpty(dataDirectory) ? null : FindMount(details.Spec.Mounts, dataDirectory!);
            if (string.IsNullOrEmpty(dataDirectory))
            {
                node.Problems.Add(new PreflightProblem("DurableSysMissing", IrisErrorKind.InvalidOperation,
                    $"'{name}' does not use durable %SYS (ISC_DATA_DIRECTORY is not set): its instance data lives inside the container and would be lost by replacing it. Nothing was changed."));
            }
            else if (mount == null)
            {
                node.Problems.Add(new PreflightProblem("DurableSysNotMounted", IrisErrorKind.InvalidOperation,
                    $"'{name}' sets ISC_DATA_DIRECTORY={dataDirectory} but no volume or bind mount holds that path: its instance data would be lost by replacing the container. Nothing was changed."));
            }
            else
            {
                node.DurableMount = mount;
                node.DataDirectory = dataDirectory;
            }

            if (!details.State.Running)
            {
                if (details.State.ExitCode != 0 || details.State.OomKilled)
                {
                    node.Problems.Add(new PreflightProblem("UncleanPreviousShutdown", IrisErrorKind.InvalidOperation,
                        $"'{name}' is stopped and its last shutdown was not clean (exit code {details.State.ExitCode}{(details.State.OomKilled ? ", killed for lack of memory" : string.Empty)}): IRIS blocks an upgrade after an unclean shutdown. Start it, let it recover and stop it cleanly, then upgrade."));
                }
                else if (node.DataDirectory != null)
                {
                    string? marker = await FindRunningMarkerAsync(name, node.DataDirectory, CancellationToken.None).ConfigureAwait(false);
                    if (marker != null)
                    {
                        node.Problems.Add(new PreflightProblem("UncleanPreviousShutdown", IrisErrorKind.InvalidOperation,
                            $"'{name}' is stopped but its durable directory still holds the instance-running marker '{marker}': the last shutdown was not clean and IRIS would block the upgrade."));
                    }
                }
            }
            else if (details.State.Health == "unhealthy")
            {
                node.Problems.Add(new PreflightProblem("NodeUnhealthy", IrisErrorKind.InvalidOperation,
                    $"'{name}' is unhealthy now; a rollback could not prove it healthy again. Fix it first."));
            }

            if (node.DurableMount != null && !options.SkipBackup && details.State.Running)
            {
                node.DurableBytes = await MeasureAsync(name, node.DurableMount.Target, cancellationToken).ConfigureAwait(false);
                if (node.DurableBytes == null)
                {
                    node.Warnings.Add($"Could not measure '{node.DurableMount.Target}' in '{name}' (du failed): free space for its backup is checked while writing only.");
                }
            }

            // One merge file for the new container, composed now, while the old container is untouched.
            if (UpgradeMergeFile.IsNeeded(details.Spec, options))
            {
                try
                {
                    node.MergeFile = await UpgradeMergeFile.PrepareAsync(details, options, UpgradeMergeFile.HostPathFor(node.BackupFolder), (path, token) => ReadFileAsync(name, path, token), node.Warnings, reporter, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IrisOpsException || ex is IOException || ex is UnauthorizedAccessException || ex is InvalidDataException)
                {
                    node.Problems.Add(new PreflightProblem("MergeFileNotComposed", IrisErrorKind.InvalidData, $"Cannot compose the merge file for '{name}': {ex.Message}"));
                }
            }
        }

        internal static MountSpec? FindMount(IEnumerable<MountSpec> mounts, string path)
        {
            string wanted = path.TrimEnd('/') + "/";
            return mounts
                .Where(m => m.Kind != MountKind.Tmpfs && !m.ReadOnly && wanted.StartsWith(m.Target.TrimEnd('/') + "/", StringComparison.Ordinal))
                .OrderByDescending(m => m.Target.Length)
                .FirstOrDefault();
        }

        private async Task<long?> MeasureAsync(string container, string path, CancellationToken cancellationToken)
        {
            try
            {
                ExecResult result = await engine.ExecAsync(container, new ExecRequest { Command = new List<string> { "du", "-sk", path }, Timeout = TimeSpan.FromMinutes(2) }, cancellationToken).ConfigureAwait(false);
                string first = result.StandardOutput.Split(new[] { ' ', '\t', '\n' }, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
                return result.ExitCode == 0 && long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out long kib) ? kib * 1024 : (long?)null;
            }
            catch (IrisOpsException)
            {
                return null;
            }
        }

        private void CheckFreeSpace(IReadOnlyList<NodeInspection> nodes, ImageUpgradeOptions options)
        {
            if (options.SkipBackup || nodes.Count == 0)
            {
                return;
            }

            long needed = nodes.Sum(n => n.DurableBytes ?? 0);
            long? free = FreeSpace(options.BackupPath);
            if (free == null)
            {
                reporter.Warning($"Could not find the free space under '{options.BackupPath}'; the backups are checked while they are written.");
                return;
            }

            // Backups are taken one node at a time but all are kept; tar adds headers and padding (512 bytes a file).
            long wanted = (long)(needed * 1.05) + 64L * 1024 * 1024;
            if (free.Value < wanted)
            {
                foreach (NodeInspection node in nodes)
                {
                    node.Problems.Add(new PreflightProblem("BackupSpaceLow", IrisErrorKind.ResourceUnavailable,
                        $"Not enough free space for the backups under '{options.BackupPath}': {Megabytes(free.Value)} free, about {Megabytes(wanted)} needed for {nodes.Count} node(s). Free space, choose another -BackupPath, or (not recommended) use -SkipBackup."));
                }
            }
        }

        internal static long? FreeSpace(string path)
        {
            try
            {
                string? existing = Path.GetFullPath(path);
                while (existing != null && !Directory.Exists(existing))
                {
                    existing = Path.GetDirectoryName(existing);
                }

                if (existing == null)
                {
                    return null;
                }

                string drive = Path.DirectorySeparatorChar == '\\' ? Path.GetPathRoot(existing) ?? existing : existing;
                return new DriveInfo(drive).AvailableFreeSpace;
            }
            catch (Exception ex) when (ex is IOException || ex is ArgumentException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MB";

        /// <summary>
        /// The code-database trap check: reads the durable iris.cpf of the node and the new image's iris.cpf (from a
        /// container created from the new image and never started) and compares their [Databases].
        /// </summary>
        public async Task CheckCodeDatabaseTrapAsync(NodeInspection node, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            if (node.Container == null || node.DataDirectory == null || node.DurableMount == null || NewImage == null)
            {
                return;
            }

            CpfDocument durable;
            try
            {
                byte[] text = await ReadFileAsync(node.Target.Container, node.DataDirectory.TrimEnd('/') + "/iris.cpf", cancellationToken).ConfigureAwait(false);
                durable = CpfParser.Parse(text, node.Target.Container + ":" + node.DataDirectory.TrimEnd('/') + "/iris.cpf");
            }
            catch (Exception ex) when (ex is IrisOpsException || ex is CpfSyntaxException || ex is InvalidDataException)
            {
                node.Warnings.Add($"Could not read the durable iris.cpf of '{node.Target.Container}' to check for the code-database trap: {ex.Message}");
                return;
            }

            CpfDocument? image = await ReadNewImageCpfAsync(options, cancellationToken).ConfigureAwait(false);
            if (image == null)
            {
                node.Warnings.Add($"Could not read the iris.cpf of image '{options.Image}' to check for the code-database trap: {newImageCpfError}");
                return;
            }

            foreach (CodeDatabaseFinding finding in CodeDatabaseTrap.Find(durable, image, new[] { node.DurableMount.Target, node.DataDirectory }))
            {
                string message = $"Code-database trap on '{node.Target.Container}': {finding}. Keep code databases read-only inside the image and data on durable storage (see about_IrisOps).";
                if (options.Strict)
                {
                    node.Problems.Add(new PreflightProblem("CodeDatabaseTrap", IrisErrorKind.InvalidOperation, message + " Refused because of -Strict."));
                }
                else
                {
                    node.Warnings.Add(message);
                }
            }
        }

        private async Task<CpfDocument?> ReadNewImageCpfAsync(ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            if (newImageCpf != null || newImageCpfError != null)
            {
                return newImageCpf;
            }

            string installDir = "/usr/irissys";
            foreach (string pair in NewImage?.Environment ?? new List<string>())
            {
                if (pair.StartsWith("ISC_PACKAGE_INSTALLDIR=", StringComparison.Ordinal))
                {
                    installDir = pair.Substring("ISC_PACKAGE_INSTALLDIR=".Length);
                }
            }

            string probe = "irisops-probe-" + Guid.NewGuid().ToString("N").Substring(0, 10);
            try
            {
                await engine.CreateContainerAsync(new ContainerSpec
                {
                    Name = probe,
                    Image = NewImage!.Id,
                    Labels = new Dictionary<string, string> { [HelperLabel] = "probe" },
                }, cancellationToken).ConfigureAwait(false);
                byte[] text = await ReadFileAsync(probe, installDir.TrimEnd('/') + "/iris.cpf", cancellationToken).ConfigureAwait(false);
                newImageCpf = CpfParser.Parse(text, options.Image + ":" + installDir + "/iris.cpf");
            }
            catch (Exception ex) when (ex is IrisOpsException || ex is CpfSyntaxException || ex is InvalidDataException)
            {
                newImageCpfError = ex.Message;
            }
            finally
            {
                await Quietly(() => engine.RemoveContainerAsync(probe, true, true, CleanupToken())).ConfigureAwait(false);
            }

            return newImageCpf;
        }

        private async Task<byte[]> ReadFileAsync(string container, string path, CancellationToken cancellationToken)
        {
            using (var archive = new MemoryStream())
            {
                await engine.CopyFromContainerAsync(container, path, archive, cancellationToken).ConfigureAwait(false);
                archive.Position = 0;
                byte[]? content = null;
                TarReader.ReadEntries(archive, (entry, stream) =>
                {
                    if (content == null && entry.Kind == TarEntryKind.File)
                    {
                        using (var copy = new MemoryStream())
                        {
                            stream.CopyTo(copy);
                            content = copy.ToArray();
                        }
                    }
                });
                return content ?? throw new InvalidDataException($"'{path}' in '{container}' is not a file.");
            }
        }

        private async Task<string?> FindRunningMarkerAsync(string container, string dataDirectory, CancellationToken cancellationToken)
        {
            foreach (string marker in RunningMarkers)
            {
                string path = dataDirectory.TrimEnd('/') + "/" + marker;
                try
                {
                    await engine.CopyFromContainerAsync(container, path, Stream.Null, cancellationToken).ConfigureAwait(false);
                    return path;
                }
                catch (IrisOpsException ex) when (ex.Kind == IrisErrorKind.ObjectNotFound)
                {
                }
            }

            return null;
        }

        // ---------------------------------------------------------------- one node

        /// <summary>Upgrades one node that passed the preflight. Never throws for a node failure: the outcome says what happened.</summary>
        public async Task<NodeUpgradeOutcome> UpgradeAsync(NodeInspection node, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            DateTime started = DateTime.UtcNow;
            string name = node.Target.Container;
            var result = new IrisUpgradeResult
            {
                Node = name,
                Cluster = node.Target.Cluster,
                Role = node.Target.Role,
                FromImage = node.FromImage,
                ToImage = options.Image,
                Warnings = node.Warnings.ToList(),
            };
            if (node.AlreadyOnImage)
            {
                result.Status = UpgradeStatus.Skipped;
                result.Message = $"Already on image '{options.Image}'; nothing to do.";
                result.Duration = DateTime.UtcNow - started;
                return new NodeUpgradeOutcome(result, null);
            }

            ContainerDetails old = node.Container!;
            MountSpec mount = node.DurableMount!;
            string previous = UpgradePlanner.PreviousName(name);
            var state = new RunState();
            DateTime? downSince = null;
            BackupRecord? backup = null;
            string? step = null;
            try
            {
                // 1. Stop with the stop timeout, and prove the shutdown was clean.
                step = "stop";
                Progress(name, "stopping", 5);
                if (node.Running)
                {
                    downSince = DateTime.UtcNow;
                    state.Stopped = true;
                    reporter.Verbose($"{name}: docker stop with a timeout of {options.StopTimeout.TotalSeconds:0.#} s.");
                    await engine.StopContainerAsync(name, options.StopTimeout, cancellationToken).ConfigureAwait(false);
                }

                step = "check the shutdown";
                ContainerDetails stopped = await engine.InspectContainerAsync(name, cancellationToken).ConfigureAwait(false)
                    ?? throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "ContainerNotFound", $"The container '{name}' disappeared during the upgrade.", name);
                if (stopped.State.Running)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "StopFailed", $"'{name}' is still running after docker stop.", name);
                }

                if (stopped.State.ExitCode != 0 || stopped.State.OomKilled)
                {
                    string why = stopped.State.ExitCode == 137
                        ? $"exit code 137: the engine killed it when the stop timeout of {options.StopTimeout.TotalSeconds:0.#} s ran out; give IRIS longer with -StopTimeout"
                        : $"exit code {stopped.State.ExitCode}";
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "UncleanShutdown",
                        $"'{name}' did not shut down cleanly ({why}); IRIS would block the upgrade, so it was not attempted.", name);
                }

                string? marker = await FindRunningMarkerAsync(name, node.DataDirectory!, cancellationToken).ConfigureAwait(false);
                if (marker != null)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "UncleanShutdown",
                        $"'{name}' stopped, but its durable directory still holds the instance-running marker '{marker}': the shutdown was not clean and IRIS would block the upgrade.", name);
                }

                // 2. Cold backup, after the stop on purpose: the files of a running instance are not a consistent
                //    backup, and a rollback must restore exactly what the old instance left behind.
                if (!options.SkipBackup)
                {
                    step = "back up the durable directory";
                    Progress(name, "backing up " + mount.Target, 20);
                    backup = await BackupAsync(node, cancellationToken).ConfigureAwait(false);
                    result.BackupPath = backup.Folder;
                    reporter.Verbose($"{name}: backup of {backup.Manifest.FileCount} files ({Megabytes(backup.Manifest.ContentBytes)}) in '{backup.Folder}', verified.");
                }

                // 3. Keep the old container under another name.
                step = "rename the old container";
                Progress(name, "renaming the old container", 40);
                await engine.RenameContainerAsync(name, previous, cancellationToken).ConfigureAwait(false);
                state.Renamed = true;

                // 4. The new container: same configuration, new image.
                step = "create the new container";
                Progress(name, "creating the new container", 50);
                node.MergeFile?.Write();
                ContainerSpec spec = ContainerRecreation.NewSpec(old, node.OldImage, options.Image, node.MergeFile?.HostPath);
                await engine.CreateContainerAsync(spec, cancellationToken).ConfigureAwait(false);
                state.Created = true;

                // 5. Start: from here the new instance may have changed the durable data.
                step = "start the new container";
                Progress(name, "starting the new container", 60);
                state.NewStarted = true;
                await engine.StartContainerAsync(name, cancellationToken).ConfigureAwait(false);

                // 6. Health gate.
                step = "wait until the new container is healthy";
                Progress(name, "waiting until healthy", 70);
                HealthWaitResult health = await engine.WaitForHealthyAsync(name, options.HealthTimeout, cancellationToken).ConfigureAwait(false);
                if (!health.IsHealthy)
                {
                    throw new IrisOpsException(IrisErrorKind.OperationTimeout, "NewContainerUnhealthy", health.Description, name);
                }

                if (downSince != null)
                {
                    result.Downtime = DateTime.UtcNow - downSince.Value;
                }

                // 7. Post-upgrade script.
                if (options.PostUpgradeScript != null)
                {
                    step = "run the post-upgrade script";
                    Progress(name, "running the post-upgrade script", 85);
                    string script = options.PostUpgradeScript.TrimEnd() + "\nhalt\n";
                    ExecResult exec = await engine.ExecAsync(name, new ExecRequest
                    {
                        Command = new List<string> { "iris", "session", "IRIS", "-U", options.Namespace },
                        StandardInput = script,
                        Timeout = options.HealthTimeout + TimeSpan.FromMinutes(5),
                    }, cancellationToken).ConfigureAwait(false);
                    string output = (exec.StandardOutput + exec.StandardError).Trim();
                    if (output.Length > 0)
                    {
                        reporter.Verbose($"{name}: post-upgrade script output: {output}");
                    }

                    if (exec.ExitCode != 0)
                    {
                        throw new IrisOpsException(IrisErrorKind.InvalidOperation, "PostUpgradeScriptFailed",
                            $"The post-upgrade script failed in '{name}' (iris session exit code {exec.ExitCode}){(output.Length == 0 ? ", with no output." : ": " + Tail(output, 10))}", name);
                    }
                }
            }
            catch (Exception ex)
            {
                bool cancelled = ex is OperationCanceledException && cancellationToken.IsCancellationRequested;
                return await RollBackAsync(node, options, result, state, backup, step, ex, cancelled, downSince, started).ConfigureAwait(false);
            }

            // 8. The old container goes (unless kept); a failure here does not undo a healthy upgrade.
            if (options.KeepPrevious)
            {
                result.PreviousContainer = previous;
            }
            else
            {
                try
                {
                    await engine.RemoveContainerAsync(previous, false, false, CleanupToken()).ConfigureAwait(false);
                }
                catch (IrisOpsException ex)
                {
                    result.PreviousContainer = previous;
                    result.Warnings.Add($"The upgrade succeeded but the old container '{previous}' could not be removed: {ex.Message}");
                    reporter.Warning(result.Warnings.Last());
                }
            }

            Progress(name, "upgraded", 100);
            result.Status = UpgradeStatus.Upgraded;
            result.Message = $"Upgraded from '{node.FromImage}' to '{options.Image}'; healthy." + (options.KeepPrevious ? $" The old container is kept as '{previous}'." : string.Empty);
            result.Duration = DateTime.UtcNow - started;
            return new NodeUpgradeOutcome(result, null);
        }

        private sealed class RunState
        {
            public bool Stopped;
            public bool Renamed;
            public bool Created;
            public bool NewStarted;
        }

        private async Task<NodeUpgradeOutcome> RollBackAsync(NodeInspection node, ImageUpgradeOptions options, IrisUpgradeResult result, RunState state,
            BackupRecord? backup, string? step, Exception failure, bool cancelled, DateTime? downSince, DateTime started)
        {
            string name = node.Target.Container;
            string previous = UpgradePlanner.PreviousName(name);
            string cause = cancelled ? "the upgrade was cancelled (Ctrl+C)" : $"'{step}' failed: {failure.Message}";
            reporter.Warning($"{name}: {cause} Rolling back.");
            Progress(name, "rolling back", 90);
            var notes = new List<string>();
            bool restoredOk = true;
            bool oldHealthy = false;
            try
            {
                if (state.Created)
                {
                    result.NewContainerLogTail = await Quietly(() => engine.GetContainerLogsAsync(name, options.LogTailLines, CleanupToken())).ConfigureAwait(false);
                    await engine.RemoveContainerAsync(name, true, false, CleanupToken()).ConfigureAwait(false);
                    notes.Add("the new container was removed");
                }

                if (state.NewStarted)
                {
                    if (backup != null)
                    {
                        await RestoreAsync(node, backup).ConfigureAwait(false);
                        notes.Add("the durable directory was restored from the backup and verified identical to it");
                    }
                    else
                    {
                        restoredOk = false;
                        notes.Add("the new container ran on the durable directory and there is no backup (-SkipBackup) to restore it from, so the old container was NOT started on data the new version may have changed");
                    }
                }

                if (state.Renamed)
                {
                    await engine.RenameContainerAsync(previous, name, CleanupToken()).ConfigureAwait(false);
                    notes.Add($"the old container is '{name}' again");
                }

                if (restoredOk && node.Running)
                {
                    ContainerDetails? current = await engine.InspectContainerAsync(name, CleanupToken()).ConfigureAwait(false);
                    if (current != null && !current.State.Running)
                    {
                        await engine.StartContainerAsync(name, CleanupToken()).ConfigureAwait(false);
                    }

                    HealthWaitResult health = await engine.WaitForHealthyAsync(name, options.HealthTimeout, CleanupToken()).ConfigureAwait(false);
                    oldHealthy = health.IsHealthy;
                    notes.Add(health.IsHealthy ? "the old container is running and healthy" : "the old container did not become healthy: " + health.Description);
                    if (health.IsHealthy && downSince != null)
                    {
                        result.Downtime = DateTime.UtcNow - downSince.Value;
                    }
                }
                else if (restoredOk)
                {
                    oldHealthy = true;
                    notes.Add("the old container was not running before and stays stopped");
                }
            }
            catch (Exception rollbackFailure)
            {
                oldHealthy = false;
                notes.Add("the rollback itself failed: " + rollbackFailure.Message + $" Check the containers '{name}' and '{previous}'" + (backup != null ? $" and restore from '{backup.Folder}'." : "."));
            }

            result.Status = oldHealthy && restoredOk ? UpgradeStatus.RolledBack : UpgradeStatus.Failed;
            string tail = string.IsNullOrWhiteSpace(result.NewContainerLogTail) ? string.Empty : " Last lines of the new container's log:\n" + Tail(result.NewContainerLogTail!, 15);
            result.Message = $"{Capitalize(cause)} Rollback: {string.Join("; ", notes)}.{tail}";
            result.Duration = DateTime.UtcNow - started;
            string errorId = cancelled ? "UpgradeCancelled" : failure is IrisOpsException iris ? iris.ErrorId : "UpgradeFailed";
            result.ErrorId = errorId;
            IrisErrorKind kind = cancelled ? IrisErrorKind.OperationTimeout : failure is IrisOpsException known ? known.Kind : IrisErrorKind.NotSpecified;
            string prefix = result.Status == UpgradeStatus.RolledBack ? $"Upgrade of '{name}' to '{options.Image}' rolled back: " : $"Upgrade of '{name}' to '{options.Image}' failed and was NOT fully rolled back: ";
            var error = new IrisOpsException(kind, errorId, prefix + result.Message, name, failure);
            Progress(name, result.Status.ToString(), 100);
            return new NodeUpgradeOutcome(result, error);
        }

        private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text.Substring(1);

        private static string Tail(string text, int lines)
        {
            string[] all = text.Replace("\r\n", "\n").TrimEnd().Split('\n');
            return string.Join("\n", all.Skip(Math.Max(0, all.Length - lines)));
        }

        // ---------------------------------------------------------------- backup and restore

        /// <summary>An archive of the durable mount and its verified manifest.</summary>
        public sealed class BackupRecord
        {
            public BackupRecord(string folder, string archive, BackupManifest manifest)
            {
                Folder = folder;
                Archive = archive;
                Manifest = manifest;
            }

            public string Folder { get; }
            public string Archive { get; }
            public BackupManifest Manifest { get; }
        }

        public const string ArchiveFileName = "durable.tar";
        public const string ManifestFileName = "manifest.json";

        private async Task<BackupRecord> BackupAsync(NodeInspection node, CancellationToken cancellationToken)
        {
            string name = node.Target.Container;
            MountSpec mount = node.DurableMount!;
            Directory.CreateDirectory(node.BackupFolder);
            string archive = Path.Combine(node.BackupFolder, ArchiveFileName);
            string partial = archive + ".partial";
            string received;
            long receivedBytes;
            using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            using (var hashing = new Sha256PassThroughStream(file))
            {
                await engine.CopyFromContainerAsync(name, mount.Target, hashing, cancellationToken).ConfigureAwait(false);
                await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(true);
                received = hashing.Finish();
                receivedBytes = hashing.Count;
            }

            File.Move(partial, archive);
            var manifest = new BackupManifest
            {
                Container = name,
                Image = node.FromImage,
                ContainerPath = mount.Target,
                Source = (mount.Kind == MountKind.Volume ? "volume:" : "bind:") + mount.Source,
                DataDirectory = node.DataDirectory ?? string.Empty,
                CreatedUtc = DateTime.UtcNow,
                ArchiveFile = ArchiveFileName,
            };
            using (FileStream read = File.OpenRead(archive))
            {
                (IList<BackupManifestEntry> entries, string sha, long bytes) = BackupManifest.Scan(read);
                manifest.Entries = entries;
                manifest.ArchiveSha256 = sha;
                manifest.ArchiveBytes = bytes;
            }

            if (manifest.ArchiveSha256 != received || manifest.ArchiveBytes != receivedBytes)
            {
                throw new IrisOpsException(IrisErrorKind.WriteError, "BackupVerificationFailed",
                    $"The backup archive '{archive}' on disk differs from what the engine sent ({manifest.ArchiveBytes} of {receivedBytes} bytes): the disk under -BackupPath is unreliable or full.", archive);
            }

            string manifestPath = Path.Combine(node.BackupFolder, ManifestFileName);
            File.WriteAllText(manifestPath + ".partial", manifest.ToJson(), new UTF8Encoding(false));
            File.Move(manifestPath + ".partial", manifestPath);

            IReadOnlyList<string> problems = VerifyBackup(node.BackupFolder);
            if (problems.Count > 0)
            {
                throw new IrisOpsException(IrisErrorKind.WriteError, "BackupVerificationFailed",
                    $"The backup in '{node.BackupFolder}' does not match its manifest: {string.Join("; ", problems)}.", node.BackupFolder);
            }

            return new BackupRecord(node.BackupFolder, archive, manifest);
        }

        /// <summary>Reads a backup folder back from disk: the archive must match its manifest, file by file. Empty means verified.</summary>
        public static IReadOnlyList<string> VerifyBackup(string folder)
        {
            string manifestPath = Path.Combine(folder, ManifestFileName);
            BackupManifest manifest = BackupManifest.Parse(File.ReadAllText(manifestPath, Encoding.UTF8), manifestPath);
            string archive = Path.Combine(folder, manifest.ArchiveFile);
            var problems = new List<string>();
            using (FileStream read = File.OpenRead(archive))
            {
                (IList<BackupManifestEntry> entries, string sha, long bytes) = BackupManifest.Scan(read);
                if (sha != manifest.ArchiveSha256 || bytes != manifest.ArchiveBytes)
                {
                    problems.Add($"the archive's SHA-256 is {sha} ({bytes} bytes), the manifest says {manifest.ArchiveSha256} ({manifest.ArchiveBytes} bytes)");
                }

                problems.AddRange(BackupManifest.Compare(manifest.Entries, entries));
            }

            return problems;
        }

        /// <summary>
        /// Makes the durable mount byte-identical to the backup: a helper container (old image, root, no IRIS)
        /// mounting the same volume or folder empties it, the archive is extracted back, and the result is
        /// archived again and compared with the manifest.
        /// </summary>
        private async Task RestoreAsync(NodeInspection node, BackupRecord backup)
        {
            MountSpec mount = node.DurableMount!;
            string helper = node.Target.Container + "-irisops-restore";
            await Quietly(() => engine.RemoveContainerAsync(helper, true, false, CleanupToken())).ConfigureAwait(false);
            string target = mount.Target.TrimEnd('/');
            string quoted = "'" + target.Replace("'", "'\\''") + "'";
            try
            {
                await engine.CreateContainerAsync(new ContainerSpec
                {
                    Name = helper,
                    Image = node.Container!.ImageId,
                    User = "0:0",
                    Entrypoint = new List<string> { "/bin/sh", "-c" },
                    Command = new List<string> { "cd -- " + quoted + " && rm -rf -- ./* ./.[!.]* ./..?*" },
                    Mounts = new List<MountSpec> { new MountSpec { Kind = mount.Kind, Source = mount.Source, Target = mount.Target } },
                    HealthCheck = new HealthCheckSpec { Test = new List<string> { "NONE" } },
                    Labels = new Dictionary<string, string> { [HelperLabel] = "restore" },
                    RestartPolicy = "no",
                }, CleanupToken()).ConfigureAwait(false);
                await engine.StartContainerAsync(helper, CleanupToken()).ConfigureAwait(false);
                long exit = await engine.WaitContainerAsync(helper, CleanupTimeout, CleanupToken()).ConfigureAwait(false);
                if (exit != 0)
                {
                    string log = await Quietly(() => engine.GetContainerLogsAsync(helper, 10, CleanupToken())).ConfigureAwait(false) ?? string.Empty;
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "RestoreFailed", $"Emptying '{target}' before the restore failed (exit code {exit}): {log.Trim()}", helper);
                }

                string parent = target.Substring(0, target.LastIndexOf('/'));
                using (FileStream archive = File.OpenRead(backup.Archive))
                {
                    await engine.CopyToContainerAsync(helper, parent.Length == 0 ? "/" : parent, archive, CleanupToken()).ConfigureAwait(false);
                }

                string check = Path.Combine(backup.Folder, "restore-check.tar");
                try
                {
                    using (var file = new FileStream(check, FileMode.Create, FileAccess.ReadWrite, FileShare.None))
                    {
                        await engine.CopyFromContainerAsync(helper, mount.Target, file, CleanupToken()).ConfigureAwait(false);
                        file.Position = 0;
                        IReadOnlyList<string> problems = BackupManifest.Compare(backup.Manifest.Entries, BackupManifest.Scan(file).Entries);
                        if (problems.Count > 0)
                        {
                            throw new IrisOpsException(IrisErrorKind.InvalidData, "RestoreNotIdentical",
                                $"After the restore, '{target}' differs from the backup in '{backup.Folder}': {string.Join("; ", problems)}.", helper);
                        }
                    }
                }
                finally
                {
                    File.Delete(check);
                }
            }
            finally
            {
                await Quietly(() => engine.RemoveContainerAsync(helper, true, false, CleanupToken())).ConfigureAwait(false);
            }
        }

        // ---------------------------------------------------------------- helpers

        private CancellationToken CleanupToken() => new CancellationTokenSource(CleanupTimeout).Token;

        private static async Task<T?> Quietly<T>(Func<Task<T>> action)
        {
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IrisOpsException || ex is OperationCanceledException)
            {
                return default;
            }
        }

        private void Progress(string node, string status, int percent) => reporter.Progress(Activity + " " + node, status, percent);
    }
}
