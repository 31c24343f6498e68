using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Docker
{
    /// <summary>The one way to read a file from a container, on a fake that has only the archive API.</summary>
    public class ContainerFileReaderTests
    {
        private readonly ArchiveOnly container = new ArchiveOnly();

        [Fact]
        public async Task A_file_is_read_from_its_archive()
        {
            container.Files["/etc/app.cpf"] = "[Startup]\nSystemMode=TEST\n";

            Assert.Equal("[Startup]\nSystemMode=TEST\n", Encoding.UTF8.GetString(await new ContainerFileReader(container).ReadAsync("c", "/etc/app.cpf", CancellationToken.None)));
            Assert.Equal("[Startup]\nSystemMode=TEST\n", await new ContainerFileReader(container).TryReadTextAsync("c", "/etc/app.cpf", CancellationToken.None));
        }

        [Fact]
        public async Task A_symbolic_link_is_followed_like_cat_follows_it()
        {
            container.Files["/usr/irissys/mgr/real.cpf"] = "content";
            container.Links["/usr/irissys/iris.cpf"] = "mgr/real.cpf";
            container.Links["/link-to-link"] = "/usr/irissys/iris.cpf";

            Assert.Equal("content", await new ContainerFileReader(container).TryReadTextAsync("c", "/usr/irissys/iris.cpf", CancellationToken.None));
            Assert.Equal("content", await new ContainerFileReader(container).TryReadTextAsync("c", "/link-to-link", CancellationToken.None));
        }

        [Fact]
        public async Task A_missing_file_is_the_engines_not_found_error_or_null_when_tried()
        {
            IrisOpsException error = await Assert.ThrowsAsync<IrisOpsException>(() => new ContainerFileReader(container).ReadAsync("c", "/nope", CancellationToken.None));

            Assert.Equal("DockerObjectNotFound", error.ErrorId);
            Assert.Null(await new ContainerFileReader(container).TryReadTextAsync("c", "/nope", CancellationToken.None));
            Assert.False(await new ContainerFileReader(container).ExistsAsync("c", "/nope", CancellationToken.None));
        }

        [Fact]
        public async Task A_directory_is_not_a_file()
        {
            container.Directories.Add("/dur");

            await Assert.ThrowsAsync<InvalidDataException>(() => new ContainerFileReader(container).ReadAsync("c", "/dur", CancellationToken.None));
            Assert.Null(await new ContainerFileReader(container).TryReadTextAsync("c", "/dur", CancellationToken.None));
            Assert.True(await new ContainerFileReader(container).ExistsAsync("c", "/dur", CancellationToken.None));
        }

        [Fact]
        public async Task A_read_longer_than_the_timeout_is_an_operation_timeout()
        {
            container.Files["/slow"] = "x";
            container.Delay = TimeSpan.FromSeconds(30);

            IrisOpsException error = await Assert.ThrowsAsync<IrisOpsException>(() =>
                new ContainerFileReader(container) { Timeout = TimeSpan.FromMilliseconds(50) }.ReadAsync("c", "/slow", CancellationToken.None));

            Assert.Equal(IrisErrorKind.OperationTimeout, error.Kind);
            Assert.Equal("DockerOperationTimeout", error.ErrorId);
        }

        [Fact]
        public async Task Cancelling_a_read_is_a_cancellation_not_a_timeout()
        {
            container.Files["/slow"] = "x";
            container.Delay = TimeSpan.FromSeconds(30);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                new ContainerFileReader(container) { Timeout = TimeSpan.FromSeconds(20) }.ReadAsync("c", "/slow", cancel.Token));
        }

        /// <summary>Exec and files only, and of those only the archive download: what the reader needs.</summary>
        private sealed class ArchiveOnly : IContainerExec
        {
            public Dictionary<string, string> Files { get; } = new Dictionary<string, string>();

            public Dictionary<string, string> Links { get; } = new Dictionary<string, string>();

            public HashSet<string> Directories { get; } = new HashSet<string>();

            public TimeSpan Delay { get; set; }

            public DockerEndpoint Endpoint { get; } = DockerEndpointResolver.Resolve("unix:///fake.sock", new DockerEnvironment(new Dictionary<string, string?>(), Path.GetTempPath(), false));

            public async Task CopyFromContainerAsync(string nameOrId, string path, Stream destination, CancellationToken cancellationToken)
            {
                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay, cancellationToken);
                }

                if (Files.TryGetValue(path, out string? text))
                {
                    TestArchives.WriteFile(destination, path, Encoding.UTF8.GetBytes(text));
                }
                else if (Links.TryGetValue(path, out string? target))
                {
                    TestArchives.WriteLink(destination, path, target);
                }
                else if (Directories.Contains(path))
                {
                    TestArchives.WriteDirectory(destination, path, "inside.txt", Encoding.UTF8.GetBytes("inside"));
                }
                else
                {
                    throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "DockerObjectNotFound", $"Could not find the file {path} in container {nameOrId}", nameOrId);
                }
            }

            public Task<ExecResult> ExecAsync(string nameOrId, ExecRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task<string> GetContainerLogsAsync(string nameOrId, int tailLines, CancellationToken cancellationToken) => throw new NotSupportedException();

            public Task CopyToContainerAsync(string nameOrId, string path, Stream tarArchive, CancellationToken cancellationToken) => throw new NotSupportedException();
        }
    }
}
