using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IrisOps.Core.Docker
{
    /// <summary>Reading the state of containers, without changing anything (what a waiter or a checker needs).</summary>
    public interface IContainerInspection : IDockerResourceOperations
    {
        /// <summary>The container's configuration and state; null when it does not exist.</summary>
        Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken);

        /// <summary>Containers (running or not) carrying every label given (a null value matches any value).</summary>
        Task<IList<ContainerSummary>> ListContainersAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken);
    }
}
