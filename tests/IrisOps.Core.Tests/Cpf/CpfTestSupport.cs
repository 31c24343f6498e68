using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Common;
using IrisOps.Core.Cpf;

namespace IrisOps.Tests.Cpf
{
    /// <summary>The quirky CPF files under Cpf/Corpus, copied next to the test assembly.</summary>
    internal static class Corpus
    {
        public static string Folder => Path.Combine(AppContext.BaseDirectory, "Cpf", "Corpus");

        public static string PathOf(string name) => Path.Combine(Folder, name);

        public static IEnumerable<object[]> Files() =>
            Directory.GetFiles(Folder, "*.cpf").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).Select(n => new object[] { n! });

        public static CpfDocument Parse(string name, IOperationReporter? reporter = null) => CpfParser.ParseFile(PathOf(name), reporter);
    }

    /// <summary>Keeps what the engine reports, so tests can assert on warnings.</summary>
    internal sealed class RecordingReporter : IOperationReporter
    {
        public List<string> Warnings { get; } = new List<string>();

        public List<string> VerboseMessages { get; } = new List<string>();

        public List<(string Activity, string Status, int Percent)> ProgressRecords { get; } = new List<(string, string, int)>();

        public void Progress(string activity, string status, int percentComplete) => ProgressRecords.Add((activity, status, percentComplete));

        public void Verbose(string message) => VerboseMessages.Add(message);

        public void Warning(string message) => Warnings.Add(message);
    }

    /// <summary>A document's content as comparable lines, without where it was read from.</summary>
    internal static class Shape
    {
        public static List<string> Of(CpfDocument document)
        {
            var shape = new List<string>();
            shape.AddRange(document.Preamble.Select(Item));
            foreach (CpfSection section in document.Sections)
            {
                shape.Add("[" + section.Name + "]");
                shape.AddRange(section.Items.Select(Item));
            }

            return shape;
        }

        private static string Item(CpfItem item)
        {
            switch (item)
            {
                case CpfBlankLine _:
                    return "blank";
                case CpfComment comment:
                    return "comment " + comment.Text;
                case CpfEntry entry:
                    return $"entry {entry.Section} <{entry.Name}> = <{entry.Value}>";
                case CpfAction action:
                    return $"action {action.Action}" + string.Concat(action.Properties.Select(p => $" <{p.Name}>=<{p.Value}>"));
                default:
                    throw new InvalidOperationException(item.GetType().Name);
            }
        }
    }
}
