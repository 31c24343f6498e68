using System.Linq;
using IrisOps.Core.Cpf;
using IrisOps.Core.Cpf.Catalog;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Cpf
{
    /// <summary>Unknown actions, missing required properties and the Resource= warning.</summary>
    public class CpfActionCatalogTests
    {
        private static void Validate(CpfDocument document, RecordingReporter reporter, bool allowUnknown = false) =>
            CpfActionValidator.Validate(document, new CpfValidationOptions { AllowUnknownAction = allowUnknown }, reporter);

        [Theory]
        [InlineData("CreateDatabse", "CreateDatabase")]
        [InlineData("createdatabase", "CreateDatabase")]
        [InlineData("CreateNamspace", "CreateNamespace")]
        [InlineData("CreatMapGlobal", "CreateMapGlobal")]
        [InlineData("ModifySevice", "ModifyDevice or ModifyService")]
        public void A_misspelled_action_is_an_error_naming_file_line_and_the_right_name(string typo, string right)
        {
            CpfDocument document = CpfParser.Parse($"[Actions]\nCreateResource:Name=%DB_APP\n{typo}:Name=X,Directory=/d,Globals=G,Namespace=N,Database=D\n", "/app/merge.cpf");

            var error = Assert.Throws<IrisOpsException>(() => Validate(document, new RecordingReporter()));
            Assert.Equal(CpfActionValidator.UnknownActionId, error.ErrorId);
            Assert.Equal(IrisErrorKind.InvalidData, error.Kind);
            Assert.StartsWith($"/app/merge.cpf line 3: unknown action '{typo}'. Did you mean {right}?", error.Message);
            Assert.Contains("-AllowUnknownAction", error.Message);
        }

        [Fact]
        public void An_unknown_action_without_a_close_name_gets_no_suggestion()
        {
            CpfDocument document = CpfParser.Parse("[Actions]\nFrobnicateEverything:Name=X\n", "m.cpf");
            var error = Assert.Throws<IrisOpsException>(() => Validate(document, new RecordingReporter()));
            Assert.DoesNotContain("Did you mean", error.Message);
        }

        [Fact]
        public void AllowUnknownAction_keeps_unknown_actions()
        {
            CpfDocument document = CpfParser.Parse("[Actions]\nCreateShinyNewThing:Name=X\n", "m.cpf");
            var reporter = new RecordingReporter();

            Validate(document, reporter, allowUnknown: true);
            Assert.Contains("CreateShinyNewThing is not in the IrisOps action catalog", Assert.Single(reporter.VerboseMessages));
        }

        [Theory]
        [InlineData("CreateDatabase:Name=APPDATA", "CreateDatabase is missing Directory (it needs Name, Directory)")]
        [InlineData("CreateNamespace:Name=APP,Routines=APPCODE", "CreateNamespace is missing Globals")]
        [InlineData("CreateMapGlobal:Name=Ens.Config.*,Database=APPCONFIG", "CreateMapGlobal is missing Namespace")]
        [InlineData("CreateECPServer:Name=DATA1,Address=ds,Port=1972,MirrorConnection=0", "CreateECPServer is missing SSLConfig")]
        [InlineData("Execute:Namespace=APP,ClassName=App.Setup", "Execute is missing MethodName")]
        [InlineData("ModifyService:Enabled=1", "ModifyService is missing Name")]
        [InlineData("CreateResource:Name=", "CreateResource has an empty Name")]
        [InlineData("CreateDatabase:name=APPDATA,Directory=/d", "CreateDatabase has 'name'; write it as Name")]
        public void A_missing_required_property_is_an_error(string line, string problem)
        {
            CpfDocument document = CpfParser.Parse("[Actions]\n" + line + "\n", "m.cpf");

            var error = Assert.Throws<IrisOpsException>(() => Validate(document, new RecordingReporter()));
            Assert.Equal(CpfActionValidator.MissingPropertyId, error.ErrorId);
            Assert.Equal($"m.cpf line 2: {problem}", error.Message.Substring(0, $"m.cpf line 2: {problem}".Length));
        }

        [Fact]
        public void Every_problem_is_reported_at_once()
        {
            CpfDocument document = CpfParser.Parse("[Actions]\nCreateDatabse:Name=X\nCreateNamespace:Name=APP\n", "m.cpf");

            var error = Assert.Throws<IrisOpsException>(() => Validate(document, new RecordingReporter()));
            Assert.StartsWith("2 problems with the [Actions] lines:", error.Message);
            Assert.Contains("m.cpf line 2: unknown action 'CreateDatabse'", error.Message);
            Assert.Contains("m.cpf line 3: CreateNamespace is missing Globals", error.Message);
            Assert.Equal(CpfActionValidator.UnknownActionId, error.ErrorId);
        }

        [Fact]
        public void Resource_on_CreateDatabase_is_accepted_with_a_warning_naming_ResourceName()
        {
            CpfDocument document = Corpus.Parse("seed002-install.cpf");
            var reporter = new RecordingReporter();

            Validate(document, reporter);

            Assert.Equal(2, reporter.Warnings.Count);
            Assert.StartsWith($"{Corpus.PathOf("seed002-install.cpf")} line 5: CreateDatabase sets Resource=%DB_APP; the documented property is ResourceName", reporter.Warnings[0]);
        }

        [Theory]
        [MemberData(nameof(Corpus.Files), MemberType = typeof(Corpus))]
        public void Every_action_of_the_corpus_is_known_and_complete(string name)
        {
            Validate(Corpus.Parse(name), new RecordingReporter());
        }

        [Fact]
        public void Actions_built_in_code_are_named_by_their_position()
        {
            var document = new CpfDocument();
            document.AddAction("CreateResource", ("Name", "%DB_APP"));
            document.AddAction("CreateDatabase", ("Name", "X"));

            var error = Assert.Throws<IrisOpsException>(() => Validate(document, new RecordingReporter()));
            Assert.StartsWith("action 2 (CreateDatabase): CreateDatabase is missing Directory", error.Message);
        }

        [Fact]
        public void The_catalog_has_the_documented_families()
        {
            foreach (string name in new[]
            {
                "CreateDatabase", "ModifyDatabase", "DeleteDatabase", "CreateMapPackage", "DeleteMapRoutine", "CreateECPServer",
                "ModifyECP", "ConfigMirror", "ModifyMirrorMember", "ConfigShardedCluster", "GrantAdminPrivilege", "ImportLocale",
                "CreateOAuth2ServerClient", "CreateWalletCollection", "ModifySQL", "ConfigProduction", "Execute", "CreateSqlUserDatatype",
            })
            {
                Assert.NotNull(CpfActionCatalog.Find(name));
            }

            Assert.Null(CpfActionCatalog.Find("createdatabase"));
            Assert.Equal(new[] { "Namespace", "Name", "Database" }, CpfActionCatalog.Find("CreateMapGlobal")!.RequiredProperties);
            Assert.True(CpfActionCatalog.Names.Count > 100);
            Assert.Equal(CpfActionCatalog.Names.Count, CpfActionCatalog.Names.Distinct().Count());
        }
    }
}
