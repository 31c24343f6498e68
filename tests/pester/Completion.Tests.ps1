# Tab completion as a user meets it (TabExpansion2) in a session with the module, against the real engine.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $script:DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Completion.Tests.ps1 (tab completion from the engine)'
}

Describe 'Tab completion from the engine' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1 | Out-Null
        Import-Module $ModuleManifest -Force
        $script:RunId = New-TestRunId
        $script:Container = Start-TestContainer -RunId $RunId -Image 'irisops-standin:v1' -Name "irisops-complete-$RunId"

        function Get-Completion([string] $Line) {
            @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText)
        }
    }

    AfterAll {
        Invoke-DockerCli -ArgumentList 'rm', '-f', $Container | Out-Null
    }

    It 'completes local images for -Image of New-IrisEcpCluster and Update-IrisApplicationImage' {
        Get-Completion 'New-IrisEcpCluster -Image irisops-standin:v' | Should -Contain 'irisops-standin:v1'
        Get-Completion 'Update-IrisApplicationImage -Name x -Image irisops-standin:v' | Should -Contain 'irisops-standin:v1'
    }

    It 'completes container names for Update-IrisApplicationImage -Name and -Container of the settings cmdlets' {
        Get-Completion "Update-IrisApplicationImage -Name irisops-complete-$RunId".Substring(0, 46) | Should -Contain $Container
        Get-Completion "Get-IrisDefaultSetting -Container irisops-complete-$RunId" | Should -Be @($Container)
    }

    It 'completes the namespaces of the container on the line for -Namespace of the settings and production item cmdlets' -ForEach @('Get-IrisDefaultSetting', 'Set-IrisDefaultSetting', 'Remove-IrisDefaultSetting', 'Get-IrisProductionItem', 'Set-IrisProductionItem', 'Remove-IrisProductionItem') {
        Get-Completion "$_ -Container $Container -Namespace " | Should -Be @('%SYS', 'USER') -Because "the image's iris.cpf lists these in [Namespaces]"
        Get-Completion "$_ -Container $Container -Namespace us" | Should -Be @('USER')
        Get-Completion "$_ -Namespace " | Should -BeNullOrEmpty -Because 'without a container the namespaces are not knowable'
        Get-Completion "$_ -Container irisops-no-such-container -Namespace " | Should -BeNullOrEmpty
    }

    It 'completes nothing, quickly, for an engine that is not there' {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Get-Completion 'Get-IrisEcpCluster -DockerHost tcp://127.0.0.1:9 -Name ' | Should -BeNullOrEmpty
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
    }
}
