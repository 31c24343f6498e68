using System;
using System.Collections.Generic;
using System.Net;
using IrisOps.Core.Iris;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace IrisOps.Core.Certificates
{
    /// <summary>Builds the CA and node certificates with BouncyCastle: SHA-256 signatures, random serials, SKI/AKI.</summary>
    internal static class CertificateIssuer
    {
        private static readonly SecureRandom Random = new SecureRandom();

        public static X509Certificate CreateAuthority(X509Name subject, AsymmetricCipherKeyPair keys, DateTime notBefore, DateTime notAfter)
        {
            X509V3CertificateGenerator generator = Start(subject, subject, keys.Public, notBefore, notAfter);
            SubjectKeyIdentifier ski = X509ExtensionUtilities.CreateSubjectKeyIdentifier(keys.Public);
            generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(true));
            generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign));
            generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, ski);
            generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(ski.GetKeyIdentifier()));
            return generator.Generate(Signer(keys.Private));
        }

        public static X509Certificate CreateLeaf(
            X509Name subject,
            AsymmetricKeyParameter publicKey,
            CertificateRole role,
            IReadOnlyList<string> subjectAlternativeNames,
            X509Certificate authority,
            AsymmetricKeyParameter authorityKey,
            DateTime notBefore,
            DateTime notAfter)
        {
            X509V3CertificateGenerator generator = Start(authority.SubjectDN, subject, publicKey, notBefore, notAfter);
            int usage = publicKey is RsaKeyParameters ? KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment : KeyUsage.DigitalSignature;
            KeyPurposeID purpose = role == CertificateRole.DataServer ? KeyPurposeID.id_kp_serverAuth : KeyPurposeID.id_kp_clientAuth;

            generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(usage));
            generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            generator.AddExtension(X509Extensions.SubjectAlternativeName, false, AlternativeNames(subjectAlternativeNames));
            generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(publicKey));
            generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(AuthorityKeyId(authority)));
            return generator.Generate(Signer(authorityKey));
        }

        private static X509V3CertificateGenerator Start(X509Name issuer, X509Name subject, AsymmetricKeyParameter publicKey, DateTime notBefore, DateTime notAfter)
        {
            var generator = new X509V3CertificateGenerator();
            generator.SetSerialNumber(RandomSerial());
            generator.SetIssuerDN(issuer);
            generator.SetSubjectDN(subject);
            generator.SetNotBefore(notBefore);
            generator.SetNotAfter(notAfter);
            generator.SetPublicKey(publicKey);
            return generator;
        }

        private static ISignatureFactory Signer(AsymmetricKeyParameter signingKey)
        {
            string algorithm = signingKey is RsaKeyParameters ? "SHA256WITHRSA" : "SHA256WITHECDSA";
            return new Asn1SignatureFactory(algorithm, signingKey, Random);
        }

        // 128 random bits, positive and non-zero, as CA/Browser Forum practice asks (at least 64 bits of entropy).
        private static BigInteger RandomSerial()
        {
            var bytes = new byte[16];
            BigInteger serial;
            do
            {
                Random.NextBytes(bytes);
                bytes[0] &= 0x7F;
                serial = new BigInteger(1, bytes);
            }
            while (serial.SignValue == 0);

            return serial;
        }

        private static byte[] AuthorityKeyId(X509Certificate authority)
        {
            Asn1OctetString? existing = authority.GetExtensionValue(X509Extensions.SubjectKeyIdentifier);
            SubjectKeyIdentifier ski = existing != null
                ? SubjectKeyIdentifier.GetInstance(X509ExtensionUtilities.FromExtensionValue(existing))
                : X509ExtensionUtilities.CreateSubjectKeyIdentifier(authority.GetPublicKey());
            return ski.GetKeyIdentifier();
        }

        private static GeneralNames AlternativeNames(IReadOnlyList<string> names)
        {
            var entries = new List<GeneralName>();
            foreach (string name in names)
            {
                entries.Add(IrisNames.TryParseIpAddress(name, out IPAddress? address)
                    ? new GeneralName(GeneralName.IPAddress, address!.ToString())
                    : new GeneralName(GeneralName.DnsName, name));
            }

            return new GeneralNames(entries.ToArray());
        }
    }
}
