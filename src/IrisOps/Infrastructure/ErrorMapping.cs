using System;
using System.IO;
using System.Management.Automation;
using IrisOps.Core.Errors;

namespace IrisOps.Infrastructure
{
    /// <summary>Turns engine exceptions into ErrorRecords: a category, a stable id, a target, and the plain message (no stack trace).</summary>
    internal static class ErrorMapping
    {
        public static ErrorRecord ToErrorRecord(Exception exception, object? target)
        {
            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
            {
                exception = aggregate.InnerExceptions[0];
            }

            if (exception is IContainsErrorRecord withRecord && withRecord.ErrorRecord != null)
            {
                return withRecord.ErrorRecord;
            }

            if (exception is IrisOpsException iris)
            {
                return new ErrorRecord(iris, iris.ErrorId, Category(iris.Kind), iris.Target ?? target);
            }

            ErrorCategory category;
            switch (exception)
            {
                case ArgumentException _:
                    category = ErrorCategory.InvalidArgument;
                    break;
                case FileNotFoundException _:
                case DirectoryNotFoundException _:
                    category = ErrorCategory.ObjectNotFound;
                    break;
                case UnauthorizedAccessException _:
                    category = ErrorCategory.PermissionDenied;
                    break;
                case IOException _:
                    category = ErrorCategory.WriteError;
                    break;
                case TimeoutException _:
                    category = ErrorCategory.OperationTimeout;
                    break;
                case OperationCanceledException _:
                    category = ErrorCategory.OperationStopped;
                    break;
                case InvalidDataException _:
                case FormatException _:
                    category = ErrorCategory.InvalidData;
                    break;
                case NotSupportedException _:
                    category = ErrorCategory.NotImplemented;
                    break;
                case InvalidOperationException _:
                    category = ErrorCategory.InvalidOperation;
                    break;
                default:
                    category = ErrorCategory.NotSpecified;
                    break;
            }

            return new ErrorRecord(exception, exception.GetType().Name, category, target);
        }

        public static ErrorCategory Category(IrisErrorKind kind)
        {
            switch (kind)
            {
                case IrisErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case IrisErrorKind.InvalidData: return ErrorCategory.InvalidData;
                case IrisErrorKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case IrisErrorKind.ResourceExists: return ErrorCategory.ResourceExists;
                case IrisErrorKind.ResourceUnavailable: return ErrorCategory.ResourceUnavailable;
                case IrisErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case IrisErrorKind.InvalidOperation: return ErrorCategory.InvalidOperation;
                case IrisErrorKind.ConnectionError: return ErrorCategory.ConnectionError;
                case IrisErrorKind.OperationTimeout: return ErrorCategory.OperationTimeout;
                case IrisErrorKind.WriteError: return ErrorCategory.WriteError;
                case IrisErrorKind.InvalidResult: return ErrorCategory.InvalidResult;
                default: return ErrorCategory.NotSpecified;
            }
        }
    }
}
