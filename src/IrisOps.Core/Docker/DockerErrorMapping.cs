using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using Docker.DotNet;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Docker
{
    /// <summary>
    /// Exceptions of the Docker client turned into one <see cref="IrisOpsException"/> each, with an error id and
    /// kind a script can test and a message that names the engine and says what to do.
    /// </summary>
    internal static class DockerErrorMapping
    {
        /// <summary>The engine did not answer: ConnectionError DockerEngineUnreachable, saying where the endpoint came from.</summary>
        internal static IrisOpsException Unreachable(DockerEndpoint endpoint, Exception ex, string detail)
        {
            string origin;
            switch (endpoint.Source)
            {
                case DockerEndpointSource.Parameter:
                    origin = "given by -DockerHost";
                    break;
                case DockerEndpointSource.EnvironmentVariable:
                    origin = "taken from DOCKER_HOST";
                    break;
                case DockerEndpointSource.Context:
                    origin = "taken from the docker context '" + endpoint.ContextName + "'";
                    break;
                default:
                    origin = "the platform default";
                    break;
            }

            return new IrisOpsException(IrisErrorKind.ConnectionError, "DockerEngineUnreachable",
                $"cannot reach the Docker engine at {endpoint.Host}; is Docker running? ({detail}; the endpoint is {origin}: choose another with -DockerHost, DOCKER_HOST or a docker context.)",
                endpoint.Host, ex);
        }

        /// <summary>The engine answered with an error status: the kind and id follow the HTTP status, the message is the engine's.</summary>
        internal static IrisOpsException ApiError(DockerEndpoint endpoint, string action, object? target, DockerApiException ex)
        {
            string message = EngineMessage(ex);
            IrisErrorKind kind;
            string id;
            switch ((int)ex.StatusCode)
            {
                case 400:
                    kind = IrisErrorKind.InvalidArgument;
                    id = "DockerBadRequest";
                    break;
                case 401:
                    kind = IrisErrorKind.PermissionDenied;
                    id = "DockerPermissionDenied";
                    break;
                case 403:
                    // The engine's 403 refuses an operation, not a user: a network whose address pool overlaps
                    // another one's, an action on a predefined network.
                    bool overlap = message.IndexOf("overlap", StringComparison.OrdinalIgnoreCase) >= 0;
                    kind = overlap ? IrisErrorKind.ResourceExists : IrisErrorKind.InvalidOperation;
                    id = overlap ? "DockerSubnetOverlap" : "DockerOperationRefused";
                    break;
                case 404:
                    kind = IrisErrorKind.ObjectNotFound;
                    id = "DockerObjectNotFound";
                    break;
                case 409:
                    bool exists = message.IndexOf("already", StringComparison.OrdinalIgnoreCase) >= 0;
                    kind = exists ? IrisErrorKind.ResourceExists : IrisErrorKind.InvalidOperation;
                    id = exists ? "DockerConflict" : "DockerInvalidState";
                    break;
                default:
                    kind = IrisErrorKind.NotSpecified;
                    id = "DockerEngineError";
                    break;
            }

            return new IrisOpsException(kind, id, $"Could not {action}: the Docker engine at {endpoint.Host} answered: {message}", target, ex);
        }

        /// <summary>The call ran longer than its limit although the engine had answered before: OperationTimeout DockerOperationTimeout.</summary>
        internal static IrisOpsException Timeout(DockerEndpoint endpoint, string action, object? target, TimeSpan limit, Exception ex) =>
            new IrisOpsException(IrisErrorKind.OperationTimeout, "DockerOperationTimeout",
                $"The Docker engine at {endpoint.Host} did not finish '{action}' within {limit.TotalSeconds:0.#} s.", target, ex);

        /// <summary>Anything else: NotSpecified DockerCallFailed with the innermost cause.</summary>
        internal static IrisOpsException CallFailed(DockerEndpoint endpoint, string action, object? target, Exception ex) =>
            new IrisOpsException(IrisErrorKind.NotSpecified, "DockerCallFailed",
                $"Could not {action} on the Docker engine at {endpoint.Host}: {RootCause(ex)}", target, ex);

        /// <summary>True when <paramref name="ex"/> (or an inner exception) says the engine could not be reached at all.</summary>
        internal static bool IsConnectionFailure(Exception ex)
        {
            for (Exception? current = ex; current != null; current = current.InnerException)
            {
                if (current is HttpRequestException || current is SocketException || current is IOException ||
                    current is TimeoutException || current is AuthenticationException || current is System.ComponentModel.Win32Exception)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The innermost exception's message, without its final full stop.</summary>
        internal static string RootCause(Exception ex)
        {
            Exception current = ex;
            while (current.InnerException != null)
            {
                current = current.InnerException;
            }

            string message = current.Message.Trim();
            return message.EndsWith(".", StringComparison.Ordinal) ? message.Substring(0, message.Length - 1) : message;
        }

        private static string EngineMessage(DockerApiException ex)
        {
            string body = ex.ResponseBody ?? string.Empty;
            try
            {
                using (JsonDocument document = JsonDocument.Parse(body))
                {
                    if (document.RootElement.ValueKind == JsonValueKind.Object &&
                        document.RootElement.TryGetProperty("message", out JsonElement message) &&
                        message.ValueKind == JsonValueKind.String)
                    {
                        return message.GetString() ?? body;
                    }
                }
            }
            catch (JsonException)
            {
            }

            body = body.Trim();
            return body.Length > 0 ? body : ((int)ex.StatusCode).ToString(CultureInfo.InvariantCulture) + " " + ex.StatusCode;
        }
    }
}
