using System;
using System.Collections.Generic;
using System.IO;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Docker
{
    /// <summary>Endpoint resolution as the docker CLI does it, with the environment and a temporary HOME passed in.</summary>
    public sealed class DockerEndpointResolverTests : IDisposable
    {
        private readonly TempFolder home = new TempFolder();

        public void Dispose() => home.Dispose();

        private DockerEnvironment Environment(bool windows = false, params (string Name, string? Value)[] variables)
        {
            var values = new Dictionary<string, string?>();
            foreach (var (name, value) in variables)
            {
                values[name] = value;
            }

            return new DockerEnvironment(values, home.Path, windows);
        }

        private string DockerDir => Path.Combine(home.Path, ".docker");

        private void WriteConfig(string json, string? directory = null)
        {
            string dir = directory ?? DockerDir;
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "config.json"), json);
        }

        private string WriteContext(string name, string host, bool? skipTlsVerify = null, string? directory = null, bool withTls = false)
        {
            string dir = directory ?? DockerDir;
            string hash = DockerEndpointResolver.ContextDirectoryName(name);
            string meta = Path.Combine(dir, "contexts", "meta", hash);
            Directory.CreateDirectory(meta);
            string skip = skipTlsVerify.HasValue ? ",\"SkipTLSVerify\":" + (skipTlsVerify.Value ? "true" : "false") : string.Empty;
            File.WriteAllText(Path.Combine(meta, "meta.json"),
                "{\"Name\":\"" + name + "\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\"" + host + "\"" + skip + "}}}");
            if (withTls)
            {
                string tls = Path.Combine(dir, "contexts", "tls", hash, "docker");
                Directory.CreateDirectory(tls);
                File.WriteAllText(Path.Combine(tls, "ca.pem"), "ca");
                File.WriteAllText(Path.Combine(tls, "cert.pem"), "cert");
                File.WriteAllText(Path.Combine(tls, "key.pem"), "key");
                return tls;
            }

            return meta;
        }

        [Fact]
        public void Without_anything_it_is_the_unix_socket_on_linux_and_macos()
        {
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null, Environment());
            Assert.Equal("unix:///var/run/docker.sock", endpoint.Host);
            Assert.Equal("/var/run/docker.sock", endpoint.Uri.LocalPath);
            Assert.Equal(DockerEndpointSource.Default, endpoint.Source);
            Assert.Null(endpoint.Tls);
        }

        [Fact]
        public void Without_anything_it_is_the_docker_engine_named_pipe_on_windows()
        {
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null, Environment(windows: true));
            Assert.Equal("npipe:////./pipe/docker_engine", endpoint.Host);
            Assert.Equal("npipe://./pipe/docker_engine", endpoint.Uri.ToString());
            Assert.Equal(DockerEndpointSource.Default, endpoint.Source);
        }

        [Fact]
        public void The_parameter_wins_over_DOCKER_HOST_and_contexts()
        {
            WriteConfig("{\"currentContext\":\"remote\"}");
            WriteContext("remote", "tcp://10.1.2.3:2375");
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve("unix:///run/user/1000/docker.sock",
                Environment(false, ("DOCKER_HOST", "tcp://127.0.0.1:2375"), ("DOCKER_CONTEXT", "remote")));
            Assert.Equal("unix:///run/user/1000/docker.sock", endpoint.Host);
            Assert.Equal(DockerEndpointSource.Parameter, endpoint.Source);
        }

        [Fact]
        public void DOCKER_HOST_wins_over_DOCKER_CONTEXT_and_the_config_file()
        {
            WriteConfig("{\"currentContext\":\"remote\"}");
            WriteContext("remote", "tcp://10.1.2.3:2375");
            WriteContext("other", "tcp://10.9.9.9:2375");
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null,
                Environment(false, ("DOCKER_HOST", "tcp://127.0.0.1:2375"), ("DOCKER_CONTEXT", "other")));
            Assert.Equal("tcp://127.0.0.1:2375", endpoint.Host);
            Assert.Equal(DockerEndpointSource.EnvironmentVariable, endpoint.Source);
        }

        [Fact]
        public void An_empty_DOCKER_HOST_counts_as_unset()
        {
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null, Environment(false, ("DOCKER_HOST", "")));
            Assert.Equal(DockerEndpointSource.Default, endpoint.Source);
        }

        [Fact]
        public void DOCKER_CONTEXT_wins_over_currentContext_in_config_json()
        {
            WriteConfig("{\"currentContext\":\"remote\"}");
            WriteContext("remote", "tcp://10.1.2.3:2375");
            WriteContext("desktop-linux", "unix:///home/me/.docker/run/docker.sock");
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null, Environment(false, ("DOCKER_CONTEXT", "desktop-linux")));
            Assert.Equal("unix:///home/me/.docker/run/docker.sock", endpoint.Host);
            Assert.Equal(DockerEndpointSource.Context, endpoint.Source);
            Assert.Equal("desktop-linux", endpoint.ContextName);
        }

        [Fact]
        public void currentContext_in_config_json_is_read_from_the_meta_file_named_by_the_sha256_of_the_name()
        {
            WriteConfig("{\n  \"auths\": {},\n  \"currentContext\": \"remote\"\n}");
            string meta = WriteContext("remote", "tcp://10.1.2.3:2375");
            // sha256("remote"), as docker names the folder.
            Assert.Equal("b71199ebd070b36beab7317920c2c2f1d777df8d05e5527d8458fda57cb17a7a", Path.GetFileName(meta));
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null, Environment());
            Assert.Equal("tcp://10.1.2.3:2375", endpoint.Host);
            Assert.Equal(DockerEndpointSource.Context, endpoint.Source);
            Assert.Equal("remote", endpoint.ContextName);
            Assert.Null(endpoint.Tls);
        }

        [Fact]
        public void The_context_folder_name_is_the_lowercase_hex_sha256_of_the_name()
        {
            // echo -n default | sha256sum
            Assert.Equal("37a8eec1ce19687d132fe29051dca629d164e2c4958ba141d5f4133a33f0688f", DockerEndpointResolver.ContextDirectoryName("default"));
        }

        [Fact]
        public void The_default_context_means_the_platform_default()
        {
            WriteConfig("{\"currentContext\":\"default\"}");
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null, Environment());
            Assert.Equal(DockerEndpointSource.Default, endpoint.Source);
            Assert.Equal("unix:///var/run/docker.sock", endpoint.Host);
        }

        [Fact]
        public void DOCKER_CONFIG_moves_the_config_folder()
        {
            string other = Path.Combine(home.Path, "elsewhere");
            WriteConfig("{\"currentContext\":\"moved\"}", other);
            WriteContext("moved", "tcp://127.0.0.5:2375", directory: other);
            WriteConfig("{\"currentContext\":\"ignored\"}");
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null, Environment(false, ("DOCKER_CONFIG", other)));
            Assert.Equal("tcp://127.0.0.5:2375", endpoint.Host);
        }

        [Fact]
        public void A_missing_context_is_a_clear_error_naming_the_context_and_where_it_came_from()
        {
            WriteConfig("{\"currentContext\":\"gone\"}");
            var error = Assert.Throws<IrisOpsException>(() => DockerEndpointResolver.Resolve(null, Environment()));
            Assert.Equal(IrisErrorKind.ObjectNotFound, error.Kind);
            Assert.Equal("DockerContextNotFound", error.ErrorId);
            Assert.Contains("'gone'", error.Message);
            Assert.Contains("currentContext in", error.Message);
            Assert.Contains("docker context ls", error.Message);
        }

        [Fact]
        public void A_broken_config_json_is_invalid_data_not_a_crash()
        {
            WriteConfig("{ this is not json");
            var error = Assert.Throws<IrisOpsException>(() => DockerEndpointResolver.Resolve(null, Environment()));
            Assert.Equal(IrisErrorKind.InvalidData, error.Kind);
            Assert.Contains("config.json", error.Message);
        }

        [Fact]
        public void A_context_without_a_docker_host_is_invalid_data()
        {
            WriteContext("empty", "");
            var error = Assert.Throws<IrisOpsException>(() => DockerEndpointResolver.Resolve(null, Environment(false, ("DOCKER_CONTEXT", "empty"))));
            Assert.Equal("DockerContextWithoutHost", error.ErrorId);
        }

        [Fact]
        public void A_context_with_tls_files_uses_them_and_honours_SkipTLSVerify()
        {
            string tlsDir = WriteContext("secure", "tcp://10.1.2.3:2376", skipTlsVerify: false, withTls: true);
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null, Environment(false, ("DOCKER_CONTEXT", "secure"), ("DOCKER_TLS_VERIFY", null)));
            Assert.NotNull(endpoint.Tls);
            Assert.True(endpoint.Tls!.Verify);
            Assert.Equal(Path.Combine(tlsDir, "ca.pem"), endpoint.Tls.CaFile);
            Assert.Equal(Path.Combine(tlsDir, "cert.pem"), endpoint.Tls.CertificateFile);
            Assert.Equal(Path.Combine(tlsDir, "key.pem"), endpoint.Tls.KeyFile);

            WriteContext("lax", "tcp://10.1.2.4:2376", skipTlsVerify: true, withTls: true);
            DockerEndpoint lax = DockerEndpointResolver.Resolve(null, Environment(false, ("DOCKER_CONTEXT", "lax")));
            Assert.False(lax.Tls!.Verify);
        }

        [Fact]
        public void A_context_ignores_the_TLS_environment_variables()
        {
            WriteContext("plain", "tcp://10.1.2.3:2375");
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null, Environment(false, ("DOCKER_CONTEXT", "plain"), ("DOCKER_TLS_VERIFY", "1")));
            Assert.Null(endpoint.Tls);
        }

        [Fact]
        public void Named_pipes_in_contexts_are_normalised_for_the_client()
        {
            WriteContext("win", "npipe:////./pipe/dockerDesktopLinuxEngine");
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null, Environment(true, ("DOCKER_CONTEXT", "win")));
            Assert.Equal("npipe:////./pipe/dockerDesktopLinuxEngine", endpoint.Host);
            Assert.Equal("npipe://./pipe/dockerDesktopLinuxEngine", endpoint.Uri.ToString());
        }

        [Fact]
        public void DOCKER_TLS_VERIFY_turns_on_verified_tls_with_the_files_in_DOCKER_CERT_PATH()
        {
            string certs = Path.Combine(home.Path, "certs");
            Directory.CreateDirectory(certs);
            File.WriteAllText(Path.Combine(certs, "ca.pem"), "ca");
            File.WriteAllText(Path.Combine(certs, "cert.pem"), "cert");
            File.WriteAllText(Path.Combine(certs, "key.pem"), "key");
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null,
                Environment(false, ("DOCKER_HOST", "tcp://127.0.0.1"), ("DOCKER_TLS_VERIFY", "1"), ("DOCKER_CERT_PATH", certs)));
            Assert.Equal("tcp://127.0.0.1:2376", endpoint.Host);
            Assert.NotNull(endpoint.Tls);
            Assert.True(endpoint.Tls!.Verify);
            Assert.Equal(certs, endpoint.Tls.CertificateDirectory);
            Assert.Equal(Path.Combine(certs, "ca.pem"), endpoint.Tls.CaFile);
            Assert.Equal(Path.Combine(certs, "cert.pem"), endpoint.Tls.CertificateFile);
            Assert.Equal(Path.Combine(certs, "key.pem"), endpoint.Tls.KeyFile);
        }

        [Fact]
        public void DOCKER_TLS_VERIFY_counts_when_set_to_anything_even_0_as_in_the_docker_cli()
        {
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve("tcp://127.0.0.1:2376", Environment(false, ("DOCKER_TLS_VERIFY", "0")));
            Assert.True(endpoint.Tls!.Verify);
        }

        [Fact]
        public void Without_DOCKER_CERT_PATH_the_files_are_looked_for_in_the_docker_config_folder()
        {
            Directory.CreateDirectory(DockerDir);
            File.WriteAllText(Path.Combine(DockerDir, "cert.pem"), "cert");
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve("tcp://127.0.0.1:2376", Environment(false, ("DOCKER_TLS_VERIFY", "1")));
            Assert.Equal(DockerDir, endpoint.Tls!.CertificateDirectory);
            Assert.Equal(Path.Combine(DockerDir, "cert.pem"), endpoint.Tls.CertificateFile);
            Assert.Null(endpoint.Tls.CaFile);
            Assert.Null(endpoint.Tls.KeyFile);
        }

        [Fact]
        public void DOCKER_TLS_alone_is_tls_without_verification()
        {
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null, Environment(false, ("DOCKER_HOST", "tcp://127.0.0.1"), ("DOCKER_TLS", "1")));
            Assert.False(endpoint.Tls!.Verify);
            Assert.Equal("tcp://127.0.0.1:2376", endpoint.Host);
        }

        [Fact]
        public void DOCKER_CERT_PATH_alone_does_not_turn_on_tls_as_in_the_docker_cli()
        {
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null, Environment(false, ("DOCKER_HOST", "tcp://127.0.0.1"), ("DOCKER_CERT_PATH", home.Path)));
            Assert.Null(endpoint.Tls);
            Assert.Equal("tcp://127.0.0.1:2375", endpoint.Host);
        }

        [Fact]
        public void Tls_settings_do_not_apply_to_unix_sockets()
        {
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(null, Environment(false, ("DOCKER_TLS_VERIFY", "1")));
            Assert.Null(endpoint.Tls);
        }

        [Theory]
        [InlineData("tcp://127.0.0.1:2375", "tcp://127.0.0.1:2375")]
        [InlineData("tcp://127.0.0.1", "tcp://127.0.0.1:2375")]
        [InlineData("127.0.0.1:2380", "tcp://127.0.0.1:2380")]
        [InlineData("tcp://:2375", "tcp://localhost:2375")]
        [InlineData("TCP://Example.com:2375/base", "tcp://example.com:2375/base")]
        [InlineData("tcp://[::1]:2375", "tcp://[::1]:2375")]
        [InlineData("unix:///var/run/docker.sock", "unix:///var/run/docker.sock")]
        [InlineData("unix://", "unix:///var/run/docker.sock")]
        [InlineData("npipe:////./pipe/docker_engine", "npipe:////./pipe/docker_engine")]
        [InlineData("npipe://./pipe/docker_engine", "npipe:////./pipe/docker_engine")]
        [InlineData("npipe://", "npipe:////./pipe/docker_engine")]
        [InlineData("http://127.0.0.1:2375", "http://127.0.0.1:2375")]
        [InlineData("  tcp://127.0.0.1:2375  ", "tcp://127.0.0.1:2375")]
        public void Hosts_are_read_as_the_docker_cli_reads_them(string given, string expected)
        {
            Assert.Equal(expected, DockerEndpointResolver.Resolve(given, Environment()).Host);
        }

        [Theory]
        [InlineData("ssh://me@example.com", "DockerSshEndpointNotSupported")]
        [InlineData("fd://", "DockerHostInvalid")]
        [InlineData("unix://relative.sock", "DockerHostInvalid")]
        [InlineData("npipe:////./notpipe/x", "DockerHostInvalid")]
        [InlineData("tcp://user@host:2375", "DockerHostInvalid")]
        public void Unsupported_or_malformed_hosts_are_invalid_arguments(string given, string errorId)
        {
            var error = Assert.Throws<IrisOpsException>(() => DockerEndpointResolver.Resolve(given, Environment()));
            Assert.Equal(IrisErrorKind.InvalidArgument, error.Kind);
            Assert.Equal(errorId, error.ErrorId);
            Assert.Contains(given.Trim(), error.Message);
        }

        [Fact]
        public void A_malformed_DOCKER_HOST_names_its_origin()
        {
            var error = Assert.Throws<IrisOpsException>(() => DockerEndpointResolver.Resolve(null, Environment(false, ("DOCKER_HOST", "ssh://x"))));
            Assert.Contains("DOCKER_HOST", error.Message);
        }

        [Fact]
        public void Describe_says_where_the_endpoint_came_from()
        {
            Assert.Equal("unix:///var/run/docker.sock (the default endpoint)", DockerEndpointResolver.Resolve(null, Environment()).Describe());
            Assert.Equal("tcp://127.0.0.1:2375 (from DOCKER_HOST)", DockerEndpointResolver.Resolve(null, Environment(false, ("DOCKER_HOST", "tcp://127.0.0.1:2375"))).Describe());
            Assert.Equal("tcp://127.0.0.1:2376 (from -DockerHost, TLS (verify))", DockerEndpointResolver.Resolve("tcp://127.0.0.1", Environment(false, ("DOCKER_TLS_VERIFY", "1"))).Describe());
        }

        [Fact]
        public void FromProcess_reads_the_real_environment()
        {
            DockerEnvironment environment = DockerEnvironment.FromProcess();
            Assert.Equal(System.Environment.GetEnvironmentVariable("DOCKER_HOST"), environment.Variables["DOCKER_HOST"]);
            Assert.False(string.IsNullOrEmpty(environment.HomeDirectory));
        }
    }
}
