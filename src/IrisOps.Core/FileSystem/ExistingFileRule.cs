using System.IO;
using IrisOps.Core.Errors;

namespace IrisOps.Core.FileSystem
{
    /// <summary>
    /// The one overwrite rule of every cmdlet that writes files: an existing file is refused unless the user
    /// gave -Force, checked before -WhatIf or any work so a refusal changes nothing.
    /// </summary>
    public static class ExistingFileRule
    {
        public const string ErrorId = "FileExists";

        /// <param name="path">The full path of the file to write.</param>
        /// <param name="force">True when the user gave -Force.</param>
        /// <param name="parameterName">The parameter that named the file, for the message.</param>
        public static void Check(string path, bool force, string parameterName)
        {
            if (!force && File.Exists(path))
            {
                throw new IrisOpsException(IrisErrorKind.ResourceExists, ErrorId,
                    $"'{path}' exists; nothing was written. Add -Force to replace it, or choose another -{parameterName}.", path);
            }
        }
    }
}
