using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// The IPv4 subnet of a cluster network and the fixed node addresses in it: .1 is the gateway, the data
    /// server gets .2, application servers follow. Without -Subnet a /24 (a /23 beyond 253 nodes) is taken from 172.28.0.0/14, starting at
    /// a place derived from the cluster name, skipping every subnet a network on the engine already uses.
    /// </summary>
    public static class ClusterSubnet
    {
        private const uint PoolStart = (172u << 24) | (28u << 16);
        private const int PoolSize = 1024; // 172.28.0.0/24 .. 172.31.255.0/24

        /// <summary>The subnet a cluster of <paramref name="nodes"/> nodes gets when no engine can be asked (compose output).</summary>
        public static string Default(string clusterName, int nodes)
        {
            int prefix = PrefixFor(nodes);
            return Format(Candidate(PoolIndex(clusterName), prefix), prefix);
        }

        /// <summary>
        /// The subnet for a cluster on an engine: the one its network already has, the requested one when no
        /// other network overlaps it, or the first free pool subnet. <paramref name="reserved"/> holds subnets
        /// chosen for networks not created yet (several planned at once). Throws SubnetInUse or NoFreeSubnet.
        /// </summary>
        public static async Task<string> ChooseAsync(INetworkOperations networks, string clusterName, int nodes, string? requested, CancellationToken cancellationToken, IEnumerable<string>? reserved = null)
        {
            IList<NetworkDetails> existingNetworks = await networks.ListNetworksAsync(new Dictionary<string, string?>(), cancellationToken).ConfigureAwait(false);
            string ownName = clusterName + "-net";
            List<(string Network, string Subnet)> others = existingNetworks.Where(n => n.Name != ownName)
                .SelectMany(n => n.Subnets.Where(IsIPv4).Select(s => (n.Name, s)))
                .Concat((reserved ?? Enumerable.Empty<string>()).Select(s => ("(planned in this call)", s))).ToList();
            if (requested != null)
            {
                (uint network, int requestedPrefix) = Parse(requested);
                foreach ((string name, string subnet) in others)
                {
                    (uint otherNetwork, int otherPrefix) = Parse(subnet);
                    if (Overlaps(network, requestedPrefix, otherNetwork, otherPrefix))
                    {
                        throw new IrisOpsException(IrisErrorKind.ResourceExists, "SubnetInUse",
                            $"-Subnet '{requested}' overlaps the subnet {subnet} of the network '{name}' on the Docker engine at {networks.Endpoint}. Give another -Subnet, or leave it out to have a free one chosen.", requested);
                    }
                }

                return requested;
            }

            string? existing = existingNetworks.FirstOrDefault(n => n.Name == ownName)?.Subnets.FirstOrDefault(IsIPv4);
            if (existing != null)
            {
                return existing;
            }

            List<(uint Network, int Prefix)> used = others.Select(o => Parse(o.Subnet)).ToList();
            int prefix = PrefixFor(nodes);
            int start = PoolIndex(clusterName);
            for (int i = 0; i < PoolSize; i++)
            {
                uint candidate = Candidate(start + i, prefix);
                if (!used.Any(u => Overlaps(candidate, prefix, u.Network, u.Prefix)))
                {
                    return Format(candidate, prefix);
                }
            }

            throw new IrisOpsException(IrisErrorKind.ResourceUnavailable, "NoFreeSubnet",
                $"Every /24 of 172.28.0.0/14 is used by a network on the Docker engine at {networks.Endpoint}. Give -Subnet.", clusterName);
        }

        /// <summary>The fixed addresses of <paramref name="nodes"/> nodes; validates the subnet.</summary>
        public static IReadOnlyList<string> NodeAddresses(string subnet, int nodes)
        {
            (uint value, int prefix) = Parse(subnet);
            long usable = (1L << (32 - prefix)) - 3; // network, gateway, broadcast
            if (usable < nodes)
            {
                throw Invalid("SubnetTooSmall", $"-Subnet '{subnet}' has room for {usable} node(s); the cluster needs {nodes}.", subnet);
            }

            return Enumerable.Range(0, nodes).Select(i => Address(value + 2 + (uint)i)).ToList();
        }

        /// <summary>
        /// The subnet as entries of %Service_ECP's allowed incoming connections, one "a.b.c.*" range per /24 it
        /// spans (InterSystems Scalability Guide, "Restricting Incoming Access to a Data Server": a single IP address,
        /// a fully-qualified domain name or a range of IP addresses such as 18.68.*.*). Used where nodes have no
        /// fixed address (Swarm tasks get theirs from the overlay network). A subnet smaller than a /24 yields its
        /// whole /24; one larger than a /22 is refused rather than listed as hundreds of entries.
        /// </summary>
        public static IReadOnlyList<string> AddressRanges(string subnet)
        {
            (uint value, int prefix) = Parse(subnet);
            if (prefix < 22)
            {
                throw Invalid("SubnetTooLargeForRanges", $"-Subnet '{subnet}' spans more than four /24 ranges; give a /22 to /30 subnet for a cluster whose nodes have no fixed addresses (Swarm).", subnet);
            }

            int blocks = prefix >= 24 ? 1 : 1 << (24 - prefix);
            uint first = value & Mask(24);
            return Enumerable.Range(0, blocks).Select(i =>
            {
                uint block = first + ((uint)i << 8);
                return string.Join(".", block >> 24, (block >> 16) & 255, (block >> 8) & 255) + ".*";
            }).ToList();
        }

        private static (uint Network, int Prefix) Parse(string subnet)
        {
            string[] parts = subnet.Split('/');
            if (parts.Length != 2 || !IPAddress.TryParse(parts[0], out IPAddress? network) || network.AddressFamily != AddressFamily.InterNetwork
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) || prefix < 8 || prefix > 30)
            {
                throw Invalid("InvalidSubnet", $"-Subnet '{subnet}' is not an IPv4 subnet in CIDR form such as 172.30.0.0/24.", subnet);
            }

            byte[] bytes = network.GetAddressBytes();
            uint value = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
            if ((value & ~Mask(prefix)) != 0)
            {
                throw Invalid("InvalidSubnet", $"-Subnet '{subnet}' has host bits set; give the network address of the subnet, e.g. 172.30.0.0/24.", subnet);
            }

            return (value, prefix);
        }

        // A /24 holds the gateway and 253 nodes; the largest cluster (1 + 254) needs a /23.
        private static int PrefixFor(int nodes) => nodes <= 253 ? 24 : 23;

        private static uint Candidate(int index, int prefix) => (PoolStart + ((uint)(index % PoolSize) << 8)) & Mask(prefix);

        private static bool IsIPv4(string subnet) => subnet.IndexOf(':') < 0 && subnet.IndexOf('/') > 0;

        private static bool Overlaps(uint a, int aPrefix, uint b, int bPrefix)
        {
            uint mask = Mask(Math.Min(aPrefix, bPrefix));
            return (a & mask) == (b & mask);
        }

        private static uint Mask(int prefix) => prefix == 0 ? 0 : uint.MaxValue << (32 - prefix);

        private static string Format(uint network, int prefix) => Address(network) + "/" + prefix.ToString(CultureInfo.InvariantCulture);

        private static string Address(uint address) => string.Join(".", address >> 24, (address >> 16) & 255, (address >> 8) & 255, address & 255);

        private static int PoolIndex(string clusterName)
        {
            using (SHA256 sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(clusterName));
                return ((hash[0] << 8) | hash[1]) % PoolSize;
            }
        }

        private static IrisOpsException Invalid(string id, string message, object? target) =>
            new IrisOpsException(IrisErrorKind.InvalidArgument, id, message, target);
    }
}
