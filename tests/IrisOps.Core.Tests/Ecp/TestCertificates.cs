using System;
using System.IO;
using IrisOps.Core.Certificates;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.X509;

namespace IrisOps.Tests.Ecp
{
    /// <summary>Real PEM certificates for planner and tester tests, all issued by one P-256 test CA made once.</summary>
    internal static class TestCertificates
    {
        private static readonly Lazy<(X509Certificate Certificate, AsymmetricCipherKeyPair Keys)> Authority = new Lazy<(X509Certificate, AsymmetricCipherKeyPair)>(() =>
        {
            AsymmetricCipherKeyPair keys = KeyPairFactory.Generate(KeyAlgorithm.EcdsaP256);
            return (CertificateIssuer.CreateAuthority(new X509Name("CN=IrisOps test CA"), keys, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30)), keys);
        });

        private static readonly Lazy<AsymmetricCipherKeyPair> LeafKeys = new Lazy<AsymmetricCipherKeyPair>(() => KeyPairFactory.Generate(KeyAlgorithm.EcdsaP256));

        public static byte[] AuthorityPem => KeyMaterialFormat.CertificatePem(Authority.Value.Certificate);

        public static X509Certificate Issue(X509Name subject) =>
            CertificateIssuer.CreateLeaf(subject, LeafKeys.Value.Public, CertificateRole.ApplicationServer, new[] { "node" },
                Authority.Value.Certificate, Authority.Value.Keys.Private, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30));

        public static byte[] Pem(X509Name subject) => KeyMaterialFormat.CertificatePem(Issue(subject));

        /// <summary>A certificate with the same subject from a CA of its own (a "foreign" CA).</summary>
        public static byte[] ForeignPem(X509Name subject)
        {
            AsymmetricCipherKeyPair keys = KeyPairFactory.Generate(KeyAlgorithm.EcdsaP256);
            X509Certificate other = CertificateIssuer.CreateAuthority(new X509Name("CN=Another CA"), keys, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30));
            return KeyMaterialFormat.CertificatePem(CertificateIssuer.CreateLeaf(subject, LeafKeys.Value.Public, CertificateRole.ApplicationServer,
                new[] { "node" }, other, keys.Private, DateTime.UtcNow.AddDays(-1), DateTime.UtcNow.AddDays(30)));
        }

        public static string Write(string path, byte[] pem)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, pem);
            return path;
        }
    }
}
