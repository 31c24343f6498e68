using System;
using System.Collections.Generic;

namespace IrisOps.Core.Cpf
{
    /// <summary>
    /// Section names spelled exactly as IRIS writes them. Case matters to IRIS in places: a lowercase [actions]
    /// is silently ignored, so every section the model knows is stored and written in its canonical spelling.
    /// </summary>
    public static class CpfSectionNames
    {
        public const string Actions = "Actions";
        public const string Config = "config";
        public const string Startup = "Startup";
        public const string Journal = "Journal";
        public const string Ecp = "ECP";
        public const string EcpServers = "ECPServers";
        public const string Databases = "Databases";
        public const string Namespaces = "Namespaces";
        public const string Sql = "SQL";
        public const string Monitor = "Monitor";

        /// <summary>The prefix of a namespace's mapping section, e.g. [Map.APP].</summary>
        public const string MapPrefix = "Map.";

        private const string MapMirrorsPrefix = "MapMirrors.";

        // The sections of an IRIS 2023+ iris.cpf; anything else is kept as written (newer versions add sections).
        private static readonly Dictionary<string, string> Known = BuildKnown(
            Actions, Config, Startup, Journal, Ecp, EcpServers, Databases, Namespaces, Sql, Monitor,
            "Archives", "Cluster", "ComPorts", "ConfigFile", "Conversions", "Debug", "Devices", "DeviceSubTypes", "Gateways", "IO", "LicenseServers",
            "Logging", "MagTapes", "MirrorMember", "Mirrors", "Miscellaneous", "SqlSysDatatypes", "SqlUserDatatypes",
            "Telnet", "WorkQueues");

        /// <summary>The canonical spelling of a section name: [Config] becomes [config], [map.APP] becomes [Map.APP].</summary>
        public static string Canonical(string name)
        {
            if (name == null)
            {
                throw new ArgumentNullException(nameof(name));
            }

            if (Known.TryGetValue(name, out string? canonical))
            {
                return canonical;
            }

            if (name.StartsWith(MapPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return MapPrefix + name.Substring(MapPrefix.Length);
            }

            if (name.StartsWith(MapMirrorsPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return MapMirrorsPrefix + name.Substring(MapMirrorsPrefix.Length);
            }

            return name;
        }

        public static bool IsActions(string name) => string.Equals(name, Actions, StringComparison.OrdinalIgnoreCase);

        private static Dictionary<string, string> BuildKnown(params string[] names)
        {
            var known = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string name in names)
            {
                known.Add(name, name);
            }

            return known;
        }
    }
}
