using System;
using System.IO;
using System.Threading;
using Docker.DotNet;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Docker
{
    /// <summary>The Docker.DotNet client for a resolved endpoint, with TLS credentials when the endpoint uses TLS.</summary>
    internal static class DockerClientFactory
    {
        internal static DockerClient Create(DockerEndpoint endpoint)
        {
            try
            {
                // Our own resolution is handed over as a fixed DOCKER_HOST so that the library reads nothing else.
                DockerClientBuilder builder = new DockerClientBuilder(new DockerConfig(new FixedCliSettings(endpoint.Uri.ToString())))
                    .WithEndpoint(endpoint.Uri)
                    .WithTimeout(Timeout.InfiniteTimeSpan);
                if (endpoint.Tls != null)
                {
                    builder = builder.WithAuthProvider(DockerTlsCredentials.Create(endpoint));
                }

                return builder.Build();
            }
            catch (IrisOpsException)
            {
                throw;
            }
            catch (Exception ex)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "DockerHostInvalid",
                    $"Cannot use the Docker endpoint {endpoint.Describe()}: {ex.Message}", endpoint.Host, ex);
            }
        }

        /// <summary>Hands our resolved endpoint to Docker.DotNet so it reads neither the environment nor ~/.docker.</summary>
        private sealed class FixedCliSettings : IDockerCliSettings
        {
            public FixedCliSettings(string host) => DockerHost = host;

            public string DockerConfig => Path.Combine(Path.GetTempPath(), "irisops-no-docker-config");

            public string DockerHost { get; }

            public string DockerTlsVerify => string.Empty;

            public string DockerContext => string.Empty;
        }
    }
}
