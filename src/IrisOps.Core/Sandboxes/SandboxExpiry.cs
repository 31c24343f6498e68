using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;

namespace IrisOps.Core.Sandboxes
{
    /// <summary>
    /// A later expiry. The engine cannot change a container's labels, and recreating the container would lose
    /// a Fresh sandbox's work, so -Extend and a relaunch record the new expiry (and its limit) as the labels of a
    /// small empty volume of the sandbox; the latest record wins. Removing the sandbox removes them.
    /// </summary>
    internal static class SandboxExpiry
    {
        public static async Task RecordAsync(IVolumeOperations volumes, IrisSandbox sandbox, DateTime expires, DateTime limit, CancellationToken cancellationToken)
        {
            IList<VolumeDetails> older = await ListAsync(volumes, sandbox.Owner, sandbox.Name, cancellationToken).ConfigureAwait(false);
            string name = sandbox.Name + "-expiry-" + Guid.NewGuid().ToString("N").Substring(0, 12);
            await volumes.CreateVolumeAsync(new VolumeSpec
            {
                Name = name,
                Labels = new Dictionary<string, string>(sandbox.Labels.ToDictionary(l => l.Key, l => l.Value), StringComparer.Ordinal)
                {
                    [Ecp.ClusterLabels.Managed] = "true",
                    [SandboxLabels.Owner] = sandbox.Owner,
                    [SandboxLabels.Sandbox] = sandbox.Name,
                    [SandboxLabels.Volume] = SandboxLabels.ExpiryVolume,
                    [SandboxLabels.Expires] = SandboxLabels.FormatTime(expires),
                    [SandboxLabels.ExpiryLimit] = SandboxLabels.FormatTime(limit),
                },
            }, cancellationToken).ConfigureAwait(false);

            // The new record is in place first; the older ones only cost a listing if removing them fails.
            foreach (VolumeDetails volume in older)
            {
                await volumes.RemoveVolumeAsync(volume.Name, force: false, CancellationToken.None).ConfigureAwait(false);
            }
        }

        /// <summary>The expiry records of one sandbox, or of every sandbox (of one owner) when the names are null.</summary>
        public static Task<IList<VolumeDetails>> ListAsync(IVolumeOperations volumes, string? owner, string? sandbox, CancellationToken cancellationToken)
        {
            var labels = new Dictionary<string, string?> { [SandboxLabels.Volume] = SandboxLabels.ExpiryVolume };
            if (owner != null)
            {
                labels[SandboxLabels.Owner] = owner;
            }

            if (sandbox != null)
            {
                labels[SandboxLabels.Sandbox] = sandbox;
            }

            return volumes.ListVolumesAsync(labels, cancellationToken);
        }

        /// <summary>The latest (expires, limit) among the container's labels and the records.</summary>
        public static (DateTime Expires, DateTime Limit) Latest(DateTime expires, DateTime limit, IEnumerable<VolumeDetails> records)
        {
            foreach (VolumeDetails record in records)
            {
                if (record.Labels.TryGetValue(SandboxLabels.Expires, out string? text) && SandboxLabels.TryParseTime(text, out DateTime recorded)
                    && record.Labels.TryGetValue(SandboxLabels.ExpiryLimit, out string? limitText) && SandboxLabels.TryParseTime(limitText, out DateTime recordedLimit)
                    && recorded > expires)
                {
                    expires = recorded;
                    limit = recordedLimit;
                }
            }

            return (expires, limit);
        }
    }
}
