using System;
using System.IO;
using System.Text;
using IrisOps.Core.Common;
using IrisOps.Core.Cpf.Catalog;
using IrisOps.Core.Cpf.Layout;
using IrisOps.Core.Errors;
using IrisOps.Core.FileSystem;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Cpf.Export
{
    /// <summary>A merge file ready to be written: the document, its text, and a description for -WhatIf.</summary>
    public sealed class MergeFile
    {
        internal MergeFile(CpfDocument document, string text)
        {
            Document = document;
            Text = text;
        }

        public CpfDocument Document { get; }

        public string Text { get; }

        /// <summary>An [Actions] section makes an instance fail to start if the file becomes its iris.cpf.</summary>
        public void WarnIfInstanceCpf(string path, IOperationReporter reporter)
        {
            if (string.Equals(Path.GetFileName(path), "iris.cpf", StringComparison.OrdinalIgnoreCase) && Document.Actions.Count > 0)
            {
                reporter.Warning($"'{path}' is named like an instance's iris.cpf but has [Actions] lines: [Actions] is only valid in a merge file, and an instance whose iris.cpf has one fails to start. Apply it with 'iris merge' or {IrisContainer.MergeFileVariable} instead.");
            }
        }

        public string Describe() =>
            $"{Document.Actions.Count} action(s) and {Document.Entries.Count} section entr{(Document.Entries.Count == 1 ? "y" : "ies")}";
    }

    /// <summary>
    /// Builds one merge file from everything Export-IrisMergeCpf receives, in order: the rendered layout first,
    /// then documents and section blocks (appended; a repeated key later wins, as in IRIS), actions (added to the
    /// last [Actions] block) and section entries (set in place, or added). <see cref="Finish"/> checks the actions
    /// against the catalog and renders the text, so every error surfaces before anything is written.
    /// </summary>
    public sealed class MergeFileComposer
    {
        private static readonly UTF8Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        private readonly CpfDocument output = new CpfDocument();

        public void AddLayout(IrisLayout layout, LayoutStage stage, IOperationReporter reporter) => output.Append(LayoutRenderer.Render(layout, stage, reporter));

        public void Add(CpfDocument document) => output.Append(document);

        public void Add(CpfSection section) => output.Sections.Add(section.Clone());

        public void Add(CpfItem item)
        {
            switch (item)
            {
                case CpfAction action:
                    output.AddAction((CpfAction)action.Clone());
                    break;
                case CpfEntry entry:
                    if (entry.Section == null)
                    {
                        throw new IrisOpsException(IrisErrorKind.InvalidArgument, CpfRecordConverter.InvalidInputId, $"The entry {entry} has no section; give one, e.g. config.", entry);
                    }

                    output.Set(entry.Section, entry.Name, entry.Value).Source = entry.Source;
                    break;
                case CpfComment _:
                case CpfBlankLine _:
                    if (output.Sections.Count == 0)
                    {
                        output.Preamble.Add(item.Clone());
                    }
                    else
                    {
                        output.Sections[output.Sections.Count - 1].Items.Add(item.Clone());
                    }

                    break;
                default:
                    throw new ArgumentException("Unknown CPF item type " + item.GetType().FullName, nameof(item));
            }
        }

        public MergeFile Finish(CpfValidationOptions validation, CpfWriteOptions writing, IOperationReporter reporter)
        {
            CpfActionValidator.Validate(output, validation, reporter);
            return new MergeFile(output, CpfWriter.Write(output, writing));
        }

        /// <summary>
        /// Checks, before -WhatIf or any work, that the file can be written: its folder exists, it is not a
        /// folder, and without <paramref name="force"/> it does not exist yet (<see cref="ExistingFileRule"/>).
        /// </summary>
        public static void CheckTarget(string path, bool force)
        {
            if (Directory.Exists(path))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "MergeFilePathIsFolder", $"-Path '{path}' is a folder; give the path of the merge file to write.", path);
            }

            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder != null && !Directory.Exists(folder))
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "MergeFileFolderNotFound", $"The folder '{folder}' does not exist; create it first.", path);
            }

            ExistingFileRule.Check(path, force, "Path");
        }

        /// <summary>Writes UTF-8 without a byte order mark, all at once: a failure leaves the previous file as it was.</summary>
        public static void WriteFile(MergeFile file, string path, bool force)
        {
            using (var transaction = new FileTransaction { Overwrite = force })
            {
                transaction.Add(path, Utf8.GetBytes(file.Text), ownerOnly: false);
                transaction.Commit();
            }
        }
    }
}
