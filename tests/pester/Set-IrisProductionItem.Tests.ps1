# Set-IrisProductionItem: -AsScript, the checks before anything is sent, and sending rows to a container or the
# data server of a cluster. The container tests run against the irisops-standin image (NOT InterSystems IRIS): its
# `iris session` records the ObjectScript it receives and prints a reply the test writes beforehand, so these tests
# prove what IrisOps sends and how it reads answers, not what IRIS does.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Set-IrisProductionItem.Tests.ps1 (production items on the stand-in)'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'ProductionItemHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Csv = Join-Path $RepoRoot 'examples/production-items.csv'
}

Describe 'Set-IrisProductionItem: scripts and checks (no container)' {
    It 'binds the example CSV by column name: one script, Host./Adapter. columns as settings, empty cells left out' {
        $rows = @(Import-Csv $Csv)
        $script = $rows | Set-IrisProductionItem -AsScript
        @($script).Count | Should -Be 1
        @([regex]::Matches($script, '(?m)^kill w,sn,st,sv,sk,pv set r=\d+,')).Count | Should -Be $rows.Count
        $script | Should -Match '(?m)^tstart$'
        $script | Should -Match ([regex]::Escape('set i="Lab Results In"'))
        $script | Should -Match ([regex]::Escape(',st(1)="Adapter"'))
        $script | Should -Match ([regex]::Escape('set sv(3)="Lab Router"'))
        # Old Feed gives only Enabled and a Comment: nothing else is assigned for its row.
        $old = ($script -split '(?m)^kill w,sn,st,sv,sk,pv set r=4,')[1] -split "`n" | Where-Object { $_ -match '^set (w\(|sn)' }
        $old | Should -Be @('set w("Enabled")="0"', 'set w("Comment")="Kept disabled until the site switches over"')
        $script | Should -Not -Match 'UpdateProduction'
        ($rows | Set-IrisProductionItem -AsScript -UpdateProduction) | Should -Match 'Ens\.Director\)\.UpdateProduction\(\)'
    }

    It 'a parameter on the command line applies to every row; -Setting merges over the columns' {
        $rows = @([pscustomobject]@{ ProductionName = 'P.Q'; Name = 'A'; ClassName = 'C.D'; 'Adapter.Port' = '1' }, @{ ProductionName = 'P.Q'; Name = 'B'; ClassName = 'C.D' })
        $script = $rows | Set-IrisProductionItem -AsScript -Enabled:$false -Setting ([ordered]@{ 'adapter.Port' = '2'; 'Host.X' = '' })
        @([regex]::Matches($script, [regex]::Escape('set w("Enabled")="0"'))).Count | Should -Be 2
        @([regex]::Matches($script, [regex]::Escape('set sv(1)="2"'))).Count | Should -Be 2
        $script | Should -Not -Match ([regex]::Escape('set sv(1)="1"'))
        $script | Should -Match ([regex]::Escape(',st(1)="Adapter"'))
    }

    It 'refuses <Why> before anything is sent, naming the row' -ForEach @(
        @{ Why = 'a configuration name with a forbidden character'; Row = @{ ProductionName = 'APP.Production'; Name = 'a|b'; ClassName = 'C.D' }; Id = 'InvalidProductionItem'; Text = "row 1 \(ProductionName=APP\.Production, Name=a\|b\): Name .*cannot contain" }
        @{ Why = 'a production that is not a class name'; Row = @{ ProductionName = 'APP Production'; Name = 'X'; ClassName = 'C.D' }; Id = 'InvalidProductionItem'; Text = 'ProductionName .*is not a full class name' }
        @{ Why = 'a schedule the manual does not describe'; Row = @{ ProductionName = 'A.B'; Name = 'X'; ClassName = 'C.D'; Schedule = 'every day' }; Id = 'InvalidProductionItem'; Text = "Schedule 'every day'" }
        @{ Why = 'a setting without its target'; Row = @{ ProductionName = 'A.B'; Name = 'X'; ClassName = 'C.D'; Setting = @{ Port = '1' } }; Id = 'ProductionItemInputNotBound'; Text = '1 input row' }
        @{ Why = 'a missing ClassName'; Row = @{ ProductionName = 'A.B'; Name = 'X' }; Id = 'ProductionItemInputNotBound'; Text = '1 input row' }
        @{ Why = 'a PoolSize that is not a number'; Row = [pscustomobject]@{ ProductionName = 'A.B'; Name = 'X'; ClassName = 'C.D'; PoolSize = 'two' }; Id = 'ProductionItemInputNotBound'; Text = '1 input row' }
    ) {
        $err = { $Row | Set-IrisProductionItem -AsScript -ErrorAction SilentlyContinue } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike "$Id*"
        $err.Exception.Message | Should -Match $Text
    }
}

Describe 'Set-IrisProductionItem on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        $standIn = Start-ItemsStandIn
        $script:RunId = $standIn.RunId
        $script:Name = $standIn.Name
        $script:Record = $standIn.Record
        $script:Folder = $standIn.Folder
    }

    AfterAll {
        if ($script:RunId) { Remove-TestResources -RunId $RunId }
        if ($script:Folder) { Remove-DurableFolder -Path $Folder }
    }

    BeforeEach {
        Reset-Session
    }

    It 'the CSV piped in: one session with every row, read into objects with Previous, New and Action' {
        $rows = @(Import-Csv $Csv)
        Set-Reply @(
            'USER>', 'IRISOPS|BEGIN|1|APP'
            ItemReply 1 'Added' $false @{} (RowAfter $rows[0])
            ItemReply 2 'Updated' $true @{ PoolSize = '2' } (RowAfter $rows[1])
            ItemReply 3 'Unchanged' $true @{ PoolSize = '1' } (RowAfter $rows[2])
            ItemReply 4 'Updated' $true @{ Enabled = '1' } (RowAfter $rows[3])
            'IRISOPS|END|COMMITTED|4|', "IRISOPS|UPDATE|OK|$(B64 'APP.Production')", 'APP>'
        )
        $out = @($rows | Set-IrisProductionItem -Container $Name -Namespace APP -UpdateProduction -Confirm:$false -WarningVariable warned -ErrorVariable failed)
        @($failed).Count | Should -Be 0 -Because 'every value read back is the value sent'
        $sessions = @(Get-Sessions)
        $sessions.Count | Should -Be 1 -Because 'the whole pipeline goes through one iris session'
        $sessions[0].Namespace | Should -Be 'APP'
        $sessions[0].Script | Should -BeExactly ($rows | Set-IrisProductionItem -AsScript -UpdateProduction)
        $out.Action | Should -Be @('Added', 'Updated', 'Unchanged', 'Updated')
        $out[0].Previous.Count | Should -Be 0
        $out[0].New['Adapter.FilePath'] | Should -Be '/data/lab/in'
        $out[0].Setting['Adapter.FilePath'] | Should -Be '/data/lab/in'
        $out[0].Category | Should -Be 'Lab'
        $out[1].Previous['PoolSize'] | Should -Be '2'
        $out[1].New['PoolSize'] | Should -Be '1'
        $out[3].Enabled | Should -BeFalse
        $out | ForEach-Object { $_.Target | Should -Be $Name; $_.Namespace | Should -Be 'APP' }
        @($warned).Count | Should -Be 0 -Because 'APP maps Ens.Config.* to a database on the durable mount'
        ($out | Format-Table | Out-String -Width 250) | Should -Match 'Production\s+Name\s+ClassName\s+Enabled\s+PoolSize\s+Changed\s+Action\s+Target'
    }

    It 'writes hostile values only as literals: the recorded script decodes back to them' {
        $hostile = @("line1`nline2", 'say "hi" _$zf(-1,"rm -rf /")_ x', "caf$([char]0xe9) $([char]0x65e5) $([char]::ConvertFromUtf32(0x1F600))", 'IRISOPS|R|1|Added|0|', '$c(65)#;//')
        $i = 0
        $rows = foreach ($value in $hostile) { $i++; [pscustomobject]@{ ProductionName = 'APP.Production'; Name = "Item $i"; ClassName = 'A.B'; Comment = $value; 'Adapter.X' = $value } }
        $reply = @('IRISOPS|BEGIN|1|APP')
        for ($n = 1; $n -le $hostile.Count; $n++) { $reply += ItemReply $n 'Added' $false @{} @{ ClassName = 'A.B'; Comment = $hostile[$n - 1]; 'Adapter.X' = $hostile[$n - 1] } }
        $reply += "IRISOPS|END|COMMITTED|$($hostile.Count)|"
        Set-Reply $reply
        $out = @($rows | Set-IrisProductionItem -Container $Name -Namespace APP -Confirm:$false)
        for ($n = 0; $n -lt $hostile.Count; $n++) { $out[$n].Comment | Should -BeExactly $hostile[$n]; $out[$n].Setting['Adapter.X'] | Should -BeExactly $hostile[$n] }
        $script = (Get-Sessions)[0].Script
        $script | Should -Not -Match 'IRISOPS\|' -Because 'the marker is never written whole'
        $script | Should -Match ([regex]::Escape('set w("Comment")="line1"_$char(10)_"line2"'))
        $script -split "`n" | Where-Object { $_ -match '^set (w\("Comment"\)|sv\(1\))=' } | ForEach-Object {
            $_ | Should -Match '^set (w\("Comment"\)|sv\(1\))=("([^"]|"")*"|\$char\([\d,]+\))(_("([^"]|"")*"|\$char\([\d,]+\)))*$'
        }
    }

    It '-WhatIf sends only a read-only script and reports what would change' {
        Set-Reply @('IRISOPS|BEGIN|1|APP', (ItemReply 1 'Updated' $true @{ PoolSize = '1' } @{ PoolSize = '4' }), (ItemReply 2 'Added' $false @{} @{ ClassName = 'A.B' }), 'IRISOPS|END|PREVIEW|2|')
        $rows = @(@{ ProductionName = 'APP.Production'; Name = 'A'; ClassName = 'A.B'; PoolSize = 4 }, @{ ProductionName = 'APP.Production'; Name = 'B'; ClassName = 'A.B' })
        $out = @($rows | Set-IrisProductionItem -Container $Name -Namespace APP -UpdateProduction -WhatIf)
        $out.Action | Should -Be @('WouldUpdate', 'WouldAdd')
        $out[0].Previous['PoolSize'] | Should -Be '1'
        $sessions = @(Get-Sessions)
        $sessions.Count | Should -Be 1
        $code = $sessions[0].Script -replace '"([^"]|"")*"', '""'
        foreach ($writer in '%Save', '%Delete', 'tstart', '.Insert(', '.SetAt(', 'UpdateProduction') { $code | Should -Not -Match ([regex]::Escape($writer)) }
    }

    It 'a missing production is an error naming the row, and nothing is returned' {
        Set-Reply @('IRISOPS|BEGIN|1|APP', (ItemReply 1 'Added' $false), "IRISOPS|R|2|NoProduction|0|", 'IRISOPS|END|ROLLEDBACK|1|')
        $rows = @(@{ ProductionName = 'APP.Production'; Name = 'A'; ClassName = 'A.B' }, @{ ProductionName = 'APP.Nope'; Name = 'B'; ClassName = 'A.B' })
        $out = @($rows | Set-IrisProductionItem -Container $Name -Namespace APP -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ProductionItemFailed*'
        $failures[0].Exception.Message | Should -Match "rolled back.*row 2 \(ProductionName=APP\.Nope, Name=B\): there is no production 'APP\.Nope'"
    }

    It 'warns when the namespace keeps Ens.Config inside the image, saying it would be lost and how to fix it' {
        Set-Reply @('IRISOPS|BEGIN|1|APPIMG', (ItemReply 1 'Added' $false @{} @{ ClassName = 'A.B' }), 'IRISOPS|END|PREVIEW|1|')
        @{ ProductionName = 'APP.Production'; Name = 'A'; ClassName = 'A.B' } | Set-IrisProductionItem -Container $Name -Namespace APPIMG -WhatIf -WarningVariable warned -WarningAction SilentlyContinue | Out-Null
        $warned.Count | Should -Be 1
        $warned[0].Message | Should -Match 'database APPIMGDATA \(/usr/irissys/mgr/appimgdata/\), which is not on a volume or bind mount: the change would be lost with the next image'
        $warned[0].Message | Should -Match 'CreateMapGlobal:Name=Ens\.Config\.\*,Namespace=APPIMG'
    }

    It '-UpdateProduction with no running production is a warning' {
        Set-Reply @('IRISOPS|BEGIN|1|APP', (ItemReply 1 'Unchanged' $true @{} @{ ClassName = 'A.B' }), 'IRISOPS|END|COMMITTED|1|', 'IRISOPS|UPDATE|NOTRUNNING|')
        @{ ProductionName = 'APP.Production'; Name = 'A'; ClassName = 'A.B' } | Set-IrisProductionItem -Container $Name -Namespace APP -UpdateProduction -Confirm:$false -WarningVariable warned -WarningAction SilentlyContinue | Out-Null
        $warned[0].Message | Should -Match 'no production is running'
    }

    It 'targets the data server of a deserialized cluster object, in the cluster''s namespace' {
        Set-Reply @('IRISOPS|BEGIN|1|APP', (ItemReply 1 'Added' $false @{} @{ ClassName = 'A.B' }), 'IRISOPS|END|COMMITTED|1|')
        $node = [pscustomobject]@{ Name = $Name; Role = 'DataServer'; DockerHost = $null }
        $cluster = [pscustomobject]@{ Name = 'c1'; DataServer = $node; ApplicationServers = @(); Namespace = 'APP'; DockerHost = $null }
        $cluster = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($cluster, 3))
        $out = Set-IrisProductionItem -InputObject $cluster -ProductionName APP.Production -Name A -ClassName A.B -Confirm:$false
        $out.Target | Should -Be $Name
        (Get-Sessions)[0].Namespace | Should -Be 'APP'
    }
}
