# Remove-IrisEcpCluster: -WhatIf, keeping the durable data (and New bringing the cluster back on it), -RemoveData,
# and a cluster object saved with Export-Clixml. Each It that removes has a cluster of its own.
# Runs on a real Docker engine with the irisops-standin image (tests/fixtures/iris-standin). The stand-in is NOT
# InterSystems IRIS: these tests prove what IrisOps hands to the engine and to the image's documented contract, not
# ECP itself. Without a Docker engine they are skipped with a visible notice; IRISOPS_REQUIRE_DOCKER=1 makes that a
# failure.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Remove-IrisEcpCluster.Tests.ps1 (Remove-IrisEcpCluster on the stand-in)'
}

Describe 'Remove-IrisEcpCluster on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1 | Out-Null
        Import-Module $ModuleManifest -Force
        Initialize-EcpTestRun -Prefix 'pr'
    }

    AfterAll {
        Remove-EcpTestRun
    }

    Context 'a 1 + 3 cluster, left as it is' {
        BeforeAll {
            Use-TestCluster 'w' -ApplicationServerCount 3
        }

        AfterAll {
            Remove-ClusterResources $C1
        }

        It 'Remove-IrisEcpCluster -WhatIf removes nothing' {
            Remove-IrisEcpCluster -Name $C1 -StopTimeout 10 -WhatIf
            Remove-IrisEcpCluster -Name $C1 -StopTimeout 10 -RemoveData -WhatIf
            $resources = Get-ClusterResources $C1
            $resources.Containers.Count | Should -Be 4
            $resources.Networks.Count | Should -Be 1
            $resources.Volumes.Count | Should -Be 9 -Because 'each node has a durable and a TLS volume, and the cluster one license volume'
            Join-Path $Folder1 'nodes' | Should -Exist
        }

        It '-WhatIf names every container, volume, file and folder it would delete, and what it keeps' {
            $run = Invoke-ChildScript "Import-Module '$ModuleManifest'; Remove-IrisEcpCluster -Name '$C1' -StopTimeout 10 -WhatIf"
            $run.ExitCode | Should -Be 0 -Because $run.Error
            $text = $run.Output -replace '\s+', ' '
            foreach ($h in $Hosts1) {
                $text | Should -Match ([regex]::Escape($h))
                $text | Should -Match ([regex]::Escape("$h-tls"))
                $text | Should -Match ([regex]::Escape((Join-Path $Folder1 "nodes/$h/merge.cpf")))
                $text | Should -Match ([regex]::Escape((Join-Path $Folder1 "nodes/$h/tls/node.key")))
            }
            $text | Should -Match ([regex]::Escape((Join-Path $Folder1 'license/iris.key')))
            $text | Should -Match 'kept \(durable data; -RemoveData deletes it\):'
            $text | Should -Match ([regex]::Escape("$($Hosts1[0])-durable"))
            $withData = (Invoke-ChildScript "Import-Module '$ModuleManifest'; Remove-IrisEcpCluster -Name '$C1' -StopTimeout 10 -RemoveData -WhatIf").Output -replace '\s+', ' '
            $withData | Should -Match 'DURABLE DATA: volumes:'
            $withData | Should -Match ([regex]::Escape($Folder1))
        }
    }

    # 1 + 3: the data server's MaxServerConn=3 is what the startup merge is seen to restore.
    Context 'a 1 + 3 cluster removed and created again' {
        BeforeAll {
            Use-TestCluster 'k' -ApplicationServerCount 3
        }

        AfterAll {
            Remove-ClusterResources $C1
        }

        It 'Remove-IrisEcpCluster keeps the durable data, and New with the same arguments brings the cluster back on it' {
            # As a broken configuration would be: the startup merge of the re-created cluster restores the entry.
            (Invoke-ContainerCommand -Name "$C1-data" -Command 'sed', '-i', '/^MaxServerConn=/d', '/irisops/durable/iconfig/iris.cpf').ExitCode | Should -Be 0
            (Invoke-ContainerCommand -Name "$C1-data" -Command 'sh', '-c', "echo marker-$Suffix > /irisops/durable/marker.txt").ExitCode | Should -Be 0
            Remove-IrisEcpCluster -Name $C1 -StopTimeout 10 -Confirm:$false
            $after = Get-ClusterResources $C1
            $after.Containers | Should -BeNullOrEmpty
            $after.Networks | Should -BeNullOrEmpty
            @($after.Volumes | Sort-Object) | Should -Be @($Hosts1 | ForEach-Object { "$_-durable" } | Sort-Object)
            Get-IrisEcpCluster -Name $C1 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

            $back = $Set1 | New-IrisEcpCluster @Args1
            @($back.Nodes | Where-Object Health -NE 'healthy') | Should -BeNullOrEmpty
            (Read-InContainer "$C1-data" '/irisops/durable/marker.txt').Trim() | Should -Be "marker-$Suffix"
            $starts = Read-InContainer "$C1-data" '/irisops/durable/iconfig/standin/starts.log'
            ([regex]::Matches($starts, 'first-start')).Count | Should -Be 1
            ([regex]::Matches($starts, '(?m)\bstart\b')).Count | Should -BeGreaterOrEqual 2
            # The merge ran again at startup and restored the entry removed above.
            Read-InContainer "$C1-data" '/irisops/durable/iconfig/iris.cpf' | Should -Match '(?m)^MaxServerConn=3\r?$'
            @(Test-IrisEcpCluster -Name $C1 | Where-Object { -not $_.Passed }) | Should -BeNullOrEmpty
        }
    }

    Context 'a cluster removed, and its data removed later' {
        BeforeAll {
            Use-TestCluster 'l' -ApplicationServerCount 1
        }

        AfterAll {
            Remove-ClusterResources $C1
        }

        It 'names the remaining durable volumes when the containers are gone, and -RemoveData deletes them' {
            Remove-IrisEcpCluster -Name $C1 -StopTimeout 10 -Confirm:$false
            @((Get-ClusterResources $C1).Volumes | Sort-Object) | Should -Be @($Hosts1 | ForEach-Object { "$_-durable" } | Sort-Object)
            $Folder1 | Should -Not -Exist -Because 'the cluster folder held only generated files (the certificate set is the caller''s)'

            $record = { Remove-IrisEcpCluster -Name $C1 -StopTimeout 10 -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
            $record.FullyQualifiedErrorId | Should -BeLike 'ClusterNotFound,*'
            $record.Exception.Message | Should -Match ([regex]::Escape("$($Hosts1[0])-durable"))
            $record.Exception.Message | Should -Match '-RemoveData'

            Remove-IrisEcpCluster -Name $C1 -StopTimeout 10 -RemoveData -Confirm:$false
            (Get-ClusterResources $C1).Volumes | Should -BeNullOrEmpty
            { Remove-IrisEcpCluster -Name $C1 -RemoveData -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'ClusterNotFound,*'
        }
    }

    Context 'a cluster removed with its data' {
        BeforeAll {
            Use-TestCluster 'r' -ApplicationServerCount 1
        }

        AfterAll {
            Remove-ClusterResources $C1
        }

        It 'Remove-IrisEcpCluster -RemoveData deletes the volumes and the cluster folder' {
            Remove-IrisEcpCluster -Name $C1 -StopTimeout 10 -RemoveData -Confirm:$false
            $after = Get-ClusterResources $C1
            $after.Containers | Should -BeNullOrEmpty
            $after.Networks | Should -BeNullOrEmpty
            $after.Volumes | Should -BeNullOrEmpty
            $Folder1 | Should -Not -Exist
            # The certificate set given by the caller is not the cluster's to delete.
            $Set1.Authority.CertificatePath | Should -Exist
        }
    }
}

Describe 'Remove-IrisEcpCluster with a deserialized cluster object' -Skip:($DockerState.Skip) {
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

    It 'Remove-IrisEcpCluster takes it from the pipeline' {
        Import-Clixml -LiteralPath $Saved | Remove-IrisEcpCluster -RemoveData -StopTimeout 10 -Confirm:$false
        $left = Get-ClusterResources $Name
        $left.Containers + $left.Networks + $left.Volumes | Should -BeNullOrEmpty
    }
}
