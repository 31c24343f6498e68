using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using IrisOps.Core.Settings;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// The ObjectScript of the end-to-end ECP test and the reading of its answers. Every line uses documented
    /// APIs only: SYS.ECP.GetServerConnState (InterSystems class reference), Config.ECPServers.Get and
    /// Security.System.Get, $ZHOROLOG, and the implied-namespace reference ^["^^dir"]global (Using Globals,
    /// "Extended global references"). Every value is sent as a literal through <see cref="ObjectScriptLiteral"/>.
    /// Answers are lines starting with <see cref="Marker"/>, so nothing else the terminal prints is mistaken
    /// for one.
    /// </summary>
    public static class EcpRoundTrip
    {
        public const string Marker = "IRISOPS-ECP";

        /// <summary>A token unique to one test run, so runs never read each other's values.</summary>
        public static string NewToken()
        {
            byte[] bytes = new byte[6];
            using (RandomNumberGenerator random = RandomNumberGenerator.Create())
            {
                random.GetBytes(bytes);
            }

            return "t" + BitConverter.ToString(bytes).Replace("-", string.Empty).ToLowerInvariant();
        }

        public static string Value(string token, string node) => node + "@" + token;

        /// <summary>Application server, step 1: its ECP server entry, one remote set, and the connection state after it.</summary>
        public static string WriteScript(string dataServer, string token, string node) => Script(
            $"Set sc=##class(Config.ECPServers).Get({L(dataServer)},.p) Write \"{Marker} sslconfig \",$Get(p(\"SSLConfig\")),!",
            $"Try {{ Set t=$ZHOROLOG, {Probe(token, node)}={L(Value(token, node))} Write \"{Marker} set \",$ZHOROLOG-t*1000\\1,! }} Catch e {{ Write \"{Marker} error \",e.Name,! }}",
            $"Write \"{Marker} state \",##class(SYS.ECP).GetServerConnState({L(dataServer)}),!");

        /// <summary>Application server, step 2: read what the other application servers wrote, through its own mapping.</summary>
        public static string ReadScript(string token, IEnumerable<string> nodes) => Script(nodes.Select(node =>
            $"Try {{ Write {L(Marker + " get " + node + " ")},$Get({Probe(token, node)}),! }} Catch e {{ Write \"{Marker} error \",e.Name,! }}").ToArray());

        /// <summary>Data server: its ECP TLS setting, and every value read by the database's directory.</summary>
        public static string DataServerScript(string directory, string token, IEnumerable<string> nodes) => Script(new[]
            {
                $"Set sc=##class(Security.System).Get(\"SYSTEM\",.p) Write \"{Marker} sslecpserver \",$Get(p(\"SSLECPServer\")),!",
            }.Concat(nodes.Select(node =>
                $"Try {{ Write {L(Marker + " get " + node + " ")},$Get(^[{L("^^" + directory)}]{EcpMergeFiles.ProbeGlobal}({L(token)},{L(node)})),! }} Catch e {{ Write \"{Marker} error \",e.Name,! }}")).ToArray());

        /// <summary>Removes everything this run wrote.</summary>
        public static string CleanupScript(string token) => Script(
            $"Try {{ Kill ^{EcpMergeFiles.ProbeGlobal}({L(token)}) Write \"{Marker} killed\",! }} Catch e {{ Write \"{Marker} error \",e.Name,! }}");

        /// <summary>The answers of one session: key (sslconfig, set, state, get &lt;node&gt;, error...) to value.</summary>
        public static IReadOnlyDictionary<string, string> Parse(string output)
        {
            var answers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string raw in output.Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                int start = line.IndexOf(Marker + " ", StringComparison.Ordinal);
                if (start < 0)
                {
                    continue;
                }

                string rest = line.Substring(start + Marker.Length + 1);
                string[] words = rest.Split(new[] { ' ' }, 3);
                if (words[0] == "get" && words.Length >= 2)
                {
                    answers["get " + words[1]] = words.Length == 3 ? words[2] : string.Empty;
                }
                else
                {
                    answers[words[0]] = rest.Length > words[0].Length ? rest.Substring(words[0].Length + 1) : string.Empty;
                }
            }

            return answers;
        }

        /// <summary>The documented meaning of a SYS.ECP.GetServerConnState value.</summary>
        public static string StateName(string code)
        {
            switch (code)
            {
                case "-2": return "invalid connection name";
                case "-1": return "invalid";
                case "0": return "initializing";
                case "1": return "not connected";
                case "2": return "connection in progress";
                case "3": return "connection failed";
                case "4": return "disabled";
                case "5": return "normal";
                case "6": return "trouble";
                case "7": return "recovery";
                default: return "no answer";
            }
        }

        public const string NormalState = "5";

        private static string Probe(string token, string node) => $"^{EcpMergeFiles.ProbeGlobal}({L(token)},{L(node)})";

        private static string L(string value) => ObjectScriptLiteral.Encode(value);

        private static string Script(params string[] lines)
        {
            var text = new StringBuilder();
            foreach (string line in lines)
            {
                text.Append(line).Append('\n');
            }

            return text.Append("Halt\n").ToString();
        }

        internal static int? Milliseconds(string? text) =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : (int?)null;
    }
}
