using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Settings;
using IrisOps.Tests.Docker;
using Xunit;

namespace IrisOps.Tests.Settings
{
    /// <summary>An engine whose containers run a <see cref="FakeInstance"/> behind `iris session`; records every exec.</summary>
    internal sealed class SessionEngine : UnsupportedDockerEngine
    {
        public Dictionary<string, FakeInstance> Instances { get; } = new Dictionary<string, FakeInstance>();

        public HashSet<string> Stopped { get; } = new HashSet<string>();

        public List<(string Container, ExecRequest Request)> Execs { get; } = new List<(string, ExecRequest)>();

        public override Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken)
        {
            if (!Instances.ContainsKey(nameOrId))
            {
                return Task.FromResult<ContainerDetails?>(null);
            }

            bool running = !Stopped.Contains(nameOrId);
            return Task.FromResult<ContainerDetails?>(new ContainerDetails { Name = nameOrId, State = new ContainerStateInfo { Running = running, Status = running ? "running" : "exited" } });
        }

        public override Task<ExecResult> ExecAsync(string nameOrId, ExecRequest request, CancellationToken cancellationToken)
        {
            Execs.Add((nameOrId, request));
            string text = request.StandardInput ?? string.Empty;
            SettingsScriptKind kind = text.Contains("%ExecDirect") ? SettingsScriptKind.List
                : text.Contains("%DeleteId") ? SettingsScriptKind.Remove
                : text.Contains("%Save()") ? SettingsScriptKind.Apply
                : text.Contains("a=$select(x:\"Removed\"") ? SettingsScriptKind.PreviewRemove
                : SettingsScriptKind.PreviewApply;
            var rows = new List<DefaultSetting>();
            var script = new SettingsScript(kind, rows, text, updateProduction: false);
            return Task.FromResult(new ExecResult { ExitCode = 0, StandardOutput = Instances[nameOrId].Run(script) });
        }

    }

    public class SessionTests
    {
        private static List<DefaultSetting> Rows(params (string Setting, string Value)[] values) =>
            values.Select((v, i) => new DefaultSetting { ProductionName = "APP.Production", ItemName = "To PACS", SettingName = v.Setting, SettingValue = v.Value, Source = "row " + (i + 1) }).ToList();

        private static Task<SettingsOutcome> Run(SessionEngine engine, SettingsScriptKind kind, List<DefaultSetting> rows, string container = "data") =>
            DefaultSettingSession.RunAsync(engine, container, "APP", DefaultSettingScript.Create(kind, rows), NullOperationReporter.Instance, TimeSpan.FromSeconds(30), CancellationToken.None);

        [Fact]
        public async Task Apply_preview_list_and_remove_against_a_stateful_instance()
        {
            var engine = new SessionEngine();
            engine.Instances["data"] = new FakeInstance();
            var rows = Rows(("Port", "104"), ("IPAddress", "10.0.0.1"), ("Note", "multi\nline \"quoted\" \u00e9"));

            SettingsOutcome first = await Run(engine, SettingsScriptKind.Apply, rows);
            Assert.All(first.Results, r => Assert.Equal(DefaultSettingAction.Added, r.Action));
            SettingsOutcome again = await Run(engine, SettingsScriptKind.Apply, rows);
            Assert.All(again.Results, r => Assert.Equal(DefaultSettingAction.Unchanged, r.Action));

            rows[0].SettingValue = "11112";
            SettingsOutcome preview = await Run(engine, SettingsScriptKind.PreviewApply, rows);
            Assert.Equal(new[] { DefaultSettingAction.WouldUpdate, DefaultSettingAction.Unchanged, DefaultSettingAction.Unchanged }, preview.Results.Select(r => r.Action));
            Assert.Equal("104", engine.Instances["data"].Table["APP.Production||To PACS||*||Port"].Value);

            SettingsOutcome updated = await Run(engine, SettingsScriptKind.Apply, rows);
            Assert.Equal(DefaultSettingAction.Updated, updated.Results[0].Action);
            Assert.Equal("104", updated.Results[0].Previous);
            Assert.Equal("11112", updated.Results[0].SettingValue);

            SettingsOutcome listed = await Run(engine, SettingsScriptKind.List, new List<DefaultSetting>());
            Assert.Equal(3, listed.Results.Count);
            Assert.Contains(listed.Results, r => r.SettingValue == "multi\nline \"quoted\" \u00e9");

            SettingsOutcome removed = await Run(engine, SettingsScriptKind.Remove, Rows(("Port", string.Empty), ("Nope", string.Empty)));
            Assert.Equal(new[] { DefaultSettingAction.Removed, DefaultSettingAction.NotFound }, removed.Results.Select(r => r.Action));
            Assert.Equal(2, engine.Instances["data"].Table.Count);

            // Every call was exactly one `iris session IRIS -U APP` with the script on standard input.
            Assert.Equal(6, engine.Execs.Count);
            Assert.All(engine.Execs, e => Assert.Equal(new[] { "iris", "session", "IRIS", "-U", "APP" }, e.Request.Command));
            Assert.All(engine.Execs, e => Assert.EndsWith("halt\n", e.Request.StandardInput, StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_missing_or_stopped_container_is_refused_before_anything_is_sent()
        {
            var engine = new SessionEngine();
            engine.Instances["stopped"] = new FakeInstance();
            engine.Stopped.Add("stopped");
            Assert.Equal("ContainerNotFound", (await Assert.ThrowsAsync<IrisOpsException>(() => Run(engine, SettingsScriptKind.Apply, Rows(("A", "1")), "missing"))).ErrorId);
            Assert.Equal("ContainerNotRunning", (await Assert.ThrowsAsync<IrisOpsException>(() => Run(engine, SettingsScriptKind.Apply, Rows(("A", "1")), "stopped"))).ErrorId);
            Assert.Empty(engine.Execs);
        }

        [Theory]
        [InlineData("")]
        [InlineData("US ER")]
        [InlineData("1APP")]
        [InlineData("APP;rm")]
        [InlineData("A%B")]
        [InlineData("A12345678901234567890123456789012345678901234567890123456789012345")]
        public async Task A_bad_namespace_name_is_refused(string ns)
        {
            var engine = new SessionEngine();
            engine.Instances["data"] = new FakeInstance();
            var error = await Assert.ThrowsAsync<IrisOpsException>(() => DefaultSettingSession.RunAsync(engine, "data", ns, DefaultSettingScript.Create(SettingsScriptKind.List, new List<DefaultSetting>()), NullOperationReporter.Instance, TimeSpan.FromSeconds(5), CancellationToken.None));
            Assert.Equal("InvalidNamespace", error.ErrorId);
            Assert.Empty(engine.Execs);
        }
    }
}
