using System;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace IrisOps.LoadContext
{
    /// <summary>
    /// The module's private AssemblyLoadContext. IrisOps.dll, IrisOps.Core.dll and their dependencies
    /// (BouncyCastle, YamlDotNet, Docker.DotNet...) load from the private 'lib' folder into this context, so a
    /// different version of the same assembly loaded by another module never clashes with ours.
    /// System.Management.Automation and the framework still come from the default context (Load returns null),
    /// which keeps PowerShell's own types shared.
    /// </summary>
    public sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private static readonly object Sync = new object();
        private static ModuleLoadContext? instance;

        private readonly string privateFolder;

        private ModuleLoadContext(string privateFolder)
            : base("IrisOps", isCollectible: false)
        {
            this.privateFolder = privateFolder;
        }

        /// <summary>The folder the private assemblies are loaded from.</summary>
        public string PrivateFolder => privateFolder;

        /// <summary>
        /// Creates the context once per process and returns IrisOps.dll loaded inside it; a second import of
        /// the module (Import-Module -Force) gets the same assembly back, because a context cannot be unloaded.
        /// </summary>
        public static Assembly Initialize()
        {
            lock (Sync)
            {
                if (instance == null)
                {
                    string here = Path.GetDirectoryName(typeof(ModuleLoadContext).Assembly.Location)
                        ?? throw new InvalidOperationException("Cannot locate the IrisOps module folder.");
                    instance = new ModuleLoadContext(Path.Combine(here, "lib"));
                }

                return instance.LoadFromAssemblyName(new AssemblyName("IrisOps"));
            }
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (string.IsNullOrEmpty(assemblyName.Name))
            {
                return null;
            }

            string candidate = Path.Combine(privateFolder, assemblyName.Name + ".dll");
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
