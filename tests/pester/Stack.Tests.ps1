# New-IrisEcpCluster -OutputPath -Format Stack: the stack file it writes is accepted by docker stack deploy -c and
# brings the same cluster up healthy on a single-node swarm (secrets, configs, durable volumes owned by the IRIS
# user, ECP by host name over the overlay network). The volumes get their owner from the stack's replicated job
# prepare-durable (root, chown of each volume's root); a stack cannot order services, so a node whose task starts
# before the job has run fails on its root-owned volume and Swarm restarts it: the stack still comes up healthy
# within the bounded wait below, which this file proves. Runs on a real Docker engine with the irisops-standin image
# (tests/fixtures/iris-standin), which is NOT InterSystems IRIS: this proves what IrisOps hands to Swarm and to the
# image's documented contract, not IRIS or ECP itself.
# Swarm mode is engine-wide: run this file alone (build.ps1 runs it after the other Docker files, never beside
# them) and inside `flock /tmp/irisops-docker.lock`. It refuses an engine already in a swarm that a
# test run did not make (a killed run's labelled swarm is left first), and always leaves the swarm it made, also when a test fails.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Stack.Tests.ps1 (the stack file on a single-node swarm)'
}

Describe 'New-IrisEcpCluster -Format Stack on a single-node swarm' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1 | Out-Null
        Import-Module $ModuleManifest -Force
        Initialize-EcpTestRun -Prefix 'sk'

        $script:Swarm = Enter-TestSwarm

        $script:Stack = New-ClusterName 'a'
        $script:Project = Join-Path $Root "$Stack-stack"
        $script:Hosts = @("$Stack-data", "$Stack-app-1", "$Stack-app-2")
        $script:Written = New-IrisEcpCluster -Name $Stack -Image 'irisops-standin:v1' -ApplicationServerCount 2 -OutputPath $Project -Format Stack @Common
        $script:StackFile = Join-Path $Project 'docker-stack.yml'
        $script:Deploy = Invoke-DockerCli -ArgumentList 'stack', 'deploy', '--resolve-image', 'never', '-c', $StackFile, $Stack -TimeoutSeconds 120
        # Bounded: every task's container healthy within 120 s, or the Its below fail on what is missing.
        $script:Healthy = @(Wait-ClusterHealthy -Cluster $Stack -Count 3 -TimeoutSeconds 120)

        # The task container of a node (its service is <stack>_<host name>).
        function script:Get-TaskContainer([string] $HostName) {
            Invoke-DockerChecked -ArgumentList 'ps', '-q', '--filter', "label=com.docker.swarm.service.name=$($Stack)_$HostName"
        }

        function script:Invoke-Session([string] $HostName, [string] $Namespace, [string] $Code) {
            Invoke-ContainerCommand -Name (Get-TaskContainer $HostName) -Command 'iris', 'session', 'IRIS', '-U', $Namespace -InputText $Code -TimeoutSeconds 60
        }
    }

    AfterAll {
        Exit-TestSwarm -Swarm $script:Swarm -Cluster $Stack -RemoveServices { Invoke-DockerCli -ArgumentList 'stack', 'rm', $Stack -TimeoutSeconds 60 | Out-Null }
        Remove-EcpTestRun
    }

    It 'writes the stack file and what it names, and describes it' {
        $Written.GetType().Name | Should -Be 'IrisComposeProject'
        $Written.ComposeFile | Should -Be $StackFile
        @($Written.Services) | Should -Be (@('prepare-durable') + $Hosts)
        $Written.StartCommand | Should -Be "docker stack deploy -c '$StackFile' $Stack"
        foreach ($f in 'docker-stack.yml', 'README.txt', "nodes/$Stack-data/merge.cpf", "nodes/$Stack-app-1/tls/node.key", 'license/iris.key') { Join-Path $Project $f | Should -Exist }
        Join-Path $Project 'docker-compose.yml' | Should -Not -Exist
        $yaml = Get-Content -Raw $StackFile
        foreach ($absent in 'container_name:', 'restart:', 'network_mode:', 'depends_on:', 'ipv4_address:', '/home/irisowner') { $yaml | Should -Not -Match ([regex]::Escape($absent)) }
        $yaml | Should -Match 'mode: replicated-job'
        $yaml | Should -Match ([regex]::Escape('chown 51773:51773 /prepare/durable/'))
        (Get-Content -LiteralPath $StackFile -TotalCount 2)[1] | Should -Match 'prepare-durable gives each durable volume to the IRIS user'
        $yaml | Should -Match 'endpoint_mode: dnsrr'
        $yaml | Should -Match 'order: stop-first'
        $yaml | Should -Match 'failure_action: pause'
    }

    It 'is accepted by docker stack deploy -c, and every task becomes healthy' {
        $Deploy.ExitCode | Should -Be 0 -Because "$($Deploy.Error) $($Deploy.Output)"
        $Healthy.Count | Should -Be 3
        foreach ($h in $Hosts) {
            $id = Get-TaskContainer $h
            $id | Should -Not -BeNullOrEmpty
            (Get-Inspect $id).State.Health.Status | Should -Be 'healthy'
            (Get-Inspect $id).Config.Hostname | Should -Be $h
        }
        $service = (Invoke-DockerChecked -ArgumentList 'service', 'inspect', "$($Stack)_$Stack-data") | ConvertFrom-Json
        $service.Spec.EndpointSpec.Mode | Should -Be 'dnsrr'
        $service.Spec.UpdateConfig.Order | Should -Be 'stop-first'
        $service.Spec.UpdateConfig.FailureAction | Should -Be 'pause'
        (Invoke-DockerChecked -ArgumentList 'network', 'inspect', '--format', '{{.Driver}}', "$Stack-net") | Should -Be 'overlay'
        # The ownership job ran to completion once (a job is never restarted).
        $job = (Invoke-DockerChecked -ArgumentList 'service', 'inspect', "$($Stack)_prepare-durable") | ConvertFrom-Json
        $job.Spec.Mode.ReplicatedJob | Should -Not -BeNullOrEmpty
        @((Invoke-DockerChecked -ArgumentList 'service', 'ps', '--format', '{{.CurrentState}}', "$($Stack)_prepare-durable") -split "`n" | Where-Object { $_ }) | Should -Match '^Complete'
    }

    It 'gives the TLS files, license and merge file to the IRIS user as secrets and configs, and durable %SYS a volume it owns' {
        $data = Get-TaskContainer "$Stack-data"
        (Invoke-ContainerCommand -Name $data -Command 'stat', '-c', '%u %a', '/irisops/tls/node.key', '/irisops/license/iris.key', '/irisops/tls/ca.cer', '/irisops/config/merge.cpf').Output.Trim() -split '\s*\n\s*' |
            Should -Be @('51773 400', '51773 400', '51773 444', '51773 444')
        Read-InContainer $data '/irisops/config/merge.cpf' | Should -Be (Get-Content -Raw (Join-Path $Project "nodes/$Stack-data/merge.cpf"))
        # Durable %SYS off the working directory, whose instance registry (/home/irisowner/irissys) stays the image's.
        $mount = (Get-Inspect $data).Mounts | Where-Object Destination -EQ '/irisops/durable'
        $mount.Type | Should -Be 'volume'
        $mount.Name | Should -Be "$Stack-data-durable"
        @((Get-Inspect $data).Mounts | Where-Object Destination -EQ '/home/irisowner') | Should -BeNullOrEmpty
        (Invoke-ContainerCommand -Name $data -Command 'stat', '-c', '%u', '/irisops/durable', '/irisops/durable/iconfig/iris.cpf').Output.Trim() -split '\s*\n\s*' | Should -Be @('51773', '51773')
        $secrets = @((Invoke-DockerChecked -ArgumentList 'secret', 'ls', '--format', '{{.Name}}', '--filter', "label=irisops.cluster=$Stack") -split '\s+' | Where-Object { $_ })
        # One CA (shared content), a certificate and a key per node, one license.
        $secrets.Count | Should -Be 8
    }

    It 'connects each application server to the data server over ECP by host name (stand-in imitation)' {
        $token = 'stk' + $Suffix
        foreach ($app in $Hosts[1..2]) {
            $node = $app -replace '[^A-Za-z0-9_-]', ''
            $set = Invoke-Session $app 'USER' "Try { Set t=`$ZHOROLOG, ^IrisOpsEcpProbe(`"$token`",`"$node`")=`"v-$node`" Write `"IRISOPS-ECP set `",`$ZHOROLOG-t*1000\1,! } Catch e { Write `"IRISOPS-ECP error `",e.Name,! }"
            $set.Output | Should -Match 'IRISOPS-ECP set \d+' -Because "$app must reach the data server ($($set.Output) $($set.Error))"
            $get = Invoke-Session "$Stack-data" '%SYS' "Try { Write `"IRISOPS-ECP get $node `",`$Get(^[`"^^/irisops/durable/myappdata/`"]IrisOpsEcpProbe(`"$token`",`"$node`")),! } Catch e { Write `"IRISOPS-ECP error `",e.Name,! }"
            $get.Output | Should -Match ([regex]::Escape("IRISOPS-ECP get $node v-$node"))
        }
    }
}
