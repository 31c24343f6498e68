using System;
using System.Linq;
using IrisOps.Core.Ecp;
using Xunit;

namespace IrisOps.Tests.Ecp
{
    public class EcpRoundTripTests
    {
        [Fact]
        public void The_write_script_is_three_documented_statements_then_halt()
        {
            Assert.Equal(
                "Set sc=##class(Config.ECPServers).Get(\"d-data\",.p) Write \"IRISOPS-ECP sslconfig \",$Get(p(\"SSLConfig\")),!\n" +
                "Try { Set t=$ZHOROLOG, ^IrisOpsEcpProbe(\"t1\",\"d-app-1\")=\"d-app-1@t1\" Write \"IRISOPS-ECP set \",$ZHOROLOG-t*1000\\1,! } Catch e { Write \"IRISOPS-ECP error \",e.Name,! }\n" +
                "Write \"IRISOPS-ECP state \",##class(SYS.ECP).GetServerConnState(\"d-data\"),!\n" +
                "Halt\n",
                EcpRoundTrip.WriteScript("d-data", "t1", "d-app-1"));
        }

        [Fact]
        public void The_data_server_reads_by_the_databases_directory()
        {
            string script = EcpRoundTrip.DataServerScript("/irisops/durable/myappdata/", "t1", new[] { "a-1" });
            Assert.Contains("$Get(^[\"^^/irisops/durable/myappdata/\"]IrisOpsEcpProbe(\"t1\",\"a-1\"))", script, StringComparison.Ordinal);
            Assert.Contains("##class(Security.System).Get(\"SYSTEM\",.p)", script, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("x\") Halt")]
        [InlineData("x\nKill ^ROUTINE")]
        [InlineData("x|y")]
        public void Hostile_names_stay_literals(string node)
        {
            foreach (string script in new[] { EcpRoundTrip.WriteScript(node, "t1", node), EcpRoundTrip.ReadScript("t1", new[] { node }), EcpRoundTrip.DataServerScript("/d/", "t1", new[] { node }) })
            {
                string[] lines = script.Split('\n').Where(l => l.Length > 0).ToArray();
                Assert.Equal("Halt", lines[lines.Length - 1]);
                Assert.DoesNotContain(lines, l => l.Contains(node, StringComparison.Ordinal));
            }
        }

        [Fact]
        public void Answers_are_read_from_marked_lines_only()
        {
            var answers = EcpRoundTrip.Parse("Node: x\r\nUSER>IRISOPS-ECP set 12\r\nnoise IRISOPS-ECP\nIRISOPS-ECP get a-1 a-1@t1 with spaces\nIRISOPS-ECP get a-2 \nIRISOPS-ECP state 5\n");
            Assert.Equal("12", answers["set"]);
            Assert.Equal("a-1@t1 with spaces", answers["get a-1"]);
            Assert.Equal(string.Empty, answers["get a-2"]);
            Assert.Equal("5", answers["state"]);
            Assert.Equal("normal", EcpRoundTrip.StateName("5"));
            Assert.Equal("connection in progress", EcpRoundTrip.StateName("2"));
        }
    }
}
