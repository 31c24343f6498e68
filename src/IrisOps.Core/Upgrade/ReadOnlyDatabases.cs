using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;
using IrisOps.Core.Settings;

namespace IrisOps.Core.Upgrade
{
    /// <summary>What the running instance said about its databases: which are read-only, and why others are not copied ahead.</summary>
    public sealed class ReadOnlyAnswer
    {
        public ReadOnlyAnswer(IReadOnlyList<string> readOnly, IReadOnlyList<string> notOpened)
        {
            ReadOnly = readOnly;
            NotOpened = notOpened;
        }

        /// <summary>The directories (as asked) whose database the instance reports as read-only.</summary>
        public IReadOnlyList<string> ReadOnly { get; }

        /// <summary>The directories the instance could not open as a database (not copied ahead).</summary>
        public IReadOnlyList<string> NotOpened { get; }
    }

    /// <summary>
    /// Asks the running instance which of its databases are read-only, so their IRIS.DAT can be copied before the
    /// stop like closed journal files (and checked after it the same way: see <see cref="JournalCopyAhead"/>).
    /// The durable iris.cpf does not say it: read-only is a physical database property, "ReadOnly" in the
    /// Configuration Parameter File Reference ([Actions] ModifyDatabase, "physical database properties"), shown
    /// as "Read Only: Indicates whether this database is mounted as read-only" (System Administration Guide,
    /// "Database Details Page") and set with "Mount Read-Only" ("Editing Nonmirrored Local Database Properties"). The question is the documented form
    /// <c>set db=##Class(SYS.Database).%OpenId(dir)</c> in %SYS (ObjectScript Reference, $PROPERTY) and the
    /// property <c>db.ReadOnly</c>; the script only reads.
    ///
    /// Output, one line per database in the order asked, then the count (the marker is built by concatenation,
    /// so an echoing terminal never prints a result line):
    ///   IRISOPS|RO|&lt;n&gt;|&lt;1 read-only, 0 not, E not opened&gt;
    ///   IRISOPS|END|&lt;count&gt;
    /// Anything else (a missing, repeated or extra line, another value, no END) makes the whole answer unclear.
    /// </summary>
    public static class ReadOnlyDatabases
    {
        public const string Namespace = "%SYS";
        private const string Marker = "IRISOPS|";

        /// <summary>The session script asking about <paramref name="directories"/> (container paths without a trailing '/').</summary>
        public static string Script(IReadOnlyList<string> directories)
        {
            var script = new StringBuilder("set m=\"IRIS\"_\"OPS|\"\n");
            for (int i = 0; i < directories.Count; i++)
            {
                string r = (i + 1).ToString(CultureInfo.InvariantCulture);
                script.Append("set r=\"" + r + "\",d=" + ObjectScriptLiteral.Encode(directories[i])
                    + " try { set db=##Class(SYS.Database).%OpenId(d) write !,m,\"RO|\",r,\"|\",$select('$isobject(db):\"E\",1:+db.ReadOnly) } catch e { write !,m,\"RO|\",r,\"|E\" }\n");
            }

            script.Append("write !,m,\"END|\"," + directories.Count.ToString(CultureInfo.InvariantCulture) + ",!\nhalt\n");
            return script.ToString();
        }

        /// <summary>The answer to <see cref="Script"/>, or null with the reason when the output is not exactly its form.</summary>
        public static (ReadOnlyAnswer? Answer, string Problem) Parse(IReadOnlyList<string> directories, string output)
        {
            List<string> lines = output.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd('\r', ' '))
                .Where(l => l.StartsWith(Marker, StringComparison.Ordinal)).ToList();
            string end = Marker + "END|" + directories.Count.ToString(CultureInfo.InvariantCulture);
            if (lines.Count != directories.Count + 1 || lines[lines.Count - 1] != end)
            {
                return (null, $"expected {directories.Count} answer line(s) and '{end}', got {lines.Count} line(s) with the marker");
            }

            var readOnly = new List<string>();
            var notOpened = new List<string>();
            for (int i = 0; i < directories.Count; i++)
            {
                string prefix = Marker + "RO|" + (i + 1).ToString(CultureInfo.InvariantCulture) + "|";
                string value = lines[i].StartsWith(prefix, StringComparison.Ordinal) ? lines[i].Substring(prefix.Length) : "?";
                switch (value)
                {
                    case "1": readOnly.Add(directories[i]); break;
                    case "0": break;
                    case "E": notOpened.Add(directories[i]); break;
                    default: return (null, $"line {i + 1} is '{lines[i]}', not the answer for '{directories[i]}'");
                }
            }

            return (new ReadOnlyAnswer(readOnly, notOpened), string.Empty);
        }

        /// <summary>
        /// The IRIS.DAT files (container paths) of the read-only databases among <paramref name="directories"/>,
        /// asked in one read-only session in the running container. Empty, with a verbose line saying why, when
        /// the question fails or the answer is unclear: nothing is then copied ahead but closed journal files.
        /// Only cancellation is an error.
        /// </summary>
        public static async Task<IReadOnlyList<string>> FilesToCopyAheadAsync(IDockerEngine engine, string container, IReadOnlyList<string> directories, IOperationReporter reporter, CancellationToken cancellationToken)
        {
            var none = new List<string>();
            List<string> asked = directories.Select(d => d.TrimEnd('/')).Where(d => d.Length > 0 && JournalCopyAhead.IsPlain(d)).Distinct(StringComparer.Ordinal).ToList();
            if (asked.Count == 0)
            {
                return none;
            }

            SessionRun run;
            try
            {
                run = await DefaultSettingSession.ExecuteAsync(engine, container, Namespace, Script(asked), $"ask which of {asked.Count} database(s) are read-only (read-only)", reporter, IrisDefaults.ReadOnlyQuestionTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (IrisOpsException ex)
            {
                reporter.Verbose($"{container}: no database copied before the stop: asking the instance which databases are read-only failed ({ex.Message}).");
                return none;
            }

            (ReadOnlyAnswer? answer, string problem) = run.Result.ExitCode == 0 ? Parse(asked, run.Result.StandardOutput) : (null, $"the session ended with exit code {run.Result.ExitCode}");
            if (answer == null)
            {
                reporter.Verbose($"{container}: no database copied before the stop: the instance's answer to which databases are read-only is unclear ({problem}).");
                return none;
            }

            foreach (string directory in answer.NotOpened)
            {
                reporter.Verbose($"{container}: the database in '{directory}' is not copied before the stop: the instance could not open it (SYS.Database).");
            }

            reporter.Verbose(answer.ReadOnly.Count == 0
                ? $"{container}: none of {asked.Count} database(s) is read-only."
                : $"{container}: read-only, so copied before the stop and checked after it: {string.Join(", ", answer.ReadOnly.Select(d => "'" + d + "'"))}.");
            return answer.ReadOnly.Select(d => d + "/" + DatabaseFile).ToList();
        }

        /// <summary>A database's file in its directory (System Administration Guide, "Database Compatibility Considerations": "its IRIS.DAT file").</summary>
        public const string DatabaseFile = "IRIS.DAT";
    }
}
