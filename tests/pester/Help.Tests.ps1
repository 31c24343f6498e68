# Every exported cmdlet has real help: a synopsis, a description, every parameter described, two examples.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $module = Import-Module $ModuleManifest -Force -PassThru
    $script:CmdletNames = @($module.ExportedCmdlets.Keys | Sort-Object | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Help for <Name>' -ForEach $CmdletNames {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
    }

    It 'has a written synopsis, not the generated one' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($Name))\s"
    }

    It 'has a description' {
        ($Help.Description | Out-String).Trim().Length | Should -BeGreaterThan 100
    }

    It 'has at least two examples with code and remarks' {
        @($Help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $Help.Examples.Example) {
            $example.Code | Should -Match $Name
            ($example.Remarks | Out-String).Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'describes every parameter' {
        foreach ($parameter in $Command.Parameters.Keys | Where-Object { $_ -notin $Common }) {
            $entry = $Help.Parameters.Parameter | Where-Object Name -eq $parameter
            $entry | Should -Not -BeNullOrEmpty -Because "-$parameter should be in the help"
            ($entry.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter needs a description"
        }
    }
}

Describe 'Help metadata of <Name> matches the cmdlet' -ForEach $CmdletNames {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
    }

    It 'shows -WhatIf and -Confirm in every syntax line when the cmdlet supports them' {
        if (-not $Command.Parameters.ContainsKey('WhatIf')) { return }
        foreach ($line in @($Help.Syntax.SyntaxItem)) {
            @($line.Parameter.Name) | Should -Contain 'WhatIf'
            @($line.Parameter.Name) | Should -Contain 'Confirm'
        }
        (Get-Help $Name).Syntax | Out-String -Width 500 | Should -Match '\[-WhatIf\]'
    }

    It 'says "Accept wildcard characters" exactly for the parameters that take wildcards' {
        foreach ($parameter in $Command.Parameters.Values | Where-Object { $_.Name -notin $Common }) {
            $wildcards = [bool] ($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            $entry = $Help.Parameters.Parameter | Where-Object Name -eq $parameter.Name
            $entry.Globbing | Should -Be $wildcards.ToString().ToLowerInvariant() -Because "-$($parameter.Name) of $Name"
        }
    }

    It 'gives a default value for every parameter that has one' {
        $instance = [Activator]::CreateInstance($Command.ImplementingType)
        foreach ($parameter in $Command.Parameters.Values | Where-Object { $_.Name -notin $Common }) {
            $property = $Command.ImplementingType.GetProperty($parameter.Name)
            $value = $property.GetValue($instance)
            $simple = $null -ne $value -and ($value -is [string] -or $value.GetType().IsPrimitive) -and -not ($value -is [bool])
            if (-not $simple -or $value -eq '' -or $value -eq 0) { continue }
            $entry = $Help.Parameters.Parameter | Where-Object Name -eq $parameter.Name
            $entry.DefaultValue | Should -Match ([regex]::Escape([string] $value)) -Because "-$($parameter.Name) of $Name defaults to $value"
        }
    }
}

Describe 'about_IrisOps' {
    It 'exists and explains the module' {
        $about = Get-Help about_IrisOps | Out-String
        $about | Should -Match 'about_IrisOps'
        $about | Should -Match 'New-IrisCertificateSet'
    }
}
