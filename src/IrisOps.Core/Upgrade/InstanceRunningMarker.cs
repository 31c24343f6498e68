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

        /// <summary>
        /// Judges a stopped container's last shutdown by what the manuals document: the container is down (exited,
        /// not restarting) and no instance-running marker is left. The exit code of iris-main is not documented
        /// ("The iris-main Program" in Running InterSystems Products in Containers describes only its graceful
        /// shutdown on SIGTERM), so it is reported but never decides on its own.
        /// </summary>
        public static async Task<ShutdownVerdict> JudgeAsync(IContainerExec containers, string container, ContainerDetails stopped, string dataDirectory, CancellationToken cancellationToken)
        {
            string exit = $"exit code {stopped.State.ExitCode}" + (stopped.State.OomKilled ? ", killed for lack of memory" : string.Empty);
            if (stopped.State.Running || stopped.State.Restarting)
            {
                return new ShutdownVerdict(false, $"the container is {(stopped.State.Restarting ? "restarting" : "still running")} ({exit})", null);
            }

            string? marker = await FindAsync(containers, container, dataDirectory, cancellationToken).ConfigureAwait(false);
            return marker != null
                ? new ShutdownVerdict(false, $"its durable directory still holds the instance-running marker '{marker}' ({exit})", marker)
                : new ShutdownVerdict(true, $"no instance-running marker is left ({exit})", null);
        }

        /// <summary>
        /// The remedy for an unclean shutdown, as "Upgrading InterSystems IRIS Containers" in Running InterSystems
        /// Products in Containers gives it for a stopped container: never start the container itself, which "could
        /// damage data integrity".
        /// </summary>
        public static string Remedy(string container, string image) =>
            "Durable %SYS blocks the upgrade of an instance that did not shut down cleanly, and starting the stopped container would run automatic recovery, which \"could damage data integrity\" " +
            "(Running InterSystems Products in Containers, \"Upgrading InterSystems IRIS Containers\"). Follow that section: " +
            $"1. create a duplicate container with the command that created '{container}', the same durable %SYS location and the same image '{image}', adding the iris-main option --up false; " +
            "2. open a shell in it (docker exec -it <duplicate> bash); " +
            "3. follow \"Starting InterSystems IRIS Without Automatic WIJ and Journal Recovery\" (Data Integrity Guide); " +
            "4. when recovery and startup are complete, run iris stop IRIS and remove the duplicate; " +
            $"5. then start '{container}' (normal startup is safe now) or run the upgrade again.";
    }

    /// <summary>Whether a stopped instance shut down cleanly, and the facts that decided it.</summary>
    public sealed class ShutdownVerdict
    {
        public ShutdownVerdict(bool clean, string reason, string? marker)
        {
            Clean = clean;
            Reason = reason;
            Marker = marker;
        }

        public bool Clean { get; }

        /// <summary>What decided, with the exit code for the record ("no instance-running marker is left (exit code 143)").</summary>
        public string Reason { get; }

        public string? Marker { get; }
    }
}
