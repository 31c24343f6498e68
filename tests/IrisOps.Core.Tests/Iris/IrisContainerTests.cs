using System.Collections.Generic;
using IrisOps.Core.Iris;
using Xunit;

namespace IrisOps.Tests.Iris
{
    public class IrisContainerTests
    {
        [Fact]
        public void The_session_command_runs_the_IRIS_instance_in_the_namespace()
        {
            Assert.Equal(new[] { "iris", "session", "IRIS", "-U", "APP" }, IrisContainer.SessionCommand("APP"));
            Assert.Equal("iris session IRIS -U %SYS", IrisContainer.SessionCommandLine("%SYS"));
            Assert.Equal("iris merge IRIS <file>", IrisContainer.MergeCommandLine("<file>"));
        }

        [Fact]
        public void The_IRIS_user_and_its_owner_argument_agree()
        {
            Assert.Equal("51773:51773", IrisContainer.UserAndGroup);
            Assert.Equal(IrisContainer.Uid, IrisContainer.Gid);
            Assert.Equal(51773, IrisContainer.Uid);
        }

        [Theory]
        [InlineData("/durable/iconfig", "/durable/iconfig/mgr/iris.ids")]
        [InlineData("/durable/iconfig/", "/durable/iconfig/mgr/iris.ids")]
        public void The_running_marker_lives_in_the_manager_directory(string dataDirectory, string path) =>
            Assert.Equal(path, IrisContainer.RunningMarkerPath(dataDirectory));

        [Fact]
        public void The_install_directory_comes_from_the_image_environment()
        {
            Assert.Equal("/usr/irissys", IrisContainer.InstallDirectory(new[] { "PATH=/bin" }));
            Assert.Equal("/usr/irissys", IrisContainer.InstallDirectory(null));
            Assert.Equal("/opt/iris", IrisContainer.InstallDirectory(new[] { "ISC_PACKAGE_INSTALLDIR=/usr/irissys", "ISC_PACKAGE_INSTALLDIR=/opt/iris" }));
        }

        [Fact]
        public void Environment_lists_split_at_the_first_equals_sign()
        {
            IDictionary<string, string> variables = EnvironmentVariables.Parse(new[] { "A=1", "B=x=y", "C=", "NOVALUE", "=orphan", "A=2" });
            Assert.Equal("2", variables["A"]);
            Assert.Equal("x=y", variables["B"]);
            Assert.Equal(string.Empty, variables["C"]);
            Assert.False(variables.ContainsKey("NOVALUE"));
            Assert.Equal(3, variables.Count);
            Assert.Empty(EnvironmentVariables.Parse(null));
        }
    }
}
