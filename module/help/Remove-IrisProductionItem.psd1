@{
    Synopsis    = 'Removes configuration items from interoperability productions in running IRIS containers, by production and item name, in one session per container.'
    Description = @'
Remove-IrisProductionItem deletes configuration items from productions, as the portal's Delete does (Configuring Productions, "Deleting a Business Host"): the item leaves the production's Items and its Ens.Config.Item object is deleted; the business host class stays. Rows come from parameters or the pipeline (Import-Csv, hashtables, Get-IrisProductionItem), identified by ProductionName and Name.

Rows are collected while the pipeline runs and checked before anything is sent. Each container then gets ONE "iris session" that removes them all in one transaction; if any row fails, nothing is removed. A production that does not exist, or two items of the same name, is an error naming the row. An item that is not there is reported with the Action NotFound. Each output object carries the item as it was (Previous holds all its properties and settings) and the Action Removed.

The command asks for confirmation (ConfirmImpact High): use -Confirm:$false in scripts. -WhatIf runs a read-only script and reports WouldRemove or NotFound per item, writing nothing. A running production keeps running the removed items until it is updated or restarted.
'@
    Parameters  = @{
        ProductionName = 'The production (its class name), e.g. APP.Production. Alias: production. Required, here or as a property of each row.'
        Name           = 'The configuration name of the item to remove. Aliases: ItemName, item. Required, here or as a property of each row.'
        Row            = 'A row from the pipeline: a CSV line, a hashtable, a custom object or an IrisProductionItem from Get-IrisProductionItem; its ProductionName and Name properties say what to remove. A row without them is an error naming it, and then nothing is removed.'
        Container      = 'The names of the running IRIS containers. Each container gets one session. The first position. Not needed when the targets come by -InputObject or through the pipeline.'
        InputObject    = 'Cluster objects (their data server, in the cluster''s namespace) or node objects, also deserialized. Cluster, node and upgrade-result objects (from New-/Get-IrisEcpCluster and Update-IrisApplicationImage, also deserialized) that come through the pipeline are targets too, not rows: then the command line gives the one row.'
        Namespace      = 'The namespace of the production. Default: the cluster''s namespace for a cluster object, else USER.'
        DockerHost     = 'The Docker engine endpoint, as the docker CLI''s -H takes it. Default: DOCKER_HOST, the current docker context, or the platform default.'
    }
    Examples    = @(
        @{
            Title   = 'Remove one item'
            Code    = 'Remove-IrisProductionItem -Container iris-data -Namespace APP -ProductionName APP.Production -Name ''Old Feed'''
            Remarks = 'Asks for confirmation, then removes the item in one transaction.'
        }
        @{
            Title   = 'Remove every disabled item of a production, after a preview'
            Code    = @'
Get-IrisProductionItem -Container iris-data -Namespace APP -ProductionName APP.Production | Where-Object { -not $_.Enabled } | Remove-IrisProductionItem -Container iris-data -Namespace APP -WhatIf
Get-IrisProductionItem -Container iris-data -Namespace APP -ProductionName APP.Production | Where-Object { -not $_.Enabled } | Remove-IrisProductionItem -Container iris-data -Namespace APP -Confirm:$false
'@
            Remarks = 'The objects of Get-IrisProductionItem bind by property name.'
        }
    )
    Inputs      = @(
        @{ Type = 'System.Management.Automation.PSObject'; Description = 'Rows with the properties ProductionName and Name: Import-Csv rows, hashtables, or IrisProductionItem objects.' }
    )
    Outputs     = @(
        @{ Type = 'IrisOps.Core.Productions.IrisProductionItem'; Description = 'One per row and container: the item as it was, Previous, Action (Removed, NotFound; WouldRemove under -WhatIf) and Target.' }
    )
    Notes       = 'IrisOps runs "iris session" as the container''s user, which needs operating-system authentication for the terminal service.'
    Links       = @('Set-IrisProductionItem', 'Get-IrisProductionItem', 'about_IrisOps')
}
