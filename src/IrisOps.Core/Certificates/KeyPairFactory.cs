using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace IrisOps.Core.Certificates
{
    /// <summary>
    /// Generates key pairs with the platform's crypto (OpenSSL on Linux, CNG on Windows), which finds RSA
    /// primes several times faster than BouncyCastle's managed code, and hands them to BouncyCastle as
    /// parameters. BouncyCastle's own generator is the fallback where the platform refuses.
    /// </summary>
    internal static class KeyPairFactory
    {
        public static AsymmetricCipherKeyPair Generate(KeyAlgorithm algorithm)
        {
            try
            {
                return IsRsa(algorithm) ? PlatformRsa(RsaBits(algorithm)) : PlatformEc(algorithm);
            }
            // Mono's .NET Framework profile has no CNG and throws NotImplementedException.
            catch (Exception ex) when (ex is PlatformNotSupportedException || ex is CryptographicException || ex is NotImplementedException)
            {
                return IsRsa(algorithm) ? ManagedRsa(RsaBits(algorithm)) : ManagedEc(algorithm);
            }
        }

        public static bool IsRsa(KeyAlgorithm algorithm) =>
            algorithm == KeyAlgorithm.Rsa2048 || algorithm == KeyAlgorithm.Rsa3072 || algorithm == KeyAlgorithm.Rsa4096;

        public static KeyAlgorithm Describe(AsymmetricKeyParameter publicKey)
        {
            switch (publicKey)
            {
                case RsaKeyParameters rsa when rsa.Modulus.BitLength > 3072:
                    return KeyAlgorithm.Rsa4096;
                case RsaKeyParameters rsa when rsa.Modulus.BitLength > 2048:
                    return KeyAlgorithm.Rsa3072;
                case RsaKeyParameters _:
                    return KeyAlgorithm.Rsa2048;
                case ECPublicKeyParameters ec when ec.Parameters.Curve.FieldSize > 256:
                    return KeyAlgorithm.EcdsaP384;
                case ECPublicKeyParameters _:
                    return KeyAlgorithm.EcdsaP256;
                default:
                    throw new NotSupportedException("Only RSA and ECDSA keys are supported.");
            }
        }

        private static int RsaBits(KeyAlgorithm algorithm) =>
            algorithm == KeyAlgorithm.Rsa4096 ? 4096 : algorithm == KeyAlgorithm.Rsa3072 ? 3072 : 2048;

        private static DerObjectIdentifier CurveOid(KeyAlgorithm algorithm) =>
            algorithm == KeyAlgorithm.EcdsaP384 ? SecObjectIdentifiers.SecP384r1 : SecObjectIdentifiers.SecP256r1;

        private static AsymmetricCipherKeyPair PlatformRsa(int bits)
        {
#if NETFRAMEWORK
            using (RSA rsa = new RSACng(bits))
#else
            using (RSA rsa = RSA.Create(bits))
#endif
            {
                RSAParameters p = rsa.ExportParameters(includePrivateParameters: true);
                try
                {
                    var publicKey = new RsaKeyParameters(false, Positive(p.Modulus), Positive(p.Exponent));
                    var privateKey = new RsaPrivateCrtKeyParameters(
                        Positive(p.Modulus), Positive(p.Exponent), Positive(p.D), Positive(p.P), Positive(p.Q),
                        Positive(p.DP), Positive(p.DQ), Positive(p.InverseQ));
                    return new AsymmetricCipherKeyPair(publicKey, privateKey);
                }
                finally
                {
                    Wipe(p.D, p.P, p.Q, p.DP, p.DQ, p.InverseQ);
                }
            }
        }

        private static AsymmetricCipherKeyPair PlatformEc(KeyAlgorithm algorithm)
        {
            ECCurve curve = algorithm == KeyAlgorithm.EcdsaP384 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256;
            using (ECDsa ecdsa = ECDsa.Create(curve))
            {
                ECParameters p = ecdsa.ExportParameters(includePrivateParameters: true);
                try
                {
                    ECNamedDomainParameters domain = Domain(algorithm);
                    var q = domain.Curve.CreatePoint(Positive(p.Q.X), Positive(p.Q.Y));
                    var publicKey = new ECPublicKeyParameters("EC", q, domain);
                    var privateKey = new ECPrivateKeyParameters("EC", Positive(p.D), domain);
                    return new AsymmetricCipherKeyPair(publicKey, privateKey);
                }
                finally
                {
                    Wipe(p.D);
                }
            }
        }

        private static AsymmetricCipherKeyPair ManagedRsa(int bits)
        {
            var generator = new RsaKeyPairGenerator();
            generator.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), new SecureRandom(), bits, 100));
            return generator.GenerateKeyPair();
        }

        private static AsymmetricCipherKeyPair ManagedEc(KeyAlgorithm algorithm)
        {
            var generator = new ECKeyPairGenerator("EC");
            generator.Init(new ECKeyGenerationParameters(Domain(algorithm), new SecureRandom()));
            return generator.GenerateKeyPair();
        }

        private static ECNamedDomainParameters Domain(KeyAlgorithm algorithm)
        {
            DerObjectIdentifier oid = CurveOid(algorithm);
            X9ECParameters x9 = ECNamedCurveTable.GetByOid(oid);
            return new ECNamedDomainParameters(oid, x9);
        }

        private static BigInteger Positive(byte[]? bytes) =>
            new BigInteger(1, bytes ?? throw new CryptographicException("The platform returned an incomplete key."));

        private static void Wipe(params byte[]?[] arrays)
        {
            foreach (byte[]? array in arrays)
            {
                if (array != null)
                {
                    Array.Clear(array, 0, array.Length);
                }
            }
        }
    }
}
