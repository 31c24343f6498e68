# examples/sandbox-reaper.ps1 against the irisops-standin image (tests/fixtures/iris-standin), a stand-in for the
# IRIS container contract, NOT InterSystems IRIS. The reaper runs as a child pwsh that inherits
# IRISOPS_TEST_CLOCK_UTC, so "expired" is decided against a fixed instant: nothing waits for time to pass.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Sandbox.Reaper.Tests.ps1 (examples/sandbox-reaper.ps1)'
}

Describe 'examples/sandbox-reaper.ps1 on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot '../../build/Pwsh.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage | Out-Null
        Import-Module $ModuleManifest -Force
        $script:RunId = New-TestRunId
        $script:Logs = Join-Path ([IO.Path]::GetTempPath()) "irisops-reaper-$RunId"
        $common = @{ Image = 'irisops-standin:v1'; Label = @{ 'irisops.test' = '1'; 'irisops.test.run' = $RunId }; HealthTimeout = 25 }
        $script:Stopped = New-IrisSandbox -Owner "$RunId-stop" @common -Template @{ Name = "$RunId-keep"; OnExpiry = 'Stop'; Lifetime = '01:00:00' }
        $script:Removed = New-IrisSandbox -Owner "$RunId-rem" @common -State Preserved -Template @{ Name = "$RunId-gone"; AllowRelaunch = $false; Lifetime = '01:00:00' }
        $script:Living = New-IrisSandbox -Owner "$RunId-live" @common -Lifetime 05:00:00
        $env:IRISOPS_TEST_CLOCK_UTC = $Stopped.Created.AddHours(2).ToString('o')

        $commandLine = @(Get-PwshCommandLine)
        function Invoke-Reaper([string[]] $Argument) {
            $reaper = Join-Path $PSScriptRoot '../../examples/sandbox-reaper.ps1'
            $arguments = @($commandLine | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $reaper, '-LogPath', $Logs, '-StopTimeout', '10', '-ModulePath', (Resolve-Path $ModuleManifest).Path) + $Argument
            $output = & $commandLine[0] @arguments 2>&1 | Out-String
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output }
        }
        function Get-Status([string] $Name) { (Invoke-DockerCli -ArgumentList 'inspect', '--format', '{{.State.Status}}', $Name).Output.Trim() }
        function Test-Exists([string] $Kind, [string] $Name) { (Invoke-DockerCli -ArgumentList $Kind, 'inspect', $Name).ExitCode -eq 0 }
    }

    AfterAll {
        Remove-Item Env:IRISOPS_TEST_CLOCK_UTC -ErrorAction SilentlyContinue
        if ($script:RunId) { Remove-TestResources -RunId $RunId }
        if ($script:Logs) { Remove-Item -LiteralPath $Logs -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'does nothing while another run holds the lock' {
        New-Item -ItemType Directory -Force -Path $Logs | Out-Null
        $lock = [IO.File]::Open((Join-Path $Logs 'sandbox-reaper.lock'), 'OpenOrCreate', 'ReadWrite', 'None')
        try { $run = Invoke-Reaper }
        finally { $lock.Dispose() }
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'did nothing'
        Get-Status $Stopped.Name | Should -Be 'running'
        Test-Exists container $Removed.Name | Should -BeTrue
        @(Get-ChildItem -LiteralPath $Logs -Filter 'sandbox-reaper-*.log') | Should -HaveCount 0
    }

    It 'acts only on the templates given' {
        $run = Invoke-Reaper -Argument '-Template', "$RunId-gone"
        $run.ExitCode | Should -Be 0 -Because $run.Output
        Test-Exists container $Removed.Name | Should -BeFalse
        Get-Status $Stopped.Name | Should -Be 'running'
    }

    It 'stops or removes each expired sandbox as its template says, keeps preserved data, leaves the living ones' {
        $run = Invoke-Reaper
        $run.ExitCode | Should -Be 0 -Because $run.Output
        Get-Status $Stopped.Name | Should -Be 'exited'
        Test-Exists volume $Removed.DataVolume | Should -BeTrue
        Get-Status $Living.Name | Should -Be 'running'
        $transcripts = @(Get-ChildItem -LiteralPath $Logs -Filter 'sandbox-reaper-*.log')
        $transcripts | Should -HaveCount 2
        Get-Content -Raw ($transcripts | Sort-Object Name | Select-Object -Last 1).FullName | Should -Match "$($Stopped.Name) \(owner $RunId-stop\): stopped"

        $again = Invoke-Reaper
        $again.ExitCode | Should -Be 0 -Because $again.Output
        $again.Output | Should -Match 'left as it is'
    }

    It 'exits 1 when the engine cannot be read' {
        $run = Invoke-Reaper -Argument '-DockerHost', 'unix:///nonexistent/irisops-reaper.sock'
        $run.ExitCode | Should -Be 1 -Because $run.Output
        $run.Output | Should -Match 'reaper failed'
    }
}
