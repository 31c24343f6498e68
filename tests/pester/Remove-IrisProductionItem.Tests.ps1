# Remove-IrisProductionItem on the irisops-standin image (NOT InterSystems IRIS): its `iris session` records the
# ObjectScript it receives and prints a reply the test writes beforehand.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Remove-IrisProductionItem.Tests.ps1 (production items on the stand-in)'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'ProductionItemHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Remove-IrisProductionItem' {
    It 'asks for confirmation by default (ConfirmImpact High)' {
        (Get-Command Remove-IrisProductionItem).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0].ConfirmImpact | Should -Be 'High'
    }

    It 'refuses a row without a Name before anything is sent' {
        $err = { @{ ProductionName = 'APP.Production' } | Remove-IrisProductionItem -Container nowhere -Confirm:$false -ErrorAction SilentlyContinue } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'ProductionItemInputNotBound*'
    }
}

Describe 'Remove-IrisProductionItem on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        $standIn = Start-ItemsStandIn
        $script:RunId = $standIn.RunId
        $script:Name = $standIn.Name
        $script:Record = $standIn.Record
        $script:Folder = $standIn.Folder
    }

    AfterAll {
        if ($script:RunId) { Remove-TestResources -RunId $RunId }
        if ($script:Folder) { Remove-DurableFolder -Path $Folder }
    }

    BeforeEach {
        Reset-Session
    }

    It 'removes the rows in one session and reports the item as it was' {
        Set-Reply @('IRISOPS|BEGIN|1|APP', (ItemReply 1 'Removed' $true @{ ClassName = 'A.B'; 'Adapter.Port' = '104' }), (ItemReply 2 'NotFound' $false), 'IRISOPS|END|COMMITTED|2|')
        $out = @(@{ ProductionName = 'APP.Production'; Name = 'Old' }, @{ ProductionName = 'APP.Production'; Name = 'Never' } | Remove-IrisProductionItem -Container $Name -Namespace APP -Confirm:$false)
        $out.Action | Should -Be @('Removed', 'NotFound')
        $out[0].Previous['Adapter.Port'] | Should -Be '104'
        $out[0].ClassName | Should -Be 'A.B'
        $sessions = @(Get-Sessions)
        $sessions.Count | Should -Be 1
        $sessions[0].Script | Should -Match 'Items\.RemoveAt\(ik\)'
    }

    It '-WhatIf reads only and reports WouldRemove' {
        Set-Reply @('IRISOPS|BEGIN|1|APP', (ItemReply 1 'Removed' $true @{ ClassName = 'A.B' }), 'IRISOPS|END|PREVIEW|1|')
        $out = Remove-IrisProductionItem -Container $Name -Namespace APP -ProductionName APP.Production -Name Old -WhatIf
        $out.Action | Should -Be 'WouldRemove'
        $code = (Get-Sessions)[0].Script -replace '"([^"]|"")*"', '""'
        foreach ($writer in '%Save', '%Delete', 'tstart', '.RemoveAt(') { $code | Should -Not -Match ([regex]::Escape($writer)) }
    }
}
