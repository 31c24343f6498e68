using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Settings;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>
    /// Remove-IrisDefaultSetting: deletes default settings by their exact key. Rows are collected while the
    /// pipeline runs; each container then gets one session that deletes them all in one transaction.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "IrisDefaultSetting", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ContainerSet)]
    [OutputType(typeof(IrisDefaultSetting))]
    public sealed class RemoveIrisDefaultSettingCommand : SettingRowsCmdletBase
    {
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NamespaceCompleter))]
        public string? Namespace { get; set; }

        protected override string? NamespaceParameter => Namespace;

        // Only the key identifies what to remove.
        protected override void ReadRow(DefaultSetting setting, SettingRow row)
        {
        }

        protected override Task ProcessRowsAsync(CancellationToken cancellationToken)
        {
            string names = string.Join(", ", Rows.Take(5).Select(r => r.SettingName)) + (Rows.Count > 5 ? $" and {Rows.Count - 5} more" : string.Empty);
            return RunInTargetsAsync(
                SettingsScriptKind.Remove,
                SettingsScriptKind.PreviewRemove,
                updateProduction: false,
                where => $"Remove {Rows.Count} default setting(s) ({names}) from {where}.",
                (where, preview) =>
                {
                    int remove = preview.Results.Count(r => r.Action == DefaultSettingAction.WouldRemove);
                    return $"Remove {remove} default setting(s) from {where} ({Rows.Count - remove} of those given do not exist).";
                },
                cancellationToken);
        }
    }
}
