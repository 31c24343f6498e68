using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// Applies a plan shaped for Swarm (<see cref="EcpOrchestrator.Swarm"/>) on a swarm manager through the
    /// engine API: the overlay network, the secrets and configs (named by content hash; an existing one of the
    /// same name has the same content and is reused), the prepare job that gives the durable volumes to the IRIS
    /// user (run to completion, then removed), one single-replica service per node (see
    /// <see cref="SwarmServices"/>), then waits until every service's task runs, which Swarm reports only once
    /// the image's health check passes. A failure, or Ctrl+C, removes what this call created, newest first.
    /// </summary>
    public sealed class SwarmClusterDeployer
    {
        private const string Activity = "New-IrisEcpCluster (Swarm)";
        private readonly IDockerEngine engine;
        private readonly IOperationReporter reporter;

        public SwarmClusterDeployer(IDockerEngine engine, IOperationReporter reporter)
        {
            this.engine = engine;
            this.reporter = reporter;
        }

        public TimeSpan HealthTimeout { get; set; } = TimeSpan.FromSeconds(IrisDefaults.HealthTimeoutSeconds);

        /// <summary>Services, secrets and configs can only be made on a manager: anything else is refused before any change.</summary>
        public async Task CheckManagerAsync(CancellationToken cancellationToken)
        {
            SwarmState state = await engine.GetSwarmStateAsync(cancellationToken).ConfigureAwait(false);
            if (!state.IsManager)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "NotSwarmManager",
                    $"The Docker engine at {engine.Endpoint} is not a swarm manager (swarm state '{state.LocalNodeState}'). Give -DockerHost of a manager, make this engine one (docker swarm init), or leave -Orchestrator out to create the cluster on this engine alone.",
                    engine.Endpoint.ToString());
            }
        }

        /// <summary>The cluster when its services exist with the same arguments; null when none exist; refused otherwise.</summary>
        public async Task<IrisEcpCluster?> CheckExistingAsync(DeploymentPlan plan, CancellationToken cancellationToken)
        {
            IList<SwarmServiceSummary> services = await engine.ListServicesAsync(new Dictionary<string, string?> { [ClusterLabels.Cluster] = plan.ClusterName }, cancellationToken).ConfigureAwait(false);
            if (services.Count == 0)
            {
                return null;
            }

            if (services.Any(s => !s.Labels.TryGetValue(ClusterLabels.SpecHash, out string? hash) || hash != plan.SpecHash))
            {
                throw new IrisOpsException(IrisErrorKind.ResourceExists, "ClusterExistsWithOtherArguments",
                    $"The ECP cluster '{plan.ClusterName}' already exists in the swarm with other arguments. Remove it first with Remove-IrisEcpCluster -Name {plan.ClusterName} (durable data is kept unless you add -RemoveData).", plan.ClusterName);
            }

            return (await EcpClusterReader.ReadAsync(engine, plan.ClusterName, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
        }

        public async Task<IrisEcpCluster> DeployAsync(DeploymentPlan plan, CancellationToken cancellationToken)
        {
            if (plan.Orchestrator != EcpOrchestrator.Swarm)
            {
                throw new ArgumentException("The plan is not shaped for Swarm.", nameof(plan));
            }

            var ledger = new UndoLedger();
            var createdFolders = new List<string>();
            try
            {
                reporter.Progress(Activity, "Writing the node files", 0);
                await ClusterFiles.WriteAsync(plan, reporter, createdFolders, cancellationToken).ConfigureAwait(false);

                reporter.Verbose($"Creating the overlay network {plan.Network.Name} ({plan.Network.Subnet}).");
                await engine.CreateNetworkAsync(new NetworkSpec { Name = plan.Network.Name, Driver = plan.Network.Driver, Subnet = plan.Network.Subnet, Labels = plan.Network.Labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal) }, cancellationToken).ConfigureAwait(false);
                ledger.Record("network " + plan.Network.Name, () => engine.RemoveNetworkAsync(plan.Network.Name, CancellationToken.None));

                IReadOnlyDictionary<string, string> objectIds = await CreateFileObjectsAsync(plan, ledger, cancellationToken).ConfigureAwait(false);

                SwarmServiceSpec prepare = SwarmServices.ToPrepareJob(plan);
                reporter.Progress(Activity, "Giving the durable volumes to the IRIS user (Swarm job " + prepare.Name + ")", 15);
                await SwarmServices.RunJobAsync(engine, prepare, IrisDefaults.HelperTimeout, cancellationToken).ConfigureAwait(false);

                var services = new List<string>();
                foreach (ContainerPlan container in plan.Containers)
                {
                    reporter.Progress(Activity, $"Creating service {container.Name}", 20 + (40 * services.Count / plan.Containers.Count));
                    SwarmServiceSpec spec = SwarmServices.ToService(plan, container, objectIds);
                    await engine.CreateServiceAsync(spec, cancellationToken).ConfigureAwait(false);
                    services.Add(spec.Name);
                    ledger.Record("service " + spec.Name, () => SwarmServices.RemoveAndWaitAsync(engine, spec.Name, TimeSpan.FromSeconds(container.StopTimeoutSeconds + 30), CancellationToken.None));
                }

                await WaitRunningAsync(services, cancellationToken).ConfigureAwait(false);
                reporter.Progress(Activity, "Done", 100);
                return (await EcpClusterReader.ReadAsync(engine, plan.ClusterName, cancellationToken).ConfigureAwait(false)).Single();
            }
            catch
            {
                reporter.Verbose($"Removing what this call created: {string.Join(", ", ledger.Entries.Reverse())}.");
                UndoResult undo = await ledger.UndoAllAsync(stopAtFirstFailure: false).ConfigureAwait(false);
                foreach ((string name, Exception error) in undo.Failures)
                {
                    reporter.Warning($"Could not remove {name}, which this call created: {error.Message}");
                }

                ClusterFiles.RemoveCreated(createdFolders, reporter);
                throw;
            }
        }

        // One object per distinct content: the CA certificate, shared by every node, is one secret.
        private async Task<IReadOnlyDictionary<string, string>> CreateFileObjectsAsync(DeploymentPlan plan, UndoLedger ledger, CancellationToken cancellationToken)
        {
            var ofCluster = new Dictionary<string, string?> { [ClusterLabels.Cluster] = plan.ClusterName };
            Dictionary<string, string> existing = (await engine.ListSecretsAsync(ofCluster, cancellationToken).ConfigureAwait(false))
                .Concat(await engine.ListConfigsAsync(ofCluster, cancellationToken).ConfigureAwait(false))
                .ToDictionary(o => o.Name, o => o.Id, StringComparer.Ordinal);
            var ids = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (FileMountPlan file in plan.Containers.SelectMany(c => c.Files))
            {
                string name = file.ObjectName(plan.ClusterName, ClusterFiles.ContentHash);
                if (ids.ContainsKey(name))
                {
                    continue;
                }

                if (existing.TryGetValue(name, out string? id))
                {
                    ids[name] = id;
                    continue;
                }

                // The content goes to the engine only; it is never logged.
                var spec = new SwarmFileObjectSpec { Name = name, Data = File.ReadAllBytes(file.HostPath), Labels = plan.Network.Labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal) };
                if (file.Secret)
                {
                    ids[name] = await engine.CreateSecretAsync(spec, cancellationToken).ConfigureAwait(false);
                    ledger.Record("secret " + name, () => engine.RemoveSecretAsync(name, CancellationToken.None));
                }
                else
                {
                    ids[name] = await engine.CreateConfigAsync(spec, cancellationToken).ConfigureAwait(false);
                    ledger.Record("config " + name, () => engine.RemoveConfigAsync(name, CancellationToken.None));
                }

                reporter.Verbose($"Created {(file.Secret ? "secret" : "config")} {name}.");
            }

            return ids;
        }

        // Swarm restarts a failed task; three failures of one service, or the health timeout, end the wait.
        private async Task WaitRunningAsync(IReadOnlyList<string> services, CancellationToken cancellationToken)
        {
            DateTime deadline = DateTime.UtcNow + HealthTimeout;
            while (true)
            {
                var waiting = new List<string>();
                foreach (string service in services)
                {
                    IList<SwarmTaskSummary> tasks = await engine.ListTasksAsync(service, cancellationToken).ConfigureAwait(false);
                    List<SwarmTaskSummary> failed = tasks.Where(t => t.State == "failed" || t.State == "rejected").ToList();
                    if (failed.Count >= 3)
                    {
                        throw new IrisOpsException(IrisErrorKind.InvalidOperation, "SwarmTaskFailed",
                            $"The task of service '{service}' failed {failed.Count} times: {failed.Last().Error} {failed.Last().Message}. Look at docker service ps {service} --no-trunc and the container's log.", service);
                    }

                    if (!tasks.Any(t => t.State == "running" && t.DesiredState == "running"))
                    {
                        waiting.Add(service);
                    }
                }

                if (waiting.Count == 0)
                {
                    return;
                }

                if (DateTime.UtcNow >= deadline)
                {
                    throw new IrisOpsException(IrisErrorKind.OperationTimeout, "SwarmHealthTimeout",
                        $"Within {HealthTimeout.TotalSeconds:0} s the tasks of {string.Join(", ", waiting)} did not become healthy. Look at docker service ps and the containers' logs, or raise -HealthTimeout.", string.Join(", ", waiting));
                }

                reporter.Progress(Activity, "Waiting for healthy tasks: " + string.Join(", ", waiting), 60 + (40 * (services.Count - waiting.Count) / services.Count));
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
