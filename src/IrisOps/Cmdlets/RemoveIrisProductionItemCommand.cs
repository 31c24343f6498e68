using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Productions;
using IrisOps.Core.Settings;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>
    /// Remove-IrisProductionItem: removes configuration items from productions by production and item name. Rows
    /// are collected while the pipeline runs; each container then gets one session that removes them all in one
    /// transaction (Configuring Productions, "Deleting a Business Host": the host class itself stays).
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "IrisProductionItem", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ContainerSet)]
    [OutputType(typeof(IrisProductionItem))]
    public sealed class RemoveIrisProductionItemCommand : ProductionItemRowsCmdletBase
    {
        // Only the key identifies what to remove.
        protected override void ReadRow(ProductionItem item, SettingRow row)
        {
        }

        protected override void ValidateRows() => ProductionItemValidator.Validate(Rows, requireClass: false);

        protected override Task ProcessRowsAsync(CancellationToken cancellationToken) =>
            RunItemsAsync(
                SettingsScriptKind.Remove,
                SettingsScriptKind.PreviewRemove,
                updateProduction: false,
                where => $"Remove {Names()} from {where}.",
                (where, preview) =>
                {
                    int remove = preview.Results.Count(r => r.Action == ProductionItemAction.WouldRemove);
                    return $"Remove {remove} production item(s) from {where} ({Rows.Count - remove} of those given do not exist).";
                },
                cancellationToken);
    }
}
