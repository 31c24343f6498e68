# New-IrisEcpCluster -Orchestrator Swarm: the refusal on an engine that is not a swarm manager, -WhatIf, the cluster
# created through the engine API on a single-node swarm (services, overlay network, secrets, configs, volumes),
# Get-, Test- (the deep ECP test) and Remove-IrisEcpCluster on it, durable data kept. Runs on a real Docker engine
# with the irisops-standin image (tests/fixtures/iris-standin), which is NOT InterSystems IRIS.
# Swarm mode is engine-wide: run this file alone (build.ps1 runs it after the other Docker files, never beside
# them) and inside `flock /tmp/irisops-docker.lock`. It refuses an engine already in a swarm that a
# test run did not make (a killed run's labelled swarm is left first), and always
# leaves the swarm it made, also when a test fails.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Swarm.Tests.ps1 (New-IrisEcpCluster -Orchestrator Swarm on a single-node swarm)'
}

Describe 'New-IrisEcpCluster -Orchestrator Swarm on a single-node swarm' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1, v2 | Out-Null
        Import-Module $ModuleManifest -Force
        Initialize-EcpTestRun -Prefix 'sw'

        Assert-NoSwarm
        $script:Name = New-ClusterName 'a'
        $script:Folder = Join-Path $Root $Name
        $script:Arguments = @{ Name = $Name; Image = 'irisops-standin:v1'; ApplicationServerCount = 2; Orchestrator = 'Swarm'; ClusterPath = $Folder } + $Common

        # Before the swarm exists: the refusal.
        $script:Refused = Get-ErrorRecord { New-IrisEcpCluster @Arguments -ErrorAction Stop }
        $script:FilesAfterRefusal = Test-Path -LiteralPath (Join-Path $Folder 'nodes')

        $script:Swarm = Enter-TestSwarm

        $script:WhatIf = @(New-IrisEcpCluster @Arguments -WhatIf)
        $script:WhatIfServices = Invoke-DockerChecked -ArgumentList 'service', 'ls', '-q', '--filter', "label=irisops.cluster=$Name"
        $script:Cluster = New-IrisEcpCluster @Arguments
    }

    AfterAll {
        Exit-TestSwarm -Swarm $script:Swarm -Cluster $Name -RemoveServices { Remove-SwarmClusterServices $Name }
        Remove-EcpTestRun
    }

    It 'refuses an engine that is not a swarm manager, before creating anything' {
        $Refused | Should -Not -BeNullOrEmpty
        $Refused.FullyQualifiedErrorId | Should -Match '^NotSwarmManager'
        $Refused.Exception.Message | Should -Match "not a swarm manager \(swarm state 'inactive'\)"
        $FilesAfterRefusal | Should -BeFalse
    }

    It '-WhatIf creates no service' {
        $WhatIf | Should -BeNullOrEmpty
        $WhatIfServices | Should -BeNullOrEmpty
    }

    It 'returns the cluster once every task is healthy: one service per node, dnsrr, stop-first with pause' {
        $Cluster.GetType().Name | Should -Be 'IrisEcpCluster'
        $Cluster.DataServer.HostName | Should -Be "$Name-data"
        @($Cluster.ApplicationServers.HostName) | Should -Be @("$Name-app-1", "$Name-app-2")
        foreach ($node in $Cluster.Nodes) {
            $node.Health | Should -Be 'healthy'
            $node.DurableStorage | Should -Be "$Name-$(($node.HostName) -replace "^$Name-", '')-durable"
        }
        $service = (Invoke-DockerChecked -ArgumentList 'service', 'inspect', "$Name-data") | ConvertFrom-Json
        $service.Spec.EndpointSpec.Mode | Should -Be 'dnsrr'
        $service.Spec.UpdateConfig.Order | Should -Be 'stop-first'
        $service.Spec.UpdateConfig.FailureAction | Should -Be 'pause'
        (Invoke-DockerChecked -ArgumentList 'network', 'inspect', '--format', '{{.Driver}}', "$Name-net") | Should -Be 'overlay'
        @((Invoke-DockerChecked -ArgumentList 'secret', 'ls', '-q', '--filter', "label=irisops.cluster=$Name") -split '\s+' | Where-Object { $_ }).Count | Should -Be 8
        @((Invoke-DockerChecked -ArgumentList 'config', 'ls', '-q', '--filter', "label=irisops.cluster=$Name") -split '\s+' | Where-Object { $_ }).Count | Should -Be 3
    }

    It 'is returned again, unchanged, by a re-run with the same arguments and by Get-IrisEcpCluster' {
        $again = New-IrisEcpCluster @Arguments
        @($again.Nodes.ContainerId) | Should -Be @($Cluster.Nodes.ContainerId)
        $read = Get-IrisEcpCluster -Name $Name
        @($read.Nodes.HostName) | Should -Be @($Cluster.Nodes.HostName)
        @($read.Nodes.ContainerId) | Should -Be @($Cluster.Nodes.ContainerId)
    }

    It 'passes Test-IrisEcpCluster, the end-to-end ECP test included (stand-in imitation)' {
        $checks = @(Test-IrisEcpCluster -Name $Name)
        @($checks | Where-Object { -not $_.Passed } | ForEach-Object { "$($_.Node) $($_.Check): $($_.Detail)" }) | Should -BeNullOrEmpty
        @($checks | Where-Object Check -EQ 'EcpRoundTrip').Count | Should -Be 2
    }

    It 'keeps durable %SYS off the working directory, on a volume a root job gave to the IRIS user and then removed' {
        $data = $Cluster.DataServer.ContainerId
        $mount = (Get-Inspect $data).Mounts | Where-Object Destination -EQ '/irisops/durable'
        $mount.Name | Should -Be "$Name-data-durable"
        @((Get-Inspect $data).Mounts | Where-Object Destination -EQ '/home/irisowner') | Should -BeNullOrEmpty
        (Get-Inspect $data).Config.Env | Should -Contain 'ISC_DATA_DIRECTORY=/irisops/durable/iconfig'
        (Invoke-ContainerCommand -Name $data -Command 'stat', '-c', '%u:%g', '/irisops/durable').Output.Trim() | Should -Be '51773:51773'
        # The job is gone once it completed; the volumes carry the cluster's labels (it created them).
        Invoke-DockerChecked -ArgumentList 'service', 'ls', '-q', '--filter', "name=$Name-prepare" | Should -BeNullOrEmpty
        (Invoke-DockerChecked -ArgumentList 'volume', 'inspect', '--format', '{{index .Labels "irisops.cluster"}}', "$Name-data-durable") | Should -Be $Name
    }

    It 'Remove-IrisEcpCluster removes the services, secrets, configs and network and keeps the durable volumes' {
        Remove-IrisEcpCluster -Name $Name -Confirm:$false -StopTimeout 10
        Invoke-DockerChecked -ArgumentList 'service', 'ls', '-q', '--filter', "label=irisops.cluster=$Name" | Should -BeNullOrEmpty
        Invoke-DockerChecked -ArgumentList 'secret', 'ls', '-q', '--filter', "label=irisops.cluster=$Name" | Should -BeNullOrEmpty
        Invoke-DockerChecked -ArgumentList 'config', 'ls', '-q', '--filter', "label=irisops.cluster=$Name" | Should -BeNullOrEmpty
        $resources = Get-ClusterResources $Name
        $resources.Containers | Should -BeNullOrEmpty
        $resources.Networks | Should -BeNullOrEmpty
        @($resources.Volumes | ForEach-Object { Invoke-DockerChecked -ArgumentList 'volume', 'inspect', '--format', '{{.Name}}', $_ }) | Sort-Object |
            Should -Be @("$Name-app-1-durable", "$Name-app-2-durable", "$Name-data-durable")
    }
}
