using System;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Settings;

namespace IrisOps.Core.Productions
{
    /// <summary>
    /// Runs an <see cref="ItemsScript"/> in a container: one `iris session IRIS -U &lt;namespace&gt;` with the script
    /// on standard input (<see cref="DefaultSettingSession.ExecuteAsync"/>). For scripts that change items (or preview
    /// a change) it then reads the instance's configuration and warns when the change would not survive a new image
    /// (<see cref="ConfigurationStorage"/>).
    /// </summary>
    public static class ProductionItemSession
    {
        public static readonly TimeSpan DefaultTimeout = DefaultSettingSession.DefaultTimeout;

        public static async Task<ProductionItemOutcome> RunAsync(IDockerEngine engine, string container, string ns, ItemsScript script, IOperationReporter reporter, TimeSpan timeout, CancellationToken cancellationToken)
        {
            SessionRun run = await DefaultSettingSession.ExecuteAsync(engine, container, ns, script.Text, script.Describe(), reporter, timeout, cancellationToken).ConfigureAwait(false);
            ProductionItemOutcome outcome = ProductionItemReply.Read(script, run.Result.StandardOutput, run.Result.StandardError, run.Result.ExitCode, container, ns);
            if (script.Kind == SettingsScriptKind.Apply || script.Kind == SettingsScriptKind.PreviewApply)
            {
                foreach (string warning in await ConfigurationStorage.CheckAsync(engine, run.Container, ns, cancellationToken).ConfigureAwait(false))
                {
                    outcome.Warnings.Add(warning);
                }
            }

            return outcome;
        }
    }
}
