using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// The base of every cmdlet that talks to a Docker engine. It owns the -DockerHost parameter and creates the
    /// engine on first use: -DockerHost, else DOCKER_HOST, else the current docker context, else the platform
    /// default (see <see cref="DockerEndpointResolver"/>). The engine is disposed when the cmdlet ends.
    /// </summary>
    public abstract class IrisDockerCmdlet : IrisCmdlet
    {
        private readonly object engineLock = new object();
        private IDockerEngine? engine;

        /// <summary>
        /// The Docker engine endpoint, as the docker CLI's -H takes it: unix:///var/run/docker.sock,
        /// npipe:////./pipe/docker_engine, tcp://host:2376 (TLS from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH).
        /// </summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DockerHost { get; set; }

        /// <summary>The engine, created on first use from -DockerHost and the environment.</summary>
        protected IDockerEngine DockerEngine
        {
            get
            {
                lock (engineLock)
                {
                    if (engine == null)
                    {
                        engine = CreateDockerEngine(DockerHost);
                        Reporter.Verbose("Docker engine: " + engine.Endpoint.Describe());
                    }

                    return engine;
                }
            }
        }

        /// <summary>Creates the engine; tests override it to supply a fake.</summary>
        protected virtual IDockerEngine CreateDockerEngine(string? dockerHost) =>
            // The trace only when debug output is shown: otherwise every engine call would queue a message for nothing.
            DockerEngineFactory.Create(dockerHost, null, new DockerEngineOptions { Trace = Invocation.Debug ? DebugMessage : (Action<string>?)null });

        /// <summary>Checks the engine answers (one ConnectionError otherwise) and returns what it is.</summary>
        protected Task<DockerEngineInfo> PingDockerEngineAsync(CancellationToken cancellationToken) => DockerEngine.PingAsync(cancellationToken);

        protected override Task EndProcessingAsync(CancellationToken cancellationToken)
        {
            ReleaseEngine();
            return Task.CompletedTask;
        }

        /// <summary>Also runs when the pipeline stops or fails before EndProcessing.</summary>
        protected override void DisposeResources() => ReleaseEngine();

        /// <summary>Disposes the engine; derived classes that override EndProcessingAsync call this base.</summary>
        protected void ReleaseEngine()
        {
            lock (engineLock)
            {
                engine?.Dispose();
                engine = null;
            }
        }
    }
}
