using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using IrisOps.Core.Errors;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace IrisOps.Core.Certificates
{
    /// <summary>
    /// Reads a certificate set back from the folder New-IrisCertificateSet wrote: ca.cer, and each node's
    /// &lt;host&gt;.cer with its &lt;host&gt;.key (and &lt;host&gt;.pfx when present). Every node certificate must be
    /// signed by that CA and have its key beside it, so the object is one New-IrisEcpCluster can deploy.
    /// Private keys are not decrypted: an encrypted key is only recognised as such.
    /// </summary>
    public static class CertificateSetReader
    {
        public static IrisCertificateSet Read(string path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "PathRequired", "Give the folder of a certificate set with -Path.", path);
            }

            string directory = Path.GetFullPath(path);
            if (File.Exists(directory))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "PathIsFile", $"-Path '{directory}' is a file; give the folder New-IrisCertificateSet wrote.", directory);
            }

            if (!Directory.Exists(directory))
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "PathNotFound", $"The folder '{directory}' does not exist.", directory);
            }

            string authorityPath = Path.Combine(directory, CertificateSetGenerator.AuthorityCertificateFile);
            if (!File.Exists(authorityPath))
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "CertificateSetNotFound",
                    $"'{directory}' holds no certificate set: {CertificateSetGenerator.AuthorityCertificateFile} is missing. Give the folder New-IrisCertificateSet wrote.", directory);
            }

            X509Certificate authority = ReadCertificate(authorityPath);
            if (!CertificateFacts.IsAuthority(authority))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "NotAnAuthority", $"'{authorityPath}' is not a CA certificate (basicConstraints CA:true is missing).", authorityPath);
            }

            var certificates = new List<IrisCertificate>();
            foreach (string certificatePath in Directory.GetFiles(directory, "*.cer").OrderBy(f => f, StringComparer.Ordinal))
            {
                if (string.Equals(certificatePath, authorityPath, StringComparison.Ordinal))
                {
                    continue;
                }

                certificates.Add(ReadNode(certificatePath, authority));
            }

            if (certificates.Count == 0)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "CertificateSetEmpty",
                    $"'{directory}' has a CA but no node certificates (<host>.cer with <host>.key); create them with New-IrisCertificateSet -CertificateAuthorityPath.", directory);
            }

            string authorityKeyPath = Path.Combine(directory, CertificateSetGenerator.AuthorityKeyFile);
            return new IrisCertificateSet
            {
                Path = directory,
                Authority = new IrisCertificateAuthority
                {
                    Subject = authority.SubjectDN.ToString(),
                    Thumbprint = CertificateFacts.Thumbprint(authority),
                    NotAfter = authority.NotAfter,
                    CertificatePath = authorityPath,
                    KeyPath = File.Exists(authorityKeyPath) ? authorityKeyPath : string.Empty,
                    KeyAlgorithm = KeyPairFactory.Describe(authority.GetPublicKey()),
                },
                Certificates = certificates,
            };
        }

        private static IrisCertificate ReadNode(string certificatePath, X509Certificate authority)
        {
            X509Certificate certificate = ReadCertificate(certificatePath);
            if (!CertificateFacts.SignedBy(certificate, authority))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "CertificateNotFromAuthority",
                    $"'{certificatePath}' is not signed by the CA in this folder; a node certificate that the other nodes do not trust cannot carry ECP over TLS.", certificatePath);
            }

            string host = Path.GetFileNameWithoutExtension(certificatePath);
            string keyPath = Path.ChangeExtension(certificatePath, ".key");
            if (!File.Exists(keyPath))
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "CertificateKeyMissing",
                    $"'{certificatePath}' has no private key beside it ({Path.GetFileName(keyPath)}); a node needs both.", certificatePath);
            }

            bool encrypted = File.ReadAllText(keyPath, Encoding.ASCII).Contains("ENCRYPTED");
            if (!encrypted && !CertificateFacts.KeyMatches(certificate, ReadKey(keyPath)))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "CertificateKeyMismatch", $"'{keyPath}' is not the private key of '{certificatePath}'.", keyPath);
            }

            string pfxPath = Path.ChangeExtension(certificatePath, ".pfx");
            return new IrisCertificate
            {
                HostName = host,
                Role = RoleOf(certificate, certificatePath),
                Subject = certificate.SubjectDN.ToString(),
                Issuer = certificate.IssuerDN.ToString(),
                SubjectAlternativeNames = AlternativeNames(certificate),
                Thumbprint = CertificateFacts.Thumbprint(certificate),
                SerialNumber = Common.Hex.Upper(certificate.SerialNumber.ToByteArrayUnsigned()),
                NotBefore = certificate.NotBefore,
                NotAfter = certificate.NotAfter,
                KeyAlgorithm = KeyPairFactory.Describe(certificate.GetPublicKey()),
                CertificatePath = certificatePath,
                KeyPath = keyPath,
                PfxPath = File.Exists(pfxPath) ? pfxPath : null,
                KeyEncrypted = encrypted,
            };
        }

        // The set's own rule: the data server is the TLS server of ECP (serverAuth), application servers its clients (clientAuth).
        private static CertificateRole RoleOf(X509Certificate certificate, string path)
        {
            var usages = (certificate.GetExtendedKeyUsage() ?? new List<Org.BouncyCastle.Asn1.DerObjectIdentifier>()).Select(o => o.Id).ToList();
            if (usages.Contains(KeyPurposeID.id_kp_serverAuth.Id))
            {
                return CertificateRole.DataServer;
            }

            if (usages.Contains(KeyPurposeID.id_kp_clientAuth.Id))
            {
                return CertificateRole.ApplicationServer;
            }

            throw new IrisOpsException(IrisErrorKind.InvalidData, "CertificatePurposeMissing",
                $"'{path}' allows neither TLS server nor client use (extendedKeyUsage serverAuth or clientAuth); it cannot serve an ECP node.", path);
        }

        private static IReadOnlyList<string> AlternativeNames(X509Certificate certificate) =>
            (certificate.GetSubjectAlternativeNames() ?? new List<IList<object>>())
                .Where(entry => entry.Count >= 2)
                .Select(entry => entry[1]?.ToString() ?? string.Empty)
                .Where(name => name.Length > 0)
                .ToList();

        private static Org.BouncyCastle.Crypto.AsymmetricKeyParameter ReadKey(string path)
        {
            try
            {
                return KeyMaterialFormat.ReadPrivateKey(path, null);
            }
            catch (InvalidDataException ex)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "CertificateKeyUnreadable", ex.Message, path);
            }
        }

        private static X509Certificate ReadCertificate(string path)
        {
            try
            {
                return KeyMaterialFormat.ReadCertificate(path);
            }
            catch (InvalidDataException ex)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "CertificateUnreadable", ex.Message, path);
            }
        }
    }
}
