using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Docker
{
    /// <summary>
    /// DockerEngine against a real engine and the irisops-standin images (a stand-in for the IRIS container
    /// contract, NOT IRIS). Everything created is labelled irisops.test=1 and removed afterwards.
    /// </summary>
    [Collection("Docker")]
    public sealed class DockerEngineIntegrationTests : IAsyncLifetime
    {
        private readonly string run = "x" + Guid.NewGuid().ToString("N").Substring(0, 10);
        private IDockerEngine engine = null!;
        private CancellationTokenSource limit = null!;

        public DockerEngineIntegrationTests(StandInImages images)
        {
            Assert.NotNull(images);
        }

        private CancellationToken Token => limit.Token;

        private string Name(string role) => "irisops-test-" + run + "-" + role;

        public Task InitializeAsync()
        {
            limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            engine = DockerEngineFactory.Create(null);
            return Task.CompletedTask;
        }

        public async Task DisposeAsync()
        {
            if (DockerAvailability.SkipReason == null)
            {
                using var cleanup = new CancellationTokenSource(TimeSpan.FromMinutes(1));
                var labels = new Dictionary<string, string?> { ["irisops.test.run"] = run };
                foreach (ContainerSummary container in await engine.ListContainersAsync(labels, cleanup.Token))
                {
                    await engine.RemoveContainerAsync(container.Id, force: true, removeAnonymousVolumes: true, cleanup.Token);
                }

                foreach (NetworkDetails network in await engine.ListNetworksAsync(labels, cleanup.Token))
                {
                    await engine.RemoveNetworkAsync(network.Id, cleanup.Token);
                }

                foreach (VolumeDetails volume in await engine.ListVolumesAsync(labels, cleanup.Token))
                {
                    await engine.RemoveVolumeAsync(volume.Name, true, cleanup.Token);
                }
            }

            engine.Dispose();
            limit.Dispose();
        }

        private ContainerSpec StandIn(string role, string image = StandInImages.V1) => new ContainerSpec
        {
            Name = Name(role),
            Image = image,
            Labels = TestLabels.For(run),
            StopTimeout = TimeSpan.FromSeconds(30),
        };

        [DockerFact]
        public async Task Ping_reports_the_engine_version_and_endpoint()
        {
            DockerEngineInfo info = await engine.PingAsync(Token);
            Assert.False(string.IsNullOrEmpty(info.Version));
            Assert.False(string.IsNullOrEmpty(info.ApiVersion));
            Assert.Same(engine.Endpoint, info.Endpoint);
        }

        [DockerFact]
        public async Task A_durable_node_is_refused_on_a_root_owned_volume_fixed_by_a_root_helper_then_runs_healthy_with_everything_configured()
        {
            var labels = TestLabels.For(run);
            string networkName = Name("net");
            string networkId = await engine.CreateNetworkAsync(new NetworkSpec { Name = networkName, Subnet = "10.213.7.0/24", Labels = labels }, Token);
            VolumeDetails volume = await engine.CreateVolumeAsync(new VolumeSpec { Name = Name("vol"), Labels = labels }, Token);
            Assert.Equal(Name("vol"), volume.Name);

            ContainerSpec spec = StandIn("node");
            spec.HostName = "data-server";
            spec.Environment["ISC_DATA_DIRECTORY"] = "/dur/iconfig";
            spec.Mounts.Add(new MountSpec { Kind = MountKind.Volume, Source = volume.Name, Target = "/dur" });
            spec.Networks.Add(new NetworkAttachmentSpec { Network = networkName, Aliases = { "data-server", "ds" }, IPv4Address = "10.213.7.10" });
            spec.Ports.Add(new PortBindingSpec { ContainerPort = 1972, HostIp = "127.0.0.1", HostPort = 0 });
            spec.RestartPolicy = "unless-stopped";
            spec.Init = true;
            spec.Command = new List<string> { "--check-caps", "false" };
            string id = await engine.CreateContainerAsync(spec, Token);
            await engine.StartContainerAsync(id, Token);

            // An empty named volume is owned by root: the stand-in, like IRIS, refuses with ERROR #5001.
            HealthWaitResult refused = await new ContainerHealthWaiter(engine).WaitAsync(id, TimeSpan.FromSeconds(30), Token);
            Assert.Equal(HealthWaitOutcome.Exited, refused.Outcome);
            Assert.Contains("restart policy restarts it", refused.Description);
            Assert.Contains("ERROR #5001", await engine.GetContainerLogsAsync(id, 20, Token));
            await engine.StopContainerAsync(id, TimeSpan.FromSeconds(10), Token); // ends the restart policy's loop

            // The fix New-IrisEcpCluster applies: chown the volume in a throwaway root container.
            ContainerSpec helper = StandIn("chown");
            helper.User = "0";
            helper.Entrypoint = new List<string> { "/bin/chown" };
            helper.Command = new List<string> { "51773:51773", "/dur" };
            helper.Mounts.Add(new MountSpec { Kind = MountKind.Volume, Source = volume.Name, Target = "/dur" });
            string helperId = await engine.CreateContainerAsync(helper, Token);
            await engine.StartContainerAsync(helperId, Token);
            Assert.Equal(0, await engine.WaitContainerAsync(helperId, TimeSpan.FromSeconds(60), Token));
            Assert.True(await engine.RemoveContainerAsync(helperId, false, false, Token));

            await engine.StartContainerAsync(id, Token);
            var polls = new List<string>();
            HealthWaitResult healthy = await new ContainerHealthWaiter(engine).WaitAsync(id, TimeSpan.FromSeconds(60), Token, d => polls.Add(d.State.Health));
            Assert.True(healthy.IsHealthy, healthy.Description);
            Assert.NotEmpty(polls);

            ContainerDetails details = (await engine.InspectContainerAsync(Name("node"), Token))!;
            Assert.Equal(id, details.Id);
            Assert.Equal(Name("node"), details.Name);
            Assert.True(details.State.Running);
            Assert.Equal("healthy", details.State.Health);
            Assert.Equal("data-server", details.Spec.HostName);
            Assert.Equal(StandInImages.V1, details.Spec.Image);
            Assert.Equal("/dur/iconfig", details.Spec.Environment["ISC_DATA_DIRECTORY"]);
            Assert.Equal("IRIS", details.Spec.Environment["ISC_PACKAGE_INSTANCENAME"]);
            Assert.Equal(run, details.Spec.Labels["irisops.test.run"]);
            Assert.Equal(new[] { "--check-caps", "false" }, details.Spec.Command);
            Assert.Equal(new[] { "/iris-main" }, details.Spec.Entrypoint);
            Assert.Equal("unless-stopped", details.Spec.RestartPolicy);
            Assert.Equal(TimeSpan.FromSeconds(30), details.Spec.StopTimeout);
            Assert.True(details.Spec.Init);
            Assert.Equal(new[] { "CMD", "/irisHealth.sh" }, details.Spec.HealthCheck!.Test);
            MountSpec mount = Assert.Single(details.Spec.Mounts);
            Assert.Equal(MountKind.Volume, mount.Kind);
            Assert.Equal(volume.Name, mount.Source);
            Assert.Equal("/dur", mount.Target);
            NetworkAttachmentSpec attachment = Assert.Single(details.Spec.Networks);
            Assert.Equal(networkName, attachment.Network);
            Assert.Equal(new[] { "data-server", "ds" }, attachment.Aliases.OrderBy(a => a));
            Assert.Equal("10.213.7.10", attachment.IPv4Address);
            Assert.Equal("10.213.7.10", details.IPAddresses[networkName]);
            PortBindingSpec requested = Assert.Single(details.Spec.Ports);
            Assert.Equal(1972, requested.ContainerPort);
            PortBindingSpec published = Assert.Single(details.PublishedPorts);
            Assert.Equal("127.0.0.1", published.HostIp);
            Assert.True(published.HostPort > 0);

            // The superserver port answers on the loopback port the engine chose.
            using (var tcp = new TcpClient())
            {
                await tcp.ConnectAsync(IPAddress.Loopback, published.HostPort, Token);
                using var reader = new StreamReader(tcp.GetStream());
                string? banner = await reader.ReadLineAsync(Token).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Token);
                Assert.StartsWith("irisops-standin superserver", banner);
            }

            // Exec with standard input: iris session records what it receives.
            ExecResult session = await engine.ExecAsync(id, new ExecRequest
            {
                Command = { "iris", "session", "IRIS", "-U", "USER" },
                StandardInput = "write \"é ok\",!\nhalt\n",
            }, Token);
            Assert.Equal(0, session.ExitCode);
            ExecResult log = await engine.ExecAsync(id, new ExecRequest { Command = { "cat", "/dur/iconfig/standin/session.log" } }, Token);
            Assert.Contains("namespace=USER", log.StandardOutput);
            Assert.Contains("write \"é ok\",!\nhalt", log.StandardOutput);

            ExecResult failing = await engine.ExecAsync(id, new ExecRequest
            {
                Command = { "sh", "-c", "echo out; echo err >&2; echo $GREETING; exit 3" },
                Environment = { ["GREETING"] = "hello" },
                User = "0",
            }, Token);
            Assert.Equal(3, failing.ExitCode);
            Assert.Equal("out\nhello\n", failing.StandardOutput);
            Assert.Equal("err\n", failing.StandardError);

            Assert.Contains(await engine.ListContainersAsync(new Dictionary<string, string?> { ["irisops.test.run"] = run, ["irisops.test"] = null }, Token), c => c.Id == id && c.State == "running");
            Assert.Empty(await engine.ListContainersAsync(new Dictionary<string, string?> { ["irisops.test.run"] = "no-such-run" }, Token));
            Assert.Contains(await engine.ListNetworksAsync(new Dictionary<string, string?> { ["irisops.test.run"] = run }, Token), n => n.Id == networkId);
            Assert.Contains(await engine.ListVolumesAsync(new Dictionary<string, string?> { ["irisops.test.run"] = run }, Token), v => v.Name == volume.Name);
            NetworkDetails network = (await engine.InspectNetworkAsync(networkName, Token))!;
            Assert.Equal(new[] { "10.213.7.0/24" }, network.Subnets);
            Assert.Equal(Name("node"), network.Containers[id]);

            // A clean stop (SIGTERM): exit code 0, the durable directory says so.
            Assert.True(await engine.StopContainerAsync(id, TimeSpan.FromSeconds(30), Token));
            Assert.False(await engine.StopContainerAsync(id, TimeSpan.FromSeconds(30), Token));
            Assert.Equal(0, await engine.WaitContainerAsync(id, TimeSpan.FromSeconds(30), Token));
            Assert.Contains("Shutting down the instance (SIGTERM)", await engine.GetContainerLogsAsync(id, 5, Token));

            await engine.RenameContainerAsync(id, Name("node-old"), Token);
            Assert.Null(await engine.InspectContainerAsync(Name("node"), Token));
            Assert.True(await engine.RemoveContainerAsync(Name("node-old"), false, false, Token));
            Assert.False(await engine.RemoveContainerAsync(Name("node-old"), false, false, Token));
            Assert.True(await engine.RemoveNetworkAsync(networkName, Token));
            Assert.False(await engine.RemoveNetworkAsync(networkName, Token));
            Assert.True(await engine.RemoveVolumeAsync(volume.Name, false, Token));
            Assert.False(await engine.RemoveVolumeAsync(volume.Name, false, Token));
        }

        [DockerFact]
        public async Task A_container_joins_several_networks_with_its_aliases()
        {
            var labels = TestLabels.For(run);
            await engine.CreateNetworkAsync(new NetworkSpec { Name = Name("front"), Labels = labels }, Token);
            await engine.CreateNetworkAsync(new NetworkSpec { Name = Name("back"), Labels = labels }, Token);
            ContainerSpec spec = StandIn("multi");
            spec.Networks.Add(new NetworkAttachmentSpec { Network = Name("front"), Aliases = { "web" } });
            spec.Networks.Add(new NetworkAttachmentSpec { Network = Name("back"), Aliases = { "db" } });
            string id = await engine.CreateContainerAsync(spec, Token);
            ContainerDetails details = (await engine.InspectContainerAsync(id, Token))!;
            Assert.Equal(new[] { Name("back"), Name("front") }, details.Spec.Networks.Select(n => n.Network).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(new[] { "db" }, details.Spec.Networks.Single(n => n.Network == Name("back")).Aliases);
        }

        [DockerFact]
        public async Task The_broken_stand_in_is_reported_unhealthy_while_it_keeps_running()
        {
            string id = await engine.CreateContainerAsync(StandIn("broken", StandInImages.Broken), Token);
            await engine.StartContainerAsync(id, Token);

            HealthWaitResult early = await new ContainerHealthWaiter(engine).WaitAsync(id, TimeSpan.FromSeconds(1), Token);
            Assert.Equal(HealthWaitOutcome.TimedOut, early.Outcome);
            Assert.Contains("did not become healthy within 1 s", early.Description);

            HealthWaitResult result = await new ContainerHealthWaiter(engine).WaitAsync(id, TimeSpan.FromSeconds(60), Token);
            Assert.Equal(HealthWaitOutcome.Unhealthy, result.Outcome);
            Assert.Contains("never becomes healthy", result.Description);
            Assert.True(result.Container!.State.Running);
        }

        [DockerFact]
        public async Task Waiting_for_health_honours_cancellation()
        {
            string id = await engine.CreateContainerAsync(StandIn("cancel", StandInImages.Broken), Token);
            await engine.StartContainerAsync(id, Token);
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ContainerHealthWaiter(engine).WaitAsync(id, TimeSpan.FromSeconds(60), cancel.Token));
        }

        [DockerFact]
        public async Task Files_copy_into_and_out_of_a_container_as_tar_archives()
        {
            string id = await engine.CreateContainerAsync(StandIn("copy"), Token);
            var tar = new MemoryStream();
            using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, "merge.cpf")
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes("[config]\nMaxServerConn=3\n")),
                };
                writer.WriteEntry(entry);
            }

            tar.Position = 0;
            await engine.CopyToContainerAsync(id, "/tmp", tar, Token);

            var back = new MemoryStream();
            await engine.CopyFromContainerAsync(id, "/tmp/merge.cpf", back, Token);
            back.Position = 0;
            using var reader = new TarReader(back);
            TarEntry? file = reader.GetNextEntry();
            Assert.NotNull(file);
            Assert.Equal("merge.cpf", file!.Name);
            using var text = new StreamReader(file.DataStream!);
            Assert.Equal("[config]\nMaxServerConn=3\n", text.ReadToEnd());
        }

        [DockerFact]
        public async Task The_file_reader_reads_files_and_follows_links_in_a_container_that_never_ran()
        {
            string id = await engine.CreateContainerAsync(StandIn("read"), Token);
            var tar = new MemoryStream();
            using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "real.cpf") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes("[Startup]\nSystemMode=TEST\n")) });
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "iris.cpf") { LinkName = "real.cpf" });
            }

            tar.Position = 0;
            await engine.CopyToContainerAsync(id, "/tmp", tar, Token);
            var files = new ContainerFileReader(engine) { Timeout = TimeSpan.FromSeconds(30) };

            Assert.Equal("[Startup]\nSystemMode=TEST\n", await files.TryReadTextAsync(id, "/tmp/real.cpf", Token));
            Assert.Equal("[Startup]\nSystemMode=TEST\n", await files.TryReadTextAsync(id, "/tmp/iris.cpf", Token));
            Assert.Null(await files.TryReadTextAsync(id, "/tmp/missing.cpf", Token));
            Assert.Null(await files.TryReadTextAsync(id, "/tmp", Token));
            Assert.True(await files.ExistsAsync(id, "/tmp/iris.cpf", Token));
        }

        [DockerFact]
        public async Task Existing_names_are_refused_instead_of_silently_reused()
        {
            var labels = TestLabels.For(run);
            await engine.CreateVolumeAsync(new VolumeSpec { Name = Name("dup"), Labels = labels }, Token);
            var volume = await Assert.ThrowsAsync<IrisOpsException>(() => engine.CreateVolumeAsync(new VolumeSpec { Name = Name("dup"), Labels = labels }, Token));
            Assert.Equal(IrisErrorKind.ResourceExists, volume.Kind);

            await engine.CreateNetworkAsync(new NetworkSpec { Name = Name("dup"), Labels = labels }, Token);
            var network = await Assert.ThrowsAsync<IrisOpsException>(() => engine.CreateNetworkAsync(new NetworkSpec { Name = Name("dup"), Labels = labels }, Token));
            Assert.Equal(IrisErrorKind.ResourceExists, network.Kind);

            await engine.CreateContainerAsync(StandIn("dup"), Token);
            var container = await Assert.ThrowsAsync<IrisOpsException>(() => engine.CreateContainerAsync(StandIn("dup"), Token));
            Assert.Equal(IrisErrorKind.ResourceExists, container.Kind);
            Assert.Contains("already in use", container.Message);
        }

        [DockerFact]
        public async Task Missing_objects_are_null_or_false_and_engine_refusals_carry_the_engine_message()
        {
            Assert.Null(await engine.InspectContainerAsync("irisops-test-no-such-container", Token));
            Assert.Null(await engine.InspectNetworkAsync("irisops-test-no-such-network", Token));
            Assert.Null(await engine.InspectVolumeAsync("irisops-test-no-such-volume", Token));
            Assert.False(await engine.ImageExistsAsync("irisops-standin:no-such-tag", Token));
            Assert.True(await engine.ImageExistsAsync(StandInImages.V2, Token));

            ImageDetails image = (await engine.InspectImageAsync(StandInImages.V2, Token))!;
            Assert.Equal("51773:51773", image.User);
            Assert.Equal("2.0.0.200.0standin", image.Labels["irisops.standin.version"]);
            Assert.Contains("1972/tcp", image.ExposedPorts);
            Assert.Equal(new[] { "CMD", "/irisHealth.sh" }, image.HealthCheck!.Test);
            Assert.Equal(TimeSpan.FromSeconds(1), image.HealthCheck.Interval);

            var start = await Assert.ThrowsAsync<IrisOpsException>(() => engine.StartContainerAsync("irisops-test-no-such-container", Token));
            Assert.Equal(IrisErrorKind.ObjectNotFound, start.Kind);
            Assert.Contains("No such container", start.Message);

            string id = await engine.CreateContainerAsync(StandIn("stopped"), Token);
            var exec = await Assert.ThrowsAsync<IrisOpsException>(() => engine.ExecAsync(id, new ExecRequest { Command = { "true" } }, Token));
            Assert.Equal(IrisErrorKind.InvalidOperation, exec.Kind);
            Assert.Contains("is not running", exec.Message);
        }
    }
}
