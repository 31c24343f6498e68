using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Productions;
using IrisOps.Core.Settings;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// What Set- and Remove-IrisProductionItem share: the item's key (ProductionName, Name) read from each pipeline
    /// row (<see cref="RowsCmdletBase{TRow}"/>), -Namespace, and one session per target for the whole pipeline, or
    /// under -WhatIf a read-only preview session.
    /// </summary>
    public abstract class ProductionItemRowsCmdletBase : RowsCmdletBase<ProductionItem>
    {
        /// <summary>The production (its class name), for every row; else each row's ProductionName.</summary>
        [Parameter]
        [Alias("production")]
        public string? ProductionName { get; set; }

        /// <summary>The configuration name of the item, for every row; else each row's Name.</summary>
        [Parameter]
        [Alias("ItemName", "item")]
        public string? Name { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NamespaceCompleter))]
        public string? Namespace { get; set; }

        protected override string? NamespaceParameter => Namespace;

        protected override string RowNotBoundErrorId => "ProductionItemRowNotBound";

        protected override string InputNotBoundErrorId => "ProductionItemInputNotBound";

        protected sealed override ProductionItem BindRow(SettingRow row, string source)
        {
            var item = new ProductionItem
            {
                ProductionName = Given(nameof(ProductionName), ProductionName, row, "production") is string production && production.Length > 0
                    ? production
                    : throw new FormatException("it has no ProductionName (give -ProductionName, or a ProductionName column)"),
                Name = Given(nameof(Name), Name, row, "ItemName") is string name && name.Length > 0
                    ? name
                    : throw new FormatException("it has no Name (give -Name, or a Name or ItemName column)"),
                Source = source,
            };
            ReadRow(item, row);
            return item;
        }

        /// <summary>Reads what the derived command needs besides the key; throws FormatException for a row it cannot use.</summary>
        protected abstract void ReadRow(ProductionItem item, SettingRow row);

        /// <summary>Runs <paramref name="kind"/> (or under -WhatIf <paramref name="previewKind"/>) over the rows in every target.</summary>
        internal Task RunItemsAsync(
            SettingsScriptKind kind,
            SettingsScriptKind previewKind,
            bool updateProduction,
            Func<string, string> describe,
            Func<string, ProductionItemOutcome, string> summarize,
            CancellationToken cancellationToken)
        {
            ItemsScript script = ProductionItemScript.Create(Invocation.WhatIf ? previewKind : kind, Rows, updateProduction);
            return PreviewOrRunAsync(
                ResolveTargets(Container, Targets),
                target => ProductionItemSession.RunAsync(DockerEngine, target.Container, target.Namespace, script, Reporter, ProductionItemSession.DefaultTimeout, cancellationToken),
                Report,
                describe,
                summarize,
                cancellationToken);
        }

        internal void Report(ProductionItemOutcome outcome)
        {
            foreach (IrisProductionItem result in outcome.Results)
            {
                Emit(result);
            }

            foreach (string note in outcome.Notes)
            {
                Verbose(note);
            }

            foreach (string warning in outcome.Warnings)
            {
                Warning(warning);
            }

            foreach (Core.Errors.IrisOpsException problem in outcome.Problems)
            {
                Error(problem, problem.Target);
            }
        }

        /// <summary>"3 item(s) (File In, HL7 Out, ...)" for confirmation messages.</summary>
        protected string Names()
        {
            var names = new List<string>();
            for (int i = 0; i < Rows.Count && i < 5; i++)
            {
                names.Add(DefaultSetting.Show(Rows[i].Name));
            }

            return $"{Rows.Count} production item(s) ({string.Join(", ", names)}{(Rows.Count > 5 ? $" and {Rows.Count - 5} more" : string.Empty)})";
        }
    }
}
