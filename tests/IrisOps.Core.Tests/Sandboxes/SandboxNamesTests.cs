using IrisOps.Core.Errors;
using IrisOps.Core.Sandboxes;
using Xunit;

namespace IrisOps.Tests.Sandboxes
{
    public class SandboxNamesTests
    {
        [Theory]
        [InlineData("ann", "ann")]
        [InlineData("Ann-Smith", "ann-smith")]
        [InlineData("a1", "a1")]
        [InlineData("0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef")]
        public void Owner_names_are_taken_in_lowercase(string given, string stored) =>
            Assert.Equal(stored, SandboxNames.NormalizeOwner(given));

        [Theory]
        [InlineData("")]
        [InlineData(null)]
        [InlineData("ann*")]
        [InlineData("*")]
        [InlineData("ann?")]
        [InlineData("ann smith")]
        [InlineData("-ann")]
        [InlineData("ann-")]
        [InlineData("ann_b")]
        [InlineData("ann.b")]
        [InlineData("../ann")]
        [InlineData("ann;rm")]
        [InlineData("0123456789abcdef0123456789abcdef0")]
        public void Bad_owner_names_and_wildcards_are_refused(string? owner)
        {
            IrisOpsException error = Assert.Throws<IrisOpsException>(() => SandboxNames.NormalizeOwner(owner));
            Assert.Equal("InvalidSandboxOwner", error.ErrorId);
            Assert.Equal(IrisErrorKind.InvalidArgument, error.Kind);
        }

        [Fact]
        public void Names_of_different_owners_never_collide()
        {
            Assert.Equal("sandbox-ann-21", SandboxNames.Container("ann", 21));
            Assert.Equal("sandbox-ann-2-1", SandboxNames.Container("ann-2", 1));
            Assert.NotEqual(SandboxNames.Container("ann", 21), SandboxNames.Container("ann-2", 1));
            Assert.Null(SandboxNames.IndexOf("ann", "sandbox-ann-2-1"));
            Assert.Equal(1, SandboxNames.IndexOf("ann-2", "sandbox-ann-2-1"));
            Assert.Equal(21, SandboxNames.IndexOf("ann", "sandbox-ann-21"));
            Assert.Null(SandboxNames.IndexOf("ann", "sandbox-ann-01"));
        }

        [Fact]
        public void Network_and_volumes_follow_the_sandbox_name()
        {
            Assert.Equal("sandbox-ann-1-net", SandboxNames.Network("sandbox-ann-1"));
            Assert.Equal("sandbox-ann-1-data", SandboxNames.DataVolume("sandbox-ann-1"));
            Assert.Equal("sandbox-ann-1-license", SandboxNames.LicenseVolume("sandbox-ann-1"));
        }
    }
}
