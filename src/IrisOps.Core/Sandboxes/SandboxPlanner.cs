using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Sandboxes
{
    /// <summary>Everything one sandbox consists of, decided before any engine call (so -WhatIf can name it all).</summary>
    public sealed class SandboxPlan
    {
        public string Name { get; internal set; } = string.Empty;

        public string Owner { get; internal set; } = string.Empty;

        public DateTime Expires { get; internal set; }

        public NetworkSpec Network { get; internal set; } = new NetworkSpec();

        /// <summary>Durable %SYS (Preserved) and the license copy; each created only when it does not exist yet.</summary>
        public IReadOnlyList<VolumeSpec> Volumes { get; internal set; } = Array.Empty<VolumeSpec>();

        public ContainerSpec Container { get; internal set; } = new ContainerSpec();

        /// <summary>The one-shot root container that gives durable storage and the license to the IRIS user; null when neither is needed.</summary>
        public ContainerSpec? Prepare { get; internal set; }

        /// <summary>One line per Docker object, for -WhatIf and -Verbose.</summary>
        public string Describe()
        {
            var parts = new List<string> { $"container {Name} ({Container.Image})", $"network {Network.Name}{(Network.Subnet == null ? string.Empty : " (" + Network.Subnet + ")")}" };
            parts.AddRange(Volumes.Select(v => $"volume {v.Name}"));
            string ports = string.Join(", ", Container.Ports.Select(p => $"{p.HostIp}:<any free port>->{p.ContainerPort}"));
            return $"Create sandbox {Name} for owner '{Owner}': {string.Join(", ", parts)}; ports {ports}; expires {SandboxLabels.FormatTime(Expires)}.";
        }
    }

    /// <summary>
    /// Plans a sandbox: the same container contract the ECP nodes use (<see cref="EcpMergeFiles"/> paths, durable
    /// %SYS through ISC_DATA_DIRECTORY, one merge file through ISC_CPF_MERGE_FILE, the license through --key;
    /// Running InterSystems Products in Containers), its own network, ports on one host address.
    /// </summary>
    public static class SandboxPlanner
    {
        /// <summary>
        /// The web server port published next to the superserver (<see cref="EcpMergeFiles.SuperserverPort"/>): 52773 on
        /// Community Edition instances (Deploy and Explore InterSystems IRIS Community, which notes that other
        /// deployments reach the Management Portal through their web server instead).
        /// </summary>
        public const int WebServerPort = 52773;

        public static SandboxPlan Plan(SandboxSpec spec, int index, DateTime utcNow, string? subnet = null)
        {
            string name = SandboxNames.Container(spec.Owner, index);
            DateTime created = Truncate(utcNow);
            DateTime expires = created + spec.Lifetime;
            Dictionary<string, string> owned = Owned(spec, name);

            var labels = new Dictionary<string, string>(owned, StringComparer.Ordinal)
            {
                [SandboxLabels.Created] = SandboxLabels.FormatTime(created),
                [SandboxLabels.Expires] = SandboxLabels.FormatTime(expires),
                [SandboxLabels.ExpiryLimit] = SandboxLabels.FormatTime(created + spec.MaxLifetime),
                [SandboxLabels.Lifetime] = SandboxLabels.FormatSpan(spec.Lifetime),
                [SandboxLabels.Template] = spec.TemplateName,
                [SandboxLabels.State] = spec.State.ToString(),
                [SandboxLabels.Relaunch] = spec.AllowRelaunch ? "true" : "false",
                [SandboxLabels.OnExpiry] = spec.OnExpiry.ToString(),
            };
            labels.Remove(SandboxLabels.Sandbox);

            var container = new ContainerSpec
            {
                Name = name,
                Image = spec.Image,
                HostName = name,
                Labels = labels,
                RestartPolicy = "unless-stopped",
                StopTimeout = TimeSpan.FromSeconds(IrisDefaults.StopTimeoutSeconds),
                Init = true,
                MemoryBytes = spec.MemoryBytes,
                NanoCpus = spec.Cpu.HasValue ? SandboxValues.NanoCpus(spec.Cpu.Value) : (long?)null,
            };
            container.Networks.Add(new NetworkAttachmentSpec { Network = SandboxNames.Network(name), Aliases = new List<string> { name } });
            container.Ports.Add(new PortBindingSpec { ContainerPort = EcpMergeFiles.SuperserverPort, HostIp = spec.PublishAddress, HostPort = spec.SuperserverHostPort });
            container.Ports.Add(new PortBindingSpec { ContainerPort = WebServerPort, HostIp = spec.PublishAddress, HostPort = spec.WebHostPort });

            var volumes = new List<VolumeSpec>();
            var prepareMounts = new List<MountSpec>();
            var chown = new List<string>();
            string? licenseCopy = null;
            if (spec.State == SandboxState.Preserved)
            {
                string data = SandboxNames.DataVolume(name);
                volumes.Add(new VolumeSpec { Name = data, Labels = With(owned, SandboxLabels.Volume, SandboxLabels.DataVolume) });
                container.Mounts.Add(new MountSpec { Kind = MountKind.Volume, Source = data, Target = EcpMergeFiles.DurableRoot });
                container.Environment[IrisContainer.DataDirectoryVariable] = EcpMergeFiles.DataDirectory;
                prepareMounts.Add(new MountSpec { Kind = MountKind.Volume, Source = data, Target = PreparePlanner.DurableRoot + name });
                chown.Add(PreparePlanner.DurableRoot + name);
            }

            if (spec.MergeFile != null)
            {
                container.Mounts.Add(new MountSpec { Kind = MountKind.Bind, Source = spec.MergeFile, Target = EcpMergeFiles.MergeFile, ReadOnly = true });
                container.Environment[IrisContainer.MergeFileVariable] = EcpMergeFiles.MergeFile;
            }

            if (spec.LicenseKeyPath != null)
            {
                string license = SandboxNames.LicenseVolume(name);
                volumes.Add(new VolumeSpec { Name = license, Labels = With(owned, SandboxLabels.Volume, SandboxLabels.LicenseVolume) });
                container.Mounts.Add(new MountSpec { Kind = MountKind.Volume, Source = license, Target = EcpMergeFiles.LicenseFolder, ReadOnly = true });
                container.Command = new List<string> { "--key", EcpMergeFiles.LicenseFile };
                prepareMounts.Add(new MountSpec { Kind = MountKind.Volume, Source = license, Target = PreparePlanner.LicenseRoot });
                prepareMounts.Add(new MountSpec { Kind = MountKind.Bind, Source = spec.LicenseKeyPath, Target = LicenseSource, ReadOnly = true });
                licenseCopy = PreparePlanner.LicenseRoot + "/iris.key";
                chown.Add(PreparePlanner.LicenseRoot);
            }

            return new SandboxPlan
            {
                Name = name,
                Owner = spec.Owner,
                Expires = expires,
                Network = new NetworkSpec { Name = SandboxNames.Network(name), Subnet = subnet, Labels = new Dictionary<string, string>(owned, StringComparer.Ordinal) },
                Volumes = volumes,
                Container = container,
                Prepare = chown.Count == 0 ? null : new ContainerSpec
                {
                    Name = name + "-prepare",
                    Image = spec.Image,
                    User = "0:0",
                    Entrypoint = new List<string> { "/bin/sh", "-c", PreparePlanner.OwnershipScript(licenseCopy == null ? null : LicenseSource, licenseCopy, chown) },
                    Command = new List<string>(),
                    Labels = new Dictionary<string, string>(owned, StringComparer.Ordinal),
                    Mounts = prepareMounts,
                },
            };
        }

        private const string LicenseSource = "/prepare/files/iris.key";

        // The labels every object of the sandbox carries: the owner, the sandbox, IrisOps's marker and the caller's own.
        private static Dictionary<string, string> Owned(SandboxSpec spec, string name)
        {
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, string> label in spec.Labels)
            {
                labels[label.Key] = label.Value;
            }

            labels[ClusterLabels.Managed] = "true";
            labels[SandboxLabels.Owner] = spec.Owner;
            labels[SandboxLabels.Sandbox] = name;
            return labels;
        }

        private static Dictionary<string, string> With(Dictionary<string, string> labels, string key, string value) =>
            new Dictionary<string, string>(labels, StringComparer.Ordinal) { [key] = value };

        // Labels hold whole seconds, so the time planned is the time read back.
        private static DateTime Truncate(DateTime utc) => new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
