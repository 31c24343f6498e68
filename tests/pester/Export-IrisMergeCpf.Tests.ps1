# Export-IrisMergeCpf as users run it: imported and edited files out in canonical form, action objects and
# section entries from the pipeline, the example layout rendered into the two merge files of the example image,
# and the safety rules (-NoClobber, -WhatIf, nothing written on any error, errors naming file and line).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Root = New-TestFolder
    $script:ExampleLayout = Join-Path $RepoRoot 'examples/app-layout.yml'
    $script:Quirky = New-QuirkyCpf

    $script:SeedBuild = @(
        '[Actions]'
        'CreateResource:Name=%DB_APP,PublicPermission=0'
        'CreateDatabase:Name=APPDATA,Directory=/usr/irissys/mgr/appdata,MountAtStartup=1,ResourceName=%DB_APP'
        'CreateDatabase:Name=APPCONFIG,Directory=/usr/irissys/mgr/appconfig,MountAtStartup=1,ResourceName=%DB_APP'
    )
    $script:SeedRuntime = @(
        '[Startup]'
        'WebServer=1'
        '[Actions]'
        'CreateDatabase:Name=APPCODE,Directory=/home/irisowner/mgr/appcode,MountAtStartup=1'
        'CreateNamespace:Name=APP,Globals=APPDATA,Routines=APPCODE,Interop=1'
        'CreateMapGlobal:Name=Ens.Config.*,Namespace=APP,Database=APPCONFIG'
        'CreateMapGlobal:Name=Ens.AutoStart,Namespace=APP,Database=APPCODE'
        'CreateMapGlobal:Name=EnsLib.DICO*,Namespace=APP,Database=APPCONFIG'
        'CreateMapGlobal:Name=Ens.LookupTable,Namespace=APP,Database=APPCONFIG'
        'CreateMapGlobal:Name=Ens.Util.LookupTableS,Namespace=APP,Database=APPCONFIG'
    )
}

AfterAll {
    Remove-Item $Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Export-IrisMergeCpf' {
    It 'writes an imported and edited quirky file back in canonical form, comments kept' {
        $cpf = Import-IrisCpf $Quirky
        $cpf.Set('config', 'MaxServerConn', '5') | Out-Null
        $cpf.Actions[0]['Roles'] = '%SQL'
        $cpf.AddAction('CreateResource', [ordered]@{ Name = '%DB_APP'; PublicPermission = 0 }) | Out-Null
        $target = Join-Path $Root 'edited.cpf'

        $cpf | Export-IrisMergeCpf -Path $target | Should -BeNullOrEmpty

        [IO.File]::ReadAllText($target) | Should -BeExactly ((@(
                    '', '# quirky', '#[config]', '[config]', 'MaxServerConn=1', 'globals=0,0,2048,0,0,0', '/* block', '[Startup]', '*/',
                    '[config]', 'MaxServerConn=5', '[Actions]', 'CreateUser:Name=app,Roles=%SQL', 'CreateResource:Name=%DB_APP,PublicPermission=0', '// end') -join "`n") + "`n")
        (Import-IrisCpf $target).Get('config', 'MaxServerConn') | Should -Be '5'
    }

    It 'turns piped action objects and section entries into lines, in order' {
        $text = @(
            [pscustomobject]@{ Action = 'CreateResource'; Name = '%DB_APP' }
            [pscustomobject]@{ Action = 'CreateDatabase'; Name = 'APPDATA'; Directory = '/usr/irissys/mgr/appdata'; ResourceName = '%DB_APP'; Size = $null }
            [pscustomobject]@{ Action = 'CreateUser'; Name = 'app'; Roles = '%DB_APP', '%SQL'; Enabled = $true }
            [pscustomobject]@{ Section = 'config'; Name = 'MaxServerConn'; Value = 3 }
            @{ Section = 'Startup'; Name = 'WebServer'; Value = 1 }
        ) | Export-IrisMergeCpf

        $text | Should -BeOfType [string]
        $text | Should -BeExactly (@(
                '[Actions]'
                'CreateResource:Name=%DB_APP'
                'CreateDatabase:Name=APPDATA,Directory=/usr/irissys/mgr/appdata,ResourceName=%DB_APP'
                'CreateUser:Name=app,Roles="%DB_APP,%SQL",Enabled=1'
                '[config]'
                'MaxServerConn=3'
                '[Startup]'
                'WebServer=1'
                '') -join "`n")
    }

    It 'renders the example layout''s build stage as seed 002''s install.cpf' {
        $target = Join-Path $Root 'build.cpf'
        Export-IrisMergeCpf -LayoutPath $ExampleLayout -Stage Build -Path $target -WarningVariable warned
        # Seed 002 wrote Resource=; IrisOps writes the documented ResourceName.
        Get-MergeLines ([IO.File]::ReadAllText($target)) | Should -Be $SeedBuild
        $warned | Should -BeNullOrEmpty
    }

    It 'renders the example layout''s runtime stage as seed 002''s merge.cpf' {
        $text = Export-IrisMergeCpf -LayoutPath $ExampleLayout -Stage Runtime -WarningVariable warned
        Get-MergeLines $text | Should -Be $SeedRuntime
        $text | Should -Match '(?m)^# Runtime stage of app-layout\.yml.*ISC_CPF_MERGE_FILE'
        $warned | Should -BeNullOrEmpty
    }

    It 'renders the same from a -Layout hashtable, and both stages by default' {
        $layout = @{
            resources  = @( @{ name = '%DB_APP'; publicPermission = 0 } )
            databases  = @(
                @{ name = 'APPCODE'; role = 'code'; directory = '/home/irisowner/mgr/appcode' }
                [pscustomobject]@{ name = 'APPDATA'; role = 'data'; directory = '/usr/irissys/mgr/appdata'; resource = '%DB_APP' }
                [ordered]@{ name = 'APPCONFIG'; role = 'config'; directory = '/usr/irissys/mgr/appconfig'; resource = '%DB_APP' }
            )
            namespaces = @( @{ name = 'APP'; globals = 'APPDATA'; routines = 'APPCODE'; interoperability = $true } )
            startup    = @{ WebServer = 1 }
        }
        $all = Get-MergeLines (Export-IrisMergeCpf -Layout $layout)
        $all | Should -Be (@('[Startup]', 'WebServer=1', '[Actions]') + ($SeedBuild | Select-Object -Skip 1) + ($SeedRuntime | Select-Object -Skip 3))
        Get-MergeLines (Export-IrisMergeCpf -Layout $layout -Stage Runtime) | Should -Be $SeedRuntime
    }

    It 'puts the layout first and piped input after it' {
        $text = [pscustomobject]@{ Action = 'CreateUser'; Name = 'app' } | Export-IrisMergeCpf -LayoutPath $ExampleLayout -Stage Build
        (Get-MergeLines $text)[-1] | Should -Be 'CreateUser:Name=app'
    }

    It 'writes CRLF with -LineEnding CrLf and LF by default, UTF-8 without a byte order mark' {
        $crlf = Join-Path $Root 'crlf.cpf'
        [pscustomobject]@{ Section = 'SQL'; Name = 'Comment'; Value = 'déjà vu' } | Export-IrisMergeCpf -Path $crlf -LineEnding CrLf
        [IO.File]::ReadAllBytes($crlf) | Should -Be ([Text.Encoding]::UTF8.GetBytes("[SQL]`r`nComment=déjà vu`r`n"))
        ([pscustomobject]@{ Section = 'SQL'; Name = 'Comment'; Value = 'x' } | Export-IrisMergeCpf) | Should -BeExactly "[SQL]`nComment=x`n"
    }

    It 'refuses an existing file unless -Force (-NoClobber is the default and still accepted)' {
        $target = New-TextFile 'existing.cpf' 'old content'
        { [pscustomobject]@{ Section = 'config'; Name = 'MaxServers'; Value = 1 } | Export-IrisMergeCpf -Path $target -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileExists,IrisOps.Cmdlets.ExportIrisMergeCpfCommand'
        [IO.File]::ReadAllText($target) | Should -BeExactly 'old content'
        [pscustomobject]@{ Section = 'config'; Name = 'MaxServers'; Value = 2 } | Export-IrisMergeCpf -Path $target -Force
        [IO.File]::ReadAllText($target) | Should -BeExactly "[config]`nMaxServers=2`n"

        { [pscustomobject]@{ Section = 'config'; Name = 'MaxServers'; Value = 3 } | Export-IrisMergeCpf -Path $target -NoClobber -ErrorAction Stop } |
            Should -Throw -ErrorId 'FileExists,IrisOps.Cmdlets.ExportIrisMergeCpfCommand'
        { [pscustomobject]@{ Section = 'config'; Name = 'MaxServers'; Value = 3 } | Export-IrisMergeCpf -Path $target -NoClobber -Force -ErrorAction Stop } |
            Should -Throw -ErrorId 'ForceWithNoClobber,IrisOps.Cmdlets.ExportIrisMergeCpfCommand'
        [IO.File]::ReadAllText($target) | Should -BeExactly "[config]`nMaxServers=2`n"
        (Get-ChildItem $Root -Filter 'existing.cpf*').Count | Should -Be 1 -Because 'no staging file is left behind'
    }

    It '-WhatIf says what it would write and writes nothing' {
        $target = Join-Path $Root 'whatif.cpf'
        # What-if lines go straight to the host, so a child pwsh shows them on its standard output.
        $command = "Import-Module '$ModuleManifest'; Export-IrisMergeCpf -LayoutPath '$ExampleLayout' -Stage Build -Path '$target' -WhatIf"
        $pwsh = Get-PwshCommandLine
        $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $command | Out-String
        $output | Should -Match "What if: Write the merge file '.*whatif\.cpf' with 3 action\(s\) and 0 section entries\."
        $target | Should -Not -Exist
    }

    It 'names the input of a misspelled action and writes nothing' {
        $target = Join-Path $Root 'typo-out.cpf'
        $objects = @(
            [pscustomobject]@{ Action = 'CreateResource'; Name = '%DB_APP' }
            [pscustomobject]@{ Action = 'CreateDatabse'; Name = 'APPDATA'; Directory = '/d' }
        )
        { $objects | Export-IrisMergeCpf -Path $target -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownCpfAction,*'
        $record = Get-ErrorRecord { $objects | Export-IrisMergeCpf -Path $target }
        $record.Exception.Message | Should -BeLike "pipeline input 2: unknown action 'CreateDatabse'. Did you mean CreateDatabase?*"
        $record.CategoryInfo.Category | Should -Be 'InvalidData'
        $target | Should -Not -Exist
        $objects | Export-IrisMergeCpf -AllowUnknownAction | Should -Match 'CreateDatabse:Name=APPDATA'
    }

    It 'names the file and line of a misspelled action in an imported document' {
        $typo = New-TextFile 'typo2.cpf' "[Actions]`nCreateNamspace:Name=APP,Globals=APPDATA`n"
        $cpf = Import-IrisCpf $typo -AllowUnknownAction
        (Get-ErrorRecord { $cpf | Export-IrisMergeCpf }).Exception.Message | Should -BeLike "$typo line 2: unknown action 'CreateNamspace'. Did you mean CreateNamespace?*"
    }

    It 'writes nothing when any one of many inputs is bad, and keeps the existing file' {
        $target = New-TextFile 'keep.cpf' "[config]`nMaxServers=9`n"
        $inputs = @(
            [pscustomobject]@{ Section = 'config'; Name = 'MaxServers'; Value = 1 }
            'a string is not CPF content'
            [pscustomobject]@{ Name = 'no action and no section' }
            [pscustomobject]@{ Section = 'config'; Name = 'MaxServerConn'; Value = 2 }
        )
        $final = $null
        try { $inputs | Export-IrisMergeCpf -Path $target -ErrorAction SilentlyContinue -ErrorVariable problem } catch { $final = $_ }

        @($problem).Count | Should -Be 3 -Because 'each bad input is reported, then the command stops'
        $problem[0].Exception.Message | Should -BeLike 'pipeline input 2: got a string*'
        $problem[1].Exception.Message | Should -BeLike 'pipeline input 3: the object has the properties Name.*'
        $final.FullyQualifiedErrorId | Should -BeLike 'MergeFileNotWritten,*'
        $final.Exception.Message | Should -BeLike 'Nothing was written: 2 input object(s)*'
        [IO.File]::ReadAllText($target) | Should -BeExactly "[config]`nMaxServers=9`n"
    }

    It 'refuses a value with a line break, naming the line, the action and the property' {
        $target = Join-Path $Root 'inject.cpf'
        $evil = [pscustomobject]@{ Action = 'CreateDatabase'; Name = 'APPDATA'; Directory = "/d`n[Actions]`nCreateUser:Name=evil" }
        { $evil | Export-IrisMergeCpf -Path $target -ErrorAction Stop } | Should -Throw -ErrorId 'CpfUnwritableValue,*'
        (Get-ErrorRecord { $evil | Export-IrisMergeCpf -Path $target }).Exception.Message | Should -BeLike 'Cannot write line 2, action CreateDatabase, property Directory (from pipeline input 1): the value contains a line break*'
        $target | Should -Not -Exist
    }

    It 'refuses a double quote inside an action value' {
        { [pscustomobject]@{ Action = 'CreateUser'; Name = 'app'; FullName = 'The "App", v2' } | Export-IrisMergeCpf -ErrorAction Stop } |
            Should -Throw -ErrorId 'CpfUnwritableValue,*' -ExpectedMessage '*property FullName*double quote*'
    }

    It 'warns when a layout would put a code database on durable storage, and says why' {
        $layout = @{
            durableDirectory = '/durable/iconfig'
            databases        = @( @{ name = 'APPCODE'; role = 'code'; directory = '/durable/iconfig/mgr/appcode' } )
        }
        Export-IrisMergeCpf -Layout $layout -Stage Runtime -WarningVariable warned -WarningAction SilentlyContinue | Out-Null
        $warned[0].Message | Should -BeLike '-Layout (databases`[0`]): code database APPCODE is on durable storage*the code of every later image would be ignored*'
    }

    It 'reports a layout mistake with the file, the line and a suggestion' {
        $layoutFile = New-TextFile 'typo-layout.yml' "databases:`n  - name: APPDATA`n    role: data`n    directry: /d`n"
        { Export-IrisMergeCpf -LayoutPath $layoutFile -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidLayout,*'
        (Get-ErrorRecord { Export-IrisMergeCpf -LayoutPath $layoutFile }).Exception.Message | Should -Be "$layoutFile line 4 (databases[0].directry): 'directry' is not a layout key. Did you mean 'directory'?"
    }

    It 'needs something to export, and -Stage only with a layout' {
        { Export-IrisMergeCpf -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToExport,*'
        { Export-IrisMergeCpf -Stage Build -ErrorAction Stop } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
    }

    It 'resolves -Path and -LayoutPath against the PowerShell location' {
        Push-Location $Root
        try {
            [Environment]::CurrentDirectory = [IO.Path]::GetTempPath()
            Copy-Item $ExampleLayout (Join-Path $Root 'app-layout.yml')
            Export-IrisMergeCpf -LayoutPath app-layout.yml -Stage Runtime -Path relative.cpf
            Join-Path $Root 'relative.cpf' | Should -Exist
        }
        finally { Pop-Location }
    }
}
