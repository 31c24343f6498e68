using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Errors;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.X509;

namespace IrisOps.Core.Certificates
{
    /// <summary>
    /// A certificate's Subject Distinguished Name in the form the InterSystems Scalability Guide shows for
    /// SYS.ECP.AddAuthorizedCN ("CN=RemoteClientCert, OU=Department, O=Organization, C=US"): the RDNs from the
    /// most specific (CN) outwards, joined by ", ". The manual shows no escaping rule, so a subject IRIS could
    /// not be matched against reliably (a value with a comma, quote, backslash..., a multi-valued RDN, an
    /// attribute without a short name) is refused instead of guessed.
    /// </summary>
    public static class SubjectDistinguishedName
    {
        // The short names OpenSSL (which IRIS uses for TLS) prints for the usual subject attributes.
        private static readonly IReadOnlyDictionary<string, string> ShortNames = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [X509Name.CN.Id] = "CN",
            [X509Name.OU.Id] = "OU",
            [X509Name.O.Id] = "O",
            [X509Name.L.Id] = "L",
            [X509Name.ST.Id] = "ST",
            [X509Name.C.Id] = "C",
            [X509Name.DC.Id] = "DC",
        };

        private const string SpecialCharacters = ",+\"\\<>;=#/";

        /// <summary>The DN of the certificate in a PEM file.</summary>
        public static string FromPemFile(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Unreadable(path, ex.Message);
            }

            return FromPem(text, path);
        }

        /// <summary>The DN of a PEM certificate; <paramref name="source"/> names it in errors.</summary>
        public static string FromPem(string pem, string source)
        {
            X509Certificate? certificate;
            try
            {
                certificate = new PemReader(new StringReader(pem)).ReadObject() as X509Certificate;
            }
            catch (Exception ex) when (ex is IOException || ex is Org.BouncyCastle.Security.GeneralSecurityException)
            {
                throw Unreadable(source, ex.Message);
            }

            return From(certificate?.SubjectDN ?? throw Unreadable(source, "no PEM certificate"), source);
        }

        private static IrisOpsException Unreadable(string source, string why) =>
            new IrisOpsException(IrisErrorKind.InvalidData, "CertificateUnreadable", $"'{source}' is not a readable PEM certificate: {why}", source);

        /// <summary>The DN of a subject name; <paramref name="source"/> names it in errors.</summary>
        public static string From(X509Name subject, string source)
        {
            Asn1Sequence sequence = Asn1Sequence.GetInstance(subject.ToAsn1Object());
            var parts = new List<string>();
            foreach (Asn1Encodable item in sequence)
            {
                Asn1Set rdn = Asn1Set.GetInstance(item);
                if (rdn.Count != 1)
                {
                    throw Refused(source, "it has a multi-valued RDN");
                }

                Asn1Sequence attribute = Asn1Sequence.GetInstance(rdn[0]);
                string type = DerObjectIdentifier.GetInstance(attribute[0]).Id;
                if (!ShortNames.TryGetValue(type, out string? name))
                {
                    throw Refused(source, $"it has the attribute {type}, which has no short name IRIS is documented to print");
                }

                string value = attribute[1] is IAsn1String text ? text.GetString() : attribute[1].ToString()!;
                if (value.Length == 0 || value.Trim() != value || value.Any(c => char.IsControl(c) || SpecialCharacters.IndexOf(c) >= 0))
                {
                    throw Refused(source, $"the value of {name} ('{Printable(value)}') is empty, has outer blanks, a control character or one of {SpecialCharacters}, and the manuals document no escaping for AddAuthorizedCN");
                }

                parts.Add(name + "=" + value);
            }

            // The manual's form starts at CN and goes outwards; a subject whose CN is missing, repeated or not
            // its most specific (last) RDN has no documented rendering.
            if (parts.Count(p => p.StartsWith("CN=", StringComparison.Ordinal)) != 1 || !parts[parts.Count - 1].StartsWith("CN=", StringComparison.Ordinal))
            {
                throw Refused(source, "its subject does not end with exactly one CN (the X.509 order C, ST, L, O, OU, CN that New-IrisCertificateSet and openssl req -subj \"/C=../O=../CN=..\" write)");
            }

            // X.509 stores the subject from the root (C) to the leaf (CN); the manual's form starts at CN.
            parts.Reverse();
            return string.Join(", ", parts);
        }

        private static string Printable(string value) => new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());

        private static IrisOpsException Refused(string source, string why) =>
            new IrisOpsException(IrisErrorKind.InvalidArgument, "SubjectNotAuthorizable",
                $"The certificate '{source}' cannot be authorized for ECP: {why}. Issue it again with a plain subject (New-IrisCertificateSet -Organization, -OrganizationalUnit, -Country, -State, -Locality take any printable text without {SpecialCharacters}).", source);
    }
}
