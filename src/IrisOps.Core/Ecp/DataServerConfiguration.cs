using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Cpf;
using IrisOps.Core.Errors;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// What a data server's merge file configured for ECP over TLS, read back to explain a connection that is
    /// not normal: superserver TLS, the authorized Subject DNs, %Service_ECP ClientSystems and the cluster CA.
    /// </summary>
    public sealed class DataServerConfiguration
    {
        private X509Certificate? authority;

        public bool SuperserverTls { get; private set; }

        public ISet<string> AuthorizedSubjects { get; } = new HashSet<string>(StringComparer.Ordinal);

        public IReadOnlyList<string> ClientSystemsList { get; private set; } = Array.Empty<string>();

        /// <summary>The directory of the database the merge file creates on the data server (where its durable root is), or null.</summary>
        public string? DatabaseDirectory { get; private set; }

        public string ClientSystemsText => ClientSystemsList.Count == 0 ? "empty: any address" : string.Join(";", ClientSystemsList);

        public static DataServerConfiguration From(string mergeText, string mergePath, string authorityPem)
        {
            var configuration = new DataServerConfiguration();
            try
            {
                configuration.authority = new PemReader(new StringReader(authorityPem)).ReadObject() as X509Certificate;
            }
            catch (Exception ex) when (ex is IOException || ex is Org.BouncyCastle.Security.GeneralSecurityException)
            {
                configuration.authority = null;
            }

            CpfDocument merge;
            try
            {
                merge = CpfParser.Parse(mergeText, mergePath);
            }
            catch (IrisOpsException)
            {
                return configuration;
            }

            foreach (CpfAction action in merge.Actions)
            {
                switch (action.Action)
                {
                    case "ModifyServer":
                        configuration.SuperserverTls |= action["Port"] == EcpMergeFiles.SuperserverPort.ToString(System.Globalization.CultureInfo.InvariantCulture)
                            && (action["SSLSupportLevel"] == "1" || action["SSLSupportLevel"] == "2")
                            && !string.IsNullOrEmpty(action["SSLConfig"]);
                        break;
                    case "ModifyService" when string.Equals(action["Name"], "%Service_ECP", StringComparison.OrdinalIgnoreCase) && action["ClientSystems"] != null:
                        configuration.ClientSystemsList = action["ClientSystems"]!.Split(';').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
                        break;
                    case "CreateDatabase" when action["Server"] == null && action["Directory"] != null:
                        configuration.DatabaseDirectory = action["Directory"];
                        break;
                    case "Execute" when action["ClassName"] == "SYS.ECP" && action["MethodName"] == "AddAuthorizedCN" && action["Arg1"] != null:
                        configuration.AuthorizedSubjects.Add(action["Arg1"]!);
                        break;
                }
            }

            return configuration;
        }

        /// <summary>An empty list lets any address in (Scalability Guide, "Restricting incoming access").</summary>
        public bool AllowsClient(string? address)
        {
            if (ClientSystemsList.Count == 0)
            {
                return true;
            }

            return address != null && ClientSystemsList.Any(entry => Matches(entry, address));
        }

        /// <summary>Null when the certificate was issued by the data server's CA; otherwise why not.</summary>
        public string? CheckIssuedByClusterCa(string certificatePem)
        {
            if (authority == null)
            {
                return "the data server's CA file could not be read";
            }

            X509Certificate? leaf = new PemReader(new StringReader(certificatePem)).ReadObject() as X509Certificate;
            if (leaf == null)
            {
                return "the node certificate could not be read";
            }

            try
            {
                leaf.Verify(authority.GetPublicKey());
                return null;
            }
            catch (Org.BouncyCastle.Security.GeneralSecurityException)
            {
                return $"issued by '{leaf.IssuerDN}', not by the cluster CA '{authority.SubjectDN}'";
            }
        }

        // An address, or a range such as 10.1.2.* or 10.1.2-9.* (each octet a number, a range or *).
        private static bool Matches(string entry, string address)
        {
            string[] pattern = entry.Split('.');
            string[] octets = address.Split('.');
            if (pattern.Length != 4 || octets.Length != 4)
            {
                return string.Equals(entry, address, StringComparison.OrdinalIgnoreCase);
            }

            for (int i = 0; i < 4; i++)
            {
                if (pattern[i] == "*" || pattern[i] == octets[i])
                {
                    continue;
                }

                string[] range = pattern[i].Split('-');
                if (range.Length == 2 && int.TryParse(range[0], out int low) && int.TryParse(range[1], out int high) && int.TryParse(octets[i], out int value) && value >= low && value <= high)
                {
                    continue;
                }

                return false;
            }

            return true;
        }
    }
}
