using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>BackupScope: the directories the durable iris.cpf names, and the mounts that hold them.</summary>
    public class BackupScopeTests
    {
        private static readonly List<MountSpec> Mounts = new List<MountSpec>
        {
            new MountSpec { Kind = MountKind.Volume, Source = "durable", Target = "/dur" },
            new MountSpec { Kind = MountKind.Bind, Source = "/srv/journal", Target = "/journal" },
            new MountSpec { Kind = MountKind.Bind, Source = "/srv/journal2", Target = "/journal/alt" },
            new MountSpec { Kind = MountKind.Volume, Source = "wij", Target = "/wij" },
            new MountSpec { Kind = MountKind.Bind, Source = "/srv/code", Target = "/code", ReadOnly = true },
            new MountSpec { Kind = MountKind.Tmpfs, Target = "/dur/iconfig/tmp" },
            new MountSpec { Kind = MountKind.Bind, Source = "/srv/unused", Target = "/unused" },
        };

        private static CpfDocument Cpf(string text) => CpfParser.Parse(text, "test.cpf");

        [Fact]
        public void Every_directory_the_cpf_names_is_collected_with_the_documented_defaults()
        {
            CpfDocument cpf = Cpf("[Databases]\nIRISSYS=/dur/iconfig/mgr/\nUSER=/dur/iconfig/mgr/user/\nAPP=appdb\nREMOTE=/x/,dataserver\n[Journal]\nCurrentDirectory=\nAlternateDirectory=/journal/alt/\n[config]\nwijdir=\n");

            IReadOnlyList<InstanceDirectory> directories = BackupScope.Directories(cpf, "/dur/iconfig");

            Assert.Equal(new[] { "/dur/iconfig/", "/dur/iconfig/mgr/", "/dur/iconfig/mgr/user/", "/dur/iconfig/mgr/appdb/", "/dur/iconfig/mgr/journal/", "/journal/alt/", "/dur/iconfig/mgr/" },
                directories.Select(d => d.Path));
            Assert.Equal(new[] { null, "IRISSYS", "USER", "APP", null, null, null }, directories.Select(d => d.Database));
        }

        [Theory]
        [InlineData("/dur/iconfig/mgr/", "/dur")]
        [InlineData("/journal/primary", "/journal")]
        [InlineData("/journal/alt/", "/journal/alt")]
        [InlineData("/journal/alternate/", "/journal")]
        [InlineData("/dur/iconfig/tmp/x/", "/dur/iconfig/tmp")]
        [InlineData("/code/app/", "/code")]
        [InlineData("/durable/x/", null)]
        [InlineData("/usr/irissys/mgr/irislib/", null)]
        public void A_directory_maps_to_the_mount_with_the_longest_target_prefix(string directory, string? target)
        {
            Assert.Equal(target, BackupScope.MountFor(Mounts, directory)?.Target);
        }

        [Fact]
        public void The_backup_archives_each_writable_mount_holding_a_directory_once_and_names_the_unmounted_ones()
        {
            CpfDocument cpf = Cpf("[Databases]\nIRISSYS=/dur/iconfig/mgr/\nIRISLIB=/usr/irissys/mgr/irislib/\nCODE=/code/app/\nSCRATCH=/dur/iconfig/tmp/db/\nLAYER=/opt/app/db/\n[Journal]\nCurrentDirectory=/journal/primary/\nAlternateDirectory=/journal/alt/\n[config]\nwijdir=/wij/\n");

            (IReadOnlyList<MountSpec> mounts, IReadOnlyList<InstanceDirectory> unmounted) = BackupScope.Map(Mounts, BackupScope.Directories(cpf, "/dur/iconfig"));

            Assert.Equal(new[] { "/dur", "/journal", "/journal/alt", "/wij" }, mounts.Select(m => m.Target));
            Assert.Equal(new[] { "IRISLIB", "LAYER" }, unmounted.Select(d => d.Database));
            Assert.Equal(new[] { ("/journal", "/journal/alt") }, BackupScope.Nested(mounts).Select(p => (p.Outer.Target, p.Inner.Target)));
        }

        [Fact]
        public void A_journal_or_WIJ_directory_outside_every_mount_is_instance_data()
        {
            CpfDocument cpf = Cpf("[Journal]\nCurrentDirectory=/var/journal/\nAlternateDirectory=/dur/j2/\n[config]\nwijdir=/var/wij/\n");

            (IReadOnlyList<MountSpec> _, IReadOnlyList<InstanceDirectory> unmounted) = BackupScope.Map(Mounts, BackupScope.Directories(cpf, "/dur/iconfig"));
            IReadOnlyList<InstanceDirectory> lost = BackupScope.NotFromImage(unmounted, "/usr/irissys", Cpf("[Databases]\nX=/var/journal/\n"));

            Assert.Equal(new[] { "/var/journal/", "/var/wij/" }, lost.Select(d => d.Path));
            Assert.All(lost, d => Assert.Null(d.Database));
        }

        [Fact]
        public void Databases_the_image_ships_at_the_same_directory_and_the_installation_libraries_come_with_the_image()
        {
            var unmounted = new[]
            {
                new InstanceDirectory("/usr/irissys/mgr/irislib/", "database IRISLIB", "IRISLIB"),
                new InstanceDirectory("/usr/irissys/mgr/iristemp/", "database IRISTEMP", "IRISTEMP"),
                new InstanceDirectory("/opt/app/code/", "database APPCODE", "APPCODE"),
                new InstanceDirectory("/opt/app/moved/", "database APPDATA", "APPDATA"),
                new InstanceDirectory("/opt/app/other/", "database OTHER", "OTHER"),
                new InstanceDirectory("/elsewhere/irislib/", "database IRISLIB", "IRISLIB"),
            };
            CpfDocument image = Cpf("[Databases]\nappcode=/opt/app/code\nAPPDATA=/opt/app/data/\n");

            Assert.Equal(new[] { "APPDATA", "OTHER", "IRISLIB" }, BackupScope.NotFromImage(unmounted, "/usr/irissys", image).Select(d => d.Database));
            Assert.Equal(new[] { "APPCODE", "APPDATA", "OTHER", "IRISLIB" }, BackupScope.NotFromImage(unmounted, "/usr/irissys/", null).Select(d => d.Database));
        }

        [Theory]
        [InlineData("/dur", "dur")]
        [InlineData("/irisops/journal/", "irisops-journal")]
        [InlineData("/", "root")]
        public void A_mount_is_labelled_by_its_container_path(string target, string label)
        {
            Assert.Equal(label, DurableBackup.Label(new MountSpec { Target = target }));
        }
    }
}
