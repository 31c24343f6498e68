using System;
using System.Collections;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using IrisOps.Core.Errors;
using IrisOps.Core.Sandboxes;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// -Template as users give it: a hashtable, or the path of a .psd1 file (read as data only, as
    /// Import-PowerShellDataFile reads it: no code runs) or of a .yml/.yaml file.
    /// </summary>
    internal static class SandboxTemplateArgument
    {
        public static SandboxTemplate FromHashtable(object value, string baseFolder) =>
            SandboxTemplate.FromDictionary((IDictionary)PowerShellValues.ToPlain(value)!, "-Template", "custom", baseFolder);

        public static SandboxTemplate FromFile(string path)
        {
            string extension = Path.GetExtension(path).ToLowerInvariant();
            if (extension == ".yml" || extension == ".yaml")
            {
                return SandboxTemplate.LoadYaml(path);
            }

            if (extension != ".psd1")
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "SandboxTemplateFileType",
                    $"-Template '{path}' is neither a .psd1 nor a .yml/.yaml file; give one of those, or a hashtable.", path);
            }

            if (!File.Exists(path))
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "SandboxTemplateNotFound", $"The template file '{path}' does not exist.", path);
            }

            ScriptBlockAst ast = Parser.ParseFile(path, out Token[] _, out ParseError[] errors);
            if (errors.Length > 0)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "InvalidSandboxTemplate",
                    $"Sandbox template {path}: line {errors[0].Extent.StartLineNumber}: {errors[0].Message}", path);
            }

            var table = ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false) as HashtableAst;
            object? value;
            try
            {
                value = table?.SafeGetValue();
            }
            catch (InvalidOperationException ex)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "InvalidSandboxTemplate",
                    $"Sandbox template {path}: it may hold only constant values (no variables, commands or expressions): {ex.Message}", path, ex);
            }

            if (!(value is IDictionary dictionary) || ast.EndBlock?.Statements.Count != 1)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "InvalidSandboxTemplate",
                    $"Sandbox template {path}: the file must hold one hashtable, @{{ Image = '...'; Lifetime = '08:00:00' }}.", path);
            }

            return SandboxTemplate.FromDictionary(dictionary, path, Path.GetFileNameWithoutExtension(path), Path.GetDirectoryName(path)!);
        }
    }
}
