using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Settings
{
    /// <summary>One IRISOPS|R line: what the session did with one row.</summary>
    public sealed class SettingsRowResult
    {
        public int Row { get; internal set; }

        /// <summary>Added, Updated, Unchanged, Removed, NotFound or Error.</summary>
        public string Action { get; internal set; } = string.Empty;

        public bool Existed { get; internal set; }

        public string Previous { get; internal set; } = string.Empty;

        public string Value { get; internal set; } = string.Empty;

        public string Description { get; internal set; } = string.Empty;

        public bool Deployable { get; internal set; }

        public string? Error { get; internal set; }
    }

    /// <summary>Everything the result lines of one session said.</summary>
    public sealed class SettingsReply
    {
        public bool InteroperabilityReady { get; internal set; }

        public string Namespace { get; internal set; } = string.Empty;

        /// <summary>COMMITTED, ROLLEDBACK, PREVIEW, LISTED or ERROR.</summary>
        public string EndStatus { get; internal set; } = string.Empty;

        public int EndCount { get; internal set; }

        public string? EndError { get; internal set; }

        public IList<SettingsRowResult> Rows { get; } = new List<SettingsRowResult>();

        public IList<IrisDefaultSetting> Listed { get; } = new List<IrisDefaultSetting>();

        /// <summary>OK, ERROR or NOTRUNNING; null when the production was not updated.</summary>
        public string? UpdateStatus { get; internal set; }

        public string? UpdateText { get; internal set; }
    }

    /// <summary>What one container's session produced: result objects, and the problems to report as errors.</summary>
    public sealed class SettingsOutcome
    {
        public IList<IrisDefaultSetting> Results { get; } = new List<IrisDefaultSetting>();

        public IList<IrisOpsException> Problems { get; } = new List<IrisOpsException>();

        public IList<string> Warnings { get; } = new List<string>();
    }

    /// <summary>
    /// Reads what `iris session` printed for a <see cref="SettingsScript"/>. Only lines with the IRISOPS| marker
    /// count (a prompt before the marker is allowed); everything must be there and well formed, otherwise the
    /// error says what was missing and shows the last lines the session printed (never the script).
    /// </summary>
    public static class DefaultSettingReply
    {
        public const string UnexpectedOutputId = "UnexpectedSessionOutput";
        private const int TailLines = 15;
        private const int TailCharacters = 1500;
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(false, true);

        public static SettingsReply Parse(string output, string? error, long exitCode, SettingsScript script, string target, string ns)
        {
            output ??= string.Empty;
            var reply = new SettingsReply();
            bool begun = false;
            bool ended = false;
            string context = $"The iris session in container '{target}' (namespace {ns})";
            try
            {
                foreach (string raw in output.Split('\n'))
                {
                    int at = raw.IndexOf(DefaultSettingScript.Marker, StringComparison.Ordinal);
                    if (at < 0)
                    {
                        continue;
                    }

                    string[] fields = raw.Substring(at + DefaultSettingScript.Marker.Length).TrimEnd('\r', ' ').Split('|');
                    switch (fields[0])
                    {
                        case "BEGIN":
                            Expect(fields, 3, raw);
                            begun = true;
                            reply.InteroperabilityReady = fields[1] == "1";
                            reply.Namespace = fields[2];
                            break;
                        case "R":
                            Expect(fields, 9, raw);
                            reply.Rows.Add(new SettingsRowResult
                            {
                                Row = Number(fields[1], raw),
                                Action = fields[2],
                                Existed = fields[3] == "1",
                                Previous = Text(fields[4]),
                                Value = Text(fields[5]),
                                Description = Text(fields[6]),
                                Deployable = fields[7] == "1",
                                Error = fields[2] == "Error" ? Text(fields[8]) : null,
                            });
                            break;
                        case "S":
                            Expect(fields, 8, raw);
                            reply.Listed.Add(new IrisDefaultSetting
                            {
                                ProductionName = Text(fields[1]),
                                ItemName = Text(fields[2]),
                                HostClassName = Text(fields[3]),
                                SettingName = Text(fields[4]),
                                SettingValue = Text(fields[5]),
                                Description = Text(fields[6]),
                                Deployable = fields[7] == "1",
                                Action = DefaultSettingAction.None,
                                Target = target,
                                Namespace = ns,
                            });
                            break;
                        case "END":
                            Expect(fields, 3, raw);
                            ended = true;
                            reply.EndStatus = fields[1];
                            reply.EndCount = Number(fields[2], raw);
                            reply.EndError = fields.Length > 3 && fields[3].Length > 0 ? Text(fields[3]) : null;
                            break;
                        case "UPDATE":
                            Expect(fields, 2, raw);
                            reply.UpdateStatus = fields[1];
                            reply.UpdateText = fields.Length > 2 ? Text(fields[2]) : string.Empty;
                            break;
                        default:
                            throw new FormatException($"an unknown result line kind '{DefaultSetting.Show(fields[0], 20)}'");
                    }
                }
            }
            catch (FormatException ex)
            {
                throw Unexpected(context + $" printed a result line that cannot be read ({ex.Message}).", output, error, exitCode, target);
            }

            if (!begun)
            {
                throw NotStarted(output, error, exitCode, target, ns);
            }

            if (!reply.InteroperabilityReady)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "NamespaceNotInteroperability",
                    $"The namespace '{reply.Namespace}' in container '{target}' is not enabled for interoperability (it has no Ens.Config.DefaultSettings class), so it has no default settings; give the production's namespace with -Namespace, or enable interoperability there (CreateNamespace ... Interop=1).", target);
            }

            if (!ended)
            {
                throw Unexpected(context + $" stopped before the end of the script (exit code {exitCode}); an open transaction is rolled back when a session ends, so nothing was changed.", output, error, exitCode, target);
            }

            return reply;
        }

        /// <summary>
        /// Turns a parsed reply into result objects, after checking that every row was answered once, with an
        /// action that fits the script, and (Apply) that the value read back is the value sent.
        /// </summary>
        public static SettingsOutcome ToOutcome(SettingsScript script, SettingsReply reply, string target, string ns, string output, string? error, long exitCode)
        {
            var outcome = new SettingsOutcome();
            string where = $"container '{target}' (namespace {ns})";
            if (script.Kind == SettingsScriptKind.List)
            {
                if (reply.EndStatus != "LISTED")
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "ListDefaultSettingsFailed",
                        $"Reading the default settings in {where} failed: {reply.EndError ?? reply.EndStatus}", target);
                }

                if (reply.EndCount != reply.Listed.Count)
                {
                    throw Unexpected($"The session in {where} announced {reply.EndCount} setting(s) but printed {reply.Listed.Count}.", output, error, exitCode, target);
                }

                foreach (IrisDefaultSetting setting in reply.Listed)
                {
                    outcome.Results.Add(setting);
                }

                return outcome;
            }

            var failed = reply.Rows.Where(r => r.Action == "Error").ToList();
            bool writes = script.Kind == SettingsScriptKind.Apply || script.Kind == SettingsScriptKind.Remove;
            if (failed.Count > 0 || reply.EndStatus == "ROLLEDBACK")
            {
                var message = new StringBuilder(writes
                    ? $"Nothing was changed in {where}: the transaction was rolled back because "
                    : $"Reading the settings in {where} failed because ");
                if (failed.Count == 0)
                {
                    message.Append("the session reported a failure without naming a row.");
                }

                foreach (SettingsRowResult row in failed)
                {
                    message.Append(RowName(script, row.Row)).Append(" failed: ").Append(DefaultSetting.Show(row.Error, 500)).Append(' ');
                }

                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "DefaultSettingFailed", message.ToString().TrimEnd(), target);
            }

            string expectedEnd = writes ? "COMMITTED" : "PREVIEW";
            if (reply.EndStatus != expectedEnd)
            {
                throw Unexpected($"The session in {where} ended with '{DefaultSetting.Show(reply.EndStatus, 30)}' where {expectedEnd} was expected.", output, error, exitCode, target);
            }

            var seen = new Dictionary<int, SettingsRowResult>();
            foreach (SettingsRowResult row in reply.Rows)
            {
                if (row.Row < 1 || row.Row > script.Rows.Count || seen.ContainsKey(row.Row))
                {
                    throw Unexpected($"The session in {where} answered for row {row.Row}, which it was not sent or answered twice.", output, error, exitCode, target);
                }

                seen[row.Row] = row;
            }

            if (seen.Count != script.Rows.Count || reply.EndCount != script.Rows.Count)
            {
                throw Unexpected($"The session in {where} answered for {seen.Count} of {script.Rows.Count} row(s).", output, error, exitCode, target);
            }

            for (int number = 1; number <= script.Rows.Count; number++)
            {
                DefaultSetting row = script.Rows[number - 1];
                SettingsRowResult answer = seen[number];
                DefaultSettingAction action = MapAction(script.Kind, answer, row, out bool fits);
                if (!fits)
                {
                    throw Unexpected($"The session in {where} answered '{DefaultSetting.Show(answer.Action, 30)}' (existed={(answer.Existed ? 1 : 0)}) for {row.Describe()}, which does not fit.", output, error, exitCode, target);
                }

                var result = IrisDefaultSetting.From(row);
                result.Action = action;
                result.Target = target;
                result.Namespace = ns;
                result.Previous = answer.Existed ? answer.Previous : null;
                result.Description = answer.Description;
                result.Deployable = answer.Deployable;
                bool remove = script.Kind == SettingsScriptKind.Remove || script.Kind == SettingsScriptKind.PreviewRemove;
                result.SettingValue = remove ? (answer.Existed ? answer.Previous : string.Empty) : answer.Value;
                if (script.Kind == SettingsScriptKind.Apply && !string.Equals(answer.Value, row.SettingValue, StringComparison.Ordinal))
                {
                    outcome.Problems.Add(new IrisOpsException(IrisErrorKind.InvalidData, "DefaultSettingReadBackDiffers",
                        $"{row.Describe()} in {where}: the value read back after saving ('{DefaultSetting.Show(answer.Value)}') is not the value sent ('{DefaultSetting.Show(row.SettingValue)}'); check the setting in the instance.", result));
                }

                outcome.Results.Add(result);
            }

            if (script.UpdateProduction)
            {
                switch (reply.UpdateStatus)
                {
                    case "OK":
                        break;
                    case "NOTRUNNING":
                        outcome.Warnings.Add($"-UpdateProduction: no production is running in {where}; the settings apply when it starts.");
                        break;
                    case "ERROR":
                        outcome.Problems.Add(new IrisOpsException(IrisErrorKind.InvalidOperation, "UpdateProductionFailed",
                            $"The settings were saved in {where}, but Ens.Director.UpdateProduction failed: {DefaultSetting.Show(reply.UpdateText, 500)}. Update the production from the portal or run the command again.", target));
                        break;
                    default:
                        outcome.Problems.Add(new IrisOpsException(IrisErrorKind.InvalidData, "UpdateProductionNoAnswer",
                            $"The settings were saved in {where}, but the session did not report the production update.", target));
                        break;
                }
            }

            return outcome;
        }

        /// <summary>
        /// Why a session printed no BEGIN line: the namespace does not exist, the terminal asked for a login, or
        /// something else went wrong before the script ran (the error shows the session's last lines).
        /// </summary>
        internal static IrisOpsException NotStarted(string output, string? error, long exitCode, string target, string ns)
        {
            string context = $"The iris session in container '{target}' (namespace {ns})";
            string all = output + "\n" + (error ?? string.Empty);
            if (all.IndexOf("<NAMESPACE>", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return new IrisOpsException(IrisErrorKind.ObjectNotFound, "NamespaceNotFound",
                    $"The namespace '{ns}' does not exist in container '{target}'; give the namespace of the production with -Namespace. The session said: {Tail(output, error)}", target);
            }

            if (all.IndexOf("Username:", StringComparison.OrdinalIgnoreCase) >= 0 || all.IndexOf("Access Denied", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return new IrisOpsException(IrisErrorKind.PermissionDenied, "SessionLoginRequired",
                    $"{context} asked for a login. IrisOps runs 'iris session' as the container's user and needs operating-system authentication for the terminal service (%Service_Terminal). The session said: {Tail(output, error)}", target);
            }

            return Unexpected(context + $" did not start the script (exit code {exitCode}); is the instance up?", output, error, exitCode, target);
        }

        /// <summary>The last lines the session printed, control characters visible, for error messages.</summary>
        public static string Tail(string? output, string? error)
        {
            string all = ((output ?? string.Empty) + "\n" + (error ?? string.Empty)).Replace("\r", string.Empty);
            var lines = all.Split('\n').Where(l => l.Trim().Length > 0).ToList();
            if (lines.Count == 0)
            {
                return "(nothing)";
            }

            var tail = string.Join(" | ", lines.Skip(Math.Max(0, lines.Count - TailLines)).Select(l => DefaultSetting.Show(l, 300)));
            return tail.Length > TailCharacters ? "..." + tail.Substring(tail.Length - TailCharacters) : tail;
        }

        private static DefaultSettingAction MapAction(SettingsScriptKind kind, SettingsRowResult answer, DefaultSetting row, out bool fits)
        {
            fits = true;
            switch (kind)
            {
                case SettingsScriptKind.Apply:
                case SettingsScriptKind.PreviewApply:
                    bool preview = kind == SettingsScriptKind.PreviewApply;
                    switch (answer.Action)
                    {
                        case "Added" when !answer.Existed:
                            return preview ? DefaultSettingAction.WouldAdd : DefaultSettingAction.Added;
                        case "Updated" when answer.Existed:
                            return preview ? DefaultSettingAction.WouldUpdate : DefaultSettingAction.Updated;
                        case "Unchanged" when answer.Existed && string.Equals(answer.Previous, row.SettingValue, StringComparison.Ordinal):
                            return DefaultSettingAction.Unchanged;
                    }

                    break;
                default:
                    bool previewRemove = kind == SettingsScriptKind.PreviewRemove;
                    switch (answer.Action)
                    {
                        case "Removed" when answer.Existed:
                            return previewRemove ? DefaultSettingAction.WouldRemove : DefaultSettingAction.Removed;
                        case "NotFound" when !answer.Existed:
                            return DefaultSettingAction.NotFound;
                    }

                    break;
            }

            fits = false;
            return DefaultSettingAction.None;
        }

        private static string RowName(SettingsScript script, int number) =>
            number >= 1 && number <= script.Rows.Count ? script.Rows[number - 1].Describe() : "row " + number.ToString(CultureInfo.InvariantCulture);

        internal static IrisOpsException Unexpected(string message, string? output, string? error, long exitCode, string target) =>
            new IrisOpsException(IrisErrorKind.InvalidData, UnexpectedOutputId, $"{message} The last lines it printed: {Tail(output, error)}", target);

        internal static void Expect(string[] fields, int minimum, string raw)
        {
            if (fields.Length < minimum)
            {
                throw new FormatException($"a {fields[0]} line with {fields.Length} field(s) where {minimum} were expected");
            }
        }

        internal static int Number(string text, string raw)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            {
                throw new FormatException($"'{DefaultSetting.Show(text, 20)}' is not a number");
            }

            return number;
        }

        /// <summary>A Base64 field: the UTF-8 bytes of the text (white space ignored).</summary>
        internal static string Text(string field)
        {
            string compact = new string(field.Where(ch => !char.IsWhiteSpace(ch)).ToArray());
            if (compact.Length == 0)
            {
                return string.Empty;
            }

            try
            {
                return StrictUtf8.GetString(Convert.FromBase64String(compact));
            }
            catch (Exception ex) when (ex is FormatException || ex is ArgumentException)
            {
                throw new FormatException("a field that is not Base64 of UTF-8 text");
            }
        }

        /// <summary>How the script writes a text field; for tests and fakes that play the instance.</summary>
        public static string EncodeField(string? text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text ?? string.Empty));
    }
}
