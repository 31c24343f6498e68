@{
    Synopsis    = 'Adds configuration items to interoperability productions in running IRIS containers, or changes the properties and settings given, from parameters or a CSV, in one session per container.'
    Description = @'
Set-IrisProductionItem adds a business service, process or operation (a configuration item, Ens.Config.Item) to a production after deployment, or changes the properties of an existing one, without a terminal session. An item is identified by its production (the production class name) and its configuration name (Name). If the production has no item of that name it is added with the given ClassName; if it has one, only the properties and settings given are changed, never others, and the item must already have the given ClassName (the portal shows Class Name read-only; to change the class, remove the item and add it again).

The properties are those of Ens.Config.Item shown in a production definition (Developing Productions, "A Look at a Production Definition") and described in Configuring Productions ("Settings for All Business Hosts"): PoolSize, Enabled, Foreground, Category, Comment, LogTraceEvents and Schedule. Settings of the host class or of its adapter go in -Setting as 'Host.<name>' or 'Adapter.<name>' = value, stored as Ens.Config.Setting entries with Target Host or Adapter (the <Setting Target="Adapter" Name="Port"> elements of a production definition). A setting name is the property name, without spaces (the setting Log Trace Events is the property LogTraceEvents).

Every parameter binds by property name, so Import-Csv ./items.csv | Set-IrisProductionItem -Container iris -Namespace APP works with the columns ProductionName, Name, ClassName, PoolSize, Enabled, Foreground, Category, Comment, LogTraceEvents and Schedule; columns named Host.<name> or Adapter.<name> are settings. An empty cell leaves that property or setting as it is, so one file can describe different items. A parameter given on the command line applies to every row (an empty string given there clears Category, Comment or Schedule). Output objects of Get-IrisProductionItem bind the same way, so items read from one instance can be set on another.

Rows are collected while the pipeline runs and checked before anything is sent: ProductionName and ClassName full class names (Defining and Using Classes, "Class Names"); Name a configuration name (Configuring Productions, "Configuration Names": printable, none of | ; , : [ < > \ / & ", not starting or ending with ! $ or ., not starting with _, not *); PoolSize 0 or more; Schedule empty or a comma-separated list of START|STOP:YYYY-MM-DDThh:mm:ss (Configuring Productions, "Schedule Specifications"); each item once. Every problem is reported at once, each naming the row ("row 3 (ProductionName=..., Name=...)").

Then each container gets ONE "iris session IRIS -U <Namespace>" for the whole pipeline, with the ObjectScript on standard input. In one transaction it opens each production (Ens.Config.Production), finds the item by name in its Items, creates it (Ens.Config.Item %New, Items.Insert) or sets the given properties, saves the production and reads the item back. A production that does not exist, a class that is not compiled in the namespace, an existing item with another class, or two items of the same name is an error naming the row, and the transaction is rolled back: the container keeps everything as it was. Every value is written into the script as an ObjectScript string literal, so no value can inject code. IrisOps changes the stored configuration of the production (the Ens.Config objects), not the production class.

Each output object is the item as read back, with Previous (the given properties and settings before; a name is missing where there was no value) and New (after), and the Action: Added, Updated or Unchanged.

A production's configuration is stored in the Ens.Config globals of its namespace. After reading the items, IrisOps reads the instance's iris.cpf ([Namespaces] and [Map.<namespace>]) and warns when the database that holds them is not on a volume or bind mount of the container: the change would be lost with the next image. The fix is the layout Export-IrisMergeCpf renders: map Ens.Config.* of the namespace to a configuration database that durable %SYS keeps (CreateMapGlobal:Name=Ens.Config.*,Namespace=APP,Database=APPCONFIG).

-UpdateProduction then calls Ens.Director.UpdateProduction so a running production applies the change, and reports its status: a warning when no production runs or another production is running, an error when the update fails.

-WhatIf runs a read-only script that reads the current items and writes objects with the Action WouldAdd, WouldUpdate or Unchanged and a "What if" line per container; it also reports missing productions and classes. Nothing is written. -AsScript writes the ObjectScript to the pipeline instead, for review or to run by hand.
'@
    Parameters  = @{
        ProductionName   = 'The production (its class name), e.g. APP.Production. Alias: production. Required, here or as a property of each row.'
        Name             = 'The configuration name of the item, e.g. ''File In''. Aliases: ItemName, item. Required, here or as a property of each row.'
        ClassName        = 'The business host class of the item, e.g. EnsLib.File.PassthroughService; it must be compiled in the namespace. An existing item must already have this class. Required, here or as a property of each row.'
        PoolSize         = 'How many jobs run the item (0 or more; Configuring Productions, "Pool Size"). From a CSV, a whole number; an empty cell leaves it.'
        Enabled          = 'Enables the item (-Enabled) or disables it (-Enabled:$false). From a CSV, true/false, 1/0 or yes/no; an empty cell leaves it.'
        Foreground       = 'Runs the item''s jobs in the foreground, for debugging only (Configuring Productions, "Foreground"). From a CSV as -Enabled.'
        Category         = 'A label (or a comma-separated list) that groups items in the production diagram.'
        Comment          = 'A short description of the item.'
        LogTraceEvents   = 'Logs the item''s trace messages to the Event Log. From a CSV as -Enabled.'
        Schedule         = 'When the item runs: a comma-separated list of START|STOP:YYYY-MM-DDThh:mm:ss (for example START:*-*-*T08:00:00,STOP:*-*-*T17:00:00); an empty string for none.'
        Setting          = 'Settings of the item: a hashtable of ''Host.<name>'' (the business host) or ''Adapter.<name>'' (its adapter) = value, for example @{ ''Adapter.FilePath'' = ''/data/in''; ''Host.TargetConfigNames'' = ''Router'' }. Only the settings given change. In a CSV, use columns named Host.<name> and Adapter.<name>.'
        Row              = 'A row from the pipeline: a CSV line (Import-Csv), a hashtable, a custom object or an IrisProductionItem from Get-IrisProductionItem. Its properties named like the parameters give that row''s values; a parameter given on the command line applies to every row. A row that cannot be used (no ProductionName, Name or ClassName, a flag that is not true or false, a PoolSize that is not a number, a setting without Host. or Adapter.) is an error naming it, and then nothing at all is sent.'
        Container        = 'The names of the running IRIS containers to change. Each container gets one session. The first position. Not needed when the targets come by -InputObject or through the pipeline.'
        InputObject      = 'Cluster objects (from New-IrisEcpCluster: the items go to the data server, in the cluster''s namespace) or node objects. Objects saved with Export-Clixml and read back with Import-Clixml (or received from a job or a remote session) work the same. Cluster, node and upgrade-result objects (from New-/Get-IrisEcpCluster and Update-IrisApplicationImage, also deserialized) that come through the pipeline are targets too, not rows: then the command line gives the one row.'
        Namespace        = 'The namespace of the production. Default: the cluster''s namespace for a cluster object, else USER. The namespace must be enabled for interoperability.'
        UpdateProduction = 'After the items are saved, calls Ens.Director.UpdateProduction so a running production applies them, and reports its status.'
        AsScript         = 'Writes the ObjectScript that would be run to the pipeline (one string) instead of running it.'
        DockerHost       = 'The Docker engine endpoint, as the docker CLI''s -H takes it. Default: DOCKER_HOST, the current docker context, or the platform default; node objects bring their own.'
    }
    Examples    = @(
        @{
            Title   = 'Items from a CSV, previewed, then applied to the running production'
            Code    = @'
Import-Csv ./production-items.csv | Set-IrisProductionItem -Container iris-data -Namespace APP -WhatIf
Import-Csv ./production-items.csv | Set-IrisProductionItem -Container iris-data -Namespace APP -UpdateProduction
'@
            Remarks = 'The first command reads the current items and shows which would be added or updated, writing nothing. The second changes them all in one session and one transaction, then updates the running production.'
        }
        @{
            Title   = 'Add one operation with adapter settings'
            Code    = 'Set-IrisProductionItem -Container iris-data -Namespace APP -ProductionName APP.Production -Name ''To PACS'' -ClassName EnsLib.DICOM.Operation.TCP -PoolSize 1 -Enabled -Setting @{ ''Adapter.IPAddress'' = ''10.1.2.3''; ''Adapter.IPPort'' = ''104'' }'
            Remarks = 'Adds the item To PACS if APP.Production does not have it, or sets the pool size, the Enabled flag and the two adapter settings of the existing one.'
        }
        @{
            Title   = 'Disable an item'
            Code    = 'Set-IrisProductionItem -Container iris-data -Namespace APP -ProductionName APP.Production -Name ''File In'' -ClassName EnsLib.File.PassthroughService -Enabled:$false -UpdateProduction'
            Remarks = 'Only Enabled changes; the running production stops the item when it is updated.'
        }
        @{
            Title   = 'Review the ObjectScript'
            Code    = 'Import-Csv ./production-items.csv | Set-IrisProductionItem -AsScript | Set-Content ./items.script'
            Remarks = 'The script is what the command would run in "iris session".'
        }
    )
    Inputs      = @(
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Rows with the properties ProductionName, Name, ClassName, PoolSize, Enabled, Foreground, Category, Comment, LogTraceEvents, Schedule, Setting and Host.<name>/Adapter.<name>: Import-Csv rows, hashtables, or IrisProductionItem objects.' }
    )
    Outputs     = @(
        @{ Type = 'IrisOps.Core.Productions.IrisProductionItem'; Description = 'One per row and container: the item as read back, Previous, New, Action (Added, Updated, Unchanged; WouldAdd, WouldUpdate under -WhatIf) and Target.' }
        @{ Type = 'System.String'; Description = 'With -AsScript: the ObjectScript.' }
    )
    Notes       = 'IrisOps runs "iris session" as the container''s user, which needs operating-system authentication for the terminal service. IrisOps does not edit the production class (its XData ProductionDefinition); it changes the stored configuration of the production (the Ens.Config.Production and Ens.Config.Item objects). Settings that should survive new images without touching the production are better kept as default settings (Set-IrisDefaultSetting).'
    Links       = @('Get-IrisProductionItem', 'Remove-IrisProductionItem', 'Set-IrisDefaultSetting', 'about_IrisOps')
}
