using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IrisOps.Core.Docker
{
    /// <summary>
    /// Docker Swarm through the engine API: the engine's swarm state, secrets, configs, services and their tasks.
    /// Every call but <see cref="GetSwarmStateAsync"/> needs a swarm manager.
    /// </summary>
    public interface ISwarmOperations : IDockerResourceOperations
    {
        Task<SwarmState> GetSwarmStateAsync(CancellationToken cancellationToken);

        /// <summary>Creates a secret and returns its id; ResourceExists when one of that name exists.</summary>
        Task<string> CreateSecretAsync(SwarmFileObjectSpec spec, CancellationToken cancellationToken);

        Task<IList<SwarmObjectSummary>> ListSecretsAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken);

        /// <summary>Removes a secret; false when it did not exist.</summary>
        Task<bool> RemoveSecretAsync(string nameOrId, CancellationToken cancellationToken);

        /// <summary>Creates a config and returns its id; ResourceExists when one of that name exists.</summary>
        Task<string> CreateConfigAsync(SwarmFileObjectSpec spec, CancellationToken cancellationToken);

        Task<IList<SwarmObjectSummary>> ListConfigsAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken);

        /// <summary>Removes a config; false when it did not exist.</summary>
        Task<bool> RemoveConfigAsync(string nameOrId, CancellationToken cancellationToken);

        /// <summary>Creates a service (its image is not resolved on a registry) and returns its id.</summary>
        Task<string> CreateServiceAsync(SwarmServiceSpec spec, CancellationToken cancellationToken);

        Task<IList<SwarmServiceSummary>> ListServicesAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken);

        /// <summary>The service, or null when it does not exist.</summary>
        Task<SwarmServiceSummary?> InspectServiceAsync(string nameOrId, CancellationToken cancellationToken);

        /// <summary>Updates a service's image and/or replicas at the version index read just before (everything else stays).</summary>
        Task UpdateServiceAsync(string nameOrId, SwarmServiceChange change, CancellationToken cancellationToken);

        /// <summary>Removes a service (Swarm then stops its tasks); false when it did not exist.</summary>
        Task<bool> RemoveServiceAsync(string nameOrId, CancellationToken cancellationToken);

        Task<IList<SwarmTaskSummary>> ListTasksAsync(string serviceNameOrId, CancellationToken cancellationToken);
    }
}
