using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using IrisOps.Core.Settings;

namespace IrisOps.Core.Productions
{
    /// <summary>A script for one `iris session IRIS -U &lt;namespace&gt;` over production items, with the rows it carries.</summary>
    public sealed class ItemsScript
    {
        internal ItemsScript(SettingsScriptKind kind, IReadOnlyList<ProductionItem> rows, string text, bool updateProduction)
        {
            Kind = kind;
            Rows = rows;
            Text = text;
            UpdateProduction = updateProduction;
        }

        public SettingsScriptKind Kind { get; }

        public IReadOnlyList<ProductionItem> Rows { get; }

        /// <summary>The ObjectScript, one terminal command line per line, pure ASCII.</summary>
        public string Text { get; }

        public bool UpdateProduction { get; }

        public bool IsPreview => Kind == SettingsScriptKind.PreviewApply || Kind == SettingsScriptKind.PreviewRemove;

        public bool Writes => Kind == SettingsScriptKind.Apply || Kind == SettingsScriptKind.Remove;

        /// <summary>For -Verbose.</summary>
        public string Describe()
        {
            switch (Kind)
            {
                case SettingsScriptKind.Apply: return $"add or update {Rows.Count} production item(s) in one transaction";
                case SettingsScriptKind.PreviewApply: return $"read {Rows.Count} production item(s) to preview the change (read-only)";
                case SettingsScriptKind.Remove: return $"remove {Rows.Count} production item(s) in one transaction";
                case SettingsScriptKind.PreviewRemove: return $"read {Rows.Count} production item(s) to preview the removal (read-only)";
                default: return "list the production items (read-only)";
            }
        }
    }

    /// <summary>
    /// Writes the ObjectScript one terminal session runs for a whole pipeline of production items, in the form the
    /// default settings use (<see cref="DefaultSettingScript"/>): values only as <see cref="ObjectScriptLiteral"/>
    /// expressions on their own lines, state in local variables, every row in try/catch, and for Apply and
    /// Remove one transaction that is rolled back when any row fails.
    ///
    /// What it calls, all documented: Ens.Config.Production %ExistsId/%OpenId/%Save and its Items list,
    /// Ens.Config.Item %New and its properties (Name, ClassName, PoolSize, Enabled, Foreground, Category, Comment,
    /// LogTraceEvents, Schedule) and Settings list of Ens.Config.Setting (Name, Target, Value) — the objects behind
    /// the production definition in Developing Productions ("A Look at a Production Definition") and the InterSystems
    /// class reference; the list methods Count, GetAt, SetAt, Insert and RemoveAt (Defining and Using Classes,
    /// "Working with Collections"); $PROPERTY (ObjectScript Reference); %Dictionary.CompiledClass %ExistsId to check
    /// that a host class exists. The production class itself is not edited: the change is stored in the production's
    /// configuration (the Ens.Config globals) and applied to a running production with Ens.Director.UpdateProduction.
    ///
    /// Result lines (text fields Base64 of UTF-8; the marker is built by concatenation, as in the default settings):
    ///   IRISOPS|BEGIN|&lt;1 when Ens.Config.Production exists, else 0&gt;|&lt;namespace&gt;
    ///   IRISOPS|V|&lt;row&gt;|&lt;P (before) or N (after)&gt;|&lt;property or Host.x/Adapter.x&gt;|&lt;value&gt;
    ///   IRISOPS|R|&lt;row&gt;|&lt;Added|Updated|Unchanged|Removed|NotFound|NoProduction|NoClass|ClassDiffers|Duplicate|Error&gt;|&lt;existed 0/1&gt;|&lt;text&gt;
    ///   IRISOPS|L|&lt;item&gt;|&lt;production&gt;|&lt;name&gt;   (List; after the item's V lines)
    ///   IRISOPS|END|&lt;COMMITTED|ROLLEDBACK|PREVIEW|LISTED|ERROR&gt;|&lt;count&gt;|&lt;error&gt;
    ///   IRISOPS|UPDATE|&lt;OK|ERROR|NOTRUNNING&gt;|&lt;production or error text&gt;
    /// </summary>
    public static class ProductionItemScript
    {
        private const string Production = "##class(Ens.Config.Production)";
        private const string Fail = "throw ##class(%Exception.StatusException).CreateFromStatus(sc)";

        public static ItemsScript Create(SettingsScriptKind kind, IReadOnlyList<ProductionItem> rows, bool updateProduction = false)
        {
            if (kind == SettingsScriptKind.List && rows.Count > 0)
            {
                throw new ArgumentException("A List script carries no rows.", nameof(rows));
            }

            bool writes = kind == SettingsScriptKind.Apply || kind == SettingsScriptKind.Remove;
            var script = new StringBuilder();
            Line(script, "set m=\"IRIS\"_\"OPS|\",f=0,q=0,n=0,b(\"Enabled\")=1,b(\"Foreground\")=1,b(\"LogTraceEvents\")=1");
            Line(script, "if '##class(%Dictionary.CompiledClass).%ExistsId(\"Ens.Config.Production\") { write !,m,\"BEGIN|0|\",$namespace,! halt  }");
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
                    WriteList(script);
                    break;
                default:
                    Line(script, "write !,m,\"END|PREVIEW|\",n,\"|\",!");
                    break;
            }

            if (updateProduction && kind == SettingsScriptKind.Apply)
            {
                Line(script, DefaultSettingScript.UpdateProductionLine());
            }

            Line(script, "halt");
            return new ItemsScript(kind, rows, script.ToString(), updateProduction && kind == SettingsScriptKind.Apply);
        }

        private static void WriteRow(StringBuilder script, SettingsScriptKind kind, int number, ProductionItem row)
        {
            bool apply = kind == SettingsScriptKind.Apply || kind == SettingsScriptKind.PreviewApply;
            bool preview = kind == SettingsScriptKind.PreviewApply || kind == SettingsScriptKind.PreviewRemove;

            // A row problem stops a transaction (f); a preview goes on to report every row (q).
            string stop = preview ? "q" : "f";
            string r = number.ToString(CultureInfo.InvariantCulture);
            Line(script, $"kill w,sn,st,sv,sk,pv set r={r},hc={(row.ClassName != null ? 1 : 0)},a=\"\",x=0,it=\"\",ik=0");
            Assign(script, "p", row.ProductionName);
            Assign(script, "i", row.Name);
            if (apply)
            {
                Assign(script, "c", row.ClassName ?? string.Empty);
                foreach (KeyValuePair<string, string> given in row.GivenValues())
                {
                    Assign(script, "w(\"" + given.Key + "\")", given.Value);
                }

                int j = 0;
                foreach (ProductionItemSetting setting in row.Settings)
                {
                    j++;
                    string at = j.ToString(CultureInfo.InvariantCulture);
                    Line(script, $"set sn={at},st({at})=\"{setting.Target}\"");
                    Assign(script, "sn(" + at + ")", setting.Name);
                    Assign(script, "sv(" + at + ")", setting.Value);
                }
            }

            string error = "catch e { set f=1 write !,m,\"R|\",r,\"|Error|0|\"," + B64("e.DisplayString()") + " }";

            // Find the production and the item by its configuration name; decide whether the row can go on.
            string checks = apply
                ? " set:(a=\"\")&&x&&hc&&(it.ClassName'=c) a=\"ClassDiffers\" set:(a=\"\")&&'x&&'##class(%Dictionary.CompiledClass).%ExistsId(c) a=\"NoClass\""
                : string.Empty;
            Line(script, "if 'f { try { set pr=$select(" + Production + ".%ExistsId(p):" + Production + ".%OpenId(p,,.sc),1:\"\") if '$isobject(pr) { set a=\"NoProduction\" } else { for k=1:1:pr.Items.Count() { set o=pr.Items.GetAt(k) if $isobject(o),o.Name=i { set x=x+1,it=o,ik=k } } set:x>1 a=\"Duplicate\"" + checks + " } "
                + "if a'=\"\" { set " + stop + "=1 write !,m,\"R|\",r,\"|\",a,\"|\",x,\"|\"," + B64("$select(a=\"ClassDiffers\":it.ClassName,1:\"\")") + " } } " + error + " }");

            // One line per step, each guarded: g says the row goes on, f that the transaction failed.
            string guard = "if 'f,g { try { ";
            string close = " } " + error + " }";
            Line(script, "set g=(a=\"\")");
            if (apply)
            {
                Line(script, guard + "set a=$select(x:\"Unchanged\",1:\"Added\") if x { "
                    + "set k=\"\" for { set k=$order(w(k)) quit:k=\"\"  set pv(k)=$property(it,k) set:$data(b(k)) pv(k)=+pv(k) set:pv(k)'=w(k) a=\"Updated\" } "
                    + "for j=1:1:$get(sn) { for k=1:1:it.Settings.Count() { set s=it.Settings.GetAt(k) if $isobject(s),s.Name=sn(j),s.Target=st(j) { set pv(st(j)_\".\"_sn(j))=s.Value,sk(j)=k } } set:'$data(sk(j))||($get(pv(st(j)_\".\"_sn(j)))'=sv(j)) a=\"Updated\" } }" + close);
                if (kind == SettingsScriptKind.Apply)
                {
                    Line(script, guard + "if a'=\"Unchanged\" { if 'x { set it=##class(Ens.Config.Item).%New(),it.Name=i,it.ClassName=c } "
                        + "set k=\"\" for { set k=$order(w(k)) quit:k=\"\"  set $property(it,k)=w(k) } "
                        + "for j=1:1:$get(sn) { set s=##class(Ens.Config.Setting).%New(),s.Name=sn(j),s.Target=st(j),s.Value=sv(j) if $data(sk(j)) { do it.Settings.SetAt(s,sk(j)) } else { do it.Settings.Insert(s) } } "
                        + "if 'x { set sc=pr.Items.Insert(it) if $system.Status.IsError(sc) { " + Fail + " } } set sc=pr.%Save() if $system.Status.IsError(sc) { " + Fail + " } }" + close);
                }

                Line(script, guard + WritePrevious + WriteNewValues(kind) + Result + close);
            }
            else
            {
                Line(script, guard + "set a=$select(x:\"Removed\",1:\"NotFound\") if x { for k=" + PropertyList + " { set pv(k)=$property(it,k) set:$data(b(k)) pv(k)=+pv(k) } "
                    + "for k=1:1:it.Settings.Count() { set s=it.Settings.GetAt(k) if $isobject(s) { set pv(s.Target_\".\"_s.Name)=s.Value } } }" + close);
                if (kind == SettingsScriptKind.Remove)
                {
                    Line(script, guard + "if x { set id=it.%Id() do pr.Items.RemoveAt(ik) set sc=pr.%Save() if $system.Status.IsError(sc) { " + Fail + " } if id'=\"\" { set sc=##class(Ens.Config.Item).%DeleteId(id) if $system.Status.IsError(sc) { " + Fail + " } } }" + close);
                }

                Line(script, guard + WritePrevious + Result + close);
            }
        }

        /// <summary>The properties as an ObjectScript for-list: "ClassName","PoolSize",...</summary>
        private static string PropertyList => string.Join(",", ProductionItem.PropertyNames.Select(n => "\"" + n + "\""));

        private static string WritePrevious => "set k=\"\" for { set k=$order(pv(k)) quit:k=\"\"  write !,m,\"V|\",r,\"|P|\"," + B64("k") + ",\"|\"," + B64("pv(k)") + " } ";

        private static string Result => "set n=n+1 write !,m,\"R|\",r,\"|\",a,\"|\",x,\"|\"";

        /// <summary>The N lines: the item as it is after the change (Apply: read back), or as it would be (preview).</summary>
        private static string WriteNewValues(SettingsScriptKind kind)
        {
            string writeN = "write !,m,\"V|\",r,\"|N|\"," + B64("k") + ",\"|\"," + B64("nv") + " ";
            if (kind == SettingsScriptKind.Apply)
            {
                return "for k=" + PropertyList + " { set nv=$property(it,k) set:$data(b(k)) nv=+nv " + writeN + "} "
                    + "for k=1:1:it.Settings.Count() { set s=it.Settings.GetAt(k) for j=1:1:$get(sn) { if $isobject(s),s.Name=sn(j),s.Target=st(j) { set k2=st(j)_\".\"_sn(j),nv=s.Value write !,m,\"V|\",r,\"|N|\"," + B64("k2") + ",\"|\"," + B64("nv") + " } } } ";
            }

            return "if x { for k=" + PropertyList + " { set nv=$select($data(w(k)):w(k),1:$property(it,k)) set:$data(b(k)) nv=+nv " + writeN + "} } "
                + "else { set k=\"ClassName\",nv=c " + writeN + " set k=\"\" for { set k=$order(w(k)) quit:k=\"\"  set nv=w(k) " + writeN + "} } "
                + "for j=1:1:$get(sn) { set k=st(j)_\".\"_sn(j),nv=sv(j) " + writeN + "} ";
        }

        private static void WriteList(StringBuilder script)
        {
            Line(script, "try { set rs=##class(%SQL.Statement).%ExecDirect(,\"SELECT %ID FROM Ens_Config.Production\") if rs.%SQLCODE<0 { set f=1 write !,m,\"END|ERROR|0|\"," + B64("rs.%Message") + ",! } else { while rs.%Next() { set pr=" + Production + ".%OpenId(rs.%GetData(1)) if $isobject(pr) { "
                + "for r=1:1:pr.Items.Count() { set it=pr.Items.GetAt(r) if $isobject(it) { set n=n+1 "
                + "for k=" + PropertyList + " { set nv=$property(it,k) set:$data(b(k)) nv=+nv write !,m,\"V|\",n,\"|N|\"," + B64("k") + ",\"|\"," + B64("nv") + " } "
                + "for k=1:1:it.Settings.Count() { set s=it.Settings.GetAt(k) if $isobject(s) { set k2=s.Target_\".\"_s.Name,nv=s.Value write !,m,\"V|\",n,\"|N|\"," + B64("k2") + ",\"|\"," + B64("nv") + " } } "
                + "write !,m,\"L|\",n,\"|\"," + B64("pr.Name") + ",\"|\"," + B64("it.Name") + " } } kill pr } } } } catch e { set f=1 write !,m,\"END|ERROR|\",n,\"|\"," + B64("e.DisplayString()") + ",! }");
            Line(script, "if 'f { write !,m,\"END|LISTED|\",n,\"|\",! }");
        }

        private static void Assign(StringBuilder script, string variable, string value) => DefaultSettingScript.Assign(script, variable, value);

        private static string B64(string expression) => DefaultSettingScript.B64(expression);

        private static void Line(StringBuilder script, string line) => DefaultSettingScript.Line(script, line);
    }
}
