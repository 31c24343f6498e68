using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;

namespace IrisOps.Infrastructure
{
    /// <summary>One value tab completion can offer, with the tooltip shown next to it.</summary>
    public sealed class CompletionCandidate
    {
        public CompletionCandidate(string value, string tooltip)
        {
            Value = value;
            Tooltip = tooltip;
        }

        public string Value { get; }
        public string Tooltip { get; }
    }

    /// <summary>
    /// Tab completion from the Docker engine that -DockerHost names (or the default one). Completion must never
    /// hang or throw: the engine gets two seconds, and no engine or any failure completes nothing.
    /// </summary>
    public abstract class EngineCompleter : IArgumentCompleter
    {
        internal static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
        private readonly Func<string?, IDockerEngine> connect;

        protected EngineCompleter()
            : this(host => DockerEngineFactory.Create(host))
        {
        }

        /// <summary>For tests: where the engine comes from.</summary>
        internal EngineCompleter(Func<string?, IDockerEngine> connect) => this.connect = connect;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            string? host = fakeBoundParameters != null && fakeBoundParameters.Contains("DockerHost") ? fakeBoundParameters["DockerHost"] as string : null;
            IEnumerable<CompletionCandidate> candidates;
            try
            {
                using (var cancel = new CancellationTokenSource(Budget))
                using (IDockerEngine engine = connect(host))
                {
                    Task<IEnumerable<CompletionCandidate>> listing = ListAsync(engine, fakeBoundParameters ?? new Hashtable(), cancel.Token);
                    if (!listing.Wait(Budget))
                    {
                        return Enumerable.Empty<CompletionResult>();
                    }

                    candidates = listing.Result;
                }
            }
            catch (Exception)
            {
                return Enumerable.Empty<CompletionResult>(); // completion is best effort: no engine, no suggestions
            }

            return candidates
                .Where(c => c.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .GroupBy(c => c.Value, StringComparer.Ordinal).Select(g => g.First())
                .OrderBy(c => c.Value, StringComparer.OrdinalIgnoreCase)
                .Select(c => new CompletionResult(Quote(c.Value), c.Value, CompletionResultType.ParameterValue, c.Tooltip))
                .ToList();
        }

        protected abstract Task<IEnumerable<CompletionCandidate>> ListAsync(IDockerEngine engine, IDictionary fakeBoundParameters, CancellationToken cancellationToken);

        // Names with characters PowerShell would split or expand are offered in single quotes.
        private static string Quote(string value) =>
            value.Any(c => char.IsWhiteSpace(c) || "'\"$`;,(){}@#&|<>".IndexOf(c) >= 0) ? "'" + value.Replace("'", "''") + "'" : value;
    }

    /// <summary>Every container name, running or not, for Update-IrisApplicationImage -Name.</summary>
    public class ContainerCompleter : EngineCompleter
    {
        public ContainerCompleter()
        {
        }

        internal ContainerCompleter(Func<string?, IDockerEngine> connect)
            : base(connect)
        {
        }

        /// <summary>Whether a container is offered; every one here.</summary>
        protected virtual bool Offers(ContainerSummary container) => true;

        protected override async Task<IEnumerable<CompletionCandidate>> ListAsync(IDockerEngine engine, IDictionary fakeBoundParameters, CancellationToken cancellationToken) =>
            (await engine.ListContainersAsync(new Dictionary<string, string?>(), cancellationToken).ConfigureAwait(false))
                .Where(Offers)
                .Select(c => new CompletionCandidate(c.Name, $"{c.Name} ({c.Image}, {c.Status})"));
    }

    /// <summary>Running container names, for the -Container of the settings and production item cmdlets.</summary>
    public sealed class RunningContainerCompleter : ContainerCompleter
    {
        public RunningContainerCompleter()
        {
        }

        internal RunningContainerCompleter(Func<string?, IDockerEngine> connect)
            : base(connect)
        {
        }

        protected override bool Offers(ContainerSummary container) => string.Equals(container.State, "running", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Local image names (repository:tag), for -Image.</summary>
    public sealed class ImageCompleter : EngineCompleter
    {
        public ImageCompleter()
        {
        }

        internal ImageCompleter(Func<string?, IDockerEngine> connect)
            : base(connect)
        {
        }

        protected override async Task<IEnumerable<CompletionCandidate>> ListAsync(IDockerEngine engine, IDictionary fakeBoundParameters, CancellationToken cancellationToken) =>
            (await engine.ListImageTagsAsync(cancellationToken).ConfigureAwait(false)).Select(t => new CompletionCandidate(t, t));
    }
}
