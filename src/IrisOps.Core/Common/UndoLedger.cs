using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace IrisOps.Core.Common
{
    /// <summary>
    /// The record of what an operation has changed so far, each change with the action that takes it back.
    /// Undoing runs those actions newest first, so every undo finds the world as its own step left it.
    /// </summary>
    public sealed class UndoLedger
    {
        private readonly List<(string Name, Func<Task> Undo)> entries = new List<(string, Func<Task>)>();

        /// <summary>The names of the recorded changes, oldest first.</summary>
        public IReadOnlyList<string> Entries => entries.Select(e => e.Name).ToList();

        public void Record(string name, Func<Task> undo) => entries.Add((name, undo ?? throw new ArgumentNullException(nameof(undo))));

        /// <summary>
        /// Runs the undo actions newest first and clears the ledger. With <paramref name="stopAtFirstFailure"/> the
        /// older changes stay as they are after an undo fails (an older undo may depend on the newer one, as
        /// starting an old container depends on its data being restored); otherwise every undo is tried.
        /// </summary>
        public async Task<UndoResult> UndoAllAsync(bool stopAtFirstFailure)
        {
            var undone = new List<string>();
            var failures = new List<(string Name, Exception Error)>();
            var notAttempted = new List<string>();
            List<(string Name, Func<Task> Undo)> newestFirst = entries.AsEnumerable().Reverse().ToList();
            entries.Clear();
            foreach ((string name, Func<Task> undo) in newestFirst)
            {
                if (stopAtFirstFailure && failures.Count > 0)
                {
                    notAttempted.Add(name);
                    continue;
                }

                try
                {
                    await undo().ConfigureAwait(false);
                    undone.Add(name);
                }
                catch (Exception ex)
                {
                    failures.Add((name, ex));
                }
            }

            return new UndoResult(undone, failures, notAttempted);
        }
    }

    /// <summary>What <see cref="UndoLedger.UndoAllAsync"/> did, newest change first in each list.</summary>
    public sealed class UndoResult
    {
        public UndoResult(IReadOnlyList<string> undone, IReadOnlyList<(string Name, Exception Error)> failures, IReadOnlyList<string> notAttempted)
        {
            Undone = undone;
            Failures = failures;
            NotAttempted = notAttempted;
        }

        public IReadOnlyList<string> Undone { get; }

        public IReadOnlyList<(string Name, Exception Error)> Failures { get; }

        /// <summary>Changes left in place because a newer undo failed first.</summary>
        public IReadOnlyList<string> NotAttempted { get; }

        public bool Complete => Failures.Count == 0 && NotAttempted.Count == 0;
    }
}
