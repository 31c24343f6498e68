using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Linq;
using System.Text;
using IrisOps.Core.Errors;
using IrisOps.Core.Settings;

namespace IrisOps.Core.Productions
{
    /// <summary>What one container's session did with production items: result objects, and the problems to report as errors.</summary>
    public sealed class ProductionItemOutcome
    {
        public IList<IrisProductionItem> Results { get; } = new List<IrisProductionItem>();

        public IList<IrisOpsException> Problems { get; } = new List<IrisOpsException>();

        public IList<string> Warnings { get; } = new List<string>();

        /// <summary>What went as expected, for -Verbose (the production update's status).</summary>
        public IList<string> Notes { get; } = new List<string>();
    }

    /// <summary>
    /// Reads what `iris session` printed for an <see cref="ItemsScript"/> (result lines as
    /// <see cref="ProductionItemScript"/> describes them) and checks it: every row answered once with an action
    /// that fits, and after Apply the values read back are the values sent. Anything else is an error that shows
    /// the session's last lines, never the script.
    /// </summary>
    public static class ProductionItemReply
    {
        public static ProductionItemOutcome Read(ItemsScript script, string output, string? error, long exitCode, string target, string ns)
        {
            output ??= string.Empty;
            string where = $"container '{target}' (namespace {ns})";
            var values = new Dictionary<int, (OrderedDictionary Before, OrderedDictionary After)>();
            var answers = new Dictionary<int, (string Action, bool Existed, string Text)>();
            var listed = new List<IrisProductionItem>();
            bool? ready = null;
            string? end = null, endError = null, update = null, updateText = null;
            int endCount = 0;
            try
            {
                foreach (string raw in output.Split('\n'))
                {
                    int at = raw.IndexOf(DefaultSettingScript.Marker, StringComparison.Ordinal);
                    if (at < 0)
                    {
                        continue;
                    }

                    string[] f = raw.Substring(at + DefaultSettingScript.Marker.Length).TrimEnd('\r', ' ').Split('|');
                    switch (f[0])
                    {
                        case "BEGIN":
                            DefaultSettingReply.Expect(f, 3, raw);
                            ready = f[1] == "1";
                            break;
                        case "V":
                            DefaultSettingReply.Expect(f, 5, raw);
                            int number = DefaultSettingReply.Number(f[1], raw);
                            if (!values.TryGetValue(number, out var pair))
                            {
                                pair = (new OrderedDictionary(), new OrderedDictionary());
                                values[number] = pair;
                            }

                            OrderedDictionary into = f[2] == "P" ? pair.Before : f[2] == "N" ? pair.After : throw new FormatException($"a V line of kind '{DefaultSetting.Show(f[2], 5)}'");
                            into[DefaultSettingReply.Text(f[3])] = DefaultSettingReply.Text(f[4]);
                            break;
                        case "R":
                            DefaultSettingReply.Expect(f, 4, raw);
                            int row = DefaultSettingReply.Number(f[1], raw);
                            if (answers.ContainsKey(row))
                            {
                                throw new FormatException($"a second answer for row {row}");
                            }

                            answers[row] = (f[2], f[3] == "1", f.Length > 4 ? DefaultSettingReply.Text(f[4]) : string.Empty);
                            break;
                        case "L":
                            DefaultSettingReply.Expect(f, 4, raw);
                            int item = DefaultSettingReply.Number(f[1], raw);
                            var listedItem = new IrisProductionItem { ProductionName = DefaultSettingReply.Text(f[2]), Name = DefaultSettingReply.Text(f[3]), Target = target, Namespace = ns };
                            if (values.TryGetValue(item, out var state))
                            {
                                Fill(listedItem, state.After);
                            }

                            listed.Add(listedItem);
                            break;
                        case "END":
                            DefaultSettingReply.Expect(f, 3, raw);
                            end = f[1];
                            endCount = DefaultSettingReply.Number(f[2], raw);
                            endError = f.Length > 3 && f[3].Length > 0 ? DefaultSettingReply.Text(f[3]) : null;
                            break;
                        case "UPDATE":
                            DefaultSettingReply.Expect(f, 2, raw);
                            update = f[1];
                            updateText = f.Length > 2 ? DefaultSettingReply.Text(f[2]) : string.Empty;
                            break;
                        default:
                            throw new FormatException($"an unknown result line kind '{DefaultSetting.Show(f[0], 20)}'");
                    }
                }
            }
            catch (FormatException ex)
            {
                throw DefaultSettingReply.Unexpected($"The iris session in {where} printed a result line that cannot be read ({ex.Message}).", output, error, exitCode, target);
            }

            if (ready == null)
            {
                throw DefaultSettingReply.NotStarted(output, error, exitCode, target, ns);
            }

            if (ready == false)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "NamespaceNotInteroperability",
                    $"The namespace '{ns}' in container '{target}' is not enabled for interoperability (it has no Ens.Config.Production class), so it has no productions; give the production's namespace with -Namespace.", target);
            }

            if (end == null)
            {
                throw DefaultSettingReply.Unexpected($"The iris session in {where} stopped before the end of the script (exit code {exitCode}); an open transaction is rolled back when a session ends, so nothing was changed.", output, error, exitCode, target);
            }

            var outcome = new ProductionItemOutcome();
            if (script.Kind == SettingsScriptKind.List)
            {
                if (end != "LISTED")
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "ListProductionItemsFailed", $"Reading the production items in {where} failed: {endError ?? end}", target);
                }

                if (endCount != listed.Count)
                {
                    throw DefaultSettingReply.Unexpected($"The session in {where} announced {endCount} item(s) but printed {listed.Count}.", output, error, exitCode, target);
                }

                foreach (IrisProductionItem item in listed)
                {
                    outcome.Results.Add(item);
                }

                return outcome;
            }

            RowProblems(script, answers, where, target);
            string expectedEnd = script.Writes ? "COMMITTED" : "PREVIEW";
            if (end != expectedEnd)
            {
                throw DefaultSettingReply.Unexpected($"The session in {where} ended with '{DefaultSetting.Show(end, 30)}' where {expectedEnd} was expected.", output, error, exitCode, target);
            }

            if (answers.Count != script.Rows.Count || endCount != script.Rows.Count || answers.Keys.Any(k => k < 1 || k > script.Rows.Count))
            {
                throw DefaultSettingReply.Unexpected($"The session in {where} answered for {answers.Count} of {script.Rows.Count} row(s).", output, error, exitCode, target);
            }

            for (int number = 1; number <= script.Rows.Count; number++)
            {
                ProductionItem row = script.Rows[number - 1];
                (string action, bool existed, _) = answers[number];
                values.TryGetValue(number, out var state);
                ProductionItemAction mapped = MapAction(script, action, existed);
                if (mapped == ProductionItemAction.None)
                {
                    throw DefaultSettingReply.Unexpected($"The session in {where} answered '{DefaultSetting.Show(action, 30)}' (existed={(existed ? 1 : 0)}) for {row.Describe()}, which does not fit.", output, error, exitCode, target);
                }

                outcome.Results.Add(ToResult(script, row, mapped, state.Before ?? new OrderedDictionary(), state.After ?? new OrderedDictionary(), target, ns, outcome, where));
            }

            ProductionUpdate(script, update, updateText, where, target, outcome);
            return outcome;
        }

        private static IrisProductionItem ToResult(ItemsScript script, ProductionItem row, ProductionItemAction action, OrderedDictionary before, OrderedDictionary after, string target, string ns, ProductionItemOutcome outcome, string where)
        {
            var result = new IrisProductionItem { ProductionName = row.ProductionName, Name = row.Name, Action = action, Target = target, Namespace = ns };
            bool remove = script.Kind == SettingsScriptKind.Remove || script.Kind == SettingsScriptKind.PreviewRemove;
            Fill(result, remove ? before : after);
            if (remove)
            {
                result.Previous = before;
                return result;
            }

            foreach (KeyValuePair<string, string> given in row.GivenValues().Concat(row.Settings.Select(s => new KeyValuePair<string, string>(s.Key, s.Value))))
            {
                if (before.Contains(given.Key))
                {
                    result.Previous[given.Key] = before[given.Key];
                }

                string? now = after[given.Key] as string;
                result.New[given.Key] = now;
                if (script.Kind == SettingsScriptKind.Apply && !string.Equals(now, given.Value, StringComparison.Ordinal))
                {
                    outcome.Problems.Add(new IrisOpsException(IrisErrorKind.InvalidData, "ProductionItemReadBackDiffers",
                        $"{row.Describe()} in {where}: {given.Key} read back after saving is '{DefaultSetting.Show(now)}', not the value sent ('{DefaultSetting.Show(given.Value)}'); check the item in the instance.", result));
                }
            }

            return result;
        }

        /// <summary>Rows the instance could not take: one error that names each of them (nothing was changed).</summary>
        private static void RowProblems(ItemsScript script, Dictionary<int, (string Action, bool Existed, string Text)> answers, string where, string target)
        {
            var message = new StringBuilder();
            int count = 0;
            foreach (KeyValuePair<int, (string Action, bool Existed, string Text)> answer in answers.OrderBy(a => a.Key))
            {
                string name = answer.Key >= 1 && answer.Key <= script.Rows.Count ? script.Rows[answer.Key - 1].Describe() : "row " + answer.Key.ToString(CultureInfo.InvariantCulture);
                ProductionItem? row = answer.Key >= 1 && answer.Key <= script.Rows.Count ? script.Rows[answer.Key - 1] : null;
                string? problem = answer.Value.Action switch
                {
                    "NoProduction" => $"there is no production '{DefaultSetting.Show(row?.ProductionName)}' in this namespace (Ens.Config.Production); check -ProductionName and -Namespace",
                    "NoClass" => $"the class '{DefaultSetting.Show(row?.ClassName)}' is not compiled in this namespace; check the ClassName, or deploy and compile the class first",
                    "ClassDiffers" => $"the item exists with the class '{DefaultSetting.Show(answer.Value.Text)}'; IrisOps does not change an item's class (the portal shows it read-only): give that class, or remove the item and add it again",
                    "Duplicate" => "the production has more than one item with this name; change it in the portal, where each can be told apart",
                    "Error" => DefaultSetting.Show(answer.Value.Text, 500),
                    _ => null,
                };
                if (problem != null)
                {
                    count++;
                    message.Append(' ').Append(name).Append(": ").Append(problem).Append('.');
                }
            }

            if (count > 0)
            {
                string lead = script.Writes
                    ? $"Nothing was changed in {where}: the transaction was rolled back because"
                    : $"The preview in {where} found {count} item(s) that cannot be set:";
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "ProductionItemFailed", lead + message, target);
            }
        }

        private static ProductionItemAction MapAction(ItemsScript script, string action, bool existed)
        {
            bool preview = script.IsPreview;
            switch (action)
            {
                case "Added" when !existed && (script.Kind == SettingsScriptKind.Apply || script.Kind == SettingsScriptKind.PreviewApply):
                    return preview ? ProductionItemAction.WouldAdd : ProductionItemAction.Added;
                case "Updated" when existed && (script.Kind == SettingsScriptKind.Apply || script.Kind == SettingsScriptKind.PreviewApply):
                    return preview ? ProductionItemAction.WouldUpdate : ProductionItemAction.Updated;
                case "Unchanged" when existed && (script.Kind == SettingsScriptKind.Apply || script.Kind == SettingsScriptKind.PreviewApply):
                    return ProductionItemAction.Unchanged;
                case "Removed" when existed && (script.Kind == SettingsScriptKind.Remove || script.Kind == SettingsScriptKind.PreviewRemove):
                    return preview ? ProductionItemAction.WouldRemove : ProductionItemAction.Removed;
                case "NotFound" when !existed && (script.Kind == SettingsScriptKind.Remove || script.Kind == SettingsScriptKind.PreviewRemove):
                    return ProductionItemAction.NotFound;
                default:
                    return ProductionItemAction.None;
            }
        }

        private static void ProductionUpdate(ItemsScript script, string? status, string? text, string where, string target, ProductionItemOutcome outcome)
        {
            if (!script.UpdateProduction)
            {
                return;
            }

            var productions = new HashSet<string>(script.Rows.Select(r => r.ProductionName), StringComparer.Ordinal);
            switch (status)
            {
                case "OK" when text != null && !productions.Contains(text):
                    outcome.Warnings.Add($"-UpdateProduction: the running production in {where} is '{DefaultSetting.Show(text)}', not {string.Join(", ", productions)}; the items changed apply when their production starts.");
                    break;
                case "OK":
                    outcome.Notes.Add($"-UpdateProduction: Ens.Director.UpdateProduction updated the running production '{DefaultSetting.Show(text)}' in {where}.");
                    break;
                case "NOTRUNNING":
                    outcome.Warnings.Add($"-UpdateProduction: no production is running in {where}; the items apply when the production starts.");
                    break;
                case "ERROR":
                    outcome.Problems.Add(new IrisOpsException(IrisErrorKind.InvalidOperation, "UpdateProductionFailed",
                        $"The items were saved in {where}, but Ens.Director.UpdateProduction failed: {DefaultSetting.Show(text, 500)}. Update the production from the portal or run the command again.", target));
                    break;
                default:
                    outcome.Problems.Add(new IrisOpsException(IrisErrorKind.InvalidData, "UpdateProductionNoAnswer",
                        $"The items were saved in {where}, but the session did not report the production update.", target));
                    break;
            }
        }

        /// <summary>Sets the item's properties from name -&gt; value pairs the script printed (Host.x and Adapter.x into Setting).</summary>
        private static void Fill(IrisProductionItem item, OrderedDictionary state)
        {
            foreach (System.Collections.DictionaryEntry entry in state)
            {
                string name = (string)entry.Key;
                string value = entry.Value as string ?? string.Empty;
                switch (name)
                {
                    case "ClassName": item.ClassName = value; break;
                    case "PoolSize": item.PoolSize = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int size) ? size : (int?)null; break;
                    case "Enabled": item.Enabled = value == "1"; break;
                    case "Foreground": item.Foreground = value == "1"; break;
                    case "Category": item.Category = value; break;
                    case "Comment": item.Comment = value; break;
                    case "LogTraceEvents": item.LogTraceEvents = value == "1"; break;
                    case "Schedule": item.Schedule = value; break;
                    default:
                        if (name.StartsWith("Host.", StringComparison.Ordinal) || name.StartsWith("Adapter.", StringComparison.Ordinal))
                        {
                            item.Setting[name] = value;
                        }

                        break;
                }
            }
        }
    }
}
