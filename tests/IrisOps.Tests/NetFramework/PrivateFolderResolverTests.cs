// net472 only: the Windows PowerShell 5.1 resolver of IrisOps.dll, run under Mono by build.ps1 -Task TestNetFramework.
using System;
using System.IO;
using System.Reflection;
using IrisOps.Infrastructure;
using Xunit;

namespace IrisOps.Tests.NetFramework
{
    public sealed class PrivateFolderResolverTests
    {
        // IrisOps.dll (a type of its own that needs no System.Management.Automation, which Mono does not have).
        private static readonly Assembly IrisOpsAssembly = typeof(PrivateFolderResolver).Assembly;

        private static string PrivateFolderWithYaml(TempFolder folder)
        {
            string lib = Path.Combine(folder.Path, "lib");
            Directory.CreateDirectory(lib);
            File.Copy(typeof(YamlDotNet.Serialization.Deserializer).Assembly.Location, Path.Combine(lib, "YamlDotNet.dll"));
            return lib;
        }

        [Fact]
        public void Another_modules_request_for_a_dependency_gets_null_even_when_the_private_folder_has_it()
        {
            using var folder = new TempFolder();
            string lib = PrivateFolderWithYaml(folder);

            Assert.Null(PrivateFolderResolver.Resolve("YamlDotNet, Version=16.0.0.0, Culture=neutral, PublicKeyToken=ec19458f3c15af5e", typeof(Assert).Assembly, lib));
            Assert.Null(PrivateFolderResolver.Resolve("YamlDotNet", typeof(object).Assembly, lib));
        }

        [Fact]
        public void A_request_without_a_requesting_assembly_gets_null()
        {
            using var folder = new TempFolder();
            Assert.Null(PrivateFolderResolver.Resolve("YamlDotNet", null, PrivateFolderWithYaml(folder)));
        }

        [Fact]
        public void The_modules_own_request_gets_the_private_copy()
        {
            using var folder = new TempFolder();
            string lib = PrivateFolderWithYaml(folder);

            Assembly? resolved = PrivateFolderResolver.Resolve("YamlDotNet, Version=16.0.0.0, Culture=neutral, PublicKeyToken=ec19458f3c15af5e", IrisOpsAssembly, lib);

            Assert.NotNull(resolved);
            Assert.Equal("YamlDotNet", resolved!.GetName().Name);
            Assert.Null(PrivateFolderResolver.Resolve("NotInTheFolder", IrisOpsAssembly, lib));
        }
    }
}
