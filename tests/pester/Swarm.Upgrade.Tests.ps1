# Update-IrisApplicationImage on a Swarm cluster (New-IrisEcpCluster -Orchestrator Swarm) on a single-node swarm: one
# service at a time, scaled to 0, backed up, updated to the new image with 1 replica, and on a failure (a broken
# image, Ctrl+C) scaled to 0, restored from the backup and updated back to the old image. Runs on a real Docker
# engine with the irisops-standin image (tests/fixtures/iris-standin), which is NOT InterSystems IRIS.
# Swarm mode is engine-wide: run this file alone (build.ps1 runs it after the other Docker files, never beside
# them) and inside `flock /tmp/irisops-docker.lock`. It refuses an engine already in a swarm that a
# test run did not make (a killed run's labelled swarm is left first), and always
# leaves the swarm it made (removing what it created), also when a test fails.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Swarm.Upgrade.Tests.ps1 (Update-IrisApplicationImage on a single-node swarm)'
}

Describe 'Update-IrisApplicationImage on a Swarm cluster' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1, v2, broken | Out-Null
        Import-Module $ModuleManifest -Force
        Initialize-EcpTestRun -Prefix 'su'
        $script:V1 = 'irisops-standin:v1'
        $script:V2 = 'irisops-standin:v2'
        $script:Broken = 'irisops-standin:broken'
        $script:Backups = Join-Path $Root 'backups'

        $script:Swarm = Enter-TestSwarm

        $script:Name = New-ClusterName 'a'
        $script:Cluster = New-IrisEcpCluster -Name $Name -Image $V1 -ApplicationServerCount 1 -Orchestrator Swarm -ClusterPath (Join-Path $Root $Name) @Common
        $script:Services = @("$Name-app-1", "$Name-data")

        # The running task container of a service.
        function script:Get-TaskContainer([string] $Service) {
            Invoke-DockerChecked -ArgumentList 'ps', '-q', '--filter', "label=com.docker.swarm.service.name=$Service", '--filter', 'status=running'
        }

        function script:Get-ServiceImage([string] $Service) {
            Invoke-DockerChecked -ArgumentList 'service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}} {{.Spec.Mode.Replicated.Replicas}}', $Service
        }

        # SHA-256... of every file of a durable volume, read by a root helper container (the volume is not on a host path).
        function script:Get-VolumeHashes([string] $Volume) {
            $listing = Invoke-DockerChecked -ArgumentList 'run', '--rm', '--user', '0:0', '--label', 'irisops.test=1', '--no-healthcheck', '--network', 'none',
                '--entrypoint', '/bin/sh', '-v', "$($Volume):/v:ro", $V1, '-c', 'cd /v && find . -type f -exec sha256sum {} +' -TimeoutSeconds 60
            $hashes = @{}
            foreach ($line in $listing -split "`n" | Where-Object { $_ }) {
                $hash, $path = $line -split '\s+', 2
                $hashes[$path.Trim().Substring(2)] = $hash
            }
            $hashes
        }

        # What a restart of the old image on restored data writes (its start records, the running marker, the
        # record of the startup merge and of its [Actions]); everything else must be byte-identical.
        $script:RestartRecords = @('iconfig/standin/running', 'iconfig/mgr/iris.ids', 'iconfig/standin/starts.log', 'iconfig/mgr/messages.log',
            'iconfig/standin/merge.log', 'iconfig/standin/actions.log', 'iconfig/standin/license.log')

        function script:Assert-SameFiles([hashtable] $Before, [hashtable] $After) {
            $keys = @($Before.Keys) + @($After.Keys) | Sort-Object -Unique | Where-Object { $_ -notin $RestartRecords }
            @($keys).Count | Should -BeGreaterThan 5
            foreach ($key in $keys) {
                $After[$key] | Should -Be $Before[$key] -Because "durable file '$key' must be unchanged"
            }
        }

        # Nothing half-done: no service at 0 replicas, no helper container, no partial backup file.
        function script:Assert-NothingHalfDone {
            foreach ($service in $Services) { (Get-ServiceImage $service) -split ' ' | Select-Object -Last 1 | Should -Be '1' }
            Invoke-DockerChecked -ArgumentList 'ps', '-aq', '--filter', 'label=irisops.upgrade.helper' | Should -BeNullOrEmpty
            @(Get-ChildItem -LiteralPath $Backups -Recurse -File -ErrorAction SilentlyContinue | Where-Object { $_.Name -notmatch '\.(tar|json)$' }) | Should -BeNullOrEmpty
        }

        # Data written through the data server before any upgrade.
        $script:Token = "swarm-upgrade-$Suffix"
        $write = Invoke-ContainerCommand -Name (Get-TaskContainer "$Name-data") -Command 'sh', '-c', "echo $Token > /irisops/durable/iconfig/irisops-test-data.txt"
        if ($write.ExitCode -ne 0) { throw "Could not write test data: $($write.Error)" }
    }

    AfterAll {
        Exit-TestSwarm -Swarm $script:Swarm -Cluster $Name -RemoveServices { Remove-SwarmClusterServices $Name }
        Remove-EcpTestRun
    }

    It '-WhatIf lists the Swarm steps of every service and changes nothing' {
        $before = @($Services | ForEach-Object { Get-TaskContainer $_ })
        Get-IrisEcpCluster -Name $Name | Update-IrisApplicationImage -Image $V2 -BackupPath $Backups -WhatIf | Should -BeNullOrEmpty
        # What-if lines go straight to the host, so a child pwsh shows them on its standard output.
        $pwsh = Get-PwshCommandLine
        $command = "Import-Module '$((Resolve-Path $ModuleManifest).Path)'; Get-IrisEcpCluster -Name '$Name' | Update-IrisApplicationImage -Image '$V2' -BackupPath '$Backups' -WhatIf"
        $output = (& $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $command | Out-String) -replace '\s+', ' '
        $output | Should -Match ([regex]::Escape("the Swarm service '$Name-data'"))
        $output | Should -Match ([regex]::Escape("the Swarm service '$Name-app-1'"))
        $output | Should -Match "scale service '$Name-data' to 0 replicas"
        $output | Should -Match ([regex]::Escape("update the service back to image '$V1' and 1 replica"))
        @($Services | ForEach-Object { Get-TaskContainer $_ }) | Should -Be $before
        foreach ($service in $Services) { Get-ServiceImage $service | Should -Be "$V1 1" }
        Test-Path -LiteralPath $Backups | Should -BeFalse
    }

    It 'upgrades every service to v2 in cluster order, keeps the data, and the cluster passes the deep test' {
        $results = @(Get-IrisEcpCluster -Name $Name | Update-IrisApplicationImage -Image $V2 -BackupPath $Backups -HealthTimeout 60 -StopTimeout 15 -Confirm:$false)
        $results.Count | Should -Be 2
        @($results.Status) | Should -Be @('Upgraded', 'Upgraded') -Because ($results.Message -join "`n")
        @($results.Role) | Should -Be @('Application', 'Data')
        foreach ($result in $results) { Join-Path $result.BackupPath 'irisops-durable.tar' | Should -Exist }
        foreach ($service in $Services) {
            Get-ServiceImage $service | Should -Be "$V2 1"
            $task = Get-TaskContainer $service
            (Get-Inspect $task).State.Health.Status | Should -Be 'healthy'
            # The instance runs from the new image's registry, and its durable data was upgraded to that version.
            (Read-InContainer $task '/home/irisowner/irissys/standin-registry-version').Trim() | Should -Be '2.0.0.200.0standin'
            (Read-InContainer $task '/irisops/durable/iconfig/standin/version').Trim() | Should -Be '2.0.0.200.0standin'
            Read-InContainer $task '/irisops/durable/iconfig/standin/upgrades.log' | Should -Match 'upgrade from=1\.0\.0\.100\.0standin to=2\.0\.0\.200\.0standin'
        }
        (Read-InContainer (Get-TaskContainer "$Name-data") '/irisops/durable/iconfig/irisops-test-data.txt').Trim() | Should -Be $Token
        $checks = @(Test-IrisEcpCluster -Name $Name)
        @($checks | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Node) $($_.Check): $($_.Detail)" }) | Should -BeNullOrEmpty
        @($checks | Where-Object Check -EQ 'EcpRoundTrip').Count | Should -Be 1
        Assert-NothingHalfDone
    }

    It 'rolls a broken image back: the volume restored byte for byte, the service on v2 again and healthy' {
        $service = "$Name-app-1"
        $before = Get-VolumeHashes "$service-durable"
        $errors = @()
        $result = Update-IrisApplicationImage -Name (Get-TaskContainer $service) -Image $Broken -BackupPath $Backups -HealthTimeout 60 -StopTimeout 15 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errors
        $result.Status | Should -Be 'RolledBack' -Because $result.Message
        # The failed task ends the wait at once (Swarm fails a task whose container turns unhealthy), not the timeout.
        $result.ErrorId | Should -BeIn @('NewTaskFailed', 'NewContainerUnhealthy') -Because $result.Message
        $result.Message | Should -Match 'restored from the backup and verified identical'
        @($errors).Count | Should -BeGreaterThan 0
        Get-ServiceImage $service | Should -Be "$V2 1"
        (Get-Inspect (Get-TaskContainer $service)).State.Health.Status | Should -Be 'healthy'
        Assert-SameFiles -Before $before -After (Get-VolumeHashes "$service-durable")
        Assert-NothingHalfDone
    }

    It 'rolls back when stopped with Ctrl+C while the new task is starting' {
        $service = "$Name-data"
        $before = Get-VolumeHashes "$service-durable"
        $child = [powershell]::Create()
        [void]$child.AddScript({
                param($ModulePath, $Name, $Image, $BackupPath)
                Import-Module $ModulePath
                Update-IrisApplicationImage -Name $Name -Image $Image -HealthTimeout 120 -StopTimeout 15 -BackupPath $BackupPath -Confirm:$false
            }).AddArgument((Resolve-Path $ModuleManifest).Path).AddArgument((Get-TaskContainer $service)).AddArgument($Broken).AddArgument($Backups)
        $running = $child.BeginInvoke()
        try {
            # Wait (bounded) until the service runs a task of the broken image: midway, before it fails its checks.
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            do {
                Start-Sleep -Milliseconds 200
                $starting = (Invoke-DockerCli -ArgumentList 'ps', '-q', '--filter', "label=com.docker.swarm.service.name=$service", '--filter', "ancestor=$Broken").Output.Trim()
            } until ($starting -or $running.IsCompleted -or [DateTime]::UtcNow -gt $deadline)
            $starting | Should -Not -BeNullOrEmpty -Because 'the new task must have started before Ctrl+C'
            $stopping = $child.BeginStop($null, $null)
            $stopping.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(180)) | Should -BeTrue -Because 'the rollback finishes in bounded time'
            $child.EndStop($stopping)
        }
        finally { $child.Dispose() }

        Get-ServiceImage $service | Should -Be "$V2 1"
        (Wait-ContainerHealth -Name (Get-TaskContainer $service) -TimeoutSeconds 30).Health | Should -Be 'healthy'
        @(Invoke-DockerChecked -ArgumentList 'ps', '-q', '--filter', "label=com.docker.swarm.service.name=$service", '--filter', "ancestor=$Broken") | Where-Object { $_ } | Should -BeNullOrEmpty
        Assert-SameFiles -Before $before -After (Get-VolumeHashes "$service-durable")
        Assert-NothingHalfDone
        (Read-InContainer (Get-TaskContainer $service) '/irisops/durable/iconfig/irisops-test-data.txt').Trim() | Should -Be $Token
    }

    It 'after the process died midway, the next run says what state the service is in, and -RollBack restores the volume and the old image' {
        $service = "$Name-app-1"
        $before = Get-VolumeHashes "$service-durable"
        $pwsh = @(Get-PwshCommandLine)
        $command = "Import-Module '$((Resolve-Path $ModuleManifest).Path)'; Update-IrisApplicationImage -Name '$(Get-TaskContainer $service)' -Image '$Broken' -BackupPath '$Backups' -HealthTimeout 120 -StopTimeout 15 -Confirm:`$false"
        $process = Start-Process -FilePath $pwsh[0] -ArgumentList (@($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $command)) -PassThru
        try {
            # Killed (bounded wait) once the service runs the broken image: after the backup, with the new task on the data.
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            do {
                Start-Sleep -Milliseconds 200
                $updated = (Get-ServiceImage $service) -eq "$Broken 1"
            } until ($updated -or $process.HasExited -or [DateTime]::UtcNow -gt $deadline)
            $updated | Should -BeTrue -Because 'the upgrade must reach the service update before its process is killed'
        }
        finally {
            if (-not $process.HasExited) { Stop-Process -Id $process.Id -Force }
            $process.WaitForExit(10000) | Out-Null
        }

        # The next run names the newest task container (Swarm replaced the one the killed run was given).
        $newest = @((Invoke-DockerChecked -ArgumentList 'ps', '-aq', '--filter', "label=com.docker.swarm.service.name=$service") -split '\s+')[0]
        $errors = @()
        $refused = Update-IrisApplicationImage -Name $newest -Image $V2 -BackupPath $Backups -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errors
        $refused.Status | Should -Be 'Failed'
        $errors[0].FullyQualifiedErrorId | Should -Match '^InterruptedUpgrade'
        $state = $errors[0].Exception.Message -replace '\s+', ' '
        $state | Should -Match "An earlier upgrade of the Swarm service '$service' did not finish"
        $state | Should -Match 'verifies against its manifest'
        $state | Should -Match 'a task of the new image may have run on the durable data'
        $state | Should -Match '-RollBack \(scales the service to 0, restores the durable data from the backup'

        Update-IrisApplicationImage -Name $newest -Image $V2 -BackupPath $Backups -RollBack -WhatIf | Should -BeNullOrEmpty
        Get-ServiceImage $service | Should -Be "$Broken 1"

        $result = Update-IrisApplicationImage -Name $newest -Image $V2 -BackupPath $Backups -RollBack -HealthTimeout 60 -StopTimeout 15 -Confirm:$false
        $result.Status | Should -Be 'RolledBack' -Because $result.Message
        $result.Message | Should -Match 'restored from the backup and verified identical'
        Get-ServiceImage $service | Should -Be "$V2 1"
        (Get-Inspect (Get-TaskContainer $service)).State.Health.Status | Should -Be 'healthy'
        Assert-SameFiles -Before $before -After (Get-VolumeHashes "$service-durable")
        Assert-NothingHalfDone

        # The run is closed: the next run is not refused as interrupted.
        (Update-IrisApplicationImage -Name (Get-TaskContainer $service) -Image $V2 -BackupPath $Backups -Confirm:$false).Status | Should -Be 'Skipped'
    }
}
