# Test-IrisEcpCluster: every check on a healthy cluster, the failures it reports for a broken one, ECP over TLS
# end to end and each documented cause of a refused or pending connection, and the target objects it takes.
# Runs on a real Docker engine with the irisops-standin image (tests/fixtures/iris-standin). The stand-in is NOT
# InterSystems IRIS: it runs a real mutual-TLS link between containers, configured only by what the merge files
# set up, and refuses what the InterSystems manuals do not document. Without a Docker engine these tests are
# skipped with a visible notice; IRISOPS_REQUIRE_DOCKER=1 makes that a failure.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Test-IrisEcpCluster.Tests.ps1 (Test-IrisEcpCluster on the stand-in)'
}

Describe 'Test-IrisEcpCluster on a cluster it breaks' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1 | Out-Null
        Import-Module $ModuleManifest -Force
        Initialize-EcpTestRun -Prefix 'pv'
    }

    AfterAll {
        Remove-EcpTestRun
    }

    Context 'a 1 + 3 cluster of its own (the It stops a node and edits a file)' {
        BeforeAll {
            Use-TestCluster 'b' -ApplicationServerCount 3
        }

        It 'Test-IrisEcpCluster passes every check, then reports the broken merge entry and the stopped node' {
            $checks = @(Test-IrisEcpCluster -Name $C1 -Quick)
            $checks.Count | Should -Be (5 + 3 * 6)
            @($checks | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Node)/$($_.Check): $($_.Detail)" }) | Should -BeNullOrEmpty
            @($checks | Where-Object Node -EQ "$C1-app-2" | ForEach-Object Check) | Should -Be @('Running', 'Healthy', 'MergeFileApplied', 'TlsFiles', 'LicenseMounted', 'DataServerReachable')

            # Break the data server's durable configuration and stop one application server.
            (Invoke-ContainerCommand -Name "$C1-data" -Command 'sed', '-i', '/^MaxServerConn=/d', '/irisops/durable/iconfig/iris.cpf').ExitCode | Should -Be 0
            Invoke-DockerChecked -ArgumentList 'stop', '-t', '10', "$C1-app-3" | Out-Null
            $broken = @(Test-IrisEcpCluster -Name $C1 -Quick)
            $failed = @($broken | Where-Object { -not $_.Passed })
            $merge = $failed | Where-Object { $_.Node -eq "$C1-data" -and $_.Check -eq 'MergeFileApplied' }
            $merge | Should -Not -BeNullOrEmpty
            $merge.Detail | Should -Match 'MaxServerConn'
            ($failed | Where-Object { $_.Node -eq "$C1-app-3" -and $_.Check -eq 'Running' }) | Should -Not -BeNullOrEmpty
            @($failed | Where-Object { $_.Node -notin "$C1-data", "$C1-app-3" }) | Should -BeNullOrEmpty
        }
    }
}

Describe 'ECP over TLS end to end on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1, v2 | Out-Null
        Import-Module $ModuleManifest -Force
        Initialize-EcpTestRun -Prefix 'tl'
        $script:Subject = @{ Organization = 'Acme Corp'; OrganizationalUnit = 'Ops'; Country = 'US'; State = 'MA'; Locality = 'Boston' }

        function New-Cluster([string] $Tag, [hashtable] $Extra = @{}) {
            $name = New-ClusterName $Tag
            $hosts = "$name-data", "$name-app-1", "$name-app-2"
            $set = New-IrisCertificateSet -Path (Join-Path $Root "$name-certs") -DataServer $hosts[0] -ApplicationServer $hosts[1], $hosts[2] @Subject
            $arguments = @{ Name = $name; Image = 'irisops-standin:v1'; LicenseKeyPath = $License; Namespace = 'APP'; GlobalMapping = 'demo.*'; HealthTimeout = 60; StopTimeout = 10 } + $Extra
            return [pscustomobject]@{ Name = $name; Set = $set; Arguments = $arguments }
        }

        function Failed($Checks) { @($Checks | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Node)/$($_.Check): $($_.Detail)" }) }

        # Replaces a node's certificate and key in the cluster folder (the files its container mounts) and
        # restarts it; returns the original bytes for Restore-NodeCertificate.
        # The node reads its TLS files from its TLS volume (read-only there): a root container writes them, as
        # the prepare container did, while the node is stopped.
        function Write-NodeTls([string] $HostName, [string] $CertificatePath, [string] $KeyPath) {
            $source = Join-Path $Root "tls-$([guid]::NewGuid().ToString('N').Substring(0, 6))"
            New-Item -ItemType Directory -Path $source | Out-Null
            Copy-Item -LiteralPath $CertificatePath -Destination (Join-Path $source 'node.cer')
            Copy-Item -LiteralPath $KeyPath -Destination (Join-Path $source 'node.key')
            Invoke-DockerChecked -ArgumentList 'stop', '-t', '10', $HostName | Out-Null
            Invoke-DockerChecked -ArgumentList 'run', '--rm', '--label', 'irisops.test=1', '--user', '0:0', '--network', 'none', '--entrypoint', '/bin/sh',
                '-v', "$HostName-tls:/t", '-v', "${source}:/src:ro", 'irisops-standin:v1', '-c',
                'cp /src/node.cer /src/node.key /t/ && chown 51773:51773 /t/node.cer /t/node.key && chmod 600 /t/node.key' | Out-Null
            Remove-Item -LiteralPath $source -Recurse -Force
            Invoke-DockerChecked -ArgumentList 'start', $HostName | Out-Null
            Wait-ContainerHealth -Name $HostName -TimeoutSeconds 60 | Out-Null
        }
        function Set-NodeCertificate([string] $Folder, [string] $HostName, $Certificate) {
            $tls = Join-Path $Folder "nodes/$HostName/tls"
            Write-NodeTls $HostName $Certificate.CertificatePath $Certificate.KeyPath
            return @{ Folder = $tls; Node = $HostName }
        }
        # The host copies in the cluster folder are what the node had.
        function Restore-NodeCertificate($Saved) {
            Write-NodeTls $Saved.Node "$($Saved.Folder)/node.cer" "$($Saved.Folder)/node.key"
        }

        # A compose project of the cluster, with one merge file edited the way a person might, started with
        # docker-compose: the failures the engine path never produces.
        function Start-EditedCompose([string] $Tag, [string] $EditHost, [scriptblock] $Edit) {
            $c = New-Cluster $Tag
            $output = Join-Path $Root "$($c.Name)-compose"
            $arguments = $c.Arguments
            $project = $c.Set | New-IrisEcpCluster @arguments -OutputPath $output
            $merge = Join-Path $output "nodes/$($c.Name)-$EditHost/merge.cpf"
            Set-Content -LiteralPath $merge -Value (& $Edit (Get-Content -Raw -LiteralPath $merge)) -NoNewline
            $ComposeProjects.Add([pscustomobject]@{ Name = $c.Name; Path = $output })
            $up = Invoke-Bounded -FilePath 'docker-compose' -ArgumentList '-p', $c.Name, 'up', '-d' -WorkingDirectory $output -TimeoutSeconds 180
            $up.ExitCode | Should -Be 0 -Because $up.Error
            @(Wait-ClusterHealthy $c.Name 3 -TimeoutSeconds 90).Count | Should -Be 3
            return $c
        }
        # The 1 + 2 cluster with a full certificate subject and -Namespace APP: sets $Good, $GoodFolder, $GoodCluster, $Apps.
        function Use-GoodCluster([string] $Tag) {
            $script:Good = New-Cluster $Tag
            $script:GoodFolder = Join-Path $Root "$($Good.Name)-folder"
            $arguments = $Good.Arguments
            $script:GoodCluster = $Good.Set | New-IrisEcpCluster @arguments -ClusterPath $GoodFolder
            $script:Apps = @($GoodCluster.ApplicationServers)
        }
    }

    AfterAll {
        Remove-EcpTestRun
    }

    # The Its that swap a certificate put the original back in a finally; the cluster is otherwise only read.
    Context 'a 1 + 2 cluster with a full certificate subject and -Namespace APP' {
        BeforeAll {
            Use-GoodCluster 'g'
        }

        It 'authorizes the full Subject DN read from each certificate and creates APP before the mappings' {
            $data = (Read-InContainer $GoodCluster.DataServer.Name '/irisops/config/merge.cpf') -split "`r?`n"
            foreach ($app in $Apps) {
                $data | Should -Contain "Execute:Namespace=%SYS,ClassName=SYS.ECP,MethodName=AddAuthorizedCN,Arg1=`"CN=$($app.HostName), OU=Ops, O=Acme Corp, L=Boston, ST=MA, C=US`""
                $lines = (Read-InContainer $app.Name '/irisops/config/merge.cpf') -split "`r?`n"
                $namespace = [array]::IndexOf($lines, 'CreateNamespace:Name=APP,Globals=MYAPPDATA,Routines=MYAPPDATA')
                $namespace | Should -BeGreaterThan 0
                $mapping = [array]::IndexOf($lines, 'CreateMapGlobal:Namespace=APP,Name=demo.*,Database=MYAPPDATA')
                $mapping | Should -BeGreaterThan $namespace
            }
        }

        It 'Test-IrisEcpCluster proves ECP end to end: every check passes, per node state, TLS, authorization, ClientSystems and round trip' {
            $checks = @(Test-IrisEcpCluster -Name $Good.Name)
            Failed $checks | Should -BeNullOrEmpty
            foreach ($app in $Apps) {
                $mine = @($checks | Where-Object Node -EQ $app.Name)
                @($mine.Check) | Should -Be @('Running', 'Healthy', 'MergeFileApplied', 'TlsFiles', 'LicenseMounted', 'DataServerReachable', 'EcpTls', 'EcpConnection', 'EcpAuthorization', 'EcpClientSystems', 'EcpRoundTrip')
                ($mine | Where-Object Check -EQ 'EcpConnection').Detail | Should -Match 'state 5 \(normal\)'
                ($mine | Where-Object Check -EQ 'EcpAuthorization').Detail | Should -Be "authorized on the data server as 'CN=$($app.HostName), OU=Ops, O=Acme Corp, L=Boston, ST=MA, C=US'"
                ($mine | Where-Object Check -EQ 'EcpClientSystems').Detail | Should -Match ([regex]::Escape($app.IPAddress))
                ($mine | Where-Object Check -EQ 'EcpRoundTrip').Detail | Should -Match '^set in \d+ ms; read back on 1 other application server\(s\) and on the data server$'
            }
            ($checks | Where-Object { $_.Node -eq $GoodCluster.DataServer.Name -and $_.Check -eq 'EcpTls' }).Detail | Should -Match 'SSLECPServer=2.*superserver TLS enabled'
        }

        It 'a certificate from another CA fails that node only, naming the cause; its own certificate back passes again' {
            $foreign = New-IrisCertificateSet -Path (Join-Path $Root 'foreign') -DataServer 'x-data' -ApplicationServer $Apps[1].HostName
            $saved = Set-NodeCertificate $GoodFolder $Apps[1].HostName ($foreign.Certificates | Where-Object HostName -EQ $Apps[1].HostName)
            try {
                $checks = @(Test-IrisEcpCluster -Name $Good.Name)
                $failed = @($checks | Where-Object { -not $_.Passed })
                @($failed.Node | Select-Object -Unique) | Should -Be @($Apps[1].Name)
                $connection = $failed | Where-Object Check -EQ 'EcpConnection'
                $connection.Detail | Should -Match 'not issued by the cluster CA'
                $connection.Detail | Should -Match 'New-IrisCertificateSet -CertificateAuthorityPath'
            }
            finally { Restore-NodeCertificate $saved }
            Failed @(Test-IrisEcpCluster -Name $Good.Name) | Should -BeNullOrEmpty
        }

        It 'a certificate of the cluster CA for another subject leaves the node pending, with the DN it presents' {
            $other = New-IrisCertificateSet -Path (Join-Path $Root 'other-subject') -CertificateAuthorityPath $Good.Set.Path -ApplicationServer $Apps[0].HostName -Organization 'Not Listed'
            $saved = Set-NodeCertificate $GoodFolder $Apps[0].HostName $other.Certificates[0]
            try {
                $checks = @(Test-IrisEcpCluster -Name $Good.Name)
                $authorization = $checks | Where-Object { $_.Node -eq $Apps[0].Name -and $_.Check -eq 'EcpAuthorization' }
                $authorization.Passed | Should -BeFalse
                $authorization.Detail | Should -BeLike "$($Apps[0].HostName) is pending on the data server: its certificate subject 'CN=$($Apps[0].HostName), O=Not Listed' is not authorized.*"
                ($checks | Where-Object { $_.Node -eq $Apps[0].Name -and $_.Check -eq 'EcpConnection' }).Detail | Should -Match '^state 2 \(connection in progress\)'
                # The data server holds it pending under that name.
                Read-InContainer $GoodCluster.DataServer.Name '/irisops/durable/iconfig/standin/ecp-pending.log' | Should -Match ([regex]::Escape("CN=$($Apps[0].HostName), O=Not Listed"))
                @($checks | Where-Object { -not $_.Passed -and $_.Node -ne $Apps[0].Name }) | Should -BeNullOrEmpty
            }
            finally { Restore-NodeCertificate $saved }
        }
    }

    Context 'a 1 + 2 cluster of its own, moved to v2' {
        BeforeAll {
            Use-GoodCluster 'u'
        }

        It 'after Update-IrisApplicationImage moves every node (the data server included) to v2, the end-to-end test passes again' {
            $results = @(Get-IrisEcpCluster -Name $Good.Name | Update-IrisApplicationImage -Image 'irisops-standin:v2' -BackupPath (Join-Path $Root 'backups') -HealthTimeout 60 -StopTimeout 10 -Confirm:$false)
            @($results | ForEach-Object { "$($_.Node)=$($_.Status)" }) | Should -Be @($GoodCluster.ApplicationServers.Name + $GoodCluster.DataServer.Name | ForEach-Object { "$_=Upgraded" })
            Failed @(Test-IrisEcpCluster -Name $Good.Name) | Should -BeNullOrEmpty
        }
    }

    Context 'documented causes of a refused connection, from a hand-edited compose project' {
        It 'no superserver TLS on the data server: every application server fails with that cause' {
            $c = Start-EditedCompose 'n' 'data' { param($text) ($text -split "`n" | Where-Object { $_ -notlike 'ModifyServer:*' }) -join "`n" }
            $checks = @(Test-IrisEcpCluster -Name $c.Name)
            $connections = @($checks | Where-Object Check -EQ 'EcpConnection')
            $connections.Count | Should -Be 2
            foreach ($connection in $connections) {
                $connection.Passed | Should -BeFalse
                $connection.Detail | Should -Match "the data server's superserver does not accept TLS"
            }
            @($checks | Where-Object Check -EQ 'EcpRoundTrip' | Where-Object Passed) | Should -BeNullOrEmpty
        }

        It 'an application server outside ClientSystems is refused: EcpClientSystems and EcpConnection fail for it only' {
            $c = Start-EditedCompose 'c' 'data' { param($text) $text -replace '(ClientSystems=[0-9.]+);[0-9.]+', '$1' }
            $checks = @(Test-IrisEcpCluster -Name $c.Name)
            $app2 = "$($c.Name)-app-2"
            $failed = @($checks | Where-Object { -not $_.Passed })
            @($failed.Node | Select-Object -Unique) | Should -Be @($app2)
            ($failed | Where-Object Check -EQ 'EcpClientSystems').Detail | Should -Match 'is not in %Service_ECP ClientSystems'
            ($failed | Where-Object Check -EQ 'EcpConnection').Detail | Should -Match 'not in %Service_ECP ClientSystems'
        }
    }
}

Describe 'Test-IrisEcpCluster with a deserialized cluster object' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1 | Out-Null
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

    It 'Test-IrisEcpCluster takes it from the pipeline' {
        $checks = @(Import-Clixml -LiteralPath $Saved | Test-IrisEcpCluster -Quick)
        @($checks.Node | Select-Object -Unique) | Should -Be @("$Name-data", "$Name-app-1")
        @($checks | Where-Object { -not $_.Passed }) | Should -BeNullOrEmpty
    }

    It 'a node object piped in stands for its cluster, not for a cluster named like the container' {
        $node = (Get-IrisEcpCluster -Name $Name).ApplicationServers[0]
        $checks = @($node | Test-IrisEcpCluster -Quick)
        @($checks.Node | Select-Object -Unique) | Should -Be @("$Name-data", "$Name-app-1")
    }

    It 'an upgrade result (here deserialized) piped in stands for its cluster' {
        $result = [pscustomobject]@{ PSTypeName = 'Deserialized.IrisOps.Core.Upgrade.IrisUpgradeResult'; Node = "$Name-app-1"; Cluster = $Name; Role = 'App'; FromImage = 'irisops-standin:v1'; ToImage = 'irisops-standin:v1'; Status = 'Upgraded' }
        $checks = @($result | Test-IrisEcpCluster -Quick)
        @($checks.Node | Select-Object -Unique) | Should -Be @("$Name-data", "$Name-app-1")
    }

    It '-Name takes several names and wildcards, from the pipeline too; a missing name is an error that does not stop the others' {
        $checks = @("$($Name.Substring(0, $Name.Length - 2))*", $Name | Test-IrisEcpCluster -Quick)
        @($checks.Node | Select-Object -Unique) | Should -Be @("$Name-data", "$Name-app-1") -Because 'a cluster matched twice is tested once'
        @(Test-IrisEcpCluster -Name 'irisops-no-such-*' -Quick -ErrorAction Stop) | Should -BeNullOrEmpty -Because 'a wildcard that matches nothing is no error'
        $checks = @(Test-IrisEcpCluster -Name 'irisops-no-such-cluster', $Name -Quick -ErrorVariable missing -ErrorAction SilentlyContinue)
        @($checks.Node | Select-Object -Unique) | Should -Be @("$Name-data", "$Name-app-1")
        @($missing).Count | Should -Be 1
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'ClusterNotFound,*'
        $missing[0].TargetObject | Should -Be 'irisops-no-such-cluster'
    }

    It 'Remove-IrisEcpCluster takes the same shapes: names it cannot find are errors, one each, and nothing is removed' {
        Remove-IrisEcpCluster -Name 'irisops-no-such-a', 'irisops-no-such-b' -Confirm:$false -ErrorVariable missing -ErrorAction SilentlyContinue
        @($missing | ForEach-Object TargetObject) | Should -Be @('irisops-no-such-a', 'irisops-no-such-b')
        Remove-IrisEcpCluster -Name "$Name*" -WhatIf
        @(Get-IrisEcpCluster -Name $Name).Count | Should -Be 1 -Because '-WhatIf removes nothing'
    }

    It 'the debug stream shows each Docker API call with its outcome and time, and no command arguments or input' {
        # $DebugPreference rather than -Debug: on a compiled cmdlet -Debug asks before each message, and this host cannot ask.
        $DebugPreference = 'Continue'
        $debug = @(Test-IrisEcpCluster -Name $Name 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object Message)
        $debug | Should -Contain 'Docker API: list containers'
        @($debug -match "^Docker API: inspect container '[^']+': done in \d+ ms$").Count | Should -BeGreaterThan 0
        @($debug -match "^Docker API: run '[^']+' in container '$Name-(data|app-1)'$").Count | Should -BeGreaterThan 0 -Because 'the deep test runs programs in the nodes'
        ($debug -join "`n") | Should -Not -Match 'ObjectScript|zn |write |\$\$' -Because 'what a session is sent never appears'
    }

    It 'something that is not a target is refused, naming what it takes' {
        $err = { [pscustomobject]@{ Foo = 1 } | Test-IrisEcpCluster -ErrorAction Stop } | Should -Throw -PassThru
        $err.Exception.Message | Should -Match 'cluster or node object'
    }
}
