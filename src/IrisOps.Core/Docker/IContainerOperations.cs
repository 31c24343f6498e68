using System;
using System.Threading;
using System.Threading.Tasks;

namespace IrisOps.Core.Docker
{
    /// <summary>The life cycle of containers: create, start, stop, kill, wait, rename, remove (and inspection).</summary>
    public interface IContainerOperations : IContainerInspection
    {
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

        /// <summary>Removes the container; false when it did not exist.</summary>
        Task<bool> RemoveContainerAsync(string nameOrId, bool force, bool removeAnonymousVolumes, CancellationToken cancellationToken);
    }
}
