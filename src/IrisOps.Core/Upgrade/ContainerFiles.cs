using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>Reads single files out of a container (running or not) through the engine's archive API.</summary>
    public static class ContainerFiles
    {
        public static async Task<byte[]> ReadAsync(IDockerEngine engine, string container, string path, CancellationToken cancellationToken)
        {
            using (var archive = new MemoryStream())
            {
                await engine.CopyFromContainerAsync(container, path, archive, cancellationToken).ConfigureAwait(false);
                archive.Position = 0;
                byte[]? content = null;
                TarReader.ReadEntries(archive, (entry, stream) =>
                {
                    if (content == null && entry.Kind == TarEntryKind.File)
                    {
                        using (var copy = new MemoryStream())
                        {
                            stream.CopyTo(copy);
                            content = copy.ToArray();
                        }
                    }
                });
                return content ?? throw new InvalidDataException($"'{path}' in '{container}' is not a file.");
            }
        }

        /// <summary>The path of the instance-running marker (<see cref="IrisContainer.InstanceRunningMarker"/>) in the data directory, or null when there is none.</summary>
        public static async Task<string?> FindRunningMarkerAsync(IDockerEngine engine, string container, string dataDirectory, CancellationToken cancellationToken)
        {
            string path = IrisContainer.RunningMarkerPath(dataDirectory);
            try
            {
                await engine.CopyFromContainerAsync(container, path, Stream.Null, cancellationToken).ConfigureAwait(false);
                return path;
            }
            catch (IrisOpsException ex) when (ex.Kind == IrisErrorKind.ObjectNotFound)
            {
                return null;
            }
        }

        /// <summary>Runs a cleanup call that must not hide the failure being handled: its own failure gives the default.</summary>
        internal static async Task<T?> Quietly<T>(Func<Task<T>> action)
        {
            try
            {
                return await action().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IrisOpsException || ex is OperationCanceledException)
            {
                return default;
            }
        }
    }
}
