using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Cpf;
using IrisOps.Core.Cpf.Catalog;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>Import-IrisCpf: reads CPF and merge files into CpfDocument objects to inspect, edit and export again.</summary>
    [Cmdlet(VerbsData.Import, "IrisCpf", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CpfDocument))]
    public sealed class ImportIrisCpfCommand : IrisCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = new string[0];

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = new string[0];

        [Parameter]
        public SwitchParameter AllowUnknownAction { get; set; }

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string given in literal ? LiteralPath : Path)
            {
                string[] files;
                try
                {
                    files = await ResolveFileSystemPathsAsync(given, literal, literal ? nameof(LiteralPath) : nameof(Path)).ConfigureAwait(false);
                }
                catch (IrisOps.Core.Errors.IrisOpsException ex)
                {
                    Error(ex, given);
                    continue;
                }

                foreach (string file in files)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    try
                    {
                        Verbose($"Reading {file}.");
                        CpfDocument document = CpfParser.ParseFile(file, Reporter);
                        CpfSectionCatalog.WarnAboutUnknownNames(document, Reporter);
                        CpfActionValidator.Validate(document, new CpfValidationOptions { AllowUnknownAction = AllowUnknownAction.IsPresent }, Reporter);
                        Emit(document);
                    }
                    catch (IrisOps.Core.Errors.IrisOpsException ex)
                    {
                        // One bad file does not stop the others.
                        Error(ex, file);
                    }
                }
            }
        }
    }
}
