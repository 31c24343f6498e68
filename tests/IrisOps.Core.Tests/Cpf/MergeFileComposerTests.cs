using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using IrisOps.Core.Cpf;
using IrisOps.Core.Cpf.Catalog;
using IrisOps.Core.Cpf.Export;
using IrisOps.Core.Cpf.Layout;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Cpf
{
    /// <summary>What Export-IrisMergeCpf does under the cmdlet: property bags to lines, composition, checks and the write.</summary>
    public class MergeFileComposerTests
    {
        private static List<KeyValuePair<string, object?>> Bag(params (string Name, object? Value)[] properties) =>
            properties.Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)).ToList();

        private static readonly CpfSource Input = new CpfSource("pipeline input 2");

        [Fact]
        public void An_object_with_Action_becomes_an_action_with_its_other_properties_in_order()
        {
            CpfItem item = CpfRecordConverter.FromProperties(
                Bag(("Name", "app"), ("action", "CreateUser"), ("Roles", new[] { "%SQL", "%DB_USER" }), ("Enabled", true), ("Comment", null), ("Size", 10)), Input);

            var action = Assert.IsType<CpfAction>(item);
            Assert.Equal("CreateUser:Name=app,Roles=\"%SQL,%DB_USER\",Enabled=1,Size=10", action.ToString());
            Assert.Same(Input, action.Source);
        }

        [Fact]
        public void An_object_with_Section_Name_and_Value_becomes_an_entry()
        {
            var entry = Assert.IsType<CpfEntry>(CpfRecordConverter.FromProperties(Bag(("Section", "Config"), ("Name", "MaxServerConn"), ("Value", 3)), Input));

            Assert.Equal("config", entry.Section);
            Assert.Equal("MaxServerConn=3", entry.ToString());
        }

        [Theory]
        [InlineData("both", "has both an Action and a Section property")]
        [InlineData("neither", "has the properties Name, Directory. Give an Action property")]
        [InlineData("actions-section", "has Section='Actions'")]
        [InlineData("no-name", "needs the key as a string in Name")]
        [InlineData("no-value", "needs a Value for MaxServerConn")]
        [InlineData("extra", "has the property Comment; a section entry has only Section, Name and Value")]
        [InlineData("empty-action", "needs the action name as a string in Action")]
        [InlineData("table-value", "property Map: A table of keys and values cannot be written as one CPF value")]
        public void Objects_that_are_neither_are_errors_naming_the_input(string kind, string message)
        {
            List<KeyValuePair<string, object?>> bag = kind switch
            {
                "both" => Bag(("Action", "CreateUser"), ("Section", "config")),
                "neither" => Bag(("Name", "X"), ("Directory", "/d")),
                "actions-section" => Bag(("Section", "Actions"), ("Name", "X"), ("Value", "1")),
                "no-name" => Bag(("Section", "config"), ("Value", "1")),
                "no-value" => Bag(("Section", "config"), ("Name", "MaxServerConn"), ("Value", null)),
                "extra" => Bag(("Section", "config"), ("Name", "A"), ("Value", "1"), ("Comment", "x")),
                "empty-action" => Bag(("Action", string.Empty)),
                _ => Bag(("Action", "ConfigMirror"), ("Map", new System.Collections.Hashtable { ["a"] = 1 })),
            };

            var error = Assert.Throws<IrisOpsException>(() => CpfRecordConverter.FromProperties(bag, Input));
            Assert.Equal(CpfRecordConverter.InvalidInputId, error.ErrorId);
            Assert.StartsWith("pipeline input 2: the object ", error.Message);
            Assert.Contains(message, error.Message);
        }

        [Fact]
        public void The_layout_comes_first_then_the_inputs_in_order()
        {
            var composer = new MergeFileComposer();
            IrisLayout layout = LayoutReader.Parse("startup: { WebServer: 1 }\ndatabases:\n  - { name: APPDATA, role: data, directory: /d }\n", "l.yml");
            composer.AddLayout(layout, LayoutStage.All, new RecordingReporter());
            composer.Add(CpfParser.Parse("# from a file\n[config]\nMaxServerConn=1\n", "f.cpf"));
            composer.Add(new CpfAction("CreateUser", ("Name", "u")));
            composer.Add(new CpfEntry("config", "MaxServerConn", "3"));
            composer.Add(new CpfEntry("Startup", "WebServer", "0"));
            composer.Add(new CpfEntry("SQL", "Comment", "x"));

            MergeFile file = composer.Finish(new CpfValidationOptions(), new CpfWriteOptions(), new RecordingReporter());

            string[] lines = file.Text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("# All", StringComparison.Ordinal) && !l.StartsWith("# With", StringComparison.Ordinal)).ToArray();
            Assert.Equal(new[]
            {
                "[Startup]", "WebServer=0", "[Actions]", "# Build stage: resources, data and config databases.",
                "CreateDatabase:Name=APPDATA,Directory=/d,MountAtStartup=1", "CreateUser:Name=u",
                "# from a file", "[config]", "MaxServerConn=3", "[SQL]", "Comment=x",
            }, lines);
            Assert.Equal("2 action(s) and 3 section entries", file.Describe());
        }

        [Fact]
        public void Finish_checks_the_actions_and_the_values_before_any_text_exists()
        {
            var composer = new MergeFileComposer();
            composer.Add(new CpfAction("CreateDatabse", ("Name", "X"), ("Directory", "/d")) { Source = Input });
            var error = Assert.Throws<IrisOpsException>(() => composer.Finish(new CpfValidationOptions(), new CpfWriteOptions(), new RecordingReporter()));
            Assert.StartsWith("pipeline input 2: unknown action 'CreateDatabse'. Did you mean CreateDatabase?", error.Message);

            composer = new MergeFileComposer();
            composer.Add(new CpfAction("CreateDatabase", ("Name", "X"), ("Directory", "/d\n[Startup]")) { Source = Input });
            error = Assert.Throws<IrisOpsException>(() => composer.Finish(new CpfValidationOptions(), new CpfWriteOptions(), new RecordingReporter()));
            Assert.Contains("line 2, action CreateDatabase, property Directory (from pipeline input 2): the value contains a line break", error.Message);
        }

        [Fact]
        public void The_documents_given_are_not_changed()
        {
            CpfDocument original = Corpus.Parse("seed002-merge.cpf");
            var composer = new MergeFileComposer();
            composer.Add(original);
            composer.Add(new CpfEntry("Startup", "WebServer", "0"));
            composer.Finish(new CpfValidationOptions(), new CpfWriteOptions(), new RecordingReporter());

            Assert.Equal("1", original.Get("Startup", "WebServer"));
        }

        [Fact]
        public void WriteFile_writes_utf8_without_a_byte_order_mark_and_replaces_the_old_file()
        {
            using var folder = new TempFolder();
            string path = folder.Combine("merge.cpf");
            File.WriteAllText(path, "old");
            var composer = new MergeFileComposer();
            composer.Add(new CpfEntry("SQL", "Comment", "déjà vu"));
            MergeFile file = composer.Finish(new CpfValidationOptions(), new CpfWriteOptions { LineEnding = CpfLineEnding.CrLf }, new RecordingReporter());

            MergeFileComposer.CheckTarget(path, force: true);
            MergeFileComposer.WriteFile(file, path, force: true);

            byte[] bytes = File.ReadAllBytes(path);
            Assert.Equal(Encoding.UTF8.GetBytes("[SQL]\r\nComment=déjà vu\r\n"), bytes);
            Assert.Single(Directory.GetFiles(folder.Path));
        }

        [Fact]
        public void CheckTarget_refuses_an_existing_file_without_Force_a_missing_folder_and_a_folder()
        {
            using var folder = new TempFolder();
            string existing = folder.Combine("merge.cpf");
            File.WriteAllText(existing, "keep");

            var clobber = Assert.Throws<IrisOpsException>(() => MergeFileComposer.CheckTarget(existing, force: false));
            Assert.Equal("FileExists", clobber.ErrorId);
            Assert.Contains("-Force", clobber.Message, StringComparison.Ordinal);
            Assert.Equal(IrisErrorKind.ResourceExists, clobber.Kind);
            Assert.Equal("MergeFileFolderNotFound", Assert.Throws<IrisOpsException>(() => MergeFileComposer.CheckTarget(folder.Combine("no", "merge.cpf"), false)).ErrorId);
            Assert.Equal("MergeFilePathIsFolder", Assert.Throws<IrisOpsException>(() => MergeFileComposer.CheckTarget(folder.Path, false)).ErrorId);
            Assert.Equal("keep", File.ReadAllText(existing));
        }

        [Fact]
        public void A_merge_file_with_actions_named_iris_cpf_gets_a_warning()
        {
            var composer = new MergeFileComposer();
            composer.Add(new CpfAction("CreateResource", ("Name", "%DB_APP")));
            MergeFile file = composer.Finish(new CpfValidationOptions(), new CpfWriteOptions(), new RecordingReporter());
            var reporter = new RecordingReporter();

            file.WarnIfInstanceCpf("/durable/iconfig/iris.cpf", reporter);
            file.WarnIfInstanceCpf("/tmp/merge.cpf", reporter);

            Assert.Contains("an instance whose iris.cpf has one fails to start", Assert.Single(reporter.Warnings));
        }
    }
}
