using IrisOps.Core.Iris;
using Xunit;

namespace IrisOps.Tests.Iris
{
    public class IrisNamesTests
    {
        private static readonly string SixtyFour = "A" + new string('b', 63);

        [Theory]
        [InlineData("USER")]
        [InlineData("%SYS")]
        [InlineData("%ALL")]
        [InlineData("a")]
        [InlineData("%")]
        [InlineData("APP-1_x")]
        [InlineData("A1")]
        public void Namespace_names_as_the_System_Administration_Guide_allows(string name) => Assert.True(IrisNames.IsNamespace(name));

        [Theory]
        [InlineData("")]
        [InlineData(null)]
        [InlineData("1APP")]
        [InlineData("_APP")]
        [InlineData("-APP")]
        [InlineData("A%B")]
        [InlineData("%%SYS")]
        [InlineData("US ER")]
        [InlineData("APP.X")]
        [InlineData("APP;rm")]
        [InlineData("ÄPP")]
        public void Namespace_names_the_rule_refuses(string? name) => Assert.False(IrisNames.IsNamespace(name));

        [Fact]
        public void A_namespace_name_has_at_most_64_characters()
        {
            Assert.True(IrisNames.IsNamespace(SixtyFour));
            Assert.False(IrisNames.IsNamespace(SixtyFour + "c"));
        }

        [Theory]
        [InlineData("USER")]
        [InlineData("_APP")]
        [InlineData("_")]
        [InlineData("myappdata")]
        [InlineData("APP-DATA_2")]
        public void Database_names_as_the_System_Administration_Guide_allows(string name) => Assert.True(IrisNames.IsDatabase(name));

        [Theory]
        [InlineData("")]
        [InlineData(null)]
        [InlineData("1db")]
        [InlineData("%DB")]
        [InlineData("-db")]
        [InlineData("my data")]
        [InlineData("APP.DATA")]
        [InlineData("APP,X=1")]
        public void Database_names_the_rule_refuses(string? name) => Assert.False(IrisNames.IsDatabase(name));

        [Fact]
        public void A_database_name_has_at_most_64_characters()
        {
            Assert.True(IrisNames.IsDatabase(SixtyFour));
            Assert.False(IrisNames.IsDatabase(SixtyFour + "c"));
        }

        [Theory]
        [InlineData("Orders", true)]
        [InlineData("%Orders", true)]
        [InlineData("demo.orders", true)]
        [InlineData("A1.b2", true)]
        [InlineData("demo.", false)]
        [InlineData("1demo", false)]
        [InlineData("de_mo", false)]
        [InlineData("de-mo", false)]
        [InlineData("%%demo", false)]
        [InlineData("^demo", false)]
        [InlineData("", false)]
        public void Global_names_as_Using_Globals_states_them(string name, bool valid) => Assert.Equal(valid, IrisNames.IsGlobalName(name));

        [Theory]
        [InlineData("demo.*", true)]
        [InlineData("demo*", true)]
        [InlineData("%demo.*", true)]
        [InlineData("Orders", true)]
        [InlineData("*", false)]
        [InlineData("demo.*.x", false)]
        [InlineData("demo**", false)]
        [InlineData("demo.", false)]
        [InlineData("demo,other", false)]
        [InlineData("de mo", false)]
        [InlineData(null, false)]
        public void Global_mappings_are_a_global_name_or_a_start_with_a_star(string? mapping, bool valid) => Assert.Equal(valid, IrisNames.IsGlobalMapping(mapping));

        [Theory]
        [InlineData("shop", true)]
        [InlineData("0shop-1", true)]
        [InlineData("Shop", false)]
        [InlineData("-shop", false)]
        [InlineData("sh_op", false)]
        [InlineData("a1234567890123456789012345678901234567890", false)]
        [InlineData("a123456789012345678901234567890123456789", true)]
        public void Cluster_names_are_lowercase_letters_digits_and_hyphens_up_to_40(string name, bool valid) => Assert.Equal(valid, IrisNames.IsClusterName(name));

        [Theory]
        [InlineData("data-server", true)]
        [InlineData("app1.example.com", true)]
        [InlineData("-lead", false)]
        [InlineData("trail-", false)]
        [InlineData("two..dots", false)]
        [InlineData("under_score", false)]
        [InlineData("", false)]
        public void Host_names_follow_RFC_1123(string name, bool valid) => Assert.Equal(valid, IrisNames.IsHostName(name));

        [Fact]
        public void A_host_name_label_has_at_most_63_characters()
        {
            Assert.True(IrisNames.IsHostName(new string('a', 63)));
            Assert.False(IrisNames.IsHostName(new string('a', 64)));
        }

        [Theory]
        [InlineData("*.example.com", true)]
        [InlineData("example.com", true)]
        [InlineData("*example.com", false)]
        public void Dns_names_may_start_with_a_wildcard_label(string name, bool valid) => Assert.Equal(valid, IrisNames.IsDnsName(name));

        [Theory]
        [InlineData("10.0.0.1", true)]
        [InlineData("::1", true)]
        [InlineData("10", false)]
        [InlineData("1.2", false)]
        [InlineData("host", false)]
        public void Only_full_addresses_count_as_IP_addresses(string text, bool valid) => Assert.Equal(valid, IrisNames.TryParseIpAddress(text, out _));

        [Theory]
        [InlineData("%DB_APP", true)]
        [InlineData("%DB\r", false)]
        public void Resource_names(string name, bool valid) => Assert.Equal(valid, IrisNames.IsResourceName(name));
    }
}
