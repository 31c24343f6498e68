using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;

namespace IrisOps.Tests.Docker
{
    /// <summary>
    /// The base of the tests' fake engines: every call throws NotSupportedException unless a fake overrides it,
    /// so a test fails loudly when the code under test does something the fake does not model.
    /// </summary>
    public abstract class UnsupportedDockerEngine : IDockerEngine
    {
        protected UnsupportedDockerEngine(string? host = "unix:///fake.sock")
        {
            Endpoint = DockerEndpointResolver.Resolve(host, new DockerEnvironment(new Dictionary<string, string?>(), Path.GetTempPath(), false));
        }

        public DockerEndpoint Endpoint { get; }

        public virtual void Dispose()
        {
        }

        public virtual Task<DockerEngineInfo> PingAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<IList<ContainerSummary>> ListContainersAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task StartContainerAsync(string nameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<bool> StopContainerAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task KillContainerAsync(string nameOrId, string? signal, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<long> WaitContainerAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task RenameContainerAsync(string nameOrId, string newName, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<bool> RemoveContainerAsync(string nameOrId, bool force, bool removeAnonymousVolumes, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<string> GetContainerLogsAsync(string nameOrId, int tailLines, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<ExecResult> ExecAsync(string nameOrId, ExecRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task CopyFromContainerAsync(string nameOrId, string path, Stream destination, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task CopyToContainerAsync(string nameOrId, string path, Stream tarArchive, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<NetworkDetails?> InspectNetworkAsync(string nameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<IList<NetworkDetails>> ListNetworksAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<bool> RemoveNetworkAsync(string nameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<VolumeDetails?> InspectVolumeAsync(string name, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<IList<VolumeDetails>> ListVolumesAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<VolumeDetails> CreateVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<bool> RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<ImageDetails?> InspectImageAsync(string nameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<bool> ImageExistsAsync(string nameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<IList<string>> ListImageTagsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<SwarmState> GetSwarmStateAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<string> CreateSecretAsync(SwarmFileObjectSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<IList<SwarmObjectSummary>> ListSecretsAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<bool> RemoveSecretAsync(string nameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<string> CreateConfigAsync(SwarmFileObjectSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<IList<SwarmObjectSummary>> ListConfigsAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<bool> RemoveConfigAsync(string nameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<string> CreateServiceAsync(SwarmServiceSpec spec, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<IList<SwarmServiceSummary>> ListServicesAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<SwarmServiceSummary?> InspectServiceAsync(string nameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task UpdateServiceAsync(string nameOrId, SwarmServiceChange change, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<bool> RemoveServiceAsync(string nameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();
        public virtual Task<IList<SwarmTaskSummary>> ListTasksAsync(string serviceNameOrId, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
