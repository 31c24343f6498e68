using System;

namespace IrisOps.Core.Docker
{
    /// <summary>Where the endpoint came from, in the docker CLI's order of precedence.</summary>
    public enum DockerEndpointSource
    {
        /// <summary>The -DockerHost parameter.</summary>
        Parameter,

        /// <summary>The DOCKER_HOST environment variable.</summary>
        EnvironmentVariable,

        /// <summary>A docker context: DOCKER_CONTEXT, or currentContext in the docker config.json.</summary>
        Context,

        /// <summary>The platform default: the docker_engine named pipe on Windows, /var/run/docker.sock elsewhere.</summary>
        Default,
    }

    /// <summary>TLS settings for a tcp endpoint, from DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH or a context.</summary>
    public sealed class DockerTlsSettings
    {
        public DockerTlsSettings(bool verify, string certificateDirectory, string? caFile, string? certificateFile, string? keyFile)
        {
            Verify = verify;
            CertificateDirectory = certificateDirectory;
            CaFile = caFile;
            CertificateFile = certificateFile;
            KeyFile = keyFile;
        }

        /// <summary>Whether the engine's certificate is verified (against ca.pem when present, else the system store).</summary>
        public bool Verify { get; }

        /// <summary>The folder the files were looked for in (DOCKER_CERT_PATH, ~/.docker, or the context's TLS folder).</summary>
        public string CertificateDirectory { get; }

        /// <summary>ca.pem when it exists.</summary>
        public string? CaFile { get; }

        /// <summary>cert.pem (the client certificate) when it exists.</summary>
        public string? CertificateFile { get; }

        /// <summary>key.pem when it exists.</summary>
        public string? KeyFile { get; }

        public override string ToString() => Verify ? "TLS (verify)" : "TLS (no verify)";
    }

    /// <summary>A resolved Docker engine endpoint: what to connect to, how, and why this one.</summary>
    public sealed class DockerEndpoint
    {
        public DockerEndpoint(string host, Uri uri, DockerEndpointSource source, string? contextName = null, DockerTlsSettings? tls = null)
        {
            Host = host ?? throw new ArgumentNullException(nameof(host));
            Uri = uri ?? throw new ArgumentNullException(nameof(uri));
            Source = source;
            ContextName = contextName;
            Tls = tls;
        }

        /// <summary>The endpoint as the docker CLI writes it, e.g. unix:///var/run/docker.sock or npipe:////./pipe/docker_engine.</summary>
        public string Host { get; }

        /// <summary>The address handed to Docker.DotNet (npipe://./pipe/name form for named pipes).</summary>
        public Uri Uri { get; }

        public DockerEndpointSource Source { get; }

        /// <summary>The docker context the endpoint came from, when <see cref="Source"/> is Context.</summary>
        public string? ContextName { get; }

        /// <summary>TLS settings, or null for a plain connection.</summary>
        public DockerTlsSettings? Tls { get; }

        /// <summary>
        /// Whether the engine runs on this machine: a unix socket, a named pipe of this machine, or a tcp endpoint
        /// on a loopback address. Only then can a path of this machine name a bind-mount source (the caller still
        /// checks that the engine sees the same folder: a socket forwarded into another container does not).
        /// </summary>
        public bool IsOnThisHost
        {
            get
            {
                switch (Uri.Scheme)
                {
                    case "unix":
                        return true;
                    case "npipe":
                        return Uri.Host.Length == 0 || Uri.Host == ".";
                    default:
                        return Uri.IsLoopback;
                }
            }
        }

        /// <summary>A short description for verbose output: the host, where it came from and TLS.</summary>
        public string Describe()
        {
            string origin;
            switch (Source)
            {
                case DockerEndpointSource.Parameter:
                    origin = "from -DockerHost";
                    break;
                case DockerEndpointSource.EnvironmentVariable:
                    origin = "from DOCKER_HOST";
                    break;
                case DockerEndpointSource.Context:
                    origin = "from docker context '" + ContextName + "'";
                    break;
                default:
                    origin = "the default endpoint";
                    break;
            }

            return Host + " (" + origin + (Tls != null ? ", " + Tls : string.Empty) + ")";
        }

        public override string ToString() => Host;
    }
}
