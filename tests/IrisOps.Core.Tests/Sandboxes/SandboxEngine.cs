using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Tests.Docker;

namespace IrisOps.Tests.Sandboxes
{
    /// <summary>
    /// An in-memory engine for sandbox tests: containers, networks and volumes with labels, label filters as the
    /// engine applies them (exact key=value, or key present), a started container is healthy at once (or never,
    /// for <see cref="UnhealthyImage"/>), and every change is recorded in order.
    /// </summary>
    internal sealed class SandboxEngine : UnsupportedDockerEngine
    {
        public const string UnhealthyImage = "broken:1";

        private readonly object gate = new object();
        private readonly List<string> calls = new List<string>();

        public Dictionary<string, (ContainerSpec Spec, ContainerStateInfo State)> Containers { get; } = new Dictionary<string, (ContainerSpec, ContainerStateInfo)>();

        public Dictionary<string, IDictionary<string, string>> Networks { get; } = new Dictionary<string, IDictionary<string, string>>();

        public Dictionary<string, string> NetworkSubnets { get; } = new Dictionary<string, string>();

        public Dictionary<string, IDictionary<string, string>> Volumes { get; } = new Dictionary<string, IDictionary<string, string>>();

        public HashSet<string> Images { get; } = new HashSet<string> { "iris:1", UnhealthyImage };

        /// <summary>The exit code of every prepare (one-shot) container.</summary>
        public long PrepareExitCode { get; set; }

        public List<string> Calls
        {
            get
            {
                lock (gate)
                {
                    return calls.ToList();
                }
            }
        }

        public override Task<bool> ImageExistsAsync(string nameOrId, CancellationToken cancellationToken) => Task.FromResult(Images.Contains(nameOrId));

        public override Task<ImageDetails?> InspectImageAsync(string nameOrId, CancellationToken cancellationToken) =>
            Task.FromResult(Images.Contains(nameOrId) ? new ImageDetails { Id = nameOrId, RepoTags = new List<string> { nameOrId } } : null);

        public override Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken)
        {
            lock (gate)
            {
                if (!Containers.TryGetValue(nameOrId, out var container))
                {
                    return Task.FromResult<ContainerDetails?>(null);
                }

                var details = new ContainerDetails { Id = nameOrId, Name = nameOrId, Spec = container.Spec, State = container.State };
                if (container.State.Running)
                {
                    int next = 40000;
                    foreach (PortBindingSpec port in container.Spec.Ports)
                    {
                        details.PublishedPorts.Add(new PortBindingSpec { ContainerPort = port.ContainerPort, HostIp = port.HostIp, HostPort = next++ });
                    }
                }

                return Task.FromResult<ContainerDetails?>(details);
            }
        }

        public override Task<IList<ContainerSummary>> ListContainersAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken)
        {
            lock (gate)
            {
                IList<ContainerSummary> list = Containers
                    .Where(c => Matches(c.Value.Spec.Labels, labels))
                    .Select(c => new ContainerSummary { Id = c.Key, Name = c.Key, Image = c.Value.Spec.Image, State = c.Value.State.Status, Labels = c.Value.Spec.Labels })
                    .ToList();
                return Task.FromResult(list);
            }
        }

        public override Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
        {
            Change("create " + spec.Name, () =>
            {
                if (Containers.ContainsKey(spec.Name))
                {
                    throw new IrisOpsException(IrisErrorKind.ResourceExists, "ContainerNameInUse", $"{spec.Name} exists", spec.Name);
                }

                Containers[spec.Name] = (spec, new ContainerStateInfo { Status = "created" });
            });
            return Task.FromResult(spec.Name);
        }

        public override Task StartContainerAsync(string nameOrId, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Change("start " + nameOrId, () =>
            {
                ContainerStateInfo state = Containers[nameOrId].State;
                state.Status = "running";
                state.Running = true;
                state.Health = Containers[nameOrId].Spec.Image == UnhealthyImage ? "unhealthy" : "healthy";
            });
            return Task.CompletedTask;
        }

        public override Task<bool> StopContainerAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken)
        {
            bool wasRunning = false;
            Change("stop " + nameOrId, () =>
            {
                ContainerStateInfo state = Containers[nameOrId].State;
                wasRunning = state.Running;
                state.Status = "exited";
                state.Running = false;
            });
            return Task.FromResult(wasRunning);
        }

        public override Task<long> WaitContainerAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Change("waited " + nameOrId);
            return Task.FromResult(PrepareExitCode);
        }

        public override Task RenameContainerAsync(string nameOrId, string newName, CancellationToken cancellationToken)
        {
            Change($"rename {nameOrId} {newName}", () =>
            {
                var container = Containers[nameOrId];
                Containers.Remove(nameOrId);
                container.Spec.Name = newName;
                Containers[newName] = container;
            });
            return Task.CompletedTask;
        }

        public override Task<bool> RemoveContainerAsync(string nameOrId, bool force, bool removeAnonymousVolumes, CancellationToken cancellationToken)
        {
            bool removed = false;
            Change("remove-container " + nameOrId, () => removed = Containers.Remove(nameOrId));
            return Task.FromResult(removed);
        }

        public override Task<string> GetContainerLogsAsync(string nameOrId, int tailLines, CancellationToken cancellationToken) => Task.FromResult("log line");

        public override Task<NetworkDetails?> InspectNetworkAsync(string nameOrId, CancellationToken cancellationToken)
        {
            lock (gate)
            {
                return Task.FromResult(Networks.TryGetValue(nameOrId, out var labels) ? new NetworkDetails { Name = nameOrId, Labels = labels } : null);
            }
        }

        public override Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken)
        {
            Change("create-network " + spec.Name, () =>
            {
                Networks.Add(spec.Name, spec.Labels);
                if (spec.Subnet != null)
                {
                    NetworkSubnets[spec.Name] = spec.Subnet;
                }
            });
            return Task.FromResult(spec.Name);
        }

        public override Task<IList<NetworkDetails>> ListNetworksAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken)
        {
            lock (gate)
            {
                IList<NetworkDetails> list = Networks.Where(n => Matches(n.Value, labels))
                    .Select(n => new NetworkDetails { Name = n.Key, Labels = n.Value, Subnets = NetworkSubnets.TryGetValue(n.Key, out string? subnet) ? new List<string> { subnet } : new List<string>() })
                    .ToList();
                return Task.FromResult(list);
            }
        }

        public override Task<bool> RemoveNetworkAsync(string nameOrId, CancellationToken cancellationToken)
        {
            bool removed = false;
            Change("remove-network " + nameOrId, () => removed = Networks.Remove(nameOrId) && (NetworkSubnets.Remove(nameOrId) || true));
            return Task.FromResult(removed);
        }

        public override Task<VolumeDetails?> InspectVolumeAsync(string name, CancellationToken cancellationToken)
        {
            lock (gate)
            {
                return Task.FromResult(Volumes.TryGetValue(name, out var labels) ? new VolumeDetails { Name = name, Labels = labels } : null);
            }
        }

        public override Task<IList<VolumeDetails>> ListVolumesAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken)
        {
            lock (gate)
            {
                IList<VolumeDetails> list = Volumes.Where(v => Matches(v.Value, labels)).Select(v => new VolumeDetails { Name = v.Key, Labels = v.Value }).ToList();
                return Task.FromResult(list);
            }
        }

        public override Task<VolumeDetails> CreateVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken)
        {
            Change("create-volume " + spec.Name, () => Volumes.Add(spec.Name, new Dictionary<string, string>(spec.Labels)));
            return Task.FromResult(new VolumeDetails { Name = spec.Name, Labels = spec.Labels });
        }

        public override Task<bool> RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken)
        {
            bool removed = false;
            Change("remove-volume " + name, () =>
            {
                if (Containers.Values.Any(c => c.Spec.Mounts.Any(m => m.Source == name)))
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "VolumeInUse", $"volume {name} is in use", name);
                }

                removed = Volumes.Remove(name);
            });
            return Task.FromResult(removed);
        }

        private static bool Matches(IDictionary<string, string> have, IDictionary<string, string?> wanted) =>
            wanted.All(w => have.TryGetValue(w.Key, out string? value) && (w.Value == null || w.Value == value));

        private void Change(string call, Action? change = null)
        {
            lock (gate)
            {
                change?.Invoke();
                calls.Add(call);
            }
        }
    }
}
