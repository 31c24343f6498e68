using System.Collections.Generic;
using System.Linq;
using System.Text;
using IrisOps.Core.Errors;
using IrisOps.Core.Productions;
using IrisOps.Core.Settings;
using Xunit;

namespace IrisOps.Tests.Productions
{
    public class ProductionItemReplyTests
    {
        private static string B(string text) => DefaultSettingReply.EncodeField(text);

        private static string V(int row, string kind, string name, string value) => $"IRISOPS|V|{row}|{kind}|{B(name)}|{B(value)}\n";

        private static ProductionItem Row(int n, string name, int? poolSize = null, params (string Key, string Value)[] settings)
        {
            var item = new ProductionItem { ProductionName = "APP.Production", Name = name, ClassName = "EnsLib.File.PassthroughService", PoolSize = poolSize, Source = "row " + n };
            foreach (var (key, value) in settings)
            {
                string[] parts = key.Split('.');
                item.Settings.Add(new ProductionItemSetting(parts[0] == "Host" ? ProductionItemSettingTarget.Host : ProductionItemSettingTarget.Adapter, parts[1], value));
            }

            return item;
        }

        private static string After(int row, string poolSize, params (string Key, string Value)[] settings)
        {
            var text = new StringBuilder();
            foreach (var (name, value) in new[] { ("ClassName", "EnsLib.File.PassthroughService"), ("PoolSize", poolSize), ("Enabled", "1"), ("Foreground", "0"), ("Category", "Lab \"A\""), ("Comment", "line1\nline2 caf\u00e9"), ("LogTraceEvents", "0"), ("Schedule", string.Empty) })
            {
                text.Append(V(row, "N", name, value));
            }

            foreach (var (key, value) in settings)
            {
                text.Append(V(row, "N", key, value));
            }

            return text.ToString();
        }

        [Fact]
        public void Apply_reply_becomes_objects_with_previous_new_and_action()
        {
            var rows = new[] { Row(1, "New In", 2, ("Adapter.FilePath", "/in|x")), Row(2, "Old Out", 3), Row(3, "Same", 1) };
            ItemsScript script = ProductionItemScript.Create(SettingsScriptKind.Apply, rows, updateProduction: true);
            string output = "USER>\nIRISOPS|BEGIN|1|APP\n"
                + After(1, "2", ("Adapter.FilePath", "/in|x")) + "IRISOPS|R|1|Added|0|\n"
                + V(2, "P", "PoolSize", "1") + After(2, "3") + "USER>IRISOPS|R|2|Updated|1|\n"
                + V(3, "P", "PoolSize", "1") + After(3, "1") + "IRISOPS|R|3|Unchanged|1|\n"
                + "IRISOPS|END|COMMITTED|3|\nIRISOPS|UPDATE|OK|" + B("APP.Production") + "\n";

            ProductionItemOutcome outcome = ProductionItemReply.Read(script, output, string.Empty, 0, "data", "APP");

            Assert.Empty(outcome.Problems);
            Assert.Empty(outcome.Warnings);
            Assert.Equal(new[] { "Added", "Updated", "Unchanged" }, outcome.Results.Select(r => r.Action.ToString()));
            IrisProductionItem added = outcome.Results[0];
            Assert.Equal("/in|x", added.Setting["Adapter.FilePath"]);
            Assert.False(added.Previous.Contains("PoolSize"), "a new item had no previous value");
            Assert.Equal("2", added.New["PoolSize"]);
            Assert.Equal("line1\nline2 caf\u00e9", added.Comment);
            Assert.Equal("Lab \"A\"", added.Category);
            Assert.True(added.Enabled);
            Assert.Equal(2, added.PoolSize);
            Assert.Equal("1", outcome.Results[1].Previous["PoolSize"]);
            Assert.Equal("3", outcome.Results[1].New["PoolSize"]);
            Assert.All(outcome.Results, r => Assert.Equal("data", r.Target));
        }

        [Fact]
        public void A_value_read_back_that_differs_is_an_error_naming_the_row()
        {
            ItemsScript script = ProductionItemScript.Create(SettingsScriptKind.Apply, new[] { Row(1, "In", 2) });
            string output = "IRISOPS|BEGIN|1|APP\n" + After(1, "1") + "IRISOPS|R|1|Added|0|\nIRISOPS|END|COMMITTED|1|\n";
            ProductionItemOutcome outcome = ProductionItemReply.Read(script, output, null, 0, "data", "APP");
            IrisOpsException problem = Assert.Single(outcome.Problems);
            Assert.Equal("ProductionItemReadBackDiffers", problem.ErrorId);
            Assert.Contains("row 1 (ProductionName=APP.Production, Name=In)", problem.Message);
        }

        [Theory]
        [InlineData("NoProduction", "there is no production 'APP.Production'")]
        [InlineData("NoClass", "the class 'EnsLib.File.PassthroughService' is not compiled")]
        [InlineData("ClassDiffers", "the item exists with the class 'Other.Class'")]
        [InlineData("Duplicate", "the production has more than one item with this name")]
        public void A_row_the_instance_refuses_rolls_everything_back_and_the_error_names_the_row(string action, string text)
        {
            ItemsScript script = ProductionItemScript.Create(SettingsScriptKind.Apply, new[] { Row(1, "First"), Row(2, "Second") });
            string output = "IRISOPS|BEGIN|1|APP\n" + After(1, "1") + "IRISOPS|R|1|Added|0|\n"
                + $"IRISOPS|R|2|{action}|1|{B("Other.Class")}\nIRISOPS|END|ROLLEDBACK|1|\n";
            IrisOpsException error = Assert.Throws<IrisOpsException>(() => ProductionItemReply.Read(script, output, null, 0, "data", "APP"));
            Assert.Equal("ProductionItemFailed", error.ErrorId);
            Assert.Contains("rolled back", error.Message);
            Assert.Contains("row 2 (ProductionName=APP.Production, Name=Second): " + text, error.Message);
        }

        [Fact]
        public void A_preview_names_every_row_that_cannot_be_set()
        {
            ItemsScript script = ProductionItemScript.Create(SettingsScriptKind.PreviewApply, new[] { Row(1, "First"), Row(2, "Second") });
            string output = "IRISOPS|BEGIN|1|APP\nIRISOPS|R|1|NoClass|0|\nIRISOPS|R|2|NoProduction|0|\nIRISOPS|END|PREVIEW|0|\n";
            IrisOpsException error = Assert.Throws<IrisOpsException>(() => ProductionItemReply.Read(script, output, null, 0, "data", "APP"));
            Assert.Contains("found 2 item(s)", error.Message);
            Assert.Contains("row 1 (", error.Message);
            Assert.Contains("row 2 (", error.Message);
        }

        [Fact]
        public void Remove_reply_carries_the_item_as_it_was()
        {
            ItemsScript script = ProductionItemScript.Create(SettingsScriptKind.Remove, new[] { Row(1, "Gone"), Row(2, "Missing") });
            string output = "IRISOPS|BEGIN|1|APP\n" + V(1, "P", "ClassName", "EnsLib.File.PassthroughService") + V(1, "P", "Adapter.FilePath", "/x")
                + "IRISOPS|R|1|Removed|1|\nIRISOPS|R|2|NotFound|0|\nIRISOPS|END|COMMITTED|2|\n";
            ProductionItemOutcome outcome = ProductionItemReply.Read(script, output, null, 0, "data", "APP");
            Assert.Equal(new[] { "Removed", "NotFound" }, outcome.Results.Select(r => r.Action.ToString()));
            Assert.Equal("/x", outcome.Results[0].Previous["Adapter.FilePath"]);
            Assert.Equal("EnsLib.File.PassthroughService", outcome.Results[0].ClassName);
        }

        [Fact]
        public void List_reply_becomes_one_object_per_item_with_every_setting()
        {
            ItemsScript script = ProductionItemScript.Create(SettingsScriptKind.List, new ProductionItem[0]);
            string output = "IRISOPS|BEGIN|1|APP\n" + After(1, "1", ("Adapter.Port", "104"), ("Host.TargetConfigNames", "A,B"))
                + $"IRISOPS|L|1|{B("APP.Production")}|{B("To PACS")}\n" + After(2, "4") + $"IRISOPS|L|2|{B("APP.Production")}|{B("Feed")}\nIRISOPS|END|LISTED|2|\n";
            ProductionItemOutcome outcome = ProductionItemReply.Read(script, output, null, 0, "data", "APP");
            Assert.Equal(new[] { "To PACS", "Feed" }, outcome.Results.Select(r => r.Name));
            Assert.Equal("104", outcome.Results[0].Setting["Adapter.Port"]);
            Assert.Equal("A,B", outcome.Results[0].Setting["Host.TargetConfigNames"]);
            Assert.Equal(4, outcome.Results[1].PoolSize);
            Assert.Equal(ProductionItemAction.None, outcome.Results[1].Action);
        }

        [Theory]
        [InlineData("IRISOPS|BEGIN|0|APP\n", "NamespaceNotInteroperability")]
        [InlineData("<NAMESPACE>\n", "NamespaceNotFound")]
        [InlineData("IRISOPS|BEGIN|1|APP\nIRISOPS|R|1|Added|0|\n", "UnexpectedSessionOutput")]
        [InlineData("IRISOPS|BEGIN|1|APP\nIRISOPS|R|1|Removed|1|\nIRISOPS|END|COMMITTED|1|\n", "UnexpectedSessionOutput")]
        [InlineData("IRISOPS|BEGIN|1|APP\nIRISOPS|R|1|Added|0|\nIRISOPS|R|1|Added|0|\nIRISOPS|END|COMMITTED|1|\n", "UnexpectedSessionOutput")]
        [InlineData("IRISOPS|BEGIN|1|APP\nIRISOPS|V|1|N|not base64!|\n", "UnexpectedSessionOutput")]
        public void Output_that_does_not_fit_is_an_error(string output, string errorId)
        {
            ItemsScript script = ProductionItemScript.Create(SettingsScriptKind.Apply, new[] { Row(1, "In") });
            IrisOpsException error = Assert.Throws<IrisOpsException>(() => ProductionItemReply.Read(script, output, null, 1, "data", "APP"));
            Assert.Equal(errorId, error.ErrorId);
        }

        [Theory]
        [InlineData("NOTRUNNING|", "no production is running")]
        [InlineData("OK|QVBQLk90aGVy", "the running production in container 'data' (namespace APP) is 'APP.Other'")]
        public void UpdateProduction_status_is_reported(string status, string warning)
        {
            ItemsScript script = ProductionItemScript.Create(SettingsScriptKind.Apply, new[] { Row(1, "In") }, updateProduction: true);
            string output = "IRISOPS|BEGIN|1|APP\n" + After(1, "1") + "IRISOPS|R|1|Unchanged|1|\nIRISOPS|END|COMMITTED|1|\nIRISOPS|UPDATE|" + status + "\n";
            ProductionItemOutcome outcome = ProductionItemReply.Read(script, output, null, 0, "data", "APP");
            Assert.Contains(warning, Assert.Single(outcome.Warnings));
        }
    }
}
