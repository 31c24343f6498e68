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
        $script:ModulePath = $ModuleManifest
        Import-Module $ModulePath -Force
        $script:RunId = New-TestRunId
        $script:Folders = [Collections.Generic.List[string]]::new()
        $script:Networks = [Collections.Generic.List[string]]::new()
        $script:V1 = 'irisops-standin:v1'
        $script:V2 = 'irisops-standin:v2'
        $script:Broken = 'irisops-standin:broken'
        $script:BackupRoot = Join-Path ([IO.Path]::GetTempPath()) ('irisops-upgrade-backups-' + $RunId)
        $Folders.Add($BackupRoot)
        # Short timeouts: the stand-in is healthy about 1 s after its start and stops at once on SIGTERM.
        $script:Fast = @{ HealthTimeout = 25; StopTimeout = 15; BackupPath = $BackupRoot; Confirm = $false }

        function New-Durable {
            $path = New-DurableFolder -RunId $RunId
            $Folders.Add($path)
            return $path
        }

        # A container on durable %SYS (ISC_DATA_DIRECTORY=/dur/iconfig on a bind mount), healthy on return.
        function Start-Node([string] $Image = $V1, [string] $Durable = (New-Durable), [string[]] $ExtraOption = @(), [string[]] $Argument = @(), [string] $Name) {
            $parameters = @{ RunId = $RunId; Image = $Image; Environment = @{ ISC_DATA_DIRECTORY = '/dur/iconfig' }; Volume = @("${Durable}:/dur"); ExtraOption = $ExtraOption; Argument = $Argument }
            if ($Name) { $parameters.Name = $Name }
            $container = Start-TestContainer @parameters
            (Wait-ContainerHealth -Name $container -TimeoutSeconds 30).Health | Should -Be 'healthy'
            [pscustomobject]@{ Name = $container; Durable = $Durable }
        }

        # SHA-256 of every file under a host folder, keyed by relative path.
        function Get-FolderHashes([string] $Path) {
            $hashes = @{}
            foreach ($file in Get-ChildItem -LiteralPath $Path -Recurse -File -Force) {
                $relative = [IO.Path]::GetRelativePath($Path, $file.FullName).Replace('\', '/')
                $hashes[$relative] = (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash.ToLowerInvariant()
            }
            $hashes
        }

        # Files a stop or (re)start of a container legitimately writes: its start/stop records, the running marker,
        # and the record of the startup merge of ISC_CPF_MERGE_FILE.
        # Records a restart changes (and session.log: the read-only database question); mgr/iris.ids exists only while an instance runs.
        $script:RestartRecords = @('iconfig/standin/running', 'iconfig/mgr/iris.ids', 'iconfig/standin/starts.log', 'iconfig/mgr/messages.log', 'iconfig/standin/merge.log', 'iconfig/standin/session.log')

        function Assert-SameFiles([hashtable] $Before, [hashtable] $After, [string[]] $Except = @()) {
            $keys = @($Before.Keys) + @($After.Keys) | Sort-Object -Unique | Where-Object { $_ -notin $Except }
            foreach ($key in $keys) {
                $After[$key] | Should -Be $Before[$key] -Because "durable file '$key' must be unchanged"
            }
        }

        # Independent check of a backup folder: the archive's SHA-256, and each file extracted by the system tar
        # hashed and compared with the manifest (one archive per mount, named after its container path: /dur is dur.tar).
        function Assert-BackupVerified([string] $Folder, [hashtable] $ExpectedHostFiles) {
            $archive = Join-Path $Folder 'dur.tar'
            $manifestPath = Join-Path $Folder 'dur.manifest.json'
            $archive | Should -Exist
            $manifestPath | Should -Exist
            $manifest = Get-Content -Raw -LiteralPath $manifestPath | ConvertFrom-Json
            (Get-FileHash -LiteralPath $archive -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $manifest.archiveSha256
            (Get-Item -LiteralPath $archive).Length | Should -Be $manifest.archiveBytes
            $extract = Join-Path ([IO.Path]::GetTempPath()) ('irisops-extract-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
            New-Item -ItemType Directory -Path $extract | Out-Null
            try {
                & tar -xf $archive -C $extract
                $LASTEXITCODE | Should -Be 0
                $files = @($manifest.entries | Where-Object kind -eq 'file')
                $files.Count | Should -BeGreaterThan 3
                foreach ($entry in $files) {
                    $path = Join-Path $extract $entry.path
                    (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $entry.sha256 -Because "$($entry.path) in the archive"
                    # The manifest's paths start with the mount's name (dur/...); the host folder is that mount.
                    $hostKey = $entry.path -replace '^dur/', ''
                    if ($ExpectedHostFiles -and $hostKey -notin $RestartRecords) { $entry.sha256 | Should -Be $ExpectedHostFiles[$hostKey] -Because "the backup of $hostKey equals the data at the stop" }
                }
                if ($ExpectedHostFiles) {
                    @($ExpectedHostFiles.Keys | Where-Object { $_ -notin $RestartRecords }).Count | Should -BeLessOrEqual $files.Count
                }
            }
            finally { Remove-Item -LiteralPath $extract -Recurse -Force -ErrorAction SilentlyContinue }
        }

        function Get-CoreType([string] $Name) {
            $assembly = (Get-Command Update-IrisApplicationImage).Parameters['DataServerOrder'].ParameterType.Assembly
            $assembly.GetType($Name, $true)
        }
    }

    AfterAll {
        if ($script:RunId) {
            Remove-TestResources -RunId $RunId
            # Helpers the cmdlet creates are removed by it; anything left by a crashed run carries this label.
            $helpers = (Invoke-DockerCli -ArgumentList 'ps', '-aq', '--filter', 'label=irisops.upgrade.helper').Output -split '\s+' | Where-Object { $_ }
            if ($helpers) { Invoke-DockerCli -ArgumentList (@('rm', '-f') + $helpers) | Out-Null }
            foreach ($network in $script:Networks) { Invoke-DockerCli -ArgumentList 'network', 'rm', $network | Out-Null }
        }
        foreach ($folder in $script:Folders) { Remove-DurableFolder -Path $folder }
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

    Context 'an ECP cluster of one data server and two application servers' {
        BeforeAll {
            # Three containers labeled as an ECP cluster, on -Image: sets $Cluster, $ClusterNetwork and $Members.
            function Use-LabeledCluster([string] $Tag, [string] $Image) {
                $script:Cluster = "up$Tag$($RunId.Substring(1, 6))"
                $script:ClusterNetwork = "irisops-test-cl-$Tag-$RunId"
                Invoke-DockerChecked -ArgumentList 'network', 'create', '--label', 'irisops.test=1', '--label', "irisops.test.run=$RunId", $ClusterNetwork | Out-Null
                $Networks.Add($ClusterNetwork)
                $script:Members = [ordered]@{}
                foreach ($role in 'data', 'app1', 'app2') {
                    $labels = @('--label', "irisops.cluster=$Cluster", '--label', "irisops.role=$(if ($role -eq 'data') { 'data' } else { 'app' })",
                        '--label', "irisops.node=$role", '--label', 'irisops.managed=true')
                    $Members[$role] = Start-Node -Image $Image -Name "$Cluster-$role" -ExtraOption (@('--network', $ClusterNetwork, '--network-alias', $role) + $labels)
                }
            }
        }

        Context 'three nodes on v1' {
            BeforeAll {
                Use-LabeledCluster 'a' $V1
            }

            It 'takes the cluster object by pipeline and upgrades app servers one at a time, the data server last; both app servers are never down together' {
                # The cluster object as Get-IrisEcpCluster returns it, read from the containers' labels.
                $readerType = Get-CoreType 'IrisOps.Core.Ecp.EcpClusterReader'
                $engine = (Get-CoreType 'IrisOps.Core.Docker.DockerEngineFactory').GetMethod('Create').Invoke($null, @($null, $null, $null))
                try {
                    $clusters = $readerType.GetMethod('ReadAsync').Invoke($null, @($engine, $Cluster, [Threading.CancellationToken]::None)).GetAwaiter().GetResult()
                }
                finally { $engine.Dispose() }
                @($clusters).Count | Should -Be 1
                @($clusters[0].Nodes).Count | Should -Be 3

                # Poll the engine while the upgrade runs (bounded in samples and time): which app servers answer healthy?
                $flag = Join-Path ([IO.Path]::GetTempPath()) "irisops-poll-$RunId.done"
                $poller = [powershell]::Create()
                [void]$poller.AddScript({
                        param($Cluster, $Flag)
                        $samples = [Collections.Generic.List[string]]::new()
                        $deadline = [DateTime]::UtcNow.AddSeconds(180)
                        while (-not (Test-Path $Flag) -and $samples.Count -lt 2000 -and [DateTime]::UtcNow -lt $deadline) {
                            $healthy = & docker ps --filter "label=irisops.cluster=$Cluster" --filter 'health=healthy' --format '{{.Names}}'
                            $samples.Add((@($healthy) -join ','))
                            Start-Sleep -Milliseconds 100
                        }
                        , $samples.ToArray()
                    }).AddArgument($Cluster).AddArgument($flag)
                $polling = $poller.BeginInvoke()
                try {
                    Start-Sleep -Milliseconds 300
                    $results = $clusters[0] | Update-IrisApplicationImage -Image $V2 @Fast -ErrorVariable failures
                }
                finally {
                    Set-Content -LiteralPath $flag -Value done
                    $samples = @($poller.EndInvoke($polling) | ForEach-Object { $_ })
                    $poller.Dispose()
                    Remove-Item -LiteralPath $flag -ErrorAction SilentlyContinue
                }

                $failures | Should -BeNullOrEmpty
                @($results).Count | Should -Be 3
                @($results | ForEach-Object Node) | Should -Be @("$Cluster-app1", "$Cluster-app2", "$Cluster-data")
                @($results | ForEach-Object Status) | Should -Be @('Upgraded', 'Upgraded', 'Upgraded')
                $results[2].Role | Should -Be 'Data'

                $samples.Count | Should -BeGreaterThan 10
                $bothDown = @($samples | Where-Object { ($_ -split ',') -notcontains "$Cluster-app1" -and ($_ -split ',') -notcontains "$Cluster-app2" })
                $bothDown | Should -BeNullOrEmpty -Because 'one application server must always be serving'
                # Each node really went down once (the poll saw it), so the check above had something to see.
                @($samples | Where-Object { ($_ -split ',') -notcontains "$Cluster-app1" }).Count | Should -BeGreaterThan 0
                @($samples | Where-Object { ($_ -split ',') -notcontains "$Cluster-app2" }).Count | Should -BeGreaterThan 0
                foreach ($member in $Members.Values) { (Get-Inspect $member.Name).Config.Image | Should -Be $V2 }
                (Get-Inspect "$Cluster-app1").NetworkSettings.Networks.$ClusterNetwork.Aliases | Should -Contain 'app1'
            }
        }

        Context 'three nodes on v2' {
            BeforeAll {
                Use-LabeledCluster 'b' $V2
            }

            It 'stops at the first failure, rolls that node back, and reports the nodes not attempted' {
                $results = Update-IrisApplicationImage -Name "$Cluster-data", "$Cluster-app2", "$Cluster-app1" -Image $Broken -HealthTimeout 8 -StopTimeout 15 -BackupPath $BackupRoot -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
                @($results | ForEach-Object Node) | Should -Be @("$Cluster-app2", "$Cluster-app1", "$Cluster-data")
                @($results | ForEach-Object Status) | Should -Be @('RolledBack', 'Skipped', 'Skipped')
                $results[1].Message | Should -Match 'Not attempted'
                @($failures).Count | Should -Be 1
                foreach ($member in $Members.Values) {
                    (Get-Inspect $member.Name).Config.Image | Should -Be $V2
                    (Wait-ContainerHealth -Name $member.Name -TimeoutSeconds 20).Health | Should -Be 'healthy'
                }
            }
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

Describe 'Update-IrisApplicationImage with a deserialized cluster object' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1, v2 | Out-Null
        Import-Module $ModuleManifest -Force
        $script:Root = New-TestFolder
        $made = New-SavedTestCluster -Root $Root
        $script:Name = $made.Name
        $script:Saved = $made.Saved
    }

    AfterAll {
        if ($script:Name) { try { Remove-ClusterResources $Name } catch { Write-Warning $_ } }
        if ($script:Root) { Remove-DurableFolder -Path $Root }
    }

    It 'Update-IrisApplicationImage keeps the cluster order (data server last) from the saved roles' {
        $results = @(Import-Clixml -LiteralPath $Saved | Update-IrisApplicationImage -Image 'irisops-standin:v2' -BackupPath (Join-Path $Root 'backups') -HealthTimeout 60 -StopTimeout 10 -Confirm:$false)
        @($results | ForEach-Object { "$($_.Node)=$($_.Status)/$($_.Role)" }) | Should -Be @("$Name-app-1=Upgraded/Application", "$Name-data=Upgraded/Data")
    }

}
