# Set-IrisDefaultSetting: -AsScript, -ExportPath, and sending rows to a container or the data server of a cluster.
# The container tests run against the irisops-standin image (NOT InterSystems IRIS): its `iris session` records
# the ObjectScript it receives and prints a reply the test writes beforehand, so these tests prove what IrisOps
# sends and how it reads answers, not what IRIS does.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Set-IrisDefaultSetting.Tests.ps1 (default settings on the stand-in)'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Csv = Join-Path $RepoRoot 'examples/default-settings.csv'
    $script:Hostile = @(
        "line1`nline2`r`nline3`ttab"
        'say "hi" _$zf(-1,"rm -rf /")_ " and ''single'''
        "caf$([char]0xe9) $([char]0x65e5)$([char]0x672c) $([char]::ConvertFromUtf32(0x1F600))"
        '<item value="x"/> & &amp; &#10; ]]>'
        'IRISOPS|R|1|Added|0|||||'
        ''
    )
}

Describe 'Set-IrisDefaultSetting: scripts and export files (no container)' {
    BeforeAll {
        $script:Folder = New-TestFolder
    }
    AfterAll {
        Remove-Item -LiteralPath $Folder -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'binds the example CSV by column name and -AsScript carries every row in one script' {
        $rows = Import-Csv $Csv
        $script = $rows | Set-IrisDefaultSetting -AsScript
        @($script).Count | Should -Be 1
        $script | Should -Match '(?m)^tstart$'
        $script | Should -Match '(?m)^halt$'
        @([regex]::Matches($script, '(?m)^set r=\d+,')).Count | Should -Be $rows.Count
        foreach ($row in $rows) { $script | Should -Match ([regex]::Escape('set s="' + $row.SettingName + '"')) }
        $script | Should -Not -Match 'UpdateProduction'
        ($rows | Set-IrisDefaultSetting -AsScript -UpdateProduction) | Should -Match 'Ens\.Director\)\.UpdateProduction\(\)'
    }

    It 'accepts the short column names of the IRIS export' {
        $script = [pscustomobject]@{ production = 'P'; item = 'I'; class = 'C'; setting = 'S'; value = 'V'; description = 'D' } | Set-IrisDefaultSetting -AsScript
        $script | Should -Match ([regex]::Escape('set p="P"'))
        $script | Should -Match ([regex]::Escape('set c="C"'))
        $script | Should -Match ([regex]::Escape('set d="D"'))
    }

    It 'a Description or Deployable is given for exactly the rows that have it, and a command-line value for every row' {
        $rows = @(
            [pscustomobject]@{ SettingName = 'A'; SettingValue = '1'; Description = 'da'; Deployable = 'yes' }
            @{ SettingName = 'B'; SettingValue = '2' }
            [pscustomobject]@{ SettingName = 'C'; SettingValue = '3'; Description = '' }
        )
        $flags = [regex]::Matches(($rows | Set-IrisDefaultSetting -AsScript), 'set r=(\d+),hd=(\d),hp=(\d),dp=(\d)') | ForEach-Object { $_.Value }
        $flags | Should -Be @('set r=1,hd=1,hp=1,dp=1', 'set r=2,hd=0,hp=0,dp=0', 'set r=3,hd=1,hp=0,dp=0')
        $all = [regex]::Matches(($rows | Set-IrisDefaultSetting -AsScript -Description 'same' -ProductionName 'P'), 'set r=\d+,hd=1')
        $all.Count | Should -Be 3
        ($rows | Set-IrisDefaultSetting -AsScript -ProductionName 'P') | Should -Not -Match ([regex]::Escape('set p="*"'))
    }

    It '-ExportPath writes XML that Get-IrisDefaultSetting -Path reads back identically' {
        $path = Join-Path $Folder 'site.xml'
        $i = 0
        $rows = foreach ($value in $Hostile) {
            $i++
            [pscustomobject]@{ ProductionName = 'APP.Production'; ItemName = "Item $i <&>"; SettingName = "S$i"; SettingValue = $value; Description = "d`n$value"; Deployable = ($i % 2 -eq 0) }
        }
        $written = $rows | Set-IrisDefaultSetting -ExportPath $path
        @($written).Count | Should -Be $Hostile.Count
        $written | ForEach-Object { $_.Action | Should -Be 'Exported'; $_.Target | Should -Be $path }
        (Get-Content -Raw $path) | Should -Match '&#10;'
        $back = @(Get-IrisDefaultSetting -Path $path)
        $back.Count | Should -Be $Hostile.Count
        for ($n = 0; $n -lt $Hostile.Count; $n++) {
            $back[$n].SettingValue | Should -BeExactly $Hostile[$n]
            $back[$n].Description | Should -BeExactly ("d`n" + $Hostile[$n])
            $back[$n].ItemName | Should -BeExactly $rows[$n].ItemName
            $back[$n].HostClassName | Should -Be '*'
            $back[$n].Deployable | Should -Be $rows[$n].Deployable
        }
        # ... and the rows read back set the same XML again, so a file moves between sites unchanged.
        $again = Join-Path $Folder 'again.xml'
        $back | Set-IrisDefaultSetting -ExportPath $again | Out-Null
        (Get-Content -Raw $again) | Should -BeExactly (Get-Content -Raw $path)
        @(Get-IrisDefaultSetting -Path $path -SettingName 'S[12]').Count | Should -Be 2
    }

    It '-ExportPath refuses an existing file unless -Force, before -WhatIf' {
        $path = Join-Path $Folder 'existing.xml'
        Set-Content -LiteralPath $path -Value 'keep'
        { Set-IrisDefaultSetting -ExportPath $path -SettingName S -SettingValue v -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'FileExists,IrisOps.Cmdlets.SetIrisDefaultSettingCommand'
        { Set-IrisDefaultSetting -ExportPath $path -SettingName S -SettingValue v -ErrorAction Stop } | Should -Throw -ExpectedMessage '*Add -Force to replace it*'
        (Get-Content -Raw $path).Trim() | Should -Be 'keep'
        (Set-IrisDefaultSetting -ExportPath $path -SettingName S -SettingValue v -Force).Action | Should -Be 'Exported'
        Get-IrisDefaultSetting -Path $path | ForEach-Object SettingValue | Should -Be 'v'
    }

    It 'refuses a value XML cannot carry, naming the row, and writes nothing' {
        $path = Join-Path $Folder 'nul.xml'
        $rows = @([pscustomobject]@{ SettingName = 'Fine'; SettingValue = 'x' }, [pscustomobject]@{ SettingName = 'Bad'; SettingValue = "a$([char]0)b" })
        $err = { $rows | Set-IrisDefaultSetting -ExportPath $path } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'DefaultSettingNotXmlSafe*'
        $err.Exception.Message | Should -Match 'row 2 \(ProductionName=\*, ItemName=\*, HostClassName=\*, SettingName=Bad\)'
        Test-Path $path | Should -BeFalse
    }

    It '-ExportPath -WhatIf writes nothing' {
        $path = Join-Path $Folder 'whatif.xml'
        Import-Csv $Csv | Set-IrisDefaultSetting -ExportPath $path -WhatIf
        Test-Path $path | Should -BeFalse
    }

    It 'accepts PoolSize and Enabled as default settings with a warning about the precedence' {
        $script = [pscustomobject]@{ ItemName = 'File In'; SettingName = 'PoolSize'; SettingValue = '2' }, [pscustomobject]@{ ItemName = 'File In'; SettingName = 'Enabled'; SettingValue = '0' } |
            Set-IrisDefaultSetting -AsScript -WarningVariable warned -WarningAction SilentlyContinue
        $script | Should -Not -BeNullOrEmpty
        @($warned).Count | Should -Be 2
        $warned[0].Message | Should -BeLike 'row 1 (*SettingName=PoolSize)*system override*wins over the value in the production*'
        $warned[1].Message | Should -BeLike 'row 2 (*SettingName=Enabled)*system override*'
    }

    It 'shows results in the table view' {
        $path = Join-Path $Folder 'table.xml'
        $text = Import-Csv $Csv | Set-IrisDefaultSetting -ExportPath $path | Format-Table | Out-String -Width 250
        $text | Should -Match 'Action\s+Item\s+Setting\s+Value\s+Previous\s+Production\s+HostClass\s+Target'
    }
}

Describe 'Set-IrisDefaultSetting on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        $standIn = Start-SettingsStandIn
        $script:RunId = $standIn.RunId
        $script:Name = $standIn.Name
        $script:Record = $standIn.Record
    }

    AfterAll {
        if ($script:RunId) { Remove-TestResources -RunId $RunId }
    }

    BeforeEach {
        Reset-Session
    }

    It 'the CSV piped in: one session with every row, the reply read into objects with Previous, value and Action' {
        $rows = @(Import-Csv $Csv)
        $reply = @("USER>", 'IRISOPS|BEGIN|1|USER')
        for ($n = 1; $n -le $rows.Count; $n++) {
            $row = $rows[$n - 1]
            $reply += switch ($n % 3) {
                1 { Row $n 'Added' $false '' $row.SettingValue $row.Description 1 }
                2 { "USER>" + (Row $n 'Updated' $true "old-$n" $row.SettingValue $row.Description 1) }
                0 { Row $n 'Unchanged' $true $row.SettingValue $row.SettingValue $row.Description 0 }
            }
        }
        $reply += "IRISOPS|END|COMMITTED|$($rows.Count)|", "IRISOPS|UPDATE|OK|$(B64 'APP.Production')", 'USER>'
        Set-Reply $reply

        $out = @($rows | Set-IrisDefaultSetting -Container $Name -UpdateProduction -Confirm:$false)

        $sessions = @(Get-Sessions)
        $sessions.Count | Should -Be 1 -Because 'the whole pipeline goes through one iris session'
        $sessions[0].Namespace | Should -Be 'USER'
        $sessions[0].Script | Should -BeExactly ($rows | Set-IrisDefaultSetting -AsScript -UpdateProduction)
        @([regex]::Matches($sessions[0].Script, '(?m)^set r=\d+,')).Count | Should -Be $rows.Count
        $out.Count | Should -Be $rows.Count
        for ($n = 1; $n -le $rows.Count; $n++) {
            $o = $out[$n - 1]
            $o.SettingName | Should -Be $rows[$n - 1].SettingName
            $o.SettingValue | Should -Be $rows[$n - 1].SettingValue
            $o.Target | Should -Be $Name
            $o.Namespace | Should -Be 'USER'
            switch ($n % 3) {
                1 { $o.Action | Should -Be 'Added'; $o.Previous | Should -BeNullOrEmpty }
                2 { $o.Action | Should -Be 'Updated'; $o.Previous | Should -Be "old-$n" }
                0 { $o.Action | Should -Be 'Unchanged'; $o.Previous | Should -Be $rows[$n - 1].SettingValue }
            }
        }
        $out[0].HostClassName | Should -Be 'EnsLib.DICOM.Service.TCP'
        $out[5].HostClassName | Should -Be '*' -Because 'an empty CSV cell means any'
    }

    It 'writes hostile values only as literals: the recorded script decodes back to them' {
        $i = 0
        $rows = foreach ($value in $Hostile) { $i++; [pscustomobject]@{ ItemName = 'X'; SettingName = "S$i"; SettingValue = $value } }
        $reply = @('IRISOPS|BEGIN|1|USER')
        for ($n = 1; $n -le $Hostile.Count; $n++) { $reply += Row $n 'Added' $false '' $Hostile[$n - 1] }
        $reply += "IRISOPS|END|COMMITTED|$($Hostile.Count)|"
        Set-Reply $reply
        $out = @($rows | Set-IrisDefaultSetting -Container $Name -Confirm:$false)
        $out.Count | Should -Be $Hostile.Count
        for ($n = 0; $n -lt $Hostile.Count; $n++) { $out[$n].SettingValue | Should -BeExactly $Hostile[$n] }
        $script = (Get-Sessions)[0].Script
        $script | Should -Not -Match 'IRISOPS\|' -Because 'the marker is never written whole, so an echo cannot fake a result'
        $script | Should -Match ([regex]::Escape('"line1"_$char(10)_"line2"_$char(13,10)_"line3"_$char(9)_"tab"'))
        $script | Should -Match ([regex]::Escape('"say ""hi"" _$zf(-1,""rm -rf /"")_ "" and ''single''"'))
        $script -split "`n" | Where-Object { $_ -match '^set v=' } | ForEach-Object { $_ | Should -Match '^set v=("([^"]|"")*"|\$char\([\d,]+\))(_("([^"]|"")*"|\$char\([\d,]+\)))*$' }
    }

    It '-WhatIf sends only a read-only script, reports what would change and changes nothing' {
        Set-Reply @('IRISOPS|BEGIN|1|USER', (Row 1 'Updated' $true '1111' '2222'), (Row 2 'Added' $false '' 'new'), (Row 3 'Unchanged' $true 'same' 'same'), 'IRISOPS|END|PREVIEW|3|')
        $rows = @(
            [pscustomobject]@{ SettingName = 'Port'; SettingValue = '2222' }
            [pscustomobject]@{ SettingName = 'Host'; SettingValue = 'new' }
            [pscustomobject]@{ SettingName = 'AET'; SettingValue = 'same' }
        )
        $out = @($rows | Set-IrisDefaultSetting -Container $Name -UpdateProduction -WhatIf)
        $out.Action | Should -Be @('WouldUpdate', 'WouldAdd', 'Unchanged')
        $out[0].Previous | Should -Be '1111'
        $sessions = @(Get-Sessions)
        $sessions.Count | Should -Be 1
        $code = $sessions[0].Script -replace '"([^"]|"")*"', '""'
        foreach ($writer in '%Save', '%Delete', 'tstart', 'tcommit', 'UpdateProduction') { $code | Should -Not -Match ([regex]::Escape($writer)) }
    }

    It 'a failing row: the transaction is rolled back, the error names the row and no object is written' {
        Set-Reply @('IRISOPS|BEGIN|1|USER', (Row 1 'Added' $false '' 'a'), "IRISOPS|R|2|Error|||||0|$(B64 'ERROR #5803: failed to acquire lock')", 'IRISOPS|END|ROLLEDBACK|1|')
        $rows = @([pscustomobject]@{ SettingName = 'A'; SettingValue = 'a' }, [pscustomobject]@{ ProductionName = 'APP.Production'; SettingName = 'B'; SettingValue = 'b' })
        $out = @($rows | Set-IrisDefaultSetting -Container $Name -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 0
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'DefaultSettingFailed*'
        $failures[0].Exception.Message | Should -Match 'row 2 \(ProductionName=APP\.Production, ItemName=\*, HostClassName=\*, SettingName=B\) failed: ERROR #5803'
        $failures[0].Exception.Message | Should -Match 'rolled back'
    }

    It 'unexpected output is an error that shows the tail of what the session printed' {
        Set-Reply @('USER>', '<UNDEFINED>^%SYS.something', 'USER>')
        [pscustomobject]@{ SettingName = 'A'; SettingValue = 'secret-looking-value' } | Set-IrisDefaultSetting -Container $Name -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'UnexpectedSessionOutput*'
        $failures[0].Exception.Message | Should -Match '<UNDEFINED>'
        $failures[0].Exception.Message | Should -Not -Match 'secret-looking-value' -Because 'the script is never printed in an error'
    }

    It 'a namespace without interoperability, a missing namespace and a missing container are clear errors' {
        Set-Reply @('IRISOPS|BEGIN|0|USER')
        [pscustomobject]@{ SettingName = 'A'; SettingValue = '1' } | Set-IrisDefaultSetting -Container $Name -Confirm:$false -ErrorVariable e1 -ErrorAction SilentlyContinue
        $e1[0].FullyQualifiedErrorId | Should -BeLike 'NamespaceNotInteroperability*'
        [pscustomobject]@{ SettingName = 'A'; SettingValue = '1' } | Set-IrisDefaultSetting -Container $Name -Namespace NOSUCHNS -Confirm:$false -ErrorVariable e2 -ErrorAction SilentlyContinue
        $e2[0].FullyQualifiedErrorId | Should -BeLike 'NamespaceNotFound*'
        [pscustomobject]@{ SettingName = 'A'; SettingValue = '1' } | Set-IrisDefaultSetting -Container "$Name-missing" -Confirm:$false -ErrorVariable e3 -ErrorAction SilentlyContinue
        $e3[0].FullyQualifiedErrorId | Should -BeLike 'ContainerNotFound*'
    }

    It 'refuses <Why> before anything is sent' -ForEach @(
        @{ Why = 'SettingName *'; Rows = { [pscustomobject]@{ SettingName = '*'; SettingValue = '2' } }; Id = 'InvalidDefaultSetting'; Text = "row 1 .*SettingName cannot be '\*'" }
        @{ Why = 'a key over 255 characters'; Rows = { [pscustomobject]@{ SettingName = 'A'; SettingValue = '1' }; [pscustomobject]@{ ItemName = 'i' * 256; SettingName = 'B'; SettingValue = '1' } }; Id = 'InvalidDefaultSetting'; Text = 'row 2 .*ItemName has 256 characters' }
        @{ Why = 'the id separator in a key'; Rows = { [pscustomobject]@{ ProductionName = 'A||B'; SettingName = 'S'; SettingValue = '1' } }; Id = 'InvalidDefaultSetting'; Text = "row 1 .*ProductionName contains '\|\|'" }
        @{ Why = 'a value over 2000 characters'; Rows = { [pscustomobject]@{ SettingName = 'S'; SettingValue = 'v' * 2001 } }; Id = 'InvalidDefaultSetting'; Text = 'row 1 .*SettingValue has 2001 characters' }
        @{ Why = 'a description over 2000 characters'; Rows = { [pscustomobject]@{ SettingName = 'S'; SettingValue = 'v'; Description = 'd' * 2001 } }; Id = 'InvalidDefaultSetting'; Text = 'row 1 .*Description has 2001 characters' }
        @{ Why = 'the same setting twice'; Rows = { [pscustomobject]@{ SettingName = 'S'; SettingValue = '1' }; [pscustomobject]@{ SettingName = 'S'; SettingValue = '2' } }; Id = 'InvalidDefaultSetting'; Text = 'row 2 .*the same setting as row 1' }
        @{ Why = 'a row that cannot be bound'; Rows = { [pscustomobject]@{ SettingName = 'A'; SettingValue = '1'; Deployable = 'maybe' }; [pscustomobject]@{ SettingName = 'B'; SettingValue = '1' } }; Id = 'DefaultSettingInputNotBound'; Text = '1 input row' }
        @{ Why = 'an invalid namespace name'; Rows = { [pscustomobject]@{ SettingName = 'A'; SettingValue = '1' } }; Id = 'InvalidNamespace'; Text = 'is not a namespace name'; Namespace = 'US ER' }
    ) {
        Set-Reply @('IRISOPS|BEGIN|1|USER', 'IRISOPS|END|COMMITTED|0|')
        $namespace = if ($Namespace) { $Namespace } else { 'USER' }
        $err = { & $Rows | Set-IrisDefaultSetting -Container $Name -Namespace $namespace -Confirm:$false -ErrorAction SilentlyContinue } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike "$Id*"
        $err.Exception.Message | Should -Match $Text
        Get-Session | Should -BeNullOrEmpty -Because 'nothing may be sent when a row is refused'
    }

    It 'targets the data server of a cluster object given by -InputObject, in the cluster''s namespace' {
        Set-Reply @('IRISOPS|BEGIN|1|USER', (Row 1 'Added' $false '' '1'), 'IRISOPS|END|COMMITTED|1|')
        $node = [pscustomobject]@{ Name = $Name; Role = 'DataServer'; DockerHost = $null }
        $cluster = [pscustomobject]@{ Name = 'c1'; DataServer = $node; ApplicationServers = @(); Namespace = 'USER'; DockerHost = $null }
        $out = [pscustomobject]@{ SettingName = 'A'; SettingValue = '1' } | Set-IrisDefaultSetting -InputObject $cluster -Confirm:$false
        $out.Target | Should -Be $Name
        (Get-Sessions)[0].Namespace | Should -Be 'USER'
    }

    It 'the runbook example checks and previews the example CSV without changing anything' {
        $rows = @(Import-Csv $Csv)
        $reply = @('IRISOPS|BEGIN|1|USER')
        for ($n = 1; $n -le $rows.Count; $n++) { $reply += Row $n 'Added' $false '' $rows[$n - 1].SettingValue }
        $reply += "IRISOPS|END|PREVIEW|$($rows.Count)|"
        Set-Reply $reply
        $output = & (Join-Path $RepoRoot 'examples/site-settings-runbook.ps1') -Container $Name 6>&1 | Out-String
        $output | Should -Match "$($rows.Count) of $($rows.Count) setting\(s\) would change"
        $output | Should -Match 'Preview only'
        $sessions = @(Get-Sessions)
        $sessions.Count | Should -Be 1
        $sessions[0].Script | Should -Not -Match 'tstart'
    }
}

Describe 'A deserialized cluster object as the target' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1 | Out-Null
        $script:Root = New-TestFolder
        $made = New-SavedTestCluster -Root $Root
        $script:Name = $made.Name
        $script:Saved = $made.Saved
    }

    AfterAll {
        if ($script:Name) { try { Remove-ClusterResources $Name } catch { Write-Warning $_ } }
        if ($script:Root) { Remove-DurableFolder -Path $Root }
    }

    It 'a cluster object or an upgrade result piped in is the target, and the command line is the row' -ForEach @(
        @{ Shape = 'cluster'; Make = { Import-Clixml -LiteralPath $Saved } }
        @{ Shape = 'upgrade result'; Make = { [pscustomobject]@{ PSTypeName = 'Deserialized.IrisOps.Core.Upgrade.IrisUpgradeResult'; Node = "$Name-data"; Cluster = $Name; Role = 'Data'; FromImage = 'irisops-standin:v1'; ToImage = 'irisops-standin:v1'; Status = 'Upgraded' } } }
    ) {
        $reply = "IRISOPS|BEGIN|1|USER`nIRISOPS|R|1|Added|0||$([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('v')))||0|`nIRISOPS|END|PREVIEW|1|`n"
        $written = Invoke-ContainerCommand -Name "$Name-data" -Command 'sh', '-c', 'cat > /irisops/durable/iconfig/standin/reply' -InputText $reply
        $written.ExitCode | Should -Be 0 -Because $written.Error
        $result = @(& $Make | Set-IrisDefaultSetting -SettingName 'S' -SettingValue 'v' -WhatIf)
        $result.Count | Should -Be 1
        $result[0].Target | Should -Match ([regex]::Escape("$Name-data"))
        $result[0].SettingName | Should -Be 'S'
    }

    It 'without any container the command says how to give one, and sends nothing' {
        { Set-IrisDefaultSetting -SettingName 'S' -SettingValue 'v' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'NoTarget,*'
    }

    It 'Set-IrisDefaultSetting sends to the data server in the cluster''s namespace' {
        $reply = "IRISOPS|BEGIN|1|USER`nIRISOPS|R|1|Added|0||$([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('v')))||0|`nIRISOPS|END|PREVIEW|1|`n"
        $written = Invoke-ContainerCommand -Name "$Name-data" -Command 'sh', '-c', 'cat > /irisops/durable/iconfig/standin/reply' -InputText $reply
        $written.ExitCode | Should -Be 0 -Because $written.Error
        $result = Set-IrisDefaultSetting -InputObject (Import-Clixml -LiteralPath $Saved) -SettingName 'S' -SettingValue 'v' -WhatIf
        $result.Target | Should -Match ([regex]::Escape("$Name-data"))
    }
}
