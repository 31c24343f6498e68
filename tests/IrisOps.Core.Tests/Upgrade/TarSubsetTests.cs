using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Text;
using IrisOps.Core.Upgrade;
using Xunit;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>The archive of only the entries a differential restore extracts, read back with System.Formats.Tar.</summary>
    public sealed class TarSubsetTests
    {
        [Fact]
        public void The_archive_of_the_entries_to_restore_holds_exactly_them_with_their_headers_and_content()
        {
            using var work = new TempFolder();
            string archive = work.Combine("dur.tar");
            string longName = "dur/" + new string('n', 150);
            var contents = new Dictionary<string, byte[]> { ["dur/a"] = Encoding.UTF8.GetBytes("first"), [longName] = new byte[5000], ["dur/c"] = Encoding.UTF8.GetBytes("third") };
            new Random(7).NextBytes(contents[longName]);
            using (var stream = System.IO.File.Create(archive))
            using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "dur/") { Mode = (UnixFileMode)0x1ED });
                foreach (KeyValuePair<string, byte[]> file in contents)
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, file.Key) { Mode = (UnixFileMode)0x1A4, Uid = 51773, Gid = 51773, DataStream = new MemoryStream(file.Value) });
                }
            }

            IList<BackupManifestEntry> entries;
            using (var stream = System.IO.File.OpenRead(archive))
            {
                entries = BackupManifest.Scan(stream).Entries;
            }

            var wanted = entries.Where(e => e.Path == longName || e.Path == "dur/c").ToDictionary(e => e.Path, StringComparer.Ordinal);
            using var subset = new MemoryStream();
            TarSubset.Copy(archive, wanted, subset);
            TarSubset.End(subset);

            subset.Position = 0;
            var read = new Dictionary<string, byte[]>();
            using (var reader = new TarReader(subset))
            {
                for (TarEntry? entry = reader.GetNextEntry(); entry != null; entry = reader.GetNextEntry())
                {
                    using var content = new MemoryStream();
                    entry.DataStream?.CopyTo(content);
                    Assert.Equal(51773, entry.Uid);
                    read.Add(entry.Name, content.ToArray());
                }
            }

            Assert.Equal(new[] { longName, "dur/c" }, read.Keys);
            Assert.Equal(contents[longName], read[longName]);
            Assert.Equal(contents["dur/c"], read["dur/c"]);

            // An entry whose content does not match the manifest, or that the archive does not hold, is refused.
            wanted["dur/c"].Sha256 = new string('0', 64);
            Assert.Throws<InvalidDataException>(() => TarSubset.Copy(archive, wanted, new MemoryStream()));
            Assert.Throws<InvalidDataException>(() => TarSubset.Copy(archive, new Dictionary<string, BackupManifestEntry> { ["dur/x"] = RestorePlanTests.File("dur/x", "xx") }, new MemoryStream()));
        }
    }
}
