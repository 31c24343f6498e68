using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// The preflight's part of <see cref="BackupScope"/>: reads the node's durable iris.cpf, finds the mounts the
    /// cold backup must archive, and names every directory the instance uses that no volume or bind mount holds
    /// (it lives in the container's own writable layer and would be lost with the old container).
    /// </summary>
    public static class NodeBackupScope
    {
        /// <summary>Sets <see cref="NodeInspection.BackupMounts"/> and <see cref="NodeInspection.InWritableLayer"/>, or adds a problem.</summary>
        public static async Task InspectAsync(IContainerExec containers, NodeInspection node, CancellationToken cancellationToken)
        {
            string name = node.Target.Container;
            string cpfPath = node.DataDirectory!.TrimEnd('/') + "/iris.cpf";
            CpfDocument durableCpf;
            try
            {
                byte[] text = await new ContainerFileReader(containers).ReadAsync(name, cpfPath, cancellationToken).ConfigureAwait(false);
                durableCpf = CpfParser.Parse(text, name + ":" + cpfPath);
            }
            catch (Exception ex) when (ex is IrisOpsException || ex is CpfSyntaxException || ex is InvalidDataException)
            {
                node.Problems.Add(new PreflightProblem("DurableCpfUnreadable", IrisErrorKind.InvalidData,
                    $"Cannot read the durable iris.cpf of '{name}' ({cpfPath}), which names the directories the backup must hold: {ex.Message}"));
                return;
            }

            IReadOnlyList<InstanceDirectory> directories = BackupScope.Directories(durableCpf, node.DataDirectory);
            (IReadOnlyList<MountSpec> mounts, IReadOnlyList<InstanceDirectory> unmounted) = BackupScope.Map(node.Container!.Spec.Mounts.ToList(), directories);
            string installDirectory = IrisContainer.InstallDirectory(node.OldImage?.Environment);
            IReadOnlyList<InstanceDirectory> instanceData = BackupScope.NotFromImage(unmounted, installDirectory, null);
            foreach (InstanceDirectory directory in instanceData.Where(d => d.Database == null))
            {
                node.Problems.Add(InWritableLayerProblem(name, directory));
            }

            foreach ((MountSpec outer, MountSpec inner) in BackupScope.Nested(mounts))
            {
                node.Problems.Add(new PreflightProblem("NestedBackupMounts", IrisErrorKind.InvalidOperation,
                    $"'{name}' mounts '{inner.Target}' inside '{outer.Target}', and both hold directories the instance uses: an archive of '{outer.Target}' would also hold '{inner.Target}', so they cannot be backed up and restored apart. Mount them side by side. Nothing was changed."));
            }

            node.BackupMounts = mounts;
            node.JournalDirectories = directories.Where(d => d.IsJournal && BackupScope.MountFor(mounts, d.Path) != null).Select(d => d.Path).Distinct(StringComparer.Ordinal).ToList();
            node.DatabaseDirectories = directories.Where(d => d.Database != null && BackupScope.MountFor(mounts, d.Path) != null).Select(d => d.Path).Distinct(StringComparer.Ordinal).ToList();
            node.InWritableLayer = instanceData.Where(d => d.Database != null).ToList();
        }

        /// <summary>
        /// After the new image's iris.cpf is read: databases outside every mount are refused unless the new image
        /// ships them at that same directory. Without the image's iris.cpf none of them can be told apart.
        /// </summary>
        public static void CheckAgainstImage(NodeInspection node, ImageCpf imageCpf, ImageDetails newImage)
        {
            IReadOnlyList<InstanceDirectory> lost = BackupScope.NotFromImage(node.InWritableLayer, IrisContainer.InstallDirectory(newImage.Environment), imageCpf.Document);
            foreach (InstanceDirectory directory in lost)
            {
                PreflightProblem problem = InWritableLayerProblem(node.Target.Container, directory);
                node.Problems.Add(imageCpf.Document != null ? problem : new PreflightProblem(problem.ErrorId, problem.Kind,
                    problem.Message + $" (The new image's iris.cpf could not be read to see whether it ships this database: {imageCpf.Error})"));
            }
        }

        private static PreflightProblem InWritableLayerProblem(string container, InstanceDirectory directory) =>
            new PreflightProblem("InstanceDirectoryNotMounted", IrisErrorKind.InvalidOperation,
                $"'{container}' keeps its {directory.Use} at '{directory.Path}', which no volume or bind mount holds: it lives in the container's own writable layer and would be lost by replacing the container, and a cold backup must hold it (Data Integrity Guide, \"Cold Backup\"). Put it on a mount (Running InterSystems Products in Containers, \"Separating File Systems for Containerized InterSystems IRIS\"). Nothing was changed.");
    }
}
