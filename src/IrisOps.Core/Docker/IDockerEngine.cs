using System;
using System.Threading;
using System.Threading.Tasks;

namespace IrisOps.Core.Docker
{
    /// <summary>
    /// The view of a Docker engine that IrisOps needs, composed of one interface per resource (containers, exec
    /// and files, networks, volumes, images, swarm) so that a class, or a test fake, that needs one resource takes only
    /// that one. Every failure is an IrisOpsException: an unreachable engine is ConnectionError ("cannot reach the
    /// Docker engine at ...; is Docker running?"), an engine refusal carries the engine's message. Inspect methods
    /// return null for a missing object; Remove methods return false for a missing object (so cleanup can be
    /// repeated). Implementations are thread-safe. Waiting for a container to become healthy is not an engine
    /// call: see <see cref="Common.ContainerHealthWaiter"/>.
    /// </summary>
    public interface IDockerEngine : IContainerOperations, IContainerExec, INetworkOperations, IVolumeOperations, IImageOperations, ISwarmOperations, IDisposable
    {
        /// <summary>Checks the engine answers and returns its version.</summary>
        Task<DockerEngineInfo> PingAsync(CancellationToken cancellationToken);
    }
}
