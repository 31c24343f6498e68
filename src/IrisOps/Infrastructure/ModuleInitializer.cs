using System.Management.Automation;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// Runs when PowerShell imports IrisOps.dll. On Windows PowerShell 5.1 it installs the resolver that loads
    /// IrisOps.Core and the dependencies from the module's private 'lib' folder for the module's own assemblies;
    /// IrisOps.psm1 calls OnImport itself before Import-Module, so the resolver is there before PowerShell reflects
    /// over the cmdlet types (registering twice installs it once). On PowerShell 7 nothing is
    /// needed here: IrisOps.LoadContext already loaded this assembly into the module's own load context,
    /// which finds the dependencies itself. On both, the output types get their names in scripts (<see cref="OutputTypeNames"/>).
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        /// <summary>Called by IrisOps.psm1 at every import (a re-import does not always run <see cref="OnImport"/>).</summary>
        public static void RegisterOutputTypeNames() => OutputTypeNames.Register();

        /// <summary>Called by IrisOps.psm1 when the module is removed.</summary>
        public static void UnregisterOutputTypeNames() => OutputTypeNames.Unregister();

        public void OnImport()
        {
#if NETFRAMEWORK
            PrivateFolderResolver.Register();
#endif
            OutputTypeNames.Register();
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            OutputTypeNames.Unregister();
#if NETFRAMEWORK
            PrivateFolderResolver.Unregister();
#endif
        }
    }
}
