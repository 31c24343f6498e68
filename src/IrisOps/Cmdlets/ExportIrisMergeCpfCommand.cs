using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Cpf;
using IrisOps.Core.Cpf.Catalog;
using IrisOps.Core.Cpf.Export;
using IrisOps.Core.Cpf.Layout;
using IrisOps.Core.Errors;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>
    /// Export-IrisMergeCpf: writes one merge file from documents, action objects, section entries and a layout.
    /// Input is only collected while the pipeline runs; the file is rendered, checked and written at the end, so
    /// any error anywhere means nothing is written.
    /// </summary>
    [Cmdlet(VerbsData.Export, "IrisMergeCpf", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = InputSet)]
    [OutputType(typeof(string))]
    public sealed class ExportIrisMergeCpfCommand : IrisCmdlet
    {
        private const string InputSet = "Input";
        private const string LayoutPathSet = "LayoutPath";
        private const string LayoutSet = "Layout";

        private readonly List<object> inputs = new List<object>();
        private int received;
        private int failed;

        [Parameter(ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = LayoutPathSet)]
        [ValidateNotNullOrEmpty]
        public string LayoutPath { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ParameterSetName = LayoutSet)]
        [ValidateNotNull]
        public IDictionary Layout { get; set; } = new Hashtable();

        [Parameter(ParameterSetName = LayoutPathSet)]
        [Parameter(ParameterSetName = LayoutSet)]
        public LayoutStage Stage { get; set; } = LayoutStage.All;

        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        public string? Path { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        // Refusing an existing file is the default; the switch stays so that scripts written for it keep working.
        [Parameter]
        public SwitchParameter NoClobber { get; set; }

        [Parameter]
        public CpfLineEnding LineEnding { get; set; } = CpfLineEnding.Lf;

        [Parameter]
        public SwitchParameter AllowUnknownAction { get; set; }

        protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            if (InputObject == null)
            {
                return Task.CompletedTask;
            }

            string origin = Invocation.ExpectingInput ? "pipeline input" : "-InputObject item";
            try
            {
                foreach (object item in Unroll(InputObject))
                {
                    received++;
                    inputs.Add(Convert(item, new CpfSource($"{origin} {received}")));
                }
            }
            catch
            {
                failed++;
                throw;
            }

            return Task.CompletedTask;
        }

        protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
        {
            if (failed > 0)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "MergeFileNotWritten",
                    $"Nothing was written: {failed} input object(s) could not be read as CPF content (see the errors above). Fix them and run the command again.");
            }

            var composer = new MergeFileComposer();
            IrisLayout? layout = await ReadLayoutAsync().ConfigureAwait(false);
            if (layout != null)
            {
                composer.AddLayout(layout, Stage, Reporter);
            }
            else if (inputs.Count == 0)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "NothingToExport",
                    "Nothing to export: pipe documents from Import-IrisCpf, action objects or section entries, or give a layout with -LayoutPath or -Layout.");
            }

            foreach (object input in inputs)
            {
                switch (input)
                {
                    case CpfDocument document:
                        composer.Add(document);
                        break;
                    case CpfSection section:
                        composer.Add(section);
                        break;
                    default:
                        composer.Add((CpfItem)input);
                        break;
                }
            }

            MergeFile file = composer.Finish(new CpfValidationOptions { AllowUnknownAction = AllowUnknownAction.IsPresent }, new CpfWriteOptions { LineEnding = LineEnding }, Reporter);
            if (Path == null)
            {
                Emit(file.Text);
                return;
            }

            string target = await ResolveFileSystemPathAsync(Path, nameof(Path)).ConfigureAwait(false);
            if (Force.IsPresent && NoClobber.IsPresent)
            {
                throw new IrisOps.Core.Errors.IrisOpsException(IrisOps.Core.Errors.IrisErrorKind.InvalidArgument, "ForceWithNoClobber",
                    "-Force replaces an existing file and -NoClobber refuses to; give one of them.", target);
            }

            MergeFileComposer.CheckTarget(target, Force.IsPresent);
            file.WarnIfInstanceCpf(target, Reporter);
            string replacing = System.IO.File.Exists(target) ? ", replacing the existing file" : string.Empty;
            string description = $"Write the merge file '{target}' with {file.Describe()}{replacing}.";
            if (!await ShouldProcessAsync(description, description + " Continue?", "Export-IrisMergeCpf").ConfigureAwait(false))
            {
                return;
            }

            MergeFileComposer.WriteFile(file, target, Force.IsPresent);
            Verbose($"Wrote {target}: {file.Describe()}.");
        }

        private async Task<IrisLayout?> ReadLayoutAsync()
        {
            switch (ParameterSetName)
            {
                case LayoutPathSet:
                    string path = await ResolveFileSystemPathAsync(LayoutPath, nameof(LayoutPath)).ConfigureAwait(false);
                    Verbose($"Reading the layout {path}.");
                    return LayoutReader.Load(path);
                case LayoutSet:
                    return LayoutReader.FromObject(PowerShellValues.ToPlain(Layout), "-Layout");
                default:
                    return null;
            }
        }

        /// <summary>-InputObject @($a, $b) is taken item by item, as the pipeline would take it.</summary>
        private static IEnumerable<object> Unroll(PSObject input)
        {
            if (input.BaseObject is IEnumerable items && !(input.BaseObject is string) && !(input.BaseObject is IDictionary))
            {
                foreach (object? item in items)
                {
                    if (item != null)
                    {
                        yield return item;
                    }
                }
            }
            else
            {
                yield return input;
            }
        }

        private static object Convert(object item, CpfSource source)
        {
            PSObject wrapped = PSObject.AsPSObject(item);
            switch (wrapped.BaseObject)
            {
                case CpfDocument document:
                    return document;
                case CpfSection section:
                    return section;
                case CpfItem cpfItem:
                    return cpfItem;
                case string text:
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, CpfRecordConverter.InvalidInputId,
                        $"{source}: got a string. Export-IrisMergeCpf takes objects: documents from Import-IrisCpf, action objects ([pscustomobject]@{{ Action = 'CreateDatabase'; Name = 'APPDATA'; Directory = '...' }}) or section entries ([pscustomobject]@{{ Section = 'config'; Name = 'MaxServerConn'; Value = 3 }}).", text);
                default:
                    return CpfRecordConverter.FromProperties(PowerShellValues.ToPropertyBag(wrapped), source);
            }
        }
    }
}
