using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Sandboxes
{
    /// <summary>What Get-IrisSandbox selects. Owner and names match exactly: no wildcard ever crosses owners.</summary>
    public sealed class SandboxFilter
    {
        /// <summary>An owner name (normalized); null for every owner.</summary>
        public string? Owner { get; set; }

        /// <summary>Exact sandbox names; null for all.</summary>
        public IReadOnlyList<string>? Names { get; set; }

        /// <summary>A template name; null for any.</summary>
        public string? Template { get; set; }

        public bool ExpiredOnly { get; set; }
    }

    /// <summary>Rebuilds sandboxes from the engine: containers with the owner label, and their expiry records.</summary>
    public static class SandboxReader
    {
        public static async Task<IReadOnlyList<IrisSandbox>> ReadAsync(IDockerEngine engine, SandboxFilter filter, ISandboxClock clock, CancellationToken cancellationToken)
        {
            var labels = new Dictionary<string, string?> { [SandboxLabels.Owner] = filter.Owner };
            if (filter.Template != null)
            {
                labels[SandboxLabels.Template] = filter.Template;
            }

            // Only sandbox containers carry the expiry label; a prepare container left by a crash does not.
            labels[SandboxLabels.Expires] = null;
            Task<IList<ContainerSummary>> listing = engine.ListContainersAsync(labels, cancellationToken);
            Task<IList<VolumeDetails>> records = SandboxExpiry.ListAsync(engine, filter.Owner, null, cancellationToken);
            await Task.WhenAll(listing, records).ConfigureAwait(false);

            // A container is a sandbox only under its owner's name rule: not a reset's set-aside copy, not a look-alike.
            IEnumerable<ContainerSummary> selected = listing.Result.Where(c =>
                c.Labels.TryGetValue(SandboxLabels.Owner, out string? owner) && SandboxNames.IndexOf(owner, c.Name) != null);
            if (filter.Names != null)
            {
                selected = selected.Where(c => filter.Names.Contains(c.Name, StringComparer.Ordinal));
            }

            DateTime now = clock.UtcNow;
            ILookup<string, VolumeDetails> bySandbox = records.Result.ToLookup(v => v.Labels.TryGetValue(SandboxLabels.Sandbox, out string? s) ? s : string.Empty, StringComparer.Ordinal);
            IrisSandbox?[] sandboxes = await Task.WhenAll(selected.Select(async summary =>
            {
                ContainerDetails? details = await engine.InspectContainerAsync(summary.Id, cancellationToken).ConfigureAwait(false);
                return details == null ? null : FromContainer(details, bySandbox[details.Name], now);
            })).ConfigureAwait(false);

            return sandboxes.Where(s => s != null && (!filter.ExpiredOnly || s.Expired))
                .Select(s => s!)
                .OrderBy(s => s.Owner, StringComparer.Ordinal)
                .ThenBy(s => s.Name.Length)
                .ThenBy(s => s.Name, StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>One sandbox of one owner; ObjectNotFound SandboxNotFound when that owner has no such sandbox.</summary>
        public static async Task<IrisSandbox> ReadOneAsync(IDockerEngine engine, string owner, string name, ISandboxClock clock, CancellationToken cancellationToken)
        {
            IReadOnlyList<IrisSandbox> found = await ReadAsync(engine, new SandboxFilter { Owner = owner, Names = new[] { name } }, clock, cancellationToken).ConfigureAwait(false);
            return found.Count == 1 ? found[0] : throw NotFound(engine, owner, name);
        }

        public static IrisOpsException NotFound(IDockerResourceOperations engine, string? owner, string name) =>
            new IrisOpsException(IrisErrorKind.ObjectNotFound, "SandboxNotFound",
                owner == null
                    ? $"There is no sandbox named '{name}' on the Docker engine at {engine.Endpoint}; Get-IrisSandbox lists them."
                    : $"Owner '{owner}' has no sandbox named '{name}' on the Docker engine at {engine.Endpoint}; Get-IrisSandbox -Owner {owner} lists that owner's sandboxes.",
                name);

        // The labels IrisOps itself sets (the caller may add others, such as irisops.test for the tests' cleanup).
        private static bool IsOwnLabel(string key) => key.StartsWith("irisops.sandbox.", StringComparison.Ordinal) || key == ClusterLabels.Managed;

        internal static IrisSandbox FromContainer(ContainerDetails details, IEnumerable<VolumeDetails> records, DateTime utcNow)
        {
            IDictionary<string, string> labels = details.Spec.Labels;
            string Label(string key) => labels.TryGetValue(key, out string? value) ? value : string.Empty;
            SandboxLabels.TryParseTime(Label(SandboxLabels.Expires), out DateTime expires);
            SandboxLabels.TryParseTime(Label(SandboxLabels.ExpiryLimit), out DateTime limit);
            SandboxLabels.TryParseTime(Label(SandboxLabels.Created), out DateTime created);
            SandboxLabels.TryParseSpan(Label(SandboxLabels.Lifetime), out TimeSpan lifetime);
            (expires, limit) = SandboxExpiry.Latest(expires, limit, records);
            Enum.TryParse(Label(SandboxLabels.State), out SandboxState state);
            Enum.TryParse(Label(SandboxLabels.OnExpiry), out SandboxExpiryAction onExpiry);
            PortBindingSpec? Published(int port) => details.PublishedPorts.FirstOrDefault(p => p.ContainerPort == port && p.HostPort > 0);
            string network = SandboxNames.Network(details.Name);
            return new IrisSandbox
            {
                Owner = Label(SandboxLabels.Owner),
                Name = details.Name,
                Image = details.Spec.Image,
                State = state,
                Template = Label(SandboxLabels.Template),
                Created = created,
                Expires = expires,
                ExpiryLimit = limit,
                Expired = expires <= utcNow,
                Lifetime = lifetime,
                AllowRelaunch = Label(SandboxLabels.Relaunch) == "true",
                OnExpiry = onExpiry,
                Status = details.State.Status,
                Health = details.State.Running ? details.State.Health : details.State.Status,
                Ports = details.PublishedPorts.Select(p => $"{p.HostIp}:{p.HostPort}->{p.ContainerPort}").ToList(),
                SuperserverPort = Published(EcpMergeFiles.SuperserverPort)?.HostPort,
                WebPort = Published(SandboxPlanner.WebServerPort)?.HostPort,
                Network = network,
                DataVolume = state == SandboxState.Preserved ? details.Spec.Mounts.FirstOrDefault(m => m.Kind == MountKind.Volume && m.Target == EcpMergeFiles.DurableRoot)?.Source : null,
                ContainerId = details.Id,
                Labels = labels.Where(l => !IsOwnLabel(l.Key))
                    .ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
            };
        }
    }
}
