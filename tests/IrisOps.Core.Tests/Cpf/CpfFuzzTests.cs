using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using IrisOps.Core.Cpf;
using Xunit;

namespace IrisOps.Tests.Cpf
{
    /// <summary>
    /// Garbage in, clean error out: random and mutated CPF text either parses (and then writes and reads back as
    /// the same document) or fails with a CpfSyntaxException naming the source and a real line. Nothing else may
    /// escape. Fixed seeds and bounded iterations keep the test repeatable and fast.
    /// </summary>
    public class CpfFuzzTests
    {
        private const string Source = "fuzz.cpf";

        private int parsed;
        private int refused;

        // Characters with a meaning in CPF, plus the troublemakers: controls, separators, surrogates, non-ASCII.
        private static readonly string Alphabet =
            "[]=:,\";#/*%$ \t\r\n\n\n\0\u0001\u0085\u2028\ud800\udc00\u00e9\u4e2dAaBbCcNnXx019._-" +
            "ActionsconfigStartupCreateDatabaseName";

        private static readonly string[] Fragments =
        {
            "[Actions]\n", "[config]\n", "[Config]\n", "[actions]\n", "[Startup]\n", "[Map.APP]\n", "#[config]\n", "; c\n", "// c\n",
            "/*", "*/", "\n", "\r\n", "CreateDatabase:", "Name=", "Directory=/d", ",", "\"", "\"a,b\"", "=", "MaxServerConn=3\n",
            "globals=0,0,2048\n", "  ", "\t", "Execute:Namespace=APP,Arg1=\"k=v\"\n", "ModifyStartup:\n", "x", "\u2028", "\0",
        };

        [Fact]
        public void Random_text_gives_a_document_or_a_clean_syntax_error()
        {
            var random = new Random(20260401);
            for (int i = 0; i < 6000; i++)
            {
                var text = new StringBuilder();
                int length = random.Next(0, 160);
                while (text.Length < length)
                {
                    if (random.Next(3) == 0)
                    {
                        text.Append(Fragments[random.Next(Fragments.Length)]);
                    }
                    else
                    {
                        text.Append(Alphabet[random.Next(Alphabet.Length)]);
                    }
                }

                Check(text.ToString());
            }

            AssertBothOutcomes();
        }

        [Fact]
        public void Mutated_corpus_files_give_a_document_or_a_clean_syntax_error()
        {
            var random = new Random(42);
            string[] originals = Directory.GetFiles(Corpus.Folder, "*.cpf").OrderBy(p => p, StringComparer.Ordinal).Select(File.ReadAllText).ToArray();
            for (int i = 0; i < 6000; i++)
            {
                var text = new StringBuilder(originals[random.Next(originals.Length)]);
                int edits = random.Next(1, 6);
                for (int e = 0; e < edits; e++)
                {
                    int at = text.Length == 0 ? 0 : random.Next(text.Length);
                    switch (random.Next(4))
                    {
                        case 0:
                            text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                            break;
                        case 1:
                            text.Insert(at, Fragments[random.Next(Fragments.Length)]);
                            break;
                        case 2:
                            if (text.Length > 0)
                            {
                                text.Remove(at, Math.Min(random.Next(1, 8), text.Length - at));
                            }

                            break;
                        default:
                            if (text.Length > 0)
                            {
                                text[at] = Alphabet[random.Next(Alphabet.Length)];
                            }

                            break;
                    }
                }

                Check(text.ToString());
            }

            AssertBothOutcomes();
        }

        [Fact]
        public void Random_bytes_give_a_document_or_a_clean_syntax_error()
        {
            var random = new Random(7);
            byte[] corpus = Encoding.UTF8.GetBytes(File.ReadAllText(Corpus.PathOf("quoted-actions.cpf")));
            for (int i = 0; i < 3000; i++)
            {
                // A third pure noise, the rest the corpus with a few bytes changed, half of them to printable ASCII.
                byte[] bytes = random.Next(3) == 0 ? new byte[random.Next(0, 120)] : (byte[])corpus.Clone();
                if (bytes.Length == corpus.Length)
                {
                    for (int e = random.Next(1, 3); e > 0; e--)
                    {
                        bytes[random.Next(bytes.Length)] = random.Next(2) == 0 ? (byte)random.Next(32, 127) : (byte)random.Next(256);
                    }
                }
                else
                {
                    random.NextBytes(bytes);
                }

                try
                {
                    CpfDocument document = CpfParser.Parse(bytes, Source);
                    AssertRoundTrip(document, "bytes " + Convert.ToBase64String(bytes));
                    parsed++;
                }
                catch (CpfSyntaxException ex)
                {
                    AssertClean(ex, CountLines(bytes), "bytes " + Convert.ToBase64String(bytes));
                    refused++;
                }
            }

            AssertBothOutcomes();
        }

        private void Check(string text)
        {
            CpfDocument document;
            try
            {
                document = CpfParser.Parse(text, Source);
            }
            catch (CpfSyntaxException ex)
            {
                AssertClean(ex, text.Split('\n').Length, text);
                refused++;
                return;
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"{ex.GetType().Name} escaped the parser for {Escape(text)}: {ex}");
            }

            AssertRoundTrip(document, text);
            parsed++;
        }

        /// <summary>A fuzz run that only ever parses, or only ever fails, tests little: both must happen often.</summary>
        private void AssertBothOutcomes()
        {
            Assert.True(parsed >= 100, $"only {parsed} inputs parsed");
            Assert.True(refused >= 100, $"only {refused} inputs were refused");
        }

        private static void AssertClean(CpfSyntaxException error, int lines, string input)
        {
            // One error per file; each problem in it names its line, and every line of the message is printable.
            foreach (CpfSyntaxException problem in error.Problems)
            {
                Assert.True(problem.LineNumber >= 1 && problem.LineNumber <= lines, $"line {problem.LineNumber} of {lines} for {Escape(input)}");
                Assert.StartsWith($"{Source} line {problem.LineNumber}: ", problem.Message);
                Assert.True(CpfTextIsPrintable(problem.Message), $"unprintable message '{Escape(problem.Message)}' for {Escape(input)}");
            }

            Assert.True(error.Problems.Count == 1 ? error.Message == error.Problems[0].Message : error.Message.StartsWith($"{Source}: {error.Problems.Count} lines cannot be read:", StringComparison.Ordinal), Escape(error.Message));
            Assert.True(error.Message.Split('\n').All(CpfTextIsPrintable), $"unprintable message '{Escape(error.Message)}' for {Escape(input)}");
        }

        /// <summary>What the parser accepts, the writer writes, and the parser reads back the same.</summary>
        private static void AssertRoundTrip(CpfDocument document, string input)
        {
            string written;
            try
            {
                written = CpfWriter.Write(document);
            }
            catch (Exception ex)
            {
                throw new Xunit.Sdk.XunitException($"The writer refused a parsed document from {Escape(input)}: {ex.Message}");
            }

            List<string> expected = Shape.Of(document);
            List<string> actual = Shape.Of(CpfParser.Parse(written, "written.cpf"));
            Assert.True(expected.SequenceEqual(actual), $"round trip changed {Escape(input)}");
        }

        private static int CountLines(byte[] bytes) => bytes.Count(b => b == (byte)'\n') + 1;

        private static bool CpfTextIsPrintable(string message) => message.All(c => c >= ' ' && !char.IsSurrogate(c) && c != '\u2028' && c != '\u2029' && c != '\u0085');

        private static string Escape(string text) =>
            string.Concat(text.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:X4}" : c.ToString()));
    }
}
