using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>The pure parts of Update-IrisApplicationImage: archives and manifests, the trap check, ordering, steps, re-creation.</summary>
    public class UpgradeTests
    {
        private static string Sha(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

        // An archive written by .NET's own tar writer (independent of the reader under test).
        private static byte[] Archive(TarEntryFormat format, IDictionary<string, byte[]> files, string longName)
        {
            using var buffer = new MemoryStream();
            using (var writer = new TarWriter(buffer, format, leaveOpen: true))
            {
                writer.WriteEntry(Directory(format, "dur/"));
                writer.WriteEntry(Directory(format, "dur/iconfig/"));
                foreach (KeyValuePair<string, byte[]> file in files)
                {
                    TarEntry entry = format == TarEntryFormat.Pax ? new PaxTarEntry(TarEntryType.RegularFile, file.Key)
                        : format == TarEntryFormat.Gnu ? new GnuTarEntry(TarEntryType.RegularFile, file.Key)
                        : new UstarTarEntry(TarEntryType.RegularFile, file.Key);
                    entry.Uid = 51773;
                    entry.Gid = 51773;
                    entry.Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
                    entry.DataStream = new MemoryStream(file.Value);
                    writer.WriteEntry(entry);
                }

                TarEntry link = format == TarEntryFormat.Pax ? new PaxTarEntry(TarEntryType.SymbolicLink, "dur/iconfig/latest")
                    : format == TarEntryFormat.Gnu ? new GnuTarEntry(TarEntryType.SymbolicLink, "dur/iconfig/latest")
                    : new UstarTarEntry(TarEntryType.SymbolicLink, "dur/iconfig/latest");
                link.LinkName = format == TarEntryFormat.Ustar ? "iris.cpf" : longName; // ustar links are limited to 100 characters
                writer.WriteEntry(link);
            }

            return buffer.ToArray();
        }

        private static TarEntry Directory(TarEntryFormat format, string name)
        {
            TarEntry entry = format == TarEntryFormat.Pax ? new PaxTarEntry(TarEntryType.Directory, name)
                : format == TarEntryFormat.Gnu ? new GnuTarEntry(TarEntryType.Directory, name)
                : new UstarTarEntry(TarEntryType.Directory, name);
            entry.Uid = 51773;
            entry.Gid = 51773;
            entry.Mode = (UnixFileMode)Convert.ToInt32("755", 8);
            return entry;
        }

        private static Dictionary<string, byte[]> SampleFiles(string longName)
        {
            var random = new Random(7);
            var big = new byte[70_001];
            random.NextBytes(big);
            return new Dictionary<string, byte[]>
            {
                ["dur/iconfig/iris.cpf"] = Encoding.UTF8.GetBytes("[Databases]\nUSER=/dur/iconfig/mgr/user/\n"),
                ["dur/iconfig/mgr/IRIS.DAT"] = big,
                ["dur/iconfig/empty"] = Array.Empty<byte>(),
                [longName] = Encoding.UTF8.GetBytes("deep"),
            };
        }

        [Theory]
        [InlineData(TarEntryFormat.Pax)]
        [InlineData(TarEntryFormat.Gnu)]
        [InlineData(TarEntryFormat.Ustar)]
        public void Scan_lists_every_entry_with_the_sha256_of_its_content_and_of_the_whole_archive(TarEntryFormat format)
        {
            // Ustar keeps names up to 255 characters through its prefix field; PAX and GNU take longer ones.
            string longName = "dur/iconfig/" + string.Join("/", Enumerable.Repeat(format == TarEntryFormat.Ustar ? "d123456789" : "directory-with-a-long-name", 8)) + "/file.dat";
            Dictionary<string, byte[]> files = SampleFiles(longName);
            byte[] archive = Archive(format, files, longName);

            (IList<BackupManifestEntry> entries, string archiveSha, long bytes) = BackupManifest.Scan(new MemoryStream(archive));

            Assert.Equal(Sha(archive), archiveSha);
            Assert.Equal(archive.Length, bytes);
            Assert.Equal(new[] { "dur", "dur/iconfig" }, entries.Where(e => e.Kind == TarEntryKind.Directory).Select(e => e.Path));
            foreach (KeyValuePair<string, byte[]> file in files)
            {
                BackupManifestEntry entry = Assert.Single(entries, e => e.Path == file.Key);
                Assert.Equal(TarEntryKind.File, entry.Kind);
                Assert.Equal(file.Value.Length, entry.Size);
                Assert.Equal(Sha(file.Value), entry.Sha256);
                Assert.Equal(51773, entry.Uid);
                Assert.Equal(Convert.ToInt32("640", 8), entry.Mode & 0xFFF);
            }

            BackupManifestEntry link = Assert.Single(entries, e => e.Kind == TarEntryKind.SymbolicLink);
            Assert.Equal(format == TarEntryFormat.Ustar ? "iris.cpf" : longName, link.LinkTarget);
        }

        [Fact]
        public void A_damaged_or_truncated_archive_is_refused()
        {
            string longName = "dur/iconfig/x.dat";
            byte[] archive = Archive(TarEntryFormat.Pax, SampleFiles(longName), longName);
            byte[] headerDamaged = (byte[])archive.Clone();
            headerDamaged[10] ^= 0x40; // inside the first header's name: the checksum no longer matches
            Assert.Throws<InvalidDataException>(() => BackupManifest.Scan(new MemoryStream(headerDamaged)));
            Assert.Throws<InvalidDataException>(() => BackupManifest.Scan(new MemoryStream(archive.Take(archive.Length / 2 + 100).ToArray())));
        }

        [Fact]
        public void A_manifest_round_trips_through_its_json_and_VerifyBackup_accepts_the_intact_backup_and_names_a_changed_file()
        {
            using var folder = new TempFolder();
            string longName = "dur/iconfig/" + new string('n', 120);
            byte[] archive = Archive(TarEntryFormat.Pax, SampleFiles(longName), longName);
            File.WriteAllBytes(folder.Combine(DurableBackup.ArchiveFileName), archive);
            (IList<BackupManifestEntry> entries, string sha, long bytes) = BackupManifest.Scan(new MemoryStream(archive));
            var manifest = new BackupManifest
            {
                Container = "node", Image = "app:1", ContainerPath = "/dur", Source = "volume:node-durable", DataDirectory = "/dur/iconfig",
                CreatedUtc = new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), ArchiveFile = DurableBackup.ArchiveFileName,
                ArchiveSha256 = sha, ArchiveBytes = bytes, Entries = entries,
            };
            File.WriteAllText(folder.Combine(DurableBackup.ManifestFileName), manifest.ToJson());

            BackupManifest parsed = BackupManifest.Parse(File.ReadAllText(folder.Combine(DurableBackup.ManifestFileName)), "manifest.json");
            Assert.Equal(manifest.ArchiveSha256, parsed.ArchiveSha256);
            Assert.Equal(manifest.CreatedUtc, parsed.CreatedUtc);
            Assert.Equal("volume:node-durable", parsed.Source);
            Assert.Empty(BackupManifest.Compare(manifest.Entries, parsed.Entries));
            Assert.Empty(DurableBackup.Verify(folder.Path));

            // One byte of IRIS.DAT's content changes on disk: the archive checksum and that file are reported.
            byte[] damaged = (byte[])archive.Clone();
            int at = IndexOf(damaged, SampleFiles(longName)["dur/iconfig/mgr/IRIS.DAT"].Take(64).ToArray()) + 10;
            damaged[at] ^= 0xFF;
            File.WriteAllBytes(folder.Combine(DurableBackup.ArchiveFileName), damaged);
            IReadOnlyList<string> problems = DurableBackup.Verify(folder.Path);
            Assert.Contains(problems, p => p.Contains("SHA-256", StringComparison.Ordinal) && p.StartsWith("the archive", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Contains("'dur/iconfig/mgr/IRIS.DAT' has different content", StringComparison.Ordinal));
        }

        [Fact]
        public void Parse_refuses_a_damaged_manifest_with_its_name()
        {
            var ex = Assert.Throws<InvalidDataException>(() => BackupManifest.Parse("{\"format\":1}", "/backups/manifest.json"));
            Assert.Contains("/backups/manifest.json", ex.Message, StringComparison.Ordinal);
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i <= haystack.Length - needle.Length; i++)
            {
                if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                {
                    return i;
                }
            }

            throw new InvalidOperationException("not found");
        }

        [Fact]
        public void Compare_reports_missing_extra_changed_and_re_owned_entries()
        {
            BackupManifestEntry File(string path, string sha, int mode = 0x1A4, int uid = 51773) =>
                new BackupManifestEntry { Path = path, Kind = TarEntryKind.File, Size = 1, Sha256 = sha, Mode = mode, Uid = uid, Gid = 51773 };
            var expected = new[] { File("a", "11"), File("b", "22"), File("c", "33"), File("d", "44") };
            var actual = new[] { File("a", "11"), File("b", "99"), File("c", "33", uid: 0), File("e", "55") };

            IReadOnlyList<string> problems = BackupManifest.Compare(expected, actual);

            Assert.Equal(4, problems.Count);
            Assert.Contains("'b' has different content", problems[0], StringComparison.Ordinal);
            Assert.Contains("'c' has mode 644 owner 0:51773", problems[1], StringComparison.Ordinal);
            Assert.Equal("'d' is missing", problems[2]);
            Assert.Equal("'e' is not in the backup", problems[3]);
            Assert.Empty(BackupManifest.Compare(expected, expected));
        }

        // ---- the seed 002 code-database trap ----

        private static CpfDocument Cpf(string text) => CpfParser.Parse(text, "test.cpf");

        private const string ImageCpf = "[Databases]\nIRISSYS=/usr/irissys/mgr/\nUSER=/usr/irissys/mgr/user/\nAPPCODE=/usr/irissys/mgr/APPCODE/\nAPPDATA=/usr/irissys/mgr/APPDATA/\nLIBCODE=/home/irisowner/mgr/libcode/\n";

        [Fact]
        public void The_trap_is_an_application_database_on_durable_storage_that_the_new_image_ships()
        {
            // Seed 002 as reported: APPCODE and APPDATA were cloned to /durable/iconfig/mgr on the first start.
            CpfDocument durable = Cpf("[Databases]\nIRISSYS=/durable/iconfig/mgr/\nUSER=/durable/iconfig/mgr/user/\nAPPCODE=/durable/iconfig/mgr/APPCODE/\nAPPDATA=/durable/iconfig/mgr/APPDATA/\nLIBCODE=/home/irisowner/mgr/libcode/\nREMOTE=/data/remote/,dataserver\n");

            IReadOnlyList<CodeDatabaseFinding> findings = CodeDatabaseTrap.Find(durable, Cpf(ImageCpf), new[] { "/durable", "/durable/iconfig" });

            // APPDATA is reported too: the image ships it, so any code or defaults in its new copy are ignored as well.
            Assert.Equal(new[] { "APPCODE", "APPDATA" }, findings.Select(f => f.Database));
            Assert.Equal("/durable/iconfig/mgr/APPCODE/", findings[0].DurableDirectory);
            Assert.Equal("/usr/irissys/mgr/APPCODE/", findings[0].ImageDirectory);
            Assert.Contains("would be ignored", findings[0].ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void The_remedy_of_seed_002_code_read_only_in_the_image_and_data_created_on_durable_storage_is_not_reported()
        {
            // APPCODE stays inside the image; APPDATA and APPCONFIG exist only on durable storage.
            CpfDocument durable = Cpf("[Databases]\nIRISSYS=/durable/iconfig/mgr/\nAPPCODE=/home/irisowner/mgr/appcode/\nAPPDATA=/durable/iconfig/APPDATA/\nAPPCONFIG=/durable/iconfig/APPCONFIG/\n");
            CpfDocument image = Cpf("[Databases]\nIRISSYS=/usr/irissys/mgr/\nAPPCODE=/home/irisowner/mgr/appcode/\n");

            Assert.Empty(CodeDatabaseTrap.Find(durable, image, new[] { "/durable/iconfig" }));
        }

        [Fact]
        public void Instance_databases_remote_databases_and_image_entries_pointing_at_durable_storage_are_never_reported()
        {
            CpfDocument durable = Cpf("[Databases]\nIRISSYS=/dur/iconfig/mgr/\nIRISAUDIT=/dur/iconfig/mgr/irisaudit/\nuser=/dur/iconfig/mgr/user/\nSHARED=/dur/shared/,ds1\nCONF=/dur/conf/\n");
            CpfDocument image = Cpf("[Databases]\nIRISSYS=/usr/irissys/mgr/\nIRISAUDIT=/usr/irissys/mgr/irisaudit/\nUSER=/usr/irissys/mgr/user/\nSHARED=/usr/irissys/mgr/shared/\nCONF=/dur/conf/\n");

            Assert.Empty(CodeDatabaseTrap.Find(durable, image, new[] { "/dur" }));
        }

        // ---- order and steps ----

        [Fact]
        public void Order_puts_application_servers_one_after_another_and_the_data_server_last_by_default()
        {
            var targets = new[]
            {
                new UpgradeTarget("c1-data", "c1", UpgradeNodeRole.Data),
                new UpgradeTarget("solo"),
                new UpgradeTarget("c1-app2", "c1", UpgradeNodeRole.Application),
                new UpgradeTarget("c2-app1", "c2", UpgradeNodeRole.Application),
                new UpgradeTarget("c1-app1", "c1", UpgradeNodeRole.Application),
                new UpgradeTarget("c2-data", "c2", UpgradeNodeRole.Data),
                new UpgradeTarget("c1-app2", "c1", UpgradeNodeRole.Application),
            };

            Assert.Equal(new[] { "c1-app2", "c1-app1", "c1-data", "solo", "c2-app1", "c2-data" },
                UpgradePlanner.Order(targets, DataServerOrder.Last).Select(t => t.Container));
            Assert.Equal(new[] { "c1-data", "c1-app2", "c1-app1", "solo", "c2-data", "c2-app1" },
                UpgradePlanner.Order(targets, DataServerOrder.First).Select(t => t.Container));
            Assert.Equal(DataServerOrder.Last, new ImageUpgradeOptions().DataServerOrder);
        }

        [Fact]
        public void Steps_say_exactly_what_happens_to_a_node()
        {
            var node = new NodeStepInput { Container = "app1", Running = true, DurableMount = "/dur", DurableSource = "volume app1-durable", BackupFolder = "/b/app1/t" };
            var options = new ImageUpgradeOptions { Image = "app:2", StopTimeout = TimeSpan.FromSeconds(330), HealthTimeout = TimeSpan.FromSeconds(60) };

            IReadOnlyList<string> steps = UpgradePlanner.Steps(node, options);

            Assert.StartsWith("stop container 'app1'", steps[0], StringComparison.Ordinal);
            Assert.Contains("330 s", steps[0], StringComparison.Ordinal);
            Assert.Contains("clean", steps[1], StringComparison.Ordinal);
            Assert.Contains("back up '/dur' (volume app1-durable) to '/b/app1/t'", steps[2], StringComparison.Ordinal);
            Assert.Equal("rename 'app1' to 'app1-irisops-previous'", steps[3]);
            Assert.Contains("from image 'app:2'", steps[4], StringComparison.Ordinal);
            Assert.Contains("60 s", steps[5], StringComparison.Ordinal);
            Assert.Equal("remove the old container 'app1-irisops-previous'", steps[6]);
            Assert.StartsWith("on any failure or Ctrl+C", steps[7], StringComparison.Ordinal);

            options.SkipBackup = true;
            options.KeepPrevious = true;
            options.PostUpgradeScript = "do ##class(Ens.Director).UpdateProduction()";
            options.Namespace = "APP";
            steps = UpgradePlanner.Steps(node, options);
            Assert.Contains(steps, s => s.StartsWith("take NO backup", StringComparison.Ordinal));
            Assert.Contains(steps, s => s.Contains("iris session IRIS -U APP", StringComparison.Ordinal));
            Assert.Contains(steps, s => s.StartsWith("keep the old container as 'app1-irisops-previous'", StringComparison.Ordinal));
        }

        // ---- re-creating the container ----

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
            Assert.Null(spec.HostName); // the engine's generated host name (the old id) is not configuration
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

        [Fact]
        public void The_durable_mount_is_the_deepest_writable_mount_holding_ISC_DATA_DIRECTORY()
        {
            var mounts = new List<MountSpec>
            {
                new MountSpec { Kind = MountKind.Volume, Source = "outer", Target = "/dur" },
                new MountSpec { Kind = MountKind.Bind, Source = "/srv/inner", Target = "/dur/iconfig" },
                new MountSpec { Kind = MountKind.Tmpfs, Target = "/dur/iconfig/tmp" },
                new MountSpec { Kind = MountKind.Bind, Source = "/srv/ro", Target = "/ro", ReadOnly = true },
            };

            Assert.Equal("inner", UpgradePreflight.FindMount(mounts, "/dur/iconfig")!.Source.Substring(5));
            Assert.Equal("outer", UpgradePreflight.FindMount(mounts, "/dur/other")!.Source);
            Assert.Null(UpgradePreflight.FindMount(mounts, "/durable/iconfig"));
            Assert.Null(UpgradePreflight.FindMount(mounts, "/ro/iconfig"));
            Assert.Equal("/srv/inner", UpgradePreflight.FindMount(mounts, "/dur/iconfig/tmp/x")!.Source);
        }
    }
}
