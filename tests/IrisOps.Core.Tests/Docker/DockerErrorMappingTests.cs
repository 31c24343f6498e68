using System;
using System.Net;
using Docker.DotNet;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Docker
{
    /// <summary>An engine's error status becomes the error kind of its cause, with the engine's own message.</summary>
    public sealed class DockerErrorMappingTests
    {
        private static readonly DockerEndpoint Endpoint = new DockerEndpoint("unix:///var/run/docker.sock", new Uri("unix:///var/run/docker.sock"), DockerEndpointSource.Default);

        [Theory]
        [InlineData(HttpStatusCode.BadRequest, "invalid reference format", IrisErrorKind.InvalidArgument, "DockerBadRequest")]
        [InlineData(HttpStatusCode.Unauthorized, "authentication required", IrisErrorKind.PermissionDenied, "DockerPermissionDenied")]
        [InlineData(HttpStatusCode.Forbidden, "Pool overlaps with other one on this address space", IrisErrorKind.ResourceExists, "DockerSubnetOverlap")]
        [InlineData(HttpStatusCode.Forbidden, "bridge is a pre-defined network and cannot be removed", IrisErrorKind.InvalidOperation, "DockerOperationRefused")]
        [InlineData(HttpStatusCode.NotFound, "No such container: x", IrisErrorKind.ObjectNotFound, "DockerObjectNotFound")]
        [InlineData(HttpStatusCode.Conflict, "The container name \"/x\" is already in use", IrisErrorKind.ResourceExists, "DockerConflict")]
        [InlineData(HttpStatusCode.Conflict, "container is not running", IrisErrorKind.InvalidOperation, "DockerInvalidState")]
        [InlineData(HttpStatusCode.InternalServerError, "something broke", IrisErrorKind.NotSpecified, "DockerEngineError")]
        public void Maps_the_status_to_the_cause(HttpStatusCode status, string engineMessage, IrisErrorKind kind, string id)
        {
            var api = new DockerApiException(status, "{\"message\":\"" + engineMessage.Replace("\"", "\\\"") + "\"}");
            IrisOpsException error = DockerErrorMapping.ApiError(Endpoint, "create network 'n'", "n", api);
            Assert.Equal(kind, error.Kind);
            Assert.Equal(id, error.ErrorId);
            Assert.EndsWith("answered: " + engineMessage, error.Message, StringComparison.Ordinal);
        }
    }
}
