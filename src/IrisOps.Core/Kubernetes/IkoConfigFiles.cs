using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IrisOps.Core.Common;
using IrisOps.Core.Cpf;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Kubernetes
{
    /// <summary>
    /// The merge files of an IrisCluster's configSource: common.cpf for every node, data.cpf for the data node and
    /// compute.cpf for the compute nodes, whose settings override common.cpf (Using the InterSystems Kubernetes
    /// Operator, "configSource"). They are rendered through the CPF model from the plan's node merge files, minus
    /// what the operator configures itself and overrides: ECP between the data node and the compute nodes, the
    /// TLS configurations it builds from spec.tls, and the superserver's TLS. Each left-out setting is named in a
    /// warning, so nobody expects a setting the operator would silently replace.
    /// </summary>
    public static class IkoConfigFiles
    {
        public const string CommonFile = "common.cpf";
        public const string DataFile = "data.cpf";
        public const string ComputeFile = "compute.cpf";

        /// <summary>The three files, by name, in the order the ConfigMap lists them.</summary>
        public static IReadOnlyList<KeyValuePair<string, string>> Render(DeploymentPlan plan, IOperationReporter reporter)
        {
            ContainerPlan data = plan.Containers.Single(c => c.Role == EcpRole.Data);
            List<CpfItem> dataItems = Kept(Parse(plan, data), DataFile, reporter);

            // Compute nodes are replicas of one definition, so every application server must reduce to the same file.
            List<CpfItem>? computeItems = null;
            foreach (ContainerPlan application in plan.Containers.Where(c => c.Role == EcpRole.App))
            {
                List<CpfItem> items = Kept(Parse(plan, application), ComputeFile, computeItems == null ? reporter : NullOperationReporter.Instance);
                if (computeItems != null && !items.Select(Line).SequenceEqual(computeItems.Select(Line)))
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "ComputeNodesDiffer",
                        $"The application servers of cluster '{plan.ClusterName}' are configured differently, but the operator's compute nodes share one compute.cpf.", plan.ClusterName);
                }

                computeItems = items;
            }

            computeItems = computeItems ?? new List<CpfItem>();
            var computeLines = new HashSet<string>(computeItems.Select(Line), StringComparer.Ordinal);
            List<CpfItem> commonItems = dataItems.Where(i => computeLines.Contains(Line(i))).ToList();
            var commonLines = new HashSet<string>(commonItems.Select(Line), StringComparer.Ordinal);

            WarnLayoutPaths(dataItems.Concat(computeItems), reporter);
            return new[]
            {
                new KeyValuePair<string, string>(CommonFile, Write(plan.ClusterName, "every node", commonItems)),
                new KeyValuePair<string, string>(ComputeFile, Write(plan.ClusterName, "the compute nodes (ECP application servers)", computeItems.Where(i => !commonLines.Contains(Line(i))))),
                new KeyValuePair<string, string>(DataFile, Write(plan.ClusterName, "the data node (ECP data server)", dataItems.Where(i => !commonLines.Contains(Line(i))))),
            };
        }

        /// <summary>True for a setting the operator configures itself and overrides in user-provided merge files.</summary>
        public static bool IsGeneratedByOperator(CpfItem item)
        {
            if (item is CpfEntry entry)
            {
                // ECP connection limits: the operator sizes ECP for the compute nodes it creates.
                return string.Equals(entry.Section, "config", StringComparison.OrdinalIgnoreCase)
                    && (string.Equals(entry.Name, "MaxServerConn", StringComparison.OrdinalIgnoreCase) || string.Equals(entry.Name, "MaxServers", StringComparison.OrdinalIgnoreCase));
            }

            if (!(item is CpfAction action))
            {
                return false;
            }

            switch (action.Action)
            {
                case "CreateSSLConfig": // spec.tls: the operator builds the TLS configurations from the mounted secrets
                case "ModifyServer": // spec.tls.superserver
                case "CreateECPServer": // the operator connects each compute node to the data node
                    return true;
                case "ModifySystem":
                    return action.Properties.Contains("SSLECPServer"); // spec.tls.ecp
                case "ModifyService":
                    return string.Equals(action["Name"], "%Service_ECP", StringComparison.OrdinalIgnoreCase);
                case "Execute":
                    return string.Equals(action["ClassName"], "SYS.ECP", StringComparison.OrdinalIgnoreCase);
                default:
                    return false;
            }
        }

        private static CpfDocument Parse(DeploymentPlan plan, ContainerPlan container)
        {
            PlannedFile file = plan.Files.Single(f => f.Path == container.MergeFilePath);
            return CpfParser.Parse(file.Content!, container.MergeFilePath);
        }

        private static List<CpfItem> Kept(CpfDocument document, string fileName, IOperationReporter reporter)
        {
            var kept = new List<CpfItem>();
            var dropped = new List<string>();
            foreach (CpfItem item in document.Sections.SelectMany(s => s.Items).Where(i => i is CpfEntry || i is CpfAction))
            {
                if (IsGeneratedByOperator(item))
                {
                    dropped.Add(Describe(item));
                }
                else
                {
                    kept.Add(item);
                }
            }

            if (dropped.Count > 0)
            {
                reporter.Warning($"{fileName} leaves out {string.Join(", ", dropped.Distinct())}: the InterSystems Kubernetes Operator configures ECP between the data node and the compute nodes and the TLS of ECP and the superserver itself (from spec.tls), and its settings override the same settings in configSource files.");
            }

            return kept;
        }

        // What the kept settings take from the Docker layout, named so nobody applies it unchecked.
        private static void WarnLayoutPaths(IEnumerable<CpfItem> items, IOperationReporter reporter)
        {
            List<CpfAction> actions = items.OfType<CpfAction>().ToList();
            foreach (string directory in actions.Where(a => a["Server"] == null).Select(a => a["Directory"] ?? string.Empty).Where(d => d.StartsWith(EcpMergeFiles.DurableRoot + "/", StringComparison.Ordinal)).Distinct())
            {
                reporter.Warning($"The database directory '{directory}' is on the durable storage IrisOps mounts for Docker; on Kubernetes the operator mounts the data node's storage (storageDB) itself: check that the directory is on that volume before you apply the files.");
            }

            foreach (string server in actions.Select(a => a["Server"]).OfType<string>().Distinct())
            {
                reporter.Warning($"compute.cpf's remote databases name the ECP data server '{server}', the name IrisOps gives it; the operator defines the data node as the compute nodes' ECP server itself: check that the name matches the one it uses before you apply the files.");
            }
        }

        private static string Describe(CpfItem item)
        {
            if (item is CpfEntry entry)
            {
                return "[" + entry.Section + "] " + entry.Name;
            }

            var action = (CpfAction)item;
            return action["ClassName"] != null
                ? action.Action + ":" + action["ClassName"] + "." + action["MethodName"]
                : action.Action + (action["Name"] != null ? ":Name=" + action["Name"] : string.Empty);
        }

        private static string Line(CpfItem item) => item is CpfEntry entry ? "[" + entry.Section + "]" + entry : item.ToString()!;

        private static string Write(string cluster, string nodes, IEnumerable<CpfItem> items)
        {
            var document = new CpfDocument();
            document.Preamble.Add(CpfComment.FromText($"Written by IrisOps for ECP cluster {cluster}: merge settings for {nodes}."));
            document.Preamble.Add(CpfComment.FromText("Regenerated by New-IrisEcpCluster -Format Kubernetes; edit the cluster's arguments rather than this file."));
            foreach (CpfItem item in items)
            {
                if (item is CpfEntry entry)
                {
                    document.Set(entry.Section!, entry.Name, entry.Value);
                }
                else
                {
                    document.AddAction((CpfAction)item.Clone());
                }
            }

            return CpfWriter.Write(document);
        }
    }
}
