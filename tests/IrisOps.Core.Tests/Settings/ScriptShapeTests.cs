using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IrisOps.Core.Settings;
using Xunit;

namespace IrisOps.Tests.Settings
{
    public class ScriptShapeTests
    {
        internal static List<DefaultSetting> HostileRows()
        {
            var rows = new List<DefaultSetting>();
            int n = 0;
            foreach (string value in HostileStrings.Fixed.Concat(HostileStrings.Random(200, seed: 7, xmlSafeOnly: false)))
            {
                n++;
                rows.Add(new DefaultSetting
                {
                    ProductionName = n % 3 == 0 ? "*" : "APP.Production",
                    ItemName = "Item \"" + n + "\" _$zf(-1)",
                    HostClassName = n % 2 == 0 ? "*" : "EnsLib.HL7.Operation.TCPOperation",
                    SettingName = "Setting" + n,
                    SettingValue = value,
                    Description = n % 4 == 0 ? null : "desc \" " + value.Substring(0, Math.Min(value.Length, 10)),
                    Deployable = n % 5 == 0 ? (bool?)null : n % 2 == 0,
                    Source = "row " + n,
                });
            }

            return rows;
        }

        /// <summary>The line with every string literal replaced by "": what would run as code.</summary>
        internal static string CodeOutsideLiterals(string line)
        {
            var code = new StringBuilder();
            bool inside = false;
            for (int i = 0; i < line.Length; i++)
            {
                char ch = line[i];
                if (inside)
                {
                    if (ch == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            i++;
                            continue;
                        }

                        inside = false;
                        code.Append('"');
                    }

                    continue;
                }

                if (ch == '"')
                {
                    inside = true;
                }

                code.Append(ch);
            }

            Assert.False(inside, "a literal is not closed: " + line.Substring(0, Math.Min(80, line.Length)));
            return code.ToString();
        }

        [Theory]
        [InlineData(SettingsScriptKind.Apply)]
        [InlineData(SettingsScriptKind.PreviewApply)]
        [InlineData(SettingsScriptKind.Remove)]
        [InlineData(SettingsScriptKind.PreviewRemove)]
        public void One_script_carries_every_row_exactly(SettingsScriptKind kind)
        {
            var rows = HostileRows();
            SettingsScript script = DefaultSettingScript.Create(kind, rows);
            var instance = new FakeInstance();
            instance.Run(script);
            Assert.Equal(rows.Count, instance.Received.Count);
            bool apply = kind == SettingsScriptKind.Apply || kind == SettingsScriptKind.PreviewApply;
            for (int i = 0; i < rows.Count; i++)
            {
                Assert.Equal(rows[i].Id, instance.Received[i].Id);
                if (apply)
                {
                    Assert.Equal(rows[i].SettingValue, instance.Received[i].SettingValue);
                    Assert.Equal(rows[i].Description, instance.Received[i].Description);
                    Assert.Equal(rows[i].Deployable, instance.Received[i].Deployable);
                }
            }

            // One session: the script ends with exactly one halt, and starts once.
            string[] lines = script.Text.TrimEnd('\n').Split('\n');
            Assert.Equal("halt", lines.Last());
            Assert.Single(lines, l => l.Contains("BEGIN|1|"));
        }

        [Fact]
        public void No_value_ever_appears_outside_a_literal()
        {
            var rows = HostileRows();
            foreach (SettingsScriptKind kind in new[] { SettingsScriptKind.Apply, SettingsScriptKind.PreviewApply, SettingsScriptKind.Remove })
            {
                SettingsScript script = DefaultSettingScript.Create(kind, rows, updateProduction: true);
                foreach (string line in script.Text.Split('\n'))
                {
                    string code = CodeOutsideLiterals(line);
                    Assert.DoesNotContain("$zf", code, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain("kill ^", code, StringComparison.OrdinalIgnoreCase);
                    Assert.DoesNotContain("rm -rf", code, StringComparison.Ordinal);
                    Assert.DoesNotContain("IRISOPS|", line, StringComparison.Ordinal); // the marker is never written whole
                    if (line.StartsWith("set ", StringComparison.Ordinal) && !line.StartsWith("set r=", StringComparison.Ordinal) && !line.StartsWith("set m=", StringComparison.Ordinal))
                    {
                        // A data line: set x=<literal> or set x=x_<literal>, nothing else.
                        string expression = line.Substring(6);
                        if (expression.StartsWith(line.Substring(4, 1) + "_", StringComparison.Ordinal))
                        {
                            expression = expression.Substring(2);
                        }

                        ObjectScriptLiteral.Decode(expression);
                    }
                }
            }
        }

        [Fact]
        public void The_script_is_ascii_and_no_line_is_long()
        {
            SettingsScript script = DefaultSettingScript.Create(SettingsScriptKind.Apply, HostileRows(), updateProduction: true);
            Assert.All(script.Text, ch => Assert.True(ch == '\n' || (ch >= 0x20 && ch <= 0x7E)));
            Assert.All(script.Text.Split('\n'), line => Assert.True(line.Length <= 2600, $"a line of {line.Length} characters"));
        }

        [Fact]
        public void A_2000_character_value_of_special_characters_is_spread_over_lines_and_still_comes_back()
        {
            string value = string.Concat(Enumerable.Repeat("\u00e9\"\n", 667)).Substring(0, 2000);
            var rows = new List<DefaultSetting> { new DefaultSetting { SettingName = "Big", SettingValue = value, Source = "row 1" } };
            SettingsScript script = DefaultSettingScript.Create(SettingsScriptKind.Apply, rows);
            Assert.True(script.Text.Split('\n').Count(l => l.StartsWith("set v=v_", StringComparison.Ordinal)) > 1);
            var instance = new FakeInstance();
            instance.Run(script);
            Assert.Equal(value, instance.Received.Single().SettingValue);
        }

        [Fact]
        public void Read_only_scripts_write_nothing()
        {
            var rows = HostileRows();
            foreach (SettingsScriptKind kind in new[] { SettingsScriptKind.PreviewApply, SettingsScriptKind.PreviewRemove, SettingsScriptKind.List })
            {
                SettingsScript script = DefaultSettingScript.Create(kind, kind == SettingsScriptKind.List ? new List<DefaultSetting>() : rows, updateProduction: true);
                Assert.True(script.IsReadOnly);
                string code = string.Join("\n", script.Text.Split('\n').Select(CodeOutsideLiterals));
                foreach (string writer in new[] { "%Save", "%Delete", "tstart", "tcommit", "UpdateProduction", "set ^", "kill ^" })
                {
                    Assert.DoesNotContain(writer, code, StringComparison.OrdinalIgnoreCase);
                }
            }
        }

        [Fact]
        public void Apply_runs_in_one_transaction_and_update_production_only_when_asked()
        {
            var rows = HostileRows().Take(3).ToList();
            string without = DefaultSettingScript.Create(SettingsScriptKind.Apply, rows).Text;
            string with = DefaultSettingScript.Create(SettingsScriptKind.Apply, rows, updateProduction: true).Text;
            Assert.Single(without.Split('\n'), l => l == "tstart");
            Assert.Contains("trollback", without, StringComparison.Ordinal);
            Assert.Equal(3, without.Split('\n').Count(l => l.Contains("%Save()")));
            Assert.DoesNotContain("UpdateProduction", without, StringComparison.Ordinal);
            Assert.Contains("##class(Ens.Director).UpdateProduction()", with, StringComparison.Ordinal);
            Assert.Contains("%OpenId(id", without, StringComparison.Ordinal);
        }
    }
}
