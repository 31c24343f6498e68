using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Certificates;
using IrisOps.Core.Common;
using IrisOps.Core.FileSystem;

namespace IrisOps.Core.Ecp
{
    /// <summary>
    /// Writes the host files of a plan: the cluster's own certificate set when it has none yet, the node merge
    /// files, the TLS and license copies. Shared by the engine deployment and the compose export. Folders it
    /// creates are added to <paramref name="createdFolders"/> so a failed call can remove exactly those.
    /// </summary>
    public static class ClusterFiles
    {
        public static async Task WriteAsync(DeploymentPlan plan, IOperationReporter reporter, ICollection<string> createdFolders, CancellationToken cancellationToken)
        {
            await GenerateCertificatesAsync(plan, reporter, createdFolders, cancellationToken).ConfigureAwait(false);

            IEnumerable<string> folders = plan.Files.Select(f => Path.GetDirectoryName(f.Path)!).Concat(plan.DurableFolders).Distinct();
            foreach (string folder in folders)
            {
                if (!Directory.Exists(folder))
                {
                    string top = TopMissingFolder(folder);
                    Directory.CreateDirectory(folder);
                    if (!createdFolders.Contains(top))
                    {
                        createdFolders.Add(top);
                    }
                }
            }

            using (var transaction = new FileTransaction { Overwrite = true })
            {
                foreach (PlannedFile file in plan.Files)
                {
                    byte[] content = file.Content ?? File.ReadAllBytes(file.CopyFrom!);
                    transaction.Add(file.Path, content, file.OwnerOnly);
                }

                cancellationToken.ThrowIfCancellationRequested();
                transaction.Commit();
            }
        }

        /// <summary>Creates the cluster's own certificate set when the plan has none yet; nothing otherwise.</summary>
        public static async Task GenerateCertificatesAsync(DeploymentPlan plan, IOperationReporter reporter, ICollection<string> createdFolders, CancellationToken cancellationToken)
        {
            if (plan.Certificates.MustGenerate)
            {
                string path = plan.Certificates.GeneratePath!;
                bool existed = Directory.Exists(path);
                string top = TopMissingFolder(path);
                var request = new CertificateSetRequest
                {
                    Path = path,
                    DataServers = plan.Certificates.Nodes.Where(n => n.Role == EcpRole.Data).Select(n => n.HostName).ToList(),
                    ApplicationServers = plan.Certificates.Nodes.Where(n => n.Role == EcpRole.App).Select(n => n.HostName).ToList(),
                    Force = true,
                };
                reporter.Verbose($"Generating the cluster's TLS material in '{path}'.");
                await CertificateSetGenerator.CreateAsync(CertificateSetGenerator.Plan(request), reporter, cancellationToken).ConfigureAwait(false);
                if (!existed)
                {
                    createdFolders.Add(top);
                }
            }
        }

        /// <summary>Removes the folders a failed call created; never anything that existed before it.</summary>
        public static void RemoveCreated(IEnumerable<string> createdFolders, IOperationReporter reporter)
        {
            foreach (string folder in createdFolders.Reverse())
            {
                try
                {
                    if (Directory.Exists(folder))
                    {
                        Directory.Delete(folder, recursive: true);
                    }
                }
                catch (System.Exception ex) when (ex is IOException || ex is System.UnauthorizedAccessException)
                {
                    reporter.Warning($"Could not remove '{folder}', which this call created: {ex.Message}");
                }
            }
        }

        // The outermost folder of the path that does not exist yet: removing it undoes the whole creation.
        private static string TopMissingFolder(string folder)
        {
            string current = folder;
            string? parent = Path.GetDirectoryName(current);
            while (parent != null && !Directory.Exists(parent))
            {
                current = parent;
                parent = Path.GetDirectoryName(current);
            }

            return current;
        }
    }
}
