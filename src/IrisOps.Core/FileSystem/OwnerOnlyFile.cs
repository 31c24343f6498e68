using System;
using System.IO;
using System.Security.AccessControl;
using System.Security.Principal;

namespace IrisOps.Core.FileSystem
{
    /// <summary>
    /// Creates files that only the current user can read: mode 0600 on Unix, an ACL with a single
    /// full-control entry for the current user and no inherited entries on Windows. The permission is set
    /// when the file is created, so the content is never readable by others, not even for a moment.
    /// </summary>
    public static class OwnerOnlyFile
    {
        public static void CreateNew(string path, byte[] content, bool ownerOnly)
        {
            using (FileStream stream = Open(path, ownerOnly))
            {
                stream.Write(content, 0, content.Length);
                stream.Flush(flushToDisk: true);
            }
        }

        private static FileStream Open(string path, bool ownerOnly)
        {
#if NETFRAMEWORK
            // net472 is the Windows PowerShell 5.1 build, so this branch only ever runs on Windows.
            if (ownerOnly)
            {
                return new FileStream(path, FileMode.CreateNew, FileSystemRights.Write, FileShare.None, 4096, FileOptions.None, OwnerOnlySecurity());
            }

            return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
#else
            if (!ownerOnly)
            {
                return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            }

            if (OperatingSystem.IsWindows())
            {
                return new FileInfo(path).Create(FileMode.CreateNew, FileSystemRights.Write, FileShare.None, 4096, FileOptions.None, OwnerOnlySecurity());
            }

            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
#endif
        }

#if !NETFRAMEWORK
        [System.Runtime.Versioning.SupportedOSPlatform("windows")]
#endif
        private static FileSecurity OwnerOnlySecurity()
        {
            var security = new FileSecurity();
            using (WindowsIdentity identity = WindowsIdentity.GetCurrent())
            {
                SecurityIdentifier user = identity.User
                    ?? throw new InvalidOperationException("Cannot determine the current Windows user to restrict the key file to.");
                security.SetOwner(user);
                security.SetAccessRuleProtection(isProtected: true, preserveInheritance: false);
                security.AddAccessRule(new FileSystemAccessRule(user, FileSystemRights.FullControl, AccessControlType.Allow));
            }

            return security;
        }
    }
}
