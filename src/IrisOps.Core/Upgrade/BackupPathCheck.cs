using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Common;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// Whether -BackupPath can receive the backups: checked by the preflight (and so under -WhatIf) before any
    /// node is stopped. Each refusal is InvalidArgument and names the parameter.
    /// </summary>
    public static class BackupPathCheck
    {
        public const string Parameter = "-BackupPath";

        /// <summary>
        /// Throws when <paramref name="backupPath"/> is a file, or a missing folder whose parent is missing or is
        /// not a folder, or a folder that cannot be written. The default folder (<paramref name="isDefault"/>) may
        /// be missing with its parents; the nearest existing one must be writable.
        /// </summary>
        public static void CheckUsable(string backupPath, bool isDefault = false)
        {
            if (File.Exists(backupPath))
            {
                throw Refused("BackupPathIsFile", $"{Parameter} '{backupPath}' is a file; give a folder (it is created if only the last part is missing).", backupPath);
            }

            string folder = backupPath;
            if (!Directory.Exists(backupPath))
            {
                string? parent = Parent(backupPath);
                while (isDefault && parent != null && !Directory.Exists(parent) && !File.Exists(parent))
                {
                    parent = Parent(parent);
                }

                if (parent == null || !Directory.Exists(parent))
                {
                    throw Refused("BackupPathParentMissing", $"The parent folder of {Parameter} '{backupPath}' does not exist ('{parent}'): create it or give another {Parameter}.", backupPath);
                }

                folder = parent;
            }

            // The only reliable test of writing (permissions, ACLs, read-only file systems) is to write: a
            // uniquely named empty file, deleted at once.
            string probe = Path.Combine(folder, ".irisops-write-check-" + Guid.NewGuid().ToString("N"));
            try
            {
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Refused("BackupPathNotWritable", $"{Parameter} '{backupPath}' cannot be written ('{folder}': {ex.Message}): give a folder this user can write.", backupPath);
            }
            finally
            {
                Cleanup.DeleteFileQuietly(probe);
            }
        }

        /// <summary>
        /// Adds a problem to every node when the free space under -BackupPath is less than the measured size of
        /// all their backed-up mounts: backups are taken one node at a time, but all are kept.
        /// </summary>
        public static void CheckFreeSpace(IReadOnlyList<NodeInspection> nodes, string backupPath, IOperationReporter reporter)
        {
            if (nodes.Count == 0)
            {
                return;
            }

            long needed = nodes.Sum(n => n.DurableBytes ?? 0);
            long? free = FreeSpace(backupPath);
            if (free == null)
            {
                reporter.Warning($"Could not find the free space under '{backupPath}'; the backups are checked while they are written.");
                return;
            }

            // tar adds headers and padding (512 bytes a file).
            long wanted = (long)(needed * 1.05) + 64L * 1024 * 1024;
            if (free.Value < wanted)
            {
                foreach (NodeInspection node in nodes)
                {
                    node.Problems.Add(new PreflightProblem("BackupSpaceLow", IrisErrorKind.InvalidArgument,
                        $"Not enough free space under {Parameter} '{backupPath}': {UpgradePreflight.Megabytes(free.Value)} free, about {UpgradePreflight.Megabytes(wanted)} needed for the backups of {nodes.Count} node(s) (every mount that holds a directory the instance uses). Free space, choose another {Parameter}, or (not recommended) use -SkipBackup."));
                }
            }
        }

        internal static long? FreeSpace(string path)
        {
            try
            {
                string? existing = Path.GetFullPath(path);
                while (existing != null && !Directory.Exists(existing))
                {
                    existing = Path.GetDirectoryName(existing);
                }

                if (existing == null)
                {
                    return null;
                }

                string drive = Path.DirectorySeparatorChar == '\\' ? Path.GetPathRoot(existing) ?? existing : existing;
                return new DriveInfo(drive).AvailableFreeSpace;
            }
            catch (Exception ex) when (ex is IOException || ex is ArgumentException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static string? Parent(string path) => Path.GetDirectoryName(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));

        private static IrisOpsException Refused(string errorId, string message, string backupPath) =>
            new IrisOpsException(IrisErrorKind.InvalidArgument, errorId, message, backupPath);
    }
}
