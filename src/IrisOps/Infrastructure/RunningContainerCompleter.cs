using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using IrisOps.Core.Docker;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// Tab completion of running container names for -Container, from the engine -DockerHost names (or the
    /// default one). Completion must never hang or throw: the engine gets two seconds, and any failure
    /// completes nothing.
    /// </summary>
    public sealed class RunningContainerCompleter : IArgumentCompleter
    {
        private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            string? host = fakeBoundParameters != null && fakeBoundParameters.Contains("DockerHost") ? fakeBoundParameters["DockerHost"] as string : null;
            IList<ContainerSummary> containers;
            try
            {
                using (var cancel = new CancellationTokenSource(Budget))
                using (IDockerEngine engine = DockerEngineFactory.Create(host))
                {
                    var listing = engine.ListContainersAsync(new Dictionary<string, string?>(), cancel.Token);
                    if (!listing.Wait(Budget))
                    {
                        return Enumerable.Empty<CompletionResult>();
                    }

                    containers = listing.Result;
                }
            }
            catch (Exception)
            {
                return Enumerable.Empty<CompletionResult>(); // completion is best effort: no engine, no suggestions
            }

            return containers
                .Where(c => string.Equals(c.State, "running", StringComparison.OrdinalIgnoreCase) && c.Name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .Select(c => new CompletionResult(c.Name, c.Name, CompletionResultType.ParameterValue, $"{c.Name} ({c.Image}, {c.Status})"))
                .ToList();
        }
    }
}
