using System;
using System.Linq;
using IrisOps.Core.Settings;
using Xunit;

namespace IrisOps.Tests.Settings
{
    public class ObjectScriptLiteralTests
    {
        public static TheoryData<string> FixedStrings()
        {
            var data = new TheoryData<string>();
            foreach (string value in HostileStrings.Fixed)
            {
                data.Add(value);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(FixedStrings))]
        public void Hostile_strings_come_back_exactly(string value)
        {
            string literal = ObjectScriptLiteral.Encode(value);
            Assert.Equal(value, ObjectScriptLiteral.Decode(literal));
            AssertOnlyLiteralsAndChar(literal);
        }

        [Fact]
        public void Thousands_of_random_strings_come_back_exactly_and_stay_literals()
        {
            foreach (string value in HostileStrings.Random(3000, seed: 20261124, xmlSafeOnly: false))
            {
                string literal = ObjectScriptLiteral.Encode(value);
                Assert.Equal(value, ObjectScriptLiteral.Decode(literal));
                AssertOnlyLiteralsAndChar(literal);
                foreach (int size in new[] { 1, 7, 200 })
                {
                    var parts = ObjectScriptLiteral.EncodeParts(value, size);
                    Assert.Equal(value, ObjectScriptLiteral.Decode(string.Join("_", parts)));
                }
            }
        }

        [Theory]
        [InlineData("a\nb", "\"a\"_$char(10)_\"b\"")]
        [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
        [InlineData("", "\"\"")]
        [InlineData("\r\n", "$char(13,10)")]
        [InlineData("caf\u00e9", "\"caf\"_$char(233)")]
        public void Writes_the_documented_shape(string value, string expected) => Assert.Equal(expected, ObjectScriptLiteral.Encode(value));

        [Fact]
        public void The_expression_is_pure_printable_ascii()
        {
            string literal = ObjectScriptLiteral.Encode("\u0000\u0007\u00ff\uffff\ud83d\ude00\"\t");
            Assert.All(literal, ch => Assert.InRange(ch, (char)0x20, (char)0x7E));
        }

        [Fact]
        public void A_long_run_of_special_characters_is_split_into_several_char_calls()
        {
            string value = new string('\n', 100);
            string literal = ObjectScriptLiteral.Encode(value);
            Assert.True(literal.Split(new[] { "$char(" }, StringSplitOptions.None).Length - 1 >= 4);
            Assert.Equal(value, ObjectScriptLiteral.Decode(literal));
        }

        [Theory]
        [InlineData("\"a\"_$zf(-1,\"id\")")]
        [InlineData("\"a\" _\"b\"")]
        [InlineData("\"open")]
        [InlineData("$char(70000)")]
        [InlineData("$char(1+1)")]
        [InlineData("x")]
        [InlineData("\"a\"\"")]
        public void The_decoder_refuses_anything_but_literals_and_char(string expression) =>
            Assert.Throws<FormatException>(() => ObjectScriptLiteral.Decode(expression));

        /// <summary>Walks the expression: outside quotes only _ and $char(digits,...) may appear.</summary>
        internal static void AssertOnlyLiteralsAndChar(string expression)
        {
            string code = ScriptShapeTests.CodeOutsideLiterals(expression);
            string stripped = System.Text.RegularExpressions.Regex.Replace(code.Replace("\"\"", string.Empty), @"\$char\(\d+(,\d+)*\)", string.Empty);
            Assert.True(stripped.All(ch => ch == '_'), $"unexpected code outside literals: {code}");
        }
    }
}
