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

        // APP keeps its routines in APPCODE and its globals in APPDATA; APPCONFIG holds settings; SALES keeps both in one database.
        private const string ImageCpf = "[Databases]\nIRISSYS=/usr/irissys/mgr/\nUSER=/usr/irissys/mgr/user/\nAPPCODE=/usr/irissys/mgr/APPCODE/\nAPPDATA=/usr/irissys/mgr/APPDATA/\nAPPCONFIG=/usr/irissys/mgr/APPCONFIG/\nLIBCODE=/usr/irissys/mgr/libcode/\nSALES=/usr/irissys/mgr/sales/\n" +
            "[Namespaces]\n%SYS=IRISSYS\nUSER=USER\nAPP=APPDATA,APPCODE\nSALES=SALES\n";

        private const string DurableCpf = "[Databases]\nIRISSYS=/durable/iconfig/mgr/\nUSER=/durable/iconfig/mgr/user/\nAPPCODE=/durable/iconfig/mgr/APPCODE/\nAPPDATA=/durable/iconfig/mgr/APPDATA/\nAPPCONFIG=/durable/iconfig/mgr/APPCONFIG/\nLIBCODE=/durable/iconfig/mgr/libcode/\nSALES=/durable/iconfig/mgr/sales/\nREMOTE=/data/remote/,dataserver\n";

        private static readonly string[] Roots = { "/durable", "/durable/iconfig" };

        [Fact]
        public void The_trap_is_the_routines_database_of_a_namespace_cloned_to_durable_storage()
        {
            IReadOnlyList<CodeDatabaseFinding> findings = CodeDatabaseTrap.Find(Cpf(DurableCpf), Cpf(ImageCpf), Roots);

            // APPDATA and APPCONFIG are data and configuration: cloned to durable storage is the documented layout.
            // SALES names no routines database, so its routines live in its globals database (the CPF reference's default).
            Assert.Equal(new[] { "APPCODE", "SALES" }, findings.Select(f => f.Database));
            Assert.Equal("/durable/iconfig/mgr/APPCODE/", findings[0].DurableDirectory);
            Assert.Equal("/usr/irissys/mgr/APPCODE/", findings[0].ImageDirectory);
            Assert.Equal("routines database of namespace APP", findings[0].Why);
            Assert.Contains("would be ignored", findings[0].ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void A_database_the_layout_marks_as_code_is_reported_although_no_namespace_names_it()
        {
            IReadOnlyList<CodeDatabaseFinding> findings = CodeDatabaseTrap.Find(Cpf(DurableCpf), Cpf(ImageCpf), Roots, new[] { "libcode" });

            CodeDatabaseFinding library = Assert.Single(findings, f => f.Database == "LIBCODE");
            Assert.Equal("marked as code in the layout", library.Why);
            Assert.DoesNotContain(findings, f => f.Database is "APPDATA" or "APPCONFIG");
        }

        [Fact]
        public void Data_and_configuration_databases_cloned_to_durable_storage_pass()
        {
            // Only data and configuration on durable storage; the code database stays inside the image.
            CpfDocument durable = Cpf("[Databases]\nIRISSYS=/durable/iconfig/mgr/\nAPPCODE=/usr/irissys/mgr/APPCODE/\nAPPDATA=/durable/iconfig/mgr/APPDATA/\nAPPCONFIG=/durable/iconfig/mgr/APPCONFIG/\n");

            Assert.Empty(CodeDatabaseTrap.Find(durable, Cpf(ImageCpf), Roots, new[] { "APPCODE" }));
        }

        [Fact]
        public void The_remedy_code_read_only_in_the_image_and_data_created_on_durable_storage_is_not_reported()
        {
            // APPCODE stays inside the image; APPDATA and APPCONFIG exist only on durable storage.
            CpfDocument durable = Cpf("[Databases]\nIRISSYS=/durable/iconfig/mgr/\nAPPCODE=/home/irisowner/mgr/appcode/\nAPPDATA=/durable/iconfig/APPDATA/\nAPPCONFIG=/durable/iconfig/APPCONFIG/\n");
            CpfDocument image = Cpf("[Databases]\nIRISSYS=/usr/irissys/mgr/\nAPPCODE=/home/irisowner/mgr/appcode/\n[Namespaces]\nAPP=APPDATA,APPCODE\n");

            Assert.Empty(CodeDatabaseTrap.Find(durable, image, new[] { "/durable/iconfig" }));
        }

        [Fact]
        public void Instance_databases_remote_databases_and_image_entries_pointing_at_durable_storage_are_never_reported()
        {
            CpfDocument durable = Cpf("[Databases]\nIRISSYS=/dur/iconfig/mgr/\nIRISAUDIT=/dur/iconfig/mgr/irisaudit/\nuser=/dur/iconfig/mgr/user/\nSHARED=/dur/shared/,ds1\nCONF=/dur/conf/\n");
            CpfDocument image = Cpf("[Databases]\nIRISSYS=/usr/irissys/mgr/\nIRISAUDIT=/usr/irissys/mgr/irisaudit/\nUSER=/usr/irissys/mgr/user/\nSHARED=/usr/irissys/mgr/shared/\nCONF=/dur/conf/\n[Namespaces]\n%SYS=IRISSYS\nUSER=USER\nS=SHARED\nC=CONF\n");

            Assert.Empty(CodeDatabaseTrap.Find(durable, image, new[] { "/dur" }));
        }
    }
}
