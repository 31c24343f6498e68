using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Docker.DotNet.Models;
using IrisOps.Core.Errors;

// Docker.DotNet's request models declare their properties non-nullable, yet the Engine API reads an absent (null)
// property as "not set, use the default": assigning null there is intended.
#pragma warning disable CS8601

namespace IrisOps.Core.Docker
{
    /// <summary>IrisOps.Core.Docker models to the Docker.DotNet request models the Engine API takes.</summary>
    internal static class DockerRequestMapping
    {
        internal static IDictionary<string, IDictionary<string, bool>>? LabelFilters(IDictionary<string, string?>? labels)
        {
            if (labels == null || labels.Count == 0)
            {
                return null;
            }

            var values = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, string?> label in labels)
            {
                values[label.Value == null ? label.Key : label.Key + "=" + label.Value] = true;
            }

            return new Dictionary<string, IDictionary<string, bool>> { ["label"] = values };
        }

        internal static CreateContainerParameters ToCreateParameters(ContainerSpec spec)
        {
            var exposed = new Dictionary<string, EmptyStruct>(StringComparer.Ordinal);
            var bindings = new Dictionary<string, IList<PortBinding>>(StringComparer.Ordinal);
            foreach (PortBindingSpec port in spec.Ports)
            {
                string key = port.ContainerPort.ToString(CultureInfo.InvariantCulture) + "/" + (string.IsNullOrEmpty(port.Protocol) ? "tcp" : port.Protocol);
                exposed[key] = default;
                if (!bindings.TryGetValue(key, out IList<PortBinding>? list))
                {
                    list = new List<PortBinding>();
                    bindings[key] = list;
                }

                list.Add(new PortBinding
                {
                    HostIP = string.IsNullOrEmpty(port.HostIp) ? string.Empty : port.HostIp,
                    HostPort = port.HostPort > 0 ? port.HostPort.ToString(CultureInfo.InvariantCulture) : string.Empty,
                });
            }

            var host = new HostConfig
            {
                Mounts = spec.Mounts.Select(m => new Mount
                {
                    Type = m.Kind == MountKind.Bind ? "bind" : m.Kind == MountKind.Volume ? "volume" : "tmpfs",
                    Source = m.Kind == MountKind.Tmpfs ? null : m.Source,
                    Target = m.Target,
                    ReadOnly = m.ReadOnly,
                }).ToList(),
                PortBindings = bindings.Count == 0 ? null : bindings,
                Init = spec.Init,
                ExtraHosts = spec.ExtraHosts.Count == 0 ? null : spec.ExtraHosts.ToList(),
                Memory = spec.MemoryBytes ?? 0,
                NanoCPUs = spec.NanoCpus ?? 0,
                RestartPolicy = string.IsNullOrEmpty(spec.RestartPolicy) ? null : new RestartPolicy
                {
                    Name = RestartKind(spec.RestartPolicy!),
                    MaximumRetryCount = spec.RestartMaximumRetryCount,
                },
            };

            var parameters = new CreateContainerParameters
            {
                Name = string.IsNullOrEmpty(spec.Name) ? null : spec.Name,
                Image = spec.Image,
                Hostname = spec.HostName,
                Domainname = spec.DomainName,
                User = spec.User,
                WorkingDir = spec.WorkingDirectory,
                Entrypoint = spec.Entrypoint?.ToList(),
                Cmd = spec.Command?.ToList(),
                Env = spec.Environment.Count == 0 ? null : spec.Environment.Select(pair => pair.Key + "=" + pair.Value).ToList(),
                Labels = spec.Labels.Count == 0 ? null : new Dictionary<string, string>(spec.Labels),
                ExposedPorts = exposed.Count == 0 ? null : exposed,
                StopSignal = spec.StopSignal,
                StopTimeout = spec.StopTimeout,
                Healthcheck = spec.HealthCheck == null ? null : new HealthcheckConfig
                {
                    Test = spec.HealthCheck.Test.ToList(),
                    Interval = spec.HealthCheck.Interval,
                    Timeout = spec.HealthCheck.Timeout,
                    StartPeriod = spec.HealthCheck.StartPeriod,
                    Retries = spec.HealthCheck.Retries,
                },
                HostConfig = host,
            };

            if (spec.Networks.Count > 0)
            {
                NetworkAttachmentSpec first = spec.Networks[0];
                host.NetworkMode = first.Network;
                parameters.NetworkingConfig = new NetworkingConfig
                {
                    EndpointsConfig = new Dictionary<string, EndpointSettings> { [first.Network] = ToEndpointSettings(first) },
                };
            }

            return parameters;
        }

        internal static EndpointSettings ToEndpointSettings(NetworkAttachmentSpec network) => new EndpointSettings
        {
            Aliases = network.Aliases.Count == 0 ? null : network.Aliases.ToList(),
            IPAMConfig = string.IsNullOrEmpty(network.IPv4Address) ? null : new EndpointIPAMConfig { IPv4Address = network.IPv4Address },
        };

        internal static RestartPolicyKind RestartKind(string name)
        {
            switch (name.Trim().ToLowerInvariant())
            {
                case "no":
                    return RestartPolicyKind.No;
                case "always":
                    return RestartPolicyKind.Always;
                case "on-failure":
                    return RestartPolicyKind.OnFailure;
                case "unless-stopped":
                    return RestartPolicyKind.UnlessStopped;
                default:
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, "RestartPolicyInvalid",
                        $"The restart policy '{name}' is not one of no, always, on-failure, unless-stopped.", name);
            }
        }
    }
}
