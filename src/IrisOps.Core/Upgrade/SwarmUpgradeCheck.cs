using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>What a Swarm node's upgrade needs to know about its service (see <see cref="SwarmNodeUpgrade"/>).</summary>
    public sealed class SwarmNodeFacts
    {
        public SwarmNodeFacts(string service, string serviceImage, TimeSpan? stopGracePeriod = null)
        {
            Service = service;
            ServiceImage = serviceImage;
            StopGracePeriod = stopGracePeriod;
        }

        public string Service { get; }

        /// <summary>The image in the service's spec, which a rollback puts back.</summary>
        public string ServiceImage { get; }

        /// <summary>How long Swarm lets the task shut down (the cluster's -StopTimeout); null: Swarm's default.</summary>
        public TimeSpan? StopGracePeriod { get; }

        /// <summary>
        /// How long a scale to 0 may take: Swarm stops the task with the service's grace period, not with
        /// -StopTimeout, so the longer of the two, plus <see cref="IrisDefaults.SwarmStopAllowance"/>.
        /// </summary>
        public TimeSpan StopWait(TimeSpan stopTimeout) =>
            (StopGracePeriod != null && StopGracePeriod.Value > stopTimeout ? StopGracePeriod.Value : stopTimeout) + IrisDefaults.SwarmStopAllowance;
    }

    /// <summary>
    /// The preflight of a Swarm task container: its service is upgraded instead (<see cref="SwarmNodeUpgrade"/>), and
    /// only when IrisOps can do that safely through this engine: the service has one replica, and its task runs on
    /// the swarm node of this engine, because the durable volume is local to a node and is backed up and restored
    /// through this engine. Problems are added to the node, never thrown.
    /// </summary>
    public static class SwarmUpgradeCheck
    {
        public static async Task InspectAsync(IDockerEngine engine, NodeInspection node, ContainerDetails details, string service, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            string name = node.Target.Container;
            SwarmServiceSummary? summary;
            try
            {
                summary = await engine.InspectServiceAsync(service, cancellationToken).ConfigureAwait(false);
            }
            catch (IrisOpsException ex)
            {
                // Only a manager can read services: a worker's engine answers with an error.
                node.Problems.Add(new PreflightProblem("SwarmServiceNotReadable", IrisErrorKind.InvalidOperation,
                    $"'{name}' is a task of the Swarm service '{service}', which the Docker engine at {engine.Endpoint.Host} cannot read ({ex.Message}): give the -DockerHost of a swarm manager on the node that runs the task. Nothing was changed."));
                return;
            }

            if (summary == null)
            {
                node.Problems.Add(new PreflightProblem("SwarmServiceNotFound", IrisErrorKind.ObjectNotFound,
                    $"'{name}' is a task of the Swarm service '{service}', which no longer exists. Nothing was changed."));
                return;
            }

            node.Swarm = new SwarmNodeFacts(summary.Name, summary.Image, summary.StopGracePeriod);
            // Under the service's name, not the task container's: a later run finds the journal of an interrupted
            // one there although Swarm has replaced the task (see InterruptedSwarmUpgrade).
            node.BackupFolder = Path.Combine(options.BackupPath, summary.Name, Path.GetFileName(node.BackupFolder));
            if (summary.Replicas != 1)
            {
                node.Problems.Add(new PreflightProblem("SwarmServiceReplicas", IrisErrorKind.InvalidOperation,
                    $"The Swarm service '{service}' of '{name}' has {(summary.Replicas == null ? "no replica count (a global service or a job)" : summary.Replicas + " replicas")}: Update-IrisApplicationImage upgrades a node's service with exactly one replica, whose durable volume only that task uses. Scale it to 1 first. Nothing was changed."));
            }

            SwarmState state = await engine.GetSwarmStateAsync(cancellationToken).ConfigureAwait(false);
            List<SwarmTaskSummary> elsewhere = (await engine.ListTasksAsync(service, cancellationToken).ConfigureAwait(false))
                .Where(t => t.DesiredState == "running" && t.NodeId != state.NodeId).ToList();
            if (elsewhere.Count > 0)
            {
                node.Problems.Add(new PreflightProblem("SwarmTaskOnOtherNode", IrisErrorKind.InvalidOperation,
                    $"The task of the Swarm service '{service}' runs on swarm node {elsewhere[0].NodeId}, not on the node of the Docker engine at {engine.Endpoint.Host} ({state.NodeId}): its durable volume is local to that node, so back up, restore and the shutdown check must go through that node's engine. Run Update-IrisApplicationImage with the -DockerHost of that node (a manager) or pin the service there. Nothing was changed."));
            }

            if (details.Spec.Mounts.Any(m => m.Target.TrimEnd('/') == IrisContainer.WorkingDirectory))
            {
                node.Problems.Add(new PreflightProblem("SwarmDurableOnWorkingDirectory", IrisErrorKind.InvalidOperation,
                    $"'{name}' keeps its durable volume on {IrisContainer.WorkingDirectory}, which also holds the instance registry ({IrisContainer.WorkingDirectory}/irissys, Running InterSystems Products in Containers, \"Ownership and Directories\"): a new image's registry would stay hidden behind the old one. Such clusters were created by an earlier IrisOps; back up the data and create the cluster again, which puts durable %SYS on a volume of its own. Nothing was changed."));
            }

            if (options.MergeFileContent != null)
            {
                node.Problems.Add(new PreflightProblem("SwarmMergeFileNotSupported", IrisErrorKind.InvalidArgument,
                    $"-MergeFile cannot be given for '{name}': a Swarm node's merge file is a Swarm config, named by its content, which an image upgrade does not replace. Create the cluster again with the new settings, or upgrade without -MergeFile. Nothing was changed."));
            }

            if (options.KeepPrevious)
            {
                node.Warnings.Add($"-KeepPrevious has no effect on the Swarm service '{service}': Swarm keeps the container of the old task itself (docker service ps {service}).");
            }
        }
    }
}
