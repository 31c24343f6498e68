using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IrisOps.Core.Docker
{
    public interface INetworkOperations : IDockerResourceOperations
    {
        /// <summary>The network; null when it does not exist.</summary>
        Task<NetworkDetails?> InspectNetworkAsync(string nameOrId, CancellationToken cancellationToken);

        Task<IList<NetworkDetails>> ListNetworksAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken);

        /// <summary>Creates a network and returns its id; ResourceExists when one of that name exists (old engines allow duplicates).</summary>
        Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken);

        /// <summary>Removes the network; false when it did not exist.</summary>
        Task<bool> RemoveNetworkAsync(string nameOrId, CancellationToken cancellationToken);
    }
}
