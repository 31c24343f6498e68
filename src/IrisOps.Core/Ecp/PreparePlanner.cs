using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using IrisOps.Core.Docker;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// Plans the one-shot prepare container (see <see cref="PreparePlan"/>): it copies each node's TLS files and
    /// the license from the host folder (mounted read-only, so the host copies keep their owner) into the
    /// node's TLS volume and the cluster's license volume, gives those and durable storage to the IRIS user,
    /// and makes the keys owner-only. Ownership for the IRIS user is thus given only inside volumes (and to
    /// bind-mounted durable folders, which IRIS must write), never to files IrisOps wrote on the host.
    /// </summary>
    internal static class PreparePlanner
    {
        public const string DurableRoot = "/prepare/durable/";
        public const string TlsRoot = "/prepare/tls/";
        public const string LicenseRoot = "/prepare/license";
        internal const string NodesFiles = "/prepare/files/nodes/";
        internal const string LicenseFiles = "/prepare/files/license/";

        public static PreparePlan Plan(string image, string clusterName, string clusterFolder, string licenseVolume, IReadOnlyList<ContainerPlan> containers, IReadOnlyDictionary<string, string> tlsVolumes)
        {
            var mounts = new List<MountPlan>();
            var durableTargets = new List<string>();
            foreach (ContainerPlan container in containers)
            {
                string target = DurableRoot + container.HostName;
                durableTargets.Add(target);
                mounts.Add(container.DurableVolume != null
                    ? new MountPlan { Kind = MountKind.Volume, Source = container.DurableVolume, Target = target }
                    : new MountPlan { Kind = MountKind.Bind, Source = container.DurableHostFolder!, Target = target });
            }

            foreach (ContainerPlan container in containers)
            {
                mounts.Add(new MountPlan { Kind = MountKind.Volume, Source = tlsVolumes[container.HostName], Target = TlsRoot + container.HostName });
            }

            mounts.Add(new MountPlan { Kind = MountKind.Volume, Source = licenseVolume, Target = LicenseRoot });
            mounts.Add(new MountPlan { Kind = MountKind.Bind, Source = Path.Combine(clusterFolder, "nodes"), Target = NodesFiles.TrimEnd('/'), ReadOnly = true });
            mounts.Add(new MountPlan { Kind = MountKind.Bind, Source = Path.Combine(clusterFolder, "license"), Target = LicenseFiles.TrimEnd('/'), ReadOnly = true });

            return new PreparePlan
            {
                Image = image,
                Mounts = mounts,
                Command = new[] { "/bin/sh", "-c", Script(containers.Select(c => c.HostName).ToList(), durableTargets) },
                Labels = new Dictionary<string, string> { [ClusterLabels.Cluster] = clusterName, [ClusterLabels.Role] = NodeRoles.PrepareLabel },
            };
        }

        /// <summary>
        /// The one-shot root task of a swarm, run as a Swarm job before the nodes: the files come as secrets and
        /// configs with their owner, so only the durable volumes need one. It runs the documented
        /// "chown 51773:51773 root-of-durable-%SYS-directory" (Running InterSystems Products in Containers, section
        /// 5.4.3: "You will probably need root privileges") on the root of each node's volume; durable %SYS itself
        /// is a subdirectory (ISC_DATA_DIRECTORY) that the instance creates as irisowner.
        /// </summary>
        public static PreparePlan SwarmPlan(string image, string clusterName, IReadOnlyList<ContainerPlan> containers)
        {
            var mounts = containers.Where(c => c.DurableVolume != null)
                .Select(c => new MountPlan { Kind = MountKind.Volume, Source = c.DurableVolume!, Target = DurableRoot + c.HostName })
                .ToList();
            CheckHostNames(containers.Select(c => c.HostName));
            var script = new StringBuilder("set -e; chown ").Append(IrisContainer.UserAndGroup);
            foreach (MountPlan mount in mounts)
            {
                script.Append(' ').Append(mount.Target);
            }

            return new PreparePlan
            {
                Image = image,
                Mounts = mounts,
                Command = new[] { "/bin/sh", "-c", script.ToString() },
                Labels = new Dictionary<string, string> { [ClusterLabels.Cluster] = clusterName, [ClusterLabels.Role] = NodeRoles.PrepareLabel },
            };
        }

        /// <summary>
        /// The script of a prepare container without TLS files (a sandbox): copy the license when there is one, give
        /// <paramref name="chownTargets"/> to the IRIS user, make the license owner-only. The paths are IrisOps's
        /// own constants, never user input, so they need no quoting.
        /// </summary>
        internal static string OwnershipScript(string? licenseFrom, string? licenseTo, IEnumerable<string> chownTargets)
        {
            var script = new StringBuilder("set -e");
            if (licenseFrom != null && licenseTo != null)
            {
                script.Append("; cp ").Append(licenseFrom).Append(' ').Append(licenseTo);
            }

            script.Append("; chown -R ").Append(IrisContainer.UserAndGroup);
            foreach (string target in chownTargets)
            {
                script.Append(' ').Append(target);
            }

            if (licenseTo != null)
            {
                script.Append("; chmod 0600 ").Append(licenseTo);
            }

            return script.ToString();
        }

        // Host names are RFC 1123 names (letters, digits, hyphens, dots), so they need no quoting in the shell; the
        // script still refuses anything else rather than trusting that.
        private static void CheckHostNames(IEnumerable<string> hosts)
        {
            foreach (string host in hosts)
            {
                if (!IrisNames.IsHostName(host))
                {
                    throw new System.ArgumentException($"Host name '{host}' cannot be used in the prepare script.", nameof(hosts));
                }
            }
        }

        private static string Script(IReadOnlyList<string> hosts, IReadOnlyList<string> durableTargets)
        {
            CheckHostNames(hosts);

            var script = new StringBuilder("set -e");
            foreach (string host in hosts)
            {
                string from = NodesFiles + host + "/tls/";
                script.Append("; cp ").Append(from).Append("ca.cer ").Append(from).Append("node.cer ").Append(from).Append("node.key ").Append(TlsRoot).Append(host).Append('/');
            }

            script.Append("; cp ").Append(LicenseFiles).Append("iris.key ").Append(LicenseRoot).Append("/iris.key");
            script.Append("; chown -R ").Append(IrisContainer.UserAndGroup);
            foreach (string target in durableTargets.Concat(hosts.Select(h => TlsRoot + h)).Append(LicenseRoot))
            {
                script.Append(' ').Append(target);
            }

            script.Append("; chmod 0644");
            foreach (string host in hosts)
            {
                script.Append(' ').Append(TlsRoot).Append(host).Append("/ca.cer ").Append(TlsRoot).Append(host).Append("/node.cer");
            }

            script.Append("; chmod 0600");
            foreach (string host in hosts)
            {
                script.Append(' ').Append(TlsRoot).Append(host).Append("/node.key");
            }

            script.Append(' ').Append(LicenseRoot).Append("/iris.key");
            return script.ToString();
        }
    }
}
