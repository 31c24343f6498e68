# Update-IrisApplicationImage's cold backup against the irisops-standin image (tests/fixtures/iris-standin), a
# stand-in for the IRIS container contract, NOT InterSystems IRIS: every mount that holds a directory the durable
# iris.cpf names is backed up and restored, the -BackupPath checks, and a disk that fills up during the backup.
# Without a Docker engine these tests are skipped with a visible notice; IRISOPS_REQUIRE_DOCKER=1 makes that a failure.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Update-IrisApplicationImage.Backup.Tests.ps1 (Update-IrisApplicationImage backups)'
}

Describe 'Update-IrisApplicationImage backups on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        . (Join-Path $PSScriptRoot 'UpgradeHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage | Out-Null
        Import-Module $ModuleManifest -Force
        $script:RunId = New-TestRunId
        $script:Folders = [Collections.Generic.List[string]]::new()
        $script:TmpfsMounts = [Collections.Generic.List[string]]::new()
        $script:V1 = 'irisops-standin:v1'
        $script:V2 = 'irisops-standin:v2'
        $script:Broken = 'irisops-standin:broken'
        $script:BackupRoot = Join-Path ([IO.Path]::GetTempPath()) ('irisops-backup-tests-' + $RunId)
        New-Item -ItemType Directory -Path $BackupRoot | Out-Null
        $Folders.Add($BackupRoot)
        $script:Fast = @{ HealthTimeout = 25; StopTimeout = 15; Confirm = $false }
        function New-Durable {
            $path = New-DurableFolder -RunId $RunId
            $Folders.Add($path)
            return $path
        }

        # A merge file in a folder of its own, readable by irisowner, mounted read-only into the node.
        function New-MergeFile([string] $Text) {
            $folder = Join-Path $BackupRoot ('merge-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
            New-Item -ItemType Directory -Path $folder | Out-Null
            $path = Join-Path $folder 'merge.cpf'
            Set-Content -LiteralPath $path -Value $Text
            return $path
        }

        # A v1 node on durable %SYS (/dur/iconfig on a bind mount), with more volumes, healthy on return.
        function Start-Node([string[]] $Volume = @(), [hashtable] $Environment = @{}, [string[]] $Argument = @()) {
            $durable = New-Durable
            $environment = @{ ISC_DATA_DIRECTORY = '/dur/iconfig' } + $Environment
            $name = Start-TestContainer -RunId $RunId -Image $V1 -Environment $environment -Volume (@("${durable}:/dur") + $Volume) -Argument $Argument
            (Wait-ContainerHealth -Name $name -TimeoutSeconds 30).Health | Should -Be 'healthy'
            [pscustomobject]@{ Name = $name; Durable = $durable }
        }

        # SHA-256, size, mode and owner of every file and directory under a host folder, keyed by relative path.
        function Get-Listing([string] $Path) {
            $listing = @{}
            foreach ($line in (& find $Path -mindepth 1 -printf '%P\t%y\t%m\t%U:%G\t%s\n')) {
                $fields = $line -split "`t"
                $hash = if ($fields[1] -eq 'f') { (Get-FileHash -LiteralPath (Join-Path $Path $fields[0]) -Algorithm SHA256).Hash } else { '' }
                $listing[$fields[0]] = "$($fields[1]) $($fields[2]) $($fields[3]) $(if ($fields[1] -eq 'f') { $fields[4] }) $hash"
            }
            $listing
        }

        function Assert-SameListing([hashtable] $Before, [hashtable] $After, [string[]] $Except = @()) {
            $keys = @($Before.Keys) + @($After.Keys) | Sort-Object -Unique | Where-Object { $_ -notin $Except }
            foreach ($key in $keys) { $After[$key] | Should -Be $Before[$key] -Because "'$key' must be as it was" }
        }

        # Mounts a tmpfs of the given size at a new folder (the test runs as root); null when mounting is impossible here.
        function New-SmallDisk([int] $Megabytes) {
            $path = Join-Path ([IO.Path]::GetTempPath()) ('irisops-smalldisk-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
            New-Item -ItemType Directory -Path $path | Out-Null
            $Folders.Add($path)
            & mount -t tmpfs -o "size=${Megabytes}m" tmpfs $path 2>&1 | Out-Null
            if ($LASTEXITCODE -ne 0) { return $null }
            $TmpfsMounts.Add($path)
            return $path
        }
    }

    AfterAll {
        if ($script:RunId) {
            Remove-TestResources -RunId $RunId
            $helpers = (Invoke-DockerCli -ArgumentList 'ps', '-aq', '--filter', 'label=irisops.upgrade.helper').Output -split '\s+' | Where-Object { $_ }
            if ($helpers) { Invoke-DockerCli -ArgumentList (@('rm', '-f') + $helpers) | Out-Null }
        }
        foreach ($mount in $script:TmpfsMounts) { & umount $mount 2>&1 | Out-Null }
        foreach ($folder in $script:Folders) { Remove-DurableFolder -Path $folder }
    }

    Context 'journals on a second mount' {
        BeforeAll {
            # The documented way to move the journals (Running InterSystems Products in Containers: a merge file
            # setting [Journal] CurrentDirectory and AlternateDirectory).
            $script:Journal = New-Durable
            $merge = New-MergeFile "[Journal]`nCurrentDirectory=/journal/primary/`nAlternateDirectory=/journal/alternate/"
            # Only the broken image's instance writes a journal file before it starts: the rollback must undo that.
            $before = 'grep -q broken /usr/irissys/standin-version && echo changed-by-the-new-version > /journal/primary/IRIS.journal.001; true'
            $script:Node = Start-Node -Volume @("${Journal}:/journal", "${merge}:/irisops/node/merge.cpf:ro") -Environment @{ ISC_CPF_MERGE_FILE = '/irisops/node/merge.cpf' } -Argument @('-b', $before)
            Get-Content -Raw (Join-Path $Node.Durable 'iconfig/iris.cpf') | Should -Match '(?m)^CurrentDirectory=/journal/primary/'
            $write = 'mkdir -p /journal/primary /journal/alternate /dur/iconfig/mgr/appdata && head -c 300000 /dev/urandom > /journal/primary/IRIS.journal.001 && ' +
                'head -c 200000 /dev/urandom > /journal/alternate/IRIS.journal.002 && chmod 600 /journal/alternate/IRIS.journal.002 && ' +
                'head -c 400000 /dev/urandom > /dur/iconfig/mgr/appdata/IRIS.DAT'
            (Invoke-ContainerCommand -Name $Node.Name -Command @('sh', '-c', $write)).ExitCode | Should -Be 0
        }

        It 'archives both mounts, and the rollback from the broken image leaves both byte-identical' {
            $id = (Get-Inspect $Node.Name).Id
            $durableBefore = Get-Listing $Node.Durable
            $journalBefore = Get-Listing $Journal

            $result = Update-IrisApplicationImage -Name $Node.Name -Image $Broken -HealthTimeout 12 -StopTimeout 15 -BackupPath $BackupRoot -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'RolledBack'
            $result.Message | Should -Match "('/dur', '/journal'|'/journal', '/dur') were restored from the backup and verified identical"
            @($failures).Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Match '^NewContainerUnhealthy'
            $result.NewContainerLogTail | Should -Match 'Running the before command' -Because 'the new container wrote into the journal mount'
            (Get-Inspect $Node.Name).Id | Should -Be $id
            (Wait-ContainerHealth -Name $Node.Name -TimeoutSeconds 20).Health | Should -Be 'healthy'

            # Byte-identical, with modes and owners: the journal mount entirely, the durable one but for the old
            # container's own restart records.
            Assert-SameListing -Before $journalBefore -After (Get-Listing $Journal)
            Assert-SameListing -Before $durableBefore -After (Get-Listing $Node.Durable) -Except $RestartRecords
            Get-Content -Raw (Join-Path $Journal 'primary/IRIS.journal.001') | Should -Not -Match 'changed-by-the-new-version'

            # One archive and manifest per mount in the node's backup folder, checked independently.
            $result.BackupPath | Should -BeLike (Join-Path (Join-Path $BackupRoot $Node.Name) '*Z')
            @(Get-ChildItem -LiteralPath $result.BackupPath -Name | Sort-Object) | Should -Be @('dur.manifest.json', 'dur.tar', 'journal.manifest.json', 'journal.tar', 'upgrade-journal.json')
            $manifest = Get-Content -Raw (Join-Path $result.BackupPath 'journal.manifest.json') | ConvertFrom-Json
            $manifest.containerPath | Should -Be '/journal'
            $manifest.source | Should -Be "bind:$Journal"
            (Get-FileHash (Join-Path $result.BackupPath 'journal.tar') -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $manifest.archiveSha256
            $entry = $manifest.entries | Where-Object path -eq 'journal/alternate/IRIS.journal.002'
            $entry.sha256.ToUpperInvariant() | Should -Be ($journalBefore['alternate/IRIS.journal.002'] -split ' ')[-1]
            [Convert]::ToInt32($entry.mode, 8) -band 0xFFF | Should -Be ([Convert]::ToInt32('600', 8))
        }
    }

    Context 'closed journal files copied before the stop' {
        BeforeAll {
            $script:AheadJournal = New-Durable
            $merge = New-MergeFile "[Journal]`nCurrentDirectory=/journal/primary/`nAlternateDirectory=/journal/alternate/"
            # The old instance changes one closed journal file and deletes another as it stops (-e runs after the
            # shutdown), so after they were copied ahead; the broken image's instance changes one that was copied
            # ahead and kept, which the rollback must restore from that copy.
            $after = 'echo more >> /journal/primary/20261201.002; rm -f /journal/primary/20261201.001'
            $before = 'grep -q broken /usr/irissys/standin-version && echo changed-by-the-new-version >> /journal/primary/20261201.003; true'
            $script:AheadNode = Start-Node -Volume @("${AheadJournal}:/journal", "${merge}:/irisops/node/merge.cpf:ro") -Environment @{ ISC_CPF_MERGE_FILE = '/irisops/node/merge.cpf' } -Argument @('-b', $before, '-e', $after)
            $write = 'mkdir -p /journal/primary /journal/alternate && for n in 1 2 3; do head -c 200000 /dev/urandom > /journal/primary/20261201.00$n; done && ' +
                'head -c 100000 /dev/urandom > /journal/alternate/20261201.004'
            (Invoke-ContainerCommand -Name $AheadNode.Name -Command @('sh', '-c', $write)).ExitCode | Should -Be 0
        }

        It 'keeps the unchanged copies, takes the changed file after the stop, does not restore the deleted one, and rolls back byte-identical' {
            $before = Get-Listing $AheadJournal
            $changed = [IO.File]::ReadAllBytes((Join-Path $AheadJournal 'primary/20261201.002')) + [Text.Encoding]::ASCII.GetBytes("more`n")
            $changedHash = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([byte[]] $changed))

            $result = Update-IrisApplicationImage -Name $AheadNode.Name -Image $Broken -HealthTimeout 12 -StopTimeout 15 -BackupPath $BackupRoot -Confirm:$false -Verbose -ErrorAction SilentlyContinue 4>&1 |
                Tee-Object -Variable output | Where-Object { $_.PSObject.TypeNames[0] -like '*.IrisUpgradeResult' }
            $result.Status | Should -Be 'RolledBack'
            $verbose = @(($output | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message)
            $verbose -match ': 3 files \(.+: closed journal files and read-only databases\) copied before the stop in [\d.]+ s\.$' | Should -HaveCount 1
            $verbose -match '\(1 file, .+ copied before the stop in [\d.]+ s and found unchanged\)' | Should -HaveCount 1
            (Wait-ContainerHealth -Name $AheadNode.Name -TimeoutSeconds 20).Health | Should -Be 'healthy'

            # As the old instance left it at the stop: 20261201.001 gone, 20261201.002 with its line added, the rest as before.
            Test-Path -LiteralPath (Join-Path $AheadJournal 'primary/20261201.001') | Should -BeFalse
            (Get-FileHash -LiteralPath (Join-Path $AheadJournal 'primary/20261201.002') -Algorithm SHA256).Hash | Should -Be $changedHash
            Assert-SameListing -Before $before -After (Get-Listing $AheadJournal) -Except @('primary/20261201.001', 'primary/20261201.002')
            Get-Content -Raw (Join-Path $AheadJournal 'primary/20261201.003') | Should -Not -Match 'changed-by-the-new-version'

            $manifest = Get-Content -Raw (Join-Path $result.BackupPath 'journal.manifest.json') | ConvertFrom-Json
            $manifest.format | Should -Be 2
            @($manifest.aheadRestored) | Should -Be @('journal/primary/20261201.003')
            @($manifest.entries.path) | Should -Not -Contain 'journal/primary/20261201.001'
            @(Get-ChildItem -LiteralPath $result.BackupPath -Name | Sort-Object) | Should -Be @('dur.manifest.json', 'dur.tar', 'journal.ahead.tar', 'journal.manifest.json', 'journal.tar', 'upgrade-journal.json')
        }
    }

    Context 'read-only databases copied before the stop' {
        BeforeAll {
            # USER and IRISAUDIT of the durable iris.cpf, marked read-only for the stand-in (a .readonly marker; see
            # its README, "Read-only databases"). The old instance changes IRISAUDIT's IRIS.DAT as it stops (-e runs
            # after the shutdown), so after it was copied ahead; the broken image's instance changes USER's, which was
            # copied ahead and kept, and which the rollback must restore from that copy.
            $after = 'echo more >> /dur/iconfig/mgr/irisaudit/IRIS.DAT'
            $before = 'grep -q broken /usr/irissys/standin-version && echo changed-by-the-new-version >> /dur/iconfig/mgr/user/IRIS.DAT; true'
            $script:ReadOnlyNode = Start-Node -Argument @('-b', $before, '-e', $after)
            $write = 'for d in user irisaudit; do head -c 300000 /dev/urandom > /dur/iconfig/mgr/$d/IRIS.DAT && touch /dur/iconfig/mgr/$d/.readonly; done'
            (Invoke-ContainerCommand -Name $ReadOnlyNode.Name -Command @('sh', '-c', $write)).ExitCode | Should -Be 0
        }

        It 'asks the instance, keeps the unchanged copy, takes the changed database after the stop, and rolls back byte-identical' {
            $durable = $ReadOnlyNode.Durable
            $before = Get-Listing $durable
            $changed = [IO.File]::ReadAllBytes((Join-Path $durable 'iconfig/mgr/irisaudit/IRIS.DAT')) + [Text.Encoding]::ASCII.GetBytes("more`n")
            $changedHash = [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData([byte[]] $changed))

            $result = Update-IrisApplicationImage -Name $ReadOnlyNode.Name -Image $Broken -HealthTimeout 12 -StopTimeout 15 -BackupPath $BackupRoot -Confirm:$false -Verbose -ErrorAction SilentlyContinue 4>&1 |
                Tee-Object -Variable output | Where-Object { $_.PSObject.TypeNames[0] -like '*.IrisUpgradeResult' }
            $result.Status | Should -Be 'RolledBack'
            $verbose = @(($output | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message)
            $verbose -match "read-only, so copied before the stop and checked after it: '/dur/iconfig/mgr/irisaudit', '/dur/iconfig/mgr/user'\.$" | Should -HaveCount 1
            $verbose -match ': 2 files \(.+\) copied before the stop in [\d.]+ s\.$' | Should -HaveCount 1
            $verbose -match '\(1 file, .+ copied before the stop in [\d.]+ s and found unchanged\)' | Should -HaveCount 1
            (Get-Content -Raw (Join-Path $durable 'iconfig/standin/session.log')) | Should -Match '(?m)^=== .* namespace=%SYS\r?\nset m="IRIS"_"OPS\|"\r?\nset r="1",d="/dur/iconfig/mgr" try \{ set db=##Class\(SYS\.Database\)\.%OpenId\(d\)' -Because 'the question runs in %SYS'
            (Wait-ContainerHealth -Name $ReadOnlyNode.Name -TimeoutSeconds 20).Health | Should -Be 'healthy'

            # As the old instance left it at the stop: IRISAUDIT's IRIS.DAT with its line added, USER's without the
            # broken instance's change, everything else as before (the records of the restart aside).
            (Get-FileHash -LiteralPath (Join-Path $durable 'iconfig/mgr/irisaudit/IRIS.DAT') -Algorithm SHA256).Hash | Should -Be $changedHash
            (Get-FileHash -LiteralPath (Join-Path $durable 'iconfig/mgr/user/IRIS.DAT') -Algorithm SHA256).Hash | Should -Be (($before['iconfig/mgr/user/IRIS.DAT'] -split ' ')[-1])
            Assert-SameListing -Before $before -After (Get-Listing $durable) -Except ($RestartRecords + @('iconfig/mgr/irisaudit/IRIS.DAT'))

            $manifest = Get-Content -Raw (Join-Path $result.BackupPath 'dur.manifest.json') | ConvertFrom-Json
            $manifest.format | Should -Be 2
            @($manifest.aheadRestored) | Should -Be @('dur/iconfig/mgr/user/IRIS.DAT')
            @($manifest.aheadEntries.path | Sort-Object) | Should -Be @('dur/iconfig/mgr/irisaudit/IRIS.DAT', 'dur/iconfig/mgr/user/IRIS.DAT')
            @(Get-ChildItem -LiteralPath $result.BackupPath -Name | Sort-Object) | Should -Be @('dur.ahead.tar', 'dur.manifest.json', 'dur.tar', 'upgrade-journal.json')
        }
    }

    Context 'a journal directory in the container''s own writable layer' {
        BeforeAll {
            $merge = New-MergeFile "[Journal]`nAlternateDirectory=/var/iris-journal/"
            $script:Node = Start-Node -Volume @("${merge}:/irisops/node/merge.cpf:ro") -Environment @{ ISC_CPF_MERGE_FILE = '/irisops/node/merge.cpf' }
        }

        It 'is a named preflight problem, and nothing is stopped' {
            $before = Get-Inspect $Node.Name
            $result = Update-IrisApplicationImage -Name $Node.Name -Image $V2 @Fast -BackupPath $BackupRoot -ErrorVariable failures -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'Failed'
            @($failures).Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Match '^InstanceDirectoryNotMounted'
            $failures[0].Exception.Message | Should -Match "alternate journal directory .*'/var/iris-journal/'.*writable layer"
            $after = Get-Inspect $Node.Name
            $after.Id | Should -Be $before.Id
            $after.State.StartedAt | Should -Be $before.State.StartedAt
            Test-Path (Join-Path $BackupRoot $Node.Name) | Should -BeFalse
        }
    }

    Context '-BackupPath that cannot take the backup' {
        BeforeAll {
            $script:Node = Start-Node
            $script:BeforeNode = Get-Inspect $Node.Name
            $script:AFile = Join-Path $BackupRoot 'a-file'
            Set-Content -LiteralPath $AFile -Value 'x'
        }

        It 'refuses <Case> with InvalidArgument naming -BackupPath, also under -WhatIf, before any node is stopped' -ForEach @(
            @{ Case = 'a file'; Id = 'BackupPathIsFile'; Path = { $AFile } }
            @{ Case = 'a missing parent'; Id = 'BackupPathParentMissing'; Path = { Join-Path $BackupRoot 'missing/backups' } }
            @{ Case = 'an unwritable folder'; Id = 'BackupPathNotWritable'; Path = { '/proc/irisops-backups' } }
        ) {
            $path = & $Path
            foreach ($whatIf in $false, $true) {
                # A terminating error: the parameter is wrong for every node.
                $failure = Get-ErrorRecord { Update-IrisApplicationImage -Name $Node.Name -Image $V2 @Fast -BackupPath $path -WhatIf:$whatIf }
                $failure | Should -Not -BeNullOrEmpty
                $failure.FullyQualifiedErrorId | Should -Match "^$Id,"
                $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
                $failure.Exception.Message | Should -Match '-BackupPath'
            }
            $after = Get-Inspect $Node.Name
            $after.Id | Should -Be $BeforeNode.Id
            $after.State.StartedAt | Should -Be $BeforeNode.State.StartedAt
        }

        It 'refuses too little free space for the estimated archives' {
            $disk = New-SmallDisk 8
            if (-not $disk) { Set-ItResult -Skipped -Because 'a tmpfs cannot be mounted here (needs root)'; return }
            foreach ($whatIf in $false, $true) {
                $result = Update-IrisApplicationImage -Name $Node.Name -Image $V2 @Fast -BackupPath $disk -WhatIf:$whatIf -ErrorVariable failures -ErrorAction SilentlyContinue
                @($failures).Count | Should -Be 1
                $failures[0].FullyQualifiedErrorId | Should -Match '^BackupSpaceLow,'
                $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
                $failures[0].Exception.Message | Should -Match "-BackupPath '$([regex]::Escape($disk))'"
            }
            (Get-Inspect $Node.Name).State.StartedAt | Should -Be $BeforeNode.State.StartedAt
            @(Get-ChildItem -LiteralPath $disk -Force).Count | Should -Be 0
        }
    }

    Context 'the disk under -BackupPath fills up during the backup' {
        BeforeAll {
            $script:Node = Start-Node
            # A sparse 200 MB database file: du (the preflight's estimate) counts the few blocks it uses, the
            # archive holds all 200 MB, so the 96 MB disk passes the estimate and fills up during the backup.
            & truncate -s 200M (Join-Path $Node.Durable 'iconfig/mgr/user/sparse.dat')
            $LASTEXITCODE | Should -Be 0
        }

        It 'rolls back: the old container runs healthy again, partial files are removed, the durable data is unchanged' {
            $disk = New-SmallDisk 96
            if (-not $disk) { Set-ItResult -Skipped -Because 'a tmpfs cannot be mounted here (needs root)'; return }
            $id = (Get-Inspect $Node.Name).Id
            $before = Get-Listing $Node.Durable

            $result = Update-IrisApplicationImage -Name $Node.Name -Image $V2 @Fast -BackupPath $disk -ErrorVariable failures -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'RolledBack'
            @($failures).Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Match '^BackupWriteFailed,'
            $failures[0].Exception.Message | Should -Match '-BackupPath'
            $after = Get-Inspect $Node.Name
            $after.Id | Should -Be $id
            $after.Config.Image | Should -Be $V1
            (Wait-ContainerHealth -Name $Node.Name -TimeoutSeconds 20).Health | Should -Be 'healthy'
            # No archive or partial file is left; the run's journal stays as the record of what happened.
            @(Get-ChildItem -LiteralPath $disk -Recurse -Force -File | Where-Object Name -NE 'upgrade-journal.json') | Should -BeNullOrEmpty
            Assert-SameListing -Before $before -After (Get-Listing $Node.Durable) -Except $RestartRecords
        }
    }
}
