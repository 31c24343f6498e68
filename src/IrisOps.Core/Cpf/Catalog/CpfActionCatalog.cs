using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Common;

namespace IrisOps.Core.Cpf.Catalog
{
    /// <summary>A merge action IRIS knows, with the properties it cannot do without.</summary>
    public sealed class CpfActionDefinition
    {
        internal CpfActionDefinition(string name, IReadOnlyList<string> required)
        {
            Name = name;
            RequiredProperties = required;
        }

        public string Name { get; }

        public IReadOnlyList<string> RequiredProperties { get; }
    }

    /// <summary>
    /// The [Actions] names of the "[Actions] Parameter Reference" (RACS, IRIS 2026.1) and the required properties
    /// of the common ones. IRIS ignores nothing here: an unknown name fails the merge, or worse, is skipped, so
    /// a typo must be caught before the file is written. The set varies by IRIS version, hence AllowUnknownAction.
    /// </summary>
    public static class CpfActionCatalog
    {
        private static readonly Dictionary<string, CpfActionDefinition> Definitions = Build();

        public static IReadOnlyCollection<string> Names => Definitions.Keys;

        /// <summary>The definition of an exactly spelled action name, or null.</summary>
        public static CpfActionDefinition? Find(string name) => Definitions.TryGetValue(name, out CpfActionDefinition? definition) ? definition : null;

        /// <summary>The known name closest to a misspelled one (same letters in another case, or a few edits; ties are all offered), or null.</summary>
        public static string? Suggest(string name) => Spelling.Suggest(name, Definitions.Keys);

        private static Dictionary<string, CpfActionDefinition> Build()
        {
            var catalog = new Dictionary<string, CpfActionDefinition>(StringComparer.Ordinal);

            void Add(string name, params string[] required) => catalog[name] = new CpfActionDefinition(name, required);

            // Create/Modify/Delete families: objects identified by Name unless said otherwise below.
            foreach (string noun in new[]
            {
                "Application", "WebAppPctAccess", "Database", "DatabaseFile", "Namespace", "Resource", "Role", "User",
                "SSLConfig", "LDAPConfig", "Event", "ECPServer", "Mirror", "ComPort", "Device", "DeviceSubType", "MagTape",
                "LicenseServer", "WorkQueue", "SqlSysDatatype", "SqlUserDatatype", "DocDB", "Server",
                "OAuth2Server", "OAuth2Client", "OAuth2Resource", "OAuth2ServerClient", "OAuth2ServerDefinition",
                "WalletCollection", "WalletKeyValue", "WalletRSA", "WalletSymmetricKey",
            })
            {
                Add("Create" + noun);
                Add("Modify" + noun);
                Add("Delete" + noun);
            }

            foreach (string verb in new[] { "Create", "Modify", "Delete" })
            {
                foreach (string noun in new[] { "Database", "Namespace", "Resource", "Role", "User", "Application", "ECPServer" })
                {
                    Add(verb + noun, "Name");
                }

                foreach (string map in new[] { "MapGlobal", "MapRoutine", "MapPackage" })
                {
                    if (verb == "Create")
                    {
                        Add(verb + map, "Namespace", "Name", "Database");
                    }
                    else
                    {
                        Add(verb + map, "Namespace", "Name");
                    }
                }

                foreach (string wallet in new[] { "WalletCollection", "WalletKeyValue", "WalletRSA", "WalletSymmetricKey" })
                {
                    Add(verb + wallet, "Name");
                }
            }

            Add("CreateDatabase", "Name", "Directory");
            Add("CreateNamespace", "Name", "Globals");
            Add("CreateECPServer", "Name", "Address", "Port", "MirrorConnection", "SSLConfig");
            Add("CreateOAuth2ServerClient", "Name", "ClientId", "ClientType");
            Add("DeleteOAuth2ServerClient", "ClientId");
            Add("CreateOAuth2ServerDefinition", "IssuerEndpoint", "SSLConfiguration", "Metadata");
            Add("DeleteOAuth2ServerDefinition", "IssuerEndpoint");
            Add("DeleteOAuth2Client", "ApplicationName");
            Add("DeleteOAuth2Resource", "Name");
            Add("ModifyService", "Name");
            Add("Execute", "Namespace", "ClassName", "MethodName");

            foreach (string name in new[]
            {
                "ConfigProduction", "ModifySystem", "GrantPrivilege", "RevokePrivilege", "GrantAdminPrivilege",
                "RevokeAdminPrivilege", "ModifyECP", "ConfigMirror", "ModifyMirrorMember", "ConfigShardedCluster",
                "ModifyConfig", "ModifyStartup", "ModifyJournal", "ModifyMiscellaneous", "ModifyMonitor", "ModifyLogging",
                "ModifySQL", "ImportLocale", "InstallLocale",
            })
            {
                Add(name);
            }

            return catalog;
        }
    }
}
