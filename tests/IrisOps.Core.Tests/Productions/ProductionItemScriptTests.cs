using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using IrisOps.Core.Productions;
using IrisOps.Core.Settings;
using IrisOps.Tests.Settings;
using Xunit;

namespace IrisOps.Tests.Productions
{
    public class ProductionItemScriptTests
    {
        private static readonly Regex Assignment = new Regex(@"^set (p|i|c|w\(""[A-Za-z]+""\)|sn\(\d+\)|sv\(\d+\))=(\1_)?(.*)$", RegexOptions.Singleline);

        internal static ProductionItem Item(int n, string value) => new ProductionItem
        {
            ProductionName = "APP.Production",
            Name = "Item " + n + " (caf\u00e9) #1 'q'",
            ClassName = "EnsLib.File.PassthroughService",
            PoolSize = n % 3,
            Enabled = n % 2 == 0,
            Category = value,
            Comment = "c:" + value,
            Schedule = n % 4 == 0 ? string.Empty : null,
            Settings = { new ProductionItemSetting(ProductionItemSettingTarget.Adapter, "FilePath", value), new ProductionItemSetting(ProductionItemSettingTarget.Host, "TargetConfigNames", "T" + value) },
            Source = "row " + n,
        };

        internal static List<ProductionItem> HostileRows() =>
            HostileStrings.Fixed.Concat(HostileStrings.Random(100, seed: 11, xmlSafeOnly: false)).Select((v, i) => Item(i + 1, v)).ToList();

        /// <summary>The values each variable gets, read back with the literal decoder (continuation lines joined).</summary>
        private static Dictionary<string, string> Assigned(string scriptText, int row)
        {
            var values = new Dictionary<string, string>();
            int current = 0;
            foreach (string line in scriptText.Split('\n'))
            {
                Match start = Regex.Match(line, @"^kill w,sn,st,sv,sk,pv set r=(\d+),");
                if (start.Success)
                {
                    current = int.Parse(start.Groups[1].Value);
                    continue;
                }

                Match set = Assignment.Match(line);
                if (set.Success && current == row)
                {
                    string variable = set.Groups[1].Value;
                    string value = ObjectScriptLiteral.Decode(set.Groups[3].Value);
                    values[variable] = set.Groups[2].Success ? values[variable] + value : value;
                }
            }

            return values;
        }

        [Fact]
        public void Every_value_reaches_the_script_only_as_a_literal_that_decodes_back_exactly()
        {
            List<ProductionItem> rows = HostileRows();
            string text = ProductionItemScript.Create(SettingsScriptKind.Apply, rows, updateProduction: true).Text;
            for (int n = 1; n <= rows.Count; n++)
            {
                ProductionItem row = rows[n - 1];
                Dictionary<string, string> values = Assigned(text, n);
                Assert.Equal(row.ProductionName, values["p"]);
                Assert.Equal(row.Name, values["i"]);
                Assert.Equal(row.ClassName, values["c"]);
                Assert.Equal(row.Category, values["w(\"Category\")"]);
                Assert.Equal(row.Comment, values["w(\"Comment\")"]);
                Assert.Equal((row.PoolSize ?? -1).ToString(), values["w(\"PoolSize\")"]);
                Assert.Equal(row.Enabled == true ? "1" : "0", values["w(\"Enabled\")"]);
                Assert.Equal(row.Schedule != null, values.ContainsKey("w(\"Schedule\")"));
                Assert.False(values.ContainsKey("w(\"Foreground\")"), "a property not given is never assigned");
                Assert.Equal("FilePath", values["sn(1)"]);
                Assert.Equal(row.Settings[0].Value, values["sv(1)"]);
                Assert.Equal(row.Settings[1].Value, values["sv(2)"]);
            }
        }

        [Theory]
        [InlineData(SettingsScriptKind.Apply)]
        [InlineData(SettingsScriptKind.PreviewApply)]
        [InlineData(SettingsScriptKind.Remove)]
        [InlineData(SettingsScriptKind.PreviewRemove)]
        public void Values_never_change_the_code_lines_and_the_script_is_ascii_without_the_marker(SettingsScriptKind kind)
        {
            // Two pipelines of the same shape with different values: every line that is not a value assignment is identical.
            string first = ProductionItemScript.Create(kind, HostileRows().Take(30).ToList(), kind == SettingsScriptKind.Apply).Text;
            string second = ProductionItemScript.Create(kind, Enumerable.Range(1, 30).Select(n => Item(n, "plain " + n)).ToList(), kind == SettingsScriptKind.Apply).Text;
            string[] Code(string text) => text.Split('\n').Where(l => !Assignment.IsMatch(l)).Select(l => Regex.Replace(l, @"^kill w,sn,st,sv,sk,pv set r=\d+,", "ROW")).ToArray();
            Assert.Equal(Code(second), Code(first));
            Assert.All(first, ch => Assert.True(ch == '\n' || (ch >= 0x20 && ch < 0x7F), "pure printable ASCII"));
            Assert.DoesNotContain("IRISOPS|", first);
        }

        [Theory]
        [InlineData(SettingsScriptKind.PreviewApply)]
        [InlineData(SettingsScriptKind.PreviewRemove)]
        [InlineData(SettingsScriptKind.List)]
        public void Read_only_scripts_contain_no_writer(SettingsScriptKind kind)
        {
            var rows = kind == SettingsScriptKind.List ? new List<ProductionItem>() : HostileRows().Take(10).ToList();
            string code = string.Join("\n", ProductionItemScript.Create(kind, rows, updateProduction: true).Text.Split('\n').Select(ScriptShapeTests.CodeOutsideLiterals));
            foreach (string writer in new[] { "%Save", "%Delete", "tstart", "tcommit", ".Insert(", ".SetAt(", ".RemoveAt(", "UpdateProduction", "set $property" })
            {
                Assert.DoesNotContain(writer, code);
            }
        }

        [Fact]
        public void Apply_runs_in_one_transaction_and_updates_the_production_only_when_asked()
        {
            string with = ProductionItemScript.Create(SettingsScriptKind.Apply, HostileRows().Take(3).ToList(), updateProduction: true).Text;
            string without = ProductionItemScript.Create(SettingsScriptKind.Apply, HostileRows().Take(3).ToList()).Text;
            Assert.Single(Regex.Matches(with, "^tstart$", RegexOptions.Multiline));
            Assert.Contains("trollback", with);
            Assert.Contains("##class(Ens.Director).UpdateProduction()", with);
            Assert.DoesNotContain("UpdateProduction", without);

            // The running production is found by the name GetProductionStatus returns, never by an undocumented state number.
            Assert.DoesNotContain("ps'=", with);
            Assert.EndsWith("halt\n", with);
        }

        [Fact]
        public void A_long_value_is_built_over_several_short_lines()
        {
            var row = Item(1, new string('"', 3000) + new string('\u00e9', 3000));
            string text = ProductionItemScript.Create(SettingsScriptKind.Apply, new[] { row }).Text;
            Assert.All(text.Split('\n').Where(l => Assignment.IsMatch(l)), l => Assert.True(l.Length <= DefaultSettingScript.MaximumLineLength + 400, "line of " + l.Length));
            Assert.Equal(row.Category, Assigned(text, 1)["w(\"Category\")"]);
        }

        [Fact]
        public void A_list_script_carries_no_rows()
        {
            Assert.Throws<ArgumentException>(() => ProductionItemScript.Create(SettingsScriptKind.List, new[] { Item(1, "x") }));
            Assert.Contains("SELECT %ID FROM Ens_Config.Production", ProductionItemScript.Create(SettingsScriptKind.List, new ProductionItem[0]).Text);
        }
    }
}
