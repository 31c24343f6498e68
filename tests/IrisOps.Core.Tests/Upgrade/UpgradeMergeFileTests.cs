using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Upgrade;
using IrisOps.Tests.Cpf;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>-MergeFile: the node's merge file and the new one composed into ONE file named by ISC_CPF_MERGE_FILE.</summary>
    public class UpgradeMergeFileTests
    {
        private const string UserMerge = "# new settings\n[config]\nMaxServers=7\nglobals=0,0,128,0,0,0\n";

        private static ContainerDetails Node(string? mergeVariable, params MountSpec[] mounts)
        {
            var environment = new Dictionary<string, string> { ["ISC_DATA_DIRECTORY"] = "/dur/iconfig" };
            if (mergeVariable != null)
            {
                environment["ISC_CPF_MERGE_FILE"] = mergeVariable;
            }

            var all = new List<MountSpec> { new MountSpec { Kind = MountKind.Volume, Source = "app-durable", Target = "/dur" } };
            all.AddRange(mounts);
            return new ContainerDetails
            {
                Id = "0123456789abcdef0123",
                Name = "app",
                ImageId = "sha256:old",
                Spec = new ContainerSpec { Name = "app", Image = "app:1", Environment = environment, Mounts = all },
            };
        }

        private static ImageUpgradeOptions Options(string? merge = UserMerge) =>
            new ImageUpgradeOptions { Image = "app:2", MergeFileContent = merge, MergeFileSource = merge == null ? null : "/home/me/upgrade.cpf" };

        /// <summary>Files "inside the container", as the engine's copy would return them; anything else is not found.</summary>
        private static Func<string, CancellationToken, Task<byte[]>> Container(Dictionary<string, string> files, List<string>? asked = null) =>
            (path, token) =>
            {
                asked?.Add(path);
                return files.TryGetValue(path, out string? text)
                    ? Task.FromResult(Encoding.UTF8.GetBytes(text))
                    : Task.FromException<byte[]>(new IrisOpsException(IrisErrorKind.ObjectNotFound, "PathNotFound", $"{path} not found"));
            };

        private static Task<UpgradeMergeFile> Prepare(ContainerDetails node, ImageUpgradeOptions options, Dictionary<string, string> containerFiles, List<string>? warnings = null, List<string>? asked = null) =>
            UpgradeMergeFile.PrepareAsync(node, options, "/backups/app/merge-20261201-120000Z.cpf", Container(containerFiles, asked), warnings ?? new List<string>(), new RecordingReporter(), CancellationToken.None);

        private static int Line(string text, string line) => Array.IndexOf(text.Split('\n'), line);

        [Fact]
        public void A_mounted_merge_file_is_read_from_its_host_source_and_the_mount_source_is_replaced()
        {
            using var folder = new TempFolder();
            string hostFile = folder.Combine("node.cpf");
            File.WriteAllText(hostFile, "[config]\nMaxServers=4\nMaxServerConn=2\n");
            ContainerDetails node = Node("/irisops/config/merge.cpf", new MountSpec { Kind = MountKind.Bind, Source = hostFile, Target = "/irisops/config/merge.cpf", ReadOnly = true });
            var asked = new List<string>();

            UpgradeMergeFile merge = Prepare(node, Options(), new Dictionary<string, string>(), asked: asked).Result;

            Assert.Empty(asked); // read on the host, not from the container
            Assert.Equal("/irisops/config/merge.cpf", merge.Target);
            ContainerSpec spec = ContainerRecreation.NewSpec(node, null, "app:2", merge.HostPath);
            Assert.Equal("/irisops/config/merge.cpf", spec.Environment["ISC_CPF_MERGE_FILE"]);
            MountSpec mount = Assert.Single(spec.Mounts, m => m.Target == "/irisops/config/merge.cpf");
            Assert.Equal(merge.HostPath, mount.Source);
            Assert.True(mount.ReadOnly);
            Assert.DoesNotContain(spec.Mounts, m => m.Target == UpgradeMergeFile.DefaultTarget);
            Assert.Equal(2, spec.Mounts.Count); // the durable volume and the one merge file

            // The node's lines first, the -MergeFile lines after them, so MaxServers=7 is what IRIS applies.
            string text = merge.Text;
            Assert.True(Line(text, "MaxServers=4") >= 0 && Line(text, "MaxServers=4") < Line(text, "MaxServers=7"));
            CpfDocument parsed = CpfParser.Parse(text, "composed");
            Assert.Equal("7", parsed.Get("config", "MaxServers"));
            Assert.Equal("2", parsed.Get("config", "MaxServerConn"));
            Assert.Contains(text.Split('\n'), l => l.StartsWith("# From the node's merge file /irisops/config/merge.cpf (host file " + hostFile, StringComparison.Ordinal));
            int between = Array.FindIndex(text.Split('\n'), l => l == "# From -MergeFile /home/me/upgrade.cpf:");
            Assert.True(between > Line(text, "MaxServerConn=2") && between < Line(text, "MaxServers=7"));
        }

        [Fact]
        public void Without_a_merge_file_the_composed_file_is_mounted_at_the_upgrade_path_and_named_alone()
        {
            ContainerDetails node = Node(null);

            UpgradeMergeFile merge = Prepare(node, Options(), new Dictionary<string, string>()).Result;
            ContainerSpec spec = ContainerRecreation.NewSpec(node, null, "app:2", merge.HostPath);

            Assert.Empty(merge.NodeFiles);
            Assert.Equal(UpgradeMergeFile.DefaultTarget, spec.Environment["ISC_CPF_MERGE_FILE"]);
            Assert.Contains(spec.Mounts, m => m.Source == merge.HostPath && m.Target == UpgradeMergeFile.DefaultTarget && m.ReadOnly);
            Assert.Equal("7", CpfParser.Parse(merge.Text, "composed").Get("config", "MaxServers"));
            Assert.Contains("'/home/me/upgrade.cpf' written as one merge file at '/backups/app/merge-20261201-120000Z.cpf', mounted read-only at /irisops/upgrade/merge.cpf", merge.Describe(), StringComparison.Ordinal);
        }

        [Fact]
        public void A_merge_file_inside_the_image_is_read_from_the_container_and_a_mount_is_added()
        {
            ContainerDetails node = Node("/usr/irissys/merge/app.cpf");
            var asked = new List<string>();

            UpgradeMergeFile merge = Prepare(node, Options(), new Dictionary<string, string> { ["/usr/irissys/merge/app.cpf"] = "[Startup]\nSystemMode=TEST\n[config]\nMaxServers=2\n" }, asked: asked).Result;
            ContainerSpec spec = ContainerRecreation.NewSpec(node, null, "app:2", merge.HostPath);

            Assert.Equal(new[] { "/usr/irissys/merge/app.cpf" }, asked);
            Assert.Equal(UpgradeMergeFile.DefaultTarget, spec.Environment["ISC_CPF_MERGE_FILE"]);
            Assert.Single(spec.Mounts, m => m.Target == UpgradeMergeFile.DefaultTarget && m.Source == merge.HostPath && m.ReadOnly);
            Assert.True(Line(merge.Text, "SystemMode=TEST") < Line(merge.Text, "MaxServers=2"));
            Assert.True(Line(merge.Text, "MaxServers=2") < Line(merge.Text, "MaxServers=7"));
            Assert.Equal("7", CpfParser.Parse(merge.Text, "composed").Get("config", "MaxServers"));
            Assert.StartsWith("the node's merge file /usr/irissys/merge/app.cpf plus '/home/me/upgrade.cpf' composed into one merge file at '/backups/app/merge-20261201-120000Z.cpf'", merge.Describe(), StringComparison.Ordinal);
        }

        [Fact]
        public void An_earlier_comma_list_is_composed_in_order_into_one_file_with_no_comma_left()
        {
            using var folder = new TempFolder();
            string hostFile = folder.Combine("node.cpf");
            File.WriteAllText(hostFile, "[config]\nMaxServers=4\n");
            ContainerDetails node = Node("/config/merge.cpf, /irisops/upgrade/merge.cpf",
                new MountSpec { Kind = MountKind.Bind, Source = hostFile, Target = "/config/merge.cpf", ReadOnly = true },
                new MountSpec { Kind = MountKind.Bind, Source = folder.Combine("gone-from-this-machine.cpf"), Target = UpgradeMergeFile.DefaultTarget, ReadOnly = true });
            var containerFiles = new Dictionary<string, string> { [UpgradeMergeFile.DefaultTarget] = "[config]\nMaxServers=5\n[Actions]\nCreateResource:Name=%DB_APP\n" };

            UpgradeMergeFile merge = Prepare(node, Options(), containerFiles).Result;
            ContainerSpec spec = ContainerRecreation.NewSpec(node, null, "app:2", merge.HostPath);

            Assert.Equal(new[] { "/config/merge.cpf", UpgradeMergeFile.DefaultTarget }, merge.NodeFiles);
            Assert.Equal(UpgradeMergeFile.DefaultTarget, spec.Environment["ISC_CPF_MERGE_FILE"]);
            Assert.DoesNotContain(",", spec.Environment["ISC_CPF_MERGE_FILE"], StringComparison.Ordinal);
            Assert.Equal(merge.HostPath, Assert.Single(spec.Mounts, m => m.Target == UpgradeMergeFile.DefaultTarget).Source);
            Assert.Contains(spec.Mounts, m => m.Target == "/config/merge.cpf" && m.Source == hostFile); // left as it was
            Assert.True(Line(merge.Text, "MaxServers=4") < Line(merge.Text, "MaxServers=5"));
            Assert.True(Line(merge.Text, "MaxServers=5") < Line(merge.Text, "MaxServers=7"));
            Assert.Contains("CreateResource:Name=%DB_APP", merge.Text.Split('\n'));

            // Without -MergeFile a comma list is still turned into one file.
            Assert.True(UpgradeMergeFile.IsNeeded(node.Spec, Options(null)));
            UpgradeMergeFile only = Prepare(node, Options(null), containerFiles).Result;
            Assert.Null(only.UserSource);
            Assert.DoesNotContain("MaxServers=7", only.Text, StringComparison.Ordinal);
            Assert.True(Line(only.Text, "MaxServers=4") < Line(only.Text, "MaxServers=5"));
            Assert.StartsWith("the node's merge files /config/merge.cpf, /irisops/upgrade/merge.cpf composed into one merge file", only.Describe(), StringComparison.Ordinal);
        }

        [Fact]
        public void Nothing_is_composed_for_a_single_path_without_MergeFile_and_a_missing_node_file_is_left_out_with_a_warning()
        {
            Assert.False(UpgradeMergeFile.IsNeeded(Node("/config/merge.cpf").Spec, Options(null)));
            Assert.False(UpgradeMergeFile.IsNeeded(Node(null).Spec, Options(null)));

            var warnings = new List<string>();
            UpgradeMergeFile merge = Prepare(Node("/config/missing.cpf"), Options(), new Dictionary<string, string>(), warnings).Result;

            Assert.Contains("/config/missing.cpf", Assert.Single(warnings), StringComparison.Ordinal);
            Assert.Equal("7", CpfParser.Parse(merge.Text, "composed").Get("config", "MaxServers"));
        }

        [Fact]
        public void A_node_merge_file_with_a_syntax_error_is_refused_naming_it()
        {
            var ex = Assert.ThrowsAsync<CpfSyntaxException>(() => Prepare(Node("/config/merge.cpf"), Options(), new Dictionary<string, string> { ["/config/merge.cpf"] = "[config\nMaxServers=4\n" })).Result;
            Assert.Contains("app:/config/merge.cpf line 1", ex.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void The_composed_file_is_written_where_the_plan_says_and_the_steps_say_so()
        {
            using var folder = new TempFolder();
            string backupFolder = folder.Combine("app", "20261201-120000Z");
            string hostPath = UpgradeMergeFile.HostPathFor(backupFolder);
            Assert.Equal(folder.Combine("app", "merge-20261201-120000Z.cpf"), hostPath);
            UpgradeMergeFile merge = UpgradeMergeFile.PrepareAsync(Node("/config/merge.cpf"), Options(), hostPath,
                Container(new Dictionary<string, string> { ["/config/merge.cpf"] = "[config]\nMaxServers=4\n" }), new List<string>(), new RecordingReporter(), CancellationToken.None).Result;

            merge.Write();
            Assert.Equal(merge.Text, File.ReadAllText(hostPath));

            var node = new NodeStepInput { Container = "app", Running = true, BackupMounts = { "'/dur' (volume app-durable)" }, BackupFolder = backupFolder, MergeFile = merge };
            string create = UpgradePlanner.Steps(node, Options()).Single(s => s.StartsWith("create 'app'", StringComparison.Ordinal));
            Assert.Contains($"the node's merge file /config/merge.cpf plus '/home/me/upgrade.cpf' composed into one merge file at '{hostPath}' (the -MergeFile lines last, so they win), mounted read-only at /irisops/upgrade/merge.cpf", create, StringComparison.Ordinal);
            Assert.Contains("ISC_CPF_MERGE_FILE=/irisops/upgrade/merge.cpf", create, StringComparison.Ordinal);
            Assert.DoesNotContain("appended", create, StringComparison.Ordinal);
        }
    }
}
