# The module's output types by name in scripts: type literals, -is, typed parameters, Get-Member without
# assembly-qualified names (on PowerShell 7 they live in the module's own load context).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Root = New-TestFolder
    $script:Set = New-IrisCertificateSet -Path (Join-Path $Root 'set') -DataServer data -ApplicationServer app-1
}

AfterAll {
    Remove-Item -LiteralPath $Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Output types by name' {
    It 'resolves every [OutputType] of every cmdlet by its full name' {
        foreach ($command in Get-Command -Module IrisOps) {
            foreach ($type in $command.OutputType | Where-Object { $_.Type -and $_.Type.Namespace -like 'IrisOps.*' }) {
                ($type.Type.FullName -as [type]) | Should -Be $type.Type -Because "[$($type.Type.FullName)] is an output type of $($command.Name)"
            }
        }
    }

    It 'works with -is and typed script parameters' {
        $setType = 'IrisOps.Core.Certificates.IrisCertificateSet' -as [type]
        $Set -is $setType | Should -BeTrue
        $typed = [scriptblock]::Create('param([IrisOps.Core.Certificates.IrisCertificateSet] $CertificateSet) $CertificateSet.Path')
        & $typed -CertificateSet $Set | Should -Be $Set.Path
        { & $typed -CertificateSet 'not a set' } | Should -Throw
    }

    It 'shows enum and class properties by name in Get-Member, not assembly-qualified' {
        foreach ($definition in ($Set.Certificates[0] | Get-Member -MemberType Property).Definition + ($Set | Get-Member -MemberType Property).Definition) {
            $definition | Should -Not -Match 'Version=|PublicKeyToken='
        }
        ($Set.Certificates[0] | Get-Member -Name Role).Definition | Should -Be 'IrisOps.Core.Certificates.CertificateRole Role {get;}'
    }

    It 'takes the names away with Remove-Module and brings them back with Import-Module' {
        $run = Invoke-ChildScript @"
Import-Module '$ModuleManifest'
`$before = [bool]('IrisOps.Core.Ecp.IrisEcpCluster' -as [type])
Remove-Module IrisOps
`$table = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')::Get
`$removed = -not `$table.ContainsKey('IrisOps.Core.Ecp.IrisEcpCluster')
Import-Module '$ModuleManifest'
"`$before `$removed `$(`$table.ContainsKey('IrisOps.Core.Ecp.IrisEcpCluster'))"
"@
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $run.Output.Trim() | Should -Be 'True True True'
    }
}
