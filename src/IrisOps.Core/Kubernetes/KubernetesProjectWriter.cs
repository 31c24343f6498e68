using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.FileSystem;

namespace IrisOps.Core.Kubernetes
{
    /// <summary>
    /// Writes a plan as Kubernetes files for the InterSystems Kubernetes Operator into the plan's cluster folder.
    /// Key material (the license, the private key) lives only in the Secret files, which are readable by their
    /// owner only; the cluster's own certificate set is created first when it has none yet.
    /// </summary>
    public static class KubernetesProjectWriter
    {
        /// <summary>The full paths of the files a write creates, for -WhatIf and the confirmation.</summary>
        public static IReadOnlyList<string> Targets(DeploymentPlan plan) =>
            KubernetesRenderer.FileNames.Select(f => System.IO.Path.Combine(plan.ClusterFolder, f)).ToList();

        /// <summary>
        /// Checks the arguments and the target before -WhatIf or any work: the options, the compatibilityVersion,
        /// a kustomization.yaml IrisOps did not write for this cluster (refused even with -Force), and existing
        /// files (<see cref="ExistingFileRule"/>).
        /// </summary>
        public static string CheckTarget(DeploymentPlan plan, KubernetesOptions options, bool force)
        {
            options.Validate();
            string compatibility = KubernetesCompatibility.Resolve(plan.Containers[0].Image, options.CompatibilityVersion);
            string kustomization = System.IO.Path.Combine(plan.ClusterFolder, KubernetesRenderer.KustomizationFile);
            if (File.Exists(kustomization))
            {
                string existing = File.ReadAllText(kustomization);
                string cluster = File.Exists(System.IO.Path.Combine(plan.ClusterFolder, KubernetesRenderer.ClusterFile))
                    ? File.ReadAllText(System.IO.Path.Combine(plan.ClusterFolder, KubernetesRenderer.ClusterFile))
                    : string.Empty;
                if (!existing.StartsWith(KubernetesYaml.Header, StringComparison.Ordinal) || !cluster.Contains(ClusterLabels.Cluster + ": \"" + plan.ClusterName + "\""))
                {
                    throw new IrisOpsException(IrisErrorKind.ResourceExists, "KubernetesFilesExist",
                        $"'{kustomization}' exists and was not written by IrisOps for cluster '{plan.ClusterName}'; choose another -OutputPath.", kustomization);
                }
            }

            foreach (string target in Targets(plan))
            {
                ExistingFileRule.Check(target, force, "OutputPath");
            }

            return compatibility;
        }

        public static async Task<IrisKubernetesProject> WriteAsync(DeploymentPlan plan, KubernetesOptions options, bool force, IOperationReporter reporter, CancellationToken cancellationToken)
        {
            string compatibility = CheckTarget(plan, options, force);
            var created = new List<string>();
            try
            {
                if (!Directory.Exists(plan.ClusterFolder))
                {
                    Directory.CreateDirectory(plan.ClusterFolder);
                    created.Add(plan.ClusterFolder);
                }

                await ClusterFiles.GenerateCertificatesAsync(plan, reporter, created, cancellationToken).ConfigureAwait(false);
                IReadOnlyList<KubernetesManifest> manifests = KubernetesRenderer.Render(plan, options, File.ReadAllBytes, reporter);
                using (var transaction = new FileTransaction { Overwrite = force })
                {
                    foreach (KubernetesManifest manifest in manifests)
                    {
                        transaction.Add(System.IO.Path.Combine(plan.ClusterFolder, manifest.FileName), new UTF8Encoding(false).GetBytes(manifest.Text), manifest.HoldsKeyMaterial);
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    transaction.Commit();
                }

                reporter.Verbose($"Wrote the Kubernetes files of cluster '{plan.ClusterName}' to '{plan.ClusterFolder}' (compatibilityVersion {compatibility}).");
                return new IrisKubernetesProject
                {
                    Name = plan.ClusterName,
                    Path = plan.ClusterFolder,
                    ClusterFile = System.IO.Path.Combine(plan.ClusterFolder, KubernetesRenderer.ClusterFile),
                    Files = Targets(plan),
                    CompatibilityVersion = compatibility,
                    ApplyCommand = "kubectl apply -k " + plan.ClusterFolder,
                };
            }
            catch
            {
                ClusterFiles.RemoveCreated(created, reporter);
                throw;
            }
        }
    }
}
