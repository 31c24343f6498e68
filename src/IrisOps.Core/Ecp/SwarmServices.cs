using System;
using System.Collections.Generic;
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
    /// A node of a Swarm-shaped plan as a service, and a service's removal. The service carries the node's
    /// labels, which its task containers get too, so Get-IrisEcpCluster reads a Swarm cluster as it reads one
    /// on an engine.
    /// </summary>
    public static class SwarmServices
    {
        public static SwarmServiceSpec ToService(DeploymentPlan plan, ContainerPlan container, IReadOnlyDictionary<string, string> objectIds)
        {
            SwarmFileMount Mount(FileMountPlan file)
            {
                string name = file.ObjectName(plan.ClusterName, ClusterFiles.ContentHash);
                return new SwarmFileMount { ObjectId = objectIds[name], ObjectName = name, Target = file.Target, Uid = IrisContainer.Uid, Gid = IrisContainer.Gid, Mode = file.Mode };
            }

            return new SwarmServiceSpec
            {
                Name = container.Name,
                Image = container.Image,
                HostName = container.HostName,
                Labels = new Dictionary<string, string>(container.Labels.ToDictionary(l => l.Key, l => l.Value), StringComparer.Ordinal),
                Environment = container.Environment.Select(e => e.Key + "=" + e.Value).ToList(),
                Args = container.Command.ToList(),
                Init = container.Init,
                StopGracePeriod = TimeSpan.FromSeconds(container.StopTimeoutSeconds),
                Mounts = container.Mounts.Select(m => new MountSpec { Kind = m.Kind, Source = m.Source, Target = m.Target, ReadOnly = m.ReadOnly }).ToList(),
                VolumeLabels = plan.Volumes.Where(v => container.Mounts.Any(m => m.Source == v.Name))
                    .ToDictionary(v => v.Name, v => (IDictionary<string, string>)v.Labels.ToDictionary(l => l.Key, l => l.Value), StringComparer.Ordinal),
                Secrets = container.Files.Where(f => f.Secret).Select(Mount).ToList(),
                Configs = container.Files.Where(f => !f.Secret).Select(Mount).ToList(),
                Network = plan.Network.Name,
                Aliases = container.Aliases.ToList(),
                HostModePorts = container.Ports.ToDictionary(p => p.ContainerPort, p => p.HostPort),
            };
        }

        /// <summary>
        /// The prepare step of a Swarm plan (<see cref="PreparePlanner.SwarmPlan"/>) as a replicated job: one task
        /// as root from the cluster's image with the durable volumes mounted, which Swarm never restarts. It is the
        /// first to mount the volumes, so Swarm creates them with their labels here.
        /// </summary>
        public static SwarmServiceSpec ToPrepareJob(DeploymentPlan plan) => new SwarmServiceSpec
        {
            Name = plan.ClusterName + "-" + NodeRoles.PrepareLabel,
            Image = plan.Prepare.Image,
            Job = true,
            User = "0:0",
            Entrypoint = plan.Prepare.Command.ToList(),
            Init = false,
            Labels = new Dictionary<string, string>(plan.Prepare.Labels.ToDictionary(l => l.Key, l => l.Value), StringComparer.Ordinal),
            Mounts = plan.Prepare.Mounts.Select(m => new MountSpec { Kind = m.Kind, Source = m.Source, Target = m.Target, ReadOnly = m.ReadOnly }).ToList(),
            VolumeLabels = plan.Volumes.Where(v => plan.Prepare.Mounts.Any(m => m.Source == v.Name))
                .ToDictionary(v => v.Name, v => (IDictionary<string, string>)v.Labels.ToDictionary(l => l.Key, l => l.Value), StringComparer.Ordinal),
        };

        /// <summary>
        /// Creates the job, waits (bounded) until its task completed with exit code 0, and removes it in every case;
        /// a failed, rejected or late task is an error that carries Swarm's message.
        /// </summary>
        public static async Task RunJobAsync(IDockerEngine engine, SwarmServiceSpec job, TimeSpan timeout, CancellationToken cancellationToken)
        {
            await engine.CreateServiceAsync(job, cancellationToken).ConfigureAwait(false);
            try
            {
                DateTime deadline = DateTime.UtcNow + timeout;
                while (true)
                {
                    SwarmTaskSummary? task = (await engine.ListTasksAsync(job.Name, cancellationToken).ConfigureAwait(false)).FirstOrDefault();
                    if (task != null && task.State == "complete" && (task.ExitCode ?? 0) == 0)
                    {
                        return;
                    }

                    if (task != null && (task.State == "failed" || task.State == "rejected" || task.State == "complete"))
                    {
                        throw new IrisOpsException(IrisErrorKind.InvalidOperation, "PrepareOwnershipFailed",
                            $"The Swarm job '{job.Name}' that gives the durable volumes to the IRIS user ({job.Entrypoint.LastOrDefault()}) ended {task.State} (exit code {task.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}): {task.Error} {task.Message}. Look at docker service logs {job.Name}.", job.Name);
                    }

                    if (DateTime.UtcNow >= deadline)
                    {
                        throw new IrisOpsException(IrisErrorKind.OperationTimeout, "PrepareOwnershipTimeout",
                            $"The Swarm job '{job.Name}' that gives the durable volumes to the IRIS user did not complete within {timeout.TotalSeconds:0} s (task state '{task?.State ?? "none"}'). Look at docker service ps {job.Name} --no-trunc.", job.Name);
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                // Cleanup must finish even after Ctrl+C, so it does not take the cancelled token (but is bounded), and
                // a failing cleanup does not hide the job's own error. Removing the service leaves the container of
                // a completed job task on the engine: it is removed here.
                using (var cleanup = new CancellationTokenSource(IrisDefaults.CleanupTimeout))
                {
                    await Cleanup.Quietly(() => engine.RemoveServiceAsync(job.Name, cleanup.Token)).ConfigureAwait(false);
                    var ofJob = new Dictionary<string, string?> { [ClusterLabels.SwarmService] = job.Name };
                    foreach (ContainerSummary container in await Cleanup.Quietly(() => engine.ListContainersAsync(ofJob, cleanup.Token)).ConfigureAwait(false) ?? new List<ContainerSummary>())
                    {
                        await Cleanup.Quietly(() => engine.RemoveContainerAsync(container.Id, force: true, removeAnonymousVolumes: false, cleanup.Token)).ConfigureAwait(false);
                    }
                }
            }
        }

        /// <summary>
        /// Removes a service and waits (bounded) until its task containers on this engine are gone, so its
        /// volumes, secrets and network can be removed after it. Swarm stops a task with the service's grace period.
        /// </summary>
        public static async Task RemoveAndWaitAsync(IDockerEngine engine, string service, TimeSpan timeout, CancellationToken cancellationToken)
        {
            await engine.RemoveServiceAsync(service, cancellationToken).ConfigureAwait(false);
            var ofService = new Dictionary<string, string?> { [ClusterLabels.SwarmService] = service };
            DateTime deadline = DateTime.UtcNow + timeout;
            while ((await engine.ListContainersAsync(ofService, cancellationToken).ConfigureAwait(false)).Count > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
