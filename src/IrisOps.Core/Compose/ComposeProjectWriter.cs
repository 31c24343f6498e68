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
using IrisOps.Core.Iris;

namespace IrisOps.Core.Compose
{
    /// <summary>
    /// Writes a plan as a compose project: docker-compose.yml, the node merge files, TLS and license copies,
    /// and a README. The plan's cluster folder is the project folder, so every bind mount is relative to it
    /// and the project can be moved as a whole.
    /// </summary>
    public static class ComposeProjectWriter
    {
        public const string ComposeFileName = "docker-compose.yml";
        private const string Header = "# Written by IrisOps New-IrisEcpCluster -OutputPath.";

        /// <summary>
        /// Refuses to overwrite a compose file that IrisOps did not write for this cluster (even with -Force), and
        /// one it did write unless <paramref name="force"/> (<see cref="ExistingFileRule"/>).
        /// </summary>
        public static void CheckTarget(DeploymentPlan plan, bool force)
        {
            string composeFile = System.IO.Path.Combine(plan.ClusterFolder, ComposeFileName);
            if (File.Exists(composeFile))
            {
                string existing = File.ReadAllText(composeFile);
                if (!existing.StartsWith(Header, StringComparison.Ordinal) || !existing.Contains("irisops.cluster: \"" + plan.ClusterName + "\""))
                {
                    throw new IrisOpsException(IrisErrorKind.ResourceExists, "ComposeFileExists",
                        $"'{composeFile}' exists and was not written by IrisOps for cluster '{plan.ClusterName}'; choose another -OutputPath.", composeFile);
                }

                ExistingFileRule.Check(composeFile, force, "OutputPath");
            }
        }

        public static async Task<IrisComposeProject> WriteAsync(DeploymentPlan plan, bool force, IOperationReporter reporter, CancellationToken cancellationToken)
        {
            CheckTarget(plan, force);
            var created = new List<string>();
            bool projectExisted = Directory.Exists(plan.ClusterFolder);
            try
            {
                if (!projectExisted)
                {
                    Directory.CreateDirectory(plan.ClusterFolder);
                    created.Add(plan.ClusterFolder);
                }

                await ClusterFiles.WriteAsync(plan, reporter, created, cancellationToken).ConfigureAwait(false);
                string compose = ComposeRenderer.Render(plan, path => RelativeToProject(plan.ClusterFolder, path));
                string composeFile = System.IO.Path.Combine(plan.ClusterFolder, ComposeFileName);
                File.WriteAllText(composeFile, compose, new UTF8Encoding(false));
                File.WriteAllText(System.IO.Path.Combine(plan.ClusterFolder, "README.txt"), Readme(plan), new UTF8Encoding(false));
                reporter.Verbose($"Wrote the compose project of cluster '{plan.ClusterName}' to '{plan.ClusterFolder}'.");
                return new IrisComposeProject
                {
                    Name = plan.ClusterName,
                    Path = plan.ClusterFolder,
                    ComposeFile = composeFile,
                    Services = new[] { ComposeRenderer.PrepareServiceName }.Concat(plan.Containers.Select(c => ComposeRenderer.ServiceName(plan, c))).ToList(),
                    StartCommand = StartCommandFor(plan),
                };
            }
            catch
            {
                ClusterFiles.RemoveCreated(created, reporter);
                throw;
            }
        }

        private static string Readme(DeploymentPlan plan)
        {
            var text = new StringBuilder();
            text.Append("ECP cluster ").Append(plan.ClusterName).Append(": one data server and ")
                .Append(plan.Containers.Count - 1).Append(" application server(s), written by IrisOps New-IrisEcpCluster -OutputPath.\n\n");
            text.Append("Start it from this folder with:  ").Append(StartCommandFor(plan)).Append('\n');
            text.Append("(or: docker compose -p ").Append(plan.ClusterName).Append(" up -d)\n\n");
            text.Append("The service ").Append(ComposeRenderer.PrepareServiceName)
                .Append(" runs once as root to give durable storage and the TLS and license copies to the IRIS user (uid ").Append(IrisContainer.Uid).Append(").\n");
            text.Append("nodes/<host>/merge.cpf configures each node; certificates/ holds the cluster's TLS material when IrisOps generated it.\n");
            return text.ToString();
        }

        private static string RelativeToProject(string project, string path)
        {
            string root = project.TrimEnd(System.IO.Path.DirectorySeparatorChar) + System.IO.Path.DirectorySeparatorChar;
            return path.StartsWith(root, StringComparison.Ordinal)
                ? "./" + path.Substring(root.Length).Replace('\\', '/')
                : path;
        }

        /// <summary>The one start command for a written project: the project name keeps its containers apart from others.</summary>
        public static string StartCommandFor(DeploymentPlan plan) => "docker-compose -p " + plan.ClusterName + " up -d";
    }
}
