using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// The base of every IrisOps cmdlet. Derived cmdlets write their work as async methods; this class runs
    /// them on a worker thread while the pipeline thread pumps a queue, so WriteObject, WriteProgress,
    /// ShouldProcess and friends always execute on the pipeline thread, as PowerShell requires.
    /// Ctrl+C (StopProcessing) cancels <see cref="CancellationToken"/>, and the worker gets the chance to
    /// roll back before the pipeline stops. Exceptions become ErrorRecords with a category.
    /// </summary>
    public abstract class IrisCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource stopping = new CancellationTokenSource();
        private BlockingCollection<Action>? queue;
        private int pipelineThreadId;
        private Exception? pumpFailure;

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
        protected CancellationToken CancellationToken => stopping.Token;

        /// <summary>The invocation as the pipeline thread saw it when the current phase began: workers read this, never MyInvocation.</summary>
        protected InvocationSnapshot Invocation { get; private set; } = InvocationSnapshot.Empty;

        /// <summary>Bridges engine progress and messages to this cmdlet's streams, from any thread.</summary>
        protected IOperationReporter Reporter => new CmdletReporter(this);

        /// <summary>
        /// Whether an exception from <see cref="ProcessRecordAsync"/> stops the whole command. By default it
        /// does not: the failed input record gets a non-terminating error and the next record is processed,
        /// as PowerShell users expect; -ErrorAction Stop still stops. Exceptions from Begin and End always stop.
        /// </summary>
        protected virtual bool RecordErrorsAreTerminating => false;

        protected sealed override void BeginProcessing() => RunPhase(BeginProcessingAsync, terminating: true);

        protected sealed override void ProcessRecord() => RunPhase(ProcessRecordAsync, RecordErrorsAreTerminating);

        protected sealed override void EndProcessing() => RunPhase(EndProcessingAsync, terminating: true);

        protected sealed override void StopProcessing() => stopping.Cancel();

        protected virtual Task BeginProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        protected virtual Task ProcessRecordAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        protected virtual Task EndProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
            DisposeResources();
            stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        /// <summary>Releases what a derived cmdlet holds (PowerShell disposes cmdlets even when the pipeline stops early).</summary>
        protected virtual void DisposeResources()
        {
        }

        /// <summary>WriteObject from any thread.</summary>
        protected void Emit(object? value) => OnPipeline(() => WriteObject(value));

        protected void Progress(ProgressRecord record) => OnPipeline(() => WriteProgress(record));

        protected void Verbose(string message) => OnPipeline(() => WriteVerbose(message));

        /// <summary>-Debug output (the Docker API calls); thread-safe like the others.</summary>
        protected void DebugMessage(string message) => OnPipeline(() => WriteDebug(message));

        protected void Warning(string message) => OnPipeline(() => WriteWarning(message));

        /// <summary>A non-terminating error from any thread: the cmdlet goes on with the next item.</summary>
        protected void Error(Exception exception, object? target = null) => OnPipeline(() => WriteError(ErrorMapping.ToErrorRecord(exception, target)));

        /// <summary>ShouldProcess from any thread; the worker waits for the user's answer.</summary>
        protected Task<bool> ShouldProcessAsync(string verboseDescription, string verboseWarning, string caption) =>
            OnPipelineAsync(() => ShouldProcess(verboseDescription, verboseWarning, caption));

        protected Task<bool> ShouldProcessAsync(string target, string action) =>
            OnPipelineAsync(() => ShouldProcess(target, action));

        /// <summary>
        /// Resolves a path the way PowerShell users expect: relative to the current PowerShell location (not
        /// the process directory), and only on the FileSystem provider.
        /// </summary>
        protected Task<string> ResolveFileSystemPathAsync(string path, string parameterName) =>
            OnPipelineAsync(() =>
            {
                string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out PSDriveInfo _);
                if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
                {
                    throw new IrisOps.Core.Errors.IrisOpsException(IrisOps.Core.Errors.IrisErrorKind.InvalidArgument, "NotAFileSystemPath",
                        $"-{parameterName} '{path}' is on the {provider.Name} provider; give a file system path.", path);
                }

                return resolved;
            });

        /// <summary>
        /// Resolves -Path (wildcards allowed; every match, and an error when nothing matches) or -LiteralPath
        /// (taken as it is) on the FileSystem provider, relative to the current PowerShell location.
        /// </summary>
        protected async Task<string[]> ResolveFileSystemPathsAsync(string path, bool literal, string parameterName)
        {
            // The look-up runs on the pipeline thread; a failure there is handed back, not thrown, because an
            // exception on the pipeline thread stops the whole command.
            var (paths, failure) = await OnPipelineAsync(() =>
            {
                try
                {
                    return (ResolvePaths(path, literal, parameterName), (Exception?)null);
                }
                catch (Exception ex) when (ex is SessionStateException || ex is IrisOps.Core.Errors.IrisOpsException || ex is ArgumentException || ex is NotSupportedException)
                {
                    return (new string[0], ex);
                }
            }).ConfigureAwait(false);

            switch (failure)
            {
                case null:
                    return paths;
                case IrisOps.Core.Errors.IrisOpsException iris:
                    throw iris;
                case ItemNotFoundException _:
                    throw new IrisOps.Core.Errors.IrisOpsException(IrisOps.Core.Errors.IrisErrorKind.ObjectNotFound, "PathNotFound",
                        $"-{parameterName} '{path}' does not exist.", path, failure);
                default:
                    throw new IrisOps.Core.Errors.IrisOpsException(IrisOps.Core.Errors.IrisErrorKind.InvalidArgument, "InvalidPath",
                        $"-{parameterName} '{path}' cannot be used: {failure.Message}", path, failure);
            }
        }

        private string[] ResolvePaths(string path, bool literal, string parameterName)
        {
            if (literal)
            {
                string unresolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo literalProvider, out PSDriveInfo _);
                return new[] { ResolveProviderPath(unresolved, literalProvider, path, parameterName) };
            }

            var resolved = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
            if (resolved.Count == 0)
            {
                // A wildcard that matches nothing resolves to an empty list rather than failing.
                throw new ItemNotFoundException(path);
            }

            var paths = new string[resolved.Count];
            for (int i = 0; i < resolved.Count; i++)
            {
                paths[i] = ResolveProviderPath(resolved[i], provider, path, parameterName);
            }

            return paths;
        }

        private static string ResolveProviderPath(string resolved, ProviderInfo provider, string path, string parameterName)
        {
            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
            {
                throw new IrisOps.Core.Errors.IrisOpsException(IrisOps.Core.Errors.IrisErrorKind.InvalidArgument, "NotAFileSystemPath",
                    $"-{parameterName} '{path}' is on the {provider.Name} provider; give a file system path.", path);
            }

            return resolved;
        }

        private void RunPhase(Func<CancellationToken, Task> phase, bool terminating)
        {
            pipelineThreadId = Thread.CurrentThread.ManagedThreadId;
            pumpFailure = null;
            Invocation = InvocationSnapshot.Take(this);
            Task work;
            using (var pump = new BlockingCollection<Action>())
            {
                queue = pump;
                try
                {
                    work = Task.Run(() => phase(stopping.Token));
                    work.ContinueWith(_ => pump.CompleteAdding(), TaskScheduler.Default);
                    foreach (Action action in pump.GetConsumingEnumerable())
                    {
                        if (pumpFailure == null)
                        {
                            RunOnPipeline(action);
                        }
                    }
                }
                finally
                {
                    queue = null;
                }
            }

            if (pumpFailure != null)
            {
                // A write failed on the pipeline thread, typically because a downstream command stopped the
                // pipeline; the worker was cancelled and has finished, so the original failure goes up.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(pumpFailure).Throw();
            }

            try
            {
                work.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException) && !(ex is ActionPreferenceStopException) && !(ex is HaltCommandException))
            {
                ErrorRecord record = ErrorMapping.ToErrorRecord(ex, null);
                if (terminating)
                {
                    ThrowTerminatingError(record);
                }

                WriteError(record);
            }
        }

        private void RunOnPipeline(Action action)
        {
            try
            {
                action();
            }
            catch (Exception ex)
            {
                pumpFailure = ex;
                stopping.Cancel();
            }
        }

        private void OnPipeline(Action action)
        {
            if (Thread.CurrentThread.ManagedThreadId == pipelineThreadId)
            {
                action();
                return;
            }

            BlockingCollection<Action>? pump = queue;
            if (pump == null || !TryAdd(pump, action))
            {
                throw new OperationCanceledException("The cmdlet has stopped.");
            }
        }

        /// <summary>Runs <paramref name="func"/> on the pipeline thread (session state, providers) and hands its result to the worker.</summary>
        protected Task<T> OnPipelineAsync<T>(Func<T> func)
        {
            if (Thread.CurrentThread.ManagedThreadId == pipelineThreadId)
            {
                return Task.FromResult(func());
            }

            var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            BlockingCollection<Action>? pump = queue;
            bool queued = pump != null && TryAdd(pump, () =>
            {
                try
                {
                    answer.SetResult(func());
                }
                catch (Exception ex)
                {
                    answer.SetException(ex);

                    // The worker gets every failure; the pipeline only stops for PowerShell's own stop signals
                    // (Ctrl+C at a prompt, -ErrorAction Stop), so an ordinary error keeps its ErrorRecord mapping.
                    if (ex is PipelineStoppedException || ex is ActionPreferenceStopException || ex is HaltCommandException)
                    {
                        throw;
                    }
                }
            });
            if (!queued)
            {
                answer.SetCanceled();
            }

            // If the pump dies before running the request, nobody would ever answer: cancellation releases it.
            CancellationTokenRegistration registration = stopping.Token.Register(() => answer.TrySetCanceled());
            answer.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
            return answer.Task;
        }

        private static bool TryAdd(BlockingCollection<Action> pump, Action action)
        {
            try
            {
                return pump.TryAdd(action);
            }
            catch (InvalidOperationException)
            {
                return false; // completed for adding or disposed: the phase has ended
            }
        }

        private sealed class CmdletReporter : IOperationReporter, INestedProgressReporter
        {
            private readonly IrisCmdlet cmdlet;

            public CmdletReporter(IrisCmdlet cmdlet) => this.cmdlet = cmdlet;

            public void Progress(string activity, string status, int percentComplete) => Progress(activity, status, percentComplete, null);

            public void Progress(string activity, string status, int percentComplete, string? parentActivity)
            {
                var record = new ProgressRecord(ActivityId(activity), activity, status)
                {
                    PercentComplete = Math.Max(-1, Math.Min(100, percentComplete)),
                    RecordType = percentComplete >= 100 ? ProgressRecordType.Completed : ProgressRecordType.Processing,
                    ParentActivityId = parentActivity == null ? -1 : ActivityId(parentActivity),
                };
                cmdlet.Progress(record);
            }

            // One id per activity text within the process, so updates of an activity (and its children) find it again.
            private static int ActivityId(string activity) => Math.Abs(activity.GetHashCode() % 10000);

            public void Verbose(string message) => cmdlet.Verbose(message);

            public void Warning(string message) => cmdlet.Warning(message);
        }
    }
}
