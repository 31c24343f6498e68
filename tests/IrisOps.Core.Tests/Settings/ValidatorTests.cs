using System;
using System.Collections.Generic;
using IrisOps.Core.Errors;
using IrisOps.Core.Settings;
using Xunit;

namespace IrisOps.Tests.Settings
{
    public class ValidatorTests
    {
        private static DefaultSetting Good(int row) => new DefaultSetting
        {
            ProductionName = "APP.Production",
            ItemName = "DICOM In",
            HostClassName = "*",
            SettingName = "Port",
            SettingValue = "104",
            Source = "row " + row,
        };

        public static TheoryData<string, Action<DefaultSetting>, string> Refusals() => new TheoryData<string, Action<DefaultSetting>, string>
        {
            { "production too long", r => r.ProductionName = new string('p', 256), "ProductionName has 256 characters" },
            { "item too long", r => r.ItemName = new string('i', 256), "ItemName has 256 characters" },
            { "class too long", r => r.HostClassName = new string('c', 256), "HostClassName has 256 characters" },
            { "setting too long", r => r.SettingName = new string('s', 256), "SettingName has 256 characters" },
            { "id separator", r => r.ItemName = "a||b", "ItemName contains '||'" },
            { "pipe at the end", r => r.HostClassName = "Ens.X|", "HostClassName starts or ends with '|'" },
            { "pipe at the start", r => r.ProductionName = "|APP", "ProductionName starts or ends with '|'" },
            { "empty key", r => r.ItemName = string.Empty, "ItemName is empty" },
            { "empty setting", r => r.SettingName = string.Empty, "SettingName is empty" },
            { "setting wildcard", r => r.SettingName = "*", "SettingName cannot be '*'" },
            { "value too long", r => r.SettingValue = new string('v', 2001), "SettingValue has 2001 characters" },
            { "description too long", r => r.Description = new string('d', 2001), "Description has 2001 characters" },
            { "control character in a key", r => r.ItemName = "a\nb", "ItemName contains the control character U+000A" },
            { "spaces around a key", r => r.ItemName = " DICOM In", "starts or ends with white space" },
            { "broken surrogate", r => r.SettingValue = "x\ud800y", "half of a surrogate pair" },
        };

        [Theory]
        [MemberData(nameof(Refusals))]
        public void Every_refusal_names_the_row(string why, Action<DefaultSetting> spoil, string expected)
        {
            var rows = new List<DefaultSetting> { Good(1), Good(2), Good(3) };
            rows[0].SettingName = "A";
            rows[1].SettingName = "B";
            spoil(rows[2]);
            var error = Assert.Throws<IrisOpsException>(() => DefaultSettingValidator.Validate(rows));
            Assert.Equal(DefaultSettingValidator.InvalidSettingId, error.ErrorId);
            Assert.Contains("row 3 (ProductionName=", error.Message, StringComparison.Ordinal);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("row 1 ", error.Message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(why));
        }

        [Fact]
        public void Limits_are_inclusive_and_hostile_values_are_fine()
        {
            var row = Good(1);
            row.ProductionName = new string('p', 255);
            row.SettingValue = new string('"', 2000);
            row.Description = "\u0000 a NUL is fine for the instance";
            DefaultSettingValidator.Validate(new[] { row });
        }

        [Fact]
        public void Duplicates_name_both_rows()
        {
            var error = Assert.Throws<IrisOpsException>(() => DefaultSettingValidator.Validate(new[] { Good(1), Good(2) }));
            Assert.Contains("row 2 (", error.Message, StringComparison.Ordinal);
            Assert.Contains("the same setting as row 1", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void All_problems_are_listed_at_once()
        {
            var a = Good(1);
            a.SettingName = "*";
            var b = Good(2);
            b.SettingName = string.Empty;
            var error = Assert.Throws<IrisOpsException>(() => DefaultSettingValidator.Validate(new[] { a, b }));
            Assert.Contains("2 problems", error.Message, StringComparison.Ordinal);
            Assert.Contains("row 1 (", error.Message, StringComparison.Ordinal);
            Assert.Contains("row 2 (", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Messages_show_control_characters_visibly_and_cut_long_names()
        {
            var row = Good(4);
            row.ItemName = "x\u0007" + new string('y', 300);
            string text = row.Describe();
            Assert.Contains("x\\x07", text, StringComparison.Ordinal);
            Assert.Contains("...", text, StringComparison.Ordinal);
            Assert.True(text.Length < 300);
        }
    }
}
