using System;
using System.Formats.Tar;
using System.IO;

namespace IrisOps.Tests.Docker
{
    /// <summary>Tar archives shaped like the engine's archive API answers, for fakes of CopyFromContainerAsync.</summary>
    public static class TestArchives
    {
        /// <summary>What the engine sends for one file: a single entry named after the file.</summary>
        public static void WriteFile(Stream destination, string path, byte[] content)
        {
            using var buffer = new MemoryStream();
            using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, Path.GetFileName(path))
                {
                    Mode = (UnixFileMode)Convert.ToInt32("644", 8),
                    DataStream = new MemoryStream(content),
                });
            }

            buffer.Position = 0;
            buffer.CopyTo(destination);
        }

        /// <summary>What the engine sends for a symbolic link: the link itself, not its target.</summary>
        public static void WriteLink(Stream destination, string path, string target)
        {
            using var buffer = new MemoryStream();
            using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, Path.GetFileName(path)) { LinkName = target });
            }

            buffer.Position = 0;
            buffer.CopyTo(destination);
        }

        /// <summary>What the engine sends for a directory holding one file.</summary>
        public static void WriteDirectory(Stream destination, string path, string fileName, byte[] content)
        {
            using var buffer = new MemoryStream();
            string name = Path.GetFileName(path.TrimEnd('/'));
            using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name + "/"));
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name + "/" + fileName) { DataStream = new MemoryStream(content) });
            }

            buffer.Position = 0;
            buffer.CopyTo(destination);
        }
    }
}
