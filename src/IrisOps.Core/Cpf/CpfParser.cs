using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using IrisOps.Core.Common;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Cpf
{
    /// <summary>
    /// Reads CPF and merge files the way they exist in the wild (the Configuration Parameter File Reference, and the forms real files use): '#', ';' and '//' comments,
    /// '/* */' blocks, commented-out headers, blank lines anywhere, blanks around lines, CRLF or LF, no final
    /// newline, [config] and [Config], repeated sections and keys, unquoted comma lists in plain sections and in
    /// action values (see <see cref="CpfActionLineReader"/>), and text after a value that looks like a comment (kept, with a warning). Anything it cannot read raises a <see cref="CpfSyntaxException"/> naming the source
    /// and the line; no other exception escapes for bad input.
    /// </summary>
    public static class CpfParser
    {
        private static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        /// <summary>Reads a file; the document's <see cref="CpfDocument.Path"/> is the given path.</summary>
        public static CpfDocument ParseFile(string path, IOperationReporter? reporter = null)
        {
            if (Directory.Exists(path))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "CpfPathIsFolder", $"'{path}' is a folder; give the path of a CPF or merge file.", path);
            }

            byte[] content;
            try
            {
                content = File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "CpfFileNotFound", $"The CPF file '{path}' does not exist.", path, ex);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new IrisOpsException(IrisErrorKind.PermissionDenied, "CpfFileNotReadable", $"Cannot read '{path}': access is denied.", path, ex);
            }
            catch (IOException ex)
            {
                throw new IrisOpsException(IrisErrorKind.ResourceUnavailable, "CpfFileNotReadable", $"Cannot read '{path}': {ex.Message}", path, ex);
            }

            CpfDocument document = Parse(content, path, reporter);
            document.Path = path;
            return document;
        }

        /// <summary>Reads UTF-8 bytes (a byte order mark is allowed); invalid UTF-8 is an error naming the line.</summary>
        public static CpfDocument Parse(byte[] content, string sourceName, IOperationReporter? reporter = null)
        {
            int start = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;
            string text;
            try
            {
                text = StrictUtf8.GetString(content, start, content.Length - start);
            }
            catch (DecoderFallbackException)
            {
                throw new CpfSyntaxException(sourceName, FindInvalidUtf8Line(content, start),
                    "the line is not valid UTF-8. IRIS reads CPF files as UTF-8: save the file in that encoding.");
            }

            return Parse(text, sourceName, reporter);
        }

        /// <summary>Reads CPF text. <paramref name="sourceName"/> (usually the file path) is used in messages.</summary>
        public static CpfDocument Parse(string text, string sourceName, IOperationReporter? reporter = null)
        {
            if (text == null)
            {
                throw new ArgumentNullException(nameof(text));
            }

            var reader = new Reader(sourceName, reporter ?? NullOperationReporter.Instance);
            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                text = text.Substring(1);
            }

            string[] lines = text.Split('\n');
            // A final newline ends the last line; it does not start an empty one.
            int count = lines.Length > 0 && lines[lines.Length - 1].Length == 0 ? lines.Length - 1 : lines.Length;
            // Every line is read, so one error names every problem of the file; a bad line adds nothing.
            var problems = new List<CpfSyntaxException>();
            for (int i = 0; i < count; i++)
            {
                string line = lines[i];
                if (line.EndsWith("\r", StringComparison.Ordinal))
                {
                    line = line.Substring(0, line.Length - 1);
                }

                try
                {
                    reader.ReadLine(line, i + 1);
                }
                catch (CpfSyntaxException ex)
                {
                    problems.Add(ex);
                }
            }

            try
            {
                CpfDocument document = reader.Finish();
                if (problems.Count == 0)
                {
                    return document;
                }
            }
            catch (CpfSyntaxException ex)
            {
                problems.Add(ex);
            }

            throw problems.Count == 1 ? problems[0] : new CpfSyntaxException(sourceName, problems);
        }

        private static int FindInvalidUtf8Line(byte[] content, int start)
        {
            int line = 1;
            int lineStart = start;
            for (int i = start; i <= content.Length; i++)
            {
                if (i == content.Length || content[i] == (byte)'\n')
                {
                    try
                    {
                        StrictUtf8.GetString(content, lineStart, i - lineStart);
                    }
                    catch (DecoderFallbackException)
                    {
                        return line;
                    }

                    line++;
                    lineStart = i + 1;
                }
            }

            return line - 1;
        }

        /// <summary>The state of one parse: the document so far, the open section, an open block comment.</summary>
        private sealed class Reader
        {
            private readonly string sourceName;
            private readonly IOperationReporter reporter;
            private readonly CpfDocument document = new CpfDocument();
            private CpfSection? section;
            private List<string>? blockComment;
            private int blockCommentLine;

            // After a header that cannot be read, the lines up to the next header belong to no known section:
            // they are skipped rather than reported as more problems of the same cause.
            private bool skipToNextHeader;

            public Reader(string sourceName, IOperationReporter reporter)
            {
                this.sourceName = sourceName;
                this.reporter = reporter;
            }

            public void ReadLine(string raw, int number)
            {
                int bad = CpfText.FindForbiddenCharacter(raw, out string what);
                if (bad >= 0)
                {
                    throw Error(number, $"the line contains {what} at column {bad + 1}, which has no place in a CPF line.");
                }

                string line = CpfText.Trim(raw);
                if (blockComment != null)
                {
                    ContinueBlockComment(line, number);
                    return;
                }

                if (skipToNextHeader && (line.Length == 0 || line[0] != '['))
                {
                    return;
                }

                if (line.Length == 0)
                {
                    Add(new CpfBlankLine(), number);
                }
                else if (line[0] == ';' || line[0] == '#' || line.StartsWith("//", StringComparison.Ordinal))
                {
                    Add(new CpfComment(line), number);
                }
                else if (line.StartsWith("/*", StringComparison.Ordinal))
                {
                    blockComment = new List<string>();
                    blockCommentLine = number;
                    ContinueBlockComment(line, number, searchFrom: 2);
                }
                else if (line[0] == '[')
                {
                    ReadHeader(line, number);
                }
                else if (section == null)
                {
                    throw Error(number, $"'{CpfText.Excerpt(line)}' comes before any [Section] header; put it under the section it belongs to, e.g. [config].");
                }
                else if (section.IsActions)
                {
                    Add(CpfActionLineReader.Read(line, number, sourceName, reporter), number);
                }
                else
                {
                    Add(ReadEntry(line, number), number);
                }
            }

            public CpfDocument Finish()
            {
                if (blockComment != null)
                {
                    throw Error(blockCommentLine, "the /* comment opened on this line is never closed with */.");
                }

                return document;
            }

            private void ContinueBlockComment(string line, int number, int searchFrom = 0)
            {
                blockComment!.Add(line);
                int end = line.IndexOf("*/", searchFrom, StringComparison.Ordinal);
                if (end < 0)
                {
                    return;
                }

                if (end + 2 != line.Length)
                {
                    // The comment is closed all the same: the lines after it are read as usual.
                    blockComment = null;
                    throw Error(number, $"text follows the end of a /* */ comment: '{CpfText.Excerpt(line.Substring(end + 2))}'. Put it on a line of its own.");
                }

                var comment = new CpfComment(string.Join("\n", blockComment));
                blockComment = null;
                Add(comment, blockCommentLine);
            }

            private void ReadHeader(string line, int number)
            {
                skipToNextHeader = true;
                if (line.Length < 3 || line[line.Length - 1] != ']')
                {
                    throw Error(number, $"'{CpfText.Excerpt(line)}' is not a section header; a header is a name in brackets alone on its line, e.g. [config].");
                }

                string name = line.Substring(1, line.Length - 2);
                if (!CpfText.IsSectionName(name))
                {
                    throw Error(number, $"'[{CpfText.Excerpt(name)}]' is not a valid section name; use letters, digits and . % _ - only, without spaces, e.g. [Map.APP].");
                }

                string canonical = CpfSectionNames.Canonical(name);
                if (canonical != name && !string.Equals(name, "Config", StringComparison.Ordinal))
                {
                    // [Config] is common in real files and read by IRIS; other case variants may be ignored by it.
                    string consequence = CpfSectionNames.IsActions(canonical) ? " IRIS silently ignores a lowercase [actions] section." : string.Empty;
                    reporter.Warning($"{sourceName} line {number}: section [{name}] is read as [{canonical}], the spelling IRIS writes, and will be written that way.{consequence}");
                }

                skipToNextHeader = false;
                section = new CpfSection(canonical) { Source = new CpfSource(sourceName, number) };
                document.Sections.Add(section);
            }

            private CpfEntry ReadEntry(string line, int number)
            {
                int equals = line.IndexOf('=');
                if (equals < 0)
                {
                    throw Error(number, $"'{CpfText.Excerpt(line)}' is not a Key=Value entry, a [Section] header or a comment. Comment lines start with # or ;.");
                }

                if (equals == 0)
                {
                    throw Error(number, $"'{CpfText.Excerpt(line)}' has no key before '='.");
                }

                string key = line.Substring(0, equals);
                string value = line.Substring(equals + 1);
                if (CpfText.IsBlank(key[key.Length - 1]))
                {
                    string corrected = CpfText.Trim(key) + "=" + value;
                    string hint = corrected.Length <= 120 ? $"; write {CpfText.Excerpt(corrected, 120)}" : $"; remove the space before '=' after {CpfText.Trim(key)}";
                    throw Error(number, $"the key '{CpfText.Excerpt(key)}' ends with a space, which IRIS reads as part of the key{hint}.");
                }

                int comment = CpfText.FindTrailingComment(value);
                if (comment >= 0)
                {
                    reporter.Warning($"{sourceName} line {number}: [{section!.Name}] {key}: the value '{CpfText.Excerpt(value)}' ends with text that looks like a comment " +
                        $"('{CpfText.Excerpt(value.Substring(comment))}'). The manuals do not say how IRIS reads a comment after a value (its own iris.cpf has values with ';' and '#'), " +
                        "so it is kept as part of the value. Put comments on lines of their own.");
                }

                return new CpfEntry(key, value);
            }

            private void Add(CpfItem item, int number)
            {
                item.Source = new CpfSource(sourceName, number);
                if (section == null)
                {
                    document.Preamble.Add(item);
                }
                else
                {
                    section.Items.Add(item);
                }
            }

            private CpfSyntaxException Error(int number, string problem) => new CpfSyntaxException(sourceName, number, problem);
        }
    }
}
