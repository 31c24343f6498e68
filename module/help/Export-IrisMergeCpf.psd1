@{
    Synopsis    = 'Writes an IRIS configuration merge file from documents, action objects, section entries or an application layout, checked before anything is written.'
    Description = @'
Export-IrisMergeCpf writes one CPF merge file, for "iris merge" or ISC_CPF_MERGE_FILE. It takes, in any mix:

Documents from Import-IrisCpf, to edit a file and write it back; their sections are appended, comments included.

Action objects: [pscustomobject]@{ Action = 'CreateDatabase'; Name = 'APPDATA'; Directory = '/usr/irissys/mgr/appdata' }. Every property other than Action becomes an action property, in order. A $null property is left out, $true and $false are written 1 and 0, and an array becomes a comma list (Roles = '%SQL', '%DB_USER' is written Roles="%SQL,%DB_USER").

Section entries: [pscustomobject]@{ Section = 'config'; Name = 'MaxServerConn'; Value = 3 }. An entry changes the key where it is already set, or adds it to the section.

A layout, with -LayoutPath (YAML or JSON) or -Layout (a hashtable), rendered for the stage given with -Stage. The layout comes first in the file; piped input follows in pipeline order.

The text is canonical: section names as IRIS spells them ([Actions], [config], [Startup], [Map.APP]), one item per line, LF line endings (CRLF with -LineEnding CrLf), UTF-8 without a byte order mark, and action values in double quotes when they contain a comma or an equals sign, so an unquoted list read by Import-IrisCpf (Roles=%All,%DB_X) is written as Roles="%All,%DB_X", with the same meaning. Before anything is written, every action is checked: an action name IRIS does not have (CreateDatabse) is an error with a suggestion, unless -AllowUnknownAction; a property the Configuration Parameter File Reference requires but the action lacks is an error; Resource= on CreateDatabase is kept with a warning that the documented property is ResourceName. A warning already written by Import-IrisCpf for a line of a file is not written again. Values that could change the meaning of the file are refused with an error naming the line, the action and the property: a line break, a NUL or another control character (it would inject a line), and a double quote inside an action value (IRIS documents no way to escape one).

With -Path the file is written; an existing file is refused unless -Force is given, the rule of every IrisOps cmdlet that writes files (-NoClobber, the former way to ask for that, is still accepted). Without -Path the text goes to the pipeline as one string. Input is collected while the pipeline runs and the file is rendered and written at the end: if any input object, the layout or any check fails, nothing is written. -WhatIf tells what would be written and writes nothing.

THE LAYOUT. A layout describes an application's databases, namespaces and mappings once. Keys are case-insensitive and an unknown key is an error with a suggestion. The same keys work in YAML, JSON and hashtables; about_IrisOps shows a complete YAML example.

durableDirectory (optional): the container's ISC_DATA_DIRECTORY volume, e.g. /durable/iconfig; enables the placement checks below.

resources: a list of { name, publicPermission, description }, created with CreateResource in the build stage. A resource that a database names without it being listed is created with IRIS's defaults.

databases: a list of { name, role, directory, resource, mountAtStartup, stage, properties }. role is code, data, config or other. resource is written as ResourceName. mountAtStartup defaults to true (MountAtStartup=1). stage (build or runtime) overrides the stage the role implies. properties is a map of any other CreateDatabase properties (Size, MaxSize, ReadOnly...).

namespaces: a list of { name, globals, routines, tempGlobals, interoperability, configDatabase }. globals (required) and routines are the default databases for globals and routines. interoperability true or false is written Interop=1 or 0; true also maps the production's site configuration to configDatabase, by default the layout's only database with role config.

mappings: { globals, routines, packages }, each a list of { namespace, name, database }, written as CreateMapGlobal, CreateMapRoutine and CreateMapPackage.

startup, config: maps of [Startup] and [config] values. sections: a map of other plain sections to their values, e.g. Journal: { FreezeOnError: 1 }.

actions: a list of { action, stage, properties } for any other action, written as it is, in the build or the runtime stage (the default).

THE STAGES. -Stage renders a layout the way that keeps image upgrades working with durable %SYS. Durable %SYS copies every database the image's iris.cpf knows to the durable volume on the first start and uses that copy from then on. A code database created during the image build is copied too, and every later image's code is then ignored.

Build: the resources and the data, config and other databases. Run it with "iris merge IRIS build.cpf" in the Dockerfile: durable %SYS copies these databases to durable storage on the first start, so their content survives new images.

Runtime: the [Startup], [config] and other section values, the code databases at their path inside the image (created at run time, so never copied: each new image's code is used), the namespaces and the mappings. A namespace with interoperability on gets the production's site configuration (Ens.Config.*, EnsLib.DICO*, Ens.LookupTable, Ens.Util.LookupTableS) mapped to the config database, and Ens.AutoStart mapped to its code database. Give this file to the container with ISC_CPF_MERGE_FILE.

All (the default): both in one file, build part first, for instances without durable %SYS.

A layout that would put a code database on durable storage gets a warning that says why: a code database with stage build, with a directory under durableDirectory, or with a relative directory (IRIS resolves it under the mgr folder, which durable %SYS keeps on the volume). So does a data or config database created at run time outside durableDirectory (its content would be lost with the container) or created during the build under durableDirectory (the volume hides it).
'@
    Parameters  = @{
        InputObject        = 'What to write: documents from Import-IrisCpf, sections, entries or actions of such documents, action objects (an Action property plus the action''s properties) and section entries (Section, Name and Value properties). Usually given through the pipeline; an array given to -InputObject is taken item by item.'
        LayoutPath         = 'A YAML (.yml, .yaml) or JSON (.json) layout file to render; see THE LAYOUT in the description for its keys. Relative paths are resolved against the current PowerShell location.'
        Layout             = 'A layout as a hashtable (use [ordered] to keep the order of settings), with the same keys as a layout file: durableDirectory, resources, databases, namespaces, mappings, startup, config, sections and actions.'
        Stage              = 'Which part of the layout to render: Build (resources, data and config databases: for "iris merge" in the Dockerfile), Runtime (settings, code databases, namespaces and mappings: for ISC_CPF_MERGE_FILE) or All (both, the default). Only with -LayoutPath or -Layout.'
        Path               = 'The merge file to write. An existing file is refused unless -Force is given; its folder must exist. Without -Path the text is written to the pipeline as one string.'
        NoClobber          = 'Refuses to replace an existing file, which is the default; kept so that scripts written with it keep working. Cannot be combined with -Force.'
        Force              = 'Replaces an existing file at -Path (all at once: a failure leaves the previous file as it was).'
        LineEnding         = 'Lf (the default, what IRIS writes) or CrLf. Both are read by IRIS; CrLf suits files edited with Windows tools.'
        AllowUnknownAction = 'Writes actions whose name is not in the IrisOps catalog of IRIS merge actions, for actions that newer IRIS versions add. Without it such an action is an error, because IRIS fails or skips an action it does not know.'
    }
    Examples    = @(
        @{
            Title   = 'The two merge files of an application image'
            Code    = @'
Export-IrisMergeCpf -LayoutPath ./app-layout.yml -Stage Build -Path ./build.cpf
Export-IrisMergeCpf -LayoutPath ./app-layout.yml -Stage Runtime -Path ./runtime.cpf
'@
            Remarks = 'build.cpf creates the resource and the data and config databases during docker build (iris merge); runtime.cpf, given to the container with ISC_CPF_MERGE_FILE, creates the code database at its path in the image, the namespace and the mappings. See examples/app-layout.yml and examples/Dockerfile in the IrisOps repository.'
        }
        @{
            Title   = 'Actions and settings from objects'
            Code    = @'
@(
    [pscustomobject]@{ Action = 'CreateResource'; Name = '%DB_APP' }
    [pscustomobject]@{ Action = 'CreateDatabase'; Name = 'APPDATA'; Directory = '/usr/irissys/mgr/appdata'; ResourceName = '%DB_APP' }
    [pscustomobject]@{ Action = 'CreateUser'; Name = 'app'; Roles = '%DB_APP', '%SQL' }
    [pscustomobject]@{ Section = 'config'; Name = 'MaxServerConn'; Value = 3 }
) | Export-IrisMergeCpf
'@
            Remarks = 'Writes the merge file text to the pipeline: [Actions] with the three lines (Roles="%DB_APP,%SQL" quoted because of the comma) and [config] with MaxServerConn=3.'
        }
        @{
            Title   = 'Edit a merge file and write it back'
            Code    = @'
$cpf = Import-IrisCpf ./merge.cpf
$cpf.Set('Startup', 'WebServer', '1')
$cpf | Export-IrisMergeCpf -Path ./merge.cpf -LineEnding CrLf
'@
            Remarks = 'Replaces merge.cpf with the edited document, comments kept, in canonical form with CRLF line endings.'
        }
        @{
            Title   = 'A layout from a hashtable, without overwriting'
            Code    = @'
$layout = @{
    databases  = @(
        @{ name = 'APPCODE'; role = 'code'; directory = '/home/irisowner/mgr/appcode' }
        @{ name = 'APPDATA'; role = 'data'; directory = '/usr/irissys/mgr/appdata' }
    )
    namespaces = @( @{ name = 'APP'; globals = 'APPDATA'; routines = 'APPCODE' } )
}
Export-IrisMergeCpf -Layout $layout -Stage Runtime -Path ./runtime.cpf -WhatIf
'@
            Remarks = '-WhatIf tells which file would be written with how many actions, and writes nothing; without -WhatIf, the command fails if runtime.cpf exists (add -Force to replace it).'
        }
    )
    Inputs      = @(
        @{ Type = 'IrisOps.Core.Cpf.CpfDocument'; Description = 'Documents from Import-IrisCpf; also their sections (CpfSection), entries (CpfEntry) and actions (CpfAction).' }
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Action objects (Action plus properties) and section entries (Section, Name, Value), as [pscustomobject] or hashtables.' }
    )
    Outputs     = @(
        @{ Type = 'System.String'; Description = 'Without -Path: the merge file text, one string. With -Path: nothing.' }
    )
    Notes       = 'IRIS runs [Actions] in its own fixed order, not in file order, and skips a Create action for an object that already exists (change an existing object with a Modify action). "iris merge" has been reported to print success for a path that does not exist: verify the result after merging, as examples/Dockerfile does.'
    Links       = @('Import-IrisCpf', 'about_IrisOps')
}
