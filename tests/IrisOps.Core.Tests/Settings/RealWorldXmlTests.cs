using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Errors;
using IrisOps.Core.Settings;
using IrisOps.Tests.Cpf;
using Xunit;

namespace IrisOps.Tests.Settings
{
    /// <summary>The default settings files that exist in the wild: plain %Export files and $system.OBJ.Export files.</summary>
    public class RealWorldXmlTests
    {
        private static string CorpusFolder => Path.Combine(AppContext.BaseDirectory, "Settings", "Corpus");

        [Fact]
        public void A_system_obj_export_with_other_documents_reads_its_items()
        {
            string path = Path.Combine(CorpusFolder, "public-export-builder-data.xml");
            IList<DefaultSetting> rows = DefaultSettingXml.ReadFile(path);

            DefaultSetting row = Assert.Single(rows);
            Assert.Equal("*||Test||*||Test", row.Id);
            Assert.Equal("Non-latin: €ş.", row.SettingValue);
            Assert.True(row.Deployable);
            Assert.Equal(string.Empty, row.Description);
            Assert.Contains(path, row.Source);
        }

        [Fact]
        public void Every_public_settings_file_reads_writes_and_reads_back_the_same_rows()
        {
            foreach (string path in Directory.GetFiles(CorpusFolder, "public-*"))
            {
                IList<DefaultSetting> rows = DefaultSettingXml.ReadFile(path);
                Assert.NotEmpty(rows);
                IList<DefaultSetting> back = DefaultSettingXml.Read(DefaultSettingXml.Write(rows.ToList()), "written.xml");
                Assert.Equal(rows.Select(Row), back.Select(Row));
            }
        }

        private static string Row(DefaultSetting row) => $"{row.Id}=<{row.SettingValue}> <{row.Description}> {row.Deployable ?? false}";

        [Fact]
        public void The_settings_corpus_manifest_names_every_file()
        {
            string[] listed = File.ReadAllLines(Path.Combine(CorpusFolder, "manifest.csv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]).ToArray();
            string[] present = Directory.GetFiles(CorpusFolder, "public-*").Select(Path.GetFileName).ToArray()!;
            Assert.Equal(present.OrderBy(n => n, StringComparer.Ordinal), listed.OrderBy(n => n, StringComparer.Ordinal));
        }

        [Fact]
        public void Items_are_taken_wherever_they_are_in_an_export()
        {
            const string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Export generator=\"IRIS\" version=\"26\" zv=\"IRIS for UNIX 2024.1\" ts=\"2024-05-01 10:00:00\">\n" +
                "<Class name=\"App.X\"><Super>%RegisteredObject</Super></Class>\n" +
                "<Document name=\"Ens.Config.DefaultSettings.ESD\">\n<defaultSettings>\n" +
                "<item production=\"APP.Production\" item=\"File In\" class=\"*\" setting=\"FilePath\" value=\"/in\" description=\"inbox\"><Deployable>true</Deployable></item>\n" +
                "<item production=\"*\" item=\"*\" class=\"EnsLib.HL7.Service.TCPService\" setting=\"Port\" value=\"6661\"></item>\n" +
                "</defaultSettings>\n</Document>\n</Export>\n";
            IList<DefaultSetting> rows = DefaultSettingXml.Read(xml, "/x/Settings.xml");

            Assert.Equal(new[] { "APP.Production||File In||*||FilePath", "*||*||EnsLib.HL7.Service.TCPService||Port" }, rows.Select(r => r.Id));
            Assert.Equal("inbox", rows[0].Description);
            Assert.Equal(string.Empty, rows[1].Description);
            Assert.Null(rows[1].Deployable);
            Assert.StartsWith("item 2 (line 7) of /x/Settings.xml", rows[1].Source);
        }

        [Fact]
        public void An_item_in_an_export_is_read_as_strictly_as_in_a_plain_file()
        {
            const string xml = "<Export><Document name=\"Ens.Config.DefaultSettings.ESD\"><defaultSettings>\n<item setting=\"S\" colour=\"red\"/></defaultSettings></Document></Export>";
            var error = Assert.Throws<IrisOpsException>(() => DefaultSettingXml.Read(xml, "/x/e.xml"));
            Assert.StartsWith("/x/e.xml line 2: <item> has the attribute 'colour'", error.Message);
        }

        [Fact]
        public void An_export_without_default_settings_has_no_rows()
        {
            Assert.Empty(DefaultSettingXml.Read("<Export generator=\"IRIS\"><Document name=\"T.LUT\"><lookupTable/></Document></Export>", "t.xml"));
        }

        [Fact]
        public void A_missing_description_is_written_and_read_as_an_empty_one()
        {
            var row = new DefaultSetting { SettingName = "Port", SettingValue = "1" };
            string xml = DefaultSettingXml.Write(new[] { row });
            Assert.Contains("description=\"\"", xml);
            Assert.Equal(string.Empty, DefaultSettingXml.Read(xml, "x.xml")[0].Description);
        }

        [Fact]
        public void A_file_error_names_the_full_path()
        {
            string folder = Path.Combine(Path.GetTempPath(), "irisops-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                string path = Path.Combine(folder, "bad.xml");
                File.WriteAllText(path, "<settings/>");
                var error = Assert.Throws<IrisOpsException>(() => DefaultSettingXml.ReadFile(path));
                Assert.StartsWith(path + " line 1: ", error.Message);
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [Theory]
        [InlineData("PoolSize", "a business host")]
        [InlineData("Enabled", "a business host")]
        [InlineData("poolsize", "a business host")]
        [InlineData("ActorPoolSize", "a production")]
        [InlineData("TestingEnabled", "a production")]
        public void System_overrides_are_accepted_with_a_warning_that_explains_the_precedence(string setting, string owner)
        {
            var row = new DefaultSetting { ItemName = "File In", SettingName = setting, SettingValue = "2", Source = "row 1" };
            var reporter = new RecordingReporter();
            DefaultSettingValidator.Validate(new[] { row }, reporter);

            string warning = Assert.Single(reporter.Warnings);
            Assert.StartsWith("row 1 (ProductionName=*, ItemName=File In", warning);
            Assert.Contains($"of {owner} is a system override", warning);
            Assert.Contains("wins over the value in the production", warning);
        }

        [Fact]
        public void Other_settings_give_no_warning()
        {
            var reporter = new RecordingReporter();
            DefaultSettingValidator.Validate(new[] { new DefaultSetting { SettingName = "Port", SettingValue = "1", Source = "row 1" } }, reporter);
            Assert.Empty(reporter.Warnings);
        }
    }
}
