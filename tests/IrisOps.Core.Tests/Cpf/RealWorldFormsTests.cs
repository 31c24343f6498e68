using System;
using System.Linq;
using IrisOps.Core.Cpf;
using IrisOps.Core.Cpf.Catalog;
using IrisOps.Core.Cpf.Export;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Cpf
{
    /// <summary>Every form real files use that IRIS accepts, one test each.</summary>
    public class RealWorldFormsTests
    {
        private static CpfDocument Parse(string text, RecordingReporter reporter) => CpfParser.Parse(text, "/x/merge.cpf", reporter);

        private static void Validate(CpfDocument document, RecordingReporter? reporter = null) =>
            CpfActionValidator.Validate(document, new CpfValidationOptions(), reporter ?? new RecordingReporter());

        [Theory]
        [InlineData("CreateUser:Name=u,PasswordHash=hash,salt,10000,SHA512,Roles=%All", "PasswordHash", "hash,salt,10000,SHA512")]
        [InlineData("CreateUser:Name=u,Roles=%All,%DB_X", "Roles", "%All,%DB_X")]
        [InlineData("CreateRole:Name=R,Resources=%DB_A,%DB_B,Description=x", "Resources", "%DB_A,%DB_B")]
        [InlineData("ConfigMirror:Name=M,Map=primary,backup,Member=primary,Primary=p", "Map", "primary,backup")]
        public void An_unquoted_comma_list_in_an_action_continues_the_previous_value_with_a_warning(string line, string property, string value)
        {
            var reporter = new RecordingReporter();
            CpfDocument document = Parse("[Actions]\n" + line + "\n", reporter);

            Assert.Equal(value, document.Actions[0][property]);
            string warning = Assert.Single(reporter.Warnings);
            Assert.StartsWith($"/x/merge.cpf line 2: {document.Actions[0].Action}: the value of {property} is not in double quotes", warning);
            Assert.Contains($"{property}=\"{value}\"", warning);
            Validate(document);
        }

        [Fact]
        public void Continued_values_are_written_quoted_and_the_meaning_survives_import_and_export()
        {
            const string text = "# users\n[Actions]\nCreateUser:Name=u,PasswordHash=h,s,10000,SHA512,Roles=%All,%DB_X\n[config]\nMaxServerConn=1\n# later wins\n[config]\nMaxServerConn=3\n";
            CpfDocument imported = Parse(text, new RecordingReporter());

            var composer = new MergeFileComposer();
            composer.Add(imported);
            MergeFile exported = composer.Finish(new CpfValidationOptions(), new CpfWriteOptions(), new RecordingReporter());
            CpfDocument back = CpfParser.Parse(exported.Text, "exported.cpf");

            Assert.Contains("CreateUser:Name=u,PasswordHash=\"h,s,10000,SHA512\",Roles=\"%All,%DB_X\"", exported.Text);
            Assert.Equal(Meaning.Of(imported), Meaning.Of(back));
            Assert.Equal("3", back.Get("config", "MaxServerConn"));
            Assert.Equal(new[] { "# users", "# later wins" }, back.Preamble.Concat(back.Sections.SelectMany(s => s.Items)).OfType<CpfComment>().Select(c => c.Text));
        }

        [Fact]
        public void A_fragment_after_a_quoted_value_is_refused_with_the_corrected_line()
        {
            var error = Assert.Throws<CpfSyntaxException>(() => Parse("[Actions]\nCreateUser:Name=u,Roles=\"%SQL\",%DB_X\n", new RecordingReporter()));
            Assert.Equal(2, error.LineNumber);
            Assert.Contains("follows the quoted value of Roles", error.Message);
            Assert.EndsWith("Write: CreateUser:Name=u,Roles=\"%SQL,%DB_X\"", error.Message);
        }

        [Fact]
        public void The_documented_routine_form_of_Execute_is_accepted()
        {
            // The Configuration Parameter File Reference, Execute: RoutineName="$$Tag2^ZTEST".
            CpfDocument document = Parse("[Actions]\nExecute:Namespace=\"%SYS\",RoutineName=\"$$Tag2^ZTEST\",Arg1=\"arg1\",Arg2=\"arg2\"\n" +
                "Execute:Namespace=\"%SYS\",ClassName=%SYSTEM.OBJ,MethodName=\"Load\",Arg1=\"c:\\iris\\test.xml\",Arg2=\"ck\"\n", new RecordingReporter());

            Validate(document);
            Assert.Equal("$$Tag2^ZTEST", document.Actions[0]["RoutineName"]);
            Assert.Equal("c:\\iris\\test.xml", document.Actions[1]["Arg1"]);
        }

        [Theory]
        [InlineData("Execute:Namespace=APP", "Execute is missing ClassName and MethodName or RoutineName")]
        [InlineData("Execute:Namespace=APP,ClassName=A,MethodName=B,RoutineName=\"$$T^R\"", "Execute has both ClassName and MethodName and RoutineName")]
        [InlineData("DeleteDatabase:Name=APPDATA", "DeleteDatabase is missing Directory")]
        [InlineData("ModifyDatabase:Name=APPDATA,Size=10", "ModifyDatabase is missing Directory")]
        [InlineData("DeleteMapGlobal:Namespace=APP,Name=X", "DeleteMapGlobal is missing Database")]
        [InlineData("CreateServer:Port=1973", "CreateServer is missing BindAddress")]
        [InlineData("CreateServer:BindAddress=", "CreateServer is missing Port")]
        [InlineData("ConfigProduction:Namespace=APP,Name=P", "ConfigProduction is missing Path")]
        [InlineData("ConfigMirror:Name=M,Member=backup", "ConfigMirror is missing Primary")]
        [InlineData("DiscoverOAuth2Server:IssuerEndpoint=https://x", "DiscoverOAuth2Server is missing SSLConfiguration")]
        [InlineData("RegisterOAuth2Client:Name=c", "RegisterOAuth2Client is missing ApplicationName")]
        [InlineData("CreateWorkQueue:Name=Q", "CreateWorkQueue is missing MaxActiveWorkers")]
        public void Required_properties_follow_the_reference(string line, string problem)
        {
            CpfDocument document = Parse("[Actions]\n" + line + "\n", new RecordingReporter());
            var error = Assert.Throws<IrisOpsException>(() => Validate(document));
            Assert.StartsWith($"/x/merge.cpf line 2: {problem}", error.Message);
        }

        [Theory]
        [InlineData("DiscoverOAuth2Server:IssuerEndpoint=\"https://idp/oauth2\",SSLConfiguration=client")]
        [InlineData("RegisterOAuth2Client:ApplicationName=app")]
        [InlineData("CreateServer:Port=1973,BindAddress=\"\",SSLSupportLevel=2,SSLConfig=superserver")]
        [InlineData("CreateResource:Name=%DB_APP")]
        [InlineData("CreateUser:Name=u")]
        [InlineData("DeleteOAuth2Server:")]
        public void Documented_actions_and_properties_the_reference_does_not_require_are_accepted(string line)
        {
            var reporter = new RecordingReporter();
            Validate(Parse("[Actions]\n" + line + "\n", reporter), reporter);
            Assert.Empty(reporter.Warnings);
        }

        [Fact]
        public void A_property_the_synopsis_lists_but_does_not_require_is_mentioned_in_verbose_output()
        {
            var reporter = new RecordingReporter();
            Validate(Parse("[Actions]\nCreateUser:Name=u\n", reporter), reporter);
            Assert.Contains(reporter.VerboseMessages, m => m.StartsWith("/x/merge.cpf line 2: CreateUser has no PasswordHash.", StringComparison.Ordinal));
        }

        [Fact]
        public void The_catalog_lists_every_synopsis_of_the_reference_it_names()
        {
            Assert.Equal(new[] { "Name", "Directory" }, CpfActionCatalog.Find("DeleteDatabase")!.RequiredProperties);
            Assert.Equal(new[] { "Port", "BindAddress" }, CpfActionCatalog.Find("CreateServer")!.RequiredProperties);
            Assert.Equal("Execute:Namespace,(ClassName,MethodName | RoutineName)", CpfActionCatalog.Find("Execute")!.Synopsis);
            Assert.NotNull(CpfActionCatalog.Find("DiscoverOAuth2Server"));
            Assert.NotNull(CpfActionCatalog.Find("RegisterOAuth2Client"));
        }

        [Theory]
        [InlineData("[Actions]\nModifyService:Name=%Service_CallIn,Enabled=1  ; enable callin\n", "Enabled", "1  ; enable callin", "'; enable callin'")]
        [InlineData("[Startup]\nSystemMode=TEST # demo\n", "SystemMode", "TEST # demo", "'# demo'")]
        [InlineData("[config]\nMaxServers=4 // four\n", "MaxServers", "4 // four", "'// four'")]
        public void Text_that_looks_like_a_trailing_comment_is_kept_as_written_with_a_warning(string text, string name, string value, string comment)
        {
            var reporter = new RecordingReporter();
            CpfDocument document = Parse(text, reporter);

            string actual = document.Actions.Count > 0 ? document.Actions[0][name]! : document.Entries[0].Value;
            Assert.Equal(value, actual);
            string warning = Assert.Single(reporter.Warnings);
            Assert.StartsWith("/x/merge.cpf line 2: ", warning);
            Assert.Contains(comment, warning);
            Assert.Equal(Shape.Of(document), Shape.Of(CpfParser.Parse(CpfWriter.Write(document), "w.cpf")));
        }

        [Fact]
        public void A_quoted_value_with_a_semicolon_is_not_taken_for_a_comment()
        {
            var reporter = new RecordingReporter();
            CpfDocument document = Parse("[Actions]\nCreateResource:Name=%DB_X,Description=\"data ; for X\"\n", reporter);
            Assert.Equal("data ; for X", document.Actions[0]["Description"]);
            Assert.Empty(reporter.Warnings);
        }

        [Theory]
        [InlineData("[Actions]\nExecute:Namespace=APP,Arg1=a=b,Arg2=c\n", "Write the line as: Execute:Namespace=APP,Arg1=\"a=b\",Arg2=c")]
        [InlineData("[Actions]\nExecute:Namespace=APP,Arg1=a=b,c\n", "Write the line as: Execute:Namespace=APP,Arg1=\"a=b,c\"")]
        [InlineData("[Actions]\nCreateDatabase:Name=X, Directory=/d\n", "Write: CreateDatabase:Name=X,Directory=/d")]
        [InlineData("[Actions]\nCreateDatabase:Name =X,Directory=/d\n", "Write: CreateDatabase:Name=X,Directory=/d")]
        [InlineData("[Actions]\nCreateDatabase:Name=X ,Directory=/d\n", "Write: CreateDatabase:Name=X,Directory=/d")]
        [InlineData("[Actions]\nDeleteApplication:/csp/app\n", "For example: DeleteApplication:Name=/csp/app")]
        [InlineData("[Actions]\nDeleteDatabaseFile:/d/x\n", "For example: DeleteDatabaseFile:Directory=/d/x")]
        [InlineData("[config]\nMaxServerConn =3\n", "write MaxServerConn=3.")]
        public void Hints_show_the_whole_corrected_line_when_it_is_short(string text, string hint)
        {
            var error = Assert.Throws<CpfSyntaxException>(() => Parse(text, new RecordingReporter()));
            Assert.Contains(hint, error.Message);
        }

        [Fact]
        public void A_long_line_gets_the_hint_without_the_whole_line()
        {
            string line = "Execute:Namespace=APP,Arg1=a=b,Arg2=" + new string('x', 200);
            var error = Assert.Throws<CpfSyntaxException>(() => Parse("[Actions]\n" + line + "\n", new RecordingReporter()));
            Assert.Contains("must be in double quotes: Arg1=\"a=b\"", error.Message);
            Assert.DoesNotContain("Write the line as", error.Message);
        }

        [Fact]
        public void An_instance_cpf_with_unknown_sections_and_keys_imports_with_warnings_naming_the_line()
        {
            var reporter = new RecordingReporter();
            CpfDocument document = Parse("[ConfigFile]\nVersion=2025.1\n[Startup]\nDefaultPort=1972\nFrobnicate=1\n[Nonsense]\nA=1\n[Map.APP]\nGlobal_X=APPDATA\n", reporter);
            CpfSectionCatalog.WarnAboutUnknownNames(document, reporter);

            Assert.Equal(2, reporter.Warnings.Count);
            Assert.StartsWith("/x/merge.cpf line 5: [Startup] Frobnicate is not a parameter of [Startup]", reporter.Warnings[0]);
            Assert.StartsWith("/x/merge.cpf line 6: the section [Nonsense] is not in the Configuration Parameter File Reference", reporter.Warnings[1]);
        }

        [Fact]
        public void ModifySystem_without_Name_is_kept_and_warned_about_with_the_documented_form()
        {
            var reporter = new RecordingReporter();
            CpfDocument document = Parse("[Actions]\nModifySystem:SSLECPServer=2\nModifySystem:Name=SYSTEM,SSLECPServer=2\n", reporter);
            Validate(document, reporter);
            string warning = Assert.Single(reporter.Warnings);
            Assert.StartsWith("/x/merge.cpf line 2: ModifySystem has no Name=.", warning);
            Assert.Contains("Add Name=SYSTEM", warning, System.StringComparison.Ordinal);
            Assert.Equal(2, document.Actions.Count);
        }

        [Fact]
        public void Validation_warnings_are_written_once_per_file_not_once_per_command()
        {
            var importing = new RecordingReporter();
            CpfDocument document = Parse("[Actions]\nCreateDatabase:Name=APPDATA,Directory=/d,Resource=%DB_APP\n", importing);
            Validate(document, importing);
            Assert.Single(importing.Warnings);

            var exporting = new RecordingReporter();
            var composer = new MergeFileComposer();
            composer.Add(document);
            composer.Finish(new CpfValidationOptions(), new CpfWriteOptions(), exporting);
            Assert.Empty(exporting.Warnings);

            // An action built in code has no file: each check of it may warn.
            var built = new CpfDocument();
            built.AddAction("CreateDatabase", ("Name", "X"), ("Directory", "/d"), ("Resource", "%DB_X"));
            var first = new RecordingReporter();
            Validate(built, first);
            Assert.Single(first.Warnings);
        }

        [Theory]
        [InlineData("a\nb")]
        [InlineData("a\rb")]
        [InlineData("a\"b")]
        public void The_writer_still_refuses_values_that_would_inject_a_line_or_need_an_undocumented_escape(string value)
        {
            var document = new CpfDocument();
            document.AddAction("CreateUser", ("Name", "u"), ("Roles", "%All," + value));
            var error = Assert.Throws<IrisOpsException>(() => CpfWriter.Write(document));
            Assert.Equal(CpfWriter.UnwritableValueId, error.ErrorId);
            Assert.Contains("line 2, action CreateUser, property Roles", error.Message);
        }
    }
}
