using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Productions;
using IrisOps.Tests.Docker;
using Xunit;

namespace IrisOps.Tests.Productions
{
    public class ConfigurationStorageTests
    {
        private static readonly List<MountSpec> Mounts = new List<MountSpec>
        {
            new MountSpec { Kind = MountKind.Volume, Source = "durable", Target = "/durable" },
            new MountSpec { Kind = MountKind.Bind, Source = "/srv/ro", Target = "/ro", ReadOnly = true },
        };

        private static IList<string> Check(string cpf, string ns = "APP") =>
            ConfigurationStorage.Check(CpfParser.Parse(cpf, "iris.cpf").Resolve(), ns, "data", Mounts, "FIX");

        private const string Databases = "[Databases]\nAPPDATA=/durable/iconfig/mgr/appdata/\nAPPCODE=/home/irisowner/mgr/appcode/\nAPPCONFIG=/durable/iconfig/mgr/appconfig/\nREMOTE=/x/,dataserver\nROCONF=/ro/conf/\n";

        [Fact]
        public void Mapped_to_a_database_on_a_mount_no_warning()
        {
            Assert.Empty(Check("[Namespaces]\nAPP=APPCODE,APPCODE\n" + Databases + "[Map.APP]\nGlobal_Ens.Config.*=APPCONFIG\nGlobal_Ens.AutoStart=APPCODE\n"));
            Assert.Empty(Check("[Namespaces]\nAPP=APPDATA,APPCODE\n" + Databases));
        }

        [Fact]
        public void The_default_database_inside_the_image_is_a_warning_with_the_fix()
        {
            string warning = Assert.Single(Check("[Namespaces]\napp=APPCODE,APPCODE\n" + Databases + "[Map.APP]\nGlobal_Ens.AutoStart=APPDATA\n"));
            Assert.Contains("database APPCODE (/home/irisowner/mgr/appcode/)", warning);
            Assert.Contains("lost with the next image", warning);
            Assert.EndsWith("FIX", warning);
        }

        [Fact]
        public void The_most_specific_covering_mapping_wins_and_narrower_ones_count_too()
        {
            string cpf = "[Namespaces]\nAPP=APPDATA,APPCODE\n" + Databases + "[Map.APP]\nGlobal_Ens*=APPCODE\nGlobal_Ens.Config*=APPCONFIG\nGlobal_Ens.Config.ItemD=ROCONF\n";
            Assert.Equal(new[] { "APPCONFIG", "ROCONF" }, ConfigurationStorage.Databases(CpfParser.Parse(cpf, "x").Resolve(), "APP", "APPDATA").ToArray());
            Assert.Contains("database ROCONF", Assert.Single(Check(cpf)));
        }

        [Fact]
        public async Task Without_durable_sys_everything_is_lost_and_an_unreadable_cpf_is_said()
        {
            var engine = new NoFilesEngine();
            var inside = new ContainerDetails { Name = "data" };
            string warning = Assert.Single(await ConfigurationStorage.CheckAsync(engine, inside, "APP", CancellationToken.None));
            Assert.Contains("does not use durable %SYS", warning);
            Assert.Contains("lost with the next image", warning);
            Assert.Empty(engine.Paths);

            var durable = new ContainerDetails { Name = "data", Spec = new ContainerSpec { Environment = new Dictionary<string, string> { ["ISC_DATA_DIRECTORY"] = "/durable/iconfig" } } };
            warning = Assert.Single(await ConfigurationStorage.CheckAsync(engine, durable, "APP", CancellationToken.None));
            Assert.StartsWith("Could not read /durable/iconfig/iris.cpf in 'data'", warning);
            Assert.Equal(new[] { "/durable/iconfig/iris.cpf" }, engine.Paths);
        }

        private sealed class NoFilesEngine : UnsupportedDockerEngine
        {
            public List<string> Paths { get; } = new List<string>();

            public override Task CopyFromContainerAsync(string nameOrId, string path, Stream destination, CancellationToken cancellationToken)
            {
                Paths.Add(path);
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "DockerObjectNotFound", "No such file: " + path);
            }
        }

        [Fact]
        public void A_remote_database_is_the_data_server_s_business_and_an_unknown_namespace_is_said()
        {
            Assert.Empty(Check("[Namespaces]\nAPP=REMOTE\n" + Databases));
            Assert.Contains("no namespace APP", Assert.Single(Check("[Namespaces]\nUSER=APPDATA\n" + Databases)));
        }
    }
}
