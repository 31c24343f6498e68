using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Errors;
using IrisOps.Core.FileSystem;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace IrisOps.Core.Certificates
{
    /// <summary>Validates, plans and writes a certificate set: a CA plus one certificate per ECP node.</summary>
    public static class CertificateSetGenerator
    {
        public const string AuthorityCertificateFile = "ca.cer";
        public const string AuthorityKeyFile = "ca.key";
        private const string Activity = "New-IrisCertificateSet";

        /// <summary>Checks the request and works out every file it writes; changes nothing.</summary>
        public static CertificateSetPlan Plan(CertificateSetRequest request)
        {
            if (string.IsNullOrWhiteSpace(request.Path))
            {
                throw Invalid("PathRequired", "Give the output folder with -Path.", request.Path);
            }

            if (request.ValidityDays < 1 || request.ValidityDays > 36500)
            {
                throw Invalid("ValidityDaysOutOfRange", $"-ValidityDays must be between 1 and 36500; {request.ValidityDays} was given.", request.ValidityDays);
            }

            ValidateSubject(request);
            List<PlannedCertificate> certificates = PlanCertificates(request);

            if (request.IncludePfx && request.KeyPassword == null)
            {
                throw Invalid("PfxNeedsPassword", "-IncludePfx needs -KeyPassword: a .pfx file always carries the private key and must be password-protected.", null);
            }

            if (request.KeyPassword != null && request.KeyPassword.Length == 0)
            {
                throw Invalid("EmptyKeyPassword", "-KeyPassword is empty; give a password or leave the parameter out to write unencrypted owner-only keys.", null);
            }

            string directory = System.IO.Path.GetFullPath(request.Path);
            if (File.Exists(directory))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "PathIsFile", $"-Path '{directory}' is a file; give a folder.", directory);
            }

            string? authorityDirectory = null;
            if (!string.IsNullOrEmpty(request.CertificateAuthorityPath))
            {
                authorityDirectory = System.IO.Path.GetFullPath(request.CertificateAuthorityPath);
                foreach (string name in new[] { AuthorityCertificateFile, AuthorityKeyFile })
                {
                    string file = System.IO.Path.Combine(authorityDirectory, name);
                    if (!File.Exists(file))
                    {
                        throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "AuthorityFileMissing",
                            $"-CertificateAuthorityPath '{authorityDirectory}' has no {name}; it must hold the ca.cer and ca.key that New-IrisCertificateSet wrote.", file);
                    }
                }
            }

            var files = new List<string>();
            bool sameFolderAsAuthority = authorityDirectory != null && SamePath(authorityDirectory, directory);
            if (authorityDirectory == null)
            {
                files.Add(System.IO.Path.Combine(directory, AuthorityCertificateFile));
                files.Add(System.IO.Path.Combine(directory, AuthorityKeyFile));
            }
            else if (!sameFolderAsAuthority)
            {
                // The nodes need the CA certificate beside their own; the CA key stays where it is.
                files.Add(System.IO.Path.Combine(directory, AuthorityCertificateFile));
            }

            foreach (PlannedCertificate certificate in certificates)
            {
                files.Add(System.IO.Path.Combine(directory, certificate.HostName + ".cer"));
                files.Add(System.IO.Path.Combine(directory, certificate.HostName + ".key"));
                if (request.IncludePfx)
                {
                    files.Add(System.IO.Path.Combine(directory, certificate.HostName + ".pfx"));
                }
            }

            List<string> existing = files.Where(File.Exists).ToList();
            if (existing.Count > 0 && !request.Force)
            {
                throw new IrisOpsException(IrisErrorKind.ResourceExists, "CertificateFilesExist",
                    $"Refusing to overwrite existing files in '{directory}': {string.Join(", ", existing.Select(System.IO.Path.GetFileName))}. " +
                    "Nothing was changed. Use -Force to replace them, or choose another -Path.", directory);
            }

            return new CertificateSetPlan(request, directory, !Directory.Exists(directory), authorityDirectory, certificates, files, existing);
        }

        /// <summary>
        /// Generates the keys in parallel, issues the certificates and writes all files at once. On failure or
        /// cancellation nothing is left behind: staged files are deleted, replaced files are restored, and a
        /// folder this call created is removed.
        /// </summary>
        public static async Task<IrisCertificateSet> CreateAsync(CertificateSetPlan plan, IOperationReporter reporter, CancellationToken cancellationToken)
        {
            CertificateSetRequest request = plan.Request;
            char[]? password = request.KeyPassword == null ? null : SecretText.ToChars(request.KeyPassword);
            bool createdDirectory = false;
            try
            {
                Authority? existingAuthority = plan.AuthorityDirectory == null ? null : LoadAuthority(plan.AuthorityDirectory, password);

                int keyCount = plan.Certificates.Count + (existingAuthority == null ? 1 : 0);
                reporter.Progress(Activity, $"Generating {keyCount} {request.KeyAlgorithm} key(s)", 5);
                reporter.Verbose($"Generating {keyCount} {request.KeyAlgorithm} key pair(s) in parallel.");
                AsymmetricCipherKeyPair[] keys = await GenerateKeysAsync(request.KeyAlgorithm, keyCount, cancellationToken).ConfigureAwait(false);

                DateTime now = DateTime.UtcNow;
                DateTime notBefore = now.AddMinutes(-5); // tolerate small clock differences between hosts
                Authority authority = existingAuthority ?? CreateAuthority(request, keys[keys.Length - 1], notBefore, now);
                if (existingAuthority == null)
                {
                    reporter.Verbose($"Created the certificate authority '{authority.Certificate.SubjectDN}'.");
                }

                DateTime leafNotAfter = now.AddDays(request.ValidityDays);
                if (leafNotAfter > authority.Certificate.NotAfter)
                {
                    leafNotAfter = authority.Certificate.NotAfter;
                    reporter.Warning($"The certificate authority expires on {leafNotAfter:yyyy-MM-dd}; the node certificates end then too, earlier than -ValidityDays asked.");
                }

                if (notBefore < authority.Certificate.NotBefore)
                {
                    notBefore = authority.Certificate.NotBefore;
                }

                reporter.Progress(Activity, "Issuing certificates", 60);
                var issued = new List<IssuedLeaf>();
                for (int i = 0; i < plan.Certificates.Count; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    PlannedCertificate planned = plan.Certificates[i];
                    X509Certificate leaf = CertificateIssuer.CreateLeaf(
                        SubjectName(planned.HostName, request.Subject), keys[i].Public, planned.Role, planned.SubjectAlternativeNames,
                        authority.Certificate, authority.PrivateKey, notBefore, leafNotAfter);
                    issued.Add(new IssuedLeaf(planned, leaf, keys[i].Private));
                    reporter.Verbose($"Issued the {planned.Role} certificate for '{planned.HostName}' ({string.Join(", ", planned.SubjectAlternativeNames)}).");
                }

                cancellationToken.ThrowIfCancellationRequested();
                reporter.Progress(Activity, "Writing files", 80);
                if (plan.CreatesDirectory)
                {
                    Directory.CreateDirectory(plan.Directory);
                    createdDirectory = true;
                }

                IrisCertificateSet result;
                using (var transaction = new FileTransaction { Overwrite = request.Force })
                {
                    result = Stage(plan, authority, issued, password, transaction);
                    cancellationToken.ThrowIfCancellationRequested();
                    transaction.Commit(); // past this point the set is complete; cancellation no longer applies
                }

                reporter.Verbose($"Wrote {plan.Files.Count} file(s) to '{plan.Directory}'; private keys are readable by the current user only.");
                reporter.Progress(Activity, "Done", 100);
                return result;
            }
            catch (KeyPasswordException ex)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "AuthorityKeyPassword", ex.Message, plan.AuthorityDirectory);
            }
            catch (Exception) when (createdDirectory)
            {
                TryRemoveEmptyDirectory(plan.Directory);
                throw;
            }
            finally
            {
                SecretText.Clear(password);
            }
        }

        private static IrisCertificateSet Stage(CertificateSetPlan plan, Authority authority, List<IssuedLeaf> issued, char[]? password, FileTransaction transaction)
        {
            string Target(string name) => System.IO.Path.Combine(plan.Directory, name);

            string authorityCertificatePath = Target(AuthorityCertificateFile);
            string authorityKeyPath = authority.KeyPath ?? Target(AuthorityKeyFile);
            if (plan.Files.Contains(authorityCertificatePath))
            {
                transaction.Add(authorityCertificatePath, KeyMaterialFormat.CertificatePem(authority.Certificate), ownerOnly: false);
            }

            if (authority.KeyPath == null)
            {
                transaction.Add(authorityKeyPath, KeyMaterialFormat.PrivateKeyPem(authority.PrivateKey, password), ownerOnly: true);
            }

            var certificates = new List<IrisCertificate>();
            foreach (IssuedLeaf leaf in issued)
            {
                string host = leaf.Planned.HostName;
                string certificatePath = Target(host + ".cer");
                string keyPath = Target(host + ".key");
                string? pfxPath = plan.Request.IncludePfx ? Target(host + ".pfx") : null;
                transaction.Add(certificatePath, KeyMaterialFormat.CertificatePem(leaf.Certificate), ownerOnly: false);
                transaction.Add(keyPath, KeyMaterialFormat.PrivateKeyPem(leaf.PrivateKey, password), ownerOnly: true);
                if (pfxPath != null)
                {
                    transaction.Add(pfxPath, KeyMaterialFormat.Pkcs12(host, leaf.PrivateKey, leaf.Certificate, authority.Certificate, password!), ownerOnly: true);
                }

                certificates.Add(new IrisCertificate
                {
                    HostName = host,
                    Role = leaf.Planned.Role,
                    Subject = leaf.Certificate.SubjectDN.ToString(),
                    Issuer = leaf.Certificate.IssuerDN.ToString(),
                    SubjectAlternativeNames = leaf.Planned.SubjectAlternativeNames,
                    Thumbprint = CertificateFacts.Thumbprint(leaf.Certificate),
                    SerialNumber = Hex.Upper(leaf.Certificate.SerialNumber.ToByteArrayUnsigned()),
                    NotBefore = leaf.Certificate.NotBefore,
                    NotAfter = leaf.Certificate.NotAfter,
                    KeyAlgorithm = plan.Request.KeyAlgorithm,
                    CertificatePath = certificatePath,
                    KeyPath = keyPath,
                    PfxPath = pfxPath,
                    KeyEncrypted = password != null,
                });
            }

            return new IrisCertificateSet
            {
                Path = plan.Directory,
                Authority = new IrisCertificateAuthority
                {
                    Subject = authority.Certificate.SubjectDN.ToString(),
                    Thumbprint = CertificateFacts.Thumbprint(authority.Certificate),
                    NotAfter = authority.Certificate.NotAfter,
                    CertificatePath = authorityCertificatePath,
                    KeyPath = authorityKeyPath,
                    KeyAlgorithm = KeyPairFactory.Describe(authority.Certificate.GetPublicKey()),
                },
                Certificates = certificates,
            };
        }

        private static async Task<AsymmetricCipherKeyPair[]> GenerateKeysAsync(KeyAlgorithm algorithm, int count, CancellationToken cancellationToken)
        {
            var tasks = new Task<AsymmetricCipherKeyPair>[count];
            for (int i = 0; i < count; i++)
            {
                tasks[i] = Task.Run(() => KeyPairFactory.Generate(algorithm), cancellationToken);
            }

            return await Task.WhenAll(tasks).ConfigureAwait(false);
        }

        private static Authority CreateAuthority(CertificateSetRequest request, AsymmetricCipherKeyPair keys, DateTime notBefore, DateTime now)
        {
            int days = Math.Max(CertificateSetRequest.MinimumAuthorityValidityDays, request.ValidityDays * 2);
            X509Certificate certificate = CertificateIssuer.CreateAuthority(SubjectName(request.AuthorityName, request.Subject), keys, notBefore, now.AddDays(days));
            return new Authority(certificate, keys.Private, keyPath: null);
        }

        private static Authority LoadAuthority(string directory, char[]? password)
        {
            string certificatePath = System.IO.Path.Combine(directory, AuthorityCertificateFile);
            string keyPath = System.IO.Path.Combine(directory, AuthorityKeyFile);
            X509Certificate certificate;
            AsymmetricKeyParameter key;
            try
            {
                certificate = KeyMaterialFormat.ReadCertificate(certificatePath);
                key = KeyMaterialFormat.ReadPrivateKey(keyPath, password);
            }
            catch (InvalidDataException ex)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "AuthorityUnreadable", ex.Message, directory);
            }

            if (!CertificateFacts.IsAuthority(certificate))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "NotAnAuthority", $"'{certificatePath}' is not a CA certificate (basicConstraints CA:true is missing).", certificatePath);
            }

            if (!CertificateFacts.KeyMatches(certificate, key))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "AuthorityKeyMismatch", $"'{keyPath}' is not the private key of '{certificatePath}'.", keyPath);
            }

            if (certificate.NotAfter <= DateTime.UtcNow)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "AuthorityExpired", $"The certificate authority in '{certificatePath}' expired on {certificate.NotAfter:yyyy-MM-dd}; create a new set.", certificatePath);
            }

            return new Authority(certificate, key, keyPath);
        }

        private static List<PlannedCertificate> PlanCertificates(CertificateSetRequest request)
        {
            var extras = new List<string>();
            foreach (string name in request.SubjectAlternativeNames ?? Array.Empty<string>())
            {
                string trimmed = (name ?? string.Empty).Trim();
                if (!Iris.IrisNames.TryParseIpAddress(trimmed, out _) && !Iris.IrisNames.IsDnsName(trimmed))
                {
                    throw Invalid("InvalidSubjectAlternativeName", $"-SubjectAlternativeName '{name}' is neither a DNS name nor an IP address.", name);
                }

                if (!extras.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
                {
                    extras.Add(trimmed);
                }
            }

            var certificates = new List<PlannedCertificate>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            void AddHosts(IReadOnlyList<string>? hosts, CertificateRole role, string parameter)
            {
                foreach (string host in hosts ?? Array.Empty<string>())
                {
                    string name = (host ?? string.Empty).Trim();
                    if (!Iris.IrisNames.IsHostName(name))
                    {
                        throw Invalid("InvalidHostName", $"-{parameter} '{host}' is not a valid host name (letters, digits and hyphens, in dot-separated labels).", host);
                    }

                    if (string.Equals(name, "ca", StringComparison.OrdinalIgnoreCase))
                    {
                        throw Invalid("ReservedHostName", "'ca' cannot be a node host name: its files would collide with the CA's ca.cer and ca.key.", host);
                    }

                    if (!seen.Add(name))
                    {
                        throw Invalid("DuplicateHostName", $"The host name '{name}' is given more than once; every node needs its own name.", host);
                    }

                    var names = new List<string> { name };
                    names.AddRange(extras.Where(e => !string.Equals(e, name, StringComparison.OrdinalIgnoreCase)));
                    certificates.Add(new PlannedCertificate(name, role, names));
                }
            }

            AddHosts(request.DataServers, CertificateRole.DataServer, "DataServer");
            AddHosts(request.ApplicationServers, CertificateRole.ApplicationServer, "ApplicationServer");
            if (certificates.Count == 0)
            {
                throw Invalid("NoHosts", "Name at least one node with -DataServer or -ApplicationServer.", null);
            }

            return certificates;
        }

        private static void ValidateSubject(CertificateSetRequest request)
        {
            SubjectFields s = request.Subject ?? new SubjectFields();
            if (s.Country != null && (s.Country.Length != 2 || !s.Country.All(c => c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')))
            {
                throw Invalid("InvalidCountry", $"-Country must be a two-letter ISO 3166 code such as 'US'; '{s.Country}' was given.", s.Country);
            }

            foreach (var field in new[] { ("Organization", s.Organization), ("OrganizationalUnit", s.OrganizationalUnit), ("State", s.State), ("Locality", s.Locality), ("AuthorityName", request.AuthorityName) })
            {
                if (field.Item2 == null)
                {
                    continue;
                }

                if (field.Item2.Trim().Length == 0 || field.Item2.Length > 64 || field.Item2.Any(char.IsControl))
                {
                    throw Invalid("InvalidSubjectField", $"-{field.Item1} must be 1 to 64 printable characters.", field.Item2);
                }
            }
        }

        internal static X509Name SubjectName(string commonName, SubjectFields fields)
        {
            var oids = new List<DerObjectIdentifier>();
            var values = new List<string>();
            void Add(DerObjectIdentifier oid, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    oids.Add(oid);
                    values.Add(value!);
                }
            }

            Add(X509Name.C, fields.Country?.ToUpperInvariant());
            Add(X509Name.ST, fields.State);
            Add(X509Name.L, fields.Locality);
            Add(X509Name.O, fields.Organization);
            Add(X509Name.OU, fields.OrganizationalUnit);
            Add(X509Name.CN, commonName);
            return new X509Name(oids, values);
        }

        private static bool SamePath(string a, string b) =>
            string.Equals(System.IO.Path.GetFullPath(a).TrimEnd(System.IO.Path.DirectorySeparatorChar),
                System.IO.Path.GetFullPath(b).TrimEnd(System.IO.Path.DirectorySeparatorChar),
                System.IO.Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

        private static void TryRemoveEmptyDirectory(string directory)
        {
            try
            {
                if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static IrisOpsException Invalid(string id, string message, object? target) =>
            new IrisOpsException(IrisErrorKind.InvalidArgument, id, message, target);

        private sealed class Authority
        {
            public Authority(X509Certificate certificate, AsymmetricKeyParameter privateKey, string? keyPath)
            {
                Certificate = certificate;
                PrivateKey = privateKey;
                KeyPath = keyPath;
            }

            public X509Certificate Certificate { get; }

            public AsymmetricKeyParameter PrivateKey { get; }

            /// <summary>Where an existing CA's key lives; null for a CA created in this call.</summary>
            public string? KeyPath { get; }
        }

        private sealed class IssuedLeaf
        {
            public IssuedLeaf(PlannedCertificate planned, X509Certificate certificate, AsymmetricKeyParameter privateKey)
            {
                Planned = planned;
                Certificate = certificate;
                PrivateKey = privateKey;
            }

            public PlannedCertificate Planned { get; }

            public X509Certificate Certificate { get; }

            public AsymmetricKeyParameter PrivateKey { get; }
        }
    }
}
