using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Productions;
using IrisOps.Core.Settings;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>
    /// Get-IrisProductionItem: the configuration items of the productions of a running instance (one read-only
    /// session per container), with their settings, filtered by production, item and class name with wildcards.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IrisProductionItem", DefaultParameterSetName = ContainerSet)]
    [OutputType(typeof(IrisProductionItem))]
    public sealed class GetIrisProductionItemCommand : SettingsCmdletBase
    {
        private const string ContainerSet = TargetParameterSets.Name;
        private const string InputObjectSet = TargetParameterSets.InputObject;

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ContainerSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RunningContainerCompleter))]
        public string[] Container { get; set; } = new string[0];

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNullOrEmpty]
        [IrisTargetTransformation]
        public IrisTarget[] InputObject { get; set; } = new IrisTarget[0];

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NamespaceCompleter))]
        public string? Namespace { get; set; }

        [Parameter]
        [Alias("production")]
        [SupportsWildcards]
        public string? ProductionName { get; set; }

        [Parameter]
        [Alias("ItemName", "item")]
        [SupportsWildcards]
        public string? Name { get; set; }

        [Parameter]
        [SupportsWildcards]
        public string? ClassName { get; set; }

        protected override string? NamespaceParameter => Namespace;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            List<SettingsTarget> targets = ParameterSetName == ContainerSet ? ResolveTargets(Container, null) : ResolveTargets(null, InputObject);
            ItemsScript script = ProductionItemScript.Create(SettingsScriptKind.List, new List<ProductionItem>());
            await RunAsync(targets, async target =>
            {
                ProductionItemOutcome outcome = await ProductionItemSession.RunAsync(DockerEngine, target.Container, target.Namespace, script, Reporter, ProductionItemSession.DefaultTimeout, cancellationToken).ConfigureAwait(false);
                foreach (IrisProductionItem item in outcome.Results)
                {
                    if (Match(ProductionName, item.ProductionName) && Match(Name, item.Name) && Match(ClassName, item.ClassName))
                    {
                        Emit(item);
                    }
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        protected override Task EndProcessingAsync(CancellationToken cancellationToken)
        {
            ReleaseEngine();
            return Task.CompletedTask;
        }

        private static bool Match(string? pattern, string value) =>
            pattern == null || WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant).IsMatch(value);
    }
}
