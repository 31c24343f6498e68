# Get-IrisProductionItem on the irisops-standin image (NOT InterSystems IRIS). The stand-in evaluates exactly the
# read-only list script (tests/fixtures/iris-standin/README.md, "Production items"): it prints the items of
# standin/productions.state the way the script prints items on an instance, so these tests prove how IrisOps asks
# and reads, not what IRIS stores.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Get-IrisProductionItem.Tests.ps1 (production items on the stand-in)'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'ProductionItemHelpers.ps1')
    Import-Module $ModuleManifest -Force
}

Describe 'Get-IrisProductionItem on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        $standIn = Start-ItemsStandIn
        $script:RunId = $standIn.RunId
        $script:Name = $standIn.Name
        $script:Record = $standIn.Record
        $script:Folder = $standIn.Folder
        Set-ProductionState @(
            'APP|APP.Production|To PACS|ClassName|EnsLib.DICOM.Operation.TCP'
            'APP|APP.Production|To PACS|PoolSize|1'
            'APP|APP.Production|To PACS|Enabled|1'
            "APP|APP.Production|To PACS|Comment|caf$([char]0xe9) ""PACS"""
            'APP|APP.Production|To PACS|Adapter.IPAddress|10.1.2.3'
            'APP|APP.Production|To PACS|Host.ReplyCodeActions|E=R'
            'APP|APP.Production|Lab In|ClassName|EnsLib.File.PassthroughService'
            'APP|APP.Production|Lab In|PoolSize|2'
            'APP|APP.Other|Lab In|ClassName|EnsLib.File.PassthroughService'
            'APPIMG|IMG.Production|Elsewhere|ClassName|EnsLib.File.PassthroughService'
        )
    }

    AfterAll {
        if ($script:RunId) { Remove-TestResources -RunId $RunId }
        if ($script:Folder) { Remove-DurableFolder -Path $Folder }
    }

    BeforeEach {
        Reset-Session
    }

    It 'lists every item of the namespace with its properties and settings, in one read-only session' {
        $items = @(Get-IrisProductionItem -Container $Name -Namespace APP)
        $items.Count | Should -Be 3
        $pacs = $items | Where-Object Name -eq 'To PACS'
        $pacs.ProductionName | Should -Be 'APP.Production'
        $pacs.ClassName | Should -Be 'EnsLib.DICOM.Operation.TCP'
        $pacs.PoolSize | Should -Be 1
        $pacs.Enabled | Should -BeTrue
        $pacs.Foreground | Should -BeFalse
        $pacs.Comment | Should -BeExactly "caf$([char]0xe9) ""PACS"""
        $pacs.Setting['Adapter.IPAddress'] | Should -Be '10.1.2.3'
        $pacs.Setting['Host.ReplyCodeActions'] | Should -Be 'E=R'
        $pacs.Target | Should -Be $Name
        $sessions = @(Get-Sessions)
        $sessions.Count | Should -Be 1
        $code = $sessions[0].Script -replace '"([^"]|"")*"', '""'
        foreach ($writer in '%Save', '%Delete', 'tstart', '.Insert(', 'UpdateProduction') { $code | Should -Not -Match ([regex]::Escape($writer)) }
    }

    It 'filters by production, name and class with wildcards' {
        @(Get-IrisProductionItem -Container $Name -Namespace APP -ProductionName 'APP.Prod*').Count | Should -Be 2
        @(Get-IrisProductionItem -Container $Name -Namespace APP -Name 'lab*').Count | Should -Be 2
        (Get-IrisProductionItem -Container $Name -Namespace APP -ClassName '*DICOM*').Name | Should -Be 'To PACS'
        @(Get-IrisProductionItem -Container $Name -Namespace APP -Name 'nothing*').Count | Should -Be 0
    }

    It 'its objects bind by property name to Set- and Remove-IrisProductionItem' {
        $script = Get-IrisProductionItem -Container $Name -Namespace APP -Name 'To PACS' | Set-IrisProductionItem -AsScript
        $script | Should -Match ([regex]::Escape('set c="EnsLib.DICOM.Operation.TCP"'))
        $script | Should -Match ([regex]::Escape('set sv(1)="10.1.2.3"'))
        $script | Should -Match ([regex]::Escape('set w("PoolSize")="1"'))
    }

    It 'a namespace without interoperability and a missing namespace are clear errors' {
        Get-IrisProductionItem -Container $Name -Namespace USER -ErrorVariable e1 -ErrorAction SilentlyContinue
        $e1[0].FullyQualifiedErrorId | Should -BeLike 'NamespaceNotInteroperability*'
        Get-IrisProductionItem -Container $Name -Namespace NOSUCHNS -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e2[0].FullyQualifiedErrorId | Should -BeLike 'NamespaceNotFound*'
    }
}
