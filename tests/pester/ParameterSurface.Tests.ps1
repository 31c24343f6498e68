# The parameter surface of every cmdlet (dbatools style): a change to a parameter's name, type, position,
# mandatory flag, pipeline binding or wildcard support fails here until ParameterSurface.txt is updated on
# purpose; and the module-wide shape rules hold for every cmdlet they concern.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $module = Import-Module $ModuleManifest -Force -PassThru
    $script:CmdletNames = @($module.ExportedCmdlets.Keys | Sort-Object)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'ParameterSurface.ps1')
    Import-Module $ModuleManifest -Force
    $script:Expected = Get-Content -LiteralPath (Join-Path $PSScriptRoot 'ParameterSurface.txt')
    $script:Actual = @(Get-ParameterSurface)
    function script:Section([string[]] $Lines, [string] $Command) {
        $start = [array]::IndexOf($Lines, "## $Command")
        if ($start -lt 0) { return $null }
        $end = $start + 1
        while ($end -lt $Lines.Count -and -not $Lines[$end].StartsWith('## ')) { $end++ }
        $Lines[($start + 1)..($end - 1)] | Where-Object { $_ }
    }
    $script:Commands = @(Get-Command -Module IrisOps -CommandType Cmdlet | Sort-Object Name)
}

Describe 'Parameter surface' {
    It '<_> has exactly the agreed parameters' -ForEach $CmdletNames {
        $expected = @(Section $Expected $_)
        $expected.Count | Should -BeGreaterThan 0 -Because "$_ must be listed in tests/pester/ParameterSurface.txt"
        $diff = Compare-Object -ReferenceObject $expected -DifferenceObject @(Section $Actual $_) | ForEach-Object { "$($_.SideIndicator) $($_.InputObject)" }
        $diff | Should -BeNullOrEmpty -Because '<= is the agreed surface, => what the cmdlet has now'
    }

    It 'lists no cmdlet the module does not have' {
        $listed = @($Expected | Where-Object { $_.StartsWith('## ') } | ForEach-Object { $_.Substring(3) })
        $listed | Should -Be @($Commands.Name)
    }
}

Describe 'Shapes shared across the module' {
    It '-Name of <_> takes several names, wildcards, and pipeline input by value and by property name' -ForEach @('Get-IrisEcpCluster', 'Test-IrisEcpCluster', 'Remove-IrisEcpCluster') {
        $name = (Get-Command $_).Parameters['Name']
        $name.ParameterType | Should -Be ([string[]])
        @($name.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count | Should -Be 1
        $attribute = @($name.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })[0]
        $attribute.Position | Should -Be 0
        $attribute.ValueFromPipeline | Should -BeTrue
        $attribute.ValueFromPipelineByPropertyName | Should -BeTrue
    }

    It '<_> takes -Container first and target objects by -InputObject' -ForEach @('Get-IrisDefaultSetting', 'Set-IrisDefaultSetting', 'Remove-IrisDefaultSetting', 'Get-IrisProductionItem', 'Set-IrisProductionItem', 'Remove-IrisProductionItem') {
        $command = Get-Command $_
        $container = $command.Parameters['Container']
        $container.ParameterType | Should -Be ([string[]])
        $container.ParameterSets['Name'].Position | Should -Be 0
        $command.Parameters['InputObject'].ParameterType.Name | Should -Be 'IrisTarget[]'
        $command.Parameters['Namespace'].ParameterType | Should -Be ([string])
        $command.Parameters['DockerHost'].ParameterType | Should -Be ([string])
    }

    It '<_> writes files only with a -Force to replace existing ones' -ForEach @('New-IrisCertificateSet', 'Export-IrisMergeCpf', 'New-IrisEcpCluster', 'Set-IrisDefaultSetting') {
        (Get-Command $_).Parameters['Force'].ParameterType | Should -Be ([switch])
    }

    It 'every cmdlet that talks to Docker has -DockerHost as a string' {
        foreach ($command in $Commands | Where-Object { $_.Parameters.ContainsKey('DockerHost') }) {
            $command.Parameters['DockerHost'].ParameterType | Should -Be ([string]) -Because $command.Name
        }
    }

    It 'Get-IrisCertificateSet reads paths as Import-IrisCpf does: -Path with wildcards, -LiteralPath with PSPath' {
        $paths = { param($command) @(Section $Actual $command | Where-Object { $_ -match '^\s+(Path|LiteralPath):' }) }
        (& $paths 'Get-IrisCertificateSet') | Should -Be (& $paths 'Import-IrisCpf')
        (Get-Command Get-IrisCertificateSet).Parameters['LiteralPath'].Aliases | Should -Contain 'PSPath'
    }
}
