using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Cpf;
using IrisOps.Core.Cpf.Catalog;
using IrisOps.Core.Cpf.Export;
using Xunit;

namespace IrisOps.Tests.Cpf
{
    /// <summary>
    /// Real merge files and an instance CPF from public repositories (Corpus/public-*.cpf, sources in
    /// Corpus/manifest.csv): each is imported as Import-IrisCpf does, exported as Export-IrisMergeCpf does,
    /// read again and compared by meaning.
    /// </summary>
    public class PublicCorpusTests
    {
        public static IEnumerable<object[]> PublicFiles() => Corpus.Files().Where(f => ((string)f[0]).StartsWith("public-", StringComparison.Ordinal));

        [Fact]
        public void The_manifest_names_the_source_of_every_public_file_and_nothing_else()
        {
            string[] rows = File.ReadAllLines(Corpus.PathOf("manifest.csv")).Skip(1).Where(l => l.Length > 0).ToArray();
            var listed = rows.Select(r => r.Split(',')[0]).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var present = PublicFiles().Select(f => (string)f[0]).OrderBy(n => n, StringComparer.Ordinal).ToList();

            Assert.Equal(present, listed);
            Assert.True(present.Count >= 30, $"only {present.Count} public files");
            foreach (string row in rows)
            {
                string[] parts = row.Split(',');
                Assert.Contains("/", parts[1]);
                Assert.False(string.IsNullOrEmpty(parts[2]), row);
                Assert.Matches("^[0-9a-f]{40}$", parts[3]);
            }
        }

        [Theory]
        [MemberData(nameof(PublicFiles))]
        public void Import_then_export_keeps_the_meaning(string name)
        {
            var importing = new RecordingReporter();
            CpfDocument imported = Import(name, importing);

            var exporting = new RecordingReporter();
            var composer = new MergeFileComposer();
            composer.Add(imported);
            MergeFile file = composer.Finish(new CpfValidationOptions(), new CpfWriteOptions(), exporting);
            CpfDocument again = CpfParser.Parse(file.Text, name + " (exported)");

            Assert.Equal(Meaning.Of(imported), Meaning.Of(again));
            Assert.Equal(Shape.Of(imported), Shape.Of(again));

            // What import warned about is not warned about again by the export.
            Assert.Empty(exporting.Warnings);

            // The exported file is canonical: importing and exporting it again changes nothing.
            var second = new MergeFileComposer();
            second.Add(again);
            Assert.Equal(file.Text, second.Finish(new CpfValidationOptions(), new CpfWriteOptions(), new RecordingReporter()).Text);
        }

        [Fact]
        public void The_forms_of_the_public_files_are_read_as_iris_reads_them()
        {
            var reporter = new RecordingReporter();
            CpfDocument user = Import("public-health-training-create-namespace.cpf", reporter);
            CpfAction role = user.Actions.Single(a => a.Action == "CreateRole");
            CpfAction created = user.Actions.Single(a => a.Action == "CreateUser");

            Assert.Equal("%DB_DEMO_DATA,%DB_DEMO_CODE", role["Resources"]);
            Assert.Equal("%All,DEMO_ROLE", created["Roles"]);
            Assert.EndsWith(",10000,SHA512", created["PasswordHash"]);
            Assert.Equal(3, created["PasswordHash"]!.Count(c => c == ','));
            Assert.Contains(reporter.Warnings, w => w.Contains("line 7: CreateRole: the value of Resources is not in double quotes", StringComparison.Ordinal));
            Assert.Contains(reporter.Warnings, w => w.Contains("line 8: CreateUser: the value of Roles", StringComparison.Ordinal));
            Assert.Contains(reporter.Warnings, w => w.Contains("line 8: CreateUser: the value of PasswordHash", StringComparison.Ordinal));

            CpfDocument pgwire = Import("public-iris-pgwire.cpf", new RecordingReporter());
            Assert.EndsWith(",10000,SHA512", pgwire.Actions[1]["PasswordHash"]);

            string written = CpfWriter.Write(user);
            Assert.Contains("Resources=\"%DB_DEMO_DATA,%DB_DEMO_CODE\"", written);
            Assert.Contains("Roles=\"%All,DEMO_ROLE\"", written);
        }

        [Fact]
        public void An_old_instance_cpf_imports_and_what_the_reference_lacks_is_a_warning_naming_the_line()
        {
            var reporter = new RecordingReporter();
            CpfDocument instance = Import("public-crossecp-iris-instance.cpf", reporter);
            string path = Corpus.PathOf("public-crossecp-iris-instance.cpf");

            Assert.Equal("/usr/cachesys/mgr/samples/,CECP", instance.Get("Databases", "SAMPLESDATA"));
            Assert.Equal("~ `!@#$%^&*()_+-=[]\\{}|;':\",./<>?", instance.Get("SQL", "IdTrxFrom"));
            Assert.Contains(reporter.Warnings, w => w.StartsWith($"{path} line 31: [Startup] ArbiterURL is not a parameter of [Startup]", StringComparison.Ordinal));
            Assert.Contains(reporter.Warnings, w => w.StartsWith($"{path} line 80: [SQL] JDBCGatewayPort is not a parameter", StringComparison.Ordinal));
            Assert.DoesNotContain(reporter.Warnings, w => w.Contains("[Cluster]") || w.Contains("[Conversions]") || w.Contains("[Devices]"));
            Assert.DoesNotContain(reporter.Warnings, w => w.Contains("DefaultPort") || w.Contains("globals"));
        }

        private static CpfDocument Import(string name, RecordingReporter reporter)
        {
            CpfDocument document = Corpus.Parse(name, reporter);
            CpfSectionCatalog.WarnAboutUnknownNames(document, reporter);
            CpfActionValidator.Validate(document, new CpfValidationOptions(), reporter);
            return document;
        }
    }

    /// <summary>What a document means to IRIS: the winning value of every key, the actions with their properties, the comments.</summary>
    internal static class Meaning
    {
        public static List<string> Of(CpfDocument document)
        {
            CpfResolvedView view = document.Resolve();
            var meaning = view.Entries.Select(e => $"value [{e.Section}] <{e.Name}> = <{e.Value}>").ToList();
            meaning.AddRange(view.Actions.Select(a => $"action {a.Action}" + string.Concat(a.Properties.Select(p => $" <{p.Name}>=<{p.Value}>"))));
            meaning.AddRange(document.Preamble.Concat(document.Sections.SelectMany(s => s.Items)).OfType<CpfComment>().Select(c => "comment " + c.Text));
            return meaning;
        }
    }
}
