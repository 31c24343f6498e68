@{
    Synopsis    = 'Removes interoperability production default settings from running IRIS containers, by exact key, in one transaction per container.'
    Description = @'
Remove-IrisDefaultSetting deletes rows of Ens_Config.DefaultSettings by their exact key (ProductionName, ItemName, HostClassName, SettingName; the first three default to *). A * here is the stored value * (any), not a wildcard: use Get-IrisDefaultSetting with wildcards to find rows and pipe them in.

Rows are collected while the pipeline runs and checked before anything is sent, with errors naming the row. Each container then gets one "iris session" that deletes them in one transaction (rolled back if any deletion fails). The output objects have the Action Removed (with the value that was removed as Previous) or NotFound.

Removing is destructive, so the command asks for confirmation (ConfirmImpact High) unless -Confirm:$false. -WhatIf runs a read-only script and writes objects with the Action WouldRemove or NotFound.
'@
    Parameters  = @{
        ProductionName = 'The production of the row; * (the default) for the row that applies to any production. Alias: production.'
        ItemName       = 'The item of the row; * (the default) for any item. Alias: item.'
        HostClassName  = 'The host class of the row; * (the default) for any class. Alias: class.'
        SettingName    = 'The setting name of the row. Alias: setting. Required, here or as a property of each row.'
        Row            = 'A row from the pipeline (a CSV line, a hashtable, an IrisDefaultSetting from Get-IrisDefaultSetting): its ProductionName, ItemName, HostClassName and SettingName properties (or production, item, class, setting) name the setting to remove; a parameter given on the command line applies to every row.'
        Container      = 'The names of the running IRIS containers to remove the settings from. The first position. Not needed when the targets come by -InputObject or through the pipeline.'
        InputObject    = 'Cluster objects (the data server, in the cluster''s namespace) or node objects. Objects saved with Export-Clixml and read back with Import-Clixml (or received from a job or a remote session) work the same. Cluster, node and upgrade-result objects (from New-/Get-IrisEcpCluster and Update-IrisApplicationImage, also deserialized) that come through the pipeline are targets too, not rows: then the command line gives the one row.'
        Namespace      = 'The namespace of the production. Default: the cluster''s namespace for a cluster object, else USER.'
        DockerHost     = 'The Docker engine endpoint, as the docker CLI''s -H takes it. Default: DOCKER_HOST, the current docker context, or the platform default.'
    }
    Examples    = @(
        @{
            Title   = 'Remove one setting'
            Code    = 'Remove-IrisDefaultSetting -Container iris-data -Namespace APP -ProductionName APP.Production -ItemName ''To PACS'' -SettingName IPAddress'
            Remarks = 'Asks for confirmation, then removes the row; the output shows the removed value as Previous.'
        }
        @{
            Title   = 'Remove what a search finds, after a preview'
            Code    = @'
$old = Get-IrisDefaultSetting -Container iris-data -Namespace APP -ItemName 'Legacy*'
$old | Remove-IrisDefaultSetting -Container iris-data -Namespace APP -WhatIf
$old | Remove-IrisDefaultSetting -Container iris-data -Namespace APP -Confirm:$false
'@
            Remarks = 'Finds the rows of the Legacy items, previews the removal, then removes them all in one transaction.'
        }
    )
    Inputs      = @(
        @{ Type = 'IrisOps.Core.Settings.IrisDefaultSetting'; Description = 'Rows (or any objects with ProductionName, ItemName, HostClassName and SettingName) through the pipeline.' }
    )
    Outputs     = @(
        @{ Type = 'IrisOps.Core.Settings.IrisDefaultSetting'; Description = 'One per row and container, with the Action Removed or NotFound (WouldRemove under -WhatIf).' }
    )
    Notes       = 'A running production keeps the removed values until it is updated or restarted.'
    Links       = @('Get-IrisDefaultSetting', 'Set-IrisDefaultSetting', 'about_IrisOps')
}
