using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Cpf;
using IrisOps.Core.Cpf.Catalog;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>Import-IrisCpf: reads CPF and merge files into CpfDocument objects to inspect, edit and export again.</summary>
    [Cmdlet(VerbsData.Import, "IrisCpf", DefaultParameterSetName = "Path")]
    [OutputType(typeof(CpfDocument))]
    public sealed class ImportIrisCpfCommand : PathsCmdletBase
    {
        [Parameter]
        public SwitchParameter AllowUnknownAction { get; set; }

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            foreach ((string _, string file) in await ResolveGivenPathsAsync().ConfigureAwait(false))
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
