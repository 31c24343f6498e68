using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace IrisOps.Core.Settings
{
    /// <summary>What a generated session script does.</summary>
    public enum SettingsScriptKind
    {
        /// <summary>Upserts every row in one transaction and reads each back.</summary>
        Apply,

        /// <summary>Read-only: reports what Apply would do.</summary>
        PreviewApply,

        /// <summary>Deletes every row in one transaction.</summary>
        Remove,

        /// <summary>Read-only: reports what Remove would do.</summary>
        PreviewRemove,

        /// <summary>Read-only: lists every row of the table.</summary>
        List,
    }

    /// <summary>A script for one `iris session IRIS -U &lt;namespace&gt;`, with the rows it carries.</summary>
    public sealed class SettingsScript
    {
        internal SettingsScript(SettingsScriptKind kind, IReadOnlyList<DefaultSetting> rows, string text, bool updateProduction)
        {
            Kind = kind;
            Rows = rows;
            Text = text;
            UpdateProduction = updateProduction;
        }

        public SettingsScriptKind Kind { get; }

        public IReadOnlyList<DefaultSetting> Rows { get; }

        /// <summary>The ObjectScript, one terminal command line per line, pure ASCII.</summary>
        public string Text { get; }

        public bool UpdateProduction { get; }

        public bool IsReadOnly => Kind == SettingsScriptKind.PreviewApply || Kind == SettingsScriptKind.PreviewRemove || Kind == SettingsScriptKind.List;

        /// <summary>"apply 12 row(s)", for -Verbose.</summary>
        public string Describe()
        {
            switch (Kind)
            {
                case SettingsScriptKind.Apply: return $"set {Rows.Count} default setting(s) in one transaction";
                case SettingsScriptKind.PreviewApply: return $"read {Rows.Count} default setting(s) to preview the change (read-only)";
                case SettingsScriptKind.Remove: return $"remove {Rows.Count} default setting(s) in one transaction";
                case SettingsScriptKind.PreviewRemove: return $"read {Rows.Count} default setting(s) to preview the removal (read-only)";
                default: return "list the default settings (read-only)";
            }
        }
    }

    /// <summary>
    /// Writes the ObjectScript that one terminal session runs for a whole pipeline. The terminal runs each line
    /// as a command line, so every statement group fits on one line and state lives in local variables.
    ///
    /// Values only ever appear as <see cref="ObjectScriptLiteral"/> expressions assigned to variables on their
    /// own lines (long values over several lines), so no value can become code. Each row is opened by id with
    /// %OpenId (or created with %New), compared, saved and read back inside try/catch; Apply and Remove run in
    /// one transaction that is rolled back if any row fails, so an instance gets all rows or none.
    ///
    /// Results are machine-readable lines, each on a line of its own:
    ///   IRISOPS|BEGIN|&lt;1 when Ens.Config.DefaultSettings exists, else 0&gt;|&lt;namespace&gt;
    ///   IRISOPS|R|&lt;row&gt;|&lt;Added|Updated|Unchanged|Removed|NotFound|Error&gt;|&lt;existed 0/1&gt;|&lt;previous&gt;|&lt;value&gt;|&lt;description&gt;|&lt;deployable 0/1&gt;|&lt;error&gt;
    ///   IRISOPS|S|&lt;production&gt;|&lt;item&gt;|&lt;class&gt;|&lt;setting&gt;|&lt;value&gt;|&lt;description&gt;|&lt;deployable&gt;   (List)
    ///   IRISOPS|END|&lt;COMMITTED|ROLLEDBACK|PREVIEW|LISTED|ERROR&gt;|&lt;rows&gt;|&lt;error&gt;
    ///   IRISOPS|UPDATE|&lt;OK|ERROR|NOTRUNNING&gt;|&lt;production or error text&gt;
    /// Text fields are Base64 of the UTF-8 bytes, so any value comes back exactly whatever the terminal's
    /// translation. The marker is built by concatenation in the script, so a terminal that echoes its input
    /// never produces a line that looks like a result.
    /// </summary>
    public static class DefaultSettingScript
    {
        public const string Marker = "IRISOPS|";

        /// <summary>How many characters of a value one part carries, so no line gets long (terminal input lines are limited).</summary>
        internal const int CharactersPerPart = 200;

        /// <summary>How long one data line may get before a value continues on the next.</summary>
        internal const int MaximumLineLength = 1500;

        private const string Class = "##class(Ens.Config.DefaultSettings)";

        public static SettingsScript Create(SettingsScriptKind kind, IReadOnlyList<DefaultSetting> rows, bool updateProduction = false)
        {
            if (kind == SettingsScriptKind.List && rows.Count > 0)
            {
                throw new ArgumentException("A List script carries no rows.", nameof(rows));
            }

            bool writes = kind == SettingsScriptKind.Apply || kind == SettingsScriptKind.Remove;
            var script = new StringBuilder();
            Line(script, "set m=\"IRIS\"_\"OPS|\",f=0,n=0");
            Line(script, "if '##class(%Dictionary.CompiledClass).%ExistsId(\"Ens.Config.DefaultSettings\") { write !,m,\"BEGIN|0|\",$namespace,! halt  }");
            Line(script, "write !,m,\"BEGIN|1|\",$namespace");
            if (writes)
            {
                Line(script, "tstart");
            }

            for (int index = 0; index < rows.Count; index++)
            {
                WriteRow(script, kind, index + 1, rows[index]);
            }

            switch (kind)
            {
                case SettingsScriptKind.Apply:
                case SettingsScriptKind.Remove:
                    Line(script, "if f { trollback  write !,m,\"END|ROLLEDBACK|\",n,\"|\",! } else { tcommit  write !,m,\"END|COMMITTED|\",n,\"|\",! }");
                    break;
                case SettingsScriptKind.List:
                    Line(script, "try { set rs=##class(%SQL.Statement).%ExecDirect(,\"SELECT %ID FROM Ens_Config.DefaultSettings\") if rs.%SQLCODE<0 { set f=1 write !,m,\"END|ERROR|0|\"," + B64("rs.%Message") + ",! } else { while rs.%Next() { set o=" + Class + ".%OpenId(rs.%GetData(1)) if $isobject(o) { set n=n+1 write !,m,\"S|\"," + B64("o.ProductionName") + ",\"|\"," + B64("o.ItemName") + ",\"|\"," + B64("o.HostClassName") + ",\"|\"," + B64("o.SettingName") + ",\"|\"," + B64("o.SettingValue") + ",\"|\"," + B64("o.Description") + ",\"|\",+o.Deployable kill o } } } } catch e { set f=1 write !,m,\"END|ERROR|\",n,\"|\"," + B64("e.DisplayString()") + ",! }");
                    Line(script, "if 'f { write !,m,\"END|LISTED|\",n,\"|\",! }");
                    break;
                default:
                    Line(script, "write !,m,\"END|PREVIEW|\",n,\"|\",!");
                    break;
            }

            if (updateProduction && kind == SettingsScriptKind.Apply)
            {
                Line(script, UpdateProductionLine());
            }

            Line(script, "halt");
            return new SettingsScript(kind, rows, script.ToString(), updateProduction && kind == SettingsScriptKind.Apply);
        }

        private static void WriteRow(StringBuilder script, SettingsScriptKind kind, int number, DefaultSetting row)
        {
            string r = number.ToString(CultureInfo.InvariantCulture);
            bool apply = kind == SettingsScriptKind.Apply || kind == SettingsScriptKind.PreviewApply;
            Line(script, $"set r={r},hd={(row.Description != null ? 1 : 0)},hp={(row.Deployable.HasValue ? 1 : 0)},dp={(row.Deployable == true ? 1 : 0)}");
            Assign(script, "p", row.ProductionName);
            Assign(script, "i", row.ItemName);
            Assign(script, "c", row.HostClassName);
            Assign(script, "s", row.SettingName);
            if (apply)
            {
                Assign(script, "v", row.SettingValue);
                Assign(script, "d", row.Description ?? string.Empty);
            }

            string fail = "throw ##class(%Exception.StatusException).CreateFromStatus(sc)";
            string result = "set n=n+1 write !,m,\"R|\",r,\"|\",a,\"|\",x,\"|\"," + B64("pv") + ",\"|\"," + B64("sv") + ",\"|\"," + B64("sd") + ",\"|\",sp,\"|\"";
            string body;
            switch (kind)
            {
                case SettingsScriptKind.Apply:
                case SettingsScriptKind.PreviewApply:
                    body = "set id=p_\"||\"_i_\"||\"_c_\"||\"_s,sc=1,x=" + Class + ".%ExistsId(id),o=$select(x:" + Class + ".%OpenId(id,,.sc),1:" + Class + ".%New()) if '$isobject(o) { " + fail + " } "
                        + "set pv=$select(x:o.SettingValue,1:\"\"),pd=$select(x:o.Description,1:\"\"),pp=$select(x:+o.Deployable,1:0),nd=$select(hd:d,1:pd),np=$select(hp:dp,1:pp),a=$select('x:\"Added\",(pv=v)&&(pd=nd)&&(pp=np):\"Unchanged\",1:\"Updated\") ";
                    if (kind == SettingsScriptKind.Apply)
                    {
                        body += "if a'=\"Unchanged\" { set:'x o.ProductionName=p,o.ItemName=i,o.HostClassName=c,o.SettingName=s set o.SettingValue=v,o.Description=nd,o.Deployable=np,sc=o.%Save() if $system.Status.IsError(sc) { " + fail + " } } "
                            + "kill o set o=" + Class + ".%OpenId(id,,.sc) if '$isobject(o) { " + fail + " } set sv=o.SettingValue,sd=o.Description,sp=+o.Deployable kill o ";
                    }
                    else
                    {
                        body += "kill o set sv=v,sd=nd,sp=np ";
                    }

                    break;
                default:
                    body = "set id=p_\"||\"_i_\"||\"_c_\"||\"_s,sc=1,x=" + Class + ".%ExistsId(id),pv=\"\",sv=\"\",sd=\"\",sp=0,a=$select(x:\"Removed\",1:\"NotFound\") if x { set o=" + Class + ".%OpenId(id,,.sc) if '$isobject(o) { " + fail + " } set pv=o.SettingValue,sd=o.Description,sp=+o.Deployable kill o ";
                    if (kind == SettingsScriptKind.Remove)
                    {
                        body += "set sc=" + Class + ".%DeleteId(id) if $system.Status.IsError(sc) { " + fail + " } ";
                    }

                    body += "} ";
                    break;
            }

            Line(script, "if 'f { try { " + body + result + " } catch e { set f=1 write !,m,\"R|\",r,\"|Error|||||0|\"," + B64("e.DisplayString()") + " } }");
        }

        /// <summary>
        /// The line that applies saved changes to the running production and says how it went:
        /// Ens.Director.GetProductionStatus returns the production name only when a production is running,
        /// suspended or troubled (Developing Productions, "Using Ens.Director to Start and Stop a Production"), so an
        /// empty name means none is; then Ens.Director.UpdateProduction() (Monitoring Productions, "Using the
        /// Production Monitor Service"). Prints UPDATE|OK|name, UPDATE|NOTRUNNING| or UPDATE|ERROR|text.
        /// </summary>
        internal static string UpdateProductionLine() =>
            "if 'f { try { set pn=\"\",ps=0,sc=##class(Ens.Director).GetProductionStatus(.pn,.ps) if pn=\"\" { write !,m,\"UPDATE|NOTRUNNING|\",! } else { set sc=##class(Ens.Director).UpdateProduction() if $system.Status.IsError(sc) { write !,m,\"UPDATE|ERROR|\"," + B64("$system.Status.GetErrorText(sc)") + ",! } else { write !,m,\"UPDATE|OK|\"," + B64("pn") + ",! } } } catch e { write !,m,\"UPDATE|ERROR|\"," + B64("e.DisplayString()") + ",! } }";

        /// <summary>set name=&lt;literal&gt;, continued on further lines (set name=name_...) for a long value.</summary>
        internal static void Assign(StringBuilder script, string variable, string value)
        {
            IReadOnlyList<string> parts = ObjectScriptLiteral.EncodeParts(value, CharactersPerPart);
            var line = new StringBuilder("set " + variable + "=");
            bool empty = true;
            foreach (string part in parts)
            {
                if (!empty && line.Length + 1 + part.Length > MaximumLineLength)
                {
                    Line(script, line.ToString());
                    line.Clear().Append("set " + variable + "=" + variable);
                }

                if (!empty)
                {
                    line.Append('_');
                }

                line.Append(part);
                empty = false;
            }

            Line(script, line.ToString());
        }

        /// <summary>An expression that writes the value of <paramref name="expression"/> as Base64 of its UTF-8 bytes.</summary>
        internal static string B64(string expression) => "$system.Encryption.Base64Encode($zconvert(" + expression + ",\"O\",\"UTF8\"),1)";

        internal static void Line(StringBuilder script, string line) => script.Append(line).Append('\n');
    }
}
