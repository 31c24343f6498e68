@{
    Synopsis    = 'Removes an ECP cluster''s containers and network; durable data is kept unless -RemoveData.'
    Description = @'
Remove-IrisEcpCluster stops every node with the stop timeout (application servers first, so IRIS shuts down cleanly), removes the containers, the cluster network, the TLS and license volumes, and the generated node merge files and TLS and license copies in the cluster folder (the folder itself too when nothing else is left in it). Durable %SYS (the node volumes or host folders) and the cluster's certificate set are kept, so New-IrisEcpCluster with the same arguments brings the cluster back on its data. Only -RemoveData deletes them; host folders that IRIS owns are deleted through a root container of the cluster's image, so this works for a user who is not root. When the containers are already gone but durable volumes of the cluster remain, -RemoveData deletes those volumes, and without it the error names them. -WhatIf and the confirmation list every container, network, volume, file and folder that would be deleted, and what is kept. ConfirmImpact is High: it asks before removing unless you pass -Confirm:$false.
'@
    Parameters  = @{
        Name        = 'Cluster names; wildcards are allowed (each matching cluster once). From the pipeline: names, and cluster, node and upgrade-result objects, which stand for their cluster (a node object for the cluster it belongs to, not for its own container name). A name without wildcards that matches nothing is an error for that name only; the other names go on. With -RemoveData, a literal name also finds the volumes an earlier removal kept; a wildcard matches clusters that still have containers.'
        InputObject = 'Clusters (or nodes of clusters) from Get-IrisEcpCluster or New-IrisEcpCluster, by pipeline; each named cluster is read fresh from the engine. Objects saved with Export-Clixml and read back with Import-Clixml (or received from a job or a remote session) work the same.'
        RemoveData  = 'Also deletes the durable data of every node (volumes or host folders) and the cluster folder with its certificate set. This cannot be undone.'
        StopTimeout = 'Seconds each node gets to shut down before the engine kills it. Default 330.'
        DockerHost  = 'The Docker engine, as the docker CLI takes it. Default: DOCKER_HOST, then the current docker context, then the platform default.'
    }
    Examples    = @(
        @{ Title = 'Remove the containers, keep the data'; Code = 'Remove-IrisEcpCluster -Name demo'; Remarks = 'Asks for confirmation; durable %SYS stays for the next New-IrisEcpCluster.' }
        @{ Title = 'Remove everything, in a script'; Code = 'Get-IrisEcpCluster -Name demo | Remove-IrisEcpCluster -RemoveData -Confirm:$false'; Remarks = 'Deletes the durable data too.' }
    )
    Inputs      = @(@{ Type = 'IrisOps.Core.Ecp.IrisEcpCluster'; Description = 'The cluster to remove.' })
    Outputs     = @(@{ Type = 'None'; Description = 'Nothing; -Verbose tells each step.' })
    Notes       = 'Use -WhatIf to see what would be removed.'
    Links       = @('New-IrisEcpCluster', 'Get-IrisEcpCluster', 'about_IrisOps')
}
