using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// The one merge file the new container gets. InterSystems documents ISC_CPF_MERGE_FILE as the path of ONE
    /// merge file ("Automating Configuration of InterSystems IRIS with Configuration Merge"; "Running InterSystems
    /// Products in Containers"), so -MergeFile is never added as a second path: the node's current merge file and
    /// the -MergeFile content are composed, in that order, into one file through the CPF model. A merge file may
    /// repeat sections and keys and the last occurrence wins, so the -MergeFile lines override the node's.
    /// </summary>
    public sealed class UpgradeMergeFile
    {
        public const string DefaultTarget = "/irisops/upgrade/merge.cpf";

        private UpgradeMergeFile(IReadOnlyList<string> nodeFiles, string? userSource, string hostPath, string target, string text)
        {
            NodeFiles = nodeFiles;
            UserSource = userSource;
            HostPath = hostPath;
            Target = target;
            Text = text;
        }

        /// <summary>The paths the old container's ISC_CPF_MERGE_FILE names, in order (several only when an earlier IrisOps wrote a comma list).</summary>
        public IReadOnlyList<string> NodeFiles { get; }

        /// <summary>The -MergeFile path, or null when only an earlier comma list is composed into one file.</summary>
        public string? UserSource { get; }

        /// <summary>Where the composed file is written on this machine (next to the backups); the new container mounts it.</summary>
        public string HostPath { get; }

        /// <summary>The path in the new container, and so the value of its ISC_CPF_MERGE_FILE.</summary>
        public string Target { get; }

        /// <summary>The composed merge file.</summary>
        public string Text { get; }

        /// <summary>Where the composed file is written for a node's backup folder &lt;BackupPath&gt;/&lt;container&gt;/&lt;UTC time&gt;: &lt;BackupPath&gt;/&lt;container&gt;/merge-&lt;UTC time&gt;.cpf.</summary>
        public static string HostPathFor(string backupFolder) =>
            Path.Combine(Path.GetDirectoryName(backupFolder)!, "merge-" + Path.GetFileName(backupFolder) + ".cpf");

        /// <summary>The paths of ISC_CPF_MERGE_FILE in a container's environment; empty when it is not set.</summary>
        public static IReadOnlyList<string> NodeFilesOf(ContainerSpec spec) =>
            spec.Environment.TryGetValue(IrisContainer.MergeFileVariable, out string? value) && value != null
                ? value.Split(',').Select(f => f.Trim()).Where(f => f.Length > 0).ToList()
                : new List<string>();

        /// <summary>True when the new container needs a composed file: -MergeFile was given, or the old value is a comma list.</summary>
        public static bool IsNeeded(ContainerSpec old, ImageUpgradeOptions options) =>
            options.MergeFileContent != null || (old.Environment.TryGetValue(IrisContainer.MergeFileVariable, out string? value) && value != null && value.IndexOf(',') >= 0);

        /// <summary>The bind mount of exactly this file, if the file is mounted on its own.</summary>
        public static MountSpec? FileMount(ContainerSpec spec, string path) =>
            spec.Mounts.FirstOrDefault(m => m.Kind == MountKind.Bind && m.Target.TrimEnd('/') == path.TrimEnd('/'));

        /// <summary>
        /// Where the composed file goes in the new container: the old merge file's own path when that file is a bind
        /// mount of its own (its source is replaced), else <see cref="DefaultTarget"/> (no merge file, a file inside
        /// the image or a mounted folder, or a comma list).
        /// </summary>
        public static string TargetFor(ContainerSpec old)
        {
            IReadOnlyList<string> files = NodeFilesOf(old);
            return files.Count == 1 && FileMount(old, files[0]) != null ? files[0] : DefaultTarget;
        }

        /// <summary>Mounts the composed file read-only in the new specification and points ISC_CPF_MERGE_FILE at it (one path, never a list).</summary>
        public static void Apply(ContainerSpec spec, ContainerSpec old, string hostPath)
        {
            string target = TargetFor(old);
            spec.Mounts = spec.Mounts.Where(m => m.Target.TrimEnd('/') != target).ToList();
            spec.Mounts.Add(new MountSpec { Kind = MountKind.Bind, Source = hostPath, Target = target, ReadOnly = true });
            spec.Environment[IrisContainer.MergeFileVariable] = target;
        }

        /// <summary>
        /// Reads the node's merge file(s) before anything changes, and composes them with -MergeFile. A file that is
        /// a bind mount of its own is read from its host source; any other (or a host source not on this machine)
        /// is copied out of the old container. A file that does not exist is left out with a warning: IRIS merges
        /// nothing from it either. Syntax errors throw <see cref="CpfSyntaxException"/> naming the file and line.
        /// </summary>
        public static async Task<UpgradeMergeFile> PrepareAsync(ContainerDetails old, ImageUpgradeOptions options, string hostPath,
            Func<string, CancellationToken, Task<byte[]>> readFromContainer, IList<string> warnings, IOperationReporter reporter, CancellationToken cancellationToken)
        {
            IReadOnlyList<string> files = NodeFilesOf(old.Spec);
            var parts = new List<(string Origin, CpfDocument Document)>();
            foreach (string file in files)
            {
                MountSpec? mount = FileMount(old.Spec, file);
                byte[] content;
                string origin = $"the node's merge file {file}";
                if (mount != null && File.Exists(mount.Source))
                {
                    content = File.ReadAllBytes(mount.Source);
                    origin += $" (host file {mount.Source})";
                }
                else
                {
                    try
                    {
                        content = await readFromContainer(file, cancellationToken).ConfigureAwait(false);
                        origin += $" (read from container '{old.Name}')";
                    }
                    catch (IrisOpsException ex) when (ex.Kind == IrisErrorKind.ObjectNotFound)
                    {
                        warnings.Add($"'{old.Name}' names the merge file {file} in {IrisContainer.MergeFileVariable}, but it does not exist; the composed merge file for the new container leaves it out.");
                        continue;
                    }
                }

                parts.Add((origin, CpfParser.Parse(content, old.Name + ":" + file, reporter)));
            }

            if (options.MergeFileContent != null)
            {
                parts.Add(($"-MergeFile {options.MergeFileSource}", CpfParser.Parse(options.MergeFileContent, options.MergeFileSource ?? "-MergeFile", reporter)));
            }

            return new UpgradeMergeFile(files, options.MergeFileContent == null ? null : options.MergeFileSource, hostPath, TargetFor(old.Spec), Compose(old.Name, parts));
        }

        /// <summary>The parts in order, each after a comment saying where it came from, rendered by the CPF writer.</summary>
        public static string Compose(string container, IReadOnlyList<(string Origin, CpfDocument Document)> parts)
        {
            var composed = new CpfDocument();
            composed.Preamble.Add(CpfComment.FromText($"One merge file composed by IrisOps Update-IrisApplicationImage for '{Clean(container)}': the parts below in order; where a key repeats, the last line wins."));
            foreach ((string origin, CpfDocument document) in parts)
            {
                CpfComment comment = CpfComment.FromText("From " + Clean(origin) + ":");
                if (composed.Sections.Count == 0)
                {
                    composed.Preamble.Add(comment);
                }
                else
                {
                    composed.Sections[composed.Sections.Count - 1].Items.Add(comment);
                }

                composed.Append(document);
            }

            return CpfWriter.Write(composed);
        }

        /// <summary>Writes the composed file (UTF-8, no byte order mark) to <see cref="HostPath"/>.</summary>
        public void Write()
        {
            Directory.CreateDirectory(Path.GetDirectoryName(HostPath)!);
            File.WriteAllText(HostPath, Text, new UTF8Encoding(false));
        }

        /// <summary>What happens, for -WhatIf and -Verbose.</summary>
        public string Describe()
        {
            string user = UserSource == null ? string.Empty : $"'{UserSource}'";
            string what = NodeFiles.Count == 0
                ? $"the merge file {user} written as one merge file at '{HostPath}'"
                : UserSource == null
                    ? $"the node's merge files {string.Join(", ", NodeFiles)} composed into one merge file at '{HostPath}'"
                    : $"the node's merge file{(NodeFiles.Count == 1 ? string.Empty : "s")} {string.Join(", ", NodeFiles)} plus {user} composed into one merge file at '{HostPath}' (the -MergeFile lines last, so they win)";
            return $"{what}, mounted read-only at {Target} and named by {IrisContainer.MergeFileVariable}={Target}";
        }

        private static string Clean(string text) => new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
    }
}
