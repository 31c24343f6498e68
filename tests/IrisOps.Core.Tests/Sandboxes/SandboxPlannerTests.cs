using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Sandboxes;
using Xunit;

namespace IrisOps.Tests.Sandboxes
{
    /// <summary>The template and defaults applied to a request, and the Docker objects a sandbox is planned as.</summary>
    public class SandboxPlannerTests
    {
        private static readonly DateTime Now = new DateTime(2026, 12, 1, 9, 0, 0, 400, DateTimeKind.Utc);

        [Fact]
        public void A_plain_request_gets_the_defaults_and_loopback_ports()
        {
            SandboxSpec spec = SandboxSpecResolver.Resolve(new SandboxRequest { Owner = "Ann", Image = "iris:1" });
            SandboxPlan plan = SandboxPlanner.Plan(spec, 1, Now);

            Assert.Equal("ann", spec.Owner);
            Assert.Equal(TimeSpan.FromHours(8), spec.Lifetime);
            Assert.Equal(SandboxState.Fresh, spec.State);
            Assert.True(spec.AllowRelaunch);
            Assert.Equal(SandboxExpiryAction.Stop, spec.OnExpiry);
            Assert.Equal("sandbox-ann-1", plan.Name);
            Assert.Equal("sandbox-ann-1-net", plan.Network.Name);
            Assert.Empty(plan.Volumes);
            Assert.Null(plan.Prepare);
            Assert.Equal(new[] { "127.0.0.1:0->1972/tcp", "127.0.0.1:0->52773/tcp" }, plan.Container.Ports.Select(p => p.ToString()));
            Assert.DoesNotContain("ISC_DATA_DIRECTORY", plan.Container.Environment.Keys);
            Assert.Equal("sandbox-ann-1-net", plan.Container.Networks.Single().Network);
            Assert.Null(plan.Container.MemoryBytes);
        }

        [Fact]
        public void Labels_carry_owner_expiry_in_utc_iso_8601_template_and_state()
        {
            SandboxTemplate template = SandboxTemplate.FromDictionary(new Hashtable { ["Name"] = "class", ["Image"] = "iris:1", ["Lifetime"] = "02:00:00", ["MaxLifetime"] = "1.00:00:00", ["AllowRelaunch"] = false }, "t", "t", "/");
            SandboxSpec spec = SandboxSpecResolver.Resolve(new SandboxRequest { Owner = "bob", Template = template, Labels = new Dictionary<string, string> { ["irisops.test"] = "1" } });
            SandboxPlan plan = SandboxPlanner.Plan(spec, 3, Now);
            IDictionary<string, string> labels = plan.Container.Labels;

            Assert.Equal("bob", labels[SandboxLabels.Owner]);
            Assert.Equal("2026-12-01T11:00:00Z", labels[SandboxLabels.Expires]);
            Assert.Equal("2026-12-02T09:00:00Z", labels[SandboxLabels.ExpiryLimit]);
            Assert.Equal("2026-12-01T09:00:00Z", labels[SandboxLabels.Created]);
            Assert.Equal("class", labels[SandboxLabels.Template]);
            Assert.Equal("Fresh", labels[SandboxLabels.State]);
            Assert.Equal("false", labels[SandboxLabels.Relaunch]);
            Assert.Equal("Remove", labels[SandboxLabels.OnExpiry]);
            Assert.Equal("1", labels["irisops.test"]);
            Assert.Equal("1", plan.Network.Labels["irisops.test"]);
            Assert.Equal("bob", plan.Network.Labels[SandboxLabels.Owner]);
            Assert.Equal(new DateTime(2026, 12, 1, 11, 0, 0, DateTimeKind.Utc), plan.Expires);
        }

        [Fact]
        public void Preserved_state_gets_a_durable_volume_and_the_license_goes_through_a_root_prepare()
        {
            using var folder = new TempFolder();
            string key = folder.Combine("iris.key");
            File.WriteAllText(key, "key");
            SandboxSpec spec = SandboxSpecResolver.Resolve(new SandboxRequest
            {
                Owner = "ann", Image = "iris:1", State = SandboxState.Preserved, LicenseKeyPath = key, MemoryBytes = 1L << 30, Cpu = 1.5,
            });
            SandboxPlan plan = SandboxPlanner.Plan(spec, 1, Now);

            Assert.Equal(new[] { "sandbox-ann-1-data", "sandbox-ann-1-license" }, plan.Volumes.Select(v => v.Name));
            Assert.Equal("data", plan.Volumes[0].Labels[SandboxLabels.Volume]);
            Assert.Equal("/irisops/durable/iconfig", plan.Container.Environment["ISC_DATA_DIRECTORY"]);
            Assert.Contains(plan.Container.Mounts, m => m.Kind == MountKind.Volume && m.Source == "sandbox-ann-1-data" && m.Target == "/irisops/durable");
            Assert.Contains(plan.Container.Mounts, m => m.Source == "sandbox-ann-1-license" && m.ReadOnly);
            Assert.Equal(new[] { "--key", "/irisops/license/iris.key" }, plan.Container.Command);
            Assert.Equal(1L << 30, plan.Container.MemoryBytes);
            Assert.Equal(1_500_000_000L, plan.Container.NanoCpus);

            ContainerSpec prepare = plan.Prepare!;
            Assert.Equal("0:0", prepare.User);
            string script = prepare.Entrypoint![2];
            Assert.Contains("cp /prepare/files/iris.key /prepare/license/iris.key", script);
            Assert.Contains("chown -R 51773:51773 /prepare/durable/sandbox-ann-1 /prepare/license", script);
            Assert.EndsWith("chmod 0600 /prepare/license/iris.key", script);
            Assert.Contains(prepare.Mounts, m => m.Kind == MountKind.Bind && m.Source == key && m.ReadOnly);
        }

        [Fact]
        public void A_merge_file_is_mounted_read_only_and_named_by_isc_cpf_merge_file()
        {
            using var folder = new TempFolder();
            string merge = folder.Combine("merge.cpf");
            File.WriteAllText(merge, "[config]\nglobals=0,0,64,0,0,0\n");
            SandboxPlan plan = SandboxPlanner.Plan(SandboxSpecResolver.Resolve(new SandboxRequest { Owner = "ann", Image = "iris:1", MergeFile = merge }), 1, Now);

            Assert.Equal("/irisops/config/merge.cpf", plan.Container.Environment["ISC_CPF_MERGE_FILE"]);
            Assert.Contains(plan.Container.Mounts, m => m.Kind == MountKind.Bind && m.Source == merge && m.Target == "/irisops/config/merge.cpf" && m.ReadOnly);
        }

        [Fact]
        public void Any_address_is_only_used_when_asked_for()
        {
            SandboxPlan plan = SandboxPlanner.Plan(SandboxSpecResolver.Resolve(new SandboxRequest { Owner = "ann", Image = "iris:1", PublishAddress = "0.0.0.0" }), 1, Now);
            Assert.All(plan.Container.Ports, p => Assert.Equal("0.0.0.0", p.HostIp));
        }

        [Fact]
        public void Fixed_host_ports_are_used_for_one_sandbox_only_and_the_engine_chooses_otherwise()
        {
            SandboxPlan chosen = SandboxPlanner.Plan(SandboxSpecResolver.Resolve(new SandboxRequest { Owner = "ann", Image = "iris:1" }), 1, Now);
            Assert.All(chosen.Container.Ports, p => Assert.Equal(0, p.HostPort));

            SandboxPlan both = SandboxPlanner.Plan(SandboxSpecResolver.Resolve(new SandboxRequest { Owner = "ann", Image = "iris:1", PublishPort = new[] { 41972, 42773 } }), 1, Now);
            Assert.Equal(new[] { (1972, 41972, "127.0.0.1"), (52773, 42773, "127.0.0.1") }, both.Container.Ports.Select(p => (p.ContainerPort, p.HostPort, p.HostIp ?? string.Empty)));

            SandboxPlan superserverOnly = SandboxPlanner.Plan(SandboxSpecResolver.Resolve(new SandboxRequest { Owner = "ann", Image = "iris:1", PublishPort = new[] { 41972 } }), 1, Now);
            Assert.Equal(new[] { 41972, 0 }, superserverOnly.Container.Ports.Select(p => p.HostPort));

            Assert.Equal("PublishPortNeedsOneSandbox", Refused(new SandboxRequest { Owner = "ann", Image = "iris:1", PublishPort = new[] { 41972 }, Count = 2, MaxPerOwner = 2 }));
            Assert.Equal("InvalidPublishPort", Refused(new SandboxRequest { Owner = "ann", Image = "iris:1", PublishPort = new[] { 41972, 41972 } }));
            Assert.Equal("InvalidPublishPort", Refused(new SandboxRequest { Owner = "ann", Image = "iris:1", PublishPort = new[] { 70000 } }));
            Assert.Equal("InvalidPublishPort", Refused(new SandboxRequest { Owner = "ann", Image = "iris:1", PublishPort = new[] { 1, 2, 3 } }));
        }

        [Fact]
        public void A_template_fixes_what_it_gives_a_parameter_may_repeat_it_but_not_change_it()
        {
            SandboxTemplate template = SandboxTemplate.FromDictionary(new Hashtable { ["Image"] = "iris:1", ["State"] = "Preserved", ["Lifetime"] = "01:00:00" }, "t", "room", "/");
            SandboxSpec same = SandboxSpecResolver.Resolve(new SandboxRequest { Owner = "ann", Template = template, Image = "iris:1", State = SandboxState.Preserved });
            Assert.Equal("room", same.TemplateName);

            IrisOpsException image = Assert.Throws<IrisOpsException>(() => SandboxSpecResolver.Resolve(new SandboxRequest { Owner = "ann", Template = template, Image = "iris:2" }));
            Assert.Equal("SandboxTemplateConflict", image.ErrorId);
            Assert.Contains("fixes Image to 'iris:1'", image.Message);
            IrisOpsException lifetime = Assert.Throws<IrisOpsException>(() => SandboxSpecResolver.Resolve(new SandboxRequest { Owner = "ann", Template = template, Lifetime = TimeSpan.FromHours(2) }));
            Assert.Equal("SandboxTemplateConflict", lifetime.ErrorId);
        }

        [Fact]
        public void Requests_that_cannot_be_met_are_refused_before_any_plan()
        {
            Assert.Equal("SandboxImageMissing", Refused(new SandboxRequest { Owner = "ann" }));
            Assert.Equal("InvalidSandboxOwner", Refused(new SandboxRequest { Owner = "ann*", Image = "iris:1" }));
            Assert.Equal("InvalidPublishAddress", Refused(new SandboxRequest { Owner = "ann", Image = "iris:1", PublishAddress = "localhost" }));
            Assert.Equal("SandboxCountAboveLimit", Refused(new SandboxRequest { Owner = "ann", Image = "iris:1", Count = 3, MaxPerOwner = 2 }));
            Assert.Equal("SandboxLabelReserved", Refused(new SandboxRequest { Owner = "ann", Image = "iris:1", Labels = new Dictionary<string, string> { [SandboxLabels.Owner] = "bob" } }));
            Assert.Equal("LicenseKeyNotFound", Refused(new SandboxRequest { Owner = "ann", Image = "iris:1", LicenseKeyPath = "/no/such/iris.key" }));
            Assert.Equal("SandboxMergeFileNotFound", Refused(new SandboxRequest { Owner = "ann", Image = "iris:1", MergeFile = "/no/such/merge.cpf" }));
            SandboxTemplate shortLived = SandboxTemplate.FromDictionary(new Hashtable { ["Image"] = "iris:1", ["MaxLifetime"] = "01:00:00" }, "t", "t", "/");
            Assert.Equal("SandboxLifetimeTooLong", Refused(new SandboxRequest { Owner = "ann", Template = shortLived, Lifetime = TimeSpan.FromHours(2) }));
        }

        private static string Refused(SandboxRequest request) =>
            Assert.Throws<IrisOpsException>(() => SandboxSpecResolver.Resolve(request)).ErrorId;
    }
}
