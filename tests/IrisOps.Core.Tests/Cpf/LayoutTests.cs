using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.IO;
using System.Linq;
using IrisOps.Core.Cpf;
using IrisOps.Core.Cpf.Catalog;
using IrisOps.Core.Cpf.Layout;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Cpf
{
    /// <summary>The layout read from YAML, JSON and dictionaries, and rendered into seed 002's two merge files.</summary>
    public class LayoutTests
    {
        private static readonly string ExamplePath = Path.Combine(AppContext.BaseDirectory, "Cpf", "Examples", "app-layout.yml");

        // Seed 002's final install.cpf and merge.cpf, with the documented ResourceName instead of Resource.
        private static readonly string[] SeedBuildActions =
        {
            "CreateResource:Name=%DB_APP,PublicPermission=0",
            "CreateDatabase:Name=APPDATA,Directory=/usr/irissys/mgr/appdata,MountAtStartup=1,ResourceName=%DB_APP",
            "CreateDatabase:Name=APPCONFIG,Directory=/usr/irissys/mgr/appconfig,MountAtStartup=1,ResourceName=%DB_APP",
        };

        private static readonly string[] SeedRuntimeActions =
        {
            "CreateDatabase:Name=APPCODE,Directory=/home/irisowner/mgr/appcode,MountAtStartup=1",
            "CreateNamespace:Name=APP,Globals=APPDATA,Routines=APPCODE,Interop=1",
            "CreateMapGlobal:Name=Ens.Config.*,Namespace=APP,Database=APPCONFIG",
            "CreateMapGlobal:Name=Ens.AutoStart,Namespace=APP,Database=APPCODE",
            "CreateMapGlobal:Name=EnsLib.DICO*,Namespace=APP,Database=APPCONFIG",
            "CreateMapGlobal:Name=Ens.LookupTable,Namespace=APP,Database=APPCONFIG",
            "CreateMapGlobal:Name=Ens.Util.LookupTableS,Namespace=APP,Database=APPCONFIG",
        };

        private static string[] Lines(CpfDocument document) =>
            CpfWriter.Write(document).Split('\n').Where(line => line.Length > 0 && !line.StartsWith("#", StringComparison.Ordinal)).ToArray();

        private static CpfDocument Render(IrisLayout layout, LayoutStage stage, RecordingReporter? reporter = null) =>
            LayoutRenderer.Render(layout, stage, reporter ?? new RecordingReporter());

        private static IrisLayout Yaml(string text) => LayoutReader.Parse(text, "layout.yml");

        [Fact]
        public void The_example_build_stage_is_seed_002s_install_cpf()
        {
            var reporter = new RecordingReporter();
            CpfDocument build = Render(LayoutReader.Load(ExamplePath), LayoutStage.Build, reporter);

            Assert.Equal(new[] { "[Actions]" }.Concat(SeedBuildActions), Lines(build));
            Assert.Empty(reporter.Warnings);
            Assert.Contains(build.Preamble.OfType<CpfComment>(), c => c.Text.Contains("iris merge IRIS <file>"));
            Assert.Contains(build.Preamble.OfType<CpfComment>(), c => c.Text.Contains("app-layout.yml") && !c.Text.Contains("/"));
        }

        [Fact]
        public void The_example_runtime_stage_is_seed_002s_merge_cpf()
        {
            var reporter = new RecordingReporter();
            CpfDocument runtime = Render(LayoutReader.Load(ExamplePath), LayoutStage.Runtime, reporter);

            Assert.Equal(new[] { "[Startup]", "WebServer=1", "[Actions]" }.Concat(SeedRuntimeActions), Lines(runtime));
            Assert.Empty(reporter.Warnings);
            Assert.Contains(runtime.Preamble.OfType<CpfComment>(), c => c.Text.Contains("ISC_CPF_MERGE_FILE"));
        }

        [Fact]
        public void The_all_stage_has_both_parts_build_first()
        {
            CpfDocument all = Render(LayoutReader.Load(ExamplePath), LayoutStage.All);

            Assert.Equal(new[] { "[Startup]", "WebServer=1", "[Actions]" }.Concat(SeedBuildActions).Concat(SeedRuntimeActions), Lines(all));
        }

        [Theory]
        [InlineData(LayoutStage.Build)]
        [InlineData(LayoutStage.Runtime)]
        [InlineData(LayoutStage.All)]
        public void Rendered_stages_pass_the_catalog_and_read_back_the_same(LayoutStage stage)
        {
            CpfDocument document = Render(LayoutReader.Load(ExamplePath), stage);
            var reporter = new RecordingReporter();

            CpfActionValidator.Validate(document, new CpfValidationOptions(), reporter);
            Assert.Empty(reporter.Warnings);
            Assert.Equal(Shape.Of(document), Shape.Of(CpfParser.Parse(CpfWriter.Write(document), "rendered.cpf")));
        }

        [Fact]
        public void Json_with_tabs_gives_the_same_layout_as_yaml()
        {
            using var folder = new TempFolder();
            string json = folder.Combine("layout.json");
            File.WriteAllText(json, "{\n\t\"resources\": [ { \"name\": \"%DB_APP\", \"publicPermission\": 0 } ],\n\t\"databases\": [\n" +
                "\t\t{ \"name\": \"APPCODE\", \"role\": \"code\", \"directory\": \"/home/irisowner/mgr/appcode\" },\n" +
                "\t\t{ \"name\": \"APPDATA\", \"role\": \"data\", \"directory\": \"/usr/irissys/mgr/appdata\", \"resource\": \"%DB_APP\" },\n" +
                "\t\t{ \"name\": \"APPCONFIG\", \"role\": \"config\", \"directory\": \"/usr/irissys/mgr/appconfig\", \"resource\": \"%DB_APP\" }\n\t],\n" +
                "\t\"namespaces\": [ { \"name\": \"APP\", \"globals\": \"APPDATA\", \"routines\": \"APPCODE\", \"interoperability\": true } ],\n" +
                "\t\"startup\": { \"WebServer\": 1 }\n}\n");

            IrisLayout layout = LayoutReader.Load(json);
            Assert.Equal(Lines(Render(LayoutReader.Load(ExamplePath), LayoutStage.All)), Lines(Render(layout, LayoutStage.All)));
        }

        [Fact]
        public void Dictionaries_and_lists_give_the_same_layout_as_yaml()
        {
            var tree = new OrderedDictionary
            {
                ["Resources"] = new List<object?> { new Dictionary<string, object?> { ["name"] = "%DB_APP", ["publicPermission"] = 0 } },
                ["databases"] = new object[]
                {
                    new Dictionary<string, object?> { ["name"] = "APPCODE", ["role"] = "Code", ["directory"] = "/home/irisowner/mgr/appcode" },
                    new Dictionary<string, object?> { ["name"] = "APPDATA", ["role"] = "data", ["directory"] = "/usr/irissys/mgr/appdata", ["resource"] = "%DB_APP" },
                    new Dictionary<string, object?> { ["name"] = "APPCONFIG", ["role"] = "config", ["directory"] = "/usr/irissys/mgr/appconfig", ["resource"] = "%DB_APP" },
                },
                ["namespaces"] = new[] { new Dictionary<string, object?> { ["name"] = "APP", ["globals"] = "APPDATA", ["routines"] = "APPCODE", ["interoperability"] = true } },
                ["startup"] = new Dictionary<string, object?> { ["WebServer"] = 1 },
            };

            IrisLayout layout = LayoutReader.FromObject(tree);
            Assert.Equal(Lines(Render(LayoutReader.Load(ExamplePath), LayoutStage.All)), Lines(Render(layout, LayoutStage.All)));
        }

        [Fact]
        public void Every_layout_feature_renders_in_its_stage()
        {
            IrisLayout layout = Yaml(@"
resources:
  - { name: '%DB_APP', description: 'App, databases' }
databases:
  - { name: APPCODE, role: code, directory: /home/irisowner/mgr/appcode, resource: '%DB_CODE', properties: { ReadOnly: 1 } }
  - { name: APPDATA, role: data, directory: /usr/irissys/mgr/appdata, mountAtStartup: false, properties: { MaxSize: 0, Size: 100 } }
  - { name: LOGS, role: other, directory: /usr/irissys/mgr/logs }
namespaces:
  - { name: APP, globals: APPDATA, routines: APPCODE, tempGlobals: IRISTEMP, interoperability: false }
  - { name: REPORTS, globals: APPDATA }
mappings:
  globals:  [ { namespace: APP, name: 'App.Cache*', database: LOGS } ]
  routines: [ { namespace: APP, name: 'AppUtil*', database: APPCODE } ]
  packages: [ { namespace: '%ALL', name: 'App.Lib', database: APPCODE } ]
config: { MaxServerConn: 3, ShowMe: true }
sections: { Journal: { FreezeOnError: 1 } }
actions:
  - { action: CreateUser, properties: { Name: app, Roles: '%DB_APP,%SQL' } }
  - { action: CreateRole, stage: build, properties: { Name: AppRole } }
");
            var reporter = new RecordingReporter();
            Assert.Equal(new[]
            {
                "[Actions]",
                "CreateResource:Name=%DB_APP,Description=\"App, databases\"",
                "CreateResource:Name=%DB_CODE",
                "CreateDatabase:Name=APPDATA,Directory=/usr/irissys/mgr/appdata,MountAtStartup=0,MaxSize=0,Size=100",
                "CreateDatabase:Name=LOGS,Directory=/usr/irissys/mgr/logs,MountAtStartup=1",
                "CreateRole:Name=AppRole",
            }, Lines(Render(layout, LayoutStage.Build, reporter)));
            Assert.Equal(new[]
            {
                "[config]",
                "MaxServerConn=3",
                "ShowMe=1",
                "[Journal]",
                "FreezeOnError=1",
                "[Actions]",
                "CreateDatabase:Name=APPCODE,Directory=/home/irisowner/mgr/appcode,MountAtStartup=1,ResourceName=%DB_CODE,ReadOnly=1",
                "CreateNamespace:Name=APP,Globals=APPDATA,Routines=APPCODE,TempGlobals=IRISTEMP,Interop=0",
                "CreateNamespace:Name=REPORTS,Globals=APPDATA",
                "CreateMapGlobal:Name=App.Cache*,Namespace=APP,Database=LOGS",
                "CreateMapRoutine:Name=AppUtil*,Namespace=APP,Database=APPCODE",
                "CreateMapPackage:Name=App.Lib,Namespace=%ALL,Database=APPCODE",
                "CreateUser:Name=app,Roles=\"%DB_APP,%SQL\"",
            }, Lines(Render(layout, LayoutStage.Runtime, reporter)));
            Assert.Empty(reporter.Warnings);
        }

        [Fact]
        public void A_layout_mapping_replaces_the_interoperability_default_for_that_global()
        {
            IrisLayout layout = Yaml(@"
databases:
  - { name: APPCODE, role: code, directory: /home/irisowner/mgr/appcode }
  - { name: APPDATA, role: data, directory: /usr/irissys/mgr/appdata }
  - { name: CFG1, role: config, directory: /usr/irissys/mgr/cfg1 }
  - { name: CFG2, role: config, directory: /usr/irissys/mgr/cfg2 }
namespaces:
  - { name: APP, globals: APPDATA, interoperability: true, configDatabase: CFG2 }
mappings:
  globals: [ { namespace: app, name: Ens.LookupTable, database: CFG1 } ]
");
            string[] lines = Lines(Render(layout, LayoutStage.Runtime));

            Assert.Contains("CreateMapGlobal:Name=Ens.Config.*,Namespace=APP,Database=CFG2", lines);
            Assert.Contains("CreateMapGlobal:Name=Ens.LookupTable,Namespace=app,Database=CFG1", lines);
            Assert.DoesNotContain("CreateMapGlobal:Name=Ens.LookupTable,Namespace=APP,Database=CFG2", lines);
            Assert.DoesNotContain(lines, l => l.Contains("Ens.AutoStart")); // no routines database: AutoStart stays with the rest
        }

        [Theory]
        [InlineData("stage: build", "code database APPCODE is created in the build stage, so durable %SYS copies it to durable storage")]
        [InlineData("directory: /durable/iconfig/appcode", "code database APPCODE is on durable storage (/durable/iconfig/appcode is under /durable/iconfig)")]
        [InlineData("directory: appcode", "has the relative directory 'appcode'")]
        public void A_code_database_on_durable_storage_gets_a_warning_that_says_why(string change, string warning)
        {
            string code = "{ name: APPCODE, role: code, directory: /home/irisowner/mgr/appcode }";
            string changed = change.StartsWith("stage", StringComparison.Ordinal)
                ? code.Replace(" }", ", " + change + " }")
                : code.Replace("directory: /home/irisowner/mgr/appcode", change);
            IrisLayout layout = Yaml($"durableDirectory: /durable/iconfig/\ndatabases:\n  - {changed}\n");
            var reporter = new RecordingReporter();

            Render(layout, LayoutStage.All, reporter);

            string message = Assert.Single(reporter.Warnings);
            Assert.StartsWith("layout.yml line 3 (databases[0]): ", message);
            Assert.Contains(warning, message);
            Assert.Contains("the code of every later image would be ignored", message);
        }

        [Fact]
        public void Placement_warnings_follow_the_stage_being_rendered()
        {
            IrisLayout layout = Yaml("databases:\n  - { name: APPCODE, role: code, directory: /home/irisowner/mgr/appcode, stage: build }\n");
            var reporter = new RecordingReporter();

            Render(layout, LayoutStage.Runtime, reporter);
            Assert.Empty(reporter.Warnings);
            Render(layout, LayoutStage.Build, reporter);
            Assert.Single(reporter.Warnings);
        }

        [Fact]
        public void Data_at_runtime_off_the_volume_and_data_built_under_the_volume_get_warnings()
        {
            IrisLayout layout = Yaml(@"
durableDirectory: /durable/iconfig
databases:
  - { name: LOST, role: data, directory: /usr/irissys/mgr/lost, stage: runtime }
  - { name: KEPT, role: data, directory: /durable/iconfig/kept, stage: runtime }
  - { name: HIDDEN, role: config, directory: /durable/iconfig/hidden }
");
            var reporter = new RecordingReporter();
            Render(layout, LayoutStage.All, reporter);

            Assert.Equal(2, reporter.Warnings.Count);
            Assert.Contains("data database LOST is created at runtime at '/usr/irissys/mgr/lost'", reporter.Warnings[0]);
            Assert.Contains("lost when the container is replaced", reporter.Warnings[0]);
            Assert.Contains("config database HIDDEN is created during the image build under the durable directory", reporter.Warnings[1]);
        }

        [Fact]
        public void References_to_undeclared_databases_and_namespaces_get_warnings_with_suggestions()
        {
            IrisLayout layout = Yaml(@"
databases:
  - { name: APPDATA, role: data, directory: /usr/irissys/mgr/appdata }
namespaces:
  - { name: APP, globals: APPDATTA }
mappings:
  globals: [ { namespace: APPP, name: X, database: IRISLIB } ]
");
            var reporter = new RecordingReporter();
            Render(layout, LayoutStage.Runtime, reporter);

            Assert.Equal(3, reporter.Warnings.Count);
            Assert.Contains("database APPDATTA is not declared in the layout, so it must already exist on the instance. Did you mean APPDATA?", reporter.Warnings[0]);
            Assert.Contains("database IRISLIB is not declared", reporter.Warnings[1]);
            Assert.Contains("namespace APPP is not declared in the layout, so it must already exist on the instance. Did you mean APP?", reporter.Warnings[2]);
        }

        [Theory]
        [InlineData("databases:\n  - { name: A, role: data, directry: /a }\n", "layout.yml line 2 (databases[0].directry): 'directry' is not a layout key. Did you mean 'directory'?")]
        [InlineData("databse:\n  - { name: A }\n", "(databse): 'databse' is not a layout key. Did you mean 'databases'?")]
        [InlineData("databases:\n  - { name: A, role: cod, directory: /a }\n", "(databases[0].role): 'cod' is not a database role; use code, data, config or other.")]
        [InlineData("databases:\n  - { name: A, role: 1, directory: /a }\n", "'1' is not a database role")]
        [InlineData("databases:\n  - { name: A, role: data, directory: /a, stage: later }\n", "'later' is not a stage; use build or runtime.")]
        [InlineData("databases:\n  - { name: A, role: data }\n", "layout.yml line 2 (databases[0]): 'directory' is required.")]
        [InlineData("databases:\n  - { name: A, role: data, directory: /a, mountAtStartup: maybe }\n", "must be true or false")]
        [InlineData("databases: APPDATA\n", "(databases): must be a list")]
        [InlineData("databases:\n  - APPDATA\n", "(databases[0]): must be a map of keys and values")]
        [InlineData("- a\n- b\n", "layout.yml line 1: must be a map of keys and values, not a list.")]
        [InlineData("config: { MaxServerConn: }\n", "(config.MaxServerConn): has no value")]
        [InlineData("config: { MaxServerConn: [1, 2] }\n", "must be a single value, not a list")]
        [InlineData("sections: { Actions: { A: 1 } }\n", "actions go in the layout's 'actions' list")]
        [InlineData("databases:\n  - { name: A, role: data, directory: /a }\n  - { name: a, role: data, directory: /b }\n", "the database a is declared twice")]
        [InlineData("databases:\n  - { name: A, role: data, directory: /a, properties: { Resource: x } }\n", "properties.Resource is written from the database's own fields; set resource instead.")]
        [InlineData("namespaces:\n  - { name: APP, globals: APPDATA, interoperability: true }\n", "interoperability is on, but the layout has no database with role config")]
        [InlineData("databases:\n  - { name: C1, role: config, directory: /a }\n  - { name: C2, role: config, directory: /b }\nnamespaces:\n  - { name: APP, globals: C1, interoperability: true }\n", "several config databases (C1, C2); say which one")]
        [InlineData("mappings:\n  globals:\n    - { namespace: APP, name: X, database: D }\n    - { namespace: APP, name: x, database: D }\n", "x is mapped twice in namespace APP")]
        [InlineData("durableDirectory: durable\n", "durableDirectory 'durable' must be an absolute path")]
        [InlineData("actions:\n  - { action: 'Create User', properties: { Name: x } }\n", "'Create User' is not a valid action name")]
        [InlineData("actions:\n  - { action: CreateUser, stage: all }\n", "'all' is not a stage")]
        public void Layout_mistakes_are_errors_naming_where_they_are(string yaml, string message)
        {
            var error = Assert.Throws<IrisOpsException>(() => Render(Yaml(yaml), LayoutStage.All));

            Assert.Equal(LayoutReader.InvalidLayoutId, error.ErrorId);
            Assert.Equal(IrisErrorKind.InvalidData, error.Kind);
            Assert.StartsWith("layout.yml line ", error.Message);
            Assert.Contains(message, error.Message);
        }

        [Theory]
        [InlineData("databases:\n  - { name: \"APP\\n[Actions]\", role: data, directory: /a }\n", "is not a valid database name")]
        [InlineData("databases:\n  - { name: \"APP,X=1\", role: data, directory: /a }\n", "is not a valid database name")]
        [InlineData("databases:\n  - { name: A, role: data, directory: \"/a\\nCreateUser:Name=evil\" }\n", "directory contains a line break, which would start a new line")]
        [InlineData("databases:\n  - { name: A, role: data, directory: '/a\"b' }\n", "directory contains a double quote")]
        [InlineData("databases:\n  - { name: A, role: data, directory: /a, resource: \"%DB\\r\" }\n", "is not a valid resource name")]
        [InlineData("namespaces:\n  - { name: \"APP]\\n[Startup\", globals: A }\n", "is not a valid namespace name")]
        [InlineData("namespaces:\n  - { name: 1APP, globals: A }\n", "is not a valid namespace name")]
        [InlineData("databases:\n  - { name: APP.DATA, role: data, directory: /a }\n", "is not a valid database name")]
        [InlineData("mappings:\n  globals: [ { namespace: APP, name: \"X\\n[Actions]\", database: D } ]\n", "name contains a line break")]
        [InlineData("config: { \"Max\\nServerConn\": 3 }\n", "is not a valid key")]
        [InlineData("config: { \"[Actions]\": 3 }\n", "is not a valid key")]
        [InlineData("config: { MaxServerConn: \"3\\n[Actions]\" }\n", "the value contains a line break")]
        [InlineData("config: { MaxServerConn: \"3 \" }\n", "the value ends with a space")]
        [InlineData("sections: { \"Jour nal\": { A: 1 } }\n", "is not a section a setting can go in")]
        [InlineData("resources:\n  - { name: '%DB', description: \"a\\u0000b\" }\n", "description contains a NUL character")]
        [InlineData("actions:\n  - { action: CreateUser, properties: { \"Na me\": x } }\n", "is not a valid CreateUser property name")]
        public void No_layout_value_can_inject_a_line_or_break_the_quoting(string yaml, string message)
        {
            var error = Assert.Throws<IrisOpsException>(() => Render(Yaml(yaml), LayoutStage.All));
            Assert.Contains(message, error.Message);
            Assert.Equal(LayoutReader.InvalidLayoutId, error.ErrorId);
        }

        [Theory]
        [InlineData("databases: [ { name: A\n", "layout.yml line ")]
        [InlineData("a: 1\na: 2\n", "layout.yml line 2: Duplicate key")]
        [InlineData("a: 1\n---\nb: 2\n", "several YAML documents")]
        [InlineData("", "is empty")]
        [InlineData("a: &x [ *x ]\n", "layout.yml line")]
        public void Yaml_problems_are_clean_errors_with_the_file_and_line(string yaml, string message)
        {
            var error = Assert.Throws<IrisOpsException>(() => Yaml(yaml));
            Assert.Contains(message, error.Message);
            Assert.Equal(IrisErrorKind.InvalidData, error.Kind);
        }

        [Fact]
        public void A_missing_layout_file_is_an_object_not_found_error()
        {
            var error = Assert.Throws<IrisOpsException>(() => LayoutReader.Load("/nonexistent/layout.yml"));
            Assert.Equal("LayoutFileNotFound", error.ErrorId);
            Assert.Equal(IrisErrorKind.ObjectNotFound, error.Kind);
        }

        [Fact]
        public void A_dictionary_layout_names_the_path_of_a_mistake()
        {
            var tree = new Dictionary<string, object?> { ["databases"] = new[] { new Dictionary<string, object?> { ["name"] = "A", ["role"] = "data", ["directory"] = "/a", ["size"] = 5 } } };

            var error = Assert.Throws<IrisOpsException>(() => LayoutReader.FromObject(tree));
            Assert.Equal("-Layout (databases[0].size): 'size' is not a layout key. Known keys here: name, role, directory, resource, mountAtStartup, stage, properties.", error.Message);
        }

        [Fact]
        public void A_layout_built_in_code_renders_without_a_file()
        {
            var layout = new IrisLayout();
            layout.Databases.Add(new LayoutDatabase { Name = "APPCODE", Role = DatabaseRole.Code, Directory = "/home/irisowner/mgr/appcode" });
            layout.Databases.Add(new LayoutDatabase { Name = "APPDATA", Directory = "/usr/irissys/mgr/appdata" });
            layout.Namespaces.Add(new LayoutNamespace { Name = "APP", Globals = "APPDATA", Routines = "APPCODE" });
            layout.Settings.Add(new LayoutSetting { Section = "config", Name = "MaxServerConn", Value = "2" });
            layout.Actions.Add(new LayoutAction(new CpfAction("CreateUser", ("Name", "u"))));

            Assert.Equal(new[]
            {
                "[config]", "MaxServerConn=2", "[Actions]",
                "CreateDatabase:Name=APPDATA,Directory=/usr/irissys/mgr/appdata,MountAtStartup=1",
                "CreateDatabase:Name=APPCODE,Directory=/home/irisowner/mgr/appcode,MountAtStartup=1",
                "CreateNamespace:Name=APP,Globals=APPDATA,Routines=APPCODE",
                "CreateUser:Name=u",
            }, Lines(Render(layout, LayoutStage.All)));

            layout.Databases[0].Name = "APP CODE";
            Assert.Contains("database APP CODE: 'APP CODE' is not a valid database name", Assert.Throws<IrisOpsException>(() => Render(layout, LayoutStage.All)).Message);
        }
    }
}
