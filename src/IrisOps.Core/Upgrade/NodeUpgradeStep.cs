using System;
using System.Threading;
using System.Threading.Tasks;

namespace IrisOps.Core.Upgrade
{
    /// <summary>One named step of a node's upgrade, with what takes it back in a rollback.</summary>
    public sealed class NodeUpgradeStep
    {
        public NodeUpgradeStep(string name, Func<CancellationToken, Task> run, Func<Task>? undo = null, bool undoEvenIfItFails = false, string? progress = null, int percent = 0)
        {
            Name = name;
            Run = run;
            Undo = undo;
            UndoEvenIfItFails = undoEvenIfItFails;
            Progress = progress;
            Percent = percent;
        }

        /// <summary>The name a failure message quotes ("'start the new container' failed: ...").</summary>
        public string Name { get; }

        public Func<CancellationToken, Task> Run { get; }

        /// <summary>Takes the step back; never given the caller's token, because a rollback must finish after Ctrl+C too.</summary>
        public Func<Task>? Undo { get; }

        /// <summary>
        /// The step can leave its effect behind although it failed (a stop that timed out still stopped the
        /// container; a start that reported an error may have let the new instance touch the durable data), so
        /// its undo is recorded before it runs instead of after it succeeded.
        /// </summary>
        public bool UndoEvenIfItFails { get; }

        /// <summary>What the progress bar says while the step runs; null keeps the previous text.</summary>
        public string? Progress { get; }

        public int Percent { get; }

        public override string ToString() => Name;
    }
}
