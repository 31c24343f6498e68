using System;
using System.Collections.Generic;
using System.Linq;
using Docker.DotNet.Models;

#pragma warning disable CS8601

namespace IrisOps.Core.Docker
{
    /// <summary>IrisOps' Swarm models to and from Docker.DotNet's.</summary>
    internal static class DockerSwarmMapping
    {
        public static ServiceSpec ToServiceSpec(SwarmServiceSpec spec) => new ServiceSpec
        {
            Name = spec.Name,
            Labels = new Dictionary<string, string>(spec.Labels),
            Mode = spec.Job
                ? new ServiceMode { ReplicatedJob = new ReplicatedJob { MaxConcurrent = 1, TotalCompletions = 1 } }
                : new ServiceMode { Replicated = new ReplicatedService { Replicas = 1 } },
            // Two tasks must never run on one durable %SYS: stop-first. A failed update pauses for a restore.
            UpdateConfig = spec.Job ? null : new SwarmUpdateConfig { Parallelism = 1, Order = "stop-first", FailureAction = "pause" },
            EndpointSpec = new EndpointSpec
            {
                Mode = "dnsrr",
                Ports = spec.HostModePorts.Count == 0 ? null : spec.HostModePorts.Select(p => new PortConfig
                {
                    Protocol = "tcp",
                    TargetPort = (uint)p.Key,
                    PublishedPort = (uint)p.Value,
                    PublishMode = "host",
                }).ToList(),
            },
            TaskTemplate = new TaskSpec
            {
                // A job runs once: a failed one is reported, never retried.
                RestartPolicy = new SwarmRestartPolicy { Condition = spec.Job ? "none" : "any" },
                Networks = string.IsNullOrEmpty(spec.Network) ? null : new List<NetworkAttachmentConfig> { new NetworkAttachmentConfig { Target = spec.Network, Aliases = spec.Aliases.ToList() } },
                ContainerSpec = new global::Docker.DotNet.Models.ContainerSpec
                {
                    Image = spec.Image,
                    Hostname = string.IsNullOrEmpty(spec.HostName) ? null : spec.HostName,
                    User = spec.User,
                    Command = spec.Entrypoint.Count == 0 ? null : spec.Entrypoint.ToList(),
                    Healthcheck = spec.Job ? new HealthcheckConfig { Test = new List<string> { "NONE" } } : null,
                    Labels = new Dictionary<string, string>(spec.Labels),
                    Env = spec.Environment.ToList(),
                    Args = spec.Args.Count == 0 ? null : spec.Args.ToList(),
                    Init = spec.Init,
                    StopGracePeriod = spec.StopGracePeriod,
                    Mounts = spec.Mounts.Select(m => new Mount
                    {
                        Type = m.Kind == MountKind.Volume ? "volume" : "bind",
                        Source = m.Source,
                        Target = m.Target,
                        ReadOnly = m.ReadOnly,
                        VolumeOptions = m.Kind == MountKind.Volume && spec.VolumeLabels.TryGetValue(m.Source, out IDictionary<string, string>? labels)
                            ? new VolumeOptions { Labels = new Dictionary<string, string>(labels) }
                            : null,
                    }).ToList(),
                    Secrets = spec.Secrets.Select(s => new SecretReference
                    {
                        SecretID = s.ObjectId,
                        SecretName = s.ObjectName,
                        File = new SecretReferenceFileTarget { Name = s.Target, UID = s.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), GID = s.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture), Mode = s.Mode },
                    }).ToList(),
                    Configs = spec.Configs.Select(c => new SwarmConfigReference
                    {
                        ConfigID = c.ObjectId,
                        ConfigName = c.ObjectName,
                        File = new ConfigReferenceFileTarget { Name = c.Target, UID = c.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture), GID = c.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture), Mode = c.Mode },
                    }).ToList(),
                },
            },
        };

        /// <summary>Changes the image and the replica count of a read service spec; everything else stays.</summary>
        public static void Apply(ServiceSpec spec, SwarmServiceChange change)
        {
            if (change.Image != null)
            {
                spec.TaskTemplate!.ContainerSpec!.Image = change.Image;
            }

            if (change.Replicas != null)
            {
                spec.Mode = new ServiceMode { Replicated = new ReplicatedService { Replicas = change.Replicas.Value } };
            }
        }

        public static SwarmTaskSummary MapTask(TaskResponse task) => new SwarmTaskSummary
        {
            Id = task.ID ?? string.Empty,
            ServiceId = task.ServiceID ?? string.Empty,
            State = task.Status?.State?.ToString().ToLowerInvariant() ?? string.Empty,
            DesiredState = task.DesiredState?.ToString().ToLowerInvariant() ?? string.Empty,
            Message = task.Status?.Message ?? string.Empty,
            Error = task.Status?.Err ?? string.Empty,
            ContainerId = string.IsNullOrEmpty(task.Status?.ContainerStatus?.ContainerID) ? null : task.Status!.ContainerStatus!.ContainerID,
            ExitCode = task.Status?.ContainerStatus == null || string.IsNullOrEmpty(task.Status.ContainerStatus.ContainerID) ? null : task.Status.ContainerStatus.ExitCode,
            NodeId = task.NodeID ?? string.Empty,
            CreatedAt = task.CreatedAt ?? DateTime.MinValue,
        };

        /// <summary>True when <paramref name="labels"/> has every label asked for (a null value: any value).</summary>
        public static bool Matches(IDictionary<string, string> labels, IDictionary<string, string?> asked) =>
            asked.All(a => labels.TryGetValue(a.Key, out string? value) && (a.Value == null || a.Value == value));
    }
}
