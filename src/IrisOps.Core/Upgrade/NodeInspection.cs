using System.Collections.Generic;
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
}
