# Import-IrisCpf as users run it: quirky files in, every file a wildcard or the pipeline gives, real-world
# files, errors naming file and line, warnings for what the reference does not document.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Root = New-TestFolder
    $script:Quirky = New-QuirkyCpf
}

AfterAll {
    Remove-Item $Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Import-IrisCpf' {
    It 'reads a quirky file into a document with its sections, entries and actions' {
        $cpf = Import-IrisCpf $Quirky

        $cpf.PSObject.TypeNames[0] | Should -Be 'IrisOps.Core.Cpf.CpfDocument'
        $cpf.Path | Should -Be $Quirky
        $cpf.Sections.Name | Should -Be @('config', 'config', 'Actions')
        $cpf.Get('config', 'MaxServerConn') | Should -Be '2'
        $cpf.Get('Config', 'globals') | Should -Be '0,0,2048,0,0,0'
        $cpf.Get('Startup', 'WebServer') | Should -BeNullOrEmpty -Because 'the [Startup] header is inside a block comment'
        $cpf.Entries.Count | Should -Be 3
        $cpf.Actions[0].Action | Should -Be 'CreateUser'
        $cpf.Actions[0]['Roles'] | Should -Be '%SQL,%DB_USER'
        $cpf.Actions[0].Line | Should -Be 13
        ($cpf.Resolve().Entries | ForEach-Object { "$($_.Name)=$($_.Value)" }) | Should -Be @('MaxServerConn=2', 'globals=0,0,2048,0,0,0')
    }

    It 'is readable in the console' {
        $cpf = Import-IrisCpf $Quirky
        $text = $cpf | Out-String -Width 200
        $text | Should -Match 'Sections\s*:\s*\[config\] 2 entries, \[config\] 1 entry, \[Actions\] 1 action\(s\)'
        $text | Should -Match '\[config\] MaxServerConn=2'
        $text | Should -Match ([regex]::Escape('CreateUser:Name=app,Roles="%SQL,%DB_USER"'))
        ($cpf.Actions | Out-String -Width 200) | Should -Match 'Line\s+Action\s+Properties[\s\S]*13 CreateUser\s+Name=app, Roles=%SQL,%DB_USER'
        ($cpf.Entries | Out-String -Width 200) | Should -Match 'Section\s+Name\s+Value\s+Line'
        ($cpf.Sections | Out-String -Width 200) | Should -Match '\[Actions\]\s+12\s+0\s+1'
    }

    It 'reads every file a wildcard matches, and files piped from Get-ChildItem' {
        $folder = Join-Path $Root 'many'
        New-Item -ItemType Directory $folder | Out-Null
        [IO.File]::WriteAllText((Join-Path $folder 'a.cpf'), "[config]`nMaxServerConn=1`n")
        [IO.File]::WriteAllText((Join-Path $folder 'b.cpf'), "[config]`nMaxServerConn=2`n")

        (Import-IrisCpf (Join-Path $folder '*.cpf')).Path | Sort-Object | Should -Be @((Join-Path $folder 'a.cpf'), (Join-Path $folder 'b.cpf'))
        (Get-ChildItem $folder -Filter *.cpf | Import-IrisCpf | ForEach-Object { $_.Get('config', 'MaxServerConn') }) | Sort-Object | Should -Be @('1', '2')
    }

    It 'names the file and the line of a misspelled action, and the right name' {
        $typo = New-TextFile 'typo.cpf' "[Actions]`nCreateResource:Name=%DB_APP`nCreateDatabse:Name=APPDATA,Directory=/usr/irissys/mgr/appdata`n"

        { Import-IrisCpf $typo -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownCpfAction,IrisOps.Cmdlets.ImportIrisCpfCommand'
        Import-IrisCpf $typo -ErrorAction SilentlyContinue -ErrorVariable problem | Should -BeNullOrEmpty
        $problem[0].Exception.Message | Should -BeLike "$typo line 3: unknown action 'CreateDatabse'. Did you mean CreateDatabase?*"
        $problem[0].CategoryInfo.Category | Should -Be 'InvalidData'
        (Import-IrisCpf $typo -AllowUnknownAction).Actions[1].Action | Should -Be 'CreateDatabse'
    }

    It 'reports a malformed line with the file and line, as a categorized error without a stack trace' {
        $bad = New-TextFile 'bad.cpf' "[config]`nMaxServerConn 3`n"
        $error.Clear()
        Import-IrisCpf $bad -ErrorAction SilentlyContinue
        $record = $error[0]
        $record.FullyQualifiedErrorId | Should -BeLike 'CpfSyntaxError,*'
        $record.CategoryInfo.Category | Should -Be 'InvalidData'
        $record.Exception.Message | Should -Be "$bad line 2: 'MaxServerConn 3' is not a Key=Value entry, a [Section] header or a comment. Comment lines start with # or ;."
        $record.Exception.Message | Should -Not -Match ' at IrisOps\.'
    }

    It 'goes on with the next file after a bad one' {
        $bad = New-TextFile 'bad2.cpf' "A=1`n"
        $documents = Import-IrisCpf $bad, $Quirky -ErrorAction SilentlyContinue -ErrorVariable problem
        @($documents).Count | Should -Be 1
        @($problem).Count | Should -Be 1
        $problem[0].Exception.Message | Should -BeLike "$bad line 1: *comes before any*"
    }

    It 'warns that Resource= on CreateDatabase is documented as ResourceName' {
        $seed = New-TextFile 'install.cpf' "[Actions]`nCreateDatabase:Name=APPDATA,Directory=/usr/irissys/mgr/appdata,Resource=%DB_APP`n"
        Import-IrisCpf $seed -WarningVariable warned -WarningAction SilentlyContinue | Should -Not -BeNullOrEmpty
        $warned[0].Message | Should -BeLike "$seed line 2: CreateDatabase sets Resource=%DB_APP; the documented property is ResourceName*"
    }

    It 'reports a path that matches nothing' {
        { Import-IrisCpf (Join-Path $Root 'missing*.cpf') -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
        { Import-IrisCpf -LiteralPath (Join-Path $Root 'missing.cpf') -ErrorAction Stop } | Should -Throw -ErrorId 'CpfFileNotFound,*'
    }
}

Describe 'Real-world files' {
    It 'reads unquoted lists in actions as IRIS does, warns once per file, and exports them quoted' {
        $file = New-TextFile 'template.cpf' ("[Actions]`nCreateDatabase:Name=APPDATA,Directory=/d,Resource=%DB_APP`n" +
            "CreateUser:Name=app,Roles=%All,%DB_APP,PasswordHash=hash,salt,10000,SHA512`nModifyService:Name=%Service_CallIn,Enabled=1  ; enable callin`n")
        $text = Import-IrisCpf $file -WarningVariable warned -WarningAction SilentlyContinue | Export-IrisMergeCpf -WarningVariable exportWarned -WarningAction SilentlyContinue
        @($warned).Count | Should -Be 4
        $warned.Message | Should -Contain "$file line 2: CreateDatabase sets Resource=%DB_APP; the documented property is ResourceName (public templates write Resource=). It is kept as written; write ResourceName=%DB_APP to follow the documentation."
        @($warned.Message -like "$file line 3: CreateUser: the value of Roles is not in double quotes*").Count | Should -Be 1
        @($warned.Message -like "$file line 3: CreateUser: the value of PasswordHash is not in double quotes*").Count | Should -Be 1
        @($warned.Message -like "$file line 4: ModifyService, property Enabled: *looks like a comment*").Count | Should -Be 1
        $exportWarned | Should -BeNullOrEmpty -Because 'the import already warned about these lines'
        $text | Should -Match '(?m)^CreateUser:Name=app,Roles="%All,%DB_APP",PasswordHash="hash,salt,10000,SHA512"$'
        $text | Should -Match '(?m)^ModifyService:Name=%Service_CallIn,Enabled=1  ; enable callin$'
    }

    It 'imports a whole instance CPF, with a warning for each key the reference does not list' {
        $file = New-TextFile 'iris.cpf' "[ConfigFile]`nVersion=2025.1`n[Startup]`nDefaultPort=1972`nArbiterURL=`n[Databases]`nUSER=/usr/irissys/mgr/user/`n[Conversions]`nLastConvertTime=2025-01-01 00:00:00`n"
        $cpf = Import-IrisCpf $file -WarningVariable warned -WarningAction SilentlyContinue
        $cpf.Get('Databases', 'USER') | Should -Be '/usr/irissys/mgr/user/'
        @($warned).Count | Should -Be 1
        $warned[0].Message | Should -BeLike "$file line 5: ``[Startup``] ArbiterURL is not a parameter of ``[Startup``]*"
    }

    It 'accepts the documented routine form of Execute and the OAuth2 discovery actions' {
        $file = New-TextFile 'execute.cpf' ("[Actions]`nExecute:Namespace=""%SYS"",RoutineName=""`$`$Tag2^ZTEST"",Arg1=""arg1""`n" +
            "DiscoverOAuth2Server:IssuerEndpoint=""https://idp/oauth2"",SSLConfiguration=client`nRegisterOAuth2Client:ApplicationName=app`n")
        $cpf = Import-IrisCpf $file
        $cpf.Actions[0]['RoutineName'] | Should -BeExactly '$$Tag2^ZTEST'
        $cpf.Actions.Count | Should -Be 3
    }

    It 'refuses an action without a property the reference requires, naming file and line' {
        $file = New-TextFile 'delete.cpf' "[Actions]`nDeleteDatabase:Name=OLD`n"
        Import-IrisCpf $file -ErrorVariable problem -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problem[0].Exception.Message | Should -BeLike "$file line 2: DeleteDatabase is missing Directory*"
    }
}
