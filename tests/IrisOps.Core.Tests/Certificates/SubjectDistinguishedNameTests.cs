using System;
using System.Diagnostics;
using System.IO;
using IrisOps.Core.Certificates;
using IrisOps.Core.Errors;
using IrisOps.Tests.Ecp;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Xunit;

namespace IrisOps.Tests.Certificates
{
    public class SubjectDistinguishedNameTests
    {
        private static string Of(X509Name subject) => SubjectDistinguishedName.FromPem(System.Text.Encoding.ASCII.GetString(TestCertificates.Pem(subject)), "test");

        [Theory]
        [InlineData("C=US,O=Acme,CN=app-1", "CN=app-1, O=Acme, C=US")]
        [InlineData("C=FR,ST=Ile-de-France,L=Paris,O=Acme Corp.,OU=Ops,CN=app-2", "CN=app-2, OU=Ops, O=Acme Corp., L=Paris, ST=Ile-de-France, C=FR")]
        [InlineData("O=Acme,OU=Ops,CN=app-3", "CN=app-3, OU=Ops, O=Acme")]
        [InlineData("DC=com,DC=example,CN=app-4", "CN=app-4, DC=example, DC=com")]
        [InlineData("CN=app-5", "CN=app-5")]
        public void RendersTheRdnsFromCnOutwardsJoinedByCommaSpace(string x509Order, string expected)
        {
            Assert.Equal(expected, Of(new X509Name(x509Order)));
        }

        [Fact]
        public void ReadsTheSubjectNewIrisCertificateSetWrites()
        {
            var fields = new SubjectFields { Organization = "Acme", OrganizationalUnit = "Platform", Country = "us", State = "MA", Locality = "Cambridge" };
            Assert.Equal("CN=node-1, OU=Platform, O=Acme, L=Cambridge, ST=MA, C=US", Of(CertificateSetGenerator.SubjectName("node-1", fields)));
            Assert.Equal("CN=node-2", Of(CertificateSetGenerator.SubjectName("node-2", new SubjectFields())));
        }

        [Fact]
        public void ReadsACertificateMadeByOpenssl()
        {
            using var folder = new TempFolder();
            string key = folder.Combine("k.pem");
            string cer = folder.Combine("c.pem");
            // One command line (not ArgumentList, which .NET Framework lacks); the temporary paths have no quotes.
            var start = new ProcessStartInfo("openssl",
                $"req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj \"/C=DE/ST=Berlin/L=Berlin/O=Acme GmbH/OU=Ops/CN=app-7\" -keyout \"{key}\" -out \"{cer}\"")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };

            using (Process openssl = Process.Start(start)!)
            {
                string error = openssl.StandardError.ReadToEnd();
                Assert.True(openssl.WaitForExit(30000), "openssl did not finish");
                Assert.True(openssl.ExitCode == 0, error);
            }

            Assert.Equal("CN=app-7, OU=Ops, O=Acme GmbH, L=Berlin, ST=Berlin, C=DE", SubjectDistinguishedName.FromPemFile(cer));
        }

        [Theory]
        [InlineData("C=US,O=Acme\\, Inc.,CN=app")]
        [InlineData("C=US,O=a\\\\b,CN=app")]
        [InlineData("C=US,O=a\\+b,CN=app")]
        [InlineData("C=US,O=a;b,CN=app")]
        [InlineData("C=US,O=a\\=b,CN=app")]
        [InlineData("C=US,O=a/b,CN=app")]
        [InlineData("CN=app,O=Acme,C=US")]
        [InlineData("O=Acme,C=US")]
        [InlineData("CN=a,CN=b")]
        [InlineData("E=me@example.com,CN=app")]
        public void RefusesSubjectsWithoutADocumentedRendering(string subject)
        {
            IrisOpsException refused = Assert.Throws<IrisOpsException>(() => Of(new X509Name(subject)));
            Assert.Equal("SubjectNotAuthorizable", refused.ErrorId);
            Assert.Contains("test", refused.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void RefusesAQuoteInAValue()
        {
            var subject = new X509Name(new[] { X509Name.O, X509Name.CN }, new[] { "Say \"hi\"", "app" });
            Assert.Equal("SubjectNotAuthorizable", Assert.Throws<IrisOpsException>(() => Of(subject)).ErrorId);
        }

        [Fact]
        public void RefusesAMultiValuedRdn()
        {
            var rdn = new DerSet(new Asn1Encodable[]
            {
                new DerSequence(X509Name.CN, new DerUtf8String("app")),
                new DerSequence(X509Name.O, new DerUtf8String("Acme")),
            });
            var subject = X509Name.GetInstance(new DerSequence(rdn));
            Assert.Equal("SubjectNotAuthorizable", Assert.Throws<IrisOpsException>(() => SubjectDistinguishedName.From(subject, "multi")).ErrorId);
        }

        [Fact]
        public void NamesAFileThatIsNotACertificate()
        {
            using var folder = new TempFolder();
            string path = folder.Combine("not.cer");
            File.WriteAllText(path, "not a certificate");
            IrisOpsException refused = Assert.Throws<IrisOpsException>(() => SubjectDistinguishedName.FromPemFile(path));
            Assert.Equal("CertificateUnreadable", refused.ErrorId);
            Assert.Contains(path, refused.Message, StringComparison.Ordinal);
        }
    }
}
