@{
    Synopsis    = 'Reads CPF and CPF merge files into document objects you can inspect, edit and write back with Export-IrisMergeCpf.'
    Description = @'
Import-IrisCpf reads an InterSystems IRIS configuration parameter file (iris.cpf) or a configuration merge file and returns one IrisOps.Core.Cpf.CpfDocument per file. The document keeps everything in file order: the comments before the first section, every [Section] block (a merge file may repeat sections), its Key=Value entries, its [Actions] lines with their properties in order, its comments and blank lines.

It reads files the way they exist in the wild: comments starting with #, ; or //, /* */ block comments, commented-out section headers (#[config]), blank lines anywhere, spaces around lines and after headers, CRLF or LF line endings, no final newline, [config] as well as [Config], repeated sections and keys, unquoted comma lists in plain sections (globals=0,0,2048,0,0,0) and double-quoted action values holding commas or equals signs (Roles="%SQL,%DB_USER"). Section names are stored as IRIS spells them ([Config] becomes [config]); a variant IRIS may ignore, such as a lowercase [actions], is read as [Actions] with a warning.

Many public merge files write lists in actions without quotes: PasswordHash=hash,salt,10000,SHA512, Roles=%All,%DB_X or Resources=%DB_A,%DB_B. They are read as IRIS reads them: a comma fragment without = continues the value before it. Each such value gets a warning naming the file, the line and the property, and Export-IrisMergeCpf writes it in double quotes, the form Automating Configuration with Configuration Merge documents; the meaning does not change. Text after a value that looks like a comment (Enabled=1  ; enable callin) is kept as part of the value, as written, with a warning: the manuals do not say how IRIS reads it, so put comments on lines of their own. A double quote inside an action value is refused, because no way to escape it is documented.

A whole instance CPF (iris.cpf, with [ConfigFile], [Startup], [Databases], [Namespaces], [Map.X] ...) imports too. A section, or a key of a section with fixed parameters ([config], [Startup], [Journal], [SQL] ...), that the Configuration Parameter File Reference does not list is kept and reported as a warning naming the line: it may be misspelled, or belong to another IRIS version. Sections that hold names you choose ([Databases], [Namespaces], [Map.X], [Devices] ...) are only checked by section name.

A line that cannot be read is an error that names the file and the line, with what to change. So is an [Actions] line whose action name IRIS does not have (for example CreateDatabse, with a suggestion of the right name) or that lacks a property the Configuration Parameter File Reference requires (CreateDatabase, DeleteDatabase and ModifyDatabase need Name and Directory, CreateNamespace Name and Globals, CreateMapGlobal and DeleteMapGlobal Namespace, Name and Database, CreateServer Port and BindAddress, Execute Namespace and either ClassName with MethodName or RoutineName="$$Tag^RTN"...). A property the reference's synopsis lists without calling it required (PublicPermission of CreateResource, PasswordHash of CreateUser) may be left out; -Verbose mentions it. Use -AllowUnknownAction for actions that only newer IRIS versions have. A CreateDatabase that sets Resource= (as public templates do) is read with a warning that the documented property is ResourceName. Each warning is written once per file: piping the document on to Export-IrisMergeCpf does not repeat it. A file with errors returns no document; the other files are still read.

The document's properties: Path; Sections (each with Name, Line, Items, Entries and Actions); Entries (every Key=Value line, with Section, Name, Value and Line); Actions (every [Actions] line, with Action, Properties and Line); Preamble (comments before the first section). Its methods: Get(section, key) returns the value IRIS would use (the last occurrence wins); Set(section, key, value) changes that occurrence or adds the key; AddAction(name, [ordered]@{ ... }) adds an action; Remove(item) removes an entry, action or comment; Resolve() returns the resolved view (each key once, with its winning value).
'@
    Parameters  = @{
        Path               = 'The files to read. Wildcards are allowed; a path that matches nothing is an error. Relative paths are resolved against the current PowerShell location. Takes strings and FileInfo objects from the pipeline.'
        LiteralPath        = 'The files to read, taken exactly as written: no wildcard characters are interpreted. Get-ChildItem output binds here by its PSPath property.'
        AllowUnknownAction = 'Accepts [Actions] lines whose action name is not in the IrisOps catalog of IRIS merge actions, for actions that newer IRIS versions add. Without it such a line is an error, because IRIS fails or skips an action it does not know.'
    }
    Examples    = @(
        @{
            Title   = 'Look at a merge file'
            Code    = @'
$cpf = Import-IrisCpf ./merge.cpf
$cpf
$cpf.Actions | Format-Table
'@
            Remarks = 'Shows the file, its sections, entries and actions, then the actions as a table with the line each came from.'
        }
        @{
            Title   = 'Change a setting and write the file back'
            Code    = @'
$cpf = Import-IrisCpf ./merge.cpf
$cpf.Set('config', 'MaxServerConn', '3')
($cpf.Actions | Where-Object Action -eq 'CreateDatabase' | Where-Object { $_['Name'] -eq 'APPDATA' })['Directory'] = '/durable/appdata'
$cpf | Export-IrisMergeCpf -Path ./merge.cpf
'@
            Remarks = 'Set changes the occurrence IRIS would use, or adds the key to [config]. The indexer of an action reads or changes one property. Export-IrisMergeCpf writes the file back in canonical form, comments included.'
        }
        @{
            Title   = 'What an instance is configured with'
            Code    = 'Import-IrisCpf -LiteralPath /durable/iconfig/iris.cpf | ForEach-Object { $_.Get(''config'', ''globals'') }'
            Remarks = 'Prints the globals setting of the instance''s iris.cpf, as IRIS reads it (for a repeated key the last occurrence wins).'
        }
        @{
            Title   = 'Check every merge file of a repository'
            Code    = 'Get-ChildItem -Recurse -Filter *.cpf | Import-IrisCpf -ErrorVariable problems | Out-Null; $problems'
            Remarks = 'Lists every file that has a syntax error, a misspelled action or a missing required property, with the file and line.'
        }
    )
    Inputs      = @(
        @{ Type = 'System.String'; Description = 'Paths to read. FileInfo objects from Get-ChildItem bind by PSPath to -LiteralPath.' }
    )
    Outputs     = @(
        @{ Type = 'IrisOps.Core.Cpf.CpfDocument'; Description = 'One document per file: Path, Sections, Entries, Actions and Preamble, with the methods Get, Set, AddAction, Remove and Resolve. Export-IrisMergeCpf takes it from the pipeline.' }
    )
    Notes       = 'The parser and the writer are one pair: whatever Import-IrisCpf reads, Export-IrisMergeCpf writes back as the same document (parse, write and parse again gives the same content). A value that contains a double quote inside an action is refused rather than guessed, because IRIS documents no way to escape it.'
    Links       = @('Export-IrisMergeCpf', 'about_IrisOps')
}
