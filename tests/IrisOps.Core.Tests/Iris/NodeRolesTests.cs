using IrisOps.Core.Certificates;
using IrisOps.Core.Ecp;
using IrisOps.Core.Iris;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Iris
{
    public class NodeRolesTests
    {
        [Theory]
        [InlineData(EcpRole.Data, "data")]
        [InlineData(EcpRole.App, "app")]
        public void Each_role_has_one_label_that_reads_back(EcpRole role, string label)
        {
            Assert.Equal(label, NodeRoles.ToLabel(role));
            Assert.Equal(role, NodeRoles.FromLabel(label));
        }

        [Theory]
        [InlineData("application")]
        [InlineData("Data")]
        [InlineData("")]
        [InlineData(null)]
        public void Any_label_but_data_is_an_application_server(string? label) => Assert.Equal(EcpRole.App, NodeRoles.FromLabel(label));

        [Theory]
        [InlineData("data", true)]
        [InlineData("app", true)]
        [InlineData("prepare", false)]
        [InlineData(null, false)]
        public void The_prepare_container_is_not_a_node(string? label, bool node) => Assert.Equal(node, NodeRoles.IsNodeLabel(label));

        [Theory]
        [InlineData(EcpRole.Data, CertificateRole.DataServer)]
        [InlineData(EcpRole.App, CertificateRole.ApplicationServer)]
        public void Certificate_roles_map_both_ways(EcpRole role, CertificateRole certificate)
        {
            Assert.Equal(certificate, NodeRoles.ToCertificateRole(role));
            Assert.Equal(role, NodeRoles.FromCertificateRole(certificate));
        }

        [Theory]
        [InlineData(EcpRole.Data, UpgradeNodeRole.Data)]
        [InlineData(EcpRole.App, UpgradeNodeRole.Application)]
        public void Upgrade_results_keep_the_role_names_users_see(EcpRole role, UpgradeNodeRole upgrade) => Assert.Equal(upgrade, NodeRoles.ToUpgradeRole(role));

        [Fact]
        public void The_printed_role_values_stay_as_users_know_them()
        {
            Assert.Equal("Data", EcpRole.Data.ToString());
            Assert.Equal("App", EcpRole.App.ToString());
            Assert.Equal("DataServer", CertificateRole.DataServer.ToString());
            Assert.Equal("ApplicationServer", CertificateRole.ApplicationServer.ToString());
            Assert.Equal("Application", UpgradeNodeRole.Application.ToString());
        }
    }
}
