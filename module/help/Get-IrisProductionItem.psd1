@{
    Synopsis    = 'Gets the configuration items of interoperability productions from running IRIS containers, with their settings, filtered by production, item and class name with wildcards.'
    Description = @'
Get-IrisProductionItem lists the configuration items (Ens.Config.Item) of every production stored in a namespace of each container, through one read-only "iris session" per container: the production, the item's Name, ClassName, PoolSize, Enabled, Foreground, Category, Comment, LogTraceEvents and Schedule, and its settings in Setting ('Host.<name>' or 'Adapter.<name>' = value, the Ens.Config.Setting entries of the item). It reads the stored configuration of each production (Ens.Config.Production), which is what a running production uses.

-ProductionName, -Name and -ClassName filter the items with PowerShell wildcards, case-insensitively.

The output objects bind by property name to Set-IrisProductionItem and Remove-IrisProductionItem, so items read from one instance can be set on another or removed. Target is the container the item came from.
'@
    Parameters  = @{
        Container      = 'The names of the running IRIS containers to read.'
        InputObject    = 'Cluster objects (their data server is read, in the cluster''s namespace) or node objects, also from the pipeline. Objects saved with Export-Clixml and read back with Import-Clixml (or received from a job or a remote session) work the same.'
        Namespace      = 'The namespace of the productions. Default: the cluster''s namespace for a cluster object, else USER.'
        ProductionName = 'Only items of productions whose name matches this wildcard pattern. Alias: production.'
        Name           = 'Only items whose configuration name matches this wildcard pattern. Aliases: ItemName, item.'
        ClassName      = 'Only items whose host class matches this wildcard pattern.'
        DockerHost     = 'The Docker engine endpoint, as the docker CLI''s -H takes it. Default: DOCKER_HOST, the current docker context, or the platform default.'
    }
    Examples    = @(
        @{
            Title   = 'The items of one production'
            Code    = 'Get-IrisProductionItem -Container iris-data -Namespace APP -ProductionName APP.Production | Format-Table'
            Remarks = 'One row per item, with its class, Enabled and PoolSize.'
        }
        @{
            Title   = 'The adapter settings of the DICOM items'
            Code    = 'Get-IrisProductionItem iris-data -Namespace APP -ClassName EnsLib.DICOM.* | Select-Object Name, @{ n = ''Settings''; e = { $_.Setting } }'
            Remarks = 'Setting holds every setting of the item, keyed Host.<name> or Adapter.<name>.'
        }
        @{
            Title   = 'Copy items from one instance to another'
            Code    = 'Get-IrisProductionItem -Container old-iris -Namespace APP -Name ''To *'' | Set-IrisProductionItem -Container new-iris -Namespace APP -WhatIf'
            Remarks = 'The objects bind by property name; -WhatIf shows what would change on the new instance.'
        }
    )
    Inputs      = @(
        @{ Type = 'IrisOps.Core.Ecp.IrisEcpCluster, IrisOps.Core.Ecp.IrisEcpNode'; Description = 'Clusters or nodes to read (also deserialized).' }
    )
    Outputs     = @(
        @{ Type = 'IrisOps.Core.Productions.IrisProductionItem'; Description = 'One per item: ProductionName, Name, ClassName, the item properties, Setting, Target and Namespace.' }
    )
    Notes       = 'IrisOps runs "iris session" as the container''s user, which needs operating-system authentication for the terminal service.'
    Links       = @('Set-IrisProductionItem', 'Remove-IrisProductionItem', 'about_IrisOps')
}
