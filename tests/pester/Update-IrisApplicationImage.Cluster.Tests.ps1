# Update-IrisApplicationImage against the irisops-standin image (tests/fixtures/iris-standin), a stand-in for the
# IRIS container contract, NOT InterSystems IRIS: these tests prove what IrisOps does with containers and durable
# directories, not IRIS itself. Without a Docker engine they are skipped with a visible notice;
# IRISOPS_REQUIRE_DOCKER=1 makes that a failure.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Update-IrisApplicationImage.Cluster.Tests.ps1 (Update-IrisApplicationImage on clusters)'
}

Describe 'Update-IrisApplicationImage on an ECP cluster on the stand-in' -Skip:($DockerState.Skip) {
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
