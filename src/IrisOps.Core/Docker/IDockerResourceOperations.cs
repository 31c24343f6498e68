namespace IrisOps.Core.Docker
{
    /// <summary>
    /// What every per-resource view of the engine shares: the endpoint it talks to, so that a message can say
    /// which engine answered. Failures are IrisOpsException (see <see cref="IDockerEngine"/>).
    /// </summary>
    public interface IDockerResourceOperations
    {
        DockerEndpoint Endpoint { get; }
    }
}
