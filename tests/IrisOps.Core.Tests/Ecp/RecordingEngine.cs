using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Tests.Docker;

namespace IrisOps.Tests.Ecp
{
    /// <summary>Keeps names of networks, volumes and containers, and records every mutating call in order.</summary>
    internal sealed class RecordingEngine : UnsupportedDockerEngine
    {
        private readonly List<string> calls = new List<string>();

        public string? FailCreate { get; set; }

        public string? FailStart { get; set; }

        public long PrepareExitCode { get; set; }

        public TimeSpan PrepareDelay { get; set; } = TimeSpan.FromMilliseconds(20);

        public Dictionary<string, ContainerSpec> Containers { get; } = new Dictionary<string, ContainerSpec>();

        /// <summary>Every create request in order, kept after a rollback removes the container.</summary>
        public List<ContainerSpec> CreateRequests { get; } = new List<ContainerSpec>();

        public HashSet<string> Networks { get; } = new HashSet<string>();

        public Dictionary<string, Dictionary<string, string>> Volumes { get; } = new Dictionary<string, Dictionary<string, string>>();

        public List<string> Calls
        {
            get
            {
                lock (calls)
                {
                    return calls.ToList();
                }
            }
        }

        public override Task<bool> ImageExistsAsync(string nameOrId, CancellationToken cancellationToken) => Task.FromResult(true);

        public override Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken)
        {
            lock (calls)
            {
                return Task.FromResult(Containers.ContainsKey(nameOrId) ? new ContainerDetails { Name = nameOrId } : null);
            }
        }

        public override Task<IList<ContainerSummary>> ListContainersAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) =>
            Task.FromResult<IList<ContainerSummary>>(new List<ContainerSummary>());

        public override async Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
        {
            await Task.Yield();
            if (spec.Name == FailCreate)
            {
                Record("create-failed " + spec.Name);
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "CreateFailed", $"Cannot create {spec.Name}.", spec.Name);
            }

            Record("create " + spec.Name, () =>
            {
                Containers[spec.Name] = spec;
                CreateRequests.Add(spec);
            });
            return spec.Name;
        }

        public override async Task StartContainerAsync(string nameOrId, CancellationToken cancellationToken)
        {
            await Task.Yield();
            Record("start " + nameOrId);
            if (nameOrId == FailStart)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "StartFailed", $"Cannot start {nameOrId}.", nameOrId);
            }
        }

        public override async Task<long> WaitContainerAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken)
        {
            await Task.Delay(PrepareDelay, cancellationToken).ConfigureAwait(false);
            Record("waited " + nameOrId);
            return PrepareExitCode;
        }

        public override async Task<bool> RemoveContainerAsync(string nameOrId, bool force, bool removeAnonymousVolumes, CancellationToken cancellationToken)
        {
            // The prepare container goes slowly, so a rollback that did not wait for it would meet its volumes in use.
            await Task.Delay(nameOrId.Contains("-prepare-") ? 300 : 10).ConfigureAwait(false);
            bool removed = false;
            Record("remove-container " + nameOrId, () => removed = Containers.Remove(nameOrId));
            return removed;
        }

        public override Task<string> GetContainerLogsAsync(string nameOrId, int tailLines, CancellationToken cancellationToken) => Task.FromResult("chown: permission denied");

        public override Task<NetworkDetails?> InspectNetworkAsync(string nameOrId, CancellationToken cancellationToken) => Task.FromResult<NetworkDetails?>(null);

        public override async Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken)
        {
            await Task.Yield();
            Record("create-network " + spec.Name, () => Networks.Add(spec.Name));
            return spec.Name;
        }

        public override Task<bool> RemoveNetworkAsync(string nameOrId, CancellationToken cancellationToken)
        {
            bool removed = false;
            Record("remove-network " + nameOrId, () => removed = Networks.Remove(nameOrId));
            return Task.FromResult(removed);
        }

        public override Task<VolumeDetails?> InspectVolumeAsync(string name, CancellationToken cancellationToken)
        {
            lock (calls)
            {
                return Task.FromResult(Volumes.TryGetValue(name, out Dictionary<string, string>? labels) ? new VolumeDetails { Name = name, Labels = labels } : null);
            }
        }

        public override async Task<VolumeDetails> CreateVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken)
        {
            await Task.Yield();
            Record("create-volume " + spec.Name, () => Volumes[spec.Name] = new Dictionary<string, string>(spec.Labels));
            return new VolumeDetails { Name = spec.Name };
        }

        public override Task<bool> RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken)
        {
            bool removed = false;
            Record("remove-volume " + name, () =>
            {
                // Like the engine: a volume that a container still mounts cannot be removed.
                if (Containers.Values.Any(c => c.Mounts.Any(m => m.Source == name)))
                {
                    throw new InvalidOperationException($"volume {name} is in use");
                }

                removed = Volumes.Remove(name);
            });
            return Task.FromResult(removed);
        }

        private void Record(string call, Action? change = null)
        {
            lock (calls)
            {
                change?.Invoke();
                calls.Add(call);
            }
        }
    }
}
