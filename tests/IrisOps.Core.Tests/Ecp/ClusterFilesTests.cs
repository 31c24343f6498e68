using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Ecp;
using Xunit;

namespace IrisOps.Tests.Ecp
{
    public class ClusterFilesTests
    {
        [Fact]
        public async Task WritesTheFilesAndRollsBackEveryFolderItCreatedIncludingTheClusterFolder()
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, "files", 1);
            spec.ClusterFolder = folder.Combine("deep", "cluster");
            DeploymentPlan plan = EcpClusterPlanner.Plan(spec);
            Assert.True(plan.Certificates.MustGenerate);

            var created = new List<string>();
            await ClusterFiles.WriteAsync(plan, NullOperationReporter.Instance, created, CancellationToken.None);
            foreach (PlannedFile file in plan.Files)
            {
                Assert.True(File.Exists(file.Path), file.Path);
            }

            Assert.Equal(File.ReadAllBytes(plan.Certificates.Nodes[1].KeyPath), File.ReadAllBytes(Path.Combine(plan.ClusterFolder, "nodes", "files-app-1", "tls", "node.key")));

            // A failed New-IrisEcpCluster removes what the call created: that is the whole folder "deep".
            ClusterFiles.RemoveCreated(created, NullOperationReporter.Instance);
            Assert.False(Directory.Exists(folder.Combine("deep")), "the folders this call created must be gone: " + string.Join(", ", created));
            Assert.True(File.Exists(folder.Combine("iris.key")), "what existed before stays");
        }

        [Fact]
        public async Task RollBackKeepsAClusterFolderThatExistedBefore()
        {
            using var folder = new TempFolder();
            EcpClusterSpec spec = EcpTestSupport.Spec(folder, "files", 1);
            Directory.CreateDirectory(spec.ClusterFolder);
            File.WriteAllText(Path.Combine(spec.ClusterFolder, "mine.txt"), "keep");
            DeploymentPlan plan = EcpClusterPlanner.Plan(spec);

            var created = new List<string>();
            await ClusterFiles.WriteAsync(plan, NullOperationReporter.Instance, created, CancellationToken.None);
            ClusterFiles.RemoveCreated(created, NullOperationReporter.Instance);
            Assert.True(File.Exists(Path.Combine(spec.ClusterFolder, "mine.txt")));
            Assert.False(Directory.Exists(Path.Combine(spec.ClusterFolder, "nodes")));
            Assert.False(Directory.Exists(Path.Combine(spec.ClusterFolder, "certificates")));
            Assert.False(Directory.Exists(Path.Combine(spec.ClusterFolder, "license")));
        }
    }
}
