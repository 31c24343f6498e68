using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// The file an instance keeps in its manager's directory while it is up: the System Administration Guide
    /// ("iris.ids File") describes it as the flag that the instance is running; iris stop deletes it, so after
    /// a stop it is left behind only by a shutdown that was not clean. With durable %SYS the manager's
    /// directory is ISC_DATA_DIRECTORY/mgr.
    /// </summary>
    public static class InstanceRunningMarker
    {
        /// <summary>The path of the instance-running marker in the data directory, or null when there is none.</summary>
        public static async Task<string?> FindAsync(IContainerExec containers, string container, string dataDirectory, CancellationToken cancellationToken)
        {
            string path = IrisContainer.RunningMarkerPath(dataDirectory);
            return await new ContainerFileReader(containers).ExistsAsync(container, path, cancellationToken).ConfigureAwait(false) ? path : null;
        }
    }
}
