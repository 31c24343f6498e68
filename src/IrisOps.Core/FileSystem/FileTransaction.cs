using System;
using System.Collections.Generic;
using System.IO;
using IrisOps.Core.Errors;

namespace IrisOps.Core.FileSystem
{
    /// <summary>
    /// Writes a group of files all together or not at all. Content is first staged next to each target
    /// under a temporary name; <see cref="Commit"/> moves every file into place, and if any move fails the
    /// files already moved are put back as they were. Disposing without committing deletes the staged files,
    /// so a failure or Ctrl+C before the commit leaves the target folder untouched.
    /// </summary>
    public sealed class FileTransaction : IDisposable
    {
        private readonly List<StagedFile> staged = new List<StagedFile>();
        private readonly string token = Guid.NewGuid().ToString("N").Substring(0, 12);
        private bool committed;

        /// <summary>When false, an existing target makes the commit fail and roll back.</summary>
        public bool Overwrite { get; set; }

        public void Add(string targetPath, byte[] content, bool ownerOnly)
        {
            string stagingPath = targetPath + ".irisops-" + token + ".tmp";
            OwnerOnlyFile.CreateNew(stagingPath, content, ownerOnly);
            staged.Add(new StagedFile(targetPath, stagingPath));
        }

        public void Commit()
        {
            var done = new List<StagedFile>();
            try
            {
                foreach (StagedFile file in staged)
                {
                    if (File.Exists(file.Target))
                    {
                        if (!Overwrite)
                        {
                            throw new IrisOpsException(IrisErrorKind.ResourceExists, "FileExists",
                                $"'{file.Target}' appeared while the files were being prepared; nothing was written. Use -Force to replace existing files.", file.Target);
                        }

                        file.Previous = file.Target + ".irisops-" + token + ".old";
                        File.Move(file.Target, file.Previous);
                    }

                    File.Move(file.Staging, file.Target);
                    done.Add(file);
                }
            }
            catch
            {
                RollBack(done);
                throw;
            }

            committed = true;
            foreach (StagedFile file in staged)
            {
                TryDelete(file.Previous);
            }
        }

        public void Dispose()
        {
            if (committed)
            {
                return;
            }

            foreach (StagedFile file in staged)
            {
                TryDelete(file.Staging);
                if (file.Previous != null && !File.Exists(file.Target) && File.Exists(file.Previous))
                {
                    File.Move(file.Previous, file.Target);
                }
            }
        }

        private static void RollBack(List<StagedFile> done)
        {
            foreach (StagedFile file in done)
            {
                TryDelete(file.Target);
                if (file.Previous != null)
                {
                    File.Move(file.Previous, file.Target);
                    file.Previous = null;
                }
            }
        }

        private static void TryDelete(string? path)
        {
            if (path == null)
            {
                return;
            }

            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
                // A leftover temporary file is harmless; the original error matters more.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private sealed class StagedFile
        {
            public StagedFile(string target, string staging)
            {
                Target = target;
                Staging = staging;
            }

            public string Target { get; }

            public string Staging { get; }

            public string? Previous { get; set; }
        }
    }
}
