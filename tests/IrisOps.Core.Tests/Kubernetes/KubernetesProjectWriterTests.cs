using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.FileSystem;
using IrisOps.Core.Kubernetes;
using Xunit;
using static IrisOps.Tests.Kubernetes.KubernetesTestSupport;

namespace IrisOps.Tests.Kubernetes
{
    public class KubernetesProjectWriterTests
    {
        [Fact]
        public async Task Writes_every_file_with_the_secrets_readable_by_their_owner_only()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            IrisKubernetesProject project = await KubernetesProjectWriter.WriteAsync(plan, new KubernetesOptions(), false, NullOperationReporter.Instance, CancellationToken.None);

            Assert.Equal(KubernetesRenderer.FileNames.Select(f => Path.Combine(plan.ClusterFolder, f)), project.Files);
            Assert.All(project.Files, f => Assert.True(File.Exists(f), f));
            Assert.Equal("2025.3.0", project.CompatibilityVersion);
            Assert.Equal("kubectl apply -k " + plan.ClusterFolder, project.ApplyCommand);
            Assert.Equal(new[] { "configmap.yaml", "ecp-tls-secret.yaml", "iriscluster.yaml", "kustomization.yaml", "license-secret.yaml", "superserver-tls-secret.yaml" },
                Directory.GetFileSystemEntries(plan.ClusterFolder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
#if !NETFRAMEWORK
            if (!OperatingSystem.IsWindows())
            {
                foreach (string file in project.Files)
                {
                    UnixFileMode mode = File.GetUnixFileMode(file);
                    if (file.EndsWith("-secret.yaml", StringComparison.Ordinal))
                    {
                        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
                    }
                    else
                    {
                        Assert.True(mode.HasFlag(UnixFileMode.UserRead), file + " " + mode);
                    }
                }
            }
#endif
        }

        [Fact]
        public async Task Existing_files_are_replaced_only_with_force_and_foreign_ones_never()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder);
            await KubernetesProjectWriter.WriteAsync(plan, new KubernetesOptions(), false, NullOperationReporter.Instance, CancellationToken.None);

            var again = await Assert.ThrowsAsync<IrisOpsException>(() => KubernetesProjectWriter.WriteAsync(plan, new KubernetesOptions(), false, NullOperationReporter.Instance, CancellationToken.None));
            Assert.Equal(ExistingFileRule.ErrorId, again.ErrorId);
            await KubernetesProjectWriter.WriteAsync(plan, new KubernetesOptions { DataStorageSize = "20Gi" }, true, NullOperationReporter.Instance, CancellationToken.None);
            Assert.Contains("\"20Gi\"", File.ReadAllText(Path.Combine(plan.ClusterFolder, KubernetesRenderer.ClusterFile)), StringComparison.Ordinal);

            // Another cluster planned into the same folder (EcpTestSupport puts both in <folder>/cluster).
            DeploymentPlan other = Plan(folder, name: "other");
            Assert.Equal(plan.ClusterFolder, other.ClusterFolder);
            var foreign = Assert.Throws<IrisOpsException>(() => KubernetesProjectWriter.CheckTarget(other, new KubernetesOptions(), true));
            Assert.Equal("KubernetesFilesExist", foreign.ErrorId);
        }

        [Fact]
        public void A_refused_version_or_argument_writes_nothing()
        {
            using var folder = new TempFolder();
            DeploymentPlan plan = Plan(folder, s => s.Image = "iris-app:latest");
            Assert.Equal("CompatibilityVersionUnknown", Assert.Throws<IrisOpsException>(() => KubernetesProjectWriter.CheckTarget(plan, new KubernetesOptions(), false)).ErrorId);
            Assert.False(Directory.Exists(plan.ClusterFolder));
        }
    }
}
