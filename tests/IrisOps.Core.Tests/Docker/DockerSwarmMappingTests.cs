// Docker.DotNet's response models are nullable throughout; these tests read the values they just mapped.
#nullable disable warnings
using System;
using System.Collections.Generic;
using System.Linq;
using Docker.DotNet.Models;
using IrisOps.Core.Docker;
using Xunit;

namespace IrisOps.Tests.Docker
{
    public class DockerSwarmMappingTests
    {
        private static SwarmServiceSpec Spec() => new SwarmServiceSpec
        {
            Name = "c-data",
            Image = "img:1",
            HostName = "c-data",
            Labels = new Dictionary<string, string> { ["irisops.cluster"] = "c" },
            Environment = new List<string> { "ISC_DATA_DIRECTORY=/irisops/durable/iconfig" },
            Args = new List<string> { "--key", "/irisops/license/iris.key" },
            StopGracePeriod = TimeSpan.FromSeconds(330),
            Mounts = new List<MountSpec> { new MountSpec { Kind = MountKind.Volume, Source = "c-data-durable", Target = "/irisops/durable" } },
            VolumeLabels = new Dictionary<string, IDictionary<string, string>> { ["c-data-durable"] = new Dictionary<string, string> { ["irisops.cluster"] = "c" } },
            Secrets = new List<SwarmFileMount> { new SwarmFileMount { ObjectId = "s1", ObjectName = "c-key-0123456789ab", Target = "/irisops/tls/node.key", Uid = 51773, Gid = 51773, Mode = 256 } },
            Configs = new List<SwarmFileMount> { new SwarmFileMount { ObjectId = "k1", ObjectName = "c-merge-0123456789ab", Target = "/irisops/config/merge.cpf", Uid = 51773, Gid = 51773, Mode = 292 } },
            Network = "c-net",
            Aliases = new List<string> { "c-data" },
            HostModePorts = new Dictionary<int, int> { [1972] = 41972 },
        };

        [Fact]
        public void A_node_service_is_one_replica_with_dns_round_robin_and_stop_first_updates_that_pause()
        {
            ServiceSpec service = DockerSwarmMapping.ToServiceSpec(Spec());
            Assert.Equal(1UL, service.Mode.Replicated.Replicas);
            Assert.Equal("dnsrr", service.EndpointSpec.Mode);
            Assert.Equal("stop-first", service.UpdateConfig.Order);
            Assert.Equal("pause", service.UpdateConfig.FailureAction);
            Assert.Equal(1UL, service.UpdateConfig.Parallelism);
            PortConfig port = Assert.Single(service.EndpointSpec.Ports);
            Assert.Equal("host", port.PublishMode);
            Assert.Equal(41972U, port.PublishedPort);
            Assert.Equal("c", service.Labels["irisops.cluster"]);
        }

        [Fact]
        public void The_task_has_the_host_name_alias_files_and_durable_volume_of_the_node()
        {
            TaskSpec task = DockerSwarmMapping.ToServiceSpec(Spec()).TaskTemplate;
            Assert.Equal("any", task.RestartPolicy.Condition);
            NetworkAttachmentConfig network = Assert.Single(task.Networks);
            Assert.Equal("c-net", network.Target);
            Assert.Equal(new[] { "c-data" }, network.Aliases);
            global::Docker.DotNet.Models.ContainerSpec container = task.ContainerSpec;
            Assert.Equal("c-data", container.Hostname);
            Assert.True(container.Init);
            Assert.Equal(TimeSpan.FromSeconds(330), container.StopGracePeriod);
            Assert.Equal("c", container.Labels["irisops.cluster"]);
            Mount mount = Assert.Single(container.Mounts);
            Assert.Equal("volume", mount.Type);
            Assert.Equal("c", mount.VolumeOptions.Labels["irisops.cluster"]);
            SecretReference secret = Assert.Single(container.Secrets);
            Assert.Equal(("s1", "c-key-0123456789ab", "/irisops/tls/node.key", "51773", 256U), (secret.SecretID, secret.SecretName, secret.File.Name, secret.File.UID, secret.File.Mode));
            SwarmConfigReference config = Assert.Single(container.Configs);
            Assert.Equal(("k1", "/irisops/config/merge.cpf", "51773", 292U), (config.ConfigID, config.File.Name, config.File.GID, config.File.Mode));
        }

        [Fact]
        public void A_job_runs_once_as_the_user_and_entrypoint_given_without_restart_health_check_or_network()
        {
            var job = new SwarmServiceSpec { Name = "c-prepare", Image = "img:1", Job = true, User = "0:0", Entrypoint = new List<string> { "/bin/sh", "-c", "chown 51773:51773 /prepare/durable/a" } };
            ServiceSpec service = DockerSwarmMapping.ToServiceSpec(job);
            Assert.Null(service.Mode.Replicated);
            Assert.Equal((1UL, 1UL), (service.Mode.ReplicatedJob.MaxConcurrent, service.Mode.ReplicatedJob.TotalCompletions));
            Assert.Null(service.UpdateConfig);
            Assert.Equal("none", service.TaskTemplate.RestartPolicy.Condition);
            Assert.Null(service.TaskTemplate.Networks);
            Assert.Equal("0:0", service.TaskTemplate.ContainerSpec.User);
            Assert.Equal(job.Entrypoint, service.TaskTemplate.ContainerSpec.Command);
            Assert.Equal(new[] { "NONE" }, service.TaskTemplate.ContainerSpec.Healthcheck.Test);
        }

        [Fact]
        public void An_update_changes_only_the_image_and_the_replicas()
        {
            ServiceSpec service = DockerSwarmMapping.ToServiceSpec(Spec());
            DockerSwarmMapping.Apply(service, new SwarmServiceChange { Replicas = 0 });
            Assert.Equal(0UL, service.Mode.Replicated.Replicas);
            Assert.Equal("img:1", service.TaskTemplate.ContainerSpec.Image);
            DockerSwarmMapping.Apply(service, new SwarmServiceChange { Image = "img:2", Replicas = 1 });
            Assert.Equal((1UL, "img:2"), (service.Mode.Replicated.Replicas, service.TaskTemplate.ContainerSpec.Image));
            Assert.Equal("stop-first", service.UpdateConfig.Order);
            Assert.Single(service.TaskTemplate.ContainerSpec.Secrets);
        }

        [Fact]
        public void Label_filters_match_every_label_asked_for()
        {
            var labels = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" };
            Assert.True(DockerSwarmMapping.Matches(labels, new Dictionary<string, string?> { ["a"] = "1", ["b"] = null }));
            Assert.False(DockerSwarmMapping.Matches(labels, new Dictionary<string, string?> { ["a"] = "2" }));
            Assert.False(DockerSwarmMapping.Matches(labels, new Dictionary<string, string?> { ["c"] = null }));
        }
    }
}
