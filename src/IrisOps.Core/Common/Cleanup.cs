using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Common
{
    /// <summary>Calls made while a failure is being handled.</summary>
    internal static class Cleanup
    {
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

        /// <summary>
        /// Runs one call of a rollback or clean-up with its own time limit instead of the caller's token (a rollback
        /// must finish after Ctrl+C too); the limit's timer is released as soon as the call ends.
        /// </summary>
        internal static async Task<T> BoundedAsync<T>(TimeSpan limit, Func<CancellationToken, Task<T>> call)
        {
            using (var timeout = new CancellationTokenSource(limit))
            {
                return await call(timeout.Token).ConfigureAwait(false);
            }
        }

        /// <inheritdoc cref="BoundedAsync{T}(TimeSpan, Func{CancellationToken, Task{T}})"/>
        internal static async Task BoundedAsync(TimeSpan limit, Func<CancellationToken, Task> call)
        {
            using (var timeout = new CancellationTokenSource(limit))
            {
                await call(timeout.Token).ConfigureAwait(false);
            }
        }

        /// <summary>Deletes a file a failed operation wrote, if it is there; a file that cannot be deleted stays.</summary>
        internal static void DeleteFileQuietly(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
            }
        }

        /// <summary>Deletes a folder a failed operation created, only when it is empty.</summary>
        internal static void DeleteEmptyDirectoryQuietly(string path)
        {
            try
            {
                if (Directory.Exists(path) && Directory.GetFileSystemEntries(path).Length == 0)
                {
                    Directory.Delete(path);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
            }
        }
    }
}
