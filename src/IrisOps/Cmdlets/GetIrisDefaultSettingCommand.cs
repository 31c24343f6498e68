using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Settings;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>
    /// Get-IrisDefaultSetting: the production default settings of a running instance (one read-only session per
    /// container) or of an exported XML file, filtered by the key fields with wildcards.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "IrisDefaultSetting", DefaultParameterSetName = ContainerSet)]
    [OutputType(typeof(IrisDefaultSetting))]
    public sealed class GetIrisDefaultSettingCommand : SettingsCmdletBase
    {
        private const string ContainerSet = TargetParameterSets.Name;
        private const string InputObjectSet = TargetParameterSets.InputObject;
        private const string PathSet = "Path";

        /// <summary>The extra type name of settings read from a container or a file (see IrisOps.Format.ps1xml).</summary>
        public const string StoredTypeName = "IrisOps.Core.Settings.IrisDefaultSetting#Stored";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ContainerSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(RunningContainerCompleter))]
        public string[] Container { get; set; } = new string[0];

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [ValidateNotNullOrEmpty]
        [IrisTargetTransformation]
        public IrisTarget[] InputObject { get; set; } = new IrisTarget[0];

        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = new string[0];

        [Parameter(ParameterSetName = ContainerSet)]
        [Parameter(ParameterSetName = InputObjectSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NamespaceCompleter))]
        public string? Namespace { get; set; }

        [Parameter]
        [Alias("production")]
        [SupportsWildcards]
        public string? ProductionName { get; set; }

        [Parameter]
        [Alias("item")]
        [SupportsWildcards]
        public string? ItemName { get; set; }

        [Parameter]
        [Alias("class")]
        [SupportsWildcards]
        public string? HostClassName { get; set; }

        [Parameter]
        [Alias("setting")]
        [SupportsWildcards]
        public string? SettingName { get; set; }

        protected override string? NamespaceParameter => Namespace;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            if (ParameterSetName == PathSet)
            {
                await ReadFilesAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            List<SettingsTarget> targets = ParameterSetName == ContainerSet ? ResolveTargets(Container, null) : ResolveTargets(null, InputObject);
            SettingsScript script = DefaultSettingScript.Create(SettingsScriptKind.List, new List<DefaultSetting>());
            await RunAsync(targets, async target =>
            {
                SettingsOutcome outcome = await DefaultSettingSession.RunAsync(DockerEngine, target.Container, target.Namespace, script, Reporter, DefaultSettingSession.DefaultTimeout, cancellationToken).ConfigureAwait(false);
                foreach (IrisDefaultSetting setting in outcome.Results)
                {
                    if (Matches(setting))
                    {
                        EmitStored(setting);
                    }
                }
            }, cancellationToken).ConfigureAwait(false);
        }

        // Read settings get their own table view (no Action or Previous column: nothing was done to them).
        private void EmitStored(IrisDefaultSetting setting)
        {
            PSObject wrapped = PSObject.AsPSObject(setting);
            wrapped.TypeNames.Insert(0, StoredTypeName);
            Emit(wrapped);
        }

        /// <summary>Every file of every path; an unreadable file is a non-terminating error naming its full path, and the others are still read.</summary>
        private async Task ReadFilesAsync(CancellationToken cancellationToken)
        {
            foreach (string given in Path)
            {
                string[] files;
                try
                {
                    files = await ResolveFileSystemPathsAsync(given, literal: false, nameof(Path)).ConfigureAwait(false);
                }
                catch (IrisOps.Core.Errors.IrisOpsException ex)
                {
                    Error(ex, given);
                    continue;
                }

                foreach (string file in files)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    IList<DefaultSetting> rows;
                    try
                    {
                        Verbose($"Reading {file}.");
                        rows = DefaultSettingXml.ReadFile(file);
                    }
                    catch (IrisOps.Core.Errors.IrisOpsException ex)
                    {
                        Error(ex, file);
                        continue;
                    }

                    foreach (DefaultSetting row in rows)
                    {
                        IrisDefaultSetting setting = IrisDefaultSetting.From(row);
                        setting.Target = file;
                        if (Matches(setting))
                        {
                            EmitStored(setting);
                        }
                    }
                }
            }
        }

        protected override Task EndProcessingAsync(CancellationToken cancellationToken)
        {
            ReleaseEngine();
            return Task.CompletedTask;
        }

        /// <summary>Wildcards as PowerShell has them; a '*' stored in a key is matched by '*' too, and by '`*' alone.</summary>
        private bool Matches(IrisDefaultSetting setting) =>
            Match(ProductionName, setting.ProductionName) && Match(ItemName, setting.ItemName) && Match(HostClassName, setting.HostClassName) && Match(SettingName, setting.SettingName);

        private static bool Match(string? pattern, string value) =>
            pattern == null || WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant).IsMatch(value);
    }
}
