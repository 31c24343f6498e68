using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Cpf;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>CodeDatabaseTrap: a code database that durable %SYS cloned, so a new image's code would be ignored.</summary>
    public class CodeDatabaseTrapTests
    {
        private static CpfDocument Cpf(string text) => CpfParser.Parse(text, "test.cpf");

        private const string ImageCpf = "[Databases]\nIRISSYS=/usr/irissys/mgr/\nUSER=/usr/irissys/mgr/user/\nAPPCODE=/usr/irissys/mgr/APPCODE/\nAPPDATA=/usr/irissys/mgr/APPDATA/\nLIBCODE=/home/irisowner/mgr/libcode/\n";

        [Fact]
        public void The_trap_is_an_application_database_on_durable_storage_that_the_new_image_ships()
        {
            // As reported by users: APPCODE and APPDATA were cloned to /durable/iconfig/mgr on the first start.
            CpfDocument durable = Cpf("[Databases]\nIRISSYS=/durable/iconfig/mgr/\nUSER=/durable/iconfig/mgr/user/\nAPPCODE=/durable/iconfig/mgr/APPCODE/\nAPPDATA=/durable/iconfig/mgr/APPDATA/\nLIBCODE=/home/irisowner/mgr/libcode/\nREMOTE=/data/remote/,dataserver\n");

            IReadOnlyList<CodeDatabaseFinding> findings = CodeDatabaseTrap.Find(durable, Cpf(ImageCpf), new[] { "/durable", "/durable/iconfig" });

            // APPDATA is reported too: the image ships it, so any code or defaults in its new copy are ignored as well.
            Assert.Equal(new[] { "APPCODE", "APPDATA" }, findings.Select(f => f.Database));
            Assert.Equal("/durable/iconfig/mgr/APPCODE/", findings[0].DurableDirectory);
            Assert.Equal("/usr/irissys/mgr/APPCODE/", findings[0].ImageDirectory);
            Assert.Contains("would be ignored", findings[0].ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void The_remedy_code_read_only_in_the_image_and_data_created_on_durable_storage_is_not_reported()
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
    }
}
