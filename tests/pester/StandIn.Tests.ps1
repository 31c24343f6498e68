# The irisops-standin image (tests/fixtures/iris-standin) keeps the IRIS container contract that the Docker
# features rely on. It is a stand-in, NOT InterSystems IRIS: these tests prove the stand-in, not IRIS.
# Without a Docker engine they are skipped with a visible notice; IRISOPS_REQUIRE_DOCKER=1 makes that a failure.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'StandIn.Tests.ps1 (stand-in image contract)'
}

Describe 'irisops-standin image contract' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage | Out-Null
        $script:RunId = New-TestRunId
        $script:Folders = [Collections.Generic.List[string]]::new()
        $script:V1 = 'irisops-standin:v1'
        $script:V2 = 'irisops-standin:v2'

        function New-Durable([string] $Owner = 'irisowner') {
            $path = New-DurableFolder -RunId $RunId -Owner $Owner
            $Folders.Add($path)
            return $path
        }

        function New-HostFolder {
            $path = Join-Path ([IO.Path]::GetTempPath()) ('irisops-standin-files-' + [guid]::NewGuid().ToString('N').Substring(0, 10))
            New-Item -ItemType Directory -Path $path | Out-Null
            $Folders.Add($path)
            return $path
        }

        function Start-Durable([string] $Durable, [string] $Image = $V1, [hashtable] $Environment = @{}, [string[]] $Volume = @(), [string[]] $Argument = @()) {
            $environment = @{ ISC_DATA_DIRECTORY = '/dur/iconfig' } + $Environment
            Start-TestContainer -RunId $RunId -Image $Image -Environment $environment -Volume (@("${Durable}:/dur") + $Volume) -Argument $Argument
        }

        function Assert-Healthy([string] $Name) {
            $state = Wait-ContainerHealth -Name $Name -TimeoutSeconds 30
            $state.Health | Should -Be 'healthy' -Because ((Invoke-DockerCli -ArgumentList 'logs', $Name).Output + (Invoke-DockerCli -ArgumentList 'logs', $Name).Error)
        }

        function Get-Logs([string] $Name) {
            $logs = Invoke-DockerCli -ArgumentList 'logs', $Name
            $logs.Output + $logs.Error
        }

        function Read-Durable([string] $Durable, [string] $RelativePath) {
            Get-Content -Raw -LiteralPath (Join-Path $Durable "iconfig/$RelativePath")
        }
    }

    AfterAll {
        if ($script:RunId) { Remove-TestResources -RunId $RunId }
        foreach ($folder in $script:Folders) { Remove-DurableFolder -Path $folder }
    }

    It 'says it is a stand-in, runs as uid 51773 with the IRIS package variables, and answers iris qlist' {
        $name = Start-TestContainer -RunId $RunId -Image $V1
        Assert-Healthy $name
        (Invoke-ContainerCommand -Name $name -Command 'id', '-u').Output.Trim() | Should -Be '51773'
        $environment = (Invoke-ContainerCommand -Name $name -Command 'env').Output
        $environment | Should -Match '(?m)^ISC_PACKAGE_INSTANCENAME=IRIS$'
        $environment | Should -Match '(?m)^ISC_PACKAGE_INSTALLDIR=/usr/irissys$'
        $environment | Should -Match '(?m)^ISC_PACKAGE_MGRUSER=irisowner$'
        Get-Logs $name | Should -Match 'NOT InterSystems IRIS'
        (Invoke-DockerChecked -ArgumentList 'image', 'inspect', '--format', '{{ index .Config.Labels "org.opencontainers.image.description" }}', $V1) | Should -Match 'NOT InterSystems IRIS'
        $qlist = (Invoke-ContainerCommand -Name $name -Command 'iris', 'qlist').Output.Trim()
        $qlist | Should -Match '^IRIS\^/usr/irissys\^1\.0\.0\.100\.0standin\^running, since .+\^iris\.cpf\^1972\^52773\^0\^ok\^IRIS\^\^\^/usr/irissys$'
        (Invoke-ContainerCommand -Name $name -Command '/irisHealth.sh').ExitCode | Should -Be 0
    }

    It 'answers on the superserver port 1972 to another container on the same network' {
        $network = "irisops-test-$RunId-net"
        Invoke-DockerChecked -ArgumentList 'network', 'create', '--label', 'irisops.test=1', '--label', "irisops.test.run=$RunId", $network | Out-Null
        $server = Start-TestContainer -RunId $RunId -Image $V1 -ExtraOption '--network', $network, '--network-alias', 'data-server', '--hostname', 'data-server'
        $client = Start-TestContainer -RunId $RunId -Image $V1 -ExtraOption '--network', $network
        Assert-Healthy $server
        Assert-Healthy $client
        $probe = Invoke-ContainerCommand -Name $client -Command 'nc', '-w', '10', 'data-server', '1972'
        $probe.ExitCode | Should -Be 0
        $probe.Output | Should -Match '^irisops-standin superserver 1\.0\.0\.100\.0standin'
    }

    It 'starts through the /tini shim as IRIS images do, and under docker --init' {
        $viaTini = Start-TestContainer -RunId $RunId -Image $V1 -ExtraOption '--entrypoint', '/tini' -Argument '--', '/iris-main', '--check-caps', 'false'
        $viaInit = Start-TestContainer -RunId $RunId -Image $V1 -ExtraOption '--init'
        Assert-Healthy $viaTini
        Assert-Healthy $viaInit
        Invoke-DockerChecked -ArgumentList 'stop', '-t', '20', $viaInit | Out-Null
        (Get-ContainerState $viaInit).ExitCode | Should -Be 0
    }

    It 'copies its skeleton to a bind-mounted durable directory owned by 51773 on the first start' {
        $durable = New-Durable
        $name = Start-Durable $durable
        Assert-Healthy $name
        Join-Path $durable 'iconfig/iris.cpf' | Should -Exist
        Join-Path $durable 'iconfig/mgr/IRIS.DAT' | Should -Exist
        foreach ($db in 'irisaudit', 'iristemp', 'irislocaldata', 'user') { Join-Path $durable "iconfig/mgr/$db/IRIS.DAT" | Should -Exist }
        # Read-only databases stay in the image, as IRIS leaves IRISLIB and ENSLIB in the install directory.
        Join-Path $durable 'iconfig/mgr/irislib' | Should -Not -Exist
        $cpf = Read-Durable $durable 'iris.cpf'
        $cpf | Should -Match '(?m)^USER=/dur/iconfig/mgr/user/$'
        $cpf | Should -Match '(?m)^IRISSYS=/dur/iconfig/mgr/$'
        $cpf | Should -Match '(?m)^IRISLIB=/usr/irissys/mgr/irislib/$'
        (Read-Durable $durable 'standin/version').Trim() | Should -Be '1.0.0.100.0standin'
        Read-Durable $durable 'standin/starts.log' | Should -Match 'first-start version=1\.0\.0\.100\.0standin'
        Join-Path $durable 'iconfig/standin/running' | Should -Exist
        (Invoke-ContainerCommand -Name $name -Command 'stat', '-c', '%u:%g', '/dur/iconfig/iris.cpf', '/dur/iconfig/mgr/user/IRIS.DAT').Output -split "`n" |
            Where-Object { $_ } | Should -Be @('51773:51773', '51773:51773')
    }

    It 'refuses a durable directory that uid 51773 cannot write, with ERROR #5001' {
        $durable = New-Durable -Owner root
        $name = Start-Durable $durable
        $state = Wait-ContainerExit -Name $name -TimeoutSeconds 30
        $state.Status | Should -Be 'exited'
        $state.ExitCode | Should -Be 1
        Get-Logs $name | Should -Match 'ERROR #5001'
        @(Get-ChildItem -LiteralPath $durable -Force) | Should -HaveCount 0
    }

    It 'applies ISC_CPF_MERGE_FILE before the first start, records [Actions], and merges again with iris merge and on change' {
        $durable = New-Durable
        $merge = New-HostFolder
        # CRLF, a BOM, comments, a commented-out header, a lowercase [actions] (ignored by IRIS) and a repeated key.
        $first = "`u{FEFF}# node merge file`r`n[config]`r`nMaxServerConn=5  `r`n#[Startup]`r`n; comment`r`n[Actions]`r`nCreateDatabase:Name=MYAPPDATA,Directory=/dur/iconfig/mgr/myappdata`r`nCreateNamespace:Name=APP,Globals=MYAPPDATA`r`n[actions]`r`nCreateResource:Name=Ignored`r`n[ECP]`r`nClientReconnectDuration=600`r`n[config]`r`nMaxServers=4"
        [IO.File]::WriteAllText((Join-Path $merge 'node.cpf'), $first)
        [IO.File]::WriteAllText((Join-Path $merge 'second.cpf'), "[config]`nMaxServerConn=9`n[Actions]`nModifyService:Name=%Service_ECP,Enabled=1`n")
        [IO.File]::WriteAllText((Join-Path $merge 'bad.cpf'), "[config]`nno equals sign here`n")
        $name = Start-Durable $durable -Environment @{ ISC_CPF_MERGE_FILE = '/merge/node.cpf' } -Volume "${merge}:/merge:ro"
        Assert-Healthy $name

        $cpf = Read-Durable $durable 'iris.cpf'
        $cpf | Should -Match '(?m)^MaxServerConn=5$'
        $cpf | Should -Match '(?m)^MaxServers=4$'
        $cpf | Should -Match '(?m)^ClientReconnectDuration=600$'
        $cpf | Should -Not -Match '\[Actions\]'
        $cpf | Should -Not -Match 'Ignored'
        (Read-Durable $durable 'standin/actions.log') -split "`n" | Where-Object { $_ } |
            Should -Be @('CreateDatabase:Name=MYAPPDATA,Directory=/dur/iconfig/mgr/myappdata', 'CreateNamespace:Name=APP,Globals=MYAPPDATA')
        Read-Durable $durable 'standin/merge.log' | Should -Match 'source=startup file=/merge/node\.cpf md5=[0-9a-f]{32} result=ok actions=2'
        Read-Durable $durable 'standin/merge.log' | Should -Match 'ignored section \[actions\]'

        $merged = Invoke-ContainerCommand -Name $name -Command 'iris', 'merge', 'IRIS', '/merge/second.cpf'
        $merged.ExitCode | Should -Be 0 -Because $merged.Error
        Read-Durable $durable 'iris.cpf' | Should -Match '(?m)^MaxServerConn=9$'
        ((Read-Durable $durable 'standin/actions.log') -split "`n")[2] | Should -Be 'ModifyService:Name=%Service_ECP,Enabled=1'

        $bad = Invoke-ContainerCommand -Name $name -Command 'iris', 'merge', 'IRIS', '/merge/bad.cpf'
        $bad.ExitCode | Should -Be 1
        $bad.Error | Should -Match 'expected Key=Value'
        # As IRIS has been reported to do, a missing merge file "succeeds"; the stand-in records that nothing was merged.
        (Invoke-ContainerCommand -Name $name -Command 'iris', 'merge', 'IRIS', '/merge/none.cpf').ExitCode | Should -Be 0
        Read-Durable $durable 'standin/merge.log' | Should -Match 'file=/merge/none\.cpf result=missing'

        # Continuous merge: a changed ISC_CPF_MERGE_FILE is merged again while the container runs. The new file is
        # written beside it and renamed over it, so the watch never reads a half-written file.
        [IO.File]::WriteAllText((Join-Path $merge 'node.cpf.new'), "[config]`nMaxServerConn=12`n")
        Move-Item -Force -LiteralPath (Join-Path $merge 'node.cpf.new') -Destination (Join-Path $merge 'node.cpf')
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        # The merge record is written last (after the CPF is replaced), so wait for it, not for the CPF alone.
        while ([DateTime]::UtcNow -lt $deadline -and (Read-Durable $durable 'standin/merge.log') -notmatch 'source=watch file=/merge/node\.cpf') { Start-Sleep -Milliseconds 250 }
        Read-Durable $durable 'iris.cpf' | Should -Match '(?m)^MaxServerConn=12$'
        Read-Durable $durable 'standin/merge.log' | Should -Match 'source=watch file=/merge/node\.cpf'

        # A namespace created by a merge action is known to iris session.
        (Invoke-ContainerCommand -Name $name -Command 'iris', 'session', 'IRIS', '-U', 'APP' -InputText "halt`n").ExitCode | Should -Be 0
    }

    It 'records the ObjectScript iris session receives and prints the configured reply' {
        $durable = New-Durable
        $replies = New-HostFolder
        [IO.File]::WriteAllText((Join-Path $replies 'reply.txt'), "Status=1`n")
        $name = Start-Durable $durable -Environment @{ IRISOPS_STANDIN_REPLY = '/replies/reply.txt' } -Volume "${replies}:/replies:ro"
        Assert-Healthy $name
        $session = Invoke-ContainerCommand -Name $name -Command 'iris', 'session', 'IRIS', '-U', '%SYS' -InputText "set sc=##class(SYS.ECP).AddAuthorizedCN(""CN=app-1"")`nwrite sc,!`nhalt`n"
        $session.ExitCode | Should -Be 0
        $session.Output | Should -Be "Status=1`n"
        $log = Read-Durable $durable 'standin/session.log'
        $log | Should -Match '=== \S+ namespace=%SYS'
        $log | Should -Match ([regex]::Escape('set sc=##class(SYS.ECP).AddAuthorizedCN("CN=app-1")'))

        # The reply and exit code can be set per call (docker exec -e) or in the durable directory.
        $failing = Invoke-ContainerCommand -Name $name -Command 'iris', 'session', 'IRIS', '-U', 'USER', 'do ^%SS' -Environment @{ IRISOPS_STANDIN_REPLY_EXIT = '5'; IRISOPS_STANDIN_REPLY = '/nonexistent' }
        $failing.ExitCode | Should -Be 5
        $failing.Output | Should -BeNullOrEmpty
        Read-Durable $durable 'standin/session.log' | Should -Match '(?m)^do \^%SS$'

        $unknown = Invoke-ContainerCommand -Name $name -Command 'iris', 'session', 'IRIS', '-U', 'NOPE' -InputText "halt`n"
        $unknown.ExitCode | Should -Be 1
        $unknown.Error | Should -Match '<NAMESPACE>'
    }

    It 'stops cleanly on SIGTERM and reuses the durable data on the next start; iris stop is clean too' {
        $durable = New-Durable
        $name = Start-Durable $durable
        Assert-Healthy $name
        (Invoke-ContainerCommand -Name $name -Command 'sh', '-c', 'echo application-data >> /dur/iconfig/mgr/user/IRIS.DAT').ExitCode | Should -Be 0
        Invoke-DockerChecked -ArgumentList 'stop', '-t', '30', $name | Out-Null
        (Get-ContainerState $name).ExitCode | Should -Be 0
        Join-Path $durable 'iconfig/standin/running' | Should -Not -Exist
        Read-Durable $durable 'standin/starts.log' | Should -Match 'stop clean reason=SIGTERM'

        Invoke-DockerChecked -ArgumentList 'start', $name | Out-Null
        Assert-Healthy $name
        $starts = (Read-Durable $durable 'standin/starts.log') -split "`n"
        @($starts | Where-Object { $_ -match 'first-start' }) | Should -HaveCount 1
        @($starts | Where-Object { $_ -match ' start version=' }) | Should -HaveCount 2
        Read-Durable $durable 'mgr/user/IRIS.DAT' | Should -Match 'application-data'

        $stop = Invoke-ContainerCommand -Name $name -Command 'iris', 'stop', 'IRIS', 'quietly'
        $stop.ExitCode | Should -Be 0
        (Wait-ContainerExit -Name $name -TimeoutSeconds 20).ExitCode | Should -Be 0
        Read-Durable $durable 'standin/starts.log' | Should -Match 'stop clean reason=iris stop'
        Join-Path $durable 'iconfig/standin/running' | Should -Not -Exist
    }

    It 'refuses to start after an unclean shutdown (docker kill), in the same or a new container' {
        $durable = New-Durable
        $name = Start-Durable $durable
        Assert-Healthy $name
        Invoke-DockerChecked -ArgumentList 'kill', $name | Out-Null
        Join-Path $durable 'iconfig/standin/running' | Should -Exist

        Invoke-DockerChecked -ArgumentList 'start', $name | Out-Null
        $state = Wait-ContainerExit -Name $name -TimeoutSeconds 30
        $state.ExitCode | Should -Be 1
        Get-Logs $name | Should -Match 'did not shut down cleanly'
        Read-Durable $durable 'standin/starts.log' | Should -Match 'refused-unclean'

        $replacement = Start-Durable $durable -Image $V2
        (Wait-ContainerExit -Name $replacement -TimeoutSeconds 30).ExitCode | Should -Be 1
        Join-Path $durable 'iconfig/standin/upgrades.log' | Should -Not -Exist

        # The documented way out for tests: start anyway, recorded as a recovery.
        $recovered = Start-Durable $durable -Environment @{ IRISOPS_STANDIN_IGNORE_UNCLEAN = '1' }
        Assert-Healthy $recovered
        Read-Durable $durable 'standin/starts.log' | Should -Match 'recovered-unclean host='
    }

    It 'records an upgrade when v2 starts on the durable data of v1, keeping the data' {
        $durable = New-Durable
        $old = Start-Durable $durable -Image $V1
        Assert-Healthy $old
        (Invoke-ContainerCommand -Name $old -Command 'sh', '-c', 'echo kept-by-upgrade >> /dur/iconfig/mgr/user/IRIS.DAT').ExitCode | Should -Be 0
        Invoke-DockerChecked -ArgumentList 'stop', '-t', '30', $old | Out-Null
        Invoke-DockerChecked -ArgumentList 'rm', $old | Out-Null

        $new = Start-Durable $durable -Image $V2
        Assert-Healthy $new
        Read-Durable $durable 'standin/upgrades.log' | Should -Match 'upgrade from=1\.0\.0\.100\.0standin to=2\.0\.0\.200\.0standin'
        (Read-Durable $durable 'standin/version').Trim() | Should -Be '2.0.0.200.0standin'
        Read-Durable $durable 'mgr/user/IRIS.DAT' | Should -Match 'kept-by-upgrade'
        (Invoke-ContainerCommand -Name $new -Command 'iris', 'qlist').Output | Should -Match '^IRIS\^/usr/irissys\^2\.0\.0\.200\.0standin\^running'
        Read-Durable $durable 'mgr/messages.log' | Should -Match 'Upgrade of the instance data from 1\.0\.0\.100\.0standin to 2\.0\.0\.200\.0standin'
    }

    It 'refuses to start when something on /home/irisowner hides the image''s instance registry (a volume an older image filled)' {
        $workingDirectory = New-Durable
        New-Item -ItemType Directory -Path (Join-Path $workingDirectory 'irissys') | Out-Null
        Set-Content -LiteralPath (Join-Path $workingDirectory 'irissys/standin-registry-version') -Value '1.0.0.100.0standin'
        $name = Start-TestContainer -RunId $RunId -Image $V2 -Volume @("${workingDirectory}:/home/irisowner")
        $state = Wait-ContainerHealth -Name $name -TimeoutSeconds 30
        ($state.Status, $state.ExitCode) | Should -Be @('exited', 1)
        Get-Logs $name | Should -Match 'instance registry /home/irisowner/irissys is of version 1\.0\.0\.100\.0standin, not of this image \(2\.0\.0\.200\.0standin\)'
    }

    It 'the broken tag keeps running but never becomes healthy' {
        $name = Start-TestContainer -RunId $RunId -Image 'irisops-standin:broken'
        $state = Wait-ContainerHealth -Name $name -TimeoutSeconds 30 -Until 'healthy', 'unhealthy'
        $state.Health | Should -Be 'unhealthy'
        $state.Status | Should -Be 'running'
        (Invoke-DockerChecked -ArgumentList 'inspect', '--format', '{{ (index .State.Health.Log 0).Output }}', $name) | Should -Match 'never becomes healthy'
        (Invoke-ContainerCommand -Name $name -Command 'iris', 'qlist').Output | Should -Match '\^running, since .+\^alert\^IRIS'
    }

    It 'runs -b before and -a after the start, -e after the shutdown, and activates --key' {
        $durable = New-Durable
        $license = New-HostFolder
        [IO.File]::WriteAllText((Join-Path $license 'iris.key'), "[ConfigFile]`nFileFormat=4`n; stand-in test key`n")
        $name = Start-Durable $durable -Volume "${license}:/license:ro" -Argument @(
            '--key', '/license/iris.key', '--check-caps', 'false',
            '-b', 'echo before-ran > /dur/iconfig/hooks.log',
            '-a', 'iris qlist >> /dur/iconfig/hooks.log',
            '-e', 'echo exit-ran >> /dur/iconfig/hooks.log')
        Assert-Healthy $name
        Read-Durable $durable 'mgr/iris.key' | Should -Match 'stand-in test key'
        Read-Durable $durable 'standin/license.log' | Should -Match 'key=/license/iris\.key md5='
        Invoke-DockerChecked -ArgumentList 'stop', '-t', '30', $name | Out-Null
        (Read-Durable $durable 'hooks.log') -split "`n" | Where-Object { $_ } | ForEach-Object { ($_ -split '\^')[0] } |
            Should -Be @('before-ran', 'IRIS', 'exit-ran')
        ((Read-Durable $durable 'hooks.log') -split "`n")[1] | Should -Match '\^running, since '
    }

    It 'stops with exit code 1 when the -a command fails, and refuses unknown options' {
        $failing = Start-TestContainer -RunId $RunId -Image $V1 -Argument '-a', 'exit 3'
        (Wait-ContainerExit -Name $failing -TimeoutSeconds 30).ExitCode | Should -Be 1
        $unknown = Start-TestContainer -RunId $RunId -Image $V1 -Argument '--no-such-option'
        (Wait-ContainerExit -Name $unknown -TimeoutSeconds 30).ExitCode | Should -Be 2
        Get-Logs $unknown | Should -Match "Unknown option '--no-such-option'"
    }
}
