using System;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Docker
{
    /// <summary>
    /// The one way IrisOps reads a file from a container: the engine's archive API (what docker cp uses). It works on
    /// running and stopped containers alike and needs nothing in the image (no shell, no cat); a symbolic link is
    /// followed, as cat would. It reads with the engine's rights, so it says nothing about whether the IRIS user
    /// can read the file: ask that inside the container (test -r). One exception: a Swarm secret or config is
    /// mounted in the task's own mount namespace, and the archive API sees only the empty placeholder under it;
    /// an empty file is therefore read once more with cat in the running container.
    /// </summary>
    public sealed class ContainerFileReader
    {
        private const int MaximumLinks = 8;
        private static readonly Encoding Utf8 = new UTF8Encoding(false);
        private readonly IContainerExec containers;

        public ContainerFileReader(IContainerExec containers)
        {
            this.containers = containers ?? throw new ArgumentNullException(nameof(containers));
        }

        /// <summary>The longest one read may take (OperationTimeout DockerOperationTimeout after it); null waits as long as the caller does.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>
        /// The content of the file. A missing file is the engine's ObjectNotFound error (DockerObjectNotFound); a
        /// path that is not a file (a directory, say) is InvalidDataException.
        /// </summary>
        public async Task<byte[]> ReadAsync(string container, string path, CancellationToken cancellationToken)
        {
            using (CancellationTokenSource limited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (Timeout.HasValue)
                {
                    limited.CancelAfter(Timeout.Value);
                }

                try
                {
                    string current = path;
                    for (int links = 0; links <= MaximumLinks; links++)
                    {
                        (byte[]? content, string? linkTarget) = await ReadEntryAsync(container, current, limited.Token).ConfigureAwait(false);
                        if (content != null)
                        {
                            return content.Length == 0 ? await ReadMountedAsync(container, current, content, limited.Token).ConfigureAwait(false) : content;
                        }

                        if (linkTarget == null)
                        {
                            break;
                        }

                        current = linkTarget.StartsWith("/", StringComparison.Ordinal) ? linkTarget : Parent(current) + linkTarget;
                    }

                    throw new InvalidDataException($"'{path}' in '{container}' is not a file.");
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && limited.IsCancellationRequested)
                {
                    throw new IrisOpsException(IrisErrorKind.OperationTimeout, "DockerOperationTimeout",
                        $"The Docker engine at {containers.Endpoint.Host} did not finish 'read '{path}' in container '{container}'' within {Timeout!.Value.TotalSeconds:0.#} s.", container, ex);
                }
            }
        }

        // What cat prints in the running container, or the archive's (empty) content when the container does not run
        // or cat fails. Only text files are mounted as secrets and configs by IrisOps.
        private async Task<byte[]> ReadMountedAsync(string container, string path, byte[] archived, CancellationToken cancellationToken)
        {
            try
            {
                ExecResult cat = await containers.ExecAsync(container, new ExecRequest { Command = new[] { "cat", path }, Timeout = Timeout ?? TimeSpan.FromMinutes(1) }, cancellationToken).ConfigureAwait(false);
                return cat.ExitCode == 0 ? Utf8.GetBytes(cat.StandardOutput) : archived;
            }
            catch (IrisOpsException ex) when (ex.Kind != IrisErrorKind.ConnectionError && ex.Kind != IrisErrorKind.OperationTimeout)
            {
                return archived;
            }
        }

        /// <summary>The file as UTF-8 text, or null when it does not exist or is not a file.</summary>
        public async Task<string?> TryReadTextAsync(string container, string path, CancellationToken cancellationToken)
        {
            try
            {
                return Utf8.GetString(await ReadAsync(container, path, cancellationToken).ConfigureAwait(false));
            }
            catch (IrisOpsException ex) when (ex.Kind == IrisErrorKind.ObjectNotFound)
            {
                return null;
            }
            catch (InvalidDataException)
            {
                return null;
            }
        }

        /// <summary>True when <paramref name="path"/> exists in the container (as a file or anything else).</summary>
        public async Task<bool> ExistsAsync(string container, string path, CancellationToken cancellationToken)
        {
            try
            {
                await containers.CopyFromContainerAsync(container, path, Stream.Null, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (IrisOpsException ex) when (ex.Kind == IrisErrorKind.ObjectNotFound)
            {
                return false;
            }
        }

        // The archive of one path holds one entry: the file's content, or a link to follow.
        private async Task<(byte[]? Content, string? LinkTarget)> ReadEntryAsync(string container, string path, CancellationToken cancellationToken)
        {
            using (var archive = new MemoryStream())
            {
                await containers.CopyFromContainerAsync(container, path, archive, cancellationToken).ConfigureAwait(false);
                archive.Position = 0;
                byte[]? content = null;
                string? linkTarget = null;
                bool first = true;
                TarArchiveReader.ReadEntries(archive, (entry, stream) =>
                {
                    if (first && entry.Kind == TarEntryKind.File)
                    {
                        using (var copy = new MemoryStream())
                        {
                            stream.CopyTo(copy);
                            content = copy.ToArray();
                        }
                    }
                    else if (first && entry.Kind == TarEntryKind.SymbolicLink)
                    {
                        linkTarget = entry.LinkTarget;
                    }

                    first = false;
                });
                return (content, string.IsNullOrEmpty(linkTarget) ? null : linkTarget);
            }
        }

        private static string Parent(string path)
        {
            int slash = path.TrimEnd('/').LastIndexOf('/');
            return slash < 0 ? "/" : path.Substring(0, slash + 1);
        }
    }
}
