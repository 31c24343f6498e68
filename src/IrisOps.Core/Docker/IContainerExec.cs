using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace IrisOps.Core.Docker
{
    /// <summary>
    /// What goes into and comes out of a container: commands run in it, its log, and tar archives of its files.
    /// To read one file, use <see cref="ContainerFileReader"/>.
    /// </summary>
    public interface IContainerExec : IDockerResourceOperations
    {
        /// <summary>Runs a command in a running container, feeding standard input and capturing both outputs and the exit code.</summary>
        Task<ExecResult> ExecAsync(string nameOrId, ExecRequest request, CancellationToken cancellationToken);

        /// <summary>The last <paramref name="tailLines"/> lines of the container's output (stdout and stderr interleaved).</summary>
        Task<string> GetContainerLogsAsync(string nameOrId, int tailLines, CancellationToken cancellationToken);

        /// <summary>Writes a tar archive of <paramref name="path"/> in the container (running or not) to <paramref name="destination"/>.</summary>
        Task CopyFromContainerAsync(string nameOrId, string path, Stream destination, CancellationToken cancellationToken);

        /// <summary>Extracts the tar archive <paramref name="tarArchive"/> into the directory <paramref name="path"/> of the container.</summary>
        Task CopyToContainerAsync(string nameOrId, string path, Stream tarArchive, CancellationToken cancellationToken);
    }
}
