using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Cpf;
using IrisOps.Core.Cpf.Layout;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;
using IrisOps.Core.Upgrade;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>
    /// Update-IrisApplicationImage: moves containers (or whole ECP clusters) to a new image keeping durable %SYS,
    /// with a backup, a health gate and automatic rollback. Input is collected first, so every node of every
    /// cluster is preflighted before anything changes and nodes are upgraded one at a time in cluster order.
    /// </summary>
    [Cmdlet(VerbsData.Update, "IrisApplicationImage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = TargetParameterSets.Name)]
    [OutputType(typeof(IrisUpgradeResult))]
    public sealed class UpdateIrisApplicationImageCommand : IrisDockerCmdlet
    {
        private readonly List<UpgradeTarget> targets = new List<UpgradeTarget>();

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TargetParameterSets.Name)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ContainerCompleter))]
        public string[] Name { get; set; } = new string[0];

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TargetParameterSets.InputObject)]
        [IrisTargetTransformation]
        public IrisTarget[] InputObject { get; set; } = new IrisTarget[0];

        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageCompleter))]
        public string Image { get; set; } = string.Empty;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? BackupPath { get; set; }

        [Parameter]
        public SwitchParameter SkipBackup { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int HealthTimeout { get; set; } = IrisDefaults.HealthTimeoutSeconds;

        [Parameter]
        [ValidateRange(1, 86400)]
        public int StopTimeout { get; set; } = IrisDefaults.StopTimeoutSeconds;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? MergeFile { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PostUpgradeScript { get; set; }

        [Parameter]
        [ValidatePattern(IrisNames.NamespacePattern)]
        public string Namespace { get; set; } = "USER";

        [Parameter]
        public SwitchParameter KeepPrevious { get; set; }

        [Parameter]
        public DataServerOrder DataServerOrder { get; set; } = DataServerOrder.Last;

        [Parameter]
        public SwitchParameter Strict { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? LayoutPath { get; set; }

        [Parameter]
        public SwitchParameter Resume { get; set; }

        [Parameter]
        public SwitchParameter RollBack { get; set; }

        /// <summary>Where backups go when -BackupPath is not given.</summary>
        public static string DefaultBackupPath =>
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "IrisOps", "backups");

        protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            if (ParameterSetName == TargetParameterSets.Name)
            {
                targets.AddRange(Name.Select(n => new UpgradeTarget(IrisNames.CheckContainerName(n, "-Name"))));
                return Task.CompletedTask;
            }

            foreach (IrisTarget target in InputObject)
            {
                targets.AddRange(target.Kind == IrisTargetKind.Cluster ? target.Nodes.Select(ToTarget) : new[] { ToTarget(target) });
            }

            return Task.CompletedTask;
        }

        private static UpgradeTarget ToTarget(IrisTarget node) => node.Role == null
            ? new UpgradeTarget(node.Name)
            : new UpgradeTarget(node.Name, node.Cluster, NodeRoles.ToUpgradeRole(node.Role.Value));

        protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
        {
            try
            {
                if (targets.Count > 0)
                {
                    await UpgradeAllAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                ReleaseEngine();
            }
        }

        private async Task UpgradeAllAsync(CancellationToken cancellationToken)
        {
            if (Resume.IsPresent && RollBack.IsPresent)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "ResumeAndRollBack", "Give either -Resume (finish an interrupted upgrade) or -RollBack (undo it), not both.", nameof(Resume));
            }

            var options = new ImageUpgradeOptions
            {
                Image = Image,
                BackupPath = await ResolveFileSystemPathAsync(BackupPath ?? DefaultBackupPath, nameof(BackupPath)).ConfigureAwait(false),
                BackupPathIsDefault = BackupPath == null,
                SkipBackup = SkipBackup.IsPresent,
                HealthTimeout = TimeSpan.FromSeconds(HealthTimeout),
                StopTimeout = TimeSpan.FromSeconds(StopTimeout),
                KeepPrevious = KeepPrevious.IsPresent,
                DataServerOrder = DataServerOrder,
                Namespace = Namespace,
                Strict = Strict.IsPresent,
                Resume = Resume.IsPresent,
                RollBack = RollBack.IsPresent,
            };

            if (MergeFile != null)
            {
                // Through the CPF model: the file is parsed (syntax errors name the line) and rendered by the one writer.
                string path = await ResolveFileSystemPathAsync(MergeFile, nameof(MergeFile)).ConfigureAwait(false);
                CpfDocument document = CpfParser.ParseFile(path, Reporter);
                options.MergeFileContent = CpfWriter.Write(document);
                options.MergeFileSource = path;
            }

            if (LayoutPath != null)
            {
                // The databases the layout marks as code are checked besides the routines databases of the image's namespaces.
                IrisLayout layout = LayoutReader.Load(await ResolveFileSystemPathAsync(LayoutPath, nameof(LayoutPath)).ConfigureAwait(false));
                options.LayoutCodeDatabases = layout.Databases.Where(d => d.Role == DatabaseRole.Code).Select(d => d.Name).ToList();
            }

            if (PostUpgradeScript != null)
            {
                string path = await ResolveFileSystemPathAsync(PostUpgradeScript, nameof(PostUpgradeScript)).ConfigureAwait(false);
                if (!File.Exists(path))
                {
                    throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "PostUpgradeScriptNotFound", $"-PostUpgradeScript '{PostUpgradeScript}' does not exist.", path);
                }

                options.PostUpgradeScript = File.ReadAllText(path, Encoding.UTF8);
            }

            // The run policy lives in the engine; the cmdlet answers its questions and writes what it reports.
            var run = new UpgradeRun(DockerEngine, Reporter,
                (node, description) => ShouldProcessAsync(description, description + Environment.NewLine + "Continue?", "Update-IrisApplicationImage"),
                Emit,
                (error, node) => Error(error, node));
            await run.RunAsync(targets, options, cancellationToken).ConfigureAwait(false);
        }
    }
}
