using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using IrisOps.Core.Settings;

namespace IrisOps.Tests.Settings
{
    /// <summary>
    /// Plays the instance for a generated script: reads the row assignments back with the literal decoder (so
    /// the test fails if a value is written any other way), applies the script's kind to an in-memory table and
    /// prints the result lines the real script would print, with a prompt in front as a terminal may.
    /// </summary>
    internal sealed class FakeInstance
    {
        private static readonly Regex Assignment = new Regex(@"^set ([pisvdc])=(\1_)?(.*)$", RegexOptions.Singleline);
        private static readonly Regex RowStart = new Regex(@"^set r=(\d+),hd=([01]),hp=([01]),dp=([01])$");

        public Dictionary<string, (string Value, string Description, bool Deployable)> Table { get; } =
            new Dictionary<string, (string, string, bool)>(StringComparer.Ordinal);

        /// <summary>The rows the script carried, as the fake read them.</summary>
        public List<DefaultSetting> Received { get; } = new List<DefaultSetting>();

        public bool Interoperability { get; set; } = true;

        /// <summary>Row number that fails with an error, as a failed %Save would.</summary>
        public int FailRow { get; set; }

        public string Prompt { get; set; } = "USER>";

        public string Run(SettingsScript script)
        {
            var output = new StringBuilder();
            string? marker = null;
            var vars = new Dictionary<string, string>();
            int row = 0;
            bool hd = false, hp = false, dp = false, failed = false;
            int count = 0;
            var snapshot = new Dictionary<string, (string, string, bool)>(Table, StringComparer.Ordinal);
            foreach (string line in script.Text.Split('\n'))
            {
                if (line.Length == 0)
                {
                    continue;
                }

                Match start = RowStart.Match(line);
                Match set = Assignment.Match(line);
                if (line.StartsWith("set m=", StringComparison.Ordinal))
                {
                    marker = ObjectScriptLiteral.Decode(line.Substring(6, line.IndexOf(",f=", StringComparison.Ordinal) - 6));
                }
                else if (line.StartsWith("if '##class(%Dictionary", StringComparison.Ordinal))
                {
                    if (!Interoperability)
                    {
                        output.Append(Prompt).Append('\n').Append(marker).Append("BEGIN|0|USER\n");
                        return output.ToString();
                    }
                }
                else if (line.StartsWith("write !,m,\"BEGIN|1|\"", StringComparison.Ordinal))
                {
                    output.Append(Prompt).Append('\n').Append(marker).Append("BEGIN|1|USER\n");
                }
                else if (start.Success)
                {
                    row = int.Parse(start.Groups[1].Value, CultureInfo.InvariantCulture);
                    hd = start.Groups[2].Value == "1";
                    hp = start.Groups[3].Value == "1";
                    dp = start.Groups[4].Value == "1";
                    vars.Clear();
                }
                else if (set.Success)
                {
                    string name = set.Groups[1].Value;
                    string value = ObjectScriptLiteral.Decode(set.Groups[3].Value);
                    vars[name] = set.Groups[2].Success ? vars[name] + value : value;
                }
                else if (line.StartsWith("if 'f { try { ", StringComparison.Ordinal) && row > 0 && !line.Contains("GetProductionStatus"))
                {
                    if (failed)
                    {
                        continue;
                    }

                    var received = new DefaultSetting
                    {
                        ProductionName = vars["p"],
                        ItemName = vars["i"],
                        HostClassName = vars["c"],
                        SettingName = vars["s"],
                        SettingValue = vars.TryGetValue("v", out string? v) ? v : string.Empty,
                        Description = hd && vars.ContainsKey("d") ? vars["d"] : null,
                        Deployable = hp ? dp : (bool?)null,
                        Source = "row " + row,
                    };
                    Received.Add(received);
                    if (row == FailRow)
                    {
                        failed = true;
                        output.Append(marker).Append("R|").Append(row).Append("|Error|||||0|").Append(DefaultSettingReply.EncodeField("ERROR #5802: Datatype validation failed")).Append('\n');
                        continue;
                    }

                    string id = received.Id;
                    bool existed = Table.TryGetValue(id, out var old);
                    string action;
                    (string Value, string Description, bool Deployable) now;
                    if (script.Kind == SettingsScriptKind.Apply || script.Kind == SettingsScriptKind.PreviewApply)
                    {
                        now = (received.SettingValue, hd ? received.Description! : (existed ? old.Description : string.Empty), hp ? dp : existed && old.Deployable);
                        action = !existed ? "Added" : now.Equals(old) ? "Unchanged" : "Updated";
                        if (script.Kind == SettingsScriptKind.Apply)
                        {
                            Table[id] = now;
                        }
                    }
                    else
                    {
                        now = (string.Empty, existed ? old.Description : string.Empty, existed && old.Deployable);
                        action = existed ? "Removed" : "NotFound";
                        if (script.Kind == SettingsScriptKind.Remove)
                        {
                            Table.Remove(id);
                        }
                    }

                    count++;
                    output.Append(Prompt).Append(marker).Append("R|").Append(row).Append('|').Append(action).Append('|').Append(existed ? 1 : 0).Append('|')
                        .Append(DefaultSettingReply.EncodeField(existed ? old.Value : string.Empty)).Append('|')
                        .Append(DefaultSettingReply.EncodeField(now.Item1)).Append('|')
                        .Append(DefaultSettingReply.EncodeField(now.Item2)).Append('|')
                        .Append(now.Item3 ? 1 : 0).Append("|\n");
                }
                else if (line.StartsWith("if f { trollback", StringComparison.Ordinal))
                {
                    if (failed)
                    {
                        Table.Clear();
                        foreach (var pair in snapshot)
                        {
                            Table[pair.Key] = pair.Value;
                        }
                    }

                    output.Append(marker).Append(failed ? "END|ROLLEDBACK|" : "END|COMMITTED|").Append(count).Append("|\n");
                }
                else if (line.StartsWith("write !,m,\"END|PREVIEW|\"", StringComparison.Ordinal))
                {
                    output.Append(marker).Append("END|PREVIEW|").Append(count).Append("|\n");
                }
                else if (line.Contains("GetProductionStatus"))
                {
                    if (!failed)
                    {
                        output.Append(marker).Append("UPDATE|OK|").Append(DefaultSettingReply.EncodeField("APP.Production")).Append('\n');
                    }
                }
                else if (line.Contains("%ExecDirect"))
                {
                    foreach (var pair in Table)
                    {
                        string[] key = pair.Key.Split(new[] { "||" }, StringSplitOptions.None);
                        output.Append(marker).Append("S|").Append(DefaultSettingReply.EncodeField(key[0])).Append('|').Append(DefaultSettingReply.EncodeField(key[1])).Append('|')
                            .Append(DefaultSettingReply.EncodeField(key[2])).Append('|').Append(DefaultSettingReply.EncodeField(key[3])).Append('|')
                            .Append(DefaultSettingReply.EncodeField(pair.Value.Value)).Append('|').Append(DefaultSettingReply.EncodeField(pair.Value.Description)).Append('|')
                            .Append(pair.Value.Deployable ? 1 : 0).Append('\n');
                    }
                }
                else if (line.StartsWith("if 'f { write !,m,\"END|LISTED|\"", StringComparison.Ordinal))
                {
                    output.Append(marker).Append("END|LISTED|").Append(Table.Count).Append("|\n");
                }
            }

            output.Append(Prompt).Append('\n');
            return output.ToString();
        }
    }
}
