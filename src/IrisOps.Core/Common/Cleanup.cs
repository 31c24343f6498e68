using System;
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
    }
}
