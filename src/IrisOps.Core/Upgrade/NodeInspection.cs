using System.Collections.Generic;
using System.Linq;
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

    /// <summary>What the preflight learned about one node: the input of the code-database probe and of the node's upgrade.</summary>
    public sealed class NodeInspection
    {
        public NodeInspection(UpgradeTarget target) => Target = target;

        public UpgradeTarget Target { get; }
        public ContainerDetails? Container { get; set; }
        public ImageDetails? OldImage { get; set; }
        public string FromImage { get; set; } = string.Empty;
        public bool AlreadyOnImage { get; set; }
        public bool Running { get; set; }
        /// <summary>The mount that holds ISC_DATA_DIRECTORY.</summary>
        public MountSpec? DurableMount { get; set; }

        /// <summary>Every writable mount that holds a directory the instance uses (see <see cref="BackupScope"/>): what the backup archives.</summary>
        public IReadOnlyList<MountSpec> BackupMounts { get; set; } = new List<MountSpec>();

        /// <summary>Directories the durable iris.cpf names that lie in no mount, not yet told apart from what the new image ships.</summary>
        public IReadOnlyList<InstanceDirectory> InWritableLayer { get; set; } = new List<InstanceDirectory>();

        /// <summary>The journal directories of the durable iris.cpf that lie on <see cref="BackupMounts"/>: their closed files may be copied before the stop.</summary>
        public IReadOnlyList<string> JournalDirectories { get; set; } = new List<string>();

        /// <summary>The local database directories of the durable iris.cpf that lie on <see cref="BackupMounts"/>: those the running instance reports as read-only are copied before the stop.</summary>
        public IReadOnlyList<string> DatabaseDirectories { get; set; } = new List<string>();
        public string? DataDirectory { get; set; }
        /// <summary>The measured size of all <see cref="BackupMounts"/> (du in the running container), or null.</summary>
        public long? DurableBytes { get; set; }
        public string BackupFolder { get; set; } = string.Empty;
        public UpgradeMergeFile? MergeFile { get; set; }

        /// <summary>The node is the task of a Swarm service, which is upgraded instead of the container (null: a plain container).</summary>
        public SwarmNodeFacts? Swarm { get; set; }
        public IList<PreflightProblem> Problems { get; } = new List<PreflightProblem>();
        public IList<string> Warnings { get; } = new List<string>();

        public NodeStepInput StepInput => new NodeStepInput
        {
            Container = Target.Container,
            Running = Running,
            DatabasesInWritableLayer = InWritableLayer.Select(d => $"{d.Use} ('{d.Path}')").ToList(),
            BackupMounts = BackupMounts.Select(m => $"'{m.Target}' ({(m.Kind == MountKind.Volume ? "volume " : "host folder ") + m.Source})").ToList(),
            BackupFolder = BackupFolder,
            CopiesAhead = CopyAheadStep.Applies(this),
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
}
