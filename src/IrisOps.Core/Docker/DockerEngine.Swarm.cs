using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Docker.DotNet;
using Docker.DotNet.Models;
using IrisOps.Core.Errors;

#pragma warning disable CS8601

namespace IrisOps.Core.Docker
{
    /// <summary>The Swarm calls of <see cref="DockerEngine"/> (<see cref="ISwarmOperations"/>); requests are built by <see cref="DockerSwarmMapping"/>.</summary>
    public sealed partial class DockerEngine
    {
        public Task<SwarmState> GetSwarmStateAsync(CancellationToken cancellationToken) =>
            Run("read the swarm state", null, null, async token =>
            {
                SystemInfoResponse info = await client.System.GetSystemInfoAsync(token).ConfigureAwait(false);
                return new SwarmState { LocalNodeState = info.Swarm?.LocalNodeState ?? "inactive", IsManager = info.Swarm?.ControlAvailable ?? false, NodeId = info.Swarm?.NodeID ?? string.Empty };
            }, cancellationToken);

        public Task<string> CreateSecretAsync(SwarmFileObjectSpec spec, CancellationToken cancellationToken) =>
            Run("create secret '" + spec.Name + "'", spec.Name, null, async token =>
            {
                try
                {
                    SecretCreateResponse created = await client.Secrets.CreateAsync(new SwarmSecretSpec { Name = spec.Name, Data = spec.Data, Labels = new Dictionary<string, string>(spec.Labels) }, token).ConfigureAwait(false);
                    return created.ID ?? string.Empty;
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
                {
                    throw Exists("secret", spec.Name);
                }
            }, cancellationToken);

        public Task<IList<SwarmObjectSummary>> ListSecretsAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) =>
            Run("list secrets", null, null, async token =>
            {
                IList<Secret> secrets = await client.Secrets.ListAsync(token).ConfigureAwait(false);
                return (IList<SwarmObjectSummary>)secrets
                    .Select(s => new SwarmObjectSummary { Id = s.ID, Name = s.Spec?.Name ?? string.Empty, Labels = Copy(s.Spec?.Labels) })
                    .Where(s => DockerSwarmMapping.Matches(s.Labels, labels)).ToList();
            }, cancellationToken);

        public Task<bool> RemoveSecretAsync(string nameOrId, CancellationToken cancellationToken) =>
            Run("remove secret '" + nameOrId + "'", nameOrId, null, token => Missing(() => client.Secrets.DeleteAsync(nameOrId, token)), cancellationToken);

        public Task<string> CreateConfigAsync(SwarmFileObjectSpec spec, CancellationToken cancellationToken) =>
            Run("create config '" + spec.Name + "'", spec.Name, null, async token =>
            {
                try
                {
                    var parameters = new SwarmCreateConfigParameters { Config = new SwarmConfigSpec { Name = spec.Name, Data = spec.Data, Labels = new Dictionary<string, string>(spec.Labels) } };
                    return (await client.Configs.CreateConfigAsync(parameters, token).ConfigureAwait(false)).ID ?? string.Empty;
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
                {
                    throw Exists("config", spec.Name);
                }
            }, cancellationToken);

        public Task<IList<SwarmObjectSummary>> ListConfigsAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) =>
            Run("list configs", null, null, async token =>
            {
                IList<SwarmConfig> configs = await client.Configs.ListConfigsAsync(token).ConfigureAwait(false);
                return (IList<SwarmObjectSummary>)configs
                    .Select(c => new SwarmObjectSummary { Id = c.ID, Name = c.Spec?.Name ?? string.Empty, Labels = Copy(c.Spec?.Labels) })
                    .Where(c => DockerSwarmMapping.Matches(c.Labels, labels)).ToList();
            }, cancellationToken);

        public Task<bool> RemoveConfigAsync(string nameOrId, CancellationToken cancellationToken) =>
            Run("remove config '" + nameOrId + "'", nameOrId, null, token => Missing(() => client.Configs.RemoveConfigAsync(nameOrId, token)), cancellationToken);

        public Task<string> CreateServiceAsync(SwarmServiceSpec spec, CancellationToken cancellationToken) =>
            Run("create service '" + spec.Name + "'", spec.Name, null, async token =>
            {
                try
                {
                    ServiceCreateResponse created = await client.Swarm.CreateServiceAsync(new ServiceCreateParameters { Service = DockerSwarmMapping.ToServiceSpec(spec) }, token).ConfigureAwait(false);
                    return created.ID ?? string.Empty;
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
                {
                    throw Exists("service", spec.Name);
                }
            }, cancellationToken);

        public Task<IList<SwarmServiceSummary>> ListServicesAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) =>
            Run("list services", null, null, async token =>
            {
                IEnumerable<SwarmService> services = await client.Swarm.ListServicesAsync(new ServiceListParameters { Filters = DockerRequestMapping.LabelFilters(labels) }, token).ConfigureAwait(false);
                return (IList<SwarmServiceSummary>)services.Select(Summary).ToList();
            }, cancellationToken);

        public Task<SwarmServiceSummary?> InspectServiceAsync(string nameOrId, CancellationToken cancellationToken) =>
            Run("inspect service '" + nameOrId + "'", nameOrId, null, async token =>
            {
                try
                {
                    return (SwarmServiceSummary?)Summary(await client.Swarm.InspectServiceAsync(nameOrId, token).ConfigureAwait(false));
                }
                catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }
            }, cancellationToken);

        public Task UpdateServiceAsync(string nameOrId, SwarmServiceChange change, CancellationToken cancellationToken) =>
            Run("update service '" + nameOrId + "'", nameOrId, null, async token =>
            {
                // The whole spec goes back with the version index it was read at: the engine refuses the update
                // when the service changed meanwhile, rather than losing that change.
                SwarmService service = await client.Swarm.InspectServiceAsync(nameOrId, token).ConfigureAwait(false);
                ServiceSpec spec = service.Spec ?? throw new InvalidOperationException("The engine returned service '" + nameOrId + "' without its spec.");
                DockerSwarmMapping.Apply(spec, change);
                await client.Swarm.UpdateServiceAsync(nameOrId, new ServiceUpdateParameters { Service = spec, Version = (long)(service.Version?.Index ?? 0) }, token).ConfigureAwait(false);
                return true;
            }, cancellationToken);

        public Task<bool> RemoveServiceAsync(string nameOrId, CancellationToken cancellationToken) =>
            Run("remove service '" + nameOrId + "'", nameOrId, null, token => Missing(() => client.Swarm.RemoveServiceAsync(nameOrId, token)), cancellationToken);

        public Task<IList<SwarmTaskSummary>> ListTasksAsync(string serviceNameOrId, CancellationToken cancellationToken) =>
            Run("list the tasks of service '" + serviceNameOrId + "'", serviceNameOrId, null, async token =>
            {
                var filters = new Dictionary<string, IDictionary<string, bool>> { ["service"] = new Dictionary<string, bool> { [serviceNameOrId] = true } };
                IList<TaskResponse> tasks = await client.Tasks.ListAsync(new TasksListParameters { Filters = filters }, token).ConfigureAwait(false);
                return (IList<SwarmTaskSummary>)tasks.Select(DockerSwarmMapping.MapTask).ToList();
            }, cancellationToken);

        private static async Task<bool> Missing(Func<Task> remove)
        {
            try
            {
                await remove().ConfigureAwait(false);
                return true;
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        }

        private static SwarmServiceSummary Summary(SwarmService s) => new SwarmServiceSummary
        {
            Id = s.ID,
            Name = s.Spec?.Name ?? string.Empty,
            Image = s.Spec?.TaskTemplate?.ContainerSpec?.Image ?? string.Empty,
            Labels = Copy(s.Spec?.Labels),
            Replicas = s.Spec?.Mode?.Replicated?.Replicas,
            Version = s.Version?.Index ?? 0,
            StopGracePeriod = s.Spec?.TaskTemplate?.ContainerSpec?.StopGracePeriod,
        };

        private static IDictionary<string, string> Copy(IDictionary<string, string>? labels) =>
            labels == null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(labels, StringComparer.Ordinal);

        private IrisOpsException Exists(string kind, string name) =>
            new IrisOpsException(IrisErrorKind.ResourceExists, "SwarmObjectExists", $"A {kind} named '{name}' already exists in the swarm of the Docker engine at {Endpoint.Host}.", name);
    }
}
