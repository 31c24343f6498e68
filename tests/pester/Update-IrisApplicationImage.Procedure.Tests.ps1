# Update-IrisApplicationImage follows the documented procedure, against the irisops-standin image
# (tests/fixtures/iris-standin), a stand-in for the IRIS container contract, NOT InterSystems IRIS: the host name is
# kept, an unclean shutdown is refused with the manual's remedy, and an interrupted run is found, described,
# finished or undone. Without a Docker engine these tests are skipped with a visible notice;
# IRISOPS_REQUIRE_DOCKER=1 makes that a failure.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Update-IrisApplicationImage.Procedure.Tests.ps1 (Update-IrisApplicationImage)'
}

Describe 'Update-IrisApplicationImage follows the documented procedure (stand-in)' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        . (Join-Path $PSScriptRoot 'UpgradeHelpers.ps1')
        . (Join-Path $PSScriptRoot '../../build/Pwsh.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage | Out-Null
        $script:ModulePath = (Resolve-Path $ModuleManifest).Path
        Import-Module $ModulePath -Force
        $script:RunId = New-TestRunId
        $script:Folders = [Collections.Generic.List[string]]::new()
        $script:V1 = 'irisops-standin:v1'
        $script:V2 = 'irisops-standin:v2'
        $script:BackupRoot = Join-Path ([IO.Path]::GetTempPath()) ('irisops-procedure-backups-' + $RunId)
        $Folders.Add($BackupRoot)
        $script:Fast = @{ HealthTimeout = 25; StopTimeout = 15; BackupPath = $BackupRoot; Confirm = $false }
        function Start-Node([hashtable] $Environment = @{}) {
            $durable = New-DurableFolder -RunId $RunId
            $Folders.Add($durable)
            $name = Start-TestContainer -RunId $RunId -Image $V1 -Environment (@{ ISC_DATA_DIRECTORY = '/dur/iconfig' } + $Environment) -Volume @("${durable}:/dur")
            (Wait-ContainerHealth -Name $name -TimeoutSeconds 30).Health | Should -Be 'healthy'
            [pscustomobject]@{ Name = $name; Durable = $durable }
        }

        function Test-Container([string] $Name) { (Invoke-DockerCli -ArgumentList 'inspect', $Name).ExitCode -eq 0 }
    }

    AfterAll {
        if ($script:RunId) {
            Remove-TestResources -RunId $RunId
            Invoke-DockerCli -ArgumentList 'rmi', '-f', "irisops-test-slow-$($RunId):v2" | Out-Null
        }
        foreach ($folder in $script:Folders) { Remove-DurableFolder -Path $folder }
    }

    Context 'host name' {
        It 'keeps the host name Docker generated, so the new container becomes healthy' {
            # The stand-in stays unhealthy for 600 s after a host name change (IRIS warns about one), so an upgrade
            # that dropped the generated host name could not succeed.
            $node = Start-Node -Environment @{ IRISOPS_STANDIN_HOST_ALERT_SECONDS = '600' }
            $before = Get-Inspect $node.Name
            $before.Config.Hostname | Should -Be $before.Id.Substring(0, 12) -Because 'no --hostname was given: Docker generated it'

            $result = Update-IrisApplicationImage -Name $node.Name -Image $V2 @Fast
            $result.Status | Should -Be 'Upgraded'
            $after = Get-Inspect $node.Name
            $after.Id | Should -Not -Be $before.Id
            $after.Config.Hostname | Should -Be $before.Config.Hostname
            $after.State.Health.Status | Should -Be 'healthy'
            Get-Content -Raw (Join-Path $node.Durable 'iconfig/standin/starts.log') | Should -Not -Match 'host-changed'
        }

        It 'the test image is strict about it: a container on the same data under another host name is unhealthy' {
            $node = Start-Node -Environment @{ IRISOPS_STANDIN_HOST_ALERT_SECONDS = '600' }
            Invoke-DockerChecked -ArgumentList 'stop', '-t', '15', $node.Name | Out-Null
            $other = Start-TestContainer -RunId $RunId -Image $V1 -Environment @{ ISC_DATA_DIRECTORY = '/dur/iconfig'; IRISOPS_STANDIN_HOST_ALERT_SECONDS = '600' } -Volume @("$($node.Durable):/dur") -ExtraOption '--hostname', 'another-host'
            (Wait-ContainerHealth -Name $other -TimeoutSeconds 30 -Until 'healthy', 'unhealthy').Health | Should -Be 'unhealthy'
            Get-Content -Raw (Join-Path $node.Durable 'iconfig/standin/starts.log') | Should -Match 'host-changed from=\w+ to=another-host'
        }
    }

    Context 'clean shutdown' {
        It 'refuses after an unclean stop with the manual''s remedy and leaves the old container stopped' {
            # The stand-in takes 6 s to shut down; with a 1 s stop timeout the engine kills it and mgr/iris.ids stays.
            $node = Start-Node -Environment @{ IRISOPS_STANDIN_STOP_DELAY = '6' }
            $id = (Get-Inspect $node.Name).Id

            $result = Update-IrisApplicationImage -Name $node.Name -Image $V2 -StopTimeout 1 -HealthTimeout 10 -BackupPath $BackupRoot -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'Failed'
            $failures[0].FullyQualifiedErrorId | Should -Match '^UncleanShutdown'
            $message = $failures[0].Exception.Message -replace '\s+', ' '
            $message | Should -Match "instance-running marker '/dur/iconfig/mgr/iris\.ids' \(exit code 137\)"
            $message | Should -Match 'adding the iris-main option --up false'
            $message | Should -Match 'run iris stop IRIS'
            $message | Should -Match 'the old container stays stopped'
            $after = Get-Inspect $node.Name
            $after.Id | Should -Be $id
            $after.State.Status | Should -Be 'exited' -Because 'starting it would run automatic recovery, which the manual warns against'
            Join-Path $node.Durable 'iconfig/mgr/iris.ids' | Should -Exist
            @(Get-ChildItem -LiteralPath (Join-Path $BackupRoot $node.Name) -Recurse -Filter durable.tar -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty

            # The preflight of a second run refuses it the same way, before anything changes.
            $again = Update-IrisApplicationImage -Name $node.Name -Image $V2 @Fast -ErrorVariable refused -ErrorAction SilentlyContinue
            $again.Status | Should -Be 'Failed'
            $refused[0].FullyQualifiedErrorId | Should -Match '^UncleanPreviousShutdown'
            ($refused[0].Exception.Message -replace '\s+', ' ') | Should -Match '--up false'
            (Get-Inspect $node.Name).State.Status | Should -Be 'exited'

            # The remedy's first step works on this data: a duplicate container with --up false comes up without the instance.
            $duplicate = Start-TestContainer -RunId $RunId -Image $V1 -Environment @{ ISC_DATA_DIRECTORY = '/dur/iconfig' } -Volume @("$($node.Durable):/dur") -Argument '--up', 'false'
            Start-Sleep -Seconds 2
            (Get-ContainerState -Name $duplicate).Status | Should -Be 'running'
        }
    }

    Context 'code databases' {
        BeforeAll {
            # An application image whose LIBCODE database (writable, so durable %SYS copies it) is named by no
            # namespace: only a layout can say it holds code.
            $script:LibImages = @{}
            foreach ($version in 'v1', 'v2') {
                $context = Join-Path $BackupRoot "libimage-$version"
                New-Item -ItemType Directory -Force -Path $context | Out-Null
                Set-Content -LiteralPath (Join-Path $context 'Dockerfile') -Value @"
FROM irisops-standin:$version
USER 0
RUN mkdir -p /usr/irissys/mgr/libcode && echo lib-$version > /usr/irissys/mgr/libcode/IRIS.DAT && sed -i 's#^USER=/usr/irissys/mgr/user/#USER=/usr/irissys/mgr/user/\nLIBCODE=/usr/irissys/mgr/libcode/#' /usr/irissys/iris.cpf && chown -R 51773:51773 /usr/irissys/mgr/libcode
USER 51773:51773
LABEL irisops.test=1 irisops.test.run=$RunId
"@
                $LibImages[$version] = "irisops-test-libcode-$($RunId):$version"
                Invoke-DockerChecked -ArgumentList 'build', '-q', '-t', $LibImages[$version], $context -TimeoutSeconds 120 | Out-Null
            }
            $script:Layout = Join-Path $BackupRoot 'layout.yml'
            Set-Content -LiteralPath $Layout -Value "databases:`n  - name: LIBCODE`n    role: code`n    directory: /usr/irissys/mgr/libcode"
        }

        AfterAll {
            if ($script:LibImages) { foreach ($tag in $LibImages.Values) { Invoke-DockerCli -ArgumentList 'rmi', '-f', $tag | Out-Null } }
        }

        It 'a database only the layout marks as code is refused with -Strict -LayoutPath, and passes -Strict without it' {
            $durable = New-DurableFolder -RunId $RunId
            $Folders.Add($durable)
            $name = Start-TestContainer -RunId $RunId -Image $LibImages.v1 -Environment @{ ISC_DATA_DIRECTORY = '/dur/iconfig' } -Volume @("${durable}:/dur")
            (Wait-ContainerHealth -Name $name -TimeoutSeconds 30).Health | Should -Be 'healthy'
            $id = (Get-Inspect $name).Id

            $refused = Update-IrisApplicationImage -Name $name -Image $LibImages.v2 @Fast -Strict -LayoutPath $Layout -ErrorVariable failures -ErrorAction SilentlyContinue
            $refused.Status | Should -Be 'Failed'
            $failures[0].FullyQualifiedErrorId | Should -Match '^CodeDatabaseTrap'
            $failures[0].Exception.Message | Should -Match 'LIBCODE \(marked as code in the layout\)'
            (Get-Inspect $name).Id | Should -Be $id

            $result = Update-IrisApplicationImage -Name $name -Image $LibImages.v2 @Fast -Strict
            $result.Status | Should -Be 'Upgraded' -Because 'without the layout LIBCODE is no namespace''s routines database'
        }
    }

    Context 'interrupted run' {
        BeforeAll {
            # A v2 whose instance takes 20 s to come up (within a longer health start period), so the upgrade sits in
            # "wait until healthy" long enough to kill the process running it there.
            $context = Join-Path $BackupRoot 'slow-image'
            New-Item -ItemType Directory -Force -Path $context | Out-Null
            Set-Content -LiteralPath (Join-Path $context 'Dockerfile') -Value @"
FROM $V2
ENV IRISOPS_STANDIN_START_DELAY=20
HEALTHCHECK --interval=1s --timeout=5s --start-period=90s --retries=3 CMD ["/irisHealth.sh"]
LABEL irisops.test=1 irisops.test.run=$RunId
"@
            $script:Slow = "irisops-test-slow-$($RunId):v2"
            Invoke-DockerChecked -ArgumentList 'build', '-q', '-t', $Slow, $context -TimeoutSeconds 120 | Out-Null

            # Runs the upgrade in a child pwsh and, once the new container runs, interrupts it: by default it kills the
            # process (by its process id); -Interrupt can stop the Docker engine instead.
            function Stop-UpgradeMidway([string] $Name, [scriptblock] $Interrupt) {
                $commandLine = @(Get-PwshCommandLine)
                $command = "Import-Module '$ModulePath'; Update-IrisApplicationImage -Name '$Name' -Image '$Slow' -BackupPath '$BackupRoot' -HealthTimeout 120 -StopTimeout 15 -Confirm:`$false"
                $process = Start-Process -FilePath $commandLine[0] -ArgumentList (@($commandLine | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $command)) -PassThru
                try {
                    $deadline = [DateTime]::UtcNow.AddSeconds(90)
                    do {
                        Start-Sleep -Milliseconds 250
                        $midway = (Test-Container "$Name-irisops-previous") -and (Test-Container $Name) -and (Get-Inspect $Name).Config.Image -eq $Slow -and (Get-Inspect $Name).State.Running
                    } while (-not $midway -and -not $process.HasExited -and [DateTime]::UtcNow -lt $deadline)
                    $midway | Should -BeTrue -Because 'the upgrade must reach "wait until the new container is healthy"'
                    if ($Interrupt) { & $Interrupt $process }
                }
                finally {
                    if (-not $process.HasExited) { Stop-Process -Id $process.Id -Force }
                    $process.WaitForExit(10000) | Out-Null
                }
            }

            # The engine of this machine, when this test may stop and start it: root, the local socket, the pid file
            # of a dockerd that build/start-docker.sh can start again.
            $script:EngineRestartBlocker = if ((& id -u) -ne '0') { 'not root' }
            elseif ($env:DOCKER_HOST -and $env:DOCKER_HOST -ne 'unix:///var/run/docker.sock') { "DOCKER_HOST is $env:DOCKER_HOST" }
            elseif (-not (Test-Path '/var/run/docker.pid')) { 'no /var/run/docker.pid' }
            elseif (-not (Get-Command dockerd -ErrorAction SilentlyContinue)) { 'no dockerd' }

            function Test-EngineAnswers { (Invoke-DockerCli -ArgumentList 'version', '--format', '{{.Server.Version}}' -TimeoutSeconds 10).ExitCode -eq 0 }

            function Stop-DockerEngine {
                $dockerd = [int](Get-Content -Raw '/var/run/docker.pid').Trim()
                & kill -TERM $dockerd
                $deadline = [DateTime]::UtcNow.AddSeconds(90)
                while ((Test-Path "/proc/$dockerd") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 250 }
                Test-Path "/proc/$dockerd" | Should -BeFalse -Because 'dockerd stops within 90 s'
            }

            function Start-DockerEngine {
                if (-not (Test-EngineAnswers)) {
                    $started = Invoke-Bounded -FilePath 'bash' -ArgumentList (Join-Path $RepoRoot 'build/start-docker.sh') -TimeoutSeconds 120
                    $started.ExitCode | Should -Be 0 -Because "$($started.Output) $($started.Error)"
                }
            }
        }

        It 'after the process died, says what state the node is in and rolls it back with -RollBack' {
            $node = Start-Node
            $id = (Get-Inspect $node.Name).Id
            $before = Get-FolderHashes $node.Durable
            Stop-UpgradeMidway $node.Name

            $refused = Update-IrisApplicationImage -Name $node.Name -Image $Slow @Fast -ErrorVariable failures -ErrorAction SilentlyContinue
            $refused.Status | Should -Be 'Failed'
            $failures[0].FullyQualifiedErrorId | Should -Match '^InterruptedUpgrade'
            $state = $failures[0].Exception.Message -replace '\s+', ' '
            $state | Should -Match "last step: 'wait until the new container is healthy \(begun, not finished\)'"
            $state | Should -Match "the old container is renamed '$($node.Name)-irisops-previous' \(exited\)"
            $state | Should -Match "the new container '$($node.Name)' exists on image '$([regex]::Escape($Slow))' \(running"
            $state | Should -Match 'verifies against its manifest'
            $state | Should -Match 'the new instance may have run on the durable data'
            $state | Should -Match '-Resume'
            $state | Should -Match '-RollBack'

            # -WhatIf tells what -RollBack would do and changes nothing.
            Update-IrisApplicationImage -Name $node.Name -Image $Slow @Fast -RollBack -WhatIf | Should -BeNullOrEmpty
            Test-Container "$($node.Name)-irisops-previous" | Should -BeTrue
            (Get-Inspect $node.Name).Config.Image | Should -Be $Slow

            $result = Update-IrisApplicationImage -Name $node.Name -Image $Slow @Fast -RollBack
            $result.Status | Should -Be 'RolledBack'
            $result.Message | Should -Match 'restored from the backup and verified identical'
            $after = Get-Inspect $node.Name
            $after.Id | Should -Be $id
            $after.Config.Image | Should -Be $V1
            (Wait-ContainerHealth -Name $node.Name -TimeoutSeconds 30).Health | Should -Be 'healthy'
            Test-Container "$($node.Name)-irisops-previous" | Should -BeFalse
            Test-Container "$($node.Name)-irisops-restore" | Should -BeFalse
            Assert-SameFiles -Before $before -After (Get-FolderHashes $node.Durable) -Except $RestartRecords
            Get-Content -Raw (Join-Path $node.Durable 'iconfig/standin/version') | Should -Match '^1\.0\.0'

            # The run is closed: the next upgrade is not refused as interrupted.
            Update-IrisApplicationImage -Name $node.Name -Image $V2 @Fast | Select-Object -ExpandProperty Status | Should -Be 'Upgraded'
        }

        It 'after the Docker engine restarted in the middle of an upgrade, says what state the node is in and rolls it back with -RollBack' {
            if ($EngineRestartBlocker) {
                Set-ItResult -Skipped -Because "this test stops and starts the machine's Docker engine, which it cannot do here: $EngineRestartBlocker"
                return
            }
            $node = Start-Node
            $id = (Get-Inspect $node.Name).Id
            $before = Get-FolderHashes $node.Durable
            try {
                # The engine goes away while the upgrade waits for the new container; the upgrade's own rollback
                # cannot reach it, and the process ends. Then the engine comes back (its containers stopped).
                Stop-UpgradeMidway $node.Name -Interrupt {
                    param($process)
                    Stop-DockerEngine
                    $process.WaitForExit(180000) | Should -BeTrue -Because 'the upgrade ends when the engine is gone'
                }
            }
            finally { Start-DockerEngine }

            $refused = Update-IrisApplicationImage -Name $node.Name -Image $Slow @Fast -ErrorVariable failures -ErrorAction SilentlyContinue
            $refused.Status | Should -Be 'Failed'
            $failures[0].FullyQualifiedErrorId | Should -Match '^InterruptedUpgrade'
            $state = $failures[0].Exception.Message -replace '\s+', ' '
            $state | Should -Match "the old container is renamed '$($node.Name)-irisops-previous' \(exited\)"
            $state | Should -Match 'verifies against its manifest'
            $state | Should -Match '-RollBack'

            $result = Update-IrisApplicationImage -Name $node.Name -Image $Slow @Fast -RollBack
            $result.Status | Should -Be 'RolledBack' -Because $result.Message
            $after = Get-Inspect $node.Name
            $after.Id | Should -Be $id
            $after.Config.Image | Should -Be $V1
            (Wait-ContainerHealth -Name $node.Name -TimeoutSeconds 30).Health | Should -Be 'healthy'
            Test-Container "$($node.Name)-irisops-previous" | Should -BeFalse
            Assert-SameFiles -Before $before -After (Get-FolderHashes $node.Durable) -Except $RestartRecords
        }

        It 'after the process died and the containers were stopped (as an engine restart stops them), finishes the upgrade with -Resume' {
            $node = Start-Node
            Stop-UpgradeMidway $node.Name
            # Stopped once its instance is up, so the stop is clean (the test image, like IRIS, refuses to start
            # again after an unclean one, and a stop during its slow start would be one).
            (Wait-ContainerHealth -Name $node.Name -TimeoutSeconds 60).Health | Should -Be 'healthy'
            Invoke-DockerChecked -ArgumentList 'stop', '-t', '15', $node.Name | Out-Null

            $result = Update-IrisApplicationImage -Name $node.Name -Image $Slow -BackupPath $BackupRoot -HealthTimeout 60 -Confirm:$false -Resume
            $result.Status | Should -Be 'Upgraded' -Because $result.Message
            (Get-Inspect $node.Name).Config.Image | Should -Be $Slow
            (Get-Inspect $node.Name).State.Health.Status | Should -Be 'healthy'
            Test-Container "$($node.Name)-irisops-previous" | Should -BeFalse
            Get-Content -Raw (Join-Path $node.Durable 'iconfig/standin/upgrades.log') | Should -Match 'to=2\.0\.0'
        }
    }
}
