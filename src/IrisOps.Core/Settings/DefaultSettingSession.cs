using System;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Settings
{
    /// <summary>Runs a <see cref="SettingsScript"/> in a container: one `iris session IRIS -U &lt;namespace&gt;` with the script on standard input.</summary>
    public static class DefaultSettingSession
    {
        public static readonly TimeSpan DefaultTimeout = IrisDefaults.SettingsSessionTimeout;

        /// <summary>Refuses a namespace name that breaks <see cref="IrisNames.IsNamespace"/> before anything is sent.</summary>
        public static void CheckNamespace(string ns)
        {
            if (!IrisNames.IsNamespace(ns))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "InvalidNamespace",
                    $"'{DefaultSetting.Show(ns)}' is not a namespace name: {IrisNames.NamespaceRule}.", ns);
            }
        }

        public static async Task<SettingsOutcome> RunAsync(IDockerEngine engine, string container, string ns, SettingsScript script, IOperationReporter reporter, TimeSpan timeout, CancellationToken cancellationToken)
        {
            SessionRun run = await ExecuteAsync(engine, container, ns, script.Text, script.Describe(), reporter, timeout, cancellationToken).ConfigureAwait(false);
            ExecResult result = run.Result;
            SettingsReply reply = DefaultSettingReply.Parse(result.StandardOutput, result.StandardError, result.ExitCode, script, container, ns);
            return DefaultSettingReply.ToOutcome(script, reply, container, ns, result.StandardOutput, result.StandardError, result.ExitCode);
        }

        /// <summary>
        /// Checks that the container exists and runs, then runs <paramref name="scriptText"/> in one
        /// `iris session IRIS -U &lt;namespace&gt;`; returns what the session printed and the container as inspected.
        /// </summary>
        public static async Task<SessionRun> ExecuteAsync(IDockerEngine engine, string container, string ns, string scriptText, string what, IOperationReporter reporter, TimeSpan timeout, CancellationToken cancellationToken)
        {
            CheckNamespace(ns);
            ContainerDetails? details = await engine.InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
            if (details == null)
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "ContainerNotFound", $"There is no container '{container}' on {engine.Endpoint.Describe()}.", container);
            }

            if (!details.State.Running)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "ContainerNotRunning",
                    $"The container '{container}' is {details.State.Status}, not running; start it first (nothing was sent).", container);
            }

            reporter.Verbose($"Container '{container}', namespace {ns}: one iris session to {what}.");
            var request = new ExecRequest
            {
                Command = IrisContainer.SessionCommand(ns),
                StandardInput = scriptText,
                Timeout = timeout,
            };
            ExecResult result = await engine.ExecAsync(container, request, cancellationToken).ConfigureAwait(false);
            reporter.Verbose($"Container '{container}': the session ended with exit code {result.ExitCode}.");
            return new SessionRun(details, result);
        }
    }

    /// <summary>One session's output, with the container it ran in as inspected just before.</summary>
    public sealed class SessionRun
    {
        public SessionRun(ContainerDetails container, ExecResult result)
        {
            Container = container;
            Result = result;
        }

        public ContainerDetails Container { get; }

        public ExecResult Result { get; }
    }
}
