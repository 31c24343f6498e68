using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Iris;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// The namespaces of the container given by -Container, for -Namespace: the [Namespaces] section of its iris.cpf
    /// (in the durable data directory, else the install directory). Knowable only when -Container is on the line.
    /// </summary>
    public sealed class NamespaceCompleter : EngineCompleter
    {
        public NamespaceCompleter()
        {
        }

        internal NamespaceCompleter(Func<string?, IDockerEngine> connect)
            : base(connect)
        {
        }

        protected override async Task<IEnumerable<CompletionCandidate>> ListAsync(IDockerEngine engine, IDictionary fakeBoundParameters, CancellationToken cancellationToken)
        {
            string? container = FirstContainer(fakeBoundParameters["Container"]);
            ContainerDetails? details = container == null ? null : await engine.InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
            if (details == null)
            {
                return Enumerable.Empty<CompletionCandidate>();
            }

            string directory = details.Spec.Environment.TryGetValue(IrisContainer.DataDirectoryVariable, out string? data) && !string.IsNullOrEmpty(data)
                ? data!
                : IrisContainer.InstallDirectory(details.Spec.Environment.Select(pair => pair.Key + "=" + pair.Value));
            byte[] text = await new ContainerFileReader(engine) { Timeout = Budget }.ReadAsync(container!, directory.TrimEnd('/') + "/iris.cpf", cancellationToken).ConfigureAwait(false);
            return CpfParser.Parse(text, "iris.cpf").Resolve().GetSection("Namespaces")
                .Select(entry => new CompletionCandidate(entry.Name, $"{entry.Name} in {container} ({entry.Value})"))
                .ToList();
        }

        private static string? FirstContainer(object? bound)
        {
            object? value = bound is System.Management.Automation.PSObject wrapped ? wrapped.BaseObject : bound;
            return value switch
            {
                string name => name,
                IEnumerable list => list.Cast<object?>().Select(item => item?.ToString()).FirstOrDefault(item => !string.IsNullOrEmpty(item)),
                _ => null,
            };
        }
    }
}
