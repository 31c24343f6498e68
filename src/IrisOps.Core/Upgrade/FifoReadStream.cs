using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// Reads what a helper container writes into a named pipe (FIFO) in the backup folder, so an archive that is
    /// only checked (the rollback's check of the restored mount) is hashed as it is produced and never written
    /// to disk. Linux only, with an engine whose containers run on this machine's kernel: a FIFO carries bytes
    /// only between processes of one kernel. The writer may open and close the pipe several times (its probe,
    /// then its tar): every byte of every opening is one stream, which ends once <c>writer</c> has ended and
    /// the pipe is empty. <see cref="Release"/> lets an opening that waits for a writer go when none will come.
    /// </summary>
    internal sealed class FifoReadStream : ForwardReadStream
    {
        private readonly string path;
        private readonly Task writer;
        private FileStream? current;
        private bool lastOpening;
        private bool ended;

        public FifoReadStream(string path, Task writer)
        {
            this.path = path;
            this.writer = writer;
        }

        /// <summary>
        /// Creates a FIFO at <paramref name="path"/> (mode 600) with mkfifo; false where that is not possible
        /// (not Linux, not .NET, mkfifo missing or failing): the caller then uses a file.
        /// </summary>
        public static bool TryCreate(string path)
        {
#if NETCOREAPP
            if (!OperatingSystem.IsLinux())
            {
                return false;
            }

            try
            {
                using Process? mkfifo = Process.Start(new ProcessStartInfo("mkfifo", new[] { "-m", "600", "--", path }) { UseShellExecute = false, RedirectStandardError = true });
                if (mkfifo == null)
                {
                    return false;
                }

                mkfifo.StandardError.ReadToEnd();
                return mkfifo.WaitForExit(10_000) && mkfifo.ExitCode == 0;
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception || ex is IOException || ex is InvalidOperationException)
            {
                return false;
            }
#else
            return false;
#endif
        }

        /// <summary>
        /// Opens the pipe for reading and writing and closes it again: on Linux that never waits, and it ends an
        /// opening of this stream that waits for a writer (it then reads the end of the pipe at once).
        /// </summary>
        public static void Release(string path)
        {
            using (new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1))
            {
            }
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (!ended)
            {
                if (current == null)
                {
                    // Whether the writer had ended is read before opening: then this opening is the last one
                    // (it returns once the pipe is released), and everything written before was already read.
                    lastOpening = writer.IsCompleted;
                    current = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
                }

                int n = current.Read(buffer, offset, count);
                if (n > 0)
                {
                    Count += n;
                    return n;
                }

                // Every writer has closed the pipe: another opening follows unless the writer had ended.
                current.Dispose();
                current = null;
                ended = lastOpening;
            }

            return 0;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                current?.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
