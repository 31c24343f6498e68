using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Certificates;
using IrisOps.Core.Common;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Certificates
{
    public class CertificateSetGeneratorTests
    {
        private static Task<IrisCertificateSet> Create(CertificateSetRequest request, CancellationToken cancellationToken = default) =>
            CertificateSetGenerator.CreateAsync(CertificateSetGenerator.Plan(request), NullOperationReporter.Instance, cancellationToken);

        private static CertificateSetRequest Request(string path, params string[] applicationServers) => new CertificateSetRequest
        {
            Path = path,
            DataServers = new[] { "data-server" },
            ApplicationServers = applicationServers.Length == 0 ? new[] { "app-1", "app-2" } : applicationServers,
        };

        private static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text)
            {
                secure.AppendChar(c);
            }

            return secure;
        }

        private static X509Certificate2 Load(string path) => X509Certificate2.CreateFromPem(File.ReadAllText(path));

        [Fact]
        public async Task The_CA_is_a_critical_CA_with_certificate_signing_usages()
        {
            using var folder = new TempFolder();
            IrisCertificateSet set = await Create(Request(folder.Path));

            using X509Certificate2 ca = Load(set.Authority.CertificatePath);
            var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().Single();
            Assert.True(constraints.CertificateAuthority);
            Assert.True(constraints.Critical);
            var usage = ca.Extensions.OfType<X509KeyUsageExtension>().Single();
            Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
            Assert.Equal("sha256RSA", ca.SignatureAlgorithm.FriendlyName);
            Assert.True(ca.NotAfter > DateTime.UtcNow.AddDays(3640), "the CA outlives the default 730-day leaves by years");
            Assert.Equal(ca.Thumbprint, set.Authority.Thumbprint);
        }

        [Fact]
        public async Task Leaves_have_role_usages_names_and_key_identifiers_chained_to_the_CA()
        {
            using var folder = new TempFolder();
            CertificateSetRequest request = Request(folder.Path);
            request.SubjectAlternativeNames = new[] { "127.0.0.1", "iris.example.com" };
            IrisCertificateSet set = await Create(request);

            using X509Certificate2 ca = Load(set.Authority.CertificatePath);
            string caSki = ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier!;
            Assert.Equal(3, set.Certificates.Count);
            foreach (IrisCertificate info in set.Certificates)
            {
                using X509Certificate2 leaf = Load(info.CertificatePath);
                Assert.Equal("CN=" + info.HostName, leaf.Subject);
                Assert.Equal(ca.Subject, leaf.Issuer);
                Assert.Equal("sha256RSA", leaf.SignatureAlgorithm.FriendlyName);
                Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);

                var eku = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToList();
                string expected = info.Role == CertificateRole.DataServer ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2";
                Assert.Equal(new[] { expected }, eku);

                var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
                Assert.Equal(new[] { info.HostName, "iris.example.com" }, san.EnumerateDnsNames().ToArray());
                Assert.Equal(new[] { "127.0.0.1" }, san.EnumerateIPAddresses().Select(a => a.ToString()).ToArray());

                Assert.NotNull(leaf.Extensions.OfType<X509SubjectKeyIdentifierExtension>().SingleOrDefault());
                var aki = leaf.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
                Assert.Equal(caSki, Convert.ToHexString(aki.KeyIdentifier!.Value.ToArray()));

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
            }

            Assert.Equal(CertificateRole.DataServer, set.Certificates.Single(c => c.HostName == "data-server").Role);
        }

        [Fact]
        public async Task Serial_numbers_are_random_and_at_least_64_bits()
        {
            using var folder = new TempFolder();
            IrisCertificateSet set = await Create(Request(folder.Path, "a1", "a2", "a3", "a4"));
            var serials = set.Certificates.Select(c => Load(c.CertificatePath).SerialNumberBytes.ToArray()).ToList();
            Assert.Equal(serials.Count, serials.Select(Convert.ToHexString).Distinct().Count());
            Assert.All(serials, s => Assert.True(s.Length >= 8));
        }

        [Fact]
        public async Task Private_keys_are_owner_only_and_certificates_are_not()
        {
            if (OperatingSystem.IsWindows())
            {
                return; // the Windows ACL is covered where Windows runs; this machine checks the Unix mode
            }

            using var folder = new TempFolder();
            CertificateSetRequest request = Request(folder.Path);
            request.KeyPassword = Secure("correct horse");
            request.IncludePfx = true;
            IrisCertificateSet set = await Create(request);

            foreach (string key in set.Certificates.Select(c => c.KeyPath).Concat(set.Certificates.Select(c => c.PfxPath!)).Append(set.Authority.KeyPath))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            }

            Assert.True(File.GetUnixFileMode(set.Authority.CertificatePath).HasFlag(UnixFileMode.OtherRead));
        }

        [Fact]
        public async Task Encrypted_keys_open_with_the_password_only()
        {
            using var folder = new TempFolder();
            CertificateSetRequest request = Request(folder.Path);
            request.KeyPassword = Secure("s3cret pass");
            IrisCertificateSet set = await Create(request);

            string pem = File.ReadAllText(set.Certificates[0].KeyPath);
            Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", pem);
            Assert.DoesNotContain("s3cret", pem);
            using RSA rsa = RSA.Create();
            rsa.ImportFromEncryptedPem(pem, "s3cret pass");
            Assert.Equal(2048, rsa.KeySize);
            using RSA wrong = RSA.Create();
            Assert.ThrowsAny<CryptographicException>(() => wrong.ImportFromEncryptedPem(pem, "not it"));
        }

        [Theory]
        [InlineData(KeyAlgorithm.Rsa3072, "RSA", 3072)]
        [InlineData(KeyAlgorithm.EcdsaP256, "ECDSA", 256)]
        [InlineData(KeyAlgorithm.EcdsaP384, "ECDSA", 384)]
        public async Task Every_key_algorithm_gives_keys_of_that_type(KeyAlgorithm algorithm, string family, int size)
        {
            using var folder = new TempFolder();
            CertificateSetRequest request = Request(folder.Path, "app-1");
            request.KeyAlgorithm = algorithm;
            IrisCertificateSet set = await Create(request);

            using X509Certificate2 leaf = X509Certificate2.CreateFromPemFile(set.Certificates[0].CertificatePath, set.Certificates[0].KeyPath);
            Assert.True(leaf.HasPrivateKey);
            if (family == "RSA")
            {
                Assert.Equal(size, leaf.GetRSAPublicKey()!.KeySize);
            }
            else
            {
                Assert.Equal(size, leaf.GetECDsaPublicKey()!.KeySize);
                Assert.Equal("sha256ECDSA", leaf.SignatureAlgorithm.FriendlyName);
            }

            Assert.Equal(algorithm, set.Authority.KeyAlgorithm);
        }

        [Fact]
        public async Task The_pfx_holds_key_leaf_and_CA_under_the_password()
        {
            using var folder = new TempFolder();
            CertificateSetRequest request = Request(folder.Path, "app-1");
            request.KeyPassword = Secure("pfx-pass");
            request.IncludePfx = true;
            IrisCertificateSet set = await Create(request);

            IrisCertificate app = set.Certificates.Single(c => c.HostName == "app-1");
            X509Certificate2Collection contents = X509CertificateLoader.LoadPkcs12CollectionFromFile(app.PfxPath!, "pfx-pass");
            Assert.Equal(2, contents.Count);
            Assert.Contains(contents.Cast<X509Certificate2>(), c => c.HasPrivateKey && c.Thumbprint == app.Thumbprint);
            Assert.Contains(contents.Cast<X509Certificate2>(), c => c.Thumbprint == set.Authority.Thumbprint);
            Assert.ThrowsAny<CryptographicException>(() => X509CertificateLoader.LoadPkcs12CollectionFromFile(app.PfxPath!, "wrong"));
        }

        [Fact]
        public async Task Existing_files_are_refused_without_force_and_left_unchanged()
        {
            using var folder = new TempFolder();
            await Create(Request(folder.Path));
            Dictionary<string, byte[]> before = Directory.GetFiles(folder.Path).ToDictionary(f => f, File.ReadAllBytes);

            var error = Assert.Throws<IrisOpsException>(() => CertificateSetGenerator.Plan(Request(folder.Path)));
            Assert.Equal("CertificateFilesExist", error.ErrorId);
            Assert.Contains("ca.cer", error.Message);
            Assert.Equal(before.Keys.OrderBy(k => k), Directory.GetFiles(folder.Path).OrderBy(k => k));
            Assert.All(before, pair => Assert.Equal(pair.Value, File.ReadAllBytes(pair.Key)));
        }

        [Fact]
        public async Task Force_replaces_every_file_and_leaves_no_temporary_files()
        {
            using var folder = new TempFolder();
            IrisCertificateSet first = await Create(Request(folder.Path));
            CertificateSetRequest again = Request(folder.Path);
            again.Force = true;
            IrisCertificateSet second = await Create(again);

            Assert.NotEqual(first.Authority.Thumbprint, second.Authority.Thumbprint);
            Assert.Equal(second.Authority.Thumbprint, Load(second.Authority.CertificatePath).Thumbprint);
            Assert.Empty(Directory.GetFiles(folder.Path, "*.irisops-*"));
        }

        [Fact]
        public async Task New_leaves_can_be_issued_by_an_existing_CA_whose_key_stays_put()
        {
            using var folder = new TempFolder();
            CertificateSetRequest original = Request(folder.Combine("cluster"));
            original.KeyPassword = Secure("ca-pass");
            IrisCertificateSet set = await Create(original);
            byte[] caKeyBefore = File.ReadAllBytes(set.Authority.KeyPath);

            var addition = new CertificateSetRequest
            {
                Path = folder.Combine("extra"),
                ApplicationServers = new[] { "app-3" },
                CertificateAuthorityPath = set.Path,
                KeyPassword = Secure("ca-pass"),
            };
            IrisCertificateSet extra = await Create(addition);

            Assert.Equal(set.Authority.Thumbprint, extra.Authority.Thumbprint);
            Assert.Equal(set.Authority.KeyPath, extra.Authority.KeyPath);
            Assert.False(File.Exists(Path.Combine(extra.Path, "ca.key")));
            Assert.True(File.Exists(Path.Combine(extra.Path, "ca.cer")));
            Assert.Equal(caKeyBefore, File.ReadAllBytes(set.Authority.KeyPath));
            using X509Certificate2 leaf = Load(extra.Certificates[0].CertificatePath);
            Assert.Equal(Load(set.Authority.CertificatePath).Subject, leaf.Issuer);

            // In the CA's own folder only the new node's files are written.
            IrisCertificateSet inPlace = await Create(new CertificateSetRequest
            {
                Path = set.Path,
                ApplicationServers = new[] { "app-4" },
                CertificateAuthorityPath = set.Path,
                KeyPassword = Secure("ca-pass"),
            });
            Assert.Equal(new[] { "app-4.cer", "app-4.key" }, Directory.GetFiles(set.Path, "app-4*").Select(Path.GetFileName).OrderBy(n => n));
            Assert.Equal(set.Authority.Thumbprint, inPlace.Authority.Thumbprint);
        }

        [Fact]
        public async Task An_encrypted_CA_key_needs_the_right_password()
        {
            using var folder = new TempFolder();
            CertificateSetRequest original = Request(folder.Path);
            original.KeyPassword = Secure("ca-pass");
            IrisCertificateSet set = await Create(original);

            var missing = await Assert.ThrowsAsync<IrisOpsException>(() => Create(new CertificateSetRequest { Path = folder.Combine("x"), ApplicationServers = new[] { "a" }, CertificateAuthorityPath = set.Path }));
            Assert.Contains("-KeyPassword", missing.Message);
            var wrong = await Assert.ThrowsAsync<IrisOpsException>(() => Create(new CertificateSetRequest { Path = folder.Combine("y"), ApplicationServers = new[] { "a" }, CertificateAuthorityPath = set.Path, KeyPassword = Secure("nope") }));
            Assert.Contains("could not be decrypted", wrong.Message);
            Assert.DoesNotContain("nope", wrong.Message);
            Assert.False(Directory.Exists(folder.Combine("x")));
            Assert.False(Directory.Exists(folder.Combine("y")));
        }

        [Fact]
        public async Task Cancellation_leaves_nothing_behind()
        {
            using var folder = new TempFolder();
            using var cancelled = new CancellationTokenSource();
            cancelled.Cancel();
            string target = folder.Combine("new");
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Create(Request(target), cancelled.Token));
            Assert.False(Directory.Exists(target));
        }

        [Theory]
        [InlineData("bad_name", "InvalidHostName")]
        [InlineData("-leading", "InvalidHostName")]
        [InlineData("../escape", "InvalidHostName")]
        [InlineData("a b", "InvalidHostName")]
        [InlineData("ca", "ReservedHostName")]
        [InlineData("DATA-SERVER", "DuplicateHostName")]
        public void Bad_host_names_are_refused_before_anything_happens(string host, string errorId)
        {
            using var folder = new TempFolder();
            string target = folder.Combine("set");
            var error = Assert.Throws<IrisOpsException>(() => CertificateSetGenerator.Plan(Request(target, host)));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(IrisErrorKind.InvalidArgument, error.Kind);
            Assert.False(Directory.Exists(target));
        }

        [Fact]
        public void Other_bad_input_is_refused_with_a_clear_error()
        {
            using var folder = new TempFolder();
            CertificateSetRequest Make(Action<CertificateSetRequest> change)
            {
                CertificateSetRequest request = Request(folder.Path);
                change(request);
                return request;
            }

            string Id(Action<CertificateSetRequest> change) => Assert.Throws<IrisOpsException>(() => CertificateSetGenerator.Plan(Make(change))).ErrorId;

            Assert.Equal("PfxNeedsPassword", Id(r => r.IncludePfx = true));
            Assert.Equal("EmptyKeyPassword", Id(r => r.KeyPassword = new SecureString()));
            Assert.Equal("InvalidCountry", Id(r => r.Subject.Country = "USA"));
            Assert.Equal("InvalidSubjectField", Id(r => r.Subject.Organization = "Evil\nCN=root"));
            Assert.Equal("InvalidSubjectAlternativeName", Id(r => r.SubjectAlternativeNames = new[] { "not a name" }));
            Assert.Equal("NoHosts", Id(r => { r.DataServers = Array.Empty<string>(); r.ApplicationServers = Array.Empty<string>(); }));
            Assert.Equal("ValidityDaysOutOfRange", Id(r => r.ValidityDays = 0));
            Assert.Equal("AuthorityFileMissing", Id(r => r.CertificateAuthorityPath = folder.Combine("nowhere")));
        }

        [Fact]
        public void The_plan_names_every_file_and_changes_nothing()
        {
            using var folder = new TempFolder();
            string target = folder.Combine("plan");
            CertificateSetRequest request = Request(target);
            request.KeyPassword = Secure("x");
            request.IncludePfx = true;
            CertificateSetPlan plan = CertificateSetGenerator.Plan(request);

            Assert.True(plan.CreatesDirectory);
            Assert.Equal(2 + 3 * 3, plan.Files.Count);
            Assert.Contains("app-2.pfx", plan.Describe());
            Assert.False(Directory.Exists(target));
        }
    }
}
