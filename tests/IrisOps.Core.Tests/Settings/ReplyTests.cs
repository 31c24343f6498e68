using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Errors;
using IrisOps.Core.Settings;
using Xunit;

namespace IrisOps.Tests.Settings
{
    public class ReplyTests
    {
        private static List<DefaultSetting> Rows(params (string Setting, string Value)[] values) =>
            values.Select((v, i) => new DefaultSetting { ProductionName = "APP.Production", SettingName = v.Setting, SettingValue = v.Value, Source = "row " + (i + 1) }).ToList();

        private static SettingsOutcome Run(FakeInstance instance, SettingsScript script)
        {
            string output = instance.Run(script);
            SettingsReply reply = DefaultSettingReply.Parse(output, string.Empty, 0, script, "data-1", "USER");
            return DefaultSettingReply.ToOutcome(script, reply, "data-1", "USER", output, string.Empty, 0);
        }

        [Fact]
        public void Added_updated_unchanged_with_previous_values_through_generator_fake_and_parser()
        {
            var instance = new FakeInstance();
            instance.Table["APP.Production||*||*||Port"] = ("1111", "old", false);
            instance.Table["APP.Production||*||*||Host"] = ("pacs\n\"x\"", string.Empty, false);
            var rows = Rows(("Port", "2222"), ("Host", "pacs\n\"x\""), ("AETitle", "SITE_\u00e9\ud83d\ude00"));
            SettingsOutcome outcome = Run(instance, DefaultSettingScript.Create(SettingsScriptKind.Apply, rows, updateProduction: true));
            Assert.Empty(outcome.Problems);
            Assert.Equal(new[] { DefaultSettingAction.Updated, DefaultSettingAction.Unchanged, DefaultSettingAction.Added }, outcome.Results.Select(r => r.Action));
            Assert.Equal("1111", outcome.Results[0].Previous);
            Assert.Equal("2222", outcome.Results[0].SettingValue);
            Assert.Equal("old", outcome.Results[0].Description);
            Assert.Null(outcome.Results[2].Previous);
            Assert.Equal("SITE_\u00e9\ud83d\ude00", outcome.Results[2].SettingValue);
            Assert.All(outcome.Results, r => Assert.Equal("data-1", r.Target));
            Assert.Equal("SITE_\u00e9\ud83d\ude00", instance.Table["APP.Production||*||*||AETitle"].Value);
        }

        [Fact]
        public void Preview_reports_would_add_and_would_update_and_changes_nothing()
        {
            var instance = new FakeInstance();
            instance.Table["APP.Production||*||*||Port"] = ("1111", string.Empty, false);
            SettingsOutcome outcome = Run(instance, DefaultSettingScript.Create(SettingsScriptKind.PreviewApply, Rows(("Port", "2222"), ("New", "x"))));
            Assert.Equal(new[] { DefaultSettingAction.WouldUpdate, DefaultSettingAction.WouldAdd }, outcome.Results.Select(r => r.Action));
            Assert.Equal("1111", instance.Table["APP.Production||*||*||Port"].Value);
            Assert.Single(instance.Table);
        }

        [Fact]
        public void Remove_and_list()
        {
            var instance = new FakeInstance();
            instance.Table["APP.Production||*||*||Port"] = ("1111", "d", true);
            instance.Table["*||*||*||Other"] = ("o", string.Empty, false);
            SettingsOutcome removed = Run(instance, DefaultSettingScript.Create(SettingsScriptKind.Remove, Rows(("Port", string.Empty), ("Missing", string.Empty))));
            Assert.Equal(new[] { DefaultSettingAction.Removed, DefaultSettingAction.NotFound }, removed.Results.Select(r => r.Action));
            Assert.Equal("1111", removed.Results[0].Previous);
            SettingsOutcome listed = Run(instance, DefaultSettingScript.Create(SettingsScriptKind.List, new List<DefaultSetting>()));
            var only = Assert.Single(listed.Results);
            Assert.Equal("Other", only.SettingName);
            Assert.Equal("*", only.ProductionName);
        }

        [Fact]
        public void A_failing_row_rolls_everything_back_and_the_error_names_the_row()
        {
            var instance = new FakeInstance { FailRow = 2 };
            var script = DefaultSettingScript.Create(SettingsScriptKind.Apply, Rows(("A", "1"), ("B", "2"), ("C", "3")));
            var error = Assert.Throws<IrisOpsException>(() => Run(instance, script));
            Assert.Equal("DefaultSettingFailed", error.ErrorId);
            Assert.Contains("row 2 (ProductionName=APP.Production", error.Message, StringComparison.Ordinal);
            Assert.Contains("Datatype validation failed", error.Message, StringComparison.Ordinal);
            Assert.Contains("rolled back", error.Message, StringComparison.Ordinal);
            Assert.Empty(instance.Table);
        }

        [Fact]
        public void A_namespace_without_interoperability_is_a_clear_error()
        {
            var instance = new FakeInstance { Interoperability = false };
            var error = Assert.Throws<IrisOpsException>(() => Run(instance, DefaultSettingScript.Create(SettingsScriptKind.Apply, Rows(("A", "1")))));
            Assert.Equal("NamespaceNotInteroperability", error.ErrorId);
        }

        [Fact]
        public void Unexpected_output_is_an_error_with_the_raw_tail_and_never_the_script()
        {
            var script = DefaultSettingScript.Create(SettingsScriptKind.Apply, Rows(("Secretish", "value-that-must-not-leak")));
            var error = Assert.Throws<IrisOpsException>(() => DefaultSettingReply.Parse("USER>\n<UNDEFINED>zApply+3^%SYS\nsomething odd\u0007", string.Empty, 1, script, "c1", "USER"));
            Assert.Equal(DefaultSettingReply.UnexpectedOutputId, error.ErrorId);
            Assert.Contains("<UNDEFINED>", error.Message, StringComparison.Ordinal);
            Assert.Contains("\\x07", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("value-that-must-not-leak", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("set ", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_missing_namespace_and_a_login_prompt_are_recognised()
        {
            var script = DefaultSettingScript.Create(SettingsScriptKind.List, new List<DefaultSetting>());
            Assert.Equal("NamespaceNotFound", Assert.Throws<IrisOpsException>(() => DefaultSettingReply.Parse(string.Empty, "<NAMESPACE> namespace 'APP' does not exist", 1, script, "c1", "APP")).ErrorId);
            Assert.Equal("SessionLoginRequired", Assert.Throws<IrisOpsException>(() => DefaultSettingReply.Parse("Username: ", string.Empty, 1, script, "c1", "APP")).ErrorId);
        }

        [Theory]
        [InlineData("IRISOPS|BEGIN|1|USER\nIRISOPS|R|1|Added|0||MQ==||0|\n")] // no END: the session died
        [InlineData("IRISOPS|BEGIN|1|USER\nIRISOPS|R|1|Added|0||@@@||0|\nIRISOPS|END|COMMITTED|1|\n")] // not Base64
        [InlineData("IRISOPS|BEGIN|1|USER\nIRISOPS|R|1|Added|0\nIRISOPS|END|COMMITTED|1|\n")] // too few fields
        [InlineData("IRISOPS|BEGIN|1|USER\nIRISOPS|END|COMMITTED|1|\n")] // the row is missing
        [InlineData("IRISOPS|BEGIN|1|USER\nIRISOPS|R|1|Added|0||MQ==||0|\nIRISOPS|R|1|Added|0||MQ==||0|\nIRISOPS|END|COMMITTED|1|\n")] // twice
        [InlineData("IRISOPS|BEGIN|1|USER\nIRISOPS|R|1|Updated|0||MQ==||0|\nIRISOPS|END|COMMITTED|1|\n")] // Updated but did not exist
        [InlineData("IRISOPS|BEGIN|1|USER\nIRISOPS|R|2|Added|0||MQ==||0|\nIRISOPS|END|COMMITTED|1|\n")] // a row not sent
        [InlineData("IRISOPS|BEGIN|1|USER\nIRISOPS|R|1|Added|0||MQ==||0|\nIRISOPS|END|PREVIEW|1|\n")] // the wrong end
        [InlineData("IRISOPS|BEGIN|1|USER\nIRISOPS|WHAT|1\nIRISOPS|END|COMMITTED|1|\n")] // unknown kind
        public void Malformed_replies_are_refused(string output)
        {
            var script = DefaultSettingScript.Create(SettingsScriptKind.Apply, Rows(("A", "1")));
            var error = Assert.Throws<IrisOpsException>(() =>
            {
                SettingsReply reply = DefaultSettingReply.Parse(output, string.Empty, 0, script, "c1", "USER");
                DefaultSettingReply.ToOutcome(script, reply, "c1", "USER", output, string.Empty, 0);
            });
            Assert.Equal(DefaultSettingReply.UnexpectedOutputId, error.ErrorId);
            Assert.Contains("The last lines it printed", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void A_value_read_back_differently_is_reported()
        {
            var script = DefaultSettingScript.Create(SettingsScriptKind.Apply, Rows(("A", "1")));
            string output = "IRISOPS|BEGIN|1|USER\nUSER>IRISOPS|R|1|Added|0||" + DefaultSettingReply.EncodeField("2") + "||0|\nIRISOPS|END|COMMITTED|1|\n";
            SettingsOutcome outcome = DefaultSettingReply.ToOutcome(script, DefaultSettingReply.Parse(output, null, 0, script, "c1", "USER"), "c1", "USER", output, null, 0);
            Assert.Equal("DefaultSettingReadBackDiffers", Assert.Single(outcome.Problems).ErrorId);
        }

        [Fact]
        public void Update_production_not_running_is_a_warning_and_a_failure_an_error()
        {
            var script = DefaultSettingScript.Create(SettingsScriptKind.Apply, Rows(("A", "1")), updateProduction: true);
            string body = "IRISOPS|BEGIN|1|USER\nIRISOPS|R|1|Added|0||" + DefaultSettingReply.EncodeField("1") + "||0|\nIRISOPS|END|COMMITTED|1|\n";
            string notRunning = body + "IRISOPS|UPDATE|NOTRUNNING|\n";
            var outcome = DefaultSettingReply.ToOutcome(script, DefaultSettingReply.Parse(notRunning, null, 0, script, "c1", "USER"), "c1", "USER", notRunning, null, 0);
            Assert.Single(outcome.Warnings);
            string failed = body + "IRISOPS|UPDATE|ERROR|" + DefaultSettingReply.EncodeField("ERROR #EnsErr") + "\n";
            outcome = DefaultSettingReply.ToOutcome(script, DefaultSettingReply.Parse(failed, null, 0, script, "c1", "USER"), "c1", "USER", failed, null, 0);
            Assert.Contains("ERROR #EnsErr", Assert.Single(outcome.Problems).Message, StringComparison.Ordinal);
        }
    }
}
