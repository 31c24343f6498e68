# Get-IrisEcpCluster: the picture of a cluster rebuilt from the engine alone, its default views, and the object
# saved with Export-Clixml.
# Runs on a real Docker engine with the irisops-standin image (tests/fixtures/iris-standin). The stand-in is NOT
# InterSystems IRIS: these tests prove what IrisOps hands to the engine and to the image's documented contract, not
# ECP itself. Without a Docker engine they are skipped with a visible notice; IRISOPS_REQUIRE_DOCKER=1 makes that a
# failure.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Get-IrisEcpCluster.Tests.ps1 (Get-IrisEcpCluster on the stand-in)'
}

Describe 'ECP cluster output views' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        Import-Module $ModuleManifest -Force
    }

    It 'has a default view for <_>' -ForEach 'IrisOps.Core.Ecp.IrisEcpCluster', 'IrisOps.Core.Ecp.IrisEcpNode', 'IrisOps.Core.Ecp.IrisEcpCheck' {
        Get-FormatData -TypeName $_ | Should -Not -BeNullOrEmpty -Because 'issue 4 point 4 asks for default views'
    }
}

Describe 'Get-IrisEcpCluster on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1 | Out-Null
        Import-Module $ModuleManifest -Force
        Initialize-EcpTestRun -Prefix 'pg'
    }

    AfterAll {
        Remove-EcpTestRun
    }

    Context 'a 1 + 3 cluster from a piped certificate set' {
        BeforeAll {
            Use-TestCluster 'a' -ApplicationServerCount 3
            $script:Saved = Join-Path $Root 'cluster.xml'
            Get-IrisEcpCluster -Name $C1 | Export-Clixml -LiteralPath $Saved
        }

        It 'Get-IrisEcpCluster in a new pwsh process rebuilds the same picture from the engine alone' {
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$ModuleManifest'
`$c = Get-IrisEcpCluster -Name '$C1'
[pscustomobject]@{ Name = `$c.Name; Network = `$c.Network; Database = `$c.Database; Namespace = `$c.Namespace; ClusterFolder = `$c.ClusterFolder;
  Data = `$c.DataServer.Name; Apps = @(`$c.ApplicationServers.Name);
  Nodes = @(`$c.Nodes | ForEach-Object { [pscustomobject]@{ Name = `$_.Name; Role = [string]`$_.Role; HostName = `$_.HostName; ContainerId = `$_.ContainerId; IPAddress = `$_.IPAddress; Image = `$_.Image; State = `$_.State; Health = `$_.Health } }) } |
  ConvertTo-Json -Depth 4 -Compress
"@
            $child = Invoke-ChildScript $script
            $child.ExitCode | Should -Be 0 -Because $child.Error
            $seen = $child.Output | ConvertFrom-Json
            $seen.Name | Should -Be $C1
            $seen.Network | Should -Be "$C1-net"
            $seen.Database | Should -Be 'myappdata'
            $seen.Namespace | Should -Be 'USER'
            $seen.ClusterFolder | Should -Be $Cluster1.ClusterFolder
            $seen.Data | Should -Be "$C1-data"
            @($seen.Apps) | Should -Be $AppHosts1
            for ($n = 0; $n -lt 4; $n++) {
                $mine = $Cluster1.Nodes[$n]
                $theirs = $seen.Nodes[$n]
                foreach ($p in 'Name', 'HostName', 'ContainerId', 'IPAddress', 'Image', 'State', 'Health') { $theirs.$p | Should -Be $mine.$p -Because "$p of $($mine.Name)" }
                $theirs.Role | Should -Be ([string]$mine.Role)
            }
        }

        It 'the saved object is no longer a live cluster object' {
            $restored = Import-Clixml -LiteralPath $Saved
            $restored.PSObject.TypeNames[0] | Should -Be 'Deserialized.IrisOps.Core.Ecp.IrisEcpCluster'
        }
    }
}
