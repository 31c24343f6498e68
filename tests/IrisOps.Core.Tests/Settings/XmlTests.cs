using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml;
using IrisOps.Core.Errors;
using IrisOps.Core.Settings;
using Xunit;

namespace IrisOps.Tests.Settings
{
    public class XmlTests
    {
        private static List<DefaultSetting> XmlSafeRows()
        {
            var values = HostileStrings.Fixed.Where(HostileStrings.IsXmlSafe).Concat(HostileStrings.Random(1000, seed: 42, xmlSafeOnly: true)).ToList();
            return values.Select((value, n) => new DefaultSetting
            {
                ProductionName = n % 3 == 0 ? "*" : "APP.Production",
                ItemName = "Item <" + n + "> & \"quoted\" 'single'",
                HostClassName = "*",
                SettingName = "S" + n,
                SettingValue = value,
                Description = n % 4 == 0 ? null : value,
                Deployable = n % 2 == 0,
                Source = "row " + (n + 1),
            }).ToList();
        }

        [Fact]
        public void Hostile_values_come_back_exactly()
        {
            var rows = XmlSafeRows();
            string xml = DefaultSettingXml.Write(rows);
            var back = DefaultSettingXml.Read(xml, "test.xml");
            Assert.Equal(rows.Count, back.Count);
            for (int i = 0; i < rows.Count; i++)
            {
                Assert.Equal(rows[i].Id, back[i].Id);
                Assert.Equal(rows[i].SettingValue, back[i].SettingValue);
                // No description means an empty one, as %Import stores it: the writer writes it so.
                Assert.Equal(rows[i].Description ?? string.Empty, back[i].Description);
                Assert.Equal(rows[i].Deployable ?? false, back[i].Deployable);
            }
        }

        [Fact]
        public void A_standard_xml_parser_reads_the_same_values()
        {
            var rows = XmlSafeRows();
            var document = new XmlDocument();
            document.LoadXml(DefaultSettingXml.Write(rows));
            var items = document.DocumentElement!.SelectNodes("item")!.Cast<XmlElement>().ToList();
            Assert.Equal("defaultSettings", document.DocumentElement.Name);
            Assert.Equal(rows.Count, items.Count);
            for (int i = 0; i < rows.Count; i++)
            {
                Assert.Equal(rows[i].SettingValue, items[i].GetAttribute("value"));
                Assert.Equal(rows[i].ItemName, items[i].GetAttribute("item"));
                Assert.Equal(rows[i].Deployable == true ? "true" : "false", items[i]["Deployable"]!.InnerText);
            }
        }

        [Fact]
        public void Newlines_and_tabs_are_character_references_not_literal()
        {
            string xml = DefaultSettingXml.Write(new[] { new DefaultSetting { SettingName = "S", SettingValue = "a\nb\r\tc\"<&>", Source = "row 1" } });
            Assert.Contains("value=\"a&#10;b&#13;&#9;c&quot;&lt;&amp;&gt;\"", xml, StringComparison.Ordinal);
            Assert.Contains("<item production=\"*\" item=\"*\" class=\"*\" setting=\"S\"", xml, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("\u0000")]
        [InlineData("\u0001")]
        [InlineData("\u001b[31m")]
        [InlineData("\uffff")]
        public void Characters_xml_cannot_carry_are_refused_naming_the_row(string bad)
        {
            var rows = new[]
            {
                new DefaultSetting { SettingName = "Fine", SettingValue = "ok", Source = "row 1" },
                new DefaultSetting { SettingName = "Bad", SettingValue = "x" + bad, Source = "row 2" },
            };
            var error = Assert.Throws<IrisOpsException>(() => DefaultSettingXml.Write(rows));
            Assert.Equal(DefaultSettingValidator.NotXmlSafeId, error.ErrorId);
            Assert.Contains("row 2 (", error.Message, StringComparison.Ordinal);
            Assert.Contains("SettingValue", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Writes_the_file_and_reads_it_back()
        {
            string folder = Path.Combine(Path.GetTempPath(), "irisops-xml-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            Directory.CreateDirectory(folder);
            try
            {
                string path = Path.Combine(folder, "site.xml");
                var rows = XmlSafeRows().Take(20).ToList();
                DefaultSettingXml.WriteFile(rows, path, force: false);
                Assert.Equal("FileExists", Assert.Throws<IrisOpsException>(() => DefaultSettingXml.WriteFile(rows, path, force: false)).ErrorId);
                DefaultSettingXml.WriteFile(rows, path, force: true);
                var back = DefaultSettingXml.ReadFile(path);
                Assert.Equal(rows.Select(r => r.SettingValue), back.Select(r => r.SettingValue));
                Assert.StartsWith("item 1 (line 3) of " + path, back[0].Source, StringComparison.Ordinal);
                Assert.Equal(new[] { path }, Directory.GetFiles(folder));
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [Theory]
        [InlineData("<settings/>", "root element")]
        [InlineData("<defaultSettings><item setting=\"S\" colour=\"red\"/></defaultSettings>", "colour")]
        [InlineData("<defaultSettings><item production=\"P\"/></defaultSettings>", "no setting attribute")]
        [InlineData("<defaultSettings><item setting=\"S\"><Other/></item></defaultSettings>", "<Other>")]
        [InlineData("<defaultSettings><item setting=\"S\"><Deployable>maybe</Deployable></item></defaultSettings>", "maybe")]
        [InlineData("<defaultSettings><thing/></defaultSettings>", "<thing>")]
        [InlineData("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><defaultSettings/>", "declares a document type (<!DOCTYPE ...>)")]
        [InlineData("<defaultSettings><item setting=\"S\" value=\"&#0;\"/></defaultSettings>", "invalid character")]
        public void Unknown_or_broken_xml_is_refused(string xml, string expected)
        {
            var error = Assert.Throws<IrisOpsException>(() => DefaultSettingXml.Read(xml, "in.xml"));
            Assert.Equal(DefaultSettingXml.InvalidXmlId, error.ErrorId);
            Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("XmlReader", error.Message, StringComparison.Ordinal); // no .NET programming advice
        }

        [Fact]
        public void A_folder_is_not_a_file_to_read()
        {
            using var folder = new TempFolder();
            IrisOpsException error = Assert.Throws<IrisOpsException>(() => DefaultSettingXml.ReadFile(folder.Path));
            Assert.Equal("SettingsPathIsFolder", error.ErrorId);
            Assert.Equal(IrisErrorKind.InvalidArgument, error.Kind);
        }

        [Fact]
        public void The_iris_export_shape_reads_with_defaults()
        {
            const string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<defaultSettings>\n<item production=\"APP.Production\" item=\"DICOM In\" class=\"*\" setting=\"Port\" value=\"104\" description=\"site port\"><Deployable>true</Deployable></item>\n<item setting=\"ArchivePath\" value=\"/data\"></item>\n</defaultSettings>";
            var rows = DefaultSettingXml.Read(xml, "export.xml");
            Assert.Equal(2, rows.Count);
            Assert.Equal("APP.Production||DICOM In||*||Port", rows[0].Id);
            Assert.True(rows[0].Deployable);
            Assert.Equal("*||*||*||ArchivePath", rows[1].Id);
            Assert.Equal(string.Empty, rows[1].Description);
        }
    }
}
