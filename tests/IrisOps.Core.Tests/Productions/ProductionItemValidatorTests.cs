using System.Linq;
using IrisOps.Core.Errors;
using IrisOps.Core.Productions;
using Xunit;

namespace IrisOps.Tests.Productions
{
    public class ProductionItemValidatorTests
    {
        private static ProductionItem Item(string name = "File In", string production = "APP.Production", string? cls = "EnsLib.File.PassthroughService") =>
            new ProductionItem { ProductionName = production, Name = name, ClassName = cls, Source = "row 1" };

        [Theory]
        [InlineData("File In")]
        [InlineData("To PACS (site 2) #1")]
        [InlineData("caf\u00e9-\u65e5\u672c")]
        [InlineData("a*b")]
        [InlineData("x!y$z.w")]
        public void Configuration_names_the_manual_allows_are_accepted(string name) =>
            Assert.Null(ProductionItemValidator.ItemNameProblem(name));

        [Theory]
        [InlineData("")]
        [InlineData("a|b")]
        [InlineData("a;b")]
        [InlineData("a,b")]
        [InlineData("a:b")]
        [InlineData("a[b")]
        [InlineData("a<b")]
        [InlineData("a>b")]
        [InlineData("a\\b")]
        [InlineData("a/b")]
        [InlineData("a&b")]
        [InlineData("a\"b")]
        [InlineData("!a")]
        [InlineData("a$")]
        [InlineData(".a")]
        [InlineData("_a")]
        [InlineData("*")]
        [InlineData("a\nb")]
        [InlineData(" a")]
        public void Configuration_names_the_manual_forbids_are_refused(string name) =>
            Assert.NotNull(ProductionItemValidator.ItemNameProblem(name));

        [Theory]
        [InlineData("APP", "ProductionName")]
        [InlineData("APP.Prod uction", "ProductionName")]
        [InlineData("1APP.Production", "ProductionName")]
        [InlineData("APP.Production\"_$zf(-1)", "ProductionName")]
        public void Production_and_class_names_must_be_full_class_names(string production, string what)
        {
            IrisOpsException error = Assert.Throws<IrisOpsException>(() => ProductionItemValidator.Validate(new[] { Item(production: production) }, requireClass: true));
            Assert.Equal(ProductionItemValidator.InvalidItemId, error.ErrorId);
            Assert.Contains("row 1 (ProductionName=", error.Message);
            Assert.Contains(what, error.Message);
        }

        [Fact]
        public void Every_problem_is_listed_once_naming_its_row()
        {
            var rows = new[]
            {
                Item(),
                new ProductionItem { ProductionName = "APP.Production", Name = "File In", ClassName = "EnsLib.File.PassthroughService", Source = "row 2" },
                new ProductionItem { ProductionName = "APP.Production", Name = "B", ClassName = null, PoolSize = -1, Schedule = "START:*-*-*T08:00", Source = "row 3" },
            };
            rows[2].Settings.Add(new ProductionItemSetting(ProductionItemSettingTarget.Adapter, "File Path", "x"));
            IrisOpsException error = Assert.Throws<IrisOpsException>(() => ProductionItemValidator.Validate(rows, requireClass: true));
            Assert.Contains("row 2 (ProductionName=APP.Production, Name=File In): the same item as row 1", error.Message);
            Assert.Contains("row 3 (ProductionName=APP.Production, Name=B): ClassName is missing", error.Message);
            Assert.Contains("PoolSize is -1", error.Message);
            Assert.Contains("Schedule 'START:*-*-*T08:00'", error.Message);
            Assert.Contains("the setting 'Adapter.File Path' does not name a property", error.Message);
        }

        [Theory]
        [InlineData("")]
        [InlineData("START:*-*-*T08:00:00,STOP:*-*-*T17:00:00")]
        [InlineData("STOP:WEEK-*-00T10:00:00,START:WEEK-*-01T08:30:00")]
        [InlineData("STOP:2010-12-31T23:59:59")]
        public void Documented_schedules_are_accepted(string schedule)
        {
            var item = Item();
            item.Schedule = schedule;
            Assert.Empty(ProductionItemValidator.Check(item, requireClass: true));
        }

        [Fact]
        public void Remove_rows_need_no_class()
        {
            ProductionItemValidator.Validate(new[] { Item(cls: null) }, requireClass: false);
            Assert.Contains(ProductionItemValidator.Check(Item(cls: null), requireClass: true), p => p.Contains("ClassName is missing"));
        }
    }
}
