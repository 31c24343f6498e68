# Remove-IrisDefaultSetting.
# The container tests run against the irisops-standin image (NOT InterSystems IRIS): its `iris session` records
# the ObjectScript it receives and prints a reply the test writes beforehand, so these tests prove what IrisOps
# sends and how it reads answers, not what IRIS does.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Remove-IrisDefaultSetting.Tests.ps1 (default settings on the stand-in)'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Csv = Join-Path $RepoRoot 'examples/default-settings.csv'
}

Describe 'Remove-IrisDefaultSetting on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        $standIn = Start-SettingsStandIn
        $script:RunId = $standIn.RunId
        $script:Name = $standIn.Name
        $script:Record = $standIn.Record
    }

    AfterAll {
        if ($script:RunId) { Remove-TestResources -RunId $RunId }
    }

    BeforeEach {
        Reset-Session
    }

    It 'Remove-IrisDefaultSetting removes in one session and reports Removed and NotFound' {
        Set-Reply @('IRISOPS|BEGIN|1|USER', (Row 1 'Removed' $true '104' '' 'pacs port' 1), (Row 2 'NotFound' $false '' ''), 'IRISOPS|END|COMMITTED|2|')
        $out = @(
            [pscustomobject]@{ ProductionName = 'APP.Production'; ItemName = 'To PACS'; SettingName = 'Port' }
            [pscustomobject]@{ SettingName = 'Gone' }
        ) | Remove-IrisDefaultSetting -Container $Name -Confirm:$false
        $out.Action | Should -Be @('Removed', 'NotFound')
        $out[0].Previous | Should -Be '104'
        $sessions = @(Get-Sessions)
        $sessions.Count | Should -Be 1
        $sessions[0].Script | Should -Match '%DeleteId\(id\)'
        (Get-Command Remove-IrisDefaultSetting).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
    }
}
