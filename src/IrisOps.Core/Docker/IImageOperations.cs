using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace IrisOps.Core.Docker
{
    public interface IImageOperations : IDockerResourceOperations
    {
        /// <summary>The image; null when it is not on the engine.</summary>
        Task<ImageDetails?> InspectImageAsync(string nameOrId, CancellationToken cancellationToken);

        Task<bool> ImageExistsAsync(string nameOrId, CancellationToken cancellationToken);

        /// <summary>The repository:tag names of the images on the engine (untagged images have none).</summary>
        Task<IList<string>> ListImageTagsAsync(CancellationToken cancellationToken);
    }
}
