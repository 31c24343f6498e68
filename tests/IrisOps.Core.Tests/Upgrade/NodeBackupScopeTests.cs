using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>NodeBackupScope: databases in no mount are refused unless the new image ships them at that directory.</summary>
    public class NodeBackupScopeTests
    {
        private static readonly ImageDetails NewImage = new ImageDetails { Id = "sha256:new", Environment = new List<string> { "ISC_PACKAGE_INSTALLDIR=/usr/irissys" } };

        private static NodeInspection Node() => new NodeInspection(new UpgradeTarget("app"))
        {
            InWritableLayer = new List<InstanceDirectory>
            {
                new InstanceDirectory("/opt/app/code/", "database APPCODE", "APPCODE"),
                new InstanceDirectory("/opt/app/data/", "database APPDATA", "APPDATA"),
            },
        };

        [Fact]
        public void A_database_the_new_image_ships_at_the_same_directory_passes_and_another_is_refused_by_name()
        {
            NodeInspection node = Node();

            NodeBackupScope.CheckAgainstImage(node, new ImageCpf(CpfParser.Parse("[Databases]\nAPPCODE=/opt/app/code/\n", "image.cpf"), null), NewImage);

            PreflightProblem problem = Assert.Single(node.Problems);
            Assert.Equal("InstanceDirectoryNotMounted", problem.ErrorId);
            Assert.Contains("database APPDATA at '/opt/app/data/'", problem.Message, System.StringComparison.Ordinal);
            Assert.Contains("Data Integrity Guide, \"Cold Backup\"", problem.Message, System.StringComparison.Ordinal);
        }

        [Fact]
        public void Without_the_image_cpf_every_such_database_is_refused_with_the_reason()
        {
            NodeInspection node = Node();

            NodeBackupScope.CheckAgainstImage(node, new ImageCpf(null, "no such file"), NewImage);

            Assert.Equal(2, node.Problems.Count);
            Assert.All(node.Problems, p => Assert.EndsWith("could not be read to see whether it ships this database: no such file)", p.Message, System.StringComparison.Ordinal));
        }
    }
}
