# New-IrisEcpCluster: the cluster it creates (containers, merge files, TLS files, license, labels), re-runs and
# refusals, -DurablePath and -Subnet, failures that clean up, the compose export and -WhatIf.
# Runs on a real Docker engine with the irisops-standin image (tests/fixtures/iris-standin). The stand-in is NOT
# InterSystems IRIS: these tests prove what IrisOps hands to the engine and to the image's documented contract, not
# ECP itself. Without a Docker engine they are skipped with a visible notice; IRISOPS_REQUIRE_DOCKER=1 makes that a
# failure.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'New-IrisEcpCluster.Tests.ps1 (New-IrisEcpCluster on the stand-in)'
}

Describe 'New-IrisEcpCluster on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1, v2, broken | Out-Null
        Import-Module $ModuleManifest -Force
        Initialize-EcpTestRun -Prefix 'pt'
    }

    AfterAll {
        Remove-EcpTestRun
    }

    # Every It here only reads the cluster made in BeforeAll (re-running New with the same arguments, or with
    # other ones that it refuses, changes nothing); Its that change a cluster live in the other cmdlets' files.
    Context 'a 1 + 3 cluster from a piped certificate set' {
        BeforeAll {
            Use-TestCluster 'a' -ApplicationServerCount 3
        }

        It 'returns the cluster object: name, network, data server and three application servers, every node healthy' {
            $Cluster1.GetType().Name | Should -Be 'IrisEcpCluster'
            $Cluster1.Name | Should -Be $C1
            $Cluster1.Network | Should -Be "$C1-net"
            $Cluster1.DataServer.Name | Should -Be "$C1-data"
            $Cluster1.DataServer.Role | Should -Be 'Data'
            @($Cluster1.ApplicationServers.Name) | Should -Be $AppHosts1
            foreach ($node in $Cluster1.Nodes) {
                $node.HostName | Should -Be $node.Name
                $node.ContainerId | Should -Be $Inspect1[$node.Name].Id
                $node.Image | Should -Be 'irisops-standin:v1'
                $node.State | Should -Be 'running'
                $node.Health | Should -Be 'healthy'
                $node.IPAddress | Should -Be $Inspect1[$node.Name].NetworkSettings.Networks."$C1-net".IPAddress
                $node.PSObject.Properties.Name | Should -Contain 'Ports'
            }
            @($Cluster1.ApplicationServers.Role | Select-Object -Unique) | Should -Be @('App')
            foreach ($h in $Hosts1) { $Inspect1[$h].State.Health.Status | Should -Be 'healthy' }
            # The default views name every node.
            $text = ($Cluster1 | Out-String -Width 400) + ($Cluster1.Nodes | Out-String -Width 400)
            foreach ($h in $Hosts1) { $text | Should -Match ([regex]::Escape($h)) }
            $text | Should -Match 'healthy'
        }

        It 'puts ISC_DATA_DIRECTORY on durable storage owned by 51773 and sets ISC_CPF_MERGE_FILE' {
            foreach ($h in $Hosts1) {
                $Inspect1[$h].Config.Env | Should -Contain 'ISC_DATA_DIRECTORY=/irisops/durable/iconfig'
                $Inspect1[$h].Config.Env | Should -Contain 'ISC_CPF_MERGE_FILE=/irisops/config/merge.cpf'
                $durable = @($Inspect1[$h].Mounts | Where-Object Destination -EQ '/irisops/durable')
                $durable.Count | Should -Be 1
                $durable[0].Type | Should -Be 'volume'
                $durable[0].Name | Should -Be "$h-durable"
                $durable[0].RW | Should -BeTrue
                $owners = (Invoke-ContainerCommand -Name $h -Command 'stat', '-c', '%u:%g', '/irisops/durable', '/irisops/durable/iconfig', '/irisops/durable/iconfig/iris.cpf').Output -split "`n" | Where-Object { $_ }
                $owners | Should -Be @('51773:51773', '51773:51773', '51773:51773')
            }
        }

        It 'configures the data server: MaxServerConn, superserver TLS, %Service_ECP for exactly the app addresses, %ECPServer with VerifyPeer=3, TLS required, the database on durable storage, one AddAuthorizedCN per app' {
            $merge = Read-InContainer "$C1-data" '/irisops/config/merge.cpf'
            $lines = $merge -split "`r?`n"
            $lines | Should -Contain '[config]'
            $lines | Should -Contain 'MaxServerConn=3'
            $lines | Should -Contain '[Actions]'
            $tlsConfigurations = @($lines | Where-Object { $_ -like 'CreateSSLConfig:*' })
            $tlsConfigurations.Count | Should -Be 2
            $tlsConfigurations[0] | Should -Match '^CreateSSLConfig:Name=IrisOpsSuperserver,.*,Type=1,'
            $lines | Should -Contain 'ModifyServer:Port=1972,BindAddress="",SSLSupportLevel=1,SSLConfig=IrisOpsSuperserver'
            $ecpServer = @($tlsConfigurations | Where-Object { $_ -like 'CreateSSLConfig:Name=%ECPServer,*' })
            $ecpServer.Count | Should -Be 1
            $ecpServer[0] | Should -Match ',VerifyPeer=3(,|$)'
            $ecpServer[0] | Should -Match ',CAFile=/irisops/tls/ca\.cer,CertificateFile=/irisops/tls/node\.cer,PrivateKeyFile=/irisops/tls/node\.key,'
            $lines | Should -Contain 'ModifySystem:Name=SYSTEM,SSLECPServer=2'
            $service = @($lines | Where-Object { $_ -like 'ModifyService:Name=%Service_ECP,*' })
            $service.Count | Should -Be 1
            $service[0] | Should -Match ',Enabled=1,'
            ($service[0] -replace '^.*ClientSystems=', '') -split ';' | Should -Be @($Cluster1.ApplicationServers.IPAddress)
            $lines | Should -Contain 'CreateDatabase:Name=MYAPPDATA,Directory=/irisops/durable/myappdata/'
            $authorized = @($lines | Where-Object { $_ -match 'AddAuthorizedCN' })
            $authorized | Should -Be @($AppHosts1 | ForEach-Object { "Execute:Namespace=%SYS,ClassName=SYS.ECP,MethodName=AddAuthorizedCN,Arg1=`"CN=$_`"" })
            # Never an accept-everything loop (seed 001 accepted any pending client for 100 seconds).
            $merge | Should -Not -Match '(?i)accept|pending|\*\)|ClientSystems=\*'
            # The durable iris.cpf took the [config] entry.
            Read-InContainer "$C1-data" '/irisops/durable/iconfig/iris.cpf' | Should -Match '(?m)^MaxServerConn=3\r?$'
        }

        It 'configures each application server: MaxServers, %ECPClient verifying the data server, CreateECPServer by address with SSLConfig=1, the remote database, the probe global and the -GlobalMapping' {
            foreach ($h in $AppHosts1) {
                $lines = (Read-InContainer $h '/irisops/config/merge.cpf') -split "`r?`n"
                $lines | Should -Contain 'MaxServers=2'
                @($lines | Where-Object { $_ -like 'CreateSSLConfig:*' }) | Should -Be @('CreateSSLConfig:Name=%ECPClient,Description=ECP client TLS (IrisOps),CAFile=/irisops/tls/ca.cer,CertificateFile=/irisops/tls/node.cer,PrivateKeyFile=/irisops/tls/node.key,Type=0,VerifyPeer=1,Enabled=1')
                $lines | Should -Contain "CreateECPServer:Name=$C1-data,Address=$($Cluster1.DataServer.IPAddress),Port=1972,MirrorConnection=0,SSLConfig=1"
                $lines | Should -Contain "CreateDatabase:Name=MYAPPDATA,Directory=/irisops/durable/myappdata/,Server=$C1-data,LogicalOnly=1"
                $lines | Should -Contain 'CreateMapGlobal:Namespace=USER,Name=IrisOpsEcpProbe,Database=MYAPPDATA'
                $lines | Should -Contain 'CreateMapGlobal:Namespace=USER,Name=demo.*,Database=MYAPPDATA'
                @($lines | Where-Object { $_ -like 'CreateNamespace:*' }) | Should -BeNullOrEmpty -Because 'USER exists in every instance'
                @($lines | Where-Object { $_ -match 'AddAuthorizedCN|%Service_ECP|MaxServerConn' }) | Should -BeNullOrEmpty
                Read-InContainer $h '/irisops/durable/iconfig/iris.cpf' | Should -Match '(?m)^MaxServers=2\r?$'
            }
        }

        It 'the stand-in received every [Actions] line of each merge file (standin/actions.log)' {
            foreach ($h in $Hosts1) {
                $merge = (Read-InContainer $h '/irisops/config/merge.cpf') -split "`r?`n"
                $actions = $merge[([array]::IndexOf($merge, '[Actions]') + 1)..($merge.Count - 1)] | Where-Object { $_ }
                $actions.Count | Should -BeGreaterThan 2
                $log = (Read-InContainer $h '/irisops/durable/iconfig/standin/actions.log') -split "`r?`n" | Where-Object { $_ }
                foreach ($action in $actions) { $log | Should -Contain $action -Because "$h must have received $action" }
                Read-InContainer $h '/irisops/durable/iconfig/standin/merge.log' | Should -Match "source=startup file=/irisops/config/merge.cpf md5=\S+ result=ok actions=$($actions.Count)"
            }
        }

        It 'mounts read-only the CA, its own certificate and ONLY its own key, and the license with --key' {
            $ownKeys = @{}
            foreach ($c in $Set1.Certificates) { $ownKeys[$c.HostName] = (Get-Content -Raw -LiteralPath $c.KeyPath) }
            foreach ($h in $Hosts1) {
                $mounts = $Inspect1[$h].Mounts
                # The merge file from the host; TLS files and the license from volumes, so the host copies are never
                # given to the IRIS user.
                foreach ($target in @{ Path = '/irisops/tls'; Type = 'volume'; Name = "$h-tls" }, @{ Path = '/irisops/license'; Type = 'volume'; Name = "$C1-license" }, @{ Path = '/irisops/config/merge.cpf'; Type = 'bind' }) {
                    $m = @($mounts | Where-Object Destination -EQ $target.Path)
                    $m.Count | Should -Be 1 -Because "$h mounts $($target.Path) once"
                    $m[0].Type | Should -Be $target.Type
                    if ($target.Name) { $m[0].Name | Should -Be $target.Name }
                    $m[0].RW | Should -BeFalse -Because "$($target.Path) is read-only on $h"
                }
                # Exactly one TLS key reaches the node, and it is its own.
                @($mounts | Where-Object { $_.Destination -like '/irisops/tls*' }).Count | Should -Be 1
                $keyInside = Read-InContainer $h '/irisops/tls/node.key'
                $keyInside.Trim() | Should -Be $ownKeys[$h].Trim()
                foreach ($other in $Hosts1 | Where-Object { $_ -ne $h }) { $keyInside.Trim() | Should -Not -Be $ownKeys[$other].Trim() }
                $found = (Invoke-ContainerCommand -Name $h -Command 'sh', '-c', 'grep -rl "PRIVATE KEY" /irisops/tls /irisops/config /irisops/license 2>/dev/null').Output -split "`n" | Where-Object { $_ }
                $found | Should -Be @('/irisops/tls/node.key')
                # Owner-only and owned by the IRIS user, as IRIS needs for its key and the license.
                ((Invoke-ContainerCommand -Name $h -Command 'stat', '-L', '-c', '%a %u', '/irisops/tls/node.key', '/irisops/license/iris.key').Output -split "`n" | Where-Object { $_ }) | Should -Be @('600 51773', '600 51773')
                (Read-InContainer $h '/irisops/tls/node.cer').Trim() | Should -Be (Get-Content -Raw -LiteralPath ($Set1.Certificates | Where-Object HostName -EQ $h).CertificatePath).Trim()
                (Read-InContainer $h '/irisops/tls/ca.cer').Trim() | Should -Be (Get-Content -Raw -LiteralPath $Set1.Authority.CertificatePath).Trim()
                # License: read-only, passed with --key, received by the image.
                @($Inspect1[$h].Config.Cmd) | Should -Be @('--key', '/irisops/license/iris.key')
                (Read-InContainer $h '/irisops/license/iris.key') | Should -Be (Get-Content -Raw -LiteralPath $License)
                Read-InContainer $h '/irisops/durable/iconfig/standin/license.log' | Should -Match 'key=/irisops/license/iris\.key md5=[0-9a-f]{32}'
                (Invoke-ContainerCommand -Name $h -Command 'sh', '-c', 'echo x >> /irisops/license/iris.key').ExitCode | Should -Not -Be 0
            }
        }

        It 'gives each node its host name, a network alias, the labels, the stop timeout, init and restart unless-stopped' {
            $hashes = @()
            foreach ($h in $Hosts1) {
                $i = $Inspect1[$h]
                $i.Name | Should -Be "/$h"
                $i.Config.Hostname | Should -Be $h
                $i.NetworkSettings.Networks.PSObject.Properties.Name | Should -Be @("$C1-net")
                $i.NetworkSettings.Networks."$C1-net".Aliases | Should -Contain $h
                $labels = $i.Config.Labels
                $labels.'irisops.cluster' | Should -Be $C1
                $labels.'irisops.role' | Should -Be ($(if ($h -eq "$C1-data") { 'data' } else { 'app' }))
                $labels.'irisops.node' | Should -Be $h
                $labels.'irisops.managed' | Should -Be 'true'
                $labels.'irisops.spec-hash' | Should -Match '^[0-9a-f]{16}$'
                $spec = $labels.'irisops.spec' | ConvertFrom-Json
                $spec.name | Should -Be $C1
                $spec.globalMappings | Should -Be 'demo.*'
                $spec.PSObject.Properties.Name | Should -Not -Contain 'password'
                $hashes += $labels.'irisops.spec-hash'
                $i.Config.StopTimeout | Should -Be 10
                $i.HostConfig.Init | Should -BeTrue
                $i.HostConfig.RestartPolicy.Name | Should -Be 'unless-stopped'
                $i.Config.Image | Should -Be 'irisops-standin:v1'
            }
            @($hashes | Select-Object -Unique).Count | Should -Be 1
            # Resolution by alias on the cluster network: each app server reaches the data server's superserver.
            foreach ($h in $AppHosts1) {
                $probe = Invoke-ContainerCommand -Name $h -Command 'nc', '-w', '10', "$C1-data", '1972'
                $probe.ExitCode | Should -Be 0
                $probe.Output | Should -Match 'irisops-standin superserver'
            }
            $network = (Invoke-DockerChecked -ArgumentList 'network', 'inspect', "$C1-net") | ConvertFrom-Json
            $network[0].Labels.'irisops.cluster' | Should -Be $C1
            # The one-shot prepare container is gone.
            Invoke-DockerChecked -ArgumentList 'ps', '-aq', '--filter', "label=irisops.cluster=$C1", '--filter', 'label=irisops.role=prepare' | Should -BeNullOrEmpty
        }

        It 're-running with the same arguments returns the same cluster and changes nothing' {
            $files = Get-ChildItem -LiteralPath $Folder1 -Recurse -File | ForEach-Object { "$($_.FullName)|$($_.LastWriteTimeUtc.Ticks)|$($_.Length)" }
            $again = $Set1 | New-IrisEcpCluster @Args1
            $again.Name | Should -Be $C1
            @($again.Nodes.ContainerId) | Should -Be @($Cluster1.Nodes.ContainerId)
            foreach ($h in $Hosts1) {
                $now = Get-Inspect $h
                $now.Id | Should -Be $Inspect1[$h].Id
                $now.Created | Should -Be $Inspect1[$h].Created
                $now.State.StartedAt | Should -Be $Inspect1[$h].State.StartedAt
                $now.RestartCount | Should -Be 0
            }
            (Get-ClusterResources $C1).Containers.Count | Should -Be 4
            Get-ChildItem -LiteralPath $Folder1 -Recurse -File | ForEach-Object { "$($_.FullName)|$($_.LastWriteTimeUtc.Ticks)|$($_.Length)" } | Should -Be $files
        }

        It 'refuses another image for the existing cluster with ClusterExistsWithOtherImage, pointing to Update-IrisApplicationImage' {
            $other = $Args1.Clone()
            $other.Image = 'irisops-standin:v2'
            $failure = { $Set1 | New-IrisEcpCluster @other -ErrorAction Stop } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeLike 'ClusterExistsWithOtherImage*'
            $failure.Exception.Message | Should -Match 'Update-IrisApplicationImage'
            foreach ($h in $Hosts1) { (Get-Inspect $h).Config.Image | Should -Be 'irisops-standin:v1' }
        }

        It 'refuses other arguments for the existing cluster with ClusterExistsWithOtherArguments, pointing to Remove-IrisEcpCluster and Update-IrisApplicationImage' {
            $other = $Args1.Clone()
            $other.GlobalMapping = 'other.*'
            $failure = { $Set1 | New-IrisEcpCluster @other -ErrorAction Stop } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeLike 'ClusterExistsWithOtherArguments*'
            $failure.Exception.Message | Should -Match 'Remove-IrisEcpCluster'
            $failure.Exception.Message | Should -Match 'Update-IrisApplicationImage'
            $failure.Exception.Message | Should -Match ([regex]::Escape("-GlobalMapping: exists with 'demo.*', asked for 'other.*'"))
            foreach ($h in $Hosts1) { (Get-Inspect $h).Id | Should -Be $Inspect1[$h].Id }
        }
    }

    Context '-DurablePath, -Subnet and a generated certificate set' {
        It 'creates one host subfolder per node owned by 51773, fixed addresses, and -RemoveData deletes the subfolders' {
            $c = New-ClusterName 'd'
            $durable = Join-Path $Root 'c2-durable'
            $folder = Join-Path $Root 'c2'
            # A /24 in 172.29.0.0/16 that no existing network uses (other test runs may share the engine).
            $networkIds = @((Invoke-DockerChecked -ArgumentList 'network', 'ls', '-q') -split '\s+' | Where-Object { $_ })
            $used = (Invoke-DockerCli -ArgumentList (@('network', 'inspect', '--format', '{{range .IPAM.Config}}{{.Subnet}} {{end}}') + $networkIds)).Output -replace '\s+', ' '
            $octet = 100..249 | Get-Random -Count 150 | Where-Object { $used -notmatch "172\.29\.$_\.0/|172\.(16|29)\.0\.0/(12|16)" } | Select-Object -First 1
            $octet | Should -Not -BeNullOrEmpty -Because 'a free /24 must exist in 172.29.0.0/16'
            $cluster = New-IrisEcpCluster -Name $c -Image 'irisops-standin:v1' -ApplicationServerCount 2 -DurablePath $durable -Subnet "172.29.$octet.0/24" -ClusterPath $folder @Common
            @($cluster.Nodes.Name) | Should -Be @("$c-data", "$c-app-1", "$c-app-2")
            @($cluster.Nodes.IPAddress) | Should -Be @("172.29.$octet.2", "172.29.$octet.3", "172.29.$octet.4")
            foreach ($node in $cluster.Nodes) {
                $sub = Join-Path $durable $node.HostName
                $node.DurableStorage | Should -Be $sub
                (Invoke-Bounded -FilePath 'stat' -ArgumentList '-c', '%u:%g', $sub).Output.Trim() | Should -Be '51773:51773'
                Join-Path $sub 'iconfig/iris.cpf' | Should -Exist
                $mount = (Get-Inspect $node.Name).Mounts | Where-Object Destination -EQ '/irisops/durable'
                $mount.Type | Should -Be 'bind'
                $mount.Source | Should -Be $sub
            }
            @((Get-ClusterResources $c).Volumes | Sort-Object) | Should -Be @("$c-app-1-tls", "$c-app-2-tls", "$c-data-tls", "$c-license") -Because 'durable storage is in host folders; only the TLS and license volumes remain'
            # Generated certificates for the default host names, in the cluster folder.
            Join-Path $folder 'certificates/ca.cer' | Should -Exist
            @(Test-IrisEcpCluster -Name $c | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Node)/$($_.Check): $($_.Detail)" }) | Should -BeNullOrEmpty
            # By pipeline, from Get-IrisEcpCluster.
            Get-IrisEcpCluster -Name $c | Remove-IrisEcpCluster -StopTimeout 10 -RemoveData -Confirm:$false
            foreach ($node in $cluster.Nodes) { Join-Path $durable $node.HostName | Should -Not -Exist }
            $folder | Should -Not -Exist
            (Get-ClusterResources $c).Containers | Should -BeNullOrEmpty
        }
    }

    Context 'failures clean up what the call created, and only that' {
        It 'a node that never becomes healthy: NodeNotHealthy with a log tail, nothing of the cluster left, pre-existing durable data untouched' {
            $c = New-ClusterName 'f'
            $folder = Join-Path $Root 'c3'
            # Durable data from "an earlier run": the data server's volume, with a file in it.
            $volume = "$c-data-durable"
            $ExtraVolumes.Add($volume)
            Invoke-DockerChecked -ArgumentList 'volume', 'create', '--label', "irisops.cluster=$c", $volume | Out-Null
            Invoke-DockerChecked -ArgumentList 'run', '--rm', '--user', '0', '--entrypoint', '/bin/sh', '-v', "${volume}:/d", 'irisops-standin:v1', '-c', "echo before-$Suffix > /d/earlier.txt" | Out-Null
            $failure = { New-IrisEcpCluster -Name $c -Image 'irisops-standin:broken' -ApplicationServerCount 1 -ClusterPath $folder -LicenseKeyPath $License -HealthTimeout 15 -StopTimeout 10 -ErrorAction Stop } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeLike 'NodeNotHealthy*'
            $failure.Exception.Message | Should -Match 'did not become healthy'
            $failure.Exception.Message | Should -Match 'Last lines of its log:\s*\S'
            $failure.Exception.Message | Should -Match 'standin'
            $after = Get-ClusterResources $c
            $after.Containers | Should -BeNullOrEmpty
            $after.Networks | Should -BeNullOrEmpty
            $after.Volumes | Should -Be @($volume)
            $content = Invoke-DockerChecked -ArgumentList 'run', '--rm', '--user', '0', '--entrypoint', '/bin/cat', '-v', "${volume}:/d", 'irisops-standin:v1', '/d/earlier.txt'
            $content | Should -Be "before-$Suffix"
            $folder | Should -Not -Exist
        }

        It 'with -DurablePath: a failed call removes the host subfolders it created and keeps the one with earlier data' {
            $c = New-ClusterName 'g'
            $folder = Join-Path $Root 'c3b'
            $durable = Join-Path $Root 'c3b-durable'
            New-Item -ItemType Directory -Path (Join-Path $durable "$c-data") -Force | Out-Null
            Set-Content -LiteralPath (Join-Path $durable "$c-data/earlier.txt") -Value "before-$Suffix"
            $failure = { New-IrisEcpCluster -Name $c -Image 'irisops-standin:broken' -ApplicationServerCount 1 -DurablePath $durable -ClusterPath $folder -LicenseKeyPath $License -HealthTimeout 12 -StopTimeout 10 -ErrorAction Stop } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeLike 'NodeNotHealthy*'
            (Get-Content -Raw -LiteralPath (Join-Path $durable "$c-data/earlier.txt")).Trim() | Should -Be "before-$Suffix"
            Join-Path $durable "$c-app-1" | Should -Not -Exist
            $durable | Should -Exist
            $after = Get-ClusterResources $c
            $after.Containers + $after.Networks + $after.Volumes | Should -BeNullOrEmpty
            $folder | Should -Not -Exist
        }

        It 'a missing image: ImageNotFound and nothing created' {
            $c = New-ClusterName 'm'
            $folder = Join-Path $Root 'c4'
            $failure = { New-IrisEcpCluster -Name $c -Image "irisops-standin:missing$Suffix" -ApplicationServerCount 1 -ClusterPath $folder @Common -ErrorAction Stop } | Should -Throw -PassThru
            $failure.FullyQualifiedErrorId | Should -BeLike 'ImageNotFound*'
            $failure.Exception.Message | Should -Match "irisops-standin:missing$Suffix"
            # -WhatIf checks the image too, rather than promising a cluster the engine cannot run.
            { New-IrisEcpCluster -Name $c -Image "irisops-standin:missing$Suffix" -ApplicationServerCount 1 -ClusterPath $folder @Common -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'ImageNotFound*'
            $after = Get-ClusterResources $c
            $after.Containers | Should -BeNullOrEmpty
            $after.Networks | Should -BeNullOrEmpty
            $after.Volumes | Should -BeNullOrEmpty
            $folder | Should -Not -Exist
        }

        It 'stopping the pipeline (Ctrl+C) while it waits for health leaves nothing behind' {
            $c = New-ClusterName 'x'
            $folder = Join-Path $Root 'c5'
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$ModuleManifest'; New-IrisEcpCluster -Name '$c' -Image 'irisops-standin:broken' -ApplicationServerCount 2 -ClusterPath '$folder' -LicenseKeyPath '$License' -HealthTimeout 60 -StopTimeout 10")
                $handle = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                $seen = 0
                while ([DateTime]::UtcNow -lt $deadline -and -not $handle.IsCompleted) {
                    $seen = @((Invoke-DockerChecked -ArgumentList 'ps', '-q', '--filter', "label=irisops.cluster=$c", '--filter', 'label=irisops.role=app') -split '\s+' | Where-Object { $_ }).Count
                    if ($seen -ge 2) { break }
                    Start-Sleep -Milliseconds 200
                }
                $seen | Should -Be 2 -Because 'the application servers must have been created before the stop'
                $handle.IsCompleted | Should -BeFalse
                # It reports its progress (Write-Progress) while it works.
                @($ps.Streams.Progress | Where-Object Activity -EQ 'New-IrisEcpCluster').Count | Should -BeGreaterThan 0
                $stop = $ps.BeginStop($null, $null)
                $stop.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(90)) | Should -BeTrue -Because 'Stop() must return within 90 s'
                $ps.EndStop($stop)
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            }
            finally {
                $ps.Dispose()
            }
            $after = Get-ClusterResources $c
            $after.Containers | Should -BeNullOrEmpty
            $after.Networks | Should -BeNullOrEmpty
            $after.Volumes | Should -BeNullOrEmpty
            $folder | Should -Not -Exist
        }
    }

    Context 'the compose export' {
        BeforeAll {
            # A compose project of a new cluster name (no engine call); sets $C6, $Project6, $Port6, $Export6, $ProjectInfo6.
            function Use-ComposeExport([string] $Tag) {
                $script:C6 = New-ClusterName $Tag
                $script:Project6 = Join-Path $Root "$C6-compose"
                $script:Port6 = Get-FreeTcpPort
                $script:Export6 = @{ Name = $C6; Image = 'irisops-standin:v1'; ApplicationServerCount = 2; GlobalMapping = 'demo.*'; PublishPort = $Port6; OutputPath = $Project6; LicenseKeyPath = $License; StopTimeout = 10 }
                $script:ProjectInfo6 = New-IrisEcpCluster @Export6
                $ComposeProjects.Add([pscustomobject]@{ Name = $C6; Path = $Project6 })
            }
        }

        Context 'a project as written' {
            BeforeAll {
                Use-ComposeExport 'c'
            }

            It 'writes a project without touching the engine, that docker-compose config accepts, with quoted port mappings' {
                $ProjectInfo6.Path | Should -Be $Project6
                $ProjectInfo6.StartCommand | Should -Be "docker-compose -p $C6 up -d"
                @($ProjectInfo6.Services) | Should -Be @('prepare-durable', "$C6-data", "$C6-app-1", "$C6-app-2")
                $resources = Get-ClusterResources $C6
                $resources.Containers + $resources.Networks + $resources.Volumes | Should -BeNullOrEmpty
                foreach ($f in 'docker-compose.yml', 'README.txt', "nodes/$C6-data/merge.cpf", "nodes/$C6-app-1/tls/node.key", 'license/iris.key', 'certificates/ca.cer') { Join-Path $Project6 $f | Should -Exist }
                Get-Content -Raw (Join-Path $Project6 'README.txt') | Should -Match "docker-compose -p $C6 up -d"
                $yaml = Get-Content -Raw (Join-Path $Project6 'docker-compose.yml')
                $yaml | Should -Match "(?m)^    - `"127\.0\.0\.1:${Port6}:1972`"$"
                $yaml | Should -Not -Match "(?m)^\s+- 127\.0\.0\.1:"
                $config = Invoke-Bounded -FilePath 'docker-compose' -ArgumentList '-p', $C6, 'config' -WorkingDirectory $Project6 -TimeoutSeconds 60
                $config.ExitCode | Should -Be 0 -Because $config.Error
                $config.Output | Should -Match "container_name: $C6-data"
            }
        }

        Context 'a project exported again' {
            BeforeAll {
                Use-ComposeExport 'e'
            }

            It 'refuses to write the project again without -Force, and is deterministic with it: identical docker-compose.yml bytes' {
                $first = [IO.File]::ReadAllBytes((Join-Path $Project6 'docker-compose.yml'))
                { New-IrisEcpCluster @Export6 -ErrorAction Stop } | Should -Throw -ErrorId 'FileExists,IrisOps.Cmdlets.NewIrisEcpClusterCommand'
                [IO.File]::ReadAllBytes((Join-Path $Project6 'docker-compose.yml')) | Should -Be $first
                New-IrisEcpCluster @Export6 -Force | Out-Null
                $second = [IO.File]::ReadAllBytes((Join-Path $Project6 'docker-compose.yml'))
                [Convert]::ToBase64String($second) | Should -Be ([Convert]::ToBase64String($first))
            }
        }

        Context 'a project started with docker-compose' {
            BeforeAll {
                Use-ComposeExport 'u'
            }

            It 'docker-compose up -d brings up the same cluster, which Get-IrisEcpCluster and Test-IrisEcpCluster see' {
                $up = Invoke-Bounded -FilePath 'docker-compose' -ArgumentList '-p', $C6, 'up', '-d' -WorkingDirectory $Project6 -TimeoutSeconds 180
                $up.ExitCode | Should -Be 0 -Because $up.Error
                $healthy = Wait-ClusterHealthy -Cluster $C6 -Count 3 -TimeoutSeconds 90
                @($healthy | Sort-Object) | Should -Be @("$C6-app-1", "$C6-app-2", "$C6-data")
                $cluster = Get-IrisEcpCluster -Name $C6
                $cluster.Network | Should -Be "$C6-net"
                $cluster.DataServer.Name | Should -Be "$C6-data"
                @($cluster.ApplicationServers.Name) | Should -Be @("$C6-app-1", "$C6-app-2")
                @($cluster.Nodes | Where-Object Health -NE 'healthy') | Should -BeNullOrEmpty
                ((Get-Inspect "$C6-data").HostConfig.PortBindings.'1972/tcp')[0].HostPort | Should -Be "$Port6"
                (Get-Inspect "$C6-data").HostConfig.PortBindings.'1972/tcp'[0].HostIp | Should -Be '127.0.0.1'
                Read-InContainer "$C6-app-1" '/irisops/durable/iconfig/standin/actions.log' | Should -Match "CreateECPServer:Name=$C6-data,Address=$([regex]::Escape($cluster.DataServer.IPAddress)),Port=1972,MirrorConnection=0,SSLConfig=1"
                @(Test-IrisEcpCluster -Name $C6 | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Node)/$($_.Check): $($_.Detail)" }) | Should -BeNullOrEmpty
                # Same arguments as the export: New-IrisEcpCluster recognizes the compose-made cluster as its own.
                $same = $Export6.Clone(); $same.Remove('OutputPath'); $same.ClusterPath = $Project6; $same.HealthTimeout = 60
                (New-IrisEcpCluster @same).DataServer.ContainerId | Should -Be $cluster.DataServer.ContainerId
            }
        }

        It 'a foreign YamlDotNet 11.2.1 loaded before the module does not break the export' {
            $c = New-ClusterName 'y'
            $project = Join-Path $Root 'c7-compose'
            $foreign = Join-Path $NuGetPackages 'yamldotnet/11.2.1/lib/netstandard2.1/YamlDotNet.dll'
            $foreign | Should -Exist
            $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$foreign'
Import-Module '$ModuleManifest'
New-IrisEcpCluster -Name '$c' -Image 'irisops-standin:v1' -ApplicationServerCount 1 -OutputPath '$project' -LicenseKeyPath '$License' | Out-Null
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'YamlDotNet' } | ForEach-Object { 'loaded ' + `$_.GetName().Version }
"@
            $child = Invoke-ChildScript $script
            $child.ExitCode | Should -Be 0 -Because $child.Error
            $child.Output | Should -Match 'loaded 11\.0\.0\.0'
            $yaml = Get-Content -Raw (Join-Path $project 'docker-compose.yml')
            $yaml | Should -Match "container_name: $c-data"
            $config = Invoke-Bounded -FilePath 'docker-compose' -ArgumentList '-p', $c, 'config', '-q' -WorkingDirectory $project -TimeoutSeconds 60
            $config.ExitCode | Should -Be 0 -Because $config.Error
        }
    }

    Context '-WhatIf' {
        It 'says what it would create and creates nothing (child pwsh)' {
            $c = New-ClusterName 'w'
            $folder = Join-Path $Root 'c8'
            $child = Invoke-ChildScript "Import-Module '$ModuleManifest'; New-IrisEcpCluster -Name '$c' -Image 'irisops-standin:v1' -ApplicationServerCount 2 -ClusterPath '$folder' -LicenseKeyPath '$License' -WhatIf"
            $child.ExitCode | Should -Be 0 -Because $child.Error
            $child.Output | Should -Match "What if: .*Create ECP cluster '$c'"
            $child.Output | Should -Match "$c-app-2"
            $after = Get-ClusterResources $c
            $after.Containers + $after.Networks + $after.Volumes | Should -BeNullOrEmpty
            $folder | Should -Not -Exist
        }
    }
}
