using System;
using System.Collections.Generic;
using IrisOps.Core.Docker;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>UpgradePreflight: which mount holds the durable data.</summary>
    public class UpgradePreflightTests
    {
        [Fact]
        public void The_durable_mount_is_the_deepest_mount_holding_ISC_DATA_DIRECTORY_when_it_is_writable()
        {
            var mounts = new List<MountSpec>
            {
                new MountSpec { Kind = MountKind.Volume, Source = "outer", Target = "/dur" },
                new MountSpec { Kind = MountKind.Bind, Source = "/srv/inner", Target = "/dur/iconfig" },
                new MountSpec { Kind = MountKind.Tmpfs, Target = "/dur/iconfig/tmp" },
                new MountSpec { Kind = MountKind.Bind, Source = "/srv/ro", Target = "/ro", ReadOnly = true },
            };

            Assert.Equal("inner", UpgradePreflight.FindMount(mounts, "/dur/iconfig")!.Source.Substring(5));
            Assert.Equal("outer", UpgradePreflight.FindMount(mounts, "/dur/other")!.Source);
            Assert.Null(UpgradePreflight.FindMount(mounts, "/durable/iconfig"));
            Assert.Null(UpgradePreflight.FindMount(mounts, "/ro/iconfig"));
            Assert.Null(UpgradePreflight.FindMount(mounts, "/dur/iconfig/tmp/x")); // on the tmpfs, lost at every stop
        }
    }
}
