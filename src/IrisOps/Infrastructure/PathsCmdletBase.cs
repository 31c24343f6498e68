using System.Collections.Generic;
using System.Management.Automation;
using System.Threading.Tasks;
using IrisOps.Core.Errors;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// The cmdlets that read files or folders: -Path (wildcards; strings and objects with a Path from the pipeline)
    /// or -LiteralPath (taken as written; Get-ChildItem output by PSPath), resolved on the FileSystem provider
    /// relative to the current PowerShell location. A path that resolves to nothing is an error for that path only.
    /// </summary>
    public abstract class PathsCmdletBase : IrisCmdlet
    {
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Path { get; set; } = new string[0];

        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; } = new string[0];

        /// <summary>Every path the current record names, resolved; each one that cannot be is written as an error.</summary>
        protected async Task<IReadOnlyList<(string Given, string Resolved)>> ResolveGivenPathsAsync()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            var resolved = new List<(string, string)>();
            foreach (string given in literal ? LiteralPath : Path)
            {
                try
                {
                    foreach (string path in await ResolveFileSystemPathsAsync(given, literal, literal ? nameof(LiteralPath) : nameof(Path)).ConfigureAwait(false))
                    {
                        resolved.Add((given, path));
                    }
                }
                catch (IrisOpsException ex)
                {
                    Error(ex, given);
                }
            }

            return resolved;
        }
    }
}
