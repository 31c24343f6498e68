using System;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Settings
{
    /// <summary>Runs a <see cref="SettingsScript"/> in a container: one `iris session IRIS -U &lt;namespace&gt;` with the script on standard input.</summary>
    public static class DefaultSettingSession
    {
        public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

        /// <summary>IRIS namespace names: a letter or %, then letters, digits, '-' and '_'.</summary>
        public static void CheckNamespace(string ns)
        {
            bool valid = ns.Length > 0 && ns.Length <= 255 && (char.IsLetter(ns[0]) || ns[0] == '%');
            foreach (char ch in ns)
            {
                valid &= ch < 0x80 && (char.IsLetterOrDigit(ch) || ch == '%' || ch == '-' || ch == '_');
            }

            if (!valid)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "InvalidNamespace",
                    $"'{DefaultSetting.Show(ns)}' is not a namespace name: it starts with a letter or %, followed by letters, digits, '-' or '_'.", ns);
            }
        }

        public static async Task<SettingsOutcome> RunAsync(IDockerEngine engine, string container, string ns, SettingsScript script, IOperationReporter reporter, TimeSpan timeout, CancellationToken cancellationToken)
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

            reporter.Verbose($"Container '{container}', namespace {ns}: one iris session to {script.Describe()}.");
            var request = new ExecRequest
            {
                Command = new[] { "iris", "session", "IRIS", "-U", ns },
                StandardInput = script.Text,
                Timeout = timeout,
            };
            ExecResult result = await engine.ExecAsync(container, request, cancellationToken).ConfigureAwait(false);
            reporter.Verbose($"Container '{container}': the session ended with exit code {result.ExitCode}.");
            SettingsReply reply = DefaultSettingReply.Parse(result.StandardOutput, result.StandardError, result.ExitCode, script, container, ns);
            return DefaultSettingReply.ToOutcome(script, reply, container, ns, result.StandardOutput, result.StandardError, result.ExitCode);
        }
    }
}
