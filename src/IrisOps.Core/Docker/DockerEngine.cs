using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using IrisOps.Core.Errors;

// Docker.DotNet's request models declare their properties non-nullable, yet the Engine API reads an absent (null)
// property as "not set, use the default": assigning null there is intended.
#pragma warning disable CS8601

namespace IrisOps.Core.Docker
{
    /// <summary>
    /// <see cref="IDockerEngine"/> over Docker.DotNet (the Docker.DotNet.Enhanced packages): the calls only. Every
    /// call is bounded in time and every failure becomes one <see cref="IrisOpsException"/> with a message for the
    /// user (<see cref="DockerErrorMapping"/>); models are translated by <see cref="DockerRequestMapping"/> and
    /// <see cref="DockerResponseMapping"/>; the client, with its TLS credentials, comes from <see cref="DockerClientFactory"/>.
    /// </summary>
    public sealed class DockerEngine : IDockerEngine
    {
        private static readonly Encoding Utf8 = new UTF8Encoding(false);
        private readonly DockerClient client;
        private readonly DockerEngineOptions options;
        private int answered;

        public DockerEngine(DockerEndpoint endpoint, DockerEngineOptions? options = null)
        {
            Endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
            this.options = options ?? new DockerEngineOptions();
            client = DockerClientFactory.Create(endpoint);
        }

        public DockerEndpoint Endpoint { get; }

        public void Dispose() => client.Dispose();

        // ---- system ----

        public Task<DockerEngineInfo> PingAsync(CancellationToken cancellationToken) =>
            Run("ping", null, options.PingTimeout, async token =>
            {
                await client.System.PingAsync(token).ConfigureAwait(false);
                VersionResponse version = await client.System.GetVersionAsync(token).ConfigureAwait(false);
                return new DockerEngineInfo
                {
                    Endpoint = Endpoint,
                    Version = version.Version ?? string.Empty,
                    ApiVersion = version.APIVersion ?? string.Empty,
                    Os = version.Os ?? string.Empty,
                    Architecture = version.Arch ?? string.Empty,
                };
            }, cancellationToken);

        // ---- containers ----

        public Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken) =>
            Run("inspect container '" + nameOrId + "'", nameOrId, null, async token =>
            {
                try
                {
                    ContainerInspectResponse response = await client.Containers.InspectContainerAsync(nameOrId, token).ConfigureAwait(false);
                    return (ContainerDetails?)DockerResponseMapping.MapContainer(response);
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }
            }, cancellationToken);

        public Task<IList<ContainerSummary>> ListContainersAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) =>
            Run("list containers", null, null, async token =>
            {
                IList<ContainerListResponse> list = await client.Containers.ListContainersAsync(
                    new ContainersListParameters { All = true, Filters = DockerRequestMapping.LabelFilters(labels) }, token).ConfigureAwait(false);
                return (IList<ContainerSummary>)list.Select(DockerResponseMapping.MapContainerSummary).ToList();
            }, cancellationToken);

        public Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
        {
            if (spec == null)
            {
                throw new ArgumentNullException(nameof(spec));
            }

            if (string.IsNullOrEmpty(spec.Image))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "ContainerImageMissing", "A container needs an image.", spec.Name);
            }

            return Run("create container '" + spec.Name + "'", spec.Name, null, async token =>
            {
                CreateContainerResponse created = await client.Containers.CreateContainerAsync(DockerRequestMapping.ToCreateParameters(spec), token).ConfigureAwait(false);
                try
                {
                    // API 1.41 engines take one network at creation; the others are connected before the start.
                    foreach (NetworkAttachmentSpec network in spec.Networks.Skip(1))
                    {
                        await client.Networks.ConnectNetworkAsync(network.Network, new NetworkConnectParameters
                        {
                            Container = created.ID,
                            EndpointConfig = DockerRequestMapping.ToEndpointSettings(network),
                        }, token).ConfigureAwait(false);
                    }
                }
                catch
                {
                    await client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None).ConfigureAwait(false);
                    throw;
                }

                return created.ID;
            }, cancellationToken);
        }

        public Task StartContainerAsync(string nameOrId, CancellationToken cancellationToken) =>
            Run("start container '" + nameOrId + "'", nameOrId, null, async token =>
            {
                await client.Containers.StartContainerAsync(nameOrId, new ContainerStartParameters(), token).ConfigureAwait(false);
                return true;
            }, cancellationToken);

        public Task<bool> StopContainerAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken)
        {
            uint seconds = (uint)Math.Max(0, Math.Ceiling(timeout.TotalSeconds));
            return Run("stop container '" + nameOrId + "'", nameOrId, TimeSpan.FromSeconds(seconds) + options.RequestTimeout, token =>
                client.Containers.StopContainerAsync(nameOrId, new ContainerStopParameters { WaitBeforeKillSeconds = seconds }, token), cancellationToken);
        }

        public Task KillContainerAsync(string nameOrId, string? signal, CancellationToken cancellationToken) =>
            Run("kill container '" + nameOrId + "'", nameOrId, null, async token =>
            {
                await client.Containers.KillContainerAsync(nameOrId, new ContainerKillParameters { Signal = string.IsNullOrEmpty(signal) ? "KILL" : signal }, token).ConfigureAwait(false);
                return true;
            }, cancellationToken);

        public Task<long> WaitContainerAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken) =>
            Run("wait for container '" + nameOrId + "' to stop", nameOrId, timeout, async token =>
            {
                ContainerWaitResponse response = await client.Containers.WaitContainerAsync(nameOrId, token).ConfigureAwait(false);
                return response.StatusCode;
            }, cancellationToken);

        public Task RenameContainerAsync(string nameOrId, string newName, CancellationToken cancellationToken) =>
            Run("rename container '" + nameOrId + "' to '" + newName + "'", nameOrId, null, async token =>
            {
                await client.Containers.RenameContainerAsync(nameOrId, new ContainerRenameParameters { NewName = newName }, token).ConfigureAwait(false);
                return true;
            }, cancellationToken);

        public Task<bool> RemoveContainerAsync(string nameOrId, bool force, bool removeAnonymousVolumes, CancellationToken cancellationToken) =>
            Run("remove container '" + nameOrId + "'", nameOrId, null, async token =>
            {
                try
                {
                    await client.Containers.RemoveContainerAsync(nameOrId, new ContainerRemoveParameters { Force = force, RemoveVolumes = removeAnonymousVolumes }, token).ConfigureAwait(false);
                    return true;
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return false;
                }
            }, cancellationToken);

        public Task<string> GetContainerLogsAsync(string nameOrId, int tailLines, CancellationToken cancellationToken) =>
            Run("read the log of container '" + nameOrId + "'", nameOrId, null, async token =>
            {
                var parameters = new ContainerLogsParameters
                {
                    ShowStdout = true,
                    ShowStderr = true,
                    Follow = false,
                    Timestamps = false,
                    Tail = tailLines > 0 ? tailLines.ToString(CultureInfo.InvariantCulture) : "all",
                };
                using (MultiplexedStream stream = await client.Containers.GetContainerLogsAsync(nameOrId, parameters, token).ConfigureAwait(false))
                using (var combined = new MemoryStream())
                {
                    // Both outputs into one buffer, in the order the engine sent them.
                    await stream.CopyOutputToAsync(Stream.Null, combined, combined, token).ConfigureAwait(false);
                    return Utf8.GetString(combined.GetBuffer(), 0, (int)combined.Length);
                }
            }, cancellationToken);

        public Task<ExecResult> ExecAsync(string nameOrId, ExecRequest request, CancellationToken cancellationToken)
        {
            if (request == null || request.Command.Count == 0)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "ExecCommandMissing", "A command to run in the container is required.", nameOrId);
            }

            string what = "run '" + request.Command[0] + "' in container '" + nameOrId + "'";
            return Run(what, nameOrId, request.Timeout, async token =>
            {
                ContainerExecCreateResponse exec = await client.Exec.CreateContainerExecAsync(nameOrId, new ContainerExecCreateParameters
                {
                    Cmd = request.Command.ToList(),
                    AttachStdin = request.StandardInput != null,
                    AttachStdout = true,
                    AttachStderr = true,
                    TTY = false,
                    User = request.User,
                    WorkingDir = request.WorkingDirectory,
                    Env = request.Environment.Count == 0 ? null : request.Environment.Select(pair => pair.Key + "=" + pair.Value).ToList(),
                }, token).ConfigureAwait(false);

                string standardOutput;
                string standardError;
                using (MultiplexedStream stream = await client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters { Detach = false, TTY = false }, token).ConfigureAwait(false))
                {
                    Task<(string, string)> reading = stream.ReadOutputToEndAsync(token);
                    if (request.StandardInput != null)
                    {
                        byte[] input = Utf8.GetBytes(request.StandardInput);
                        await stream.WriteAsync(input, 0, input.Length, token).ConfigureAwait(false);
                        stream.CloseWrite();
                    }

                    (standardOutput, standardError) = await reading.ConfigureAwait(false);
                }

                // The output ends when the process closes it; the exit code follows a moment later.
                for (int attempt = 0; attempt < 200; attempt++)
                {
                    ContainerExecInspectResponse inspect = await client.Exec.InspectContainerExecAsync(exec.ID, token).ConfigureAwait(false);
                    if (!inspect.Running && inspect.ExitCode.HasValue)
                    {
                        return new ExecResult { ExitCode = inspect.ExitCode.Value, StandardOutput = standardOutput, StandardError = standardError };
                    }

                    await Task.Delay(25, token).ConfigureAwait(false);
                }

                throw new IrisOpsException(IrisErrorKind.OperationTimeout, "ExecExitCodeUnknown",
                    $"'{request.Command[0]}' in container '{nameOrId}' closed its output but the engine reported no exit code.", nameOrId);
            }, cancellationToken);
        }

        public Task CopyFromContainerAsync(string nameOrId, string path, Stream destination, CancellationToken cancellationToken) =>
            Run("copy '" + path + "' from container '" + nameOrId + "'", nameOrId, Timeout.InfiniteTimeSpan, async token =>
            {
                ContainerArchiveResponse archive = await client.Containers.GetArchiveFromContainerAsync(nameOrId, new ContainerPathStatParameters { Path = path }, false, token).ConfigureAwait(false);
                using (Stream source = archive.Stream ?? throw new IOException("The engine sent no archive."))
                {
                    await source.CopyToAsync(destination, 81920, token).ConfigureAwait(false);
                }

                return true;
            }, cancellationToken);

        public Task CopyToContainerAsync(string nameOrId, string path, Stream tarArchive, CancellationToken cancellationToken) =>
            Run("copy an archive to '" + path + "' in container '" + nameOrId + "'", nameOrId, Timeout.InfiniteTimeSpan, async token =>
            {
                await client.Containers.ExtractArchiveToContainerAsync(nameOrId, new CopyToContainerParameters { Path = path }, tarArchive, token).ConfigureAwait(false);
                return true;
            }, cancellationToken);

        // ---- networks ----

        public Task<NetworkDetails?> InspectNetworkAsync(string nameOrId, CancellationToken cancellationToken) =>
            Run("inspect network '" + nameOrId + "'", nameOrId, null, async token =>
            {
                try
                {
                    NetworkResponse response = await client.Networks.InspectNetworkAsync(nameOrId, token).ConfigureAwait(false);
                    return (NetworkDetails?)DockerResponseMapping.MapNetwork(response);
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }
            }, cancellationToken);

        public Task<IList<NetworkDetails>> ListNetworksAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) =>
            Run("list networks", null, null, async token =>
            {
                IList<NetworkResponse> list = await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = DockerRequestMapping.LabelFilters(labels) }, token).ConfigureAwait(false);
                return (IList<NetworkDetails>)list.Select(DockerResponseMapping.MapNetwork).ToList();
            }, cancellationToken);

        public Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken) =>
            Run("create network '" + spec.Name + "'", spec.Name, null, async token =>
            {
                if (await client.Networks.ListNetworksAsync(new NetworksListParameters
                    {
                        Filters = new Dictionary<string, IDictionary<string, bool>> { ["name"] = new Dictionary<string, bool> { [spec.Name] = true } },
                    }, token).ConfigureAwait(false) is IList<NetworkResponse> existing && existing.Any(n => n.Name == spec.Name))
                {
                    throw new IrisOpsException(IrisErrorKind.ResourceExists, "NetworkExists",
                        $"A network named '{spec.Name}' already exists on the Docker engine at {Endpoint.Host}.", spec.Name);
                }

                var parameters = new NetworksCreateParameters
                {
                    Name = spec.Name,
                    Driver = string.IsNullOrEmpty(spec.Driver) ? "bridge" : spec.Driver,
                    Internal = spec.Internal,
                    Labels = spec.Labels.Count == 0 ? null : new Dictionary<string, string>(spec.Labels),
                };
                if (!string.IsNullOrEmpty(spec.Subnet))
                {
                    parameters.IPAM = new IPAM
                    {
                        Driver = "default",
                        Config = new List<IPAMConfig> { new IPAMConfig { Subnet = spec.Subnet, Gateway = string.IsNullOrEmpty(spec.Gateway) ? null : spec.Gateway } },
                    };
                }

                NetworksCreateResponse created = await client.Networks.CreateNetworkAsync(parameters, token).ConfigureAwait(false);
                return created.ID;
            }, cancellationToken);

        public Task<bool> RemoveNetworkAsync(string nameOrId, CancellationToken cancellationToken) =>
            Run("remove network '" + nameOrId + "'", nameOrId, null, async token =>
            {
                try
                {
                    await client.Networks.DeleteNetworkAsync(nameOrId, token).ConfigureAwait(false);
                    return true;
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return false;
                }
            }, cancellationToken);

        // ---- volumes ----

        public Task<VolumeDetails?> InspectVolumeAsync(string name, CancellationToken cancellationToken) =>
            Run("inspect volume '" + name + "'", name, null, async token =>
            {
                try
                {
                    return (VolumeDetails?)DockerResponseMapping.MapVolume(await client.Volumes.InspectAsync(name, token).ConfigureAwait(false));
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }
            }, cancellationToken);

        public Task<IList<VolumeDetails>> ListVolumesAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) =>
            Run("list volumes", null, null, async token =>
            {
                VolumesListResponse list = await client.Volumes.ListAsync(new VolumesListParameters { Filters = DockerRequestMapping.LabelFilters(labels) }, token).ConfigureAwait(false);
                return (IList<VolumeDetails>)(list.Volumes ?? new List<VolumeResponse>()).Select(DockerResponseMapping.MapVolume).ToList();
            }, cancellationToken);

        public Task<VolumeDetails> CreateVolumeAsync(VolumeSpec spec, CancellationToken cancellationToken) =>
            Run("create volume '" + spec.Name + "'", spec.Name, null, async token =>
            {
                try
                {
                    await client.Volumes.InspectAsync(spec.Name, token).ConfigureAwait(false);
                    throw new IrisOpsException(IrisErrorKind.ResourceExists, "VolumeExists",
                        $"A volume named '{spec.Name}' already exists on the Docker engine at {Endpoint.Host}.", spec.Name);
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                }

                VolumeResponse created = await client.Volumes.CreateAsync(new VolumesCreateParameters
                {
                    Name = spec.Name,
                    Driver = string.IsNullOrEmpty(spec.Driver) ? "local" : spec.Driver,
                    Labels = spec.Labels.Count == 0 ? null : new Dictionary<string, string>(spec.Labels),
                }, token).ConfigureAwait(false);
                return DockerResponseMapping.MapVolume(created);
            }, cancellationToken);

        public Task<bool> RemoveVolumeAsync(string name, bool force, CancellationToken cancellationToken) =>
            Run("remove volume '" + name + "'", name, null, async token =>
            {
                try
                {
                    await client.Volumes.RemoveAsync(name, force, token).ConfigureAwait(false);
                    return true;
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return false;
                }
            }, cancellationToken);

        // ---- images ----

        public Task<ImageDetails?> InspectImageAsync(string nameOrId, CancellationToken cancellationToken) =>
            Run("inspect image '" + nameOrId + "'", nameOrId, null, async token =>
            {
                try
                {
                    return (ImageDetails?)DockerResponseMapping.MapImage(await client.Images.InspectImageAsync(nameOrId, token).ConfigureAwait(false));
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }
            }, cancellationToken);

        public async Task<bool> ImageExistsAsync(string nameOrId, CancellationToken cancellationToken) =>
            await InspectImageAsync(nameOrId, cancellationToken).ConfigureAwait(false) != null;

        public Task<IList<string>> ListImageTagsAsync(CancellationToken cancellationToken) =>
            Run("list images", null, null, async token =>
            {
                IList<ImagesListResponse> images = await client.Images.ListImagesAsync(new ImagesListParameters(), token).ConfigureAwait(false);
                return (IList<string>)images.SelectMany(i => i.RepoTags ?? new List<string>()).Where(t => t != "<none>:<none>").Distinct().ToList();
            }, cancellationToken);

        // ---- the call wrapper: time limits and error mapping ----

        private static bool Traced(Action<string> trace, string action, System.Diagnostics.Stopwatch watch, Exception ex)
        {
            trace($"Docker API: {action}: failed after {watch.ElapsedMilliseconds} ms ({Outcome(ex)})");
            return false;
        }

        private static string Outcome(Exception ex) =>
            ex is IrisOpsException iris ? iris.ErrorId
            : ex is DockerApiException api ? "HTTP " + ((int)api.StatusCode).ToString(CultureInfo.InvariantCulture)
            : ex is OperationCanceledException ? "cancelled or timed out"
            : "no answer from the engine";

        private async Task<T> Run<T>(string action, object? target, TimeSpan? timeout, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
        {
            TimeSpan limit = timeout ?? options.RequestTimeout;
            using (var limited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (limit != Timeout.InfiniteTimeSpan)
                {
                    limited.CancelAfter(limit);
                }

                Action<string>? trace = options.Trace;
                System.Diagnostics.Stopwatch? watch = trace == null ? null : System.Diagnostics.Stopwatch.StartNew();
                trace?.Invoke($"Docker API: {action}");
                try
                {
                    T result = await operation(limited.Token).ConfigureAwait(false);
                    Interlocked.Exchange(ref answered, 1);
                    trace?.Invoke($"Docker API: {action}: done in {watch!.ElapsedMilliseconds} ms");
                    return result;
                }
                catch (Exception ex) when (trace != null && Traced(trace, action, watch!, ex))
                {
                    throw; // not reached: Traced only records and returns false
                }
                catch (IrisOpsException)
                {
                    Interlocked.Exchange(ref answered, 1);
                    throw;
                }
                catch (DockerApiException ex)
                {
                    Interlocked.Exchange(ref answered, 1);
                    throw DockerErrorMapping.ApiError(Endpoint, action, target, ex);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException ex) when (limited.IsCancellationRequested)
                {
                    if (Volatile.Read(ref answered) == 0)
                    {
                        throw DockerErrorMapping.Unreachable(Endpoint, ex, $"no answer within {limit.TotalSeconds:0.#} s");
                    }

                    throw DockerErrorMapping.Timeout(Endpoint, action, target, limit, ex);
                }
                catch (Exception ex) when (DockerErrorMapping.IsConnectionFailure(ex))
                {
                    throw DockerErrorMapping.Unreachable(Endpoint, ex, DockerErrorMapping.RootCause(ex));
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    throw DockerErrorMapping.CallFailed(Endpoint, action, target, ex);
                }
            }
        }

    }
}
