using System;
using System.Collections;
using System.IO;
using IrisOps.Core.Errors;
using IrisOps.Core.Sandboxes;
using Xunit;

namespace IrisOps.Tests.Sandboxes
{
    public class SandboxTemplateTests
    {
        [Fact]
        public void A_hashtable_gives_every_rule_keys_in_any_case()
        {
            var values = new Hashtable
            {
                ["name"] = "Class-A",
                ["IMAGE"] = "iris:1",
                ["Lifetime"] = "08:00:00",
                ["MaxLifetime"] = TimeSpan.FromDays(2),
                ["AllowRelaunch"] = false,
                ["State"] = "preserved",
                ["Memory"] = "2GB",
                ["Cpu"] = 1.5,
                ["MaxPerOwner"] = 2,
                ["OnExpiry"] = "Remove",
                ["MergeFile"] = "merge.cpf",
            };

            SandboxTemplate template = SandboxTemplate.FromDictionary(values, "-Template", "custom", "/base");

            Assert.Equal("class-a", template.Name);
            Assert.Equal("iris:1", template.Image);
            Assert.Equal(TimeSpan.FromHours(8), template.Lifetime);
            Assert.Equal(TimeSpan.FromDays(2), template.MaxLifetime);
            Assert.False(template.AllowRelaunch);
            Assert.Equal(SandboxState.Preserved, template.State);
            Assert.Equal(2L * 1024 * 1024 * 1024, template.MemoryBytes);
            Assert.Equal(1.5, template.Cpu);
            Assert.Equal(2, template.MaxPerOwner);
            Assert.Equal(SandboxExpiryAction.Remove, template.OnExpiry);
            Assert.Equal(Path.GetFullPath("/base/merge.cpf"), template.MergeFile);
        }

        [Fact]
        public void Keys_left_out_are_not_fixed_and_the_name_defaults()
        {
            SandboxTemplate template = SandboxTemplate.FromDictionary(new Hashtable { ["Image"] = "iris:1" }, "class.psd1", "Class", "/");
            Assert.Equal("class", template.Name);
            Assert.Null(template.Lifetime);
            Assert.Null(template.AllowRelaunch);
            Assert.Null(template.State);
        }

        [Theory]
        [InlineData("Lifetme", "08:00:00", "Did you mean 'Lifetime'")]
        [InlineData("Lifetime", "eight hours", "not a time span")]
        [InlineData("Lifetime", "00:00:00", "between 1 second")]
        [InlineData("State", "Kept", "Fresh, Preserved")]
        [InlineData("AllowRelaunch", "maybe", "true or false")]
        [InlineData("Memory", "1MB", "at least 6MB")]
        [InlineData("Memory", "lots", "not a memory size")]
        [InlineData("Cpu", "0", "above 0")]
        [InlineData("MaxPerOwner", "0", "1 to 100")]
        [InlineData("Name", "class a", "must be")]
        public void Bad_values_are_refused_with_the_key_named(string key, string value, string expected)
        {
            IrisOpsException error = Assert.Throws<IrisOpsException>(() =>
                SandboxTemplate.FromDictionary(new Hashtable { ["Image"] = "iris:1", [key] = value }, "class.psd1", "class", "/"));
            Assert.Equal("InvalidSandboxTemplate", error.ErrorId);
            Assert.Equal(IrisErrorKind.InvalidData, error.Kind);
            Assert.Contains(expected, error.Message);
            Assert.Contains("class.psd1", error.Message);
        }

        [Fact]
        public void A_lifetime_longer_than_the_maximum_is_refused()
        {
            IrisOpsException error = Assert.Throws<IrisOpsException>(() =>
                SandboxTemplate.FromDictionary(new Hashtable { ["Lifetime"] = "2.00:00:00", ["MaxLifetime"] = "1.00:00:00" }, "t", "t", "/"));
            Assert.Contains("longer than MaxLifetime", error.Message);
        }

        [Theory]
        [InlineData("512m", 512L * 1024 * 1024)]
        [InlineData("512MB", 512L * 1024 * 1024)]
        [InlineData("2g", 2L * 1024 * 1024 * 1024)]
        [InlineData("7340032", 7340032L)]
        public void Memory_takes_the_docker_and_the_powershell_forms(string text, long bytes) =>
            Assert.Equal(bytes, SandboxValues.Memory(text, "Memory", "t"));

        [Fact]
        public void A_yaml_file_is_read_with_paths_relative_to_it()
        {
            using var folder = new TempFolder();
            string path = Path.Combine(folder.Path, "training.yml");
            File.WriteAllText(path, "image: iris:1\nlifetime: '04:00:00'\nallowRelaunch: false\nstate: Fresh\nmergeFile: merge/room.cpf\n# a comment\n");

            SandboxTemplate template = SandboxTemplate.LoadYaml(path);

            Assert.Equal("training", template.Name);
            Assert.Equal(TimeSpan.FromHours(4), template.Lifetime);
            Assert.False(template.AllowRelaunch);
            Assert.Equal(Path.Combine(folder.Path, "merge", "room.cpf"), template.MergeFile);
        }

        [Theory]
        [InlineData("- a\n- b\n", "one YAML document")]
        [InlineData("image: [a, b]\n", "single value")]
        [InlineData("image: a\nimage: b\n", "line")]
        [InlineData("image: 'a\n", "line")]
        public void A_yaml_file_that_is_not_a_flat_map_is_refused(string text, string expected)
        {
            using var folder = new TempFolder();
            string path = Path.Combine(folder.Path, "t.yaml");
            File.WriteAllText(path, text);
            IrisOpsException error = Assert.Throws<IrisOpsException>(() => SandboxTemplate.LoadYaml(path));
            Assert.Equal("InvalidSandboxTemplate", error.ErrorId);
            Assert.Contains(expected, error.Message);
        }

        [Fact]
        public void A_missing_yaml_file_is_not_found()
        {
            IrisOpsException error = Assert.Throws<IrisOpsException>(() => SandboxTemplate.LoadYaml(Path.Combine(Path.GetTempPath(), "no-such-template-" + Guid.NewGuid() + ".yml")));
            Assert.Equal("SandboxTemplateNotFound", error.ErrorId);
            Assert.Equal(IrisErrorKind.ObjectNotFound, error.Kind);
        }
    }
}
