# Targets in every shape users pass them: a cluster object that went through Export-Clixml/Import-Clixml (as
# runbooks hand objects between jobs) works with Test-, Update-, Remove-IrisEcpCluster and the default-settings
# cmdlets, through the one target type. Runs on the irisops-standin image (NOT InterSystems IRIS).
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Targets.Tests.ps1 (deserialized targets on the stand-in)'
}

Describe 'Deserialized cluster objects as targets' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1, v2 | Out-Null
        Import-Module $ModuleManifest -Force

        $script:Root = New-TestFolder
        $script:Name = "tg$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        $license = Join-Path $Root 'iris.key'
        Set-Content -LiteralPath $license -Value "[ConfigFile]`nFileType=License 2.0`n" -NoNewline
        New-IrisEcpCluster -Name $Name -Image 'irisops-standin:v1' -ApplicationServerCount 1 -LicenseKeyPath $license -ClusterPath (Join-Path $Root 'cluster') -HealthTimeout 60 -StopTimeout 10 | Out-Null
        $script:Saved = Join-Path $Root 'cluster.xml'
        Get-IrisEcpCluster -Name $Name | Export-Clixml -LiteralPath $Saved
    }

    AfterAll {
        if ($script:Name) { try { Remove-ClusterResources $Name } catch { Write-Warning $_ } }
        if ($script:Root) { Remove-DurableFolder -Path $Root }
    }

    It 'the saved object is no longer a live cluster object' {
        $restored = Import-Clixml -LiteralPath $Saved
        $restored.PSObject.TypeNames[0] | Should -Be 'Deserialized.IrisOps.Core.Ecp.IrisEcpCluster'
    }

    It 'Test-IrisEcpCluster takes it from the pipeline' {
        $checks = @(Import-Clixml -LiteralPath $Saved | Test-IrisEcpCluster -Quick)
        @($checks.Node | Select-Object -Unique) | Should -Be @("$Name-data", "$Name-app-1")
        @($checks | Where-Object { -not $_.Passed }) | Should -BeNullOrEmpty
    }

    It 'Set-IrisDefaultSetting sends to the data server in the cluster''s namespace' {
        $reply = "IRISOPS|BEGIN|1|USER`nIRISOPS|R|1|Added|0||$([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('v')))||0|`nIRISOPS|END|PREVIEW|1|`n"
        $written = Invoke-ContainerCommand -Name "$Name-data" -Command 'sh', '-c', 'cat > /irisops/durable/iconfig/standin/reply' -InputText $reply
        $written.ExitCode | Should -Be 0 -Because $written.Error
        $result = Set-IrisDefaultSetting -InputObject (Import-Clixml -LiteralPath $Saved) -SettingName 'S' -SettingValue 'v' -WhatIf
        $result.Target | Should -Match ([regex]::Escape("$Name-data"))
    }

    It 'Update-IrisApplicationImage keeps the cluster order (data server last) from the saved roles' {
        $results = @(Import-Clixml -LiteralPath $Saved | Update-IrisApplicationImage -Image 'irisops-standin:v2' -BackupPath (Join-Path $Root 'backups') -HealthTimeout 60 -StopTimeout 10 -Confirm:$false)
        @($results | ForEach-Object { "$($_.Node)=$($_.Status)/$($_.Role)" }) | Should -Be @("$Name-app-1=Upgraded/Application", "$Name-data=Upgraded/Data")
    }

    It 'Remove-IrisEcpCluster takes it from the pipeline' {
        Import-Clixml -LiteralPath $Saved | Remove-IrisEcpCluster -RemoveData -StopTimeout 10 -Confirm:$false
        $left = Get-ClusterResources $Name
        $left.Containers + $left.Networks + $left.Volumes | Should -BeNullOrEmpty
    }

    It 'something that is not a target is refused, naming what it takes' {
        $err = { [pscustomobject]@{ Foo = 1 } | Test-IrisEcpCluster -ErrorAction Stop } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match 'cluster or node object'
    }
}
