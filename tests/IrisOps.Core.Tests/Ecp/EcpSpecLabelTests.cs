using IrisOps.Core.Ecp;
using Xunit;

namespace IrisOps.Tests.Ecp
{
    public class EcpSpecLabelTests
    {
        [Fact]
        public void What_the_planner_writes_reads_back_with_quotes_backslashes_and_unicode_intact()
        {
            var label = new EcpSpecLabel { Name = "demo", Database = "Orders", Namespace = "APP", ClusterFolder = "C:\\Iris \"clusters\"\\dämo", GlobalMappings = new[] { "demo.*" } };
            EcpSpecLabel back = EcpSpecLabel.Parse(label.ToJson());
            Assert.Equal("Orders", back.Database);
            Assert.Equal("APP", back.Namespace);
            Assert.Equal(label.ClusterFolder, back.ClusterFolder);
            Assert.Equal(new[] { "demo.*" }, back.GlobalMappings);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("{not json")]
        [InlineData("{\"database\":12}")]
        public void A_missing_or_damaged_label_gives_the_defaults(string? json)
        {
            EcpSpecLabel label = EcpSpecLabel.Parse(json);
            Assert.Equal(EcpClusterSpec.DefaultDatabase, label.Database);
            Assert.Equal(EcpClusterSpec.DefaultNamespace, label.Namespace);
            Assert.Equal(string.Empty, label.ClusterFolder);
        }

        [Fact]
        public void Names_each_differing_argument_as_its_parameter_with_both_values()
        {
            var exists = new EcpSpecLabel { Name = "demo", ApplicationServers = 2, Database = "Orders", GlobalMappings = new[] { "demo.*" }, StopTimeout = 330, ClusterFolder = "/c" };
            var asked = new EcpSpecLabel { Name = "demo", ApplicationServers = 3, Database = "Orders", GlobalMappings = new[] { "demo.*", "Sales" }, StopTimeout = 330, ClusterFolder = "/c" };
            Assert.Equal(
                new[] { "-ApplicationServerCount: exists with 2, asked for 3", "-GlobalMapping: exists with 'demo.*', asked for 'demo.*, Sales'" },
                exists.DifferencesFrom(asked));
            Assert.Empty(exists.DifferencesFrom(EcpSpecLabel.Parse(exists.ToJson())));
        }
    }
}
