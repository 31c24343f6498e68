using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using IrisOps.Tests.Cpf;
using IrisOps.Tests.Docker;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>ReadOnlyDatabases: the read-only session script, the strict parse of its answer, and which IRIS.DAT files are copied ahead.</summary>
    public class ReadOnlyDatabasesTests
    {
        private static readonly string[] Directories = { "/dur/db/archive", "/dur/db/app" };

        [Fact]
        public void The_script_asks_each_directory_with_the_documented_form_and_only_reads()
        {
            string script = ReadOnlyDatabases.Script(Directories);
            Assert.Equal(
                "set m=\"IRIS\"_\"OPS|\"\n"
                + "set r=\"1\",d=\"/dur/db/archive\" try { set db=##Class(SYS.Database).%OpenId(d) write !,m,\"RO|\",r,\"|\",$select('$isobject(db):\"E\",1:+db.ReadOnly) } catch e { write !,m,\"RO|\",r,\"|E\" }\n"
                + "set r=\"2\",d=\"/dur/db/app\" try { set db=##Class(SYS.Database).%OpenId(d) write !,m,\"RO|\",r,\"|\",$select('$isobject(db):\"E\",1:+db.ReadOnly) } catch e { write !,m,\"RO|\",r,\"|E\" }\n"
                + "write !,m,\"END|\",2,!\nhalt\n", script);
            Assert.DoesNotContain("%Save", script);
            Assert.DoesNotContain("Modify", script);
        }

        [Fact]
        public void A_complete_answer_names_the_read_only_and_the_unopened_databases()
        {
            (ReadOnlyAnswer? answer, string problem) = ReadOnlyDatabases.Parse(Directories, "\r\nNode: x, Instance: IRIS\r\n\r\n%SYS>\r\nIRISOPS|RO|1|1\r\nIRISOPS|RO|2|0\r\nIRISOPS|END|2\r\n");
            Assert.NotNull(answer);
            Assert.Equal(string.Empty, problem);
            Assert.Equal(new[] { "/dur/db/archive" }, answer!.ReadOnly);
            Assert.Empty(answer.NotOpened);

            (answer, _) = ReadOnlyDatabases.Parse(Directories, "IRISOPS|RO|1|E\nIRISOPS|RO|2|1\nIRISOPS|END|2\n");
            Assert.Equal(new[] { "/dur/db/app" }, answer!.ReadOnly);
            Assert.Equal(new[] { "/dur/db/archive" }, answer.NotOpened);
        }

        [Theory]
        [InlineData("")]
        [InlineData("IRISOPS|RO|1|1\nIRISOPS|RO|2|0\n")]
        [InlineData("IRISOPS|RO|1|1\nIRISOPS|END|2\n")]
        [InlineData("IRISOPS|RO|2|0\nIRISOPS|RO|1|1\nIRISOPS|END|2\n")]
        [InlineData("IRISOPS|RO|1|1\nIRISOPS|RO|1|1\nIRISOPS|END|2\n")]
        [InlineData("IRISOPS|RO|1|1\nIRISOPS|RO|2|2\nIRISOPS|END|2\n")]
        [InlineData("IRISOPS|RO|1|1\nIRISOPS|RO|2|\nIRISOPS|END|2\n")]
        [InlineData("IRISOPS|RO|1|1\nIRISOPS|RO|2|0\nIRISOPS|RO|3|0\nIRISOPS|END|2\n")]
        [InlineData("IRISOPS|RO|1|1\nIRISOPS|RO|2|0\nIRISOPS|END|3\n")]
        [InlineData("IRISOPS|RO|1|yes\nIRISOPS|RO|2|0\nIRISOPS|END|2\n")]
        public void Any_other_answer_is_unclear(string output)
        {
            (ReadOnlyAnswer? answer, string problem) = ReadOnlyDatabases.Parse(Directories, output);
            Assert.Null(answer);
            Assert.NotEqual(string.Empty, problem);
        }

        [Fact]
        public async Task The_IRIS_DAT_of_read_only_databases_is_selected_and_unplain_directories_are_not_asked()
        {
            var engine = new SessionEngine { Reply = "IRISOPS|RO|1|1\nIRISOPS|RO|2|0\nIRISOPS|END|2\n" };
            var reporter = new RecordingReporter();
            IReadOnlyList<string> files = await ReadOnlyDatabases.FilesToCopyAheadAsync(engine, "node", new[] { "/dur/db/archive/", "/dur/db/app/", "/dur/my db/" }, reporter, CancellationToken.None);
            Assert.Equal(new[] { "/dur/db/archive/IRIS.DAT" }, files);
            Assert.Equal(new[] { "iris", "session", "IRIS", "-U", "%SYS" }, engine.Command);
            Assert.Equal(ReadOnlyDatabases.Script(Directories), engine.Script);
            Assert.Contains(reporter.VerboseMessages, m => m.Contains("'/dur/db/archive'"));
        }

        [Theory]
        [InlineData("IRISOPS|RO|1|1\nIRISOPS|END|2\n", 0, "unclear")]
        [InlineData("IRISOPS|RO|1|1\nIRISOPS|RO|2|1\nIRISOPS|END|2\n", 1, "exit code 1")]
        [InlineData("<CLASS DOES NOT EXIST>\n", 0, "unclear")]
        public async Task A_failed_or_unclear_question_copies_no_database_and_says_why(string reply, long exit, string reason)
        {
            var engine = new SessionEngine { Reply = reply, Exit = exit };
            var reporter = new RecordingReporter();
            Assert.Empty(await ReadOnlyDatabases.FilesToCopyAheadAsync(engine, "node", Directories, reporter, CancellationToken.None));
            Assert.Contains(reporter.VerboseMessages, m => m.Contains("no database copied before the stop") && m.Contains(reason));
        }

        [Fact]
        public async Task A_stopped_container_is_not_asked()
        {
            var engine = new SessionEngine { Running = false };
            var reporter = new RecordingReporter();
            Assert.Empty(await ReadOnlyDatabases.FilesToCopyAheadAsync(engine, "node", Directories, reporter, CancellationToken.None));
            Assert.Null(engine.Script);
            Assert.Contains(reporter.VerboseMessages, m => m.Contains("no database copied before the stop"));
        }

        private sealed class SessionEngine : UnsupportedDockerEngine
        {
            public string Reply { get; set; } = string.Empty;

            public long Exit { get; set; }

            public bool Running { get; set; } = true;

            public IList<string>? Command { get; private set; }

            public string? Script { get; private set; }

            public override Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken) =>
                Task.FromResult<ContainerDetails?>(new ContainerDetails { Name = "/" + nameOrId, State = new ContainerStateInfo { Running = Running, Status = Running ? "running" : "exited" } });

            public override Task<ExecResult> ExecAsync(string nameOrId, ExecRequest request, CancellationToken cancellationToken)
            {
                Command = request.Command.ToList();
                Script = request.StandardInput;
                return Task.FromResult(new ExecResult { ExitCode = Exit, StandardOutput = Reply });
            }
        }
    }
}
