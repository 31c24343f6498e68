# Get-IrisDefaultSetting: export files read back, and the settings of a container.
# The container tests run against the irisops-standin image (NOT InterSystems IRIS): its `iris session` records
# the ObjectScript it receives and prints a reply the test writes beforehand, so these tests prove what IrisOps
# sends and how it reads answers, not what IRIS does.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Get-IrisDefaultSetting.Tests.ps1 (default settings on the stand-in)'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Csv = Join-Path $RepoRoot 'examples/default-settings.csv'
}

Describe 'Get-IrisDefaultSetting: export files (no container)' {
    BeforeAll {
        $script:Folder = New-TestFolder
    }
    AfterAll {
        Remove-Item -LiteralPath $Folder -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'reads $system.OBJ.Export files and several paths; an unreadable file is a non-terminating error naming its full path' {
        $export = Join-Path $Folder 'Settings.esd.xml'
        [IO.File]::WriteAllText($export, (@(
                    '<?xml version="1.0" encoding="UTF-8"?>'
                    '<Export generator="IRIS" version="26">'
                    '<Document name="T.LUT"><lookupTable><entry table="T" key="k">v</entry></lookupTable></Document>'
                    '<Document name="Ens.Config.DefaultSettings.ESD"><defaultSettings>'
                    '<item production="*" item="File In" class="*" setting="FilePath" value="/in"><Deployable>true</Deployable></item>'
                    '</defaultSettings></Document>'
                    '</Export>') -join "`n"))
        $plain = Join-Path $Folder 'plain-settings.xml'
        [IO.File]::WriteAllText($plain, '<defaultSettings><item setting="Port" value="104" description="pacs"/></defaultSettings>')
        $bad = Join-Path $Folder 'bad-settings.xml'
        [IO.File]::WriteAllText($bad, '<defaultSettings><item setting="S" colour="red"/></defaultSettings>')

        $rows = @(Get-IrisDefaultSetting -Path $export, (Join-Path $Folder '*-settings.xml') -ErrorVariable problems -ErrorAction SilentlyContinue)
        $rows.SettingName | Should -Be @('FilePath', 'Port')
        $rows[0].Description | Should -BeExactly '' -Because '%Import stores an item without a description attribute with an empty one'
        $rows[0].Target | Should -Be $export
        @($problems).Count | Should -Be 1
        $problems[0].Exception.Message | Should -BeLike "$bad line 1: <item> has the attribute 'colour'*"
    }
}

Describe 'Get-IrisDefaultSetting on the stand-in' -Skip:($DockerState.Skip) {
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

    It 'Get-IrisDefaultSetting lists in one read-only session and filters with wildcards' {
        Set-Reply @(
            'IRISOPS|BEGIN|1|USER'
            "IRISOPS|S|$(B64 'APP.Production')|$(B64 'To PACS')|$(B64 '*')|$(B64 'Port')|$(B64 '104')|$(B64 'pacs port')|1"
            "IRISOPS|S|$(B64 'APP.Production')|$(B64 'To PACS')|$(B64 '*')|$(B64 'IPAddress')|$(B64 "10.0.0.1")|$(B64 '')|0"
            "IRISOPS|S|$(B64 '*')|$(B64 '*')|$(B64 '*')|$(B64 'FilePath')|$(B64 "/d`n")|$(B64 '')|0"
            'IRISOPS|END|LISTED|3|'
        )
        $all = @(Get-IrisDefaultSetting -Container $Name)
        $all.Count | Should -Be 3
        $all[2].SettingValue | Should -BeExactly "/d`n"
        $all[0].Deployable | Should -BeTrue
        $all[0].Description | Should -Be 'pacs port'
        @(Get-IrisDefaultSetting -Container $Name -SettingName '*port*').SettingName | Should -Be @('Port')
        @(Get-IrisDefaultSetting -Container $Name -ProductionName '`*').SettingName | Should -Be @('FilePath')
        $sessions = @(Get-Sessions)
        $sessions.Count | Should -Be 3
        $code = $sessions[0].Script -replace '"([^"]|"")*"', '""'
        foreach ($writer in '%Save', '%Delete', 'tstart') { $code | Should -Not -Match ([regex]::Escape($writer)) }
    }

    It 'completes running container names for -Container' {
        $line = "Get-IrisDefaultSetting -Container irisops-test-settings-$RunId".Substring(0, "Get-IrisDefaultSetting -Container irisops-test-settings-".Length + 3)
        $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $completion.CompletionMatches.CompletionText | Should -Contain $Name
        Get-Session | Should -BeNullOrEmpty -Because 'completion only lists containers'
    }
}
