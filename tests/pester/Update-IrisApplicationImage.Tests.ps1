# Update-IrisApplicationImage against the irisops-standin image (tests/fixtures/iris-standin), a stand-in for the
# IRIS container contract, NOT InterSystems IRIS: these tests prove what IrisOps does with containers and durable
# directories, not IRIS itself. Without a Docker engine they are skipped with a visible notice;
# IRISOPS_REQUIRE_DOCKER=1 makes that a failure.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Update-IrisApplicationImage.Tests.ps1 (Update-IrisApplicationImage)'
}

Describe 'Update-IrisApplicationImage on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage | Out-Null
        . (Join-Path $PSScriptRoot 'UpgradeHelpers.ps1')
        . (Join-Path $PSScriptRoot 'UpgradeSuite.ps1')
    }

    AfterAll {
        if (Get-Command Remove-UpgradeSuite -ErrorAction SilentlyContinue) { Remove-UpgradeSuite }
    }

    Context 'a single container' {
        BeforeAll {
            # The node's own merge file, bind-mounted on its own: -MergeFile is composed with it into one file.
            New-Item -ItemType Directory -Force -Path $BackupRoot | Out-Null
            $script:NodeMerge = Join-Path $BackupRoot 'node-merge.cpf'
            Set-Content -LiteralPath $NodeMerge -Value "# node settings`n[config]`nMaxServers=3`nMaxServerConn=2"
            $script:UserMerge = Join-Path $BackupRoot 'upgrade.cpf'
            Set-Content -LiteralPath $UserMerge -Value "# new settings`n[config]`nMaxServers=7"

            # A v1 node on a network of its own, set up the way a person might: sets $Network, $Subnet, $Address,
            # $Node, $Before (docker inspect) and $HashesBefore (its durable files).
            function Use-ConfiguredNode([string] $Tag) {
                # A network with a subnet, so the fixed address and the alias can be checked after the upgrade.
                $script:Network = $null
                foreach ($attempt in 1..8) {
                    $candidate = "irisops-test-up-$Tag-$RunId"
                    $subnet = "10.$(Get-Random -Minimum 100 -Maximum 250).$(Get-Random -Minimum 0 -Maximum 250).0/24"
                    $created = Invoke-DockerCli -ArgumentList 'network', 'create', '--label', 'irisops.test=1', '--label', "irisops.test.run=$RunId", '--subnet', $subnet, $candidate
                    if ($created.ExitCode -eq 0) { $script:Network = $candidate; $script:Subnet = $subnet; break }
                }
                $Network | Should -Not -BeNullOrEmpty
                $Networks.Add($Network)
                $script:Address = ($Subnet -replace '0/24$', '') + '77'
                $script:Node = Start-Node -ExtraOption @('--network', $Network, '--network-alias', 'iris-alias', '--ip', $Address,
                    '-p', '127.0.0.1::52773', '--restart', 'unless-stopped', '--stop-timeout', '45', '--label', 'app.tier=backend',
                    '-e', 'APP_SETTING=kept', '-e', 'ISC_CPF_MERGE_FILE=/irisops/node/merge.cpf', '-v', "${NodeMerge}:/irisops/node/merge.cpf:ro") -Argument @('--check-caps', 'false')
                # Application data the upgrade must carry over untouched.
                Invoke-ContainerCommand -Name $Node.Name -Command 'sh', '-c', 'mkdir -p /dur/iconfig/mgr/appdata && echo payload-123 > /dur/iconfig/mgr/appdata/IRIS.DAT' | Out-Null
                $script:Before = Get-Inspect $Node.Name
                # Files as they will be at the stop; the running marker goes with a clean stop.
                $script:HashesBefore = Get-FolderHashes $Node.Durable
            }
        }

        Context 'a configured v1 node, only looked at' {
            BeforeAll {
                Use-ConfiguredNode 'w'
            }

            It '-WhatIf lists the steps of the node and changes nothing' {
                $result = Update-IrisApplicationImage -Name $Node.Name -Image $V2 @Fast -WhatIf
                $result | Should -BeNullOrEmpty
                # What-if lines go straight to the host, so a child pwsh shows them on its standard output.
                $command = "Import-Module '$ModulePath'; Update-IrisApplicationImage -Name '$($Node.Name)' -Image '$V2' -BackupPath '$BackupRoot' -MergeFile '$UserMerge' -WhatIf"
                $pwsh = Get-PwshCommandLine
                $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $command | Out-String
                ($output -replace '\s+', ' ') | Should -Match ([regex]::Escape("the node's merge file /irisops/node/merge.cpf plus '$UserMerge' composed into one merge file at '") + "[^']*merge-[0-9-]+Z\.cpf" + [regex]::Escape("' (the -MergeFile lines last, so they win), mounted read-only at /irisops/node/merge.cpf and named by ISC_CPF_MERGE_FILE=/irisops/node/merge.cpf"))
                (Get-Inspect $Node.Name).Id | Should -Be $Before.Id
                (Get-Inspect $Node.Name).State.Running | Should -BeTrue
                Test-Path (Join-Path $BackupRoot $Node.Name) | Should -BeFalse
            }
        }

        Context 'a configured v1 node of its own' {
            BeforeAll {
                Use-ConfiguredNode 'm'
            }

            It 'moves v1 to v2 with the same configuration, keeps durable data, and leaves a verified backup' {
                $script_ = Join-Path $BackupRoot 'post.mac'
                New-Item -ItemType Directory -Force -Path $BackupRoot | Out-Null
                Set-Content -LiteralPath $script_ -Value 'write "post-upgrade-marker",!'

                $result = Update-IrisApplicationImage -Name $Node.Name -Image $V2 @Fast -PostUpgradeScript $script_ -Namespace USER -MergeFile $UserMerge -ErrorVariable failures
                $failures | Should -BeNullOrEmpty
                $result.Status | Should -Be 'Upgraded'
                $result.FromImage | Should -Be $V1
                $result.ToImage | Should -Be $V2
                $result.Downtime | Should -BeGreaterThan ([TimeSpan]::Zero)
                $result.Duration | Should -BeGreaterOrEqual $result.Downtime

                $after = Get-Inspect $Node.Name
                $after.Config.Image | Should -Be $V2
                $after.State.Health.Status | Should -Be 'healthy'
                $after.Id | Should -Not -Be $Before.Id
                # Identical configuration: everything set on the container itself.
                $after.Config.Labels.'app.tier' | Should -Be 'backend'
                $after.Config.Labels.'irisops.test.run' | Should -Be $RunId
                $after.Config.Env | Should -Contain 'APP_SETTING=kept'
                $after.Config.Env | Should -Contain 'ISC_DATA_DIRECTORY=/dur/iconfig'
                $after.Config.Cmd | Should -Be @('--check-caps', 'false')
                $after.Config.StopTimeout | Should -Be 45
                $after.HostConfig.RestartPolicy.Name | Should -Be 'unless-stopped'
                ($after.HostConfig.PortBindings.'52773/tcp' | ConvertTo-Json -Compress) | Should -Be ($Before.HostConfig.PortBindings.'52773/tcp' | ConvertTo-Json -Compress)
                $after.NetworkSettings.Networks.$Network.IPAMConfig.IPv4Address | Should -Be $Address
                $after.NetworkSettings.Networks.$Network.IPAddress | Should -Be $Address
                $after.NetworkSettings.Networks.$Network.Aliases | Should -Contain 'iris-alias'
                ($after.Config.Healthcheck | ConvertTo-Json -Compress) | Should -Be ($Before.Config.Healthcheck | ConvertTo-Json -Compress)
                @($after.Mounts | Where-Object Destination -eq '/dur').Source | Should -Be $Node.Durable
                # The old container is gone.
                (Invoke-DockerCli -ArgumentList 'inspect', "$($Node.Name)-irisops-previous").ExitCode | Should -Not -Be 0

                # Durable data kept: every file is as it was, except the records the stand-in writes on start and upgrade.
                $hashesAfter = Get-FolderHashes $Node.Durable
                Assert-SameFiles -Before $HashesBefore -After $hashesAfter -Except ($RestartRecords + @('iconfig/standin/version', 'iconfig/standin/upgrades.log',
                        'iconfig/iris.cpf', 'iconfig/standin/actions.log', 'iconfig/standin/session.log'))
                Get-Content -Raw (Join-Path $Node.Durable 'iconfig/mgr/appdata/IRIS.DAT') | Should -Match 'payload-123'
                Get-Content -Raw (Join-Path $Node.Durable 'iconfig/standin/upgrades.log') | Should -Match 'from=1\.0\.0\.100\.0standin to=2\.0\.0\.200\.0standin'
                # ONE merge file: the node's file and then -MergeFile, composed next to the backups and mounted in place of
                # the node's file; its lines win because they come last. The durable iris.cpf got both.
                @($after.Config.Env | Where-Object { $_ -like 'ISC_CPF_MERGE_FILE=*' }) | Should -Be @('ISC_CPF_MERGE_FILE=/irisops/node/merge.cpf')
                $mergeMount = @($after.Mounts | Where-Object Destination -eq '/irisops/node/merge.cpf')
                $mergeMount.Count | Should -Be 1
                $mergeMount[0].RW | Should -BeFalse
                $mergeMount[0].Source | Should -BeLike (Join-Path (Join-Path $BackupRoot $Node.Name) 'merge-*Z.cpf')
                $composed = @(Get-Content -LiteralPath $mergeMount[0].Source)
                $nodeComment = [array]::FindIndex($composed, [Predicate[string]] { param($l) $l -like "# From the node's merge file /irisops/node/merge.cpf (host file $NodeMerge)*" })
                $userComment = [array]::IndexOf($composed, "# From -MergeFile ${UserMerge}:")
                $nodeComment | Should -BeGreaterOrEqual 0
                [array]::IndexOf($composed, 'MaxServers=3') | Should -BeGreaterThan $nodeComment
                [array]::IndexOf($composed, 'MaxServerConn=2') | Should -BeGreaterThan $nodeComment
                $userComment | Should -BeGreaterThan ([array]::IndexOf($composed, 'MaxServerConn=2'))
                [array]::IndexOf($composed, 'MaxServers=7') | Should -BeGreaterThan $userComment
                $cpf = Get-Content -Raw (Join-Path $Node.Durable 'iconfig/iris.cpf')
                $cpf | Should -Match '(?m)^MaxServers=7'
                $cpf | Should -Match '(?m)^MaxServerConn=2'
                # The script ran in USER.
                Get-Content -Raw (Join-Path $Node.Durable 'iconfig/standin/session.log') | Should -Match 'namespace=USER[\s\S]*post-upgrade-marker'

                # The backup: present, verified independently, and equal to the data at the stop.
                $result.BackupPath | Should -Not -BeNullOrEmpty
                $expected = $HashesBefore.Clone()
                $expected.Remove('iconfig/standin/running')
                $expected.Remove('iconfig/mgr/iris.ids')
                Assert-BackupVerified -Folder $result.BackupPath -ExpectedHostFiles $expected
            }
        }

        Context 'a node on v2' {
            BeforeAll {
                $script:Node = Start-Node -Image $V2
            }

            It 'a re-run is Skipped and changes nothing' {
                $id = (Get-Inspect $Node.Name).Id
                $result = Update-IrisApplicationImage -Name $Node.Name -Image $V2 @Fast -ErrorVariable failures
                $failures | Should -BeNullOrEmpty
                $result.Status | Should -Be 'Skipped'
                (Get-Inspect $Node.Name).Id | Should -Be $id
            }
        }

        Context 'a node upgraded from v1 to v2' {
            BeforeAll {
                $script:Node = Start-Node
                $upgraded = Update-IrisApplicationImage -Name $Node.Name -Image $V2 @Fast
                $upgraded.Status | Should -Be 'Upgraded'
            }

            It 'the broken image rolls back to a healthy v2 with the durable data identical to the backup' {
                $id = (Get-Inspect $Node.Name).Id
                $before = Get-FolderHashes $Node.Durable
                $result = Update-IrisApplicationImage -Name $Node.Name -Image $Broken -HealthTimeout 12 -StopTimeout 15 -BackupPath $BackupRoot -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
                $result.Status | Should -Be 'RolledBack'
                $result.NewContainerLogTail | Should -Match 'standin-broken'
                $result.Message | Should -Match 'restored from the backup'
                @($failures).Count | Should -Be 1
                $failures[0].FullyQualifiedErrorId | Should -Match '^NewContainerUnhealthy'
                $failures[0].TargetObject | Should -Be $Node.Name

                $after = Get-Inspect $Node.Name
                $after.Id | Should -Be $id
                $after.Config.Image | Should -Be $V2
                (Wait-ContainerHealth -Name $Node.Name -TimeoutSeconds 20).Health | Should -Be 'healthy'
                @(docker ps -a --filter "label=irisops.test.run=$RunId" --format '{{.Image}}') | Should -Not -Contain $Broken
                # Byte-identical: every file but the old container's own restart records.
                Assert-SameFiles -Before $before -After (Get-FolderHashes $Node.Durable) -Except $RestartRecords
                Get-Content -Raw (Join-Path $Node.Durable 'iconfig/standin/version') | Should -Match '^2\.0\.0\.200\.0standin'
                Get-Content -Raw (Join-Path $Node.Durable 'iconfig/standin/upgrades.log') | Should -Not -Match 'standin-broken'
            }
        }

        Context 'a v1 node of its own' {
            BeforeAll {
                $script:Node = Start-Node
            }

            It 'a script with -ErrorAction Stop stops on a rolled-back node and $? is false' {
                $stopped = $false
                try {
                    Update-IrisApplicationImage -Name $Node.Name -Image $Broken -HealthTimeout 8 -StopTimeout 15 -BackupPath $BackupRoot -Confirm:$false -ErrorAction Stop | Out-Null
                }
                catch { $stopped = $true }
                $stopped | Should -BeTrue
                (Wait-ContainerHealth -Name $Node.Name -TimeoutSeconds 20).Health | Should -Be 'healthy'

                Update-IrisApplicationImage -Name $Node.Name -Image $Broken -HealthTimeout 8 -StopTimeout 15 -BackupPath $BackupRoot -Confirm:$false -ErrorAction SilentlyContinue | Out-Null
                $? | Should -BeFalse
            }
        }
    }

    Context 'refusals: nothing changes' {
        It 'refuses a container whose previous shutdown was unclean, and leaves it untouched' {
            $node = Start-Node
            Invoke-DockerChecked -ArgumentList 'kill', $node.Name | Out-Null
            (Wait-ContainerExit -Name $node.Name).Status | Should -Be 'exited'
            $before = Get-Inspect $node.Name
            $hashes = Get-FolderHashes $node.Durable

            $result = Update-IrisApplicationImage -Name $node.Name -Image $V2 @Fast -ErrorVariable failures -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'Failed'
            $result.Message | Should -Match 'unclean|not clean'
            $failures[0].FullyQualifiedErrorId | Should -Match '^UncleanPreviousShutdown'
            $after = Get-Inspect $node.Name
            $after.Id | Should -Be $before.Id
            $after.Config.Image | Should -Be $V1
            $after.State.Status | Should -Be 'exited'
            $after.State.StartedAt | Should -Be $before.State.StartedAt
            Assert-SameFiles -Before $hashes -After (Get-FolderHashes $node.Durable)
            Test-Path (Join-Path $BackupRoot $node.Name) | Should -BeFalse
        }

        It 'stops when docker stop had to kill the instance (stop timeout too short) and takes no backup' {
            # The stand-in takes 6 s to shut down; a 1 s stop timeout makes the engine kill it (exit code 137).
            $node = Start-Node -ExtraOption @('-e', 'IRISOPS_STANDIN_STOP_DELAY=6')
            $id = (Get-Inspect $node.Name).Id
            $result = Update-IrisApplicationImage -Name $node.Name -Image $V2 -StopTimeout 1 -HealthTimeout 10 -BackupPath $BackupRoot -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'Failed' -Because 'the stand-in, like IRIS after an unclean shutdown, refuses to start again'
            $result.Message | Should -Match 'exit code 137'
            $failures[0].FullyQualifiedErrorId | Should -Match '^UncleanShutdown'
            $after = Get-Inspect $node.Name
            $after.Id | Should -Be $id
            $after.Config.Image | Should -Be $V1
            (Invoke-DockerCli -ArgumentList 'inspect', "$($node.Name)-irisops-previous").ExitCode | Should -Not -Be 0
            @(Get-ChildItem -LiteralPath (Join-Path $BackupRoot $node.Name) -Recurse -Filter durable.tar -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty -Because "no backup is taken after an unclean shutdown (the folder holds only the run's journal)"
            Get-Content -Raw (Join-Path $node.Durable 'iconfig/standin/version') | Should -Match '^1\.0\.0'
        }

        It 'refuses a container without durable %SYS, and leaves it running untouched' {
            $name = Start-TestContainer -RunId $RunId -Image $V1
            (Wait-ContainerHealth -Name $name -TimeoutSeconds 30).Health | Should -Be 'healthy'
            $before = Get-Inspect $name

            $result = Update-IrisApplicationImage -Name $name -Image $V2 @Fast -ErrorVariable failures -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'Failed'
            $failures[0].FullyQualifiedErrorId | Should -Match '^DurableSysMissing'
            $failures[0].Exception.Message | Should -Match 'would be lost'
            $after = Get-Inspect $name
            $after.Id | Should -Be $before.Id
            $after.State.Running | Should -BeTrue
            $after.State.StartedAt | Should -Be $before.State.StartedAt
            $after.Config.Image | Should -Be $V1
        }

        It 'reports the problems of every node together and changes none of them' {
            $good = Start-Node
            $bare = Start-TestContainer -RunId $RunId -Image $V1
            $goodBefore = Get-Inspect $good.Name
            $results = Update-IrisApplicationImage -Name $good.Name, $bare, 'irisops-no-such-container' -Image $V2 @Fast -ErrorVariable failures -ErrorAction SilentlyContinue
            @($failures).Count | Should -Be 2
            ($failures.FullyQualifiedErrorId -join ' ') | Should -Match 'DurableSysMissing'
            ($failures.FullyQualifiedErrorId -join ' ') | Should -Match 'ContainerNotFound'
            ($results | Where-Object Node -eq $good.Name).Status | Should -Be 'Skipped'
            (Get-Inspect $good.Name).Id | Should -Be $goodBefore.Id
            (Get-Inspect $good.Name).State.StartedAt | Should -Be $goodBefore.State.StartedAt
        }
    }

    Context 'the code-database trap and the post-upgrade script' {
        BeforeAll {
            # Two versions of an "application image" whose namespace APP has its routines in a writable APPCODE database
            # (the trap, as in seed 002) and its globals in APPDATA (data: cloned to durable storage on purpose).
            $script:AppImages = @{}
            foreach ($version in 'v1', 'v2') {
                $context = Join-Path $BackupRoot "appimage-$version"
                New-Item -ItemType Directory -Force -Path $context | Out-Null
                Set-Content -LiteralPath (Join-Path $context 'Dockerfile') -Value @"
FROM irisops-standin:$version
USER 0
RUN mkdir -p /usr/irissys/mgr/appcode /usr/irissys/mgr/appdata && echo code-$version > /usr/irissys/mgr/appcode/IRIS.DAT && echo data > /usr/irissys/mgr/appdata/IRIS.DAT && sed -i -e 's#^USER=/usr/irissys/mgr/user/#USER=/usr/irissys/mgr/user/\nAPPCODE=/usr/irissys/mgr/appcode/\nAPPDATA=/usr/irissys/mgr/appdata/#' -e 's#^USER=USER$#USER=USER\nAPP=APPDATA,APPCODE#' /usr/irissys/iris.cpf && chown -R 51773:51773 /usr/irissys/mgr/appcode /usr/irissys/mgr/appdata
USER 51773:51773
LABEL irisops.test=1 irisops.test.run=$RunId
"@
                $tag = "irisops-test-appcode-$($RunId):$version"
                Invoke-DockerChecked -ArgumentList 'build', '-q', '-t', $tag, $context -TimeoutSeconds 120 | Out-Null
                $AppImages[$version] = $tag
            }
        }

        AfterAll {
            if ($script:AppImages) { foreach ($tag in $AppImages.Values) { Invoke-DockerCli -ArgumentList 'rmi', '-f', $tag | Out-Null } }
        }

        It 'warns when a database on durable storage is one the new image ships, and -Strict refuses' {
            $node = Start-Node -Image $AppImages.v1
            Get-Content -Raw (Join-Path $node.Durable 'iconfig/iris.cpf') | Should -Match 'APPCODE=/dur/iconfig/mgr/appcode/'
            $id = (Get-Inspect $node.Name).Id

            $refused = Update-IrisApplicationImage -Name $node.Name -Image $AppImages.v2 @Fast -Strict -ErrorVariable failures -ErrorAction SilentlyContinue
            $refused.Status | Should -Be 'Failed'
            $failures[0].FullyQualifiedErrorId | Should -Match '^CodeDatabaseTrap'
            $failures[0].Exception.Message | Should -Match 'APPCODE \(routines database of namespace APP\)'
            $failures[0].Exception.Message | Should -Not -Match 'APPDATA'
            (Get-Inspect $node.Name).Id | Should -Be $id
            @(docker ps -a --filter 'label=irisops.upgrade.helper' --format '{{.Names}}') | Should -BeNullOrEmpty

            $result = Update-IrisApplicationImage -Name $node.Name -Image $AppImages.v2 @Fast -WarningVariable warnings -WarningAction SilentlyContinue
            $result.Status | Should -Be 'Upgraded'
            ($warnings -join ' ') | Should -Match 'Code-database trap.*APPCODE'
            $result.Warnings -join ' ' | Should -Match 'APPCODE'
            $result.Warnings -join ' ' | Should -Not -Match 'APPDATA'
            # The trap is real: the durable copy of v1's code is still what the instance uses.
            Get-Content -Raw (Join-Path $node.Durable 'iconfig/mgr/appcode/IRIS.DAT') | Should -Match 'code-v1'
        }

        It 'rolls back when the post-upgrade script fails, restoring the durable directory' {
            $node = Start-Node
            # The stand-in's iris session exits with the number in standin/reply.exit.
            Invoke-ContainerCommand -Name $node.Name -Command 'sh', '-c', 'echo 3 > /dur/iconfig/standin/reply.exit' | Out-Null
            $before = Get-FolderHashes $node.Durable
            $scriptFile = Join-Path $BackupRoot 'failing.mac'
            Set-Content -LiteralPath $scriptFile -Value 'do ##class(Ens.Director).UpdateProduction()'

            $result = Update-IrisApplicationImage -Name $node.Name -Image $V2 @Fast -PostUpgradeScript $scriptFile -ErrorVariable failures -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'RolledBack'
            $failures[0].FullyQualifiedErrorId | Should -Match '^PostUpgradeScriptFailed'
            (Get-Inspect $node.Name).Config.Image | Should -Be $V1
            (Wait-ContainerHealth -Name $node.Name -TimeoutSeconds 20).Health | Should -Be 'healthy'
            Assert-SameFiles -Before $before -After (Get-FolderHashes $node.Durable) -Except $RestartRecords
        }
    }

    Context 'examples/scheduled-upgrade.ps1' {
        It 'exits 0 after an upgrade and 1 after a rollback, with a transcript of each run' {
            $node = Start-Node
            $logs = Join-Path $BackupRoot "runbook-logs-$RunId"
            $runbook = Join-Path $PSScriptRoot '../../examples/scheduled-upgrade.ps1'
            . (Join-Path $PSScriptRoot '../../build/Pwsh.ps1')
            $commandLine = @(Get-PwshCommandLine)
            $pwsh = $commandLine[0]
            $pwshArguments = @($commandLine | Select-Object -Skip 1)
            $common = @('-NoProfile', '-NonInteractive', '-File', $runbook, '-Name', $node.Name, '-BackupPath', $BackupRoot, '-LogPath', $logs,
                '-StopTimeout', '15', '-ModulePath', (Resolve-Path $ModulePath).Path)

            $output = & $pwsh @pwshArguments @common -Image $V2 -HealthTimeout 25 2>&1 | Out-String
            $LASTEXITCODE | Should -Be 0 -Because $output
            (Get-Inspect $node.Name).Config.Image | Should -Be $V2

            $output = & $pwsh @pwshArguments @common -Image $Broken -HealthTimeout 8 2>&1 | Out-String
            $LASTEXITCODE | Should -Be 1 -Because $output
            (Get-Inspect $node.Name).Config.Image | Should -Be $V2
            $transcripts = @(Get-ChildItem -LiteralPath $logs -Filter 'upgrade-*.log')
            $transcripts.Count | Should -Be 2
            Get-Content -Raw ($transcripts | Sort-Object Name | Select-Object -Last 1).FullName | Should -Match 'UPGRADE NOT COMPLETE'
        }
    }

    Context 'Ctrl+C' {
        It 'rolls back when the upgrade is stopped midway (while the new container is starting)' {
            $node = Start-Node
            $id = (Get-Inspect $node.Name).Id
            $before = Get-FolderHashes $node.Durable

            $child = [powershell]::Create()
            [void]$child.AddScript({
                    param($ModulePath, $Name, $Image, $BackupPath)
                    Import-Module $ModulePath
                    Update-IrisApplicationImage -Name $Name -Image $Image -HealthTimeout 120 -StopTimeout 15 -BackupPath $BackupPath -Confirm:$false
                }).AddArgument((Resolve-Path $ModulePath).Path).AddArgument($node.Name).AddArgument($Broken).AddArgument($BackupRoot)
            $running = $child.BeginInvoke()
            try {
                # Wait (bounded) until the old container is renamed and the new one runs: midway.
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                do {
                    Start-Sleep -Milliseconds 200
                    $renamed = (Invoke-DockerCli -ArgumentList 'inspect', "$($node.Name)-irisops-previous").ExitCode -eq 0
                    $newImage = (Invoke-DockerCli -ArgumentList 'inspect', '--format', '{{.Config.Image}} {{.State.Running}}', $node.Name).Output.Trim()
                } until (($renamed -and $newImage -eq "$Broken true") -or [DateTime]::UtcNow -gt $deadline)
                $renamed | Should -BeTrue
                Start-Sleep -Seconds 2
                $stopping = $child.BeginStop($null, $null)
                $stopping.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(120)) | Should -BeTrue -Because 'the rollback finishes in bounded time'
                $child.EndStop($stopping)
            }
            finally { $child.Dispose() }

            $after = Get-Inspect $node.Name
            $after.Id | Should -Be $id
            $after.Config.Image | Should -Be $V1
            (Wait-ContainerHealth -Name $node.Name -TimeoutSeconds 20).Health | Should -Be 'healthy'
            (Invoke-DockerCli -ArgumentList 'inspect', "$($node.Name)-irisops-previous").ExitCode | Should -Not -Be 0
            @(docker ps -a --filter "label=irisops.test.run=$RunId" --format '{{.Image}}') | Should -Not -Contain $Broken
            Assert-SameFiles -Before $before -After (Get-FolderHashes $node.Durable) -Except $RestartRecords
            Get-Content -Raw (Join-Path $node.Durable 'iconfig/standin/upgrades.log') -ErrorAction SilentlyContinue | Should -Not -Match 'standin-broken'
        }
    }
}
