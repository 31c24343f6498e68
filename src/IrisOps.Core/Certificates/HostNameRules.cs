using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace IrisOps.Core.Certificates
{
    /// <summary>What may appear as a node host name (which is also a file name) or an extra SAN entry.</summary>
    internal static class HostNameRules
    {
        private static readonly Regex Label = new Regex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant);

        /// <summary>An RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.</summary>
        public static bool IsHostName(string name)
        {
            if (string.IsNullOrEmpty(name) || name.Length > 253)
            {
                return false;
            }

            foreach (string label in name.Split('.'))
            {
                if (!Label.IsMatch(label))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A DNS name, optionally with a leading "*." wildcard label.</summary>
        public static bool IsDnsName(string name)
        {
            return name.StartsWith("*.", System.StringComparison.Ordinal) ? IsHostName(name.Substring(2)) : IsHostName(name);
        }

        public static bool TryParseIpAddress(string text, out IPAddress? address)
        {
            address = null;
            if (IPAddress.TryParse(text, out IPAddress? parsed)
                && (parsed.AddressFamily == AddressFamily.InterNetwork || parsed.AddressFamily == AddressFamily.InterNetworkV6)
                && (text.Contains(":") || text.Split('.').Length == 4))
            {
                // IPAddress.TryParse also accepts "10" or "1.2"; only full dotted quads and IPv6 count here.
                address = parsed;
                return true;
            }

            return false;
        }
    }
}
