using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Tests.Docker;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>A swarm of one service: a scale to 0 ends its tasks, an update to 1 replica starts a task in <see cref="NewTaskState"/>.</summary>
    internal sealed class ScriptedSwarm : UnsupportedDockerEngine
    {
        public ulong Replicas { get; set; } = 1;

        /// <summary>The image of the service's spec; an update with an image changes it.</summary>
        public string Image { get; set; } = "img:1@sha256:aaa";

        /// <summary>The stopped old task left the instance-running marker (an unclean shutdown).</summary>
        public bool RunningMarkerLeft { get; set; }

        public bool NotManager { get; set; }

        public string NewTaskState { get; set; } = "running";

        public List<SwarmTaskSummary> Tasks { get; } = new List<SwarmTaskSummary>();

        public List<string> Updates { get; } = new List<string>();

        public Action<SwarmServiceChange>? OnUpdate { get; set; }

        public override Task<SwarmState> GetSwarmStateAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new SwarmState { LocalNodeState = "active", IsManager = true, NodeId = "here" });

        public override Task<SwarmServiceSummary?> InspectServiceAsync(string nameOrId, CancellationToken cancellationToken) => NotManager
            ? throw new IrisOpsException(IrisErrorKind.InvalidOperation, "DockerApiError", "This node is not a swarm manager.", nameOrId)
            : Task.FromResult<SwarmServiceSummary?>(new SwarmServiceSummary { Id = "s1", Name = nameOrId, Image = Image, Replicas = Replicas, Version = 7 });

        public override Task<IList<SwarmTaskSummary>> ListTasksAsync(string serviceNameOrId, CancellationToken cancellationToken) =>
            Task.FromResult((IList<SwarmTaskSummary>)Tasks.Select(t => new SwarmTaskSummary { Id = t.Id, State = t.State, DesiredState = t.DesiredState, NodeId = t.NodeId, ContainerId = t.ContainerId, Error = t.Error }).ToList());

        public override Task UpdateServiceAsync(string nameOrId, SwarmServiceChange change, CancellationToken cancellationToken)
        {
            Updates.Add(((change.Image == null ? string.Empty : "image=" + change.Image + " ") + "replicas=" + change.Replicas).Trim());
            Image = change.Image ?? Image;
            Replicas = change.Replicas ?? Replicas;
            if (change.Replicas == 0)
            {
                foreach (SwarmTaskSummary task in Tasks)
                {
                    task.State = task.State == "running" ? "shutdown" : task.State;
                    task.DesiredState = "shutdown";
                }
            }
            else
            {
                string id = "new" + Tasks.Count;
                Tasks.Add(new SwarmTaskSummary { Id = "t" + (Tasks.Count + 1), State = NewTaskState, DesiredState = NewTaskState == "running" ? "running" : "shutdown", NodeId = "here", ContainerId = id, Error = NewTaskState == "running" ? string.Empty : "task: non-zero exit (1)" });
            }

            OnUpdate?.Invoke(change);
            return Task.CompletedTask;
        }

        public override Task<IList<ContainerSummary>> ListContainersAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) =>
            Task.FromResult((IList<ContainerSummary>)new List<ContainerSummary>());

        public override Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken)
        {
            bool old = nameOrId == "c-data.1.abc";
            return Task.FromResult<ContainerDetails?>(new ContainerDetails
            {
                Id = nameOrId,
                Name = "/" + nameOrId,
                State = old ? new ContainerStateInfo { Status = "exited", ExitCode = 0 } : new ContainerStateInfo { Status = "running", Running = true, Health = "healthy" },
            });
        }

        // The instance-running marker is in the stopped task's durable directory only when RunningMarkerLeft says so.
        public override Task CopyFromContainerAsync(string nameOrId, string path, Stream destination, CancellationToken cancellationToken) =>
            RunningMarkerLeft && path.EndsWith("/mgr/iris.ids", StringComparison.Ordinal)
                ? Task.CompletedTask
                : throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "PathNotFound", path + " does not exist", path);

        // A rollback first removes whatever restore helper a killed run left; here there is none.
        public override Task<bool> RemoveContainerAsync(string nameOrId, bool force, bool removeAnonymousVolumes, CancellationToken cancellationToken) =>
            Task.FromResult(false);

        public override Task<string> GetContainerLogsAsync(string nameOrId, int tailLines, CancellationToken cancellationToken) => Task.FromResult("log of " + nameOrId);
    }
}
