@{
    RootModule           = 'IrisOps.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = 'dc61ce7e-ea48-4db8-ba5b-c52d918a1b04'
    Author               = 'IrisOps developers'
    CompanyName          = 'IrisOps'
    Copyright            = '(c) 2026 IrisOps developers.'
    Description          = 'Runs InterSystems IRIS in containers from PowerShell: ECP TLS certificate sets, CPF merge files, ECP clusters on Docker, image upgrades with backup and rollback, and interoperability default settings.'
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('IrisOps.Format.ps1xml')
    CmdletsToExport      = @(
        'New-IrisCertificateSet'
        'Get-IrisCertificateSet'
        'Import-IrisCpf'
        'Export-IrisMergeCpf'
        'New-IrisEcpCluster'
        'Get-IrisEcpCluster'
        'Test-IrisEcpCluster'
        'Remove-IrisEcpCluster'
        'Set-IrisDefaultSetting'
        'Get-IrisDefaultSetting'
        'Remove-IrisDefaultSetting'
        'Set-IrisProductionItem'
        'Get-IrisProductionItem'
        'Remove-IrisProductionItem'
        'Update-IrisApplicationImage'
        'New-IrisSandbox'
        'Get-IrisSandbox'
        'Set-IrisSandbox'
        'Reset-IrisSandbox'
        'Stop-IrisSandbox'
        'Start-IrisSandbox'
        'Remove-IrisSandbox'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('IRIS', 'InterSystems', 'Docker', 'ECP', 'TLS', 'Certificates', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux')
            ReleaseNotes = @'
0.1.0: New-IrisCertificateSet and Get-IrisCertificateSet (CA and ECP node certificates, PEM and PFX; a set read back from disk); Import-IrisCpf and Export-IrisMergeCpf (a CPF and merge-file model, and the code/data/config layout for durable %SYS; every bad line of a file named in one error); New-, Get-, Test- and Remove-IrisEcpCluster (a data server and N application servers with ECP over TLS as the InterSystems Scalability Guide documents it, on a Docker engine, on Docker Swarm, or written as a compose project, a Swarm stack or an IrisCluster for the InterSystems Kubernetes Operator, with an end-to-end ECP test); Update-IrisApplicationImage (a verified cold backup of every mount the instance uses, the documented clean-shutdown rule, the host name kept, health gate, automatic rollback, -Resume and -RollBack for an interrupted run; not for Swarm clusters yet); Set-, Get- and Remove-IrisDefaultSetting (interoperability default settings); Set-, Get- and Remove-IrisProductionItem (configuration items of productions); New-, Get-, Set-, Reset-, Stop-, Start- and Remove-IrisSandbox (per-user IRIS containers under lifetime rules from templates, with a reaper example). One shape per parameter across the module (names with wildcards and target objects by pipeline); works for a user in the docker group who is not root; tab completion of clusters, containers, images and namespaces; output types nameable in scripts; one overwrite rule (-Force) for every file a cmdlet writes; Docker API calls on the debug stream.
'@
        }
    }
}
