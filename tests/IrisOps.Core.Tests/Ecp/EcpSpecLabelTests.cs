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
    }
}
