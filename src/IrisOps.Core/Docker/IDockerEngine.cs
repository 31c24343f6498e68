using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace IrisOps.Core.Docker
{
    /// <summary>
    /// The narrow view of a Docker engine that IrisOps needs. Every failure is an IrisOpsException: an
    /// unreachable engine is ConnectionError ("cannot reach the Docker engine at ...; is Docker running?"), an
    /// engine refusal carries the engine's message. Inspect methods return null for a missing object; Remove
    /// methods return false for a missing object (so cleanup can be repeated). Implementations are thread-safe.
    /// </summary>
    public interface IDockerEngine : IDisposable
    {
        DockerEndpoint Endpoint { get; }

        /// <summary>Checks the engine answers and returns its version.</summary>
        Task<DockerEngineInfo> PingAsync(CancellationToken cancellationToken);

        // ---- containers ----
        Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken);

        /// <summary>Containers (running or not) carrying every label given (a null value matches any value).</summary>
        Task<IList<ContainerSummary>> ListContainersAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken);

        /// <summary>Creates the container (joining every network of the spec) and returns its id.</summary>
        Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken);

        Task StartContainerAsync(string nameOrId, CancellationToken cancellationToken);

        /// <summary>Sends the stop signal and waits up to <paramref name="timeout"/> before the engine kills it; false when it was not running.</summary>
        Task<bool> StopContainerAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken);

        /// <summary>Sends a signal (default SIGKILL), as docker kill does.</summary>
        Task KillContainerAsync(string nameOrId, string? signal, CancellationToken cancellationToken);

        /// <summary>Waits (at most <paramref name="timeout"/>, else OperationTimeout) until the container stops; returns its exit code.</summary>
        Task<long> WaitContainerAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken);

        Task RenameContainerAsync(string nameOrId, string newName, CancellationToken cancellationToken);

        Task<bool> RemoveContainerAsync(string nameOrId, bool force, bool removeAnonymousVolumes, CancellationToken cancellationToken);

        /// <summary>The last <paramref name="tailLines"/> lines of the container's output (stdout and stderr interleaved).</summary>
        Task<string> GetContainerLogsAsync(string nameOrId, int tailLines, CancellationToken cancellationToken);

        /// <summary>Runs a command in a running container, feeding standard input and capturing both outputs and the exit code.</summary>
        Task<ExecResult> ExecAsync(string nameOrId, ExecRequest request, CancellationToken cancellationToken);

        /// <summary>Polls until healthy (running, for a container without a health check), unhealthy, stopped or the timeout.</summary>
        Task<HealthWaitResult> WaitForHealthyAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken, Action<ContainerDetails>? onPoll = null);

        /// <summary>Writes a tar archive of <paramref name="path"/> in the container (running or not) to <paramref name="destination"/>.</summary>
        Task CopyFromContainerAsync(string nameOrId, string path, Stream destination, CancellationToken cancellationToken);

        /// <summary>Extracts the tar archive <paramref name="tarArchive"/> into the directory <paramref name="path"/> of the container.</summary>
        Task CopyToContainerAsync(string nameOrId, string path, Stream tarArchive, CancellationToken cancellationToken);

        // ---- networks ----
        Task<NetworkDetails?> InspectNetworkAsync(string nameOrId, CancellationToken cancellationToken);

        Task<IList<NetworkDetails>> ListNetworksAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken);

        /// <summary>Creates a network and returns its id; ResourceExists when one of that name exists (old engines allow duplicates).</summary>
        Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken);

        Task<bool> RemoveNetworkAsync(string nameOrId, CancellationToken cancellationToken);

        // ---- volumes ----
        Task<VolumeDetails?> InspectVolumeAsync(string name, CancellationToken cancellationToken);

        Task<IList<VolumeDetails>> ListVolumesAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken);

        /// <summary>Creates a volume; ResourceExists when one of that name exists (the engine would silently reuse it).</summary>
        Task<VolumeDetails> CreateVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken);

        Task<bool> RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken);

        // ---- images ----
        Task<ImageDetails?> InspectImageAsync(string nameOrId, CancellationToken cancellationToken);

        Task<bool> ImageExistsAsync(string nameOrId, CancellationToken cancellationToken);
    }
}
