using System.Linq;
using System.Text;
using IrisOps.Core.Cpf;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Cpf
{
    /// <summary>Every quirk of IRIS-FACTS section 6 read from the corpus, and every malformed line refused with file and line.</summary>
    public class CpfParserTests
    {
        [Fact]
        public void Blank_lines_at_the_start_and_every_comment_style_are_kept_in_the_preamble()
        {
            CpfDocument document = Corpus.Parse("comments-and-blanks.cpf");

            Assert.IsType<CpfBlankLine>(document.Preamble[0]);
            Assert.IsType<CpfBlankLine>(document.Preamble[1]);
            string[] comments = document.Preamble.OfType<CpfComment>().Select(c => c.Text).ToArray();
            Assert.Equal("# Merge file for the APP namespace; blank lines above, before anything else.", comments[0]);
            Assert.Equal("; an ini-style comment", comments[1]);
            Assert.Equal("// a C++-style comment", comments[2]);
            Assert.Equal("/* a one-line block comment */", comments[3]);
            Assert.Equal("/*\nA block comment over several lines.\n[config]\nMaxServerConn=99\n*/", comments[4]);
            Assert.Equal("#[config]", comments[5]);
            Assert.Equal("#MaxServerConn=5", comments[6]);
        }

        [Fact]
        public void Commented_out_headers_and_block_comments_do_not_open_sections()
        {
            CpfDocument document = Corpus.Parse("comments-and-blanks.cpf");

            Assert.Equal(new[] { "Startup", "config", "Actions" }, document.Sections.Select(s => s.Name));
            Assert.Null(document.Get("config", "MaxServerConn"));
            Assert.Equal("4", document.Get("config", "MaxServers"));
            Assert.Equal(new[] { "CreateResource" }, document.Actions.Select(a => a.Action));
            Assert.Contains(document.Sections[2].Items.OfType<CpfComment>(), c => c.IsBlock && c.Text.Contains("CreateDatabase:Name=OLD"));
        }

        [Fact]
        public void Spaces_and_tabs_around_lines_and_after_headers_are_ignored()
        {
            CpfDocument document = Corpus.Parse("comments-and-blanks.cpf");

            Assert.Equal("1", document.Get("Startup", "WebServer"));
            Assert.Equal(14, document.Sections[0].Line);
            Assert.Equal("# an indented comment inside a section", document.Sections[0].Items.OfType<CpfComment>().Single().Text);
            Assert.Equal("Name", document.Actions[0].Properties.Single().Name);
        }

        [Fact]
        public void Crlf_line_endings_and_a_missing_final_newline_are_read()
        {
            CpfDocument document = Corpus.Parse("crlf-no-final-newline.cpf");

            Assert.Equal("1", document.Get("Startup", "WebServer"));
            Assert.Equal("2", document.Get("config", "MaxServerConn"));
            CpfAction action = document.Actions.Single();
            Assert.Equal("1", action["MountAtStartup"]);
            Assert.Equal(8, action.Line);
            Assert.DoesNotContain(document.Entries, e => e.Value.Contains("\r"));
        }

        [Fact]
        public void Config_and_Config_are_one_section_and_the_last_occurrence_wins()
        {
            var reporter = new RecordingReporter();
            CpfDocument document = Corpus.Parse("config-case-and-repeats.cpf", reporter);

            Assert.Equal(new[] { "config", "Startup", "config", "Startup", "Actions", "Actions" }, document.Sections.Select(s => s.Name));
            Assert.Empty(reporter.Warnings); // [Config] is common and read by IRIS: no warning
            Assert.Equal("4", document.Get("config", "MaxServerConn"));
            Assert.Equal("4", document.Get("Config", "MaxServerConn"));
            Assert.Equal("1", document.Get("Startup", "WebServer"));

            CpfResolvedView view = document.Resolve();
            Assert.Equal(new[] { "config", "Startup" }, view.SectionNames);
            Assert.Equal(new[] { "MaxServerConn=4", "globals=0,0,256,0,0,0", "routines=64" }, view.GetSection("config").Select(e => e.ToString()));
            Assert.Equal("4", view.Get("config", "MaxServerConn"));
            Assert.Equal(4, view.Entries.Count);
            Assert.Equal(new[] { "%DB_A", "%DB_B" }, view.Actions.Select(a => a["Name"]));
        }

        [Fact]
        public void Comma_lists_dollars_semicolons_and_quotes_in_plain_sections_are_values_as_written()
        {
            CpfDocument document = Corpus.Parse("comma-lists-and-dollars.cpf");

            Assert.Equal("0,0,2048,0,0,0", document.Get("config", "globals"));
            Assert.Equal("$16777216", document.Get("config", "locksiz"));
            Assert.Equal("FBFE8593AEFA510C27FD184738D6E865A441DE98,u4ocm4qh,10000,SHA512", document.Get("Startup", "PasswordHash"));
            Assert.Equal("data-server,1972,0,1", document.Get("ECPServers", "DATA1"));
            Assert.Equal("/usr/irissys/mgr/remote/,DATA1", document.Get("Databases", "REMOTE"));
            Assert.Equal("APPCONFIG", document.Get("Map.APP", "Global_Ens.Config*"));
            Assert.Equal("APPDATA", document.Get("Map.APP", "Global_Cache(\"A\"):(\"M\")"));
            Assert.Equal("a value with ; and # inside, which is not a comment", document.Get("SQL", "Comment"));
            Assert.Equal("\"\"", document.Get("SQL", "Empty"));
            Assert.Equal(string.Empty, document.Get("SQL", "Blank"));
        }

        [Fact]
        public void Quoted_action_values_hold_commas_and_equals_signs()
        {
            CpfDocument document = Corpus.Parse("quoted-actions.cpf");
            CpfAction[] actions = document.Actions.ToArray();

            Assert.Equal("%SQL,%DB_USER", actions[0]["Roles"]);
            Assert.Equal("1", actions[0]["Enabled"]);
            Assert.Equal("primary,backup", actions[1]["Map"]);
            Assert.Equal("key=value", actions[2]["Arg1"]);
            Assert.Equal(string.Empty, actions[2]["Arg2"]);
            Assert.Equal(" padded ", actions[3]["Description"]);
            Assert.Equal(string.Empty, actions[3]["PublicPermission"]);
            Assert.Equal("app1,app2", actions[4]["ClientSystems"]);
            Assert.Equal("ModifyStartup", actions[5].Action);
            Assert.Empty(actions[5].Properties);
            Assert.Equal(new[] { "Name", "Address", "Port", "MirrorConnection", "SSLConfig" }, actions[6].Properties.Select(p => p.Name));
        }

        [Fact]
        public void The_seed_002_files_read_as_written()
        {
            CpfDocument install = Corpus.Parse("seed002-install.cpf");
            CpfDocument merge = Corpus.Parse("seed002-merge.cpf");

            Assert.Empty(install.Sections[0].Items);
            Assert.Equal("%DB_APP", install.Actions[1]["Resource"]);
            Assert.Equal(7, merge.Actions.Count);
            Assert.Equal("Ens.Util.LookupTableS", merge.Actions[6]["Name"]);
            Assert.Equal("# ...other stuff for APP", merge.Sections[1].Items.OfType<CpfComment>().Single().Text);
        }

        [Fact]
        public void A_real_instance_cpf_reads_with_percent_sections()
        {
            CpfDocument document = Corpus.Parse("iris-instance.cpf");

            Assert.Equal("IRISSYS", document.Get("Map.%SYS", "Global_%SYS"));
            Assert.Equal("IRISSYS", document.Get("Namespaces", "%SYS"));
            Assert.Equal(string.Empty, document.Get("config", "LibPath"));
            Assert.Empty(document.Actions);
            Assert.Equal(Corpus.PathOf("iris-instance.cpf"), document.Path);
        }

        [Fact]
        public void Items_remember_their_file_and_line()
        {
            CpfDocument document = Corpus.Parse("seed002-merge.cpf");

            CpfAction action = document.Actions[1];
            Assert.Equal(5, action.Line);
            Assert.Equal($"{Corpus.PathOf("seed002-merge.cpf")} line 5", action.Source!.ToString());
            Assert.Equal(2, document.Entries.Single().Line);
        }

        [Fact]
        public void A_byte_order_mark_is_skipped()
        {
            byte[] bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("[config]\nMaxServerConn=2\n")).ToArray();
            Assert.Equal("2", CpfParser.Parse(bytes, "bom.cpf").Get("config", "MaxServerConn"));
            Assert.Equal("2", CpfParser.Parse("\uFEFF[config]\nMaxServerConn=2", "bom.cpf").Get("config", "MaxServerConn"));
        }

        [Fact]
        public void An_empty_file_is_an_empty_document()
        {
            CpfDocument document = CpfParser.Parse(string.Empty, "empty.cpf");
            Assert.Empty(document.Sections);
            Assert.Empty(document.Preamble);
        }

        [Theory]
        [InlineData("actions", "Actions", "IRIS silently ignores a lowercase [actions] section")]
        [InlineData("startup", "Startup", "read as [Startup]")]
        [InlineData("CONFIG", "config", "read as [config]")]
        [InlineData("map.APP", "Map.APP", "read as [Map.APP]")]
        public void Section_names_get_their_canonical_spelling_with_a_warning(string written, string canonical, string warning)
        {
            var reporter = new RecordingReporter();
            CpfDocument document = CpfParser.Parse($"# x\n[{written}]\n", "case.cpf", reporter);

            Assert.Equal(canonical, document.Sections.Single().Name);
            Assert.Contains(warning, Assert.Single(reporter.Warnings));
            Assert.StartsWith("case.cpf line 2: ", reporter.Warnings[0]);
        }

        [Theory]
        [InlineData("[config]\nMaxServerConn\n", 2, "'MaxServerConn' is not a Key=Value entry")]
        [InlineData("\n# c\nMaxServerConn=3\n[config]\n", 3, "comes before any [Section] header")]
        [InlineData("[config]\n=3\n", 2, "has no key before '='")]
        [InlineData("[config]\nMaxServerConn =3\n", 2, "ends with a space")]
        [InlineData("[config\nA=1\n", 1, "is not a section header")]
        [InlineData("[config] extra\n", 1, "is not a section header")]
        [InlineData("[]\n", 1, "is not a section header")]
        [InlineData("[con fig]\n", 1, "is not a valid section name")]
        [InlineData("[config]\n/* open\nA=1\n", 2, "never closed with */")]
        [InlineData("[config]\n/* c */ A=1\n", 2, "text follows the end of a /* */ comment")]
        [InlineData("[Actions]\nCreateDatabase Name=X\n", 2, "is not an action")]
        [InlineData("[Actions]\nName=X:Y\n", 2, "is not an action")]
        [InlineData("[Actions]\nCreate Database:Name=X\n", 2, "not a valid action name")]
        [InlineData("[Actions]\nCreateDatabase:Name=X, Directory=/d\n", 2, "Remove the space after the comma")]
        [InlineData("[Actions]\nCreateDatabase:Name =X\n", 2, "Remove the space before '='")]
        [InlineData("[Actions]\nCreateDatabase:Name\n", 2, "'Name' has no '='")]
        [InlineData("[Actions]\nCreateDatabase:Name=X,\n", 2, "ends with a comma")]
        [InlineData("[Actions]\nCreateDatabase:Name=X,,Directory=/d\n", 2, "empty property")]
        [InlineData("[Actions]\nCreateDatabase:Name=X,Name=Y\n", 2, "sets Name twice")]
        [InlineData("[Actions]\nCreateUser:Name=u,Roles=\"%SQL\n", 2, "never closed")]
        [InlineData("[Actions]\nCreateUser:Name=\"a\"b\",Roles=x\n", 2, "A double quote inside a quoted value is not supported")]
        [InlineData("[Actions]\nCreateUser:Name=a\"b\n", 2, "the value contains a double quote")]
        [InlineData("[Actions]\nExecute:Namespace=APP,Arg1=a=b\n", 2, "must be in double quotes: Arg1=\"a=b\"")]
        [InlineData("[Actions]\nCreateDatabase:Name=X ,Directory=/d\n", 2, "starts or ends with a space")]
        [InlineData("[config]\nA=1\0\n", 2, "a NUL character at column 4")]
        [InlineData("[config]\nA=1\rB=2\n", 2, "a carriage return at column 4")]
        [InlineData("[config]\nA=\u0001\n", 2, "a control character (U+0001)")]
        [InlineData("[config]\nA=\u2028\n", 2, "a Unicode line separator (U+2028)")]
        public void Malformed_lines_are_refused_naming_the_file_and_the_line(string text, int line, string problem)
        {
            var error = Assert.Throws<CpfSyntaxException>(() => CpfParser.Parse(text, "/etc/app/merge.cpf"));

            Assert.Equal(IrisErrorKind.InvalidData, error.Kind);
            Assert.Equal("CpfSyntaxError", error.ErrorId);
            Assert.Equal(line, error.LineNumber);
            Assert.StartsWith($"/etc/app/merge.cpf line {line}: ", error.Message);
            Assert.Contains(problem, error.Message);
            Assert.False(error.Message.IndexOf('\n') >= 0 || error.Message.IndexOf('\0') >= 0, "the message must be one printable line");
        }

        [Fact]
        public void Every_bad_line_of_a_file_is_named_in_one_error_and_good_lines_in_between_do_not_count()
        {
            string text = "[config]\nglobals=0,0,2048\nMaxServerConn =3\nno equals sign\n[bad name]\n[Actions]\nCreateDatabase:Name=APP,Directory=/durable/app\n/* open */ trailing\n";

            var error = Assert.Throws<CpfSyntaxException>(() => CpfParser.Parse(text, "merge.cpf"));

            Assert.Equal("CpfSyntaxError", error.ErrorId);
            Assert.Equal(new[] { 3, 4, 5, 8 }, error.Problems.Select(p => p.LineNumber).ToArray());
            Assert.Equal(3, error.LineNumber);
            Assert.StartsWith("merge.cpf: 4 lines cannot be read:", error.Message);
            Assert.Contains("  line 4: 'no equals sign' is not a Key=Value entry", error.Message);
            Assert.Contains("  line 8: text follows the end of a /* */ comment", error.Message);
        }

        [Fact]
        public void A_file_with_very_many_bad_lines_lists_the_first_twenty_and_counts_the_rest()
        {
            string text = "[config]\n" + string.Concat(Enumerable.Range(1, 25).Select(i => $"bad line {i}\n"));

            var error = Assert.Throws<CpfSyntaxException>(() => CpfParser.Parse(text, "many.cpf"));

            Assert.Equal(25, error.Problems.Count);
            Assert.Contains("  line 21: 'bad line 20'", error.Message);
            Assert.DoesNotContain("bad line 21'", error.Message);
            Assert.EndsWith("  and 5 more.", error.Message);
        }

        [Fact]
        public void Half_a_surrogate_pair_is_refused()
        {
            // Not in InlineData: attribute strings are stored as UTF-8, which cannot hold a lone surrogate.
            var error = Assert.Throws<CpfSyntaxException>(() => CpfParser.Parse("[config]\nA=\ud800\n", "s.cpf"));
            Assert.Equal(2, error.LineNumber);
            Assert.Contains("unpaired UTF-16 surrogate (U+D800)", error.Message);
        }

        [Fact]
        public void Invalid_utf8_is_refused_naming_the_line()
        {
            byte[] bytes = Encoding.UTF8.GetBytes("[config]\nA=1\nB=").Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();

            var error = Assert.Throws<CpfSyntaxException>(() => CpfParser.Parse(bytes, "latin1.cpf"));
            Assert.Equal(3, error.LineNumber);
            Assert.Contains("not valid UTF-8", error.Message);
        }

        [Fact]
        public void A_missing_file_is_an_object_not_found_error_naming_it()
        {
            var error = Assert.Throws<IrisOpsException>(() => CpfParser.ParseFile("/nonexistent/merge.cpf"));
            Assert.Equal(IrisErrorKind.ObjectNotFound, error.Kind);
            Assert.Equal("CpfFileNotFound", error.ErrorId);
            Assert.Contains("/nonexistent/merge.cpf", error.Message);
        }

        [Fact]
        public void A_folder_is_an_argument_error_not_access_denied()
        {
            using var folder = new TempFolder();
            var error = Assert.Throws<IrisOpsException>(() => CpfParser.ParseFile(folder.Path));
            Assert.Equal(IrisErrorKind.InvalidArgument, error.Kind);
            Assert.Equal("CpfPathIsFolder", error.ErrorId);
            Assert.DoesNotContain("denied", error.Message, System.StringComparison.OrdinalIgnoreCase);
        }
    }
}
