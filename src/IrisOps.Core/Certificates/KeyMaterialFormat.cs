using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace IrisOps.Core.Certificates
{
    /// <summary>
    /// The file formats of a certificate set: PEM certificates, PKCS#8 keys (AES-256-CBC with PBKDF2-HMAC-SHA256
    /// when a password is given) and PKCS#12 files that Windows Server 2016 can import.
    /// </summary>
    internal static class KeyMaterialFormat
    {
        // PBKDF2 rounds for encrypted keys: far above OpenSSL's default of 2048, still quick to open at startup.
        internal const int KeyIterations = 100_000;

        private static readonly SecureRandom Random = new SecureRandom();

        public static byte[] CertificatePem(X509Certificate certificate) => Pem("CERTIFICATE", certificate.GetEncoded());

        public static byte[] PrivateKeyPem(AsymmetricKeyParameter privateKey, char[]? password)
        {
            if (password == null)
            {
                PrivateKeyInfo info = PrivateKeyInfoFactory.CreatePrivateKeyInfo(privateKey);
                return Pem("PRIVATE KEY", info.GetDerEncoded());
            }

            var salt = new byte[16];
            Random.NextBytes(salt);
            EncryptedPrivateKeyInfo encrypted = EncryptedPrivateKeyInfoFactory.CreateEncryptedPrivateKeyInfo(
                NistObjectIdentifiers.IdAes256Cbc, PkcsObjectIdentifiers.IdHmacWithSha256, password, salt, KeyIterations, Random, privateKey);
            return Pem("ENCRYPTED PRIVATE KEY", encrypted.GetDerEncoded());
        }

        /// <summary>
        /// A PKCS#12 file with the key, the leaf and the CA. Both bags use pbeWithSHAAnd3-KeyTripleDES-CBC with
        /// a SHA-1 MAC: the newest protection Windows Server 2016 imports, and one OpenSSL 3 opens without
        /// its legacy provider (the common RC2-40 certificate bag would need it).
        /// </summary>
        public static byte[] Pkcs12(string friendlyName, AsymmetricKeyParameter privateKey, X509Certificate leaf, X509Certificate authority, char[] password)
        {
            Pkcs12Store store = new Pkcs12StoreBuilder()
                .SetKeyAlgorithm(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc)
                .SetCertAlgorithm(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc)
                .SetUseDerEncoding(true)
                .Build();
            var chain = new[] { new X509CertificateEntry(leaf), new X509CertificateEntry(authority) };
            store.SetKeyEntry(friendlyName, new AsymmetricKeyEntry(privateKey), chain);
            using (var output = new MemoryStream())
            {
                store.Save(output, password, Random);
                return output.ToArray();
            }
        }

        public static X509Certificate ReadCertificate(string path)
        {
            try
            {
                using (var reader = new StreamReader(path, Encoding.ASCII))
                {
                    if (new PemReader(reader).ReadObject() is X509Certificate certificate)
                    {
                        return certificate;
                    }
                }
            }
            catch (Exception ex) when (ex is PemException || ex is IOException && !(ex is FileNotFoundException) || ex is ArgumentException)
            {
                // Fall through to DER.
            }

            // Not PEM: try DER, as Windows exports it.
            X509Certificate? der;
            try
            {
                der = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(path));
            }
            catch (Exception ex) when (ex is Org.BouncyCastle.Security.Certificates.CertificateException || ex is ArgumentException || ex is InvalidCastException || ex is IOException)
            {
                der = null;
            }

            return der ?? throw new InvalidDataException($"'{path}' does not hold a PEM or DER certificate.");
        }

        /// <summary>Reads a PEM private key: PKCS#8 (plain or encrypted), or the traditional RSA/EC forms.</summary>
        public static AsymmetricKeyParameter ReadPrivateKey(string path, char[]? password)
        {
            string text = File.ReadAllText(path, Encoding.ASCII);
            bool encrypted = text.Contains("ENCRYPTED");
            if (encrypted && password == null)
            {
                throw new KeyPasswordException($"The key '{path}' is encrypted: pass its password with -KeyPassword.");
            }

            object? item;
            try
            {
                item = new PemReader(new StringReader(text), new PasswordSource(password)).ReadObject();
            }
            catch (Exception ex) when (encrypted && (ex is InvalidCipherTextException || ex is PemException || ex is IOException || ex is ArgumentException))
            {
                throw new KeyPasswordException($"The key '{path}' could not be decrypted: the password is wrong or the file is damaged.");
            }

            switch (item)
            {
                case AsymmetricCipherKeyPair pair:
                    return pair.Private;
                case AsymmetricKeyParameter key when key.IsPrivate:
                    return key;
                default:
                    throw new InvalidDataException($"'{path}' does not hold a PEM private key.");
            }
        }

        private static byte[] Pem(string label, byte[] der)
        {
            string base64 = Convert.ToBase64String(der);
            var text = new StringBuilder();
            text.Append("-----BEGIN ").Append(label).Append("-----\n");
            for (int i = 0; i < base64.Length; i += 64)
            {
                text.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
            }

            text.Append("-----END ").Append(label).Append("-----\n");
            return Encoding.ASCII.GetBytes(text.ToString());
        }

        private sealed class PasswordSource : IPasswordFinder
        {
            private readonly char[]? password;

            public PasswordSource(char[]? password) => this.password = password;

            // BouncyCastle may clear what it is given, so it gets a copy.
            public char[] GetPassword() => password == null ? Array.Empty<char>() : (char[])password.Clone();
        }
    }

    /// <summary>A key that needs a password it was not given, or a wrong one. The message never contains the password.</summary>
    internal sealed class KeyPasswordException : Exception
    {
        public KeyPasswordException(string message)
            : base(message)
        {
        }
    }
}
