using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Docker;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// Builds the new container's specification from the old container's inspect. Docker reports the effective
    /// configuration, which mixes what was set on the container with what it inherited from its image; whatever
    /// equals the OLD image's default is left out, so the NEW image's defaults apply (its environment, entrypoint,
    /// command and health check), while everything set on the container itself is kept exactly.
    /// </summary>
    public static class ContainerRecreation
    {
        public const string UpgradeMergeTarget = UpgradeMergeFile.DefaultTarget;

        /// <summary>
        /// The new container's specification. With <paramref name="mergeFileHostPath"/> (the one composed merge file,
        /// see <see cref="UpgradeMergeFile"/>) the file is mounted read-only and ISC_CPF_MERGE_FILE names it alone.
        /// The old container itself is never changed, so a rollback gets it back exactly as it was.
        /// </summary>
        public static ContainerSpec NewSpec(ContainerDetails old, ImageDetails? oldImage, string newImage, string? mergeFileHostPath = null)
        {
            ContainerSpec source = old.Spec;
            IDictionary<string, string> imageEnvironment = EnvironmentVariables.Parse(oldImage?.Environment);

            var spec = new ContainerSpec
            {
                Name = source.Name,
                Image = newImage,
                // The host name is kept even when Docker generated it (the old container's id): the instance records
                // the node it started on in mgr/iris.ids (System Administration Guide, "iris.ids File") and warns when
                // the host name differs from the one stored at its last start (Running InterSystems Products in
                // Containers, SYS.Container methods); an upgraded container must keep "the same network location"
                // (same guide, "Upgrading InterSystems IRIS Containers").
                HostName = string.IsNullOrEmpty(source.HostName) ? null : source.HostName,
                DomainName = source.DomainName,
                User = oldImage != null && string.Equals(source.User, oldImage.User ?? string.Empty, StringComparison.Ordinal) ? null : source.User,
                WorkingDirectory = source.WorkingDirectory,
                Entrypoint = oldImage != null && SameList(source.Entrypoint, oldImage.Entrypoint) ? null : Copy(source.Entrypoint),
                Command = oldImage != null && SameList(source.Command, oldImage.Command) && SameList(source.Entrypoint, oldImage.Entrypoint) ? null : Copy(source.Command),
                Environment = source.Environment
                    .Where(pair => !(imageEnvironment.TryGetValue(pair.Key, out string? value) && value == pair.Value))
                    .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal),
                Labels = source.Labels
                    .Where(pair => !(oldImage != null && oldImage.Labels.TryGetValue(pair.Key, out string? value) && value == pair.Value))
                    .ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal),
                Mounts = source.Mounts.Select(m => new MountSpec { Kind = m.Kind, Source = m.Source, Target = m.Target, ReadOnly = m.ReadOnly }).ToList(),
                Networks = source.Networks.Select(n => new NetworkAttachmentSpec
                {
                    Network = n.Network,
                    Aliases = n.Aliases.Where(a => a != old.Name).ToList(),
                    IPv4Address = n.IPv4Address,
                }).ToList(),
                Ports = source.Ports.Select(p => new PortBindingSpec { ContainerPort = p.ContainerPort, Protocol = p.Protocol, HostIp = p.HostIp, HostPort = p.HostPort }).ToList(),
                HealthCheck = oldImage != null && SameHealthCheck(source.HealthCheck, oldImage.HealthCheck) ? null : source.HealthCheck,
                RestartPolicy = source.RestartPolicy,
                RestartMaximumRetryCount = source.RestartMaximumRetryCount,
                StopTimeout = source.StopTimeout,
                StopSignal = source.StopSignal,
                Init = source.Init,
                ExtraHosts = source.ExtraHosts.ToList(),
                MemoryBytes = source.MemoryBytes,
                NanoCpus = source.NanoCpus,
            };

            // Aliases on the engine's default bridge are not allowed; the inspect never reports any there.
            foreach (NetworkAttachmentSpec network in spec.Networks.Where(n => n.Network == "bridge"))
            {
                network.Aliases.Clear();
            }

            if (mergeFileHostPath != null)
            {
                UpgradeMergeFile.Apply(spec, source, mergeFileHostPath);
            }

            return spec;
        }

        /// <summary>Describes what differs between two specifications, for tests and -Verbose.</summary>
        public static IReadOnlyList<string> Differences(ContainerSpec a, ContainerSpec b)
        {
            var differences = new List<string>();
            if (a.Image != b.Image) differences.Add($"image {a.Image} -> {b.Image}");
            foreach (string key in a.Environment.Keys.Union(b.Environment.Keys).OrderBy(k => k, StringComparer.Ordinal))
            {
                a.Environment.TryGetValue(key, out string? left);
                b.Environment.TryGetValue(key, out string? right);
                if (left != right) differences.Add($"env {key}");
            }

            foreach (string key in a.Labels.Keys.Union(b.Labels.Keys).OrderBy(k => k, StringComparer.Ordinal))
            {
                a.Labels.TryGetValue(key, out string? left);
                b.Labels.TryGetValue(key, out string? right);
                if (left != right) differences.Add($"label {key}");
            }

            if (!SameList(a.Mounts.Select(m => m.ToString()).OrderBy(s => s, StringComparer.Ordinal).ToList(), b.Mounts.Select(m => m.ToString()).OrderBy(s => s, StringComparer.Ordinal).ToList())) differences.Add("mounts");
            if (!SameList(a.Ports.Select(p => p.ToString()).OrderBy(s => s, StringComparer.Ordinal).ToList(), b.Ports.Select(p => p.ToString()).OrderBy(s => s, StringComparer.Ordinal).ToList())) differences.Add("ports");
            string Net(ContainerSpec s) => string.Join(";", s.Networks.OrderBy(n => n.Network, StringComparer.Ordinal).Select(n => n.Network + "|" + n.IPv4Address + "|" + string.Join(",", n.Aliases.OrderBy(x => x, StringComparer.Ordinal))));
            if (Net(a) != Net(b)) differences.Add("networks");
            if (a.RestartPolicy != b.RestartPolicy) differences.Add("restart policy");
            if (a.StopTimeout != b.StopTimeout) differences.Add("stop timeout");
            if (!SameList(a.Command, b.Command)) differences.Add("command");
            if (!SameList(a.Entrypoint, b.Entrypoint)) differences.Add("entrypoint");
            if (!SameHealthCheck(a.HealthCheck, b.HealthCheck)) differences.Add("health check");
            return differences;
        }

        private static List<string>? Copy(IList<string>? list) => list?.ToList();

        private static bool SameList(IList<string>? a, IList<string>? b)
        {
            IList<string> left = a ?? new List<string>();
            IList<string> right = b ?? new List<string>();
            return left.SequenceEqual(right, StringComparer.Ordinal);
        }

        private static bool SameHealthCheck(HealthCheckSpec? a, HealthCheckSpec? b)
        {
            if (a == null || b == null)
            {
                return a == null && b == null;
            }

            return SameList(a.Test, b.Test) && a.Interval == b.Interval && a.Timeout == b.Timeout && a.StartPeriod == b.StartPeriod && a.Retries == b.Retries;
        }
    }
}
