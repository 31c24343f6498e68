using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// The restore of one mount that extracts only what a failed upgrade changed (see <see cref="RestorePlan"/>),
    /// for an engine on this machine. A failed upgrade usually rewrites a few files (the system database, the
    /// write image journal, new journal files, the CPF, logs) and leaves the large databases as they were. Two
    /// scripts in one helper container (the old image, as root, no IRIS), which a full restore would go on in:
    /// first, only reading the mount: a stat line per path, then <c>tar cf</c> of the mount, which IrisOps hashes
    /// as it comes (a named pipe, or a file followed while written) and compares entry by entry with the
    /// manifest (unless the stat lines alone show that over half of the bytes differ: then the archive is not
    /// read and everything is restored); second: the paths to replace or not in the backup are removed, an archive holding only the
    /// entries to restore (copied from the backup's archives by IrisOps, each checked against its SHA-256 on
    /// the way) is extracted, links get their owners, and the mount is listed again (stat) and the restored
    /// entries archived again for the check. Nothing else writes the mount meanwhile: the node's container is
    /// stopped, and a kept file must show the very stat line (inode, size, modification and change time) it
    /// had before it was hashed.
    /// </summary>
    internal sealed class DifferentialRestore
    {
        private readonly HelperContainerArchive helper;

        public DifferentialRestore(HelperContainerArchive helper) => this.helper = helper;

        /// <summary>
        /// Restores <paramref name="backup"/>'s mount by what differs and checks it. True: done, and
        /// <see cref="BackupRecord.RestoreCheck"/> says how much was restored and kept. False: nothing was changed,
        /// and everything must be restored (too much differs, or a case this does not handle; RestoreCheck then
        /// says why). Null: the helper cannot be used here, nothing changed. Each helper may run for <paramref name="limit"/>.
        /// </summary>
        public async Task<bool?> TryAsync(string container, string helperImageId, BackupRecord backup, TimeSpan limit)
        {
            MountSpec mount = backup.Mount;
            BackupManifest manifest = backup.Manifest;
            string folder = Path.GetDirectoryName(Path.GetFullPath(backup.Archive))!;
            string target = mount.Target.TrimEnd('/');
            string name = HelperContainerArchive.Quote(target.Substring(target.LastIndexOf('/') + 1));
            string parent = HelperContainerArchive.Quote(HelperContainerArchive.Parent(mount));
            string check = backup.Archive + ".restored.partial";
            string statBefore = backup.Archive + ".before.stat";
            string statAfter = backup.Archive + ".after.stat";
            string subset = backup.Archive + ".restore.tar";
            string script = Path.Combine(folder, ".irisops-restore-" + Guid.NewGuid().ToString("N") + ".sh");
            string listing = "find " + name + " -exec stat -c '" + RestorePlan.StatFormat + "' -- {} + > " + InFolder(statBefore);
            if (!RestorePlan.Handles(manifest.Entries))
            {
                backup.RestoreCheck = "the backup holds hard links, special files or names that the differential restore does not handle, so ";
                return false;
            }

            try
            {
                // Pass 1: the mount as the failed run left it (only read, in the helper that the restore goes on in). Any
                // failure here changed nothing: everything is restored.
                // Once the archive's first bytes come, the stat lines are complete: when they alone show that over half
                // of the bytes differ, the archive is not read (the full restore is cheaper than reading it first).
                HelperContainerArchive.CreateOutputFile(statBefore);
                long? firstExit = null;
                long? changedByStat = null;
                string? statText = null;
                (IList<BackupManifestEntry> Entries, string How)? first;
                try
                {
                    first = await FollowedArchive.ReadCheckArchiveAsync(check, async () =>
                    {
                        (firstExit, _) = await RunAsync(container, helperImageId, mount, check,
                            "cd -- " + parent + " && " + listing + " && exec tar cf - " + name, limit).ConfigureAwait(false);
                        return firstExit == 0;
                    }, onFirstBytes: () =>
                    {
                        statText = File.ReadAllText(statBefore, Encoding.UTF8);
                        changedByStat = RestorePlan.ChangedBytesByStat(manifest.Entries, statText);
                        if (MostlyChanged(changedByStat, manifest))
                        {
                            throw new MostlyChangedException();
                        }
                    }).ConfigureAwait(false);
                }
                catch (MostlyChangedException)
                {
                    first = null;
                }

                if (MostlyChanged(changedByStat, manifest))
                {
                    backup.RestoreCheck = $"{Bytes(changedByStat!.Value)} of {Bytes(manifest.ContentBytes)} differed by their stat lines alone (over half), so ";
                    return false;
                }

                if (first == null)
                {
                    backup.RestoreCheck = "the mount could not be compared with the backup, so ";
                    return firstExit == null ? (bool?)null : false;
                }

                RestorePlan? plan = RestorePlan.Create(manifest.Entries, first.Value.Entries, statText ?? File.ReadAllText(statBefore, Encoding.UTF8));
                if (plan == null)
                {
                    backup.RestoreCheck = "the mount holds hard links, special files or names that the differential restore does not handle, so ";
                    return false;
                }

                if (plan.RestoreBytes * 2 > manifest.ContentBytes)
                {
                    backup.RestoreCheck = $"{Bytes(plan.RestoreBytes)} of {Bytes(manifest.ContentBytes)} differed (over half), so ";
                    return false;
                }

                if (plan.NothingToDo)
                {
                    backup.RestoreCheck = $"nothing differed from the backup ({plan.Kept.Count} entries, {Bytes(plan.KeptBytes)}, compared; the archive {first.Value.How})";
                    return true;
                }

                // The entries to restore, from the archive that holds each (the copy ahead's files from its own).
                var aheadPaths = new HashSet<string>(manifest.AheadRestored, StringComparer.Ordinal);
                using (var output = new FileStream(subset, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20))
                {
                    TarSubset.Copy(backup.Archive, plan.Restore.Where(e => !aheadPaths.Contains(e.Path)).ToDictionary(e => e.Path, StringComparer.Ordinal), output);
                    if (manifest.AheadArchiveFile != null)
                    {
                        TarSubset.Copy(Path.Combine(backup.Folder, manifest.AheadArchiveFile), plan.Restore.Where(e => aheadPaths.Contains(e.Path)).ToDictionary(e => e.Path, StringComparer.Ordinal), output);
                    }

                    TarSubset.End(output);
                }

                File.WriteAllText(script, Pass2Script(plan, parent, name, subset, statAfter), new UTF8Encoding(false));
                HelperContainerArchive.CreateOutputFile(statAfter);

                // Pass 2: from here on the mount changes; any failure is RestoreFailed or RestoreNotIdentical (the backup is kept).
                var second = await FollowedArchive.ReadCheckArchiveAsync(check, async () =>
                {
                    (long? exit, string failure) = await RunAsync(container, helperImageId, mount, check,
                        "test -r " + HelperContainerArchive.Quote(Path.GetFileName(subset)) + " || exit 3; sh " + InFolder(script), limit).ConfigureAwait(false);
                    if (exit != 0 && exit != null)
                    {
                        throw new IrisOpsException(IrisErrorKind.InvalidOperation, "RestoreFailed", $"Restoring '{mount.Target}' from '{backup.Archive}' failed ({failure}).", container);
                    }

                    return exit == 0;
                }).ConfigureAwait(false);
                if (second == null)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidOperation, "RestoreFailed", $"Restoring '{mount.Target}' from '{backup.Archive}' failed: the helper container could no longer use the backup folder.", container);
                }

                DurableRestore.ThrowIfDifferent(container, backup, plan.Verify(manifest.Entries, File.ReadAllText(statAfter, Encoding.UTF8), second.Value.Entries));
                backup.RestoreCheck = $"{plan.Restore.Count} entries ({Bytes(plan.RestoreBytes)}) restored and {plan.Delete.Count} paths removed; {plan.Kept.Count} entries ({Bytes(plan.KeptBytes)}) were equal to the backup and kept; the archives {first.Value.How}";
                return true;
            }
            finally
            {
                foreach (string file in new[] { statBefore, statAfter, subset, script })
                {
                    Cleanup.DeleteFileQuietly(file);
                }
            }
        }

        /// <summary>
        /// The script of the second helper (run from the backup folder): remove, extract, give links their owners,
        /// list every path, and archive the restored entries again (the mount's own directory always, so the
        /// archive is never empty). The first failure ends it.
        /// </summary>
        internal static string Pass2Script(RestorePlan plan, string parent, string name, string subset, string statAfter)
        {
            var script = new StringBuilder("cd -- " + parent + " || exit 1\n");
            foreach (string path in plan.Delete)
            {
                script.Append("rm -rf -- " + HelperContainerArchive.Quote(path) + " || exit 1\n");
            }

            if (plan.Restore.Count > 0)
            {
                script.Append("tar xpf " + InFolder(subset) + " || exit 1\n");
            }

            script.Append(HelperContainerArchive.LinkOwnersScript(plan.Restore));
            script.Append("find " + name + " -exec stat -c '" + RestorePlan.StatFormat + "' -- {} + > " + InFolder(statAfter) + " || exit 1\n");
            IEnumerable<string> again = new[] { name }.Concat(plan.Restore.Select(e => HelperContainerArchive.Quote(e.Path))).Distinct(StringComparer.Ordinal);
            script.Append("exec tar cf - --no-recursion " + string.Join(" ", again) + "\n");
            return script.ToString();
        }

        // Stops the first pass's reading once the stat lines show that over half of the bytes differ.
        private sealed class MostlyChangedException : Exception
        {
        }

        private static bool MostlyChanged(long? changedBytes, BackupManifest manifest) => changedBytes != null && changedBytes.Value * 2 > manifest.ContentBytes;

        private static string InFolder(string file) => HelperContainerArchive.BackupFolderInContainer + "/" + HelperContainerArchive.Quote(Path.GetFileName(file));

        private static string Bytes(long bytes) => bytes >= 1L << 20
            ? (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB"
            : bytes.ToString(CultureInfo.InvariantCulture) + " bytes";

        // The helper writes its archive to standard output, redirected into the check's pipe or file (which it
        // must be able to open first, or it is not usable here).
        private async Task<(long? Exit, string Failure)> RunAsync(string container, string image, MountSpec mount, string check, string script, TimeSpan limit)
        {
            string output = HelperContainerArchive.Quote(Path.GetFileName(check));
            using var deadline = new CancellationTokenSource(limit);
            return await helper.RunAsync(container + "-irisops-restore", image, mount, restoring: true, check,
                HelperContainerArchive.OutputProbe(output) + " || exit 3; ( " + script + " ) > " + output, limit, deadline.Token).ConfigureAwait(false);
        }
    }
}
