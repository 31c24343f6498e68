using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IrisOps.Core.Docker
{
    public interface IVolumeOperations : IDockerResourceOperations
    {
        /// <summary>The volume; null when it does not exist.</summary>
        Task<VolumeDetails?> InspectVolumeAsync(string name, CancellationToken cancellationToken);

        Task<IList<VolumeDetails>> ListVolumesAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken);

        /// <summary>Creates a volume; ResourceExists when one of that name exists (the engine would silently reuse it).</summary>
        Task<VolumeDetails> CreateVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken);

        /// <summary>Removes the volume; false when it did not exist.</summary>
        Task<bool> RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken);
    }
}
