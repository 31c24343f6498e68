using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Docker.DotNet.Models;

using IrisOps.Core.Iris;

namespace IrisOps.Core.Docker
{
    /// <summary>Docker.DotNet response models (inspect and list answers) to the IrisOps.Core.Docker models.</summary>
    internal static class DockerResponseMapping
    {
        internal static ContainerSummary MapContainerSummary(ContainerListResponse container) => new ContainerSummary
        {
            Id = container.ID,
            Name = (container.Names?.FirstOrDefault() ?? string.Empty).TrimStart('/'),
            Image = container.Image ?? string.Empty,
            State = container.State ?? string.Empty,
            Status = container.Status ?? string.Empty,
            Created = container.Created,
            Labels = Copy(container.Labels),
        };

        internal static ContainerDetails MapContainer(ContainerInspectResponse response)
        {
            ContainerConfig config = response.Config ?? new ContainerConfig();
            HostConfig host = response.HostConfig ?? new HostConfig();
            string shortId = response.ID != null && response.ID.Length >= 12 ? response.ID.Substring(0, 12) : response.ID ?? string.Empty;

            var spec = new ContainerSpec
            {
                Name = (response.Name ?? string.Empty).TrimStart('/'),
                Image = config.Image ?? string.Empty,
                HostName = config.Hostname,
                DomainName = string.IsNullOrEmpty(config.Domainname) ? null : config.Domainname,
                User = string.IsNullOrEmpty(config.User) ? null : config.User,
                WorkingDirectory = string.IsNullOrEmpty(config.WorkingDir) ? null : config.WorkingDir,
                Entrypoint = config.Entrypoint?.ToList(),
                Command = config.Cmd?.ToList(),
                Environment = EnvironmentVariables.Parse(config.Env, bareNamesAsEmpty: true),
                Labels = Copy(config.Labels),
                StopSignal = string.IsNullOrEmpty(config.StopSignal) ? null : config.StopSignal,
                StopTimeout = config.StopTimeout,
                Init = host.Init,
                RestartPolicy = RestartName(host.RestartPolicy),
                RestartMaximumRetryCount = (int)(host.RestartPolicy?.MaximumRetryCount ?? 0),
                ExtraHosts = host.ExtraHosts?.ToList() ?? new List<string>(),
                HealthCheck = MapHealthCheck(config.Healthcheck),
                MemoryBytes = host.Memory > 0 ? host.Memory : (long?)null,
                NanoCpus = host.NanoCPUs > 0 ? host.NanoCPUs : (long?)null,
            };

            foreach (MountPoint mount in response.Mounts ?? new List<MountPoint>())
            {
                MountKind kind = mount.Type == "volume" ? MountKind.Volume : mount.Type == "tmpfs" ? MountKind.Tmpfs : MountKind.Bind;
                spec.Mounts.Add(new MountSpec
                {
                    Kind = kind,
                    Source = kind == MountKind.Volume ? mount.Name ?? string.Empty : mount.Source ?? string.Empty,
                    Target = mount.Destination ?? string.Empty,
                    ReadOnly = !mount.RW,
                });
            }

            if (host.PortBindings != null)
            {
                foreach (KeyValuePair<string, IList<PortBinding>> binding in host.PortBindings)
                {
                    foreach (PortBinding port in binding.Value ?? new List<PortBinding>())
                    {
                        spec.Ports.Add(ParsePort(binding.Key, port));
                    }
                }
            }

            var details = new ContainerDetails
            {
                Id = response.ID ?? string.Empty,
                Name = spec.Name,
                ImageId = response.Image ?? string.Empty,
                Created = response.Created,
                RestartCount = response.RestartCount,
                Spec = spec,
                State = MapState(response.State),
            };

            if (response.NetworkSettings?.Networks != null)
            {
                foreach (KeyValuePair<string, EndpointSettings> network in response.NetworkSettings.Networks)
                {
                    EndpointSettings endpoint = network.Value ?? new EndpointSettings();
                    spec.Networks.Add(new NetworkAttachmentSpec
                    {
                        Network = network.Key,
                        // The engine adds the short container id as an alias; it is not part of the configuration.
                        Aliases = (endpoint.Aliases ?? new List<string>()).Where(a => a != shortId && a != response.ID).ToList(),
                        IPv4Address = string.IsNullOrEmpty(endpoint.IPAMConfig?.IPv4Address) ? null : endpoint.IPAMConfig!.IPv4Address,
                    });
                    if (!string.IsNullOrEmpty(endpoint.IPAddress))
                    {
                        details.IPAddresses[network.Key] = endpoint.IPAddress;
                    }
                }
            }

            if (response.NetworkSettings?.Ports != null)
            {
                foreach (KeyValuePair<string, IList<PortBinding>> binding in response.NetworkSettings.Ports)
                {
                    foreach (PortBinding port in binding.Value ?? new List<PortBinding>())
                    {
                        details.PublishedPorts.Add(ParsePort(binding.Key, port));
                    }
                }
            }

            return details;
        }

        private static ContainerStateInfo MapState(State? state)
        {
            if (state == null)
            {
                return new ContainerStateInfo();
            }

            return new ContainerStateInfo
            {
                Status = state.Status ?? string.Empty,
                Running = state.Running,
                Restarting = state.Restarting,
                OomKilled = state.OOMKilled,
                ExitCode = state.ExitCode,
                Error = string.IsNullOrEmpty(state.Error) ? null : state.Error,
                StartedAt = ParseTime(state.StartedAt),
                FinishedAt = ParseTime(state.FinishedAt),
                Health = string.IsNullOrEmpty(state.Health?.Status) ? "none" : state.Health!.Status,
                FailingStreak = state.Health?.FailingStreak ?? 0,
                HealthLog = (state.Health?.Log ?? new List<HealthcheckResult>()).Select(l => new ContainerHealthLogEntry
                {
                    Start = l.Start,
                    End = l.End,
                    ExitCode = l.ExitCode,
                    Output = l.Output ?? string.Empty,
                }).ToList(),
            };
        }

        private static HealthCheckSpec? MapHealthCheck(HealthcheckConfig? health)
        {
            if (health == null || health.Test == null || health.Test.Count == 0)
            {
                return null;
            }

            return new HealthCheckSpec
            {
                Test = health.Test.ToList(),
                Interval = health.Interval,
                Timeout = health.Timeout,
                StartPeriod = health.StartPeriod,
                Retries = health.Retries.HasValue ? (int?)health.Retries.Value : null,
            };
        }

        internal static NetworkDetails MapNetwork(NetworkResponse network)
        {
            var details = new NetworkDetails
            {
                Id = network.ID ?? string.Empty,
                Name = network.Name ?? string.Empty,
                Driver = network.Driver ?? string.Empty,
                Internal = network.Internal,
                Labels = Copy(network.Labels),
            };
            foreach (IPAMConfig config in network.IPAM?.Config ?? new List<IPAMConfig>())
            {
                if (!string.IsNullOrEmpty(config.Subnet))
                {
                    details.Subnets.Add(config.Subnet);
                }

                if (!string.IsNullOrEmpty(config.Gateway))
                {
                    details.Gateways.Add(config.Gateway);
                }
            }

            if (network.Containers != null)
            {
                foreach (KeyValuePair<string, EndpointResource> container in network.Containers)
                {
                    details.Containers[container.Key] = container.Value?.Name ?? string.Empty;
                }
            }

            return details;
        }

        internal static VolumeDetails MapVolume(VolumeResponse volume) => new VolumeDetails
        {
            Name = volume.Name ?? string.Empty,
            Driver = volume.Driver ?? string.Empty,
            Mountpoint = volume.Mountpoint ?? string.Empty,
            CreatedAt = volume.CreatedAt,
            Labels = Copy(volume.Labels),
        };

        internal static ImageDetails MapImage(ImageInspectResponse image)
        {
            DockerOCIImageConfig config = image.Config ?? new DockerOCIImageConfig();
            return new ImageDetails
            {
                Id = image.ID ?? string.Empty,
                RepoTags = image.RepoTags?.ToList() ?? new List<string>(),
                Created = image.Created,
                User = string.IsNullOrEmpty(config.User) ? null : config.User,
                Entrypoint = config.Entrypoint?.ToList() ?? new List<string>(),
                Command = config.Cmd?.ToList() ?? new List<string>(),
                Environment = config.Env?.ToList() ?? new List<string>(),
                Labels = Copy(config.Labels),
                HealthCheck = MapHealthCheck(config.Healthcheck),
                ExposedPorts = config.ExposedPorts?.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList() ?? new List<string>(),
                Size = image.Size,
            };
        }

        private static PortBindingSpec ParsePort(string key, PortBinding binding)
        {
            string[] parts = key.Split('/');
            int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int containerPort);
            int.TryParse(binding.HostPort, NumberStyles.Integer, CultureInfo.InvariantCulture, out int hostPort);
            return new PortBindingSpec
            {
                ContainerPort = containerPort,
                Protocol = parts.Length > 1 ? parts[1] : "tcp",
                HostIp = string.IsNullOrEmpty(binding.HostIP) ? null : binding.HostIP,
                HostPort = hostPort,
            };
        }

        private static IDictionary<string, string> Copy(IDictionary<string, string>? source) =>
            source == null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(source, StringComparer.Ordinal);

        private static DateTime? ParseTime(string? text)
        {
            if (string.IsNullOrEmpty(text) || text!.StartsWith("0001-01-01", StringComparison.Ordinal))
            {
                return null;
            }

            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime parsed)
                ? parsed
                : (DateTime?)null;
        }

        private static string? RestartName(RestartPolicy? policy)
        {
            if (policy == null)
            {
                return null;
            }

            switch (policy.Name)
            {
                case RestartPolicyKind.No:
                    return "no";
                case RestartPolicyKind.Always:
                    return "always";
                case RestartPolicyKind.OnFailure:
                    return "on-failure";
                case RestartPolicyKind.UnlessStopped:
                    return "unless-stopped";
                default:
                    return null;
            }
        }
    }
}
