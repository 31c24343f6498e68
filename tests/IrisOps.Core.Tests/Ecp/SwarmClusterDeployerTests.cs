using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;
using IrisOps.Tests.Cpf;
using IrisOps.Tests.Docker;
using Xunit;

namespace IrisOps.Tests.Ecp
{
    /// <summary>
    /// What the Swarm deployer asks of the engine, on a recording fake: the manager check before any change, one
    /// secret per distinct content (existing ones reused), the service of each node, and the undo of a failure.
    /// The Swarm integration tests (tests/pester/Swarm.Tests.ps1) see the outcome on a real swarm.
    /// </summary>
    public class SwarmClusterDeployerTests
    {
        private static DeploymentPlan Plan(TempFolder folder)
        {
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, "sd", 2);
            spec.CertificateSet = EcpTestSupport.CertificateSet(folder, "sd-data", "sd-app-1", "sd-app-2");
            spec.Orchestrator = EcpOrchestrator.Swarm;
            return EcpClusterPlanner.Plan(spec);
        }

        [Fact]
        public async Task An_engine_that_is_not_a_manager_is_refused_before_any_change()
        {
            var engine = new SwarmEngine { State = new SwarmState { LocalNodeState = "inactive" } };
            var deployer = new SwarmClusterDeployer(engine, new RecordingReporter());
            IrisOpsException error = await Assert.ThrowsAsync<IrisOpsException>(() => deployer.CheckManagerAsync(CancellationToken.None));
            Assert.Equal("NotSwarmManager", error.ErrorId);
            Assert.Contains("'inactive'", error.Message, StringComparison.Ordinal);
            Assert.Equal(new[] { "state" }, engine.Calls);
        }

        [Fact]
        public async Task A_service_that_cannot_be_created_leaves_nothing_behind()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            var engine = new SwarmEngine { FailService = "sd-app-2" };
            await Assert.ThrowsAsync<IrisOpsException>(() => new SwarmClusterDeployer(engine, new RecordingReporter()).DeployAsync(plan, CancellationToken.None));

            Assert.Equal(new[] { "sd-data", "sd-app-1" }, engine.Services.Select(s => s.Name));
            Assert.Equal(new[] { "sd-app-1", "sd-data" }, engine.RemovedServices);
            Assert.Equal(engine.Secrets.OrderBy(s => s), engine.RemovedSecrets.OrderBy(s => s));
            Assert.Equal(engine.Configs.OrderBy(s => s), engine.RemovedConfigs.OrderBy(s => s));
            Assert.Equal(new[] { "sd-net" }, engine.RemovedNetworks);
            Assert.False(Directory.Exists(plan.ClusterFolder));

            // Newest first: the services go before the secrets, configs and network they use.
            Assert.True(engine.Calls.IndexOf("rm-service sd-data") < engine.Calls.FindIndex(c => c.StartsWith("rm-secret", StringComparison.Ordinal)));
            Assert.Equal("rm-network sd-net", engine.Calls.Last());
        }

        [Fact]
        public async Task Makes_one_secret_per_distinct_content_and_reuses_an_existing_one()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            string ca = "sd-ca-" + ClusterFiles.ContentHash(plan.Certificates.AuthorityCertificatePath).Substring(0, 12).ToLowerInvariant();
            var engine = new SwarmEngine { FailService = "sd-app-2" };
            engine.Existing.Add(ca);
            await Assert.ThrowsAsync<IrisOpsException>(() => new SwarmClusterDeployer(engine, new RecordingReporter()).DeployAsync(plan, CancellationToken.None));

            // Certificate and key of each of the three nodes, and the license; the CA existed already.
            Assert.Equal(7, engine.Secrets.Count);
            Assert.DoesNotContain(ca, engine.Secrets);
            Assert.DoesNotContain(ca, engine.RemovedSecrets);
            Assert.Equal(3, engine.Configs.Count);
            Assert.All(engine.Secrets.Concat(engine.Configs), name => Assert.True(name.Length <= 64, name));
        }

        [Fact]
        public async Task Each_node_is_a_service_with_its_files_owned_by_the_iris_user_and_its_durable_volume_labelled()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            var engine = new SwarmEngine { FailService = "sd-app-2" };
            await Assert.ThrowsAsync<IrisOpsException>(() => new SwarmClusterDeployer(engine, new RecordingReporter()).DeployAsync(plan, CancellationToken.None));

            SwarmServiceSpec data = engine.Services[0];
            Assert.Equal("sd-data", data.HostName);
            Assert.Equal(new[] { "sd-data" }, data.Aliases);
            Assert.Equal("sd-net", data.Network);
            Assert.Equal(new[] { "--key", EcpMergeFiles.LicenseFile }, data.Args);
            Assert.Equal(TimeSpan.FromSeconds(plan.Containers[0].StopTimeoutSeconds), data.StopGracePeriod);
            MountSpec durable = Assert.Single(data.Mounts);
            Assert.Equal(EcpMergeFiles.DurableRoot, durable.Target);
            Assert.Contains(IrisContainer.DataDirectoryVariable + "=" + EcpMergeFiles.DataDirectory, data.Environment);
            Assert.Equal("sd-data-durable", durable.Source);
            Assert.Equal("sd", data.VolumeLabels["sd-data-durable"][ClusterLabels.Cluster]);
            Assert.All(data.Secrets.Concat(data.Configs), f => Assert.Equal(IrisContainer.Uid, f.Uid));
            Assert.Equal(256u, data.Secrets.Single(s => s.Target == EcpMergeFiles.PrivateKeyFile).Mode);
            Assert.Equal(256u, data.Secrets.Single(s => s.Target == EcpMergeFiles.LicenseFile).Mode);
            Assert.Equal(292u, data.Configs.Single().Mode);
            Assert.Equal("id-" + data.Configs.Single().ObjectName, data.Configs.Single().ObjectId);
            Assert.Equal(plan.Containers[0].Labels[ClusterLabels.SpecHash], data.Labels[ClusterLabels.SpecHash]);
        }

        [Fact]
        public async Task A_root_job_gives_every_durable_volume_to_the_iris_user_before_the_first_node_and_is_removed()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            var engine = new SwarmEngine { FailService = "sd-app-2" };
            await Assert.ThrowsAsync<IrisOpsException>(() => new SwarmClusterDeployer(engine, new RecordingReporter()).DeployAsync(plan, CancellationToken.None));

            SwarmServiceSpec job = Assert.Single(engine.Jobs);
            Assert.Equal("sd-prepare", job.Name);
            Assert.Equal("0:0", job.User);
            Assert.Equal(plan.Containers[0].Image, job.Image);
            Assert.Equal(new[] { "/bin/sh", "-c", "set -e; chown 51773:51773 /prepare/durable/sd-data /prepare/durable/sd-app-1 /prepare/durable/sd-app-2" }, job.Entrypoint);
            Assert.Equal(new[] { "sd-data-durable", "sd-app-1-durable", "sd-app-2-durable" }, job.Mounts.Select(m => m.Source));
            // The job mounts the volumes first, so Swarm creates them with the labels that mark them durable data.
            Assert.All(job.Mounts, m => Assert.Equal("sd", job.VolumeLabels[m.Source][ClusterLabels.Cluster]));
            Assert.Equal("prepare", job.Labels[ClusterLabels.Role]);
            Assert.True(engine.Calls.IndexOf("service sd-prepare") < engine.Calls.IndexOf("rm-job sd-prepare"));
            Assert.True(engine.Calls.IndexOf("rm-job sd-prepare") < engine.Calls.IndexOf("service sd-data"));
        }

        [Fact]
        public async Task A_failed_ownership_job_creates_no_node_and_is_removed()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            var engine = new SwarmEngine { JobExitCode = 1 };
            IrisOpsException error = await Assert.ThrowsAsync<IrisOpsException>(() => new SwarmClusterDeployer(engine, new RecordingReporter()).DeployAsync(plan, CancellationToken.None));

            Assert.Equal("PrepareOwnershipFailed", error.ErrorId);
            Assert.Contains("exit code 1", error.Message, StringComparison.Ordinal);
            Assert.Empty(engine.Services);
            Assert.Contains("rm-job sd-prepare", engine.Calls);
            Assert.Equal(engine.Secrets.OrderBy(s => s), engine.RemovedSecrets.OrderBy(s => s));
        }

        private sealed class SwarmEngine : UnsupportedDockerEngine
        {
            public SwarmState State { get; set; } = new SwarmState { LocalNodeState = "active", IsManager = true };

            public string? FailService { get; set; }

            public List<string> Calls { get; } = new List<string>();

            public List<string> Existing { get; } = new List<string>();

            public List<string> Secrets { get; } = new List<string>();

            public List<string> Configs { get; } = new List<string>();

            public List<SwarmServiceSpec> Services { get; } = new List<SwarmServiceSpec>();

            public List<SwarmServiceSpec> Jobs { get; } = new List<SwarmServiceSpec>();

            /// <summary>The exit code of the prepare job's task.</summary>
            public long JobExitCode { get; set; }

            public List<string> RemovedServices { get; } = new List<string>();

            public List<string> RemovedSecrets { get; } = new List<string>();

            public List<string> RemovedConfigs { get; } = new List<string>();

            public List<string> RemovedNetworks { get; } = new List<string>();

            public override Task<SwarmState> GetSwarmStateAsync(CancellationToken cancellationToken)
            {
                Calls.Add("state");
                return Task.FromResult(State);
            }

            public override Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken)
            {
                Calls.Add("network " + spec.Name + " " + spec.Driver);
                return Task.FromResult("id-" + spec.Name);
            }

            public override Task<bool> RemoveNetworkAsync(string nameOrId, CancellationToken cancellationToken) => Removed(RemovedNetworks, "rm-network", nameOrId);

            public override Task<IList<SwarmObjectSummary>> ListSecretsAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) =>
                Task.FromResult((IList<SwarmObjectSummary>)Existing.Select(n => new SwarmObjectSummary { Id = "old-" + n, Name = n }).ToList());

            public override Task<IList<SwarmObjectSummary>> ListConfigsAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) =>
                Task.FromResult((IList<SwarmObjectSummary>)new List<SwarmObjectSummary>());

            public override Task<string> CreateSecretAsync(SwarmFileObjectSpec spec, CancellationToken cancellationToken) => Created(Secrets, "secret", spec);

            public override Task<string> CreateConfigAsync(SwarmFileObjectSpec spec, CancellationToken cancellationToken) => Created(Configs, "config", spec);

            public override Task<bool> RemoveSecretAsync(string nameOrId, CancellationToken cancellationToken) => Removed(RemovedSecrets, "rm-secret", nameOrId);

            public override Task<bool> RemoveConfigAsync(string nameOrId, CancellationToken cancellationToken) => Removed(RemovedConfigs, "rm-config", nameOrId);

            public override Task<string> CreateServiceAsync(SwarmServiceSpec spec, CancellationToken cancellationToken)
            {
                Calls.Add("service " + spec.Name);
                if (spec.Name == FailService)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "TestFailure", "The engine refused " + spec.Name, spec.Name);
                }

                (spec.Job ? Jobs : Services).Add(spec);
                return Task.FromResult("id-" + spec.Name);
            }

            public override Task<IList<SwarmTaskSummary>> ListTasksAsync(string serviceNameOrId, CancellationToken cancellationToken)
            {
                Assert.Contains(Jobs, j => j.Name == serviceNameOrId);
                var task = new SwarmTaskSummary { State = JobExitCode == 0 ? "complete" : "failed", ContainerId = "c1", ExitCode = JobExitCode, Error = JobExitCode == 0 ? string.Empty : "task: non-zero exit (1)" };
                return Task.FromResult((IList<SwarmTaskSummary>)new List<SwarmTaskSummary> { task });
            }

            public override Task<bool> RemoveServiceAsync(string nameOrId, CancellationToken cancellationToken) =>
                Jobs.Any(j => j.Name == nameOrId) ? Removed(new List<string>(), "rm-job", nameOrId) : Removed(RemovedServices, "rm-service", nameOrId);

            public override Task<IList<ContainerSummary>> ListContainersAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken) =>
                Task.FromResult((IList<ContainerSummary>)new List<ContainerSummary>());

            private Task<string> Created(List<string> list, string kind, SwarmFileObjectSpec spec)
            {
                Assert.NotEmpty(spec.Data);
                Assert.Equal("sd", spec.Labels[ClusterLabels.Cluster]);
                Calls.Add(kind + " " + spec.Name);
                list.Add(spec.Name);
                return Task.FromResult("id-" + spec.Name);
            }

            private Task<bool> Removed(List<string> list, string call, string name)
            {
                Calls.Add(call + " " + name);
                list.Add(name);
                return Task.FromResult(true);
            }
        }
    }
}
