using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>ContainerRecreation: the new container keeps what was set on the old one.</summary>
    public class ContainerRecreationTests
    {
        private static (ContainerDetails Old, ImageDetails Image) Sample()
        {
            var image = new ImageDetails
            {
                Id = "sha256:old",
                User = "51773:51773",
                Entrypoint = new List<string> { "/tini", "--", "/iris-main" },
                Command = new List<string>(),
                Environment = new List<string> { "PATH=/usr/irissys/bin:/bin", "ISC_PACKAGE_INSTALLDIR=/usr/irissys", "TZ=UTC" },
                Labels = new Dictionary<string, string> { ["org.opencontainers.image.version"] = "1.0" },
                HealthCheck = new HealthCheckSpec { Test = new List<string> { "CMD", "/irisHealth.sh" }, Interval = TimeSpan.FromSeconds(60) },
            };
            var old = new ContainerDetails
            {
                Id = "0123456789abcdef0123",
                Name = "iris-app",
                ImageId = "sha256:old",
                Spec = new ContainerSpec
                {
                    Name = "iris-app",
                    Image = "app:1",
                    HostName = "0123456789ab",
                    User = "51773:51773",
                    Entrypoint = new List<string> { "/tini", "--", "/iris-main" },
                    Command = new List<string> { "--key", "/license/iris.key" },
                    Environment = new Dictionary<string, string>
                    {
                        ["PATH"] = "/usr/irissys/bin:/bin",
                        ["ISC_PACKAGE_INSTALLDIR"] = "/usr/irissys",
                        ["TZ"] = "Europe/Berlin",
                        ["ISC_DATA_DIRECTORY"] = "/dur/iconfig",
                        ["ISC_CPF_MERGE_FILE"] = "/config/merge.cpf",
                    },
                    Labels = new Dictionary<string, string> { ["org.opencontainers.image.version"] = "1.0", ["irisops.cluster"] = "prod" },
                    Mounts = new List<MountSpec>
                    {
                        new MountSpec { Kind = MountKind.Volume, Source = "iris-app-durable", Target = "/dur" },
                        new MountSpec { Kind = MountKind.Bind, Source = "/srv/license", Target = "/license", ReadOnly = true },
                    },
                    Networks = new List<NetworkAttachmentSpec> { new NetworkAttachmentSpec { Network = "prod-net", Aliases = new List<string> { "app", "iris-app" }, IPv4Address = "172.28.0.5" } },
                    Ports = new List<PortBindingSpec> { new PortBindingSpec { ContainerPort = 1972, HostPort = 41972 } },
                    HealthCheck = new HealthCheckSpec { Test = new List<string> { "CMD", "/irisHealth.sh" }, Interval = TimeSpan.FromSeconds(60) },
                    RestartPolicy = "unless-stopped",
                    StopTimeout = TimeSpan.FromSeconds(330),
                    Init = true,
                },
            };
            return (old, image);
        }

        [Fact]
        public void The_new_spec_keeps_what_was_set_on_the_container_and_leaves_inherited_defaults_to_the_new_image()
        {
            (ContainerDetails old, ImageDetails image) = Sample();

            ContainerSpec spec = ContainerRecreation.NewSpec(old, image, "app:2");

            Assert.Equal("app:2", spec.Image);
            Assert.Equal("iris-app", spec.Name);
            Assert.Equal("0123456789ab", spec.HostName); // kept although the engine generated it (the old id): IRIS records it
            Assert.Null(spec.User);
            Assert.Null(spec.Entrypoint);
            Assert.Equal(new[] { "--key", "/license/iris.key" }, spec.Command);
            Assert.Null(spec.HealthCheck);
            Assert.Equal(new[] { "ISC_CPF_MERGE_FILE", "ISC_DATA_DIRECTORY", "TZ" }, spec.Environment.Keys.OrderBy(k => k, StringComparer.Ordinal));
            Assert.Equal("Europe/Berlin", spec.Environment["TZ"]);
            Assert.Equal(new[] { "irisops.cluster" }, spec.Labels.Keys);
            Assert.Equal(new[] { "volume:iris-app-durable:/dur", "bind:/srv/license:/license:ro" }, spec.Mounts.Select(m => m.ToString()));
            NetworkAttachmentSpec network = Assert.Single(spec.Networks);
            Assert.Equal(new[] { "app" }, network.Aliases);
            Assert.Equal("172.28.0.5", network.IPv4Address);
            Assert.Equal("41972->1972/tcp", Assert.Single(spec.Ports).ToString());
            Assert.Equal("unless-stopped", spec.RestartPolicy);
            Assert.Equal(TimeSpan.FromSeconds(330), spec.StopTimeout);
            Assert.True(spec.Init);
        }

        [Fact]
        public void Settings_that_differ_from_the_old_image_are_kept_and_the_one_merge_file_is_mounted()
        {
            (ContainerDetails old, ImageDetails image) = Sample();
            old.Spec.HostName = "iris-app-host";
            old.Spec.Entrypoint = new List<string> { "/custom-entry" };
            old.Spec.HealthCheck = new HealthCheckSpec { Test = new List<string> { "CMD-SHELL", "iris qlist" } };

            ContainerSpec spec = ContainerRecreation.NewSpec(old, image, "app:2", "/backups/iris-app/merge.cpf");

            Assert.Equal("iris-app-host", spec.HostName);
            Assert.Equal(new[] { "/custom-entry" }, spec.Entrypoint);
            Assert.Equal(new[] { "--key", "/license/iris.key" }, spec.Command);
            Assert.Equal(new[] { "CMD-SHELL", "iris qlist" }, spec.HealthCheck!.Test);
            // /config/merge.cpf is a file inside the image, not a mount: the composed file gets its own mount and
            // ISC_CPF_MERGE_FILE names it alone (one path, as the IRIS documentation describes the variable).
            Assert.Equal(ContainerRecreation.UpgradeMergeTarget, spec.Environment["ISC_CPF_MERGE_FILE"]);
            Assert.Contains(spec.Mounts, m => m.Source == "/backups/iris-app/merge.cpf" && m.Target == ContainerRecreation.UpgradeMergeTarget && m.ReadOnly);

            // A second upgrade with a merge file replaces the first one's mount instead of adding another.
            old.Spec.Mounts = spec.Mounts;
            old.Spec.Environment = spec.Environment;
            ContainerSpec again = ContainerRecreation.NewSpec(old, image, "app:3", "/backups/iris-app/merge2.cpf");
            MountSpec mount = Assert.Single(again.Mounts, m => m.Target == ContainerRecreation.UpgradeMergeTarget);
            Assert.Equal("/backups/iris-app/merge2.cpf", mount.Source);
            Assert.Equal(ContainerRecreation.UpgradeMergeTarget, again.Environment["ISC_CPF_MERGE_FILE"]);
        }
    }
}
