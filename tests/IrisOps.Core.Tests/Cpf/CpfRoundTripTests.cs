using System.IO;
using IrisOps.Core.Cpf;
using Xunit;

namespace IrisOps.Tests.Cpf
{
    /// <summary>Parse, write and parse again gives the same document, for every corpus file and line ending.</summary>
    public class CpfRoundTripTests
    {
        [Theory]
        [MemberData(nameof(Corpus.Files), MemberType = typeof(Corpus))]
        public void Parse_write_parse_gives_the_same_document(string name)
        {
            CpfDocument first = Corpus.Parse(name);
            foreach (CpfLineEnding ending in new[] { CpfLineEnding.Lf, CpfLineEnding.CrLf })
            {
                string text = CpfWriter.Write(first, new CpfWriteOptions { LineEnding = ending });
                CpfDocument second = CpfParser.Parse(text, name + " (written)");

                Assert.Equal(Shape.Of(first), Shape.Of(second));
                Assert.Equal(text, CpfWriter.Write(second, new CpfWriteOptions { LineEnding = ending }));
            }
        }

        [Theory]
        [InlineData("seed002-install.cpf")]
        [InlineData("seed002-merge.cpf")]
        [InlineData("iris-instance.cpf")]
        [InlineData("config-case-and-repeats.cpf")]
        public void Canonical_files_are_written_back_byte_for_byte(string name)
        {
            string original = File.ReadAllText(Corpus.PathOf(name)).Replace("[Config]", "[config]");
            Assert.Equal(original, CpfWriter.Write(Corpus.Parse(name)));
        }

        [Fact]
        public void A_document_built_in_code_reads_back_the_same()
        {
            var document = new CpfDocument();
            document.Preamble.Add(CpfComment.FromText("built"));
            document.Set("Startup", "WebServer", "1");
            document.AddAction("CreateUser", ("Name", "u"), ("Roles", "%SQL,%DB_USER"), ("Comment", " a=b "), ("Empty", string.Empty));
            document.AddAction("ModifyStartup");

            CpfDocument back = CpfParser.Parse(CpfWriter.Write(document), "built.cpf");
            Assert.Equal(Shape.Of(document), Shape.Of(back));
        }
    }
}
