using System;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace IrisOps.Core.Iris
{
    /// <summary>
    /// What a name may be, once for the whole module. Callers form their own message so it still names the
    /// parameter or row that carried the name. Letters are ASCII letters: a name also ends up in merge files,
    /// file names and command lines.
    /// </summary>
    public static class IrisNames
    {
        /// <summary>
        /// System Administration Guide, "Rules for Namespace Names", as a pattern: a constant so a cmdlet parameter
        /// can name it in [ValidatePattern].
        /// </summary>
        public const string NamespacePattern = "^[A-Za-z%][A-Za-z0-9_-]{0,63}$";

        private static readonly Regex Namespace = new Regex(NamespacePattern, RegexOptions.CultureInvariant);

        /// <summary>System Administration Guide, "Rules for Database Names".</summary>
        private static readonly Regex Database = new Regex("^[A-Za-z_][A-Za-z0-9_-]{0,63}$", RegexOptions.CultureInvariant);

        /// <summary>Using Globals, "Introduction to Global Names and Limits" (without the caret).</summary>
        private static readonly Regex Global = new Regex(@"^[A-Za-z%][A-Za-z0-9.]*$", RegexOptions.CultureInvariant);

        /// <summary>
        /// Resource names such as %DB_APP. The System Administration Guide only says database resources start with
        /// %DB_; this is IrisOps's conservative rule: up to 64 letters, digits, _, %, '.' and '-'.
        /// </summary>
        private static readonly Regex Resource = new Regex("^[%A-Za-z0-9_][A-Za-z0-9_%.-]{0,63}$", RegexOptions.CultureInvariant);

        /// <summary>A cluster name names containers, volumes and the network: 1 to 40 lowercase letters, digits and hyphens.</summary>
        private static readonly Regex Cluster = new Regex("^[a-z0-9][a-z0-9-]{0,39}$", RegexOptions.CultureInvariant);

        /// <summary>A Docker container name (or id), the engine's own rule: a letter or digit, then letters, digits, '_', '.' or '-'.</summary>
        private static readonly Regex ContainerName = new Regex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,254}$", RegexOptions.CultureInvariant);

        /// <summary>The rule of <see cref="IsContainerName"/> in words, for messages.</summary>
        public const string ContainerNameRule = "a letter or digit, followed by letters, digits, '_', '.' or '-'";

        /// <summary>One RFC 1123 host name label: letters, digits and inner hyphens, at most 63.</summary>
        private static readonly Regex HostLabel = new Regex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant);

        /// <summary>A sandbox owner: 1 to 32 lowercase letters, digits and inner hyphens, so it is part of a container, network and host name as it is.</summary>
        private static readonly Regex Owner = new Regex("^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$", RegexOptions.CultureInvariant);

        /// <summary>The rule of <see cref="IsOwnerName"/> in words, for messages.</summary>
        public const string OwnerRule = "1 to 32 letters, digits and hyphens, starting and ending with a letter or digit (letters are taken in lowercase)";

        /// <summary>The rule of <see cref="IsNamespace"/> in words, for messages.</summary>
        public const string NamespaceRule = "1 to 64 characters: a letter or %, followed by letters, digits, '-' or '_'";

        /// <summary>The rule of <see cref="IsDatabase"/> in words, for messages.</summary>
        public const string DatabaseRule = "1 to 64 characters: a letter or _, followed by letters, digits, '-' or '_'";

        /// <summary>1 to 64 characters: a letter or %, then letters, digits, '-' or '_'.</summary>
        public static bool IsNamespace(string? name) => name != null && Namespace.IsMatch(name);

        /// <summary>1 to 64 characters: a letter or '_', then letters, digits, '-' or '_'.</summary>
        public static bool IsDatabase(string? name) => name != null && Database.IsMatch(name);

        /// <summary>A global name without the caret: a letter or %, then letters, digits and '.', not ending in '.'.</summary>
        public static bool IsGlobalName(string? name) =>
            name != null && Global.IsMatch(name) && !name.EndsWith(".", StringComparison.Ordinal);

        /// <summary>What a global mapping names: a global name, or the start of global names followed by '*' (demo.*).</summary>
        public static bool IsGlobalMapping(string? mapping)
        {
            if (mapping == null)
            {
                return false;
            }

            return mapping.EndsWith("*", StringComparison.Ordinal)
                ? Global.IsMatch(mapping.Substring(0, mapping.Length - 1))
                : IsGlobalName(mapping);
        }

        /// <summary>A security resource name such as %DB_APP.</summary>
        public static bool IsResourceName(string? name) => name != null && Resource.IsMatch(name);

        /// <summary>An IrisOps cluster name: 1 to 40 lowercase letters, digits and hyphens, starting with a letter or digit.</summary>
        public static bool IsClusterName(string? name) => name != null && Cluster.IsMatch(name);

        /// <summary>A sandbox owner after lowercasing (see <see cref="OwnerRule"/>); no wildcard or separator can pass.</summary>
        public static bool IsOwnerName(string? name) => name != null && Owner.IsMatch(name);

        /// <summary>A container name or id as the Docker engine accepts it (checked before any call, so a bad name is an argument error, not the engine's 400).</summary>
        public static bool IsContainerName(string? name) => name != null && ContainerName.IsMatch(name.TrimStart('/'));

        /// <summary>Refuses a name that is not a container name, naming the parameter.</summary>
        public static string CheckContainerName(string? name, string parameter)
        {
            if (!IsContainerName(name))
            {
                throw new Errors.IrisOpsException(Errors.IrisErrorKind.InvalidArgument, "InvalidContainerName",
                    $"{parameter} '{name}' is not a container name ({ContainerNameRule}).", name);
            }

            return name!.TrimStart('/');
        }

        /// <summary>An RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens (also a file name).</summary>
        public static bool IsHostName(string? name)
        {
            if (string.IsNullOrEmpty(name) || name!.Length > 253)
            {
                return false;
            }

            foreach (string label in name.Split('.'))
            {
                if (!HostLabel.IsMatch(label))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A DNS name, optionally with a leading "*." wildcard label.</summary>
        public static bool IsDnsName(string name) =>
            name.StartsWith("*.", StringComparison.Ordinal) ? IsHostName(name.Substring(2)) : IsHostName(name);

        /// <summary>A full IPv4 dotted quad or an IPv6 address.</summary>
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
