using System.Collections.Specialized;
using System.Linq;
using IrisOps.Core.Cpf;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Cpf
{
    /// <summary>Canonical text, line endings, quoting, and every value or name the writer refuses.</summary>
    public class CpfWriterTests
    {
        [Fact]
        public void Sections_are_written_with_the_names_IRIS_uses()
        {
            var document = new CpfDocument();
            document.Set("Config", "MaxServerConn", "3");
            document.Set("STARTUP", "WebServer", "1");
            document.AddSection("actions");
            document.Set("map.APP", "Global_X", "APPDATA");
            document.Set("journal", "FreezeOnError", "1");
            document.Set("MyOwnSection", "Key", "v");

            Assert.Equal("[config]\nMaxServerConn=3\n[Startup]\nWebServer=1\n[Actions]\n[Map.APP]\nGlobal_X=APPDATA\n[Journal]\nFreezeOnError=1\n[MyOwnSection]\nKey=v\n",
                CpfWriter.Write(document));
        }

        [Fact]
        public void Lf_is_the_default_and_CrLf_is_used_on_request()
        {
            CpfDocument document = Corpus.Parse("crlf-no-final-newline.cpf");

            string lf = CpfWriter.Write(document);
            string crlf = CpfWriter.Write(document, new CpfWriteOptions { LineEnding = CpfLineEnding.CrLf });

            Assert.DoesNotContain("\r", lf);
            Assert.EndsWith("MountAtStartup=1\n", lf);
            Assert.Equal(lf.Replace("\n", "\r\n"), crlf);
        }

        [Theory]
        [InlineData("%SQL,%DB_USER", "Roles=\"%SQL,%DB_USER\"")]
        [InlineData("key=value", "Roles=\"key=value\"")]
        [InlineData("", "Roles=\"\"")]
        [InlineData(" padded", "Roles=\" padded\"")]
        [InlineData("padded\t", "Roles=\"padded\t\"")]
        [InlineData("%SQL", "Roles=%SQL")]
        [InlineData("a b;c#d$e", "Roles=a b;c#d$e")]
        public void Action_values_are_quoted_only_when_they_must_be(string value, string written)
        {
            var document = new CpfDocument();
            document.AddAction("CreateUser", ("Name", "u"), ("Roles", value));

            Assert.Equal($"[Actions]\nCreateUser:Name=u,{written}\n", CpfWriter.Write(document));
        }

        [Fact]
        public void Plain_section_values_are_written_as_they_are()
        {
            var document = new CpfDocument();
            document.Set("config", "globals", "0,0,2048,0,0,0");
            document.Set("SQL", "Empty", "\"\"");
            document.Set("SQL", "Nothing", string.Empty);

            Assert.Equal("[config]\nglobals=0,0,2048,0,0,0\n[SQL]\nEmpty=\"\"\nNothing=\n", CpfWriter.Write(document));
        }

        [Theory]
        [InlineData("/data\n[config]", "the value contains a line break, which would start a new line in the file and could inject a CPF line")]
        [InlineData("/data\rx", "the value contains a carriage return")]
        [InlineData("/da\0ta", "the value contains a NUL character")]
        [InlineData("/da\u0007ta", "a control character (U+0007)")]
        [InlineData("/da\u2028ta", "a Unicode line separator (U+2028)")]
        [InlineData("/my \"data\"", "the value contains a double quote")]
        [InlineData("\"", "the value contains a double quote")]
        public void Unsafe_action_values_are_refused_naming_the_line_action_and_property(string directory, string problem)
        {
            var document = new CpfDocument();
            document.Set("Startup", "WebServer", "1");
            document.AddAction("CreateDatabase", ("Name", "APPDATA"), ("Directory", directory));

            var error = Assert.Throws<IrisOpsException>(() => CpfWriter.Write(document));
            Assert.Equal(CpfWriter.UnwritableValueId, error.ErrorId);
            Assert.Equal(IrisErrorKind.InvalidArgument, error.Kind);
            Assert.StartsWith("Cannot write line 4, action CreateDatabase, property Directory: ", error.Message);
            Assert.Contains(problem, error.Message);
        }

        [Fact]
        public void A_refusal_also_names_the_file_and_line_the_action_came_from()
        {
            CpfDocument document = Corpus.Parse("seed002-merge.cpf");
            document.Actions[2]["Database"] = "APP\nCONFIG";

            var error = Assert.Throws<IrisOpsException>(() => CpfWriter.Write(document));
            Assert.Contains("line 6, action CreateMapGlobal, property Database", error.Message);
            Assert.Contains($"(from {Corpus.PathOf("seed002-merge.cpf")} line 6)", error.Message);
        }

        [Theory]
        [InlineData("WebServer", "1\n[Actions]", UnwritableValueIdText.Value, "line break")]
        [InlineData("WebServer", "1 ", UnwritableValueIdText.Value, "ends with a space")]
        [InlineData("Web=Server", "1", UnwritableValueIdText.Name, "contains '='")]
        [InlineData("#WebServer", "1", UnwritableValueIdText.Name, "starts like a section header or a comment")]
        [InlineData("[Actions]", "1", UnwritableValueIdText.Name, "starts like a section header or a comment")]
        [InlineData("WebServer ", "1", UnwritableValueIdText.Name, "starts or ends with a space")]
        [InlineData("", "1", UnwritableValueIdText.Name, "the key is empty")]
        [InlineData("Web\nServer", "1", UnwritableValueIdText.Name, "line break")]
        public void Unsafe_entries_are_refused_naming_the_line_section_and_key(string key, string value, string errorId, string problem)
        {
            var document = new CpfDocument();
            document.Preamble.Add(new CpfComment("# header"));
            document.Set("Startup", key, value);

            var error = Assert.Throws<IrisOpsException>(() => CpfWriter.Write(document));
            Assert.Equal(errorId, error.ErrorId);
            Assert.StartsWith("Cannot write line 3, [Startup] ", error.Message);
            Assert.Contains(problem, error.Message);
        }

        [Theory]
        [InlineData("Create Database", "Name", "is not a valid action name")]
        [InlineData("CreateDatabase", "Dir ectory", "is not a valid property name")]
        [InlineData("CreateDatabase", "", "is not a valid property name")]
        [InlineData("CreateDatabase", "Name", "sets Name twice")]
        public void Invalid_action_and_property_names_are_refused(string action, string property, string problem)
        {
            var document = new CpfDocument();
            document.AddAction(action, ("Name", "X"), (property, "Y"));

            var error = Assert.Throws<IrisOpsException>(() => CpfWriter.Write(document));
            Assert.Equal(CpfWriter.InvalidNameId, error.ErrorId);
            Assert.Contains(problem, error.Message);
        }

        [Fact]
        public void An_invalid_section_name_is_refused()
        {
            var document = new CpfDocument();
            document.AddSection("con]fig");

            var error = Assert.Throws<IrisOpsException>(() => CpfWriter.Write(document));
            Assert.Equal(CpfWriter.InvalidNameId, error.ErrorId);
            Assert.Contains("is not a valid section name", error.Message);
        }

        [Theory]
        [InlineData("no marker", "must start with #, ;, // or /*")]
        [InlineData("# one\n# two", "must be one line")]
        [InlineData("/* never closed", "must end with */")]
        [InlineData("/* closed */ early */", "no */ before that")]
        [InlineData("# bell \u0007", "control character")]
        public void Invalid_comments_are_refused(string text, string problem)
        {
            var document = new CpfDocument();
            document.Preamble.Add(new CpfComment(text));

            var error = Assert.Throws<IrisOpsException>(() => CpfWriter.Write(document));
            Assert.Equal(CpfWriter.InvalidCommentId, error.ErrorId);
            Assert.Contains(problem, error.Message);
        }

        [Fact]
        public void Comments_are_written_on_lines_of_their_own()
        {
            var document = new CpfDocument();
            document.Preamble.Add(CpfComment.FromText("rendered by a test"));
            document.Preamble.Add(new CpfComment("/* block\n   with lines */"));
            CpfSection config = document.AddSection("config");
            config.Items.Add(new CpfComment("; why"));
            config.Items.Add(new CpfEntry("MaxServerConn", "3"));

            Assert.Equal("# rendered by a test\n/* block\nwith lines */\n[config]\n; why\nMaxServerConn=3\n", CpfWriter.Write(document));
        }

        /// <summary>Error ids as constants usable in attributes.</summary>
        public static class UnwritableValueIdText
        {
            public const string Value = CpfWriter.UnwritableValueId;
            public const string Name = CpfWriter.InvalidNameId;
        }
    }

    /// <summary>The builder API that the rest of IrisOps (and the cluster merge files) use to make CPF.</summary>
    public class CpfDocumentTests
    {
        [Fact]
        public void AddAction_takes_tuples_or_an_ordered_dictionary()
        {
            var document = new CpfDocument();
            document.AddAction("CreateDatabase", ("Name", "APPDATA"), ("Directory", "/d"));
            var properties = new OrderedDictionary { { "Name", "%DB_APP" }, { "PublicPermission", 0 }, { "Enabled", true } };
            document.AddAction("CreateResource", properties);

            Assert.Equal("[Actions]\nCreateDatabase:Name=APPDATA,Directory=/d\nCreateResource:Name=%DB_APP,PublicPermission=0,Enabled=1\n", CpfWriter.Write(document));
        }

        [Fact]
        public void Set_changes_the_occurrence_that_wins_or_adds_before_trailing_blank_lines()
        {
            CpfDocument document = CpfParser.Parse("[config]\nMaxServerConn=1\n[config]\nMaxServerConn=2\n\n# next\n[Startup]\n", "t.cpf");

            document.Set("config", "MaxServerConn", "5");
            document.Set("config", "MaxServers", 4);
            document.Set("SQL", "Comment", "new section");

            Assert.Equal("[config]\nMaxServerConn=1\n[config]\nMaxServerConn=5\nMaxServers=4\n\n# next\n[Startup]\n[SQL]\nComment=new section\n", CpfWriter.Write(document));
            Assert.Equal("5", document.Get("config", "MaxServerConn"));
        }

        [Fact]
        public void Properties_are_read_and_changed_by_name_ignoring_case()
        {
            var action = new CpfAction("CreateDatabase", ("Name", "X"), ("Directory", "/d"));

            Assert.Equal("/d", action["directory"]);
            action["DIRECTORY"] = "/e";
            action["Size"] = "10";
            action["Name"] = null;

            Assert.Equal("CreateDatabase:Directory=/e,Size=10", action.ToString());
            Assert.Equal("Actions", action.Section);
        }

        [Fact]
        public void Remove_takes_an_item_out_wherever_it_is()
        {
            CpfDocument document = Corpus.Parse("seed002-merge.cpf");
            CpfAction autoStart = document.Actions.Single(a => a["Name"] == "Ens.AutoStart");

            Assert.True(document.Remove(autoStart));
            Assert.False(document.Remove(autoStart));
            Assert.Equal(6, document.Actions.Count);
            Assert.DoesNotContain("Ens.AutoStart", CpfWriter.Write(document));
        }

        [Fact]
        public void Clone_and_Append_copy_so_the_original_is_never_changed()
        {
            CpfDocument original = Corpus.Parse("seed002-merge.cpf");
            CpfDocument copy = original.Clone();
            copy.Set("Startup", "WebServer", "0");
            copy.Actions[0]["Directory"] = "/elsewhere";

            var combined = new CpfDocument();
            combined.Append(original);
            combined.Append(original);

            Assert.Equal("1", original.Get("Startup", "WebServer"));
            Assert.Equal("/home/irisowner/mgr/appcode", original.Actions[0]["Directory"]);
            Assert.Equal(14, combined.Actions.Count);
            Assert.Equal(original.Path, copy.Path);
        }

        [Fact]
        public void The_model_keeps_actions_in_Actions_and_entries_elsewhere()
        {
            var document = new CpfDocument();
            CpfSection actions = document.AddSection("Actions");
            CpfSection config = document.AddSection("config");
            var entry = new CpfEntry("A", "1");
            config.Items.Add(entry);

            Assert.Equal("CpfEntryInActions", Assert.Throws<IrisOpsException>(() => actions.Items.Add(new CpfEntry("A", "1"))).ErrorId);
            Assert.Equal("CpfActionOutsideActions", Assert.Throws<IrisOpsException>(() => config.Items.Add(new CpfAction("CreateUser"))).ErrorId);
            Assert.Equal("CpfItemOutsideSection", Assert.Throws<IrisOpsException>(() => document.Preamble.Add(new CpfEntry("A", "1"))).ErrorId);
            Assert.Equal("CpfItemInUse", Assert.Throws<IrisOpsException>(() => document.Sections[1].Items.Add(entry)).ErrorId);
            Assert.Equal("CpfEntryInActions", Assert.Throws<IrisOpsException>(() => document.Set("Actions", "A", "1")).ErrorId);
            Assert.Equal("config", entry.Section);
        }

        [Fact]
        public void Values_from_numbers_booleans_and_lists_are_written_the_IRIS_way()
        {
            Assert.Equal("1", CpfValues.ToText(true));
            Assert.Equal("0", CpfValues.ToText(false));
            Assert.Equal("1.5", CpfValues.ToText(1.5));
            Assert.Equal("%SQL,%DB_USER", CpfValues.ToText(new[] { "%SQL", "%DB_USER" }));
            Assert.Equal("CpfValueNull", Assert.Throws<IrisOpsException>(() => CpfValues.ToText(null)).ErrorId);
            Assert.Equal("CpfValueType", Assert.Throws<IrisOpsException>(() => CpfValues.ToText(new OrderedDictionary())).ErrorId);
            Assert.Equal("CpfValueType", Assert.Throws<IrisOpsException>(() => CpfValues.ToText(new object())).ErrorId);
        }
    }
}
