using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Common;

namespace IrisOps.Core.Cpf.Catalog
{
    /// <summary>
    /// A merge action IRIS knows, as the Configuration Parameter File Reference ("[Actions] Parameter Reference")
    /// describes it: the properties it cannot do without, the other properties its synopsis lists, and, for
    /// Execute, the alternative forms (a class method or a routine).
    /// </summary>
    public sealed class CpfActionDefinition
    {
        internal CpfActionDefinition(string name, IReadOnlyList<string> required, IReadOnlyList<string> listed, IReadOnlyList<IReadOnlyList<string>> alternatives, IReadOnlyList<string> mayBeEmpty)
        {
            Name = name;
            RequiredProperties = required;
            ListedProperties = listed;
            Alternatives = alternatives;
            MayBeEmpty = mayBeEmpty;
        }

        public string Name { get; }

        /// <summary>Properties the reference names as required (or that identify the object): missing is an error.</summary>
        public IReadOnlyList<string> RequiredProperties { get; }

        /// <summary>Properties the synopsis lists without calling them required: missing is a warning, the line is kept.</summary>
        public IReadOnlyList<string> ListedProperties { get; }

        /// <summary>Sets of properties of which one full set must be present (Execute: ClassName and MethodName, or RoutineName).</summary>
        public IReadOnlyList<IReadOnlyList<string>> Alternatives { get; }

        /// <summary>Required properties whose documented value may be empty (BindAddress="" binds every address).</summary>
        public IReadOnlyList<string> MayBeEmpty { get; }

        /// <summary>The synopsis as the reference writes it, without values: CreateDatabase:Name,Directory[,...].</summary>
        public string Synopsis
        {
            get
            {
                IEnumerable<string> parts = RequiredProperties;
                if (Alternatives.Count > 0)
                {
                    parts = parts.Concat(new[] { "(" + string.Join(" | ", Alternatives.Select(a => string.Join(",", a))) + ")" });
                }

                return Name + ":" + string.Join(",", parts.Concat(ListedProperties));
            }
        }
    }

    /// <summary>
    /// The [Actions] names of the Configuration Parameter File Reference (IRIS 2026.1) with the properties each
    /// synopsis gives. A property the reference calls required (or that names the object acted on) is required
    /// here; a property the synopsis lists but the description does not call required is only "listed": its
    /// absence is reported as a warning, because IRIS's behaviour without it is not documented and public
    /// templates omit some of them (CreateResource without PublicPermission). An unknown action name fails the
    /// merge or is skipped, so a typo must be caught before the file is written; the set varies by IRIS version,
    /// hence AllowUnknownAction.
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

            // "Name,Directory|PasswordHash" : required before '|', listed after it.
            void Add(string name, string spec = "", string[][]? alternatives = null, params string[] mayBeEmpty)
            {
                string[] halves = spec.Split('|');
                catalog[name] = new CpfActionDefinition(name, Split(halves[0]), halves.Length > 1 ? Split(halves[1]) : new string[0],
                    (alternatives ?? new string[0][]).Select(a => (IReadOnlyList<string>)a).ToList(), mayBeEmpty);
            }

            // Create/Modify/Delete with the same identifying properties in all three synopses.
            void Family(string noun, string create, string other = "Name")
            {
                Add("Create" + noun, create);
                Add("Modify" + noun, other);
                Add("Delete" + noun, other);
            }

            Family("Application", "Name");
            Family("ComPort", "Name");
            Family("Database", "Name,Directory", "Name,Directory");
            Family("DatabaseFile", "Directory", "Directory");
            Family("Device", "Name,PhysicalDevice,SubType,Type");
            Family("DeviceSubType", "Name,ScreenLength");
            Family("DocDB", "Name,Namespace", "Name,Namespace");
            Family("ECPServer", "Name,Address,MirrorConnection,Port,SSLConfig");
            Family("Event", "Source,Type,Name|Enabled", "Source,Type,Name");
            Family("LDAPConfig", "Name");
            Family("LicenseServer", "Name,Address,Port");
            Family("MagTape", "Name,SystemDevice");
            Family("MapGlobal", "Namespace,Name,Database", "Namespace,Name,Database");
            Family("MapRoutine", "Namespace,Name,Database", "Namespace,Name,Database");
            Family("MapPackage", "Namespace,Name,Database", "Namespace,Name");
            Family("Mirror", "Name");
            Family("Namespace", "Name,Globals");
            Family("OAuth2Client", "ApplicationName,ClientType,ServerDefinition,SSLConfiguration", "ApplicationName");
            Family("OAuth2ServerClient", "Name,ClientId,ClientType", "ClientId");
            Family("OAuth2ServerDefinition", "IssuerEndpoint,SSLConfiguration,Metadata", "IssuerEndpoint");
            Family("OAuth2Resource", "Name");
            Family("Resource", "Name|PublicPermission");
            Family("Role", "Name|Resources");
            Family("SqlSysDatatype", "Name,Datatype");
            Family("SqlUserDatatype", "Name,Datatype");
            Family("SSLConfig", "Name");
            Family("User", "Name|PasswordHash,Roles");
            Family("WalletCollection", "Name");
            Family("WalletKeyValue", "Name|RequireTLS,AllowedHosts,Secret,Usage");
            Family("WalletSymmetricKey", "Name");
            Family("WalletRSA", "Name|PublicKey");
            Family("WebAppPctAccess", "Name,AllowType,Class,AllowAccess", "Name,AllowType,Class");
            Family("WorkQueue", "Name,MaxActiveWorkers");

            // Superservers: an empty BindAddress is a documented value (every address).
            Add("CreateServer", "Port,BindAddress", null, "BindAddress");
            Add("ModifyServer", "Port,BindAddress", null, "BindAddress");
            Add("DeleteServer", "Port,BindAddress", null, "BindAddress");

            // Families whose Modify/Delete synopses differ from the Create one.
            Add("ModifyNamespace", "Name");
            Add("DeleteNamespace", "Name");
            Add("ModifyWalletKeyValue", "Name|RequireTLS,AllowedHosts,Secret,Usage");
            Add("DeleteWalletKeyValue", "Name");
            Add("DeleteWalletRSA", "Name");
            Add("ModifyEvent", "Source,Type,Name");
            Add("DeleteEvent", "Source,Type,Name");
            Add("ModifyResource", "Name");
            Add("DeleteResource", "Name");
            Add("ModifyRole", "Name");
            Add("DeleteRole", "Name");
            Add("ModifyUser", "Name");
            Add("DeleteUser", "Name");
            Add("CreateOAuth2Server", "SupportedScopes,IssuerEndpoint,CustomizationRoles,CustomizationNamespace,SSLConfiguration");
            Add("ModifyOAuth2Server");
            Add("DeleteOAuth2Server");
            Add("DiscoverOAuth2Server", "IssuerEndpoint,SSLConfiguration");
            Add("RegisterOAuth2Client", "ApplicationName");

            // Execute runs a class method or a routine: "$$Tag^RTN" (the reference's Execute examples).
            Add("Execute", "Namespace", new[] { new[] { "ClassName", "MethodName" }, new[] { "RoutineName" } });
            Add("ConfigProduction", "Namespace,Path,Name");
            Add("ConfigMirror", "Name,Member,Primary");
            Add("ModifyMirrorMember", "|Name");
            Add("ModifyECP", "|Name");
            Add("ModifySystem", "|Name");
            Add("ModifyService", "Name");
            Add("ConfigShardedCluster", "|ClusterURL,Role,Member,MasterRegexp,Regexp,Map,ArbiterURL,SSLDir");
            Add("GrantPrivilege", "ObjPriv,ObjList,Type,User,Namespace|WithGrant");
            Add("RevokePrivilege", "ObjPriv,ObjList,Type,User,Namespace");
            Add("GrantAdminPrivilege", "AdminPriv,Grantee,Namespace|WithGrant");
            Add("RevokeAdminPrivilege", "AdminPriv,Grantee,Namespace");
            Add("ImportLocale", "FileName|Flags");
            Add("InstallLocale", "Name");
            foreach (string singleton in new[] { "ModifyConfig", "ModifyStartup", "ModifyJournal", "ModifyMiscellaneous", "ModifyMonitor", "ModifyLogging", "ModifySQL" })
            {
                Add(singleton);
            }

            return catalog;
        }

        private static string[] Split(string list) => list.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries);
    }
}
