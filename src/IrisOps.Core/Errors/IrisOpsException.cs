using System;

namespace IrisOps.Core.Errors
{
    /// <summary>What went wrong, in terms the cmdlet layer maps onto PowerShell's ErrorCategory.</summary>
    public enum IrisErrorKind
    {
        NotSpecified,
        InvalidArgument,
        InvalidData,
        ObjectNotFound,
        ResourceExists,
        ResourceUnavailable,
        PermissionDenied,
        InvalidOperation,
        ConnectionError,
        OperationTimeout,
        WriteError,

        /// <summary>The operation ran but its result is not what it must be (a container that turned unhealthy).</summary>
        InvalidResult,
    }

    /// <summary>
    /// An error the user can act on. The message is shown as it is, so it says what failed and what to do,
    /// and never carries a secret.
    /// </summary>
    public class IrisOpsException : Exception
    {
        public IrisOpsException(IrisErrorKind kind, string errorId, string message, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
            ErrorId = errorId;
            Target = target;
        }

        public IrisErrorKind Kind { get; }

        /// <summary>A stable identifier, e.g. "CertificateFileExists", that scripts can test for.</summary>
        public string ErrorId { get; }

        public object? Target { get; }
    }
}
