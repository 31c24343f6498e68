namespace IrisOps.Core.Common
{
    /// <summary>
    /// How the engine tells the caller what it is doing. The cmdlet layer forwards these to Write-Progress,
    /// Write-Verbose and Write-Warning on the pipeline thread; implementations must be thread-safe because
    /// the engine calls them from worker threads. Messages never contain secrets.
    /// </summary>
    public interface IOperationReporter
    {
        void Progress(string activity, string status, int percentComplete);

        void Verbose(string message);

        void Warning(string message);
    }

    /// <summary>
    /// A reporter that can show one activity under another (Write-Progress -ParentId), so a run over several
    /// nodes shows the run and, beneath it, the node at hand. Callers fall back to a flat activity without it.
    /// </summary>
    public interface INestedProgressReporter
    {
        void Progress(string activity, string status, int percentComplete, string parentActivity);
    }

    /// <summary>Progress under a parent activity when the reporter can show it, else flat.</summary>
    public static class NestedProgress
    {
        public static void Report(IOperationReporter reporter, string activity, string status, int percentComplete, string? parentActivity)
        {
            if (parentActivity != null && reporter is INestedProgressReporter nested)
            {
                nested.Progress(activity, status, percentComplete, parentActivity);
            }
            else
            {
                reporter.Progress(activity, status, percentComplete);
            }
        }
    }

    /// <summary>A reporter that discards everything, for callers that do not care.</summary>
    public sealed class NullOperationReporter : IOperationReporter
    {
        public static readonly NullOperationReporter Instance = new NullOperationReporter();

        public void Progress(string activity, string status, int percentComplete)
        {
        }

        public void Verbose(string message)
        {
        }

        public void Warning(string message)
        {
        }
    }
}
