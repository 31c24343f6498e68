using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Docker
{
    /// <summary>
    /// Finds the Docker engine the way the docker CLI does: an explicit host (-DockerHost), else DOCKER_HOST,
    /// else the current docker context (DOCKER_CONTEXT, else currentContext in config.json; its endpoint in
    /// contexts/meta/&lt;sha256 of the name&gt;/meta.json), else the platform default. TLS for tcp endpoints
    /// comes from DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH, or from a context's own TLS folder.
    /// Pure apart from reading the docker configuration files under <see cref="DockerEnvironment.ConfigDirectory"/>.
    /// </summary>
    public static class DockerEndpointResolver
    {
        public const string UnixDefaultHost = "unix:///var/run/docker.sock";
        public const string WindowsDefaultHost = "npipe:////./pipe/docker_engine";
        public const int DefaultTcpPort = 2375;
        public const int DefaultTlsTcpPort = 2376;

        public static DockerEndpoint Resolve(string? explicitHost, DockerEnvironment environment)
        {
            if (environment == null)
            {
                throw new ArgumentNullException(nameof(environment));
            }

            if (!string.IsNullOrWhiteSpace(explicitHost))
            {
                return FromHost(explicitHost!.Trim(), DockerEndpointSource.Parameter, null, environment, "-DockerHost");
            }

            string? host = environment.Get("DOCKER_HOST");
            if (host != null && host.Trim().Length > 0)
            {
                return FromHost(host.Trim(), DockerEndpointSource.EnvironmentVariable, null, environment, "DOCKER_HOST");
            }

            string? origin;
            string? context = CurrentContext(environment, out origin);
            if (context != null && !string.Equals(context, "default", StringComparison.Ordinal))
            {
                return FromContext(context, origin!, environment);
            }

            string defaultHost = environment.IsWindows ? WindowsDefaultHost : UnixDefaultHost;
            return FromHost(defaultHost, DockerEndpointSource.Default, null, environment, "the default endpoint");
        }

        /// <summary>The lowercase hex SHA-256 of a context name: the folder name docker uses for it.</summary>
        public static string ContextDirectoryName(string contextName)
        {
            using (SHA256 sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(contextName));
                var text = new StringBuilder(hash.Length * 2);
                foreach (byte b in hash)
                {
                    text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                }

                return text.ToString();
            }
        }

        private static string? CurrentContext(DockerEnvironment environment, out string? origin)
        {
            string? fromVariable = environment.Get("DOCKER_CONTEXT");
            if (fromVariable != null)
            {
                origin = "DOCKER_CONTEXT";
                return fromVariable.Trim();
            }

            string configFile = Path.Combine(environment.ConfigDirectory, "config.json");
            origin = "currentContext in " + configFile;
            if (!File.Exists(configFile))
            {
                return null;
            }

            try
            {
                using (JsonDocument document = JsonDocument.Parse(File.ReadAllText(configFile), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }))
                {
                    if (document.RootElement.ValueKind == JsonValueKind.Object &&
                        document.RootElement.TryGetProperty("currentContext", out JsonElement current) &&
                        current.ValueKind == JsonValueKind.String)
                    {
                        string? name = current.GetString();
                        return string.IsNullOrWhiteSpace(name) ? null : name!.Trim();
                    }

                    return null;
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "DockerConfigUnreadable",
                    $"Cannot read the docker configuration file '{configFile}': {ex.Message} Fix or remove it, or give -DockerHost.", configFile, ex);
            }
        }

        private static DockerEndpoint FromContext(string name, string origin, DockerEnvironment environment)
        {
            string hash = ContextDirectoryName(name);
            string metaFile = Path.Combine(environment.ConfigDirectory, "contexts", "meta", hash, "meta.json");
            if (!File.Exists(metaFile))
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "DockerContextNotFound",
                    $"The docker context '{name}' (from {origin}) does not exist: '{metaFile}' is missing. List the contexts with 'docker context ls', or give -DockerHost.", name);
            }

            string? host;
            bool skipTlsVerify = false;
            try
            {
                using (JsonDocument document = JsonDocument.Parse(File.ReadAllText(metaFile)))
                {
                    host = null;
                    if (document.RootElement.ValueKind == JsonValueKind.Object &&
                        document.RootElement.TryGetProperty("Endpoints", out JsonElement endpoints) && endpoints.ValueKind == JsonValueKind.Object &&
                        endpoints.TryGetProperty("docker", out JsonElement docker) && docker.ValueKind == JsonValueKind.Object)
                    {
                        if (docker.TryGetProperty("Host", out JsonElement hostElement) && hostElement.ValueKind == JsonValueKind.String)
                        {
                            host = hostElement.GetString();
                        }

                        if (docker.TryGetProperty("SkipTLSVerify", out JsonElement skip) && (skip.ValueKind == JsonValueKind.True || skip.ValueKind == JsonValueKind.False))
                        {
                            skipTlsVerify = skip.GetBoolean();
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException || ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "DockerContextUnreadable",
                    $"Cannot read the docker context '{name}' from '{metaFile}': {ex.Message}", name, ex);
            }

            if (string.IsNullOrWhiteSpace(host))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "DockerContextWithoutHost",
                    $"The docker context '{name}' has no Docker endpoint (Endpoints.docker.Host is empty in '{metaFile}').", name);
            }

            string tlsDirectory = Path.Combine(environment.ConfigDirectory, "contexts", "tls", hash, "docker");
            DockerTlsSettings? tls = null;
            if (Directory.Exists(tlsDirectory))
            {
                tls = TlsFromDirectory(tlsDirectory, verify: !skipTlsVerify);
                if (tls.CaFile == null && tls.CertificateFile == null && tls.KeyFile == null)
                {
                    tls = null;
                }
            }
            else if (skipTlsVerify)
            {
                tls = new DockerTlsSettings(false, tlsDirectory, null, null, null);
            }

            DockerEndpoint parsed = Parse(host!.Trim(), tls != null, "docker context '" + name + "'");
            return new DockerEndpoint(parsed.Host, parsed.Uri, DockerEndpointSource.Context, name, IsTcp(parsed.Uri) ? tls : null);
        }

        private static DockerEndpoint FromHost(string host, DockerEndpointSource source, string? context, DockerEnvironment environment, string origin)
        {
            DockerTlsSettings? tls = TlsFromEnvironment(environment);
            DockerEndpoint parsed = Parse(host, tls != null, origin);
            return new DockerEndpoint(parsed.Host, parsed.Uri, source, context, IsTcp(parsed.Uri) ? tls : null);
        }

        private static bool IsTcp(Uri uri) =>
            uri.Scheme == "tcp" || uri.Scheme == "http" || uri.Scheme == "https";

        /// <summary>
        /// TLS as the docker CLI derives it from the environment: DOCKER_TLS_VERIFY set to anything non-empty means
        /// TLS with verification (even "0", as in the CLI), DOCKER_TLS non-empty means TLS without verification;
        /// the files are ca.pem, cert.pem and key.pem in DOCKER_CERT_PATH, else the docker config folder.
        /// </summary>
        public static DockerTlsSettings? TlsFromEnvironment(DockerEnvironment environment)
        {
            bool verify = environment.Get("DOCKER_TLS_VERIFY") != null;
            bool tls = verify || environment.Get("DOCKER_TLS") != null;
            if (!tls)
            {
                return null;
            }

            string directory = environment.Get("DOCKER_CERT_PATH") ?? environment.ConfigDirectory;
            return TlsFromDirectory(directory, verify);
        }

        private static DockerTlsSettings TlsFromDirectory(string directory, bool verify)
        {
            string? Existing(string fileName)
            {
                string path = Path.Combine(directory, fileName);
                return File.Exists(path) ? path : null;
            }

            return new DockerTlsSettings(verify, directory, Existing("ca.pem"), Existing("cert.pem"), Existing("key.pem"));
        }

        /// <summary>
        /// Parses a host as the docker CLI accepts it: unix://path, npipe:////./pipe/name, tcp://host:port (a bare
        /// host:port means tcp; the port defaults to 2375, or 2376 with TLS), http(s)://. ssh:// and fd:// are refused.
        /// </summary>
        public static DockerEndpoint Parse(string host, bool tls, string origin)
        {
            string text = host.Trim();
            int separator = text.IndexOf("://", StringComparison.Ordinal);
            string scheme = separator < 0 ? "tcp" : text.Substring(0, separator).ToLowerInvariant();
            string rest = separator < 0 ? text : text.Substring(separator + 3);

            switch (scheme)
            {
                case "unix":
                {
                    string path = rest.Length == 0 ? "/var/run/docker.sock" : rest;
                    if (!path.StartsWith("/", StringComparison.Ordinal))
                    {
                        throw Invalid(host, origin, "a unix socket path must be absolute, e.g. unix:///var/run/docker.sock");
                    }

                    string display = "unix://" + path;
                    return new DockerEndpoint(display, new Uri(display), DockerEndpointSource.Default);
                }

                case "npipe":
                {
                    string trimmed = rest.TrimStart('/');
                    string server = ".";
                    string name = "docker_engine";
                    if (trimmed.Length > 0)
                    {
                        string[] parts = trimmed.Split('/');
                        if (parts.Length != 3 || !string.Equals(parts[1], "pipe", StringComparison.OrdinalIgnoreCase) || parts[0].Length == 0 || parts[2].Length == 0)
                        {
                            throw Invalid(host, origin, "a named pipe is written npipe:////./pipe/<name>");
                        }

                        server = parts[0].Equals("localhost", StringComparison.OrdinalIgnoreCase) ? "." : parts[0];
                        name = parts[2];
                    }

                    return new DockerEndpoint("npipe:////" + server + "/pipe/" + name, new Uri("npipe://" + server + "/pipe/" + name), DockerEndpointSource.Default);
                }

                case "tcp":
                case "http":
                case "https":
                {
                    string authority = rest;
                    if (authority.StartsWith(":", StringComparison.Ordinal) || authority.Length == 0)
                    {
                        authority = "localhost" + authority;
                    }

                    if (!Uri.TryCreate(scheme + "://" + authority, UriKind.Absolute, out Uri? parsed) || parsed.Host.Length == 0)
                    {
                        throw Invalid(host, origin, "expected tcp://host:port");
                    }

                    if (parsed.Query.Length > 0 || parsed.Fragment.Length > 0 || parsed.UserInfo.Length > 0)
                    {
                        throw Invalid(host, origin, "a Docker host has no user, query or fragment");
                    }

                    int port = scheme != "tcp" ? parsed.Port
                        : parsed.Port > 0 && !parsed.IsDefaultPort ? parsed.Port
                        : tls ? DefaultTlsTcpPort : DefaultTcpPort;

                    string path = parsed.AbsolutePath == "/" ? string.Empty : parsed.AbsolutePath.TrimEnd('/');
                    string hostPart = parsed.HostNameType == UriHostNameType.IPv6 ? "[" + parsed.DnsSafeHost.Trim('[', ']') + "]" : parsed.Host;
                    string display = scheme + "://" + hostPart + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture) + path;
                    return new DockerEndpoint(display, new Uri(display), DockerEndpointSource.Default);
                }

                case "ssh":
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, "DockerSshEndpointNotSupported",
                        $"The Docker endpoint '{host}' (from {origin}) uses ssh://, which IrisOps does not support. Forward the engine's socket (ssh -L) and use a unix:// or tcp:// endpoint, or a docker context that points at one.", host);

                default:
                    throw Invalid(host, origin, $"the scheme '{scheme}://' is not supported (use unix://, npipe://, tcp://, http:// or https://)");
            }
        }

        private static IrisOpsException Invalid(string host, string origin, string detail) =>
            new IrisOpsException(IrisErrorKind.InvalidArgument, "DockerHostInvalid", $"The Docker endpoint '{host}' (from {origin}) is not valid: {detail}.", host);
    }
}
