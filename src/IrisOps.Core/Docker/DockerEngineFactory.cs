namespace IrisOps.Core.Docker
{
    /// <summary>Creates engines for a -DockerHost value and the process environment.</summary>
    public static class DockerEngineFactory
    {
        /// <summary>Resolves the endpoint like the docker CLI (see <see cref="DockerEndpointResolver"/>) and connects lazily.</summary>
        public static IDockerEngine Create(string? dockerHost, DockerEnvironment? environment = null, DockerEngineOptions? options = null)
        {
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(dockerHost, environment ?? DockerEnvironment.FromProcess());
            return new DockerEngine(endpoint, options);
        }
    }
}
