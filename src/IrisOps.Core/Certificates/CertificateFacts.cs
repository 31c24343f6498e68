using System.Security.Cryptography;
using IrisOps.Core.Common;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace IrisOps.Core.Certificates
{
    /// <summary>What the writer and the reader of a certificate set both ask of a certificate.</summary>
    internal static class CertificateFacts
    {
        /// <summary>The SHA-1 thumbprint, as Windows and OpenSSL (-fingerprint -sha1) show it.</summary>
        public static string Thumbprint(X509Certificate certificate)
        {
            using (SHA1 sha1 = SHA1.Create())
            {
                return Hex.Upper(sha1.ComputeHash(certificate.GetEncoded()));
            }
        }

        /// <summary>basicConstraints CA:true.</summary>
        public static bool IsAuthority(X509Certificate certificate)
        {
            BasicConstraints? constraints = BasicConstraints.GetInstance(certificate.GetExtensionValue(X509Extensions.BasicConstraints) is Asn1OctetString value
                ? Org.BouncyCastle.X509.Extension.X509ExtensionUtilities.FromExtensionValue(value)
                : null);
            return constraints != null && constraints.IsCA();
        }

        /// <summary>True when the private key belongs to the certificate: a random probe signed by one verifies with the other.</summary>
        public static bool KeyMatches(X509Certificate certificate, AsymmetricKeyParameter privateKey)
        {
            byte[] probe = new byte[32];
            new Org.BouncyCastle.Security.SecureRandom().NextBytes(probe);
            string algorithm = privateKey is Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters ? "SHA256WITHRSA" : "SHA256WITHECDSA";
            try
            {
                ISigner signer = Org.BouncyCastle.Security.SignerUtilities.GetSigner(algorithm);
                signer.Init(true, privateKey);
                signer.BlockUpdate(probe, 0, probe.Length);
                byte[] signature = signer.GenerateSignature();
                ISigner verifier = Org.BouncyCastle.Security.SignerUtilities.GetSigner(algorithm);
                verifier.Init(false, certificate.GetPublicKey());
                verifier.BlockUpdate(probe, 0, probe.Length);
                return verifier.VerifySignature(signature);
            }
            catch (Org.BouncyCastle.Security.InvalidKeyException)
            {
                return false;
            }
        }

        /// <summary>True when <paramref name="authority"/> signed <paramref name="certificate"/>.</summary>
        public static bool SignedBy(X509Certificate certificate, X509Certificate authority)
        {
            try
            {
                certificate.Verify(authority.GetPublicKey());
                return true;
            }
            catch (System.Exception ex) when (ex is Org.BouncyCastle.Security.InvalidKeyException || ex is Org.BouncyCastle.Security.Certificates.CertificateException || ex is Org.BouncyCastle.Security.SignatureException)
            {
                return false;
            }
        }
    }
}
