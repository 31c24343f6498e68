# Loads the IrisOps build that matches the running PowerShell.
#   PowerShell 7.4+ : bin/net8.0. IrisOps.LoadContext.dll creates the module's own AssemblyLoadContext and
#                     loads IrisOps.dll with its dependencies (bin/net8.0/lib) into it, so another module's
#                     BouncyCastle, YamlDotNet or Docker.DotNet never clashes with ours.
#   Windows PowerShell 5.1 : bin/net472/IrisOps.dll, whose module initializer resolves the dependencies
#                     from bin/net472/lib (only for the module's own assemblies).
# Both editions: on Import-Module -Force PowerShell hands back its cached module for an assembly it has seen and
# does not attach the cmdlets to this module again (a known PowerShell behaviour), so they are attached here.
$ErrorActionPreference = 'Stop'

if ($PSEdition -eq 'Core') {
    if ($PSVersionTable.PSVersion -lt [version]'7.4') {
        throw "IrisOps needs PowerShell 7.4 or later, or Windows PowerShell 5.1; this is PowerShell $($PSVersionTable.PSVersion)."
    }

    $isReload = [bool]('IrisOps.LoadContext.ModuleLoadContext' -as [type])
    if (-not $isReload) {
        Add-Type -Path ([IO.Path]::Combine($PSScriptRoot, 'bin', 'net8.0', 'IrisOps.LoadContext.dll'))
    }

    $moduleAssembly = [IrisOps.LoadContext.ModuleLoadContext]::Initialize()
    $innerModule = Import-Module -Assembly $moduleAssembly -PassThru:$isReload
    $typeNameOwner = $moduleAssembly.GetType('IrisOps.Infrastructure.ModuleInitializer', $true)
}
else {
    # .NET Framework cannot unload an assembly: once IrisOps.dll is loaded in this session, a second import
    # (Import-Module -Force) imports that same assembly again instead of the file, and gets the cmdlets attached.
    $initializerType = 'IrisOps.Infrastructure.ModuleInitializer' -as [type]
    $isReload = [bool]$initializerType
    if (-not $isReload) {
        $initializerType = [Reflection.Assembly]::LoadFrom([IO.Path]::Combine($PSScriptRoot, 'bin', 'net472', 'IrisOps.dll')).GetType('IrisOps.Infrastructure.ModuleInitializer', $true)
    }
    # The resolver for bin/net472/lib goes in before Import-Module reflects over the cmdlet types, which name
    # IrisOps.Core types; PowerShell runs the module initializer again, which registers it only once.
    $initializerType::new().OnImport()
    $innerModule = Import-Module -Assembly $initializerType.Assembly -Force:$isReload -PassThru:$isReload
    $typeNameOwner = $initializerType
}

if ($innerModule) {
    $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod('AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
    foreach ($cmdlet in $innerModule.ExportedCmdlets.Values) {
        $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
    }
}

# Remove-Module IrisOps takes the output type names ([IrisOps.Core.Ecp.IrisEcpCluster] and the others) away with it.
$typeNameOwner::RegisterOutputTypeNames()
$ExecutionContext.SessionState.Module.OnRemove = { $typeNameOwner::UnregisterOutputTypeNames() }.GetNewClosure()
