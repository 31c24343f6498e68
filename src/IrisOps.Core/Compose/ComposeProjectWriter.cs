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
    /// <summary>What New-IrisEcpCluster -OutputPath writes: a compose project for one engine, or a stack for a swarm.</summary>
    public enum ClusterOutputFormat
    {
        Compose,
        Stack,
    }

    /// <summary>
    /// Writes a plan as a compose project: docker-compose.yml (or docker-stack.yml), the node merge files, TLS
    /// and license copies, and a README. The plan's cluster folder is the project folder; a compose file's bind
    /// mounts are relative to it, so the project can be moved as a whole, while a stack file names its secrets'
    /// and configs' files by absolute paths, as docker stack deploy reads them from where it runs.
    /// </summary>
    public static class ComposeProjectWriter
    {
        public const string ComposeFileName = "docker-compose.yml";
        public const string StackFileName = "docker-stack.yml";
        private const string Header = "# Written by IrisOps New-IrisEcpCluster -OutputPath";

        /// <summary>The file the format writes into the project folder.</summary>
        public static string FileName(ClusterOutputFormat format) => format == ClusterOutputFormat.Stack ? StackFileName : ComposeFileName;

        /// <summary>
        /// Refuses to overwrite a compose file that IrisOps did not write for this cluster (even with -Force), and
        /// one it did write unless <paramref name="force"/> (<see cref="ExistingFileRule"/>).
        /// </summary>
        public static void CheckTarget(DeploymentPlan plan, bool force, ClusterOutputFormat format = ClusterOutputFormat.Compose)
        {
            string composeFile = System.IO.Path.Combine(plan.ClusterFolder, FileName(format));
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

        public static async Task<IrisComposeProject> WriteAsync(DeploymentPlan plan, bool force, IOperationReporter reporter, CancellationToken cancellationToken, ClusterOutputFormat format = ClusterOutputFormat.Compose)
        {
            bool stack = format == ClusterOutputFormat.Stack;
            if (stack != (plan.Orchestrator == EcpOrchestrator.Swarm))
            {
                throw new ArgumentException("A stack file needs a plan shaped for Swarm, a compose project one shaped for an engine.", nameof(format));
            }

            CheckTarget(plan, force, format);
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
                string composeFile = System.IO.Path.Combine(plan.ClusterFolder, FileName(format));
                string text = stack
                    ? StackRenderer.Render(plan, ClusterFiles.ContentHash)
                    : ComposeRenderer.Render(plan, path => RelativeToProject(plan.ClusterFolder, path));
                File.WriteAllText(composeFile, text, new UTF8Encoding(false));
                File.WriteAllText(System.IO.Path.Combine(plan.ClusterFolder, "README.txt"), stack ? StackReadme(plan, composeFile) : Readme(plan), new UTF8Encoding(false));
                reporter.Verbose($"Wrote the {(stack ? "stack" : "compose project")} of cluster '{plan.ClusterName}' to '{plan.ClusterFolder}'.");
                if (stack && plan.Containers.Any(c => c.Ports.Count > 0))
                {
                    reporter.Warning("On a swarm the published superserver port is open on every address of the node running the data server, not only 127.0.0.1 (Swarm publishes in host mode without an address).");
                }

                IEnumerable<string> services = plan.Containers.Select(c => ComposeRenderer.ServiceName(plan, c));
                return new IrisComposeProject
                {
                    Name = plan.ClusterName,
                    Path = plan.ClusterFolder,
                    ComposeFile = composeFile,
                    Services = new[] { ComposeRenderer.PrepareServiceName }.Concat(services).ToList(),
                    StartCommand = stack ? StackStartCommand(plan, composeFile) : StartCommandFor(plan),
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

        private static string StackStartCommand(DeploymentPlan plan, string stackFile) => "docker stack deploy -c '" + stackFile + "' " + plan.ClusterName;

        private static string StackReadme(DeploymentPlan plan, string stackFile)
        {
            var text = new StringBuilder();
            text.Append("ECP cluster ").Append(plan.ClusterName).Append(": one data server and ")
                .Append(plan.Containers.Count - 1).Append(" application server(s) as a Docker Swarm stack, written by IrisOps New-IrisEcpCluster -OutputPath -Format Stack.\n\n");
            text.Append("Deploy it on a swarm manager with:  ").Append(StackStartCommand(plan, stackFile)).Append('\n');
            text.Append("Remove it with:  docker stack rm ").Append(plan.ClusterName).Append("  (the durable volumes stay; remove them with docker volume rm).\n\n");
            text.Append("The TLS files and the license are Swarm secrets, the merge files configs, all named by a hash of their content: after a change, write the stack again and deploy it again.\n");
            text.Append("Durable %SYS lives on one named volume per node, mounted on ").Append(EcpMergeFiles.DurableRoot).Append(" (ISC_DATA_DIRECTORY is its iconfig subdirectory). The job ").Append(ComposeRenderer.PrepareServiceName)
                .Append(" runs once as root to give each volume to the IRIS user (uid ").Append(IrisContainer.Uid).Append("); until it has run, the nodes fail to start and Swarm restarts them.\n");
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
