using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Handler.Abstractions;
using Docker.DotNet.Models;
using Docker.DotNet.X509;
using IrisOps.Core.Errors;

// Docker.DotNet's request models declare their properties non-nullable, yet the Engine API reads an absent (null)
// property as "not set, use the default": assigning null there is intended.
#pragma warning disable CS8601

namespace IrisOps.Core.Docker
{
    /// <summary>Tuning for <see cref="DockerEngine"/>.</summary>
    public sealed class DockerEngineOptions
    {
        /// <summary>The longest an ordinary request may take (long operations such as stop add their own time).</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>How long a ping waits before the engine counts as unreachable.</summary>
        public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>How often <see cref="IDockerEngine.WaitForHealthyAsync"/> inspects the container.</summary>
        public TimeSpan HealthPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
    }

    /// <summary>Creates engines for a -DockerHost value and the process environment.</summary>
    public static class DockerEngineFactory
    {
        /// <summary>Resolves the endpoint like the docker CLI (see <see cref="DockerEndpointResolver"/>) and connects lazily.</summary>
        public static IDockerEngine Create(string? dockerHost, DockerEnvironment? environment = null, DockerEngineOptions? options = null)
        {
            DockerEndpoint endpoint = DockerEndpointResolver.Resolve(dockerHost, environment ?? DockerEnvironment.FromProcess());
            return new DockerEngine(endpoint, options);
        }
    }

    /// <summary>
    /// <see cref="IDockerEngine"/> over Docker.DotNet (the Docker.DotNet.Enhanced packages). Every call is bounded in
    /// time; every failure becomes one <see cref="IrisOpsException"/> with a message for the user.
    /// </summary>
    public sealed class DockerEngine : IDockerEngine
    {
        private readonly DockerClient client;
        private readonly DockerEngineOptions options;
        private int answered;

        public DockerEngine(DockerEndpoint endpoint, DockerEngineOptions? options = null)
        {
            Endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
            this.options = options ?? new DockerEngineOptions();
            try
            {
                // Our own resolution is handed over as a fixed DOCKER_HOST so that the library reads nothing else.
                DockerClientBuilder builder = new DockerClientBuilder(new DockerConfig(new FixedCliSettings(endpoint.Uri.ToString())))
                    .WithEndpoint(endpoint.Uri)
                    .WithTimeout(Timeout.InfiniteTimeSpan);
                if (endpoint.Tls != null)
                {
                    builder = builder.WithAuthProvider(CreateTlsCredentials(endpoint));
                }

                client = builder.Build();
            }
            catch (IrisOpsException)
            {
                throw;
            }
            catch (Exception ex)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "DockerHostInvalid",
                    $"Cannot use the Docker endpoint {endpoint.Describe()}: {ex.Message}", endpoint.Host, ex);
            }
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
                    return (ContainerDetails?)MapContainer(response);
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
                    new ContainersListParameters { All = true, Filters = LabelFilters(labels) }, token).ConfigureAwait(false);
                return (IList<ContainerSummary>)list.Select(c => new ContainerSummary
                {
                    Id = c.ID,
                    Name = (c.Names?.FirstOrDefault() ?? string.Empty).TrimStart('/'),
                    Image = c.Image ?? string.Empty,
                    State = c.State ?? string.Empty,
                    Status = c.Status ?? string.Empty,
                    Created = c.Created,
                    Labels = Copy(c.Labels),
                }).ToList();
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
                CreateContainerResponse created = await client.Containers.CreateContainerAsync(ToCreateParameters(spec), token).ConfigureAwait(false);
                try
                {
                    // API 1.41 engines take one network at creation; the others are connected before the start.
                    foreach (NetworkAttachmentSpec network in spec.Networks.Skip(1))
                    {
                        await client.Networks.ConnectNetworkAsync(network.Network, new NetworkConnectParameters
                        {
                            Container = created.ID,
                            EndpointConfig = ToEndpointSettings(network),
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
                {
                    var output = new OutputCollector(interleave: true);
                    await output.ReadAllAsync(stream, token).ConfigureAwait(false);
                    return output.Combined;
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

                var output = new OutputCollector(interleave: false);
                using (MultiplexedStream stream = await client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters { Detach = false, TTY = false }, token).ConfigureAwait(false))
                {
                    Task reading = output.ReadAllAsync(stream, token);
                    if (request.StandardInput != null)
                    {
                        byte[] input = new UTF8Encoding(false).GetBytes(request.StandardInput);
                        await stream.WriteAsync(input, 0, input.Length, token).ConfigureAwait(false);
                        stream.CloseWrite();
                    }

                    await reading.ConfigureAwait(false);
                }

                // The output ends when the process closes it; the exit code follows a moment later.
                for (int attempt = 0; attempt < 200; attempt++)
                {
                    ContainerExecInspectResponse inspect = await client.Exec.InspectContainerExecAsync(exec.ID, token).ConfigureAwait(false);
                    if (!inspect.Running && inspect.ExitCode.HasValue)
                    {
                        return new ExecResult { ExitCode = inspect.ExitCode.Value, StandardOutput = output.StandardOutput, StandardError = output.StandardError };
                    }

                    await Task.Delay(25, token).ConfigureAwait(false);
                }

                throw new IrisOpsException(IrisErrorKind.OperationTimeout, "ExecExitCodeUnknown",
                    $"'{request.Command[0]}' in container '{nameOrId}' closed its output but the engine reported no exit code.", nameOrId);
            }, cancellationToken);
        }

        public async Task<HealthWaitResult> WaitForHealthyAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken, Action<ContainerDetails>? onPoll = null)
        {
            DateTime started = DateTime.UtcNow;
            DateTime deadline = started + timeout;
            ContainerDetails? details;
            long? firstRestartCount = null;
            while (true)
            {
                details = await InspectContainerAsync(nameOrId, cancellationToken).ConfigureAwait(false);
                if (details == null)
                {
                    throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "ContainerNotFound",
                        $"The container '{nameOrId}' does not exist on the Docker engine at {Endpoint.Host}.", nameOrId);
                }

                onPoll?.Invoke(details);
                TimeSpan elapsed = DateTime.UtcNow - started;
                ContainerStateInfo state = details.State;
                firstRestartCount = firstRestartCount ?? details.RestartCount;
                if (!state.Running && !state.Restarting && (state.Status == "exited" || state.Status == "dead"))
                {
                    return Result(HealthWaitOutcome.Exited, $"The container '{details.Name}' stopped with exit code {state.ExitCode} before it became healthy.");
                }

                if (state.Restarting || details.RestartCount > firstRestartCount)
                {
                    // A restart policy brings a failing container back: a crash loop is a failure, not "starting".
                    return Result(HealthWaitOutcome.Exited,
                        $"The container '{details.Name}' stopped before it became healthy and its restart policy restarts it ({details.RestartCount} restarts so far); its log tells why.");
                }

                if (state.Running && (state.Health == "healthy" || state.Health == "none"))
                {
                    return Result(HealthWaitOutcome.Healthy, state.Health == "none"
                        ? $"The container '{details.Name}' is running (it has no health check)."
                        : $"The container '{details.Name}' is healthy.");
                }

                if (state.Health == "unhealthy")
                {
                    return Result(HealthWaitOutcome.Unhealthy, $"The container '{details.Name}' is unhealthy{LastHealthOutput(state)}.");
                }

                if (DateTime.UtcNow >= deadline)
                {
                    return Result(HealthWaitOutcome.TimedOut,
                        $"The container '{details.Name}' did not become healthy within {timeout.TotalSeconds:0.#} s (state {state.Status}, health {state.Health}{LastHealthOutput(state)}).");
                }

                TimeSpan wait = options.HealthPollInterval;
                TimeSpan left = deadline - DateTime.UtcNow;
                await Task.Delay(left < wait ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : wait, cancellationToken).ConfigureAwait(false);

                HealthWaitResult Result(HealthWaitOutcome outcome, string description) =>
                    new HealthWaitResult { Outcome = outcome, Elapsed = elapsed, Container = details, Description = description };
            }
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
                    return (NetworkDetails?)MapNetwork(response);
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }
            }, cancellationToken);

        public Task<IList<NetworkDetails>> ListNetworksAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) =>
            Run("list networks", null, null, async token =>
            {
                IList<NetworkResponse> list = await client.Networks.ListNetworksAsync(new NetworksListParameters { Filters = LabelFilters(labels) }, token).ConfigureAwait(false);
                return (IList<NetworkDetails>)list.Select(MapNetwork).ToList();
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
                    return (VolumeDetails?)MapVolume(await client.Volumes.InspectAsync(name, token).ConfigureAwait(false));
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }
            }, cancellationToken);

        public Task<IList<VolumeDetails>> ListVolumesAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) =>
            Run("list volumes", null, null, async token =>
            {
                VolumesListResponse list = await client.Volumes.ListAsync(new VolumesListParameters { Filters = LabelFilters(labels) }, token).ConfigureAwait(false);
                return (IList<VolumeDetails>)(list.Volumes ?? new List<VolumeResponse>()).Select(MapVolume).ToList();
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
                return MapVolume(created);
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
                    return (ImageDetails?)MapImage(await client.Images.InspectImageAsync(nameOrId, token).ConfigureAwait(false));
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }
            }, cancellationToken);

        public async Task<bool> ImageExistsAsync(string nameOrId, CancellationToken cancellationToken) =>
            await InspectImageAsync(nameOrId, cancellationToken).ConfigureAwait(false) != null;

        // ---- the call wrapper: time limits and error mapping ----

        private async Task<T> Run<T>(string action, object? target, TimeSpan? timeout, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
        {
            TimeSpan limit = timeout ?? options.RequestTimeout;
            using (var limited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (limit != Timeout.InfiniteTimeSpan)
                {
                    limited.CancelAfter(limit);
                }

                try
                {
                    T result = await operation(limited.Token).ConfigureAwait(false);
                    Interlocked.Exchange(ref answered, 1);
                    return result;
                }
                catch (IrisOpsException)
                {
                    Interlocked.Exchange(ref answered, 1);
                    throw;
                }
                catch (DockerApiException ex)
                {
                    Interlocked.Exchange(ref answered, 1);
                    throw ApiError(action, target, ex);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException ex) when (limited.IsCancellationRequested)
                {
                    if (Volatile.Read(ref answered) == 0)
                    {
                        throw Unreachable(ex, $"no answer within {limit.TotalSeconds:0.#} s");
                    }

                    throw new IrisOpsException(IrisErrorKind.OperationTimeout, "DockerOperationTimeout",
                        $"The Docker engine at {Endpoint.Host} did not finish '{action}' within {limit.TotalSeconds:0.#} s.", target, ex);
                }
                catch (Exception ex) when (IsConnectionFailure(ex))
                {
                    throw Unreachable(ex, RootCause(ex));
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    throw new IrisOpsException(IrisErrorKind.NotSpecified, "DockerCallFailed",
                        $"Could not {action} on the Docker engine at {Endpoint.Host}: {RootCause(ex)}", target, ex);
                }
            }
        }

        private IrisOpsException Unreachable(Exception ex, string detail)
        {
            string origin;
            switch (Endpoint.Source)
            {
                case DockerEndpointSource.Parameter:
                    origin = "given by -DockerHost";
                    break;
                case DockerEndpointSource.EnvironmentVariable:
                    origin = "taken from DOCKER_HOST";
                    break;
                case DockerEndpointSource.Context:
                    origin = "taken from the docker context '" + Endpoint.ContextName + "'";
                    break;
                default:
                    origin = "the platform default";
                    break;
            }

            return new IrisOpsException(IrisErrorKind.ConnectionError, "DockerEngineUnreachable",
                $"cannot reach the Docker engine at {Endpoint.Host}; is Docker running? ({detail}; the endpoint is {origin}: choose another with -DockerHost, DOCKER_HOST or a docker context.)",
                Endpoint.Host, ex);
        }

        private IrisOpsException ApiError(string action, object? target, DockerApiException ex)
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
                case 403:
                    kind = IrisErrorKind.PermissionDenied;
                    id = "DockerPermissionDenied";
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

            return new IrisOpsException(kind, id, $"Could not {action}: the Docker engine at {Endpoint.Host} answered: {message}", target, ex);
        }

        private static string EngineMessage(DockerApiException ex)
        {
            string body = ex.ResponseBody ?? string.Empty;
            try
            {
                using (System.Text.Json.JsonDocument document = System.Text.Json.JsonDocument.Parse(body))
                {
                    if (document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object &&
                        document.RootElement.TryGetProperty("message", out System.Text.Json.JsonElement message) &&
                        message.ValueKind == System.Text.Json.JsonValueKind.String)
                    {
                        return message.GetString() ?? body;
                    }
                }
            }
            catch (System.Text.Json.JsonException)
            {
            }

            body = body.Trim();
            return body.Length > 0 ? body : ((int)ex.StatusCode).ToString(CultureInfo.InvariantCulture) + " " + ex.StatusCode;
        }

        private static bool IsConnectionFailure(Exception ex)
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

        private static string RootCause(Exception ex)
        {
            Exception current = ex;
            while (current.InnerException != null)
            {
                current = current.InnerException;
            }

            string message = current.Message.Trim();
            return message.EndsWith(".", StringComparison.Ordinal) ? message.Substring(0, message.Length - 1) : message;
        }

        // ---- TLS ----

        private static IAuthProvider CreateTlsCredentials(DockerEndpoint endpoint)
        {
            DockerTlsSettings tls = endpoint.Tls!;
            if (tls.CertificateFile == null || tls.KeyFile == null)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "DockerTlsCertificateMissing",
                    $"TLS to the Docker engine at {endpoint.Host} needs a client certificate: cert.pem and key.pem were not found in '{tls.CertificateDirectory}' (set DOCKER_CERT_PATH to the folder that holds them).",
                    tls.CertificateDirectory);
            }

            try
            {
                X509Certificate2 certificate = DockerTlsCertificates.LoadCertificateFromPemFiles(tls.CertificateFile, tls.KeyFile);
                var credentials = new CertificateCredentials(certificate);
                if (!tls.Verify)
                {
                    credentials.ServerCertificateValidationCallback = (sender, serverCertificate, chain, errors) => true;
                }
                else if (tls.CaFile != null)
                {
                    credentials.ServerCertificateValidationCallback = DockerTlsCertificates.CreateCertificateAuthorityValidationCallback(
                        DockerTlsCertificates.LoadCertificateAuthorityFromPemFile(tls.CaFile));
                }

                return credentials;
            }
            catch (Exception ex) when (!(ex is IrisOpsException))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "DockerTlsCertificateUnreadable",
                    $"Cannot load the Docker TLS files from '{tls.CertificateDirectory}': {RootCause(ex)}", tls.CertificateDirectory, ex);
            }
        }

        // ---- mapping to and from Docker.DotNet models ----

        private static IDictionary<string, IDictionary<string, bool>>? LabelFilters(IDictionary<string, string?>? labels)
        {
            if (labels == null || labels.Count == 0)
            {
                return null;
            }

            var values = new Dictionary<string, bool>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, string?> label in labels)
            {
                values[label.Value == null ? label.Key : label.Key + "=" + label.Value] = true;
            }

            return new Dictionary<string, IDictionary<string, bool>> { ["label"] = values };
        }

        private static CreateContainerParameters ToCreateParameters(ContainerSpec spec)
        {
            var exposed = new Dictionary<string, EmptyStruct>(StringComparer.Ordinal);
            var bindings = new Dictionary<string, IList<PortBinding>>(StringComparer.Ordinal);
            foreach (PortBindingSpec port in spec.Ports)
            {
                string key = port.ContainerPort.ToString(CultureInfo.InvariantCulture) + "/" + (string.IsNullOrEmpty(port.Protocol) ? "tcp" : port.Protocol);
                exposed[key] = default;
                if (!bindings.TryGetValue(key, out IList<PortBinding>? list))
                {
                    list = new List<PortBinding>();
                    bindings[key] = list;
                }

                list.Add(new PortBinding
                {
                    HostIP = string.IsNullOrEmpty(port.HostIp) ? string.Empty : port.HostIp,
                    HostPort = port.HostPort > 0 ? port.HostPort.ToString(CultureInfo.InvariantCulture) : string.Empty,
                });
            }

            var host = new HostConfig
            {
                Mounts = spec.Mounts.Select(m => new Mount
                {
                    Type = m.Kind == MountKind.Bind ? "bind" : m.Kind == MountKind.Volume ? "volume" : "tmpfs",
                    Source = m.Kind == MountKind.Tmpfs ? null : m.Source,
                    Target = m.Target,
                    ReadOnly = m.ReadOnly,
                }).ToList(),
                PortBindings = bindings.Count == 0 ? null : bindings,
                Init = spec.Init,
                ExtraHosts = spec.ExtraHosts.Count == 0 ? null : spec.ExtraHosts.ToList(),
                RestartPolicy = string.IsNullOrEmpty(spec.RestartPolicy) ? null : new RestartPolicy
                {
                    Name = RestartKind(spec.RestartPolicy!),
                    MaximumRetryCount = spec.RestartMaximumRetryCount,
                },
            };

            var parameters = new CreateContainerParameters
            {
                Name = string.IsNullOrEmpty(spec.Name) ? null : spec.Name,
                Image = spec.Image,
                Hostname = spec.HostName,
                Domainname = spec.DomainName,
                User = spec.User,
                WorkingDir = spec.WorkingDirectory,
                Entrypoint = spec.Entrypoint?.ToList(),
                Cmd = spec.Command?.ToList(),
                Env = spec.Environment.Count == 0 ? null : spec.Environment.Select(pair => pair.Key + "=" + pair.Value).ToList(),
                Labels = spec.Labels.Count == 0 ? null : new Dictionary<string, string>(spec.Labels),
                ExposedPorts = exposed.Count == 0 ? null : exposed,
                StopSignal = spec.StopSignal,
                StopTimeout = spec.StopTimeout,
                Healthcheck = spec.HealthCheck == null ? null : new HealthcheckConfig
                {
                    Test = spec.HealthCheck.Test.ToList(),
                    Interval = spec.HealthCheck.Interval,
                    Timeout = spec.HealthCheck.Timeout,
                    StartPeriod = spec.HealthCheck.StartPeriod,
                    Retries = spec.HealthCheck.Retries,
                },
                HostConfig = host,
            };

            if (spec.Networks.Count > 0)
            {
                NetworkAttachmentSpec first = spec.Networks[0];
                host.NetworkMode = first.Network;
                parameters.NetworkingConfig = new NetworkingConfig
                {
                    EndpointsConfig = new Dictionary<string, EndpointSettings> { [first.Network] = ToEndpointSettings(first) },
                };
            }

            return parameters;
        }

        private static EndpointSettings ToEndpointSettings(NetworkAttachmentSpec network) => new EndpointSettings
        {
            Aliases = network.Aliases.Count == 0 ? null : network.Aliases.ToList(),
            IPAMConfig = string.IsNullOrEmpty(network.IPv4Address) ? null : new EndpointIPAMConfig { IPv4Address = network.IPv4Address },
        };

        private static RestartPolicyKind RestartKind(string name)
        {
            switch (name.Trim().ToLowerInvariant())
            {
                case "no":
                    return RestartPolicyKind.No;
                case "always":
                    return RestartPolicyKind.Always;
                case "on-failure":
                    return RestartPolicyKind.OnFailure;
                case "unless-stopped":
                    return RestartPolicyKind.UnlessStopped;
                default:
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, "RestartPolicyInvalid",
                        $"The restart policy '{name}' is not one of no, always, on-failure, unless-stopped.", name);
            }
        }

        private static string? RestartName(RestartPolicy? policy)
        {
            if (policy == null)
            {
                return null;
            }

            switch (policy.Name)
            {
                case RestartPolicyKind.No:
                    return "no";
                case RestartPolicyKind.Always:
                    return "always";
                case RestartPolicyKind.OnFailure:
                    return "on-failure";
                case RestartPolicyKind.UnlessStopped:
                    return "unless-stopped";
                default:
                    return null;
            }
        }

        private static ContainerDetails MapContainer(ContainerInspectResponse response)
        {
            ContainerConfig config = response.Config ?? new ContainerConfig();
            HostConfig host = response.HostConfig ?? new HostConfig();
            string shortId = response.ID != null && response.ID.Length >= 12 ? response.ID.Substring(0, 12) : response.ID ?? string.Empty;

            var spec = new ContainerSpec
            {
                Name = (response.Name ?? string.Empty).TrimStart('/'),
                Image = config.Image ?? string.Empty,
                HostName = config.Hostname,
                DomainName = string.IsNullOrEmpty(config.Domainname) ? null : config.Domainname,
                User = string.IsNullOrEmpty(config.User) ? null : config.User,
                WorkingDirectory = string.IsNullOrEmpty(config.WorkingDir) ? null : config.WorkingDir,
                Entrypoint = config.Entrypoint?.ToList(),
                Command = config.Cmd?.ToList(),
                Environment = ParseEnvironment(config.Env),
                Labels = Copy(config.Labels),
                StopSignal = string.IsNullOrEmpty(config.StopSignal) ? null : config.StopSignal,
                StopTimeout = config.StopTimeout,
                Init = host.Init,
                RestartPolicy = RestartName(host.RestartPolicy),
                RestartMaximumRetryCount = (int)(host.RestartPolicy?.MaximumRetryCount ?? 0),
                ExtraHosts = host.ExtraHosts?.ToList() ?? new List<string>(),
                HealthCheck = MapHealthCheck(config.Healthcheck),
            };

            foreach (MountPoint mount in response.Mounts ?? new List<MountPoint>())
            {
                MountKind kind = mount.Type == "volume" ? MountKind.Volume : mount.Type == "tmpfs" ? MountKind.Tmpfs : MountKind.Bind;
                spec.Mounts.Add(new MountSpec
                {
                    Kind = kind,
                    Source = kind == MountKind.Volume ? mount.Name ?? string.Empty : mount.Source ?? string.Empty,
                    Target = mount.Destination ?? string.Empty,
                    ReadOnly = !mount.RW,
                });
            }

            if (host.PortBindings != null)
            {
                foreach (KeyValuePair<string, IList<PortBinding>> binding in host.PortBindings)
                {
                    foreach (PortBinding port in binding.Value ?? new List<PortBinding>())
                    {
                        spec.Ports.Add(ParsePort(binding.Key, port));
                    }
                }
            }

            var details = new ContainerDetails
            {
                Id = response.ID ?? string.Empty,
                Name = spec.Name,
                ImageId = response.Image ?? string.Empty,
                Created = response.Created,
                RestartCount = response.RestartCount,
                Spec = spec,
                State = MapState(response.State),
            };

            if (response.NetworkSettings?.Networks != null)
            {
                foreach (KeyValuePair<string, EndpointSettings> network in response.NetworkSettings.Networks)
                {
                    EndpointSettings endpoint = network.Value ?? new EndpointSettings();
                    spec.Networks.Add(new NetworkAttachmentSpec
                    {
                        Network = network.Key,
                        // The engine adds the short container id as an alias; it is not part of the configuration.
                        Aliases = (endpoint.Aliases ?? new List<string>()).Where(a => a != shortId && a != response.ID).ToList(),
                        IPv4Address = string.IsNullOrEmpty(endpoint.IPAMConfig?.IPv4Address) ? null : endpoint.IPAMConfig!.IPv4Address,
                    });
                    if (!string.IsNullOrEmpty(endpoint.IPAddress))
                    {
                        details.IPAddresses[network.Key] = endpoint.IPAddress;
                    }
                }
            }

            if (response.NetworkSettings?.Ports != null)
            {
                foreach (KeyValuePair<string, IList<PortBinding>> binding in response.NetworkSettings.Ports)
                {
                    foreach (PortBinding port in binding.Value ?? new List<PortBinding>())
                    {
                        details.PublishedPorts.Add(ParsePort(binding.Key, port));
                    }
                }
            }

            return details;
        }

        private static ContainerStateInfo MapState(State? state)
        {
            if (state == null)
            {
                return new ContainerStateInfo();
            }

            return new ContainerStateInfo
            {
                Status = state.Status ?? string.Empty,
                Running = state.Running,
                Restarting = state.Restarting,
                OomKilled = state.OOMKilled,
                ExitCode = state.ExitCode,
                Error = string.IsNullOrEmpty(state.Error) ? null : state.Error,
                StartedAt = ParseTime(state.StartedAt),
                FinishedAt = ParseTime(state.FinishedAt),
                Health = string.IsNullOrEmpty(state.Health?.Status) ? "none" : state.Health!.Status,
                FailingStreak = state.Health?.FailingStreak ?? 0,
                HealthLog = (state.Health?.Log ?? new List<HealthcheckResult>()).Select(l => new ContainerHealthLogEntry
                {
                    Start = l.Start,
                    End = l.End,
                    ExitCode = l.ExitCode,
                    Output = l.Output ?? string.Empty,
                }).ToList(),
            };
        }

        private static HealthCheckSpec? MapHealthCheck(HealthcheckConfig? health)
        {
            if (health == null || health.Test == null || health.Test.Count == 0)
            {
                return null;
            }

            return new HealthCheckSpec
            {
                Test = health.Test.ToList(),
                Interval = health.Interval,
                Timeout = health.Timeout,
                StartPeriod = health.StartPeriod,
                Retries = health.Retries.HasValue ? (int?)health.Retries.Value : null,
            };
        }

        private static NetworkDetails MapNetwork(NetworkResponse network)
        {
            var details = new NetworkDetails
            {
                Id = network.ID ?? string.Empty,
                Name = network.Name ?? string.Empty,
                Driver = network.Driver ?? string.Empty,
                Internal = network.Internal,
                Labels = Copy(network.Labels),
            };
            foreach (IPAMConfig config in network.IPAM?.Config ?? new List<IPAMConfig>())
            {
                if (!string.IsNullOrEmpty(config.Subnet))
                {
                    details.Subnets.Add(config.Subnet);
                }

                if (!string.IsNullOrEmpty(config.Gateway))
                {
                    details.Gateways.Add(config.Gateway);
                }
            }

            if (network.Containers != null)
            {
                foreach (KeyValuePair<string, EndpointResource> container in network.Containers)
                {
                    details.Containers[container.Key] = container.Value?.Name ?? string.Empty;
                }
            }

            return details;
        }

        private static VolumeDetails MapVolume(VolumeResponse volume) => new VolumeDetails
        {
            Name = volume.Name ?? string.Empty,
            Driver = volume.Driver ?? string.Empty,
            Mountpoint = volume.Mountpoint ?? string.Empty,
            CreatedAt = volume.CreatedAt,
            Labels = Copy(volume.Labels),
        };

        private static ImageDetails MapImage(ImageInspectResponse image)
        {
            DockerOCIImageConfig config = image.Config ?? new DockerOCIImageConfig();
            return new ImageDetails
            {
                Id = image.ID ?? string.Empty,
                RepoTags = image.RepoTags?.ToList() ?? new List<string>(),
                Created = image.Created,
                User = string.IsNullOrEmpty(config.User) ? null : config.User,
                Entrypoint = config.Entrypoint?.ToList() ?? new List<string>(),
                Command = config.Cmd?.ToList() ?? new List<string>(),
                Environment = config.Env?.ToList() ?? new List<string>(),
                Labels = Copy(config.Labels),
                HealthCheck = MapHealthCheck(config.Healthcheck),
                ExposedPorts = config.ExposedPorts?.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList() ?? new List<string>(),
                Size = image.Size,
            };
        }

        private static PortBindingSpec ParsePort(string key, PortBinding binding)
        {
            string[] parts = key.Split('/');
            int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int containerPort);
            int.TryParse(binding.HostPort, NumberStyles.Integer, CultureInfo.InvariantCulture, out int hostPort);
            return new PortBindingSpec
            {
                ContainerPort = containerPort,
                Protocol = parts.Length > 1 ? parts[1] : "tcp",
                HostIp = string.IsNullOrEmpty(binding.HostIP) ? null : binding.HostIP,
                HostPort = hostPort,
            };
        }

        private static IDictionary<string, string> ParseEnvironment(IList<string>? variables)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string entry in variables ?? new List<string>())
            {
                int equals = entry.IndexOf('=');
                if (equals > 0)
                {
                    result[entry.Substring(0, equals)] = entry.Substring(equals + 1);
                }
                else if (entry.Length > 0)
                {
                    result[entry] = string.Empty;
                }
            }

            return result;
        }

        private static IDictionary<string, string> Copy(IDictionary<string, string>? source) =>
            source == null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(source, StringComparer.Ordinal);

        private static DateTime? ParseTime(string? text)
        {
            if (string.IsNullOrEmpty(text) || text!.StartsWith("0001-01-01", StringComparison.Ordinal))
            {
                return null;
            }

            return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime parsed)
                ? parsed
                : (DateTime?)null;
        }

        private static string LastHealthOutput(ContainerStateInfo state)
        {
            ContainerHealthLogEntry? last = state.HealthLog.LastOrDefault();
            if (last == null || string.IsNullOrWhiteSpace(last.Output))
            {
                return string.Empty;
            }

            string output = last.Output.Trim();
            if (output.Length > 300)
            {
                output = output.Substring(0, 300) + "...";
            }

            return ": last health check said '" + output + "'";
        }

        /// <summary>Reads a multiplexed stream to its end, decoding stdout and stderr as UTF-8.</summary>
        private sealed class OutputCollector
        {
            private readonly bool interleave;
            private readonly StringBuilder stdout = new StringBuilder();
            private readonly StringBuilder stderr = new StringBuilder();
            private readonly StringBuilder combined = new StringBuilder();
            private readonly Decoder stdoutDecoder = new UTF8Encoding(false).GetDecoder();
            private readonly Decoder stderrDecoder = new UTF8Encoding(false).GetDecoder();

            public OutputCollector(bool interleave) => this.interleave = interleave;

            public string StandardOutput => stdout.ToString();

            public string StandardError => stderr.ToString();

            public string Combined => combined.ToString();

            public async Task ReadAllAsync(MultiplexedStream stream, CancellationToken cancellationToken)
            {
                byte[] buffer = new byte[16384];
                char[] chars = new char[new UTF8Encoding(false).GetMaxCharCount(buffer.Length)];
                while (true)
                {
                    MultiplexedStream.ReadResult read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                    if (read.EOF)
                    {
                        return;
                    }

                    bool isError = read.Target == MultiplexedStream.TargetStream.StandardError;
                    Decoder decoder = isError ? stderrDecoder : stdoutDecoder;
                    int count = decoder.GetChars(buffer, 0, read.Count, chars, 0);
                    (isError ? stderr : stdout).Append(chars, 0, count);
                    if (interleave)
                    {
                        combined.Append(chars, 0, count);
                    }
                }
            }
        }

        /// <summary>Hands our resolved endpoint to Docker.DotNet so it reads neither the environment nor ~/.docker.</summary>
        private sealed class FixedCliSettings : IDockerCliSettings
        {
            public FixedCliSettings(string host) => DockerHost = host;

            public string DockerConfig => Path.Combine(Path.GetTempPath(), "irisops-no-docker-config");

            public string DockerHost { get; }

            public string DockerTlsVerify => string.Empty;

            public string DockerContext => string.Empty;
        }
    }
}
