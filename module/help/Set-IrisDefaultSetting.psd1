@{
    Synopsis    = 'Sets interoperability production default settings (Ens.Config.DefaultSettings) in running IRIS containers from parameters or a CSV, in one session per container, or exports them as XML or ObjectScript.'
    Description = @'
Set-IrisDefaultSetting keeps site-specific production settings (an AE title, a host, a port) as system default settings, so a new application image never overwrites them. A default setting is a row of Ens_Config.DefaultSettings with the key ProductionName, ItemName, HostClassName and SettingName; the first three default to * (any), as in IRIS. IRIS looks a setting up exact first, then with * in place of the production, the item and the class. A value in the production definition still wins over a default setting, which wins over the class default, with one exception: the settings that act as system overrides (Configuring Productions, "Settings That Can Act As System Overrides", IRIS 2023.3 and later) - Enabled and PoolSize of a business host, ActorPoolSize and TestingEnabled of a production. As default settings these win over the production, cannot be changed in it, and the productions of the namespace are updated to use them. Earlier versions do not take PoolSize as a default setting.

Every key and value parameter binds by property name, so Import-Csv ./site-settings.csv | Set-IrisDefaultSetting -Container iris works with the column names ProductionName, ItemName, HostClassName, SettingName, SettingValue, Description and Deployable. The short names of the IRIS XML export (production, item, class, setting, value, description) are accepted as column names too. An empty key cell means *. Output objects of Get-IrisDefaultSetting bind the same way, so settings read from one instance or file can be set on another.

Rows are collected while the pipeline runs. At the end every row is checked before anything is sent: key parts of at most 255 characters, without the id separator || and without a | at either end, without control characters or surrounding spaces; SettingName not *; SettingValue and Description of at most 2000 characters; valid Unicode; each key once. Every problem is reported at once, each naming the row ("row 3 (ProductionName=..., SettingName=...)"). A row that sets a system override (Enabled, PoolSize, ActorPoolSize, TestingEnabled) is accepted with a warning that says so. A row that PowerShell could not bind (a missing SettingName, a Deployable that is not true or false) also stops the command: nothing is sent. 

Then each container gets ONE "iris session IRIS -U <Namespace>" for the whole pipeline, with the ObjectScript on standard input (never on a command line). In one transaction it opens each row by id (%OpenId) or creates it (%New), compares, saves what changed and reads the row back; if any row fails, the transaction is rolled back and the container keeps all its previous values. Each output object carries the value now (as read back), the Previous value and the Action: Added, Updated or Unchanged. Every value is written into the script as an ObjectScript string literal (printable ASCII in quotes with quotes doubled, everything else through $char) so no value can inject code. If a namespace has no interoperability, the error says so.

A Description or Deployable that is not given keeps the instance's value (a new row gets an empty description and Deployable false). An empty Description cell clears the description; an empty Deployable cell means false. Rows read by Get-IrisDefaultSetting -Path from an item without a description attribute carry an empty description, because that is what %Import stores for them.

-UpdateProduction then calls Ens.Director.UpdateProduction so a running production applies the new values; its status is reported (a warning when no production runs, an error when the update fails).

-WhatIf runs a read-only script that reads the current values, and writes objects with the Action WouldAdd, WouldUpdate or Unchanged and a "What if" line per container. Nothing is written.

-ExportPath writes the XML that ##class(Ens.Config.DefaultSettings).%Import(file) reads, escaped so that every value comes back exactly (line breaks and tabs as character references). The description attribute is always written, empty for a row without a description, since %Import stores an empty description for an item without one. Characters XML 1.0 cannot carry, such as NUL, are refused with an error naming the row. -AsScript writes the ObjectScript to the pipeline instead, for review or to run by hand.
'@
    Parameters  = @{
        ProductionName   = 'The production the setting applies to, e.g. APP.Production; * (the default) for any production. Alias: production.'
        ItemName         = 'The configuration item (the name of the business service, process or operation in the production); * (the default) for any item. Alias: item.'
        HostClassName    = 'The host class of the item, e.g. EnsLib.HL7.Operation.TCPOperation; * (the default) for any class. Alias: class.'
        SettingName      = 'The name of the setting, e.g. Port or IPAddress, as the production configuration page shows it. Not *. Enabled, PoolSize, ActorPoolSize and TestingEnabled are system overrides: accepted, with a warning. Alias: setting. Required, here or as a property of each row.'
        Row              = 'A row from the pipeline: a CSV line (Import-Csv), a hashtable, a custom object or an IrisDefaultSetting from Get-IrisDefaultSetting. Its properties ProductionName, ItemName, HostClassName, SettingName, SettingValue, Description and Deployable (or the export''s names production, item, class, setting, value, description) give that row''s values; a parameter given on the command line applies to every row. A property the row does not have is not given for that row: a missing Description or Deployable leaves the instance''s value. A row that cannot be used (no SettingName or SettingValue, a Deployable that is not true or false) is an error naming it, and then nothing at all is sent.'
        SettingValue     = 'The value, up to 2000 characters; an empty string is allowed. Alias: value. Required, here or as a property of each row.'
        Description      = 'A description of the setting, up to 2000 characters. When not given, the instance keeps its description; an empty string clears it.'
        Deployable       = 'Marks the setting as deployable (exported with the production for deployment to other instances). From a CSV, true/false, 1/0 or yes/no; when not given, the instance keeps its value (false for a new row).'
        Container        = 'The names of the running IRIS containers to set the settings in. Each container gets one session. The first position. Not needed when the targets come by -InputObject or through the pipeline.'
        InputObject      = 'Cluster objects (from New-IrisEcpCluster: the settings go to the data server, in the cluster''s namespace) or node objects (the DataServer, ApplicationServers or Nodes of a cluster). Objects saved with Export-Clixml and read back with Import-Clixml (or received from a job or a remote session) work the same. Cluster, node and upgrade-result objects (from New-/Get-IrisEcpCluster and Update-IrisApplicationImage, also deserialized) that come through the pipeline are targets too, not rows: then the command line gives the one row.'
        Namespace        = 'The namespace of the production. Default: the cluster''s namespace for a cluster object, else USER. The namespace must be enabled for interoperability.'
        UpdateProduction = 'After the settings are saved, calls Ens.Director.UpdateProduction so a running production applies them, and reports its status.'
        ExportPath       = 'Writes the settings to this XML file instead of a container, in the format of Ens.Config.DefaultSettings %Export and %Import. An existing file is refused unless -Force is given; its folder must exist.'
        Force            = 'With -ExportPath: replaces an existing file (all at once: a failure leaves the previous file as it was).'
        AsScript         = 'Writes the ObjectScript that would be run to the pipeline (one string) instead of running it.'
        DockerHost       = 'The Docker engine endpoint, as the docker CLI''s -H takes it. Default: DOCKER_HOST, the current docker context, or the platform default; node objects bring their own.'
    }
    Examples    = @(
        @{
            Title   = 'A site''s settings from a CSV, previewed, then applied'
            Code    = @'
Import-Csv ./default-settings.csv | Set-IrisDefaultSetting -Container iris-data -Namespace APP -WhatIf
Import-Csv ./default-settings.csv | Set-IrisDefaultSetting -Container iris-data -Namespace APP -UpdateProduction
'@
            Remarks = 'The first command reads the current values and shows which settings would be added or updated, writing nothing. The second sets them all in one session and one transaction, then updates the running production. Each output row shows the value, the previous value and the action.'
        }
        @{
            Title   = 'One setting by parameters'
            Code    = 'Set-IrisDefaultSetting -Container iris-data -Namespace APP -ProductionName APP.Production -ItemName ''To PACS'' -SettingName IPAddress -SettingValue 10.1.2.3 -Description ''PACS at this site'''
            Remarks = 'Sets the IPAddress of the item To PACS in APP.Production, for any host class.'
        }
        @{
            Title   = 'The data server of a cluster'
            Code    = 'Import-Csv ./default-settings.csv | Set-IrisDefaultSetting -InputObject $cluster'
            Remarks = '$cluster comes from New-IrisEcpCluster; the settings go to its data server, in the cluster''s namespace.'
        }
        @{
            Title   = 'Export for %Import, or review the ObjectScript'
            Code    = @'
Import-Csv ./default-settings.csv | Set-IrisDefaultSetting -ExportPath ./site-settings.xml
Import-Csv ./default-settings.csv | Set-IrisDefaultSetting -AsScript | Set-Content ./site-settings.script
'@
            Remarks = 'The XML can be imported with ##class(Ens.Config.DefaultSettings).%Import("site-settings.xml") or read back with Get-IrisDefaultSetting -Path. The script is what the command would run in "iris session".'
        }
        @{
            Title   = 'Set a setting on the nodes an upgrade just moved'
            Code    = 'Update-IrisApplicationImage -Name demo-data -Image containers.intersystems.com/intersystems/iris:2025.1 | Set-IrisDefaultSetting -Namespace APP -SettingName ArchivePath -SettingValue /durable/archive'
            Remarks = 'Each upgrade result coming through the pipeline is a target; the command line gives the one setting.'
        }
    )
    Inputs      = @(
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Rows with the properties ProductionName, ItemName, HostClassName, SettingName, SettingValue, Description and Deployable (or production, item, class, setting, value, description): Import-Csv rows, hashtables turned into objects, or IrisDefaultSetting objects.' }
    )
    Outputs     = @(
        @{ Type = 'IrisOps.Core.Settings.IrisDefaultSetting'; Description = 'One per row and container: the key, the value now, Previous, Action (Added, Updated, Unchanged; WouldAdd, WouldUpdate under -WhatIf; Exported with -ExportPath) and Target.' }
        @{ Type = 'System.String'; Description = 'With -AsScript: the ObjectScript.' }
    )
    Notes       = 'IrisOps runs "iris session" as the container''s user, which needs operating-system authentication for the terminal service. Saving a default setting does not recompile anything; a running production reads it on UpdateProduction or its next start.'
    Links       = @('Get-IrisDefaultSetting', 'Remove-IrisDefaultSetting', 'about_IrisOps')
}
