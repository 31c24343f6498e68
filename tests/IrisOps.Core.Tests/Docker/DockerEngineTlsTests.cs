using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Docker
{
    /// <summary>
    /// TLS as DOCKER_TLS_VERIFY and DOCKER_CERT_PATH set it up, against a tiny HTTPS engine imitation on 127.0.0.1
    /// that requires a client certificate from its CA (it answers /_ping and /version, nothing else).
    /// </summary>
    public sealed class DockerEngineTlsTests : IDisposable
    {
        private readonly TempFolder folder = new TempFolder();

        public void Dispose() => folder.Dispose();

        private sealed class Pki : IDisposable
        {
            public Pki(string name)
            {
                using RSA caKey = RSA.Create(2048);
                var caRequest = new CertificateRequest("CN=" + name + " test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
                Ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10));
                Server = Issue("CN=127.0.0.1", server: true, out _);
                Client = Issue("CN=irisops-test-client", server: false, out ClientKeyPem);
            }

            public X509Certificate2 Ca { get; }

            public X509Certificate2 Server { get; }

            public X509Certificate2 Client { get; }

            public readonly string ClientKeyPem;

            private X509Certificate2 Issue(string subject, bool server, out string keyPem)
            {
                using RSA key = RSA.Create(2048);
                var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
                request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                    new OidCollection { new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2") }, false));
                if (server)
                {
                    var san = new SubjectAlternativeNameBuilder();
                    san.AddIpAddress(IPAddress.Loopback);
                    request.CertificateExtensions.Add(san.Build());
                }

                byte[] serial = RandomNumberGenerator.GetBytes(12);
                using X509Certificate2 issued = request.Create(Ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(5), serial);
                keyPem = key.ExportPkcs8PrivateKeyPem();
                X509Certificate2 withKey = issued.CopyWithPrivateKey(key);
                // Round-trip through PKCS#12 so SslStream can use the key on every platform.
                return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
            }

            public void Dispose()
            {
                Ca.Dispose();
                Server.Dispose();
                Client.Dispose();
            }
        }

        /// <summary>Accepts TLS connections (client certificate from the CA required) and answers ping and version.</summary>
        private sealed class FakeTlsEngine : IDisposable
        {
            private readonly TcpListener listener = new TcpListener(IPAddress.Loopback, 0);
            private readonly CancellationTokenSource stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            private readonly Task loop;
            private readonly X509Certificate2 serverCertificate;
            private readonly X509Certificate2 clientCa;

            public FakeTlsEngine(X509Certificate2 serverCertificate, X509Certificate2 clientCa)
            {
                this.serverCertificate = serverCertificate;
                this.clientCa = clientCa;
                listener.Start();
                Port = ((IPEndPoint)listener.LocalEndpoint).Port;
                loop = Task.Run(AcceptAsync);
            }

            public int Port { get; }

            public List<string> ClientSubjects { get; } = new List<string>();

            public int Requests;

            private async Task AcceptAsync()
            {
                for (int connection = 0; connection < 20 && !stop.IsCancellationRequested; connection++)
                {
                    TcpClient client;
                    try
                    {
                        client = await listener.AcceptTcpClientAsync(stop.Token);
                    }
                    catch (Exception)
                    {
                        return;
                    }

                    _ = Task.Run(() => ServeAsync(client));
                }
            }

            private async Task ServeAsync(TcpClient client)
            {
                using (client)
                using (var tls = new SslStream(client.GetStream(), false, ValidateClient))
                {
                    try
                    {
                        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                        {
                            ServerCertificate = serverCertificate,
                            ClientCertificateRequired = true,
                        }, stop.Token);
                        lock (ClientSubjects)
                        {
                            ClientSubjects.Add(tls.RemoteCertificate?.Subject ?? "none");
                        }

                        var reader = new StreamReader(tls, Encoding.ASCII);
                        for (int request = 0; request < 10; request++)
                        {
                            string? line = await reader.ReadLineAsync(stop.Token);
                            if (string.IsNullOrEmpty(line))
                            {
                                return;
                            }

                            while (!string.IsNullOrEmpty(await reader.ReadLineAsync(stop.Token)))
                            {
                            }

                            Interlocked.Increment(ref Requests);
                            string body = line.Contains("/version") ? "{\"Version\":\"fake-tls-engine\",\"ApiVersion\":\"1.41\",\"Os\":\"linux\",\"Arch\":\"amd64\"}" : "OK";
                            string contentType = body.StartsWith("{") ? "application/json" : "text/plain";
                            byte[] response = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n\r\n{body}");
                            await tls.WriteAsync(response, stop.Token);
                            await tls.FlushAsync(stop.Token);
                        }
                    }
                    catch (Exception)
                    {
                        // A refused handshake or a closed connection ends this connection only.
                    }
                }
            }

            private bool ValidateClient(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
            {
                if (certificate == null)
                {
                    return false;
                }

                using var clientChain = new X509Chain();
                clientChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                clientChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                clientChain.ChainPolicy.CustomTrustStore.Add(clientCa);
                return clientChain.Build(new X509Certificate2(certificate));
            }

            public void Dispose()
            {
                stop.Cancel();
                listener.Stop();
                try
                {
                    loop.Wait(TimeSpan.FromSeconds(5));
                }
                catch (AggregateException)
                {
                }

                stop.Dispose();
            }
        }

        private string WriteCertPath(Pki pki, bool withCa = true)
        {
            string dir = folder.Combine("certs-" + Guid.NewGuid().ToString("N").Substring(0, 6));
            Directory.CreateDirectory(dir);
            if (withCa)
            {
                File.WriteAllText(Path.Combine(dir, "ca.pem"), pki.Ca.ExportCertificatePem());
            }

            File.WriteAllText(Path.Combine(dir, "cert.pem"), pki.Client.ExportCertificatePem());
            File.WriteAllText(Path.Combine(dir, "key.pem"), pki.ClientKeyPem);
            return dir;
        }

        private DockerEnvironment TlsEnvironment(string certPath, bool verify) => new DockerEnvironment(new Dictionary<string, string?>
        {
            [verify ? "DOCKER_TLS_VERIFY" : "DOCKER_TLS"] = "1",
            ["DOCKER_CERT_PATH"] = certPath,
        }, folder.Path, false);

        [Fact]
        public async Task DOCKER_TLS_VERIFY_presents_the_client_certificate_and_verifies_the_engine_against_ca_pem()
        {
            using var pki = new Pki("engine");
            using var engine = new FakeTlsEngine(pki.Server, pki.Ca);
            using IDockerEngine client = DockerEngineFactory.Create("tcp://127.0.0.1:" + engine.Port, TlsEnvironment(WriteCertPath(pki), verify: true));
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));

            DockerEngineInfo info = await client.PingAsync(limit.Token);

            Assert.Equal("fake-tls-engine", info.Version);
            Assert.Equal("1.41", info.ApiVersion);
            Assert.True(engine.Requests >= 2);
            Assert.Contains("CN=irisops-test-client", engine.ClientSubjects);
            Assert.True(client.Endpoint.Tls!.Verify);
        }

        [Fact]
        public async Task An_engine_certificate_from_another_CA_is_refused_as_a_connection_error()
        {
            using var trusted = new Pki("trusted");
            using var other = new Pki("other");
            using var engine = new FakeTlsEngine(other.Server, trusted.Ca);
            using IDockerEngine client = DockerEngineFactory.Create("tcp://127.0.0.1:" + engine.Port, TlsEnvironment(WriteCertPath(trusted), verify: true));
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));

            IrisOpsException error = await Assert.ThrowsAsync<IrisOpsException>(() => client.PingAsync(limit.Token));
            Assert.Equal(IrisErrorKind.ConnectionError, error.Kind);
            Assert.StartsWith("cannot reach the Docker engine at tcp://127.0.0.1:" + engine.Port + "; is Docker running?", error.Message);
        }

        [Fact]
        public async Task DOCKER_TLS_without_verify_accepts_any_engine_certificate_but_still_presents_the_client_certificate()
        {
            using var trusted = new Pki("trusted");
            using var other = new Pki("other");
            using var engine = new FakeTlsEngine(other.Server, trusted.Ca);
            using IDockerEngine client = DockerEngineFactory.Create("tcp://127.0.0.1:" + engine.Port, TlsEnvironment(WriteCertPath(trusted), verify: false));
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));

            DockerEngineInfo info = await client.PingAsync(limit.Token);
            Assert.Equal("fake-tls-engine", info.Version);
            Assert.Contains("CN=irisops-test-client", engine.ClientSubjects);
        }
    }
}
