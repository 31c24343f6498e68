@{
    Synopsis    = 'Gets the ECP clusters on a Docker engine, rebuilt from the engine alone.'
    Description = @'
Get-IrisEcpCluster reads the labels New-IrisEcpCluster put on the containers (irisops.cluster, irisops.role, irisops.node and the cluster's arguments) and rebuilds each cluster: its data server, application servers, network, image, database and namespace, and each node's container id, address, state, health and published ports. It needs nothing from the session that created the cluster, so it works in a new PowerShell session or on another machine pointed at the same engine.
'@
    Parameters  = @{
        Name       = 'Cluster names; wildcards are allowed. Without it, every cluster on the engine. From the pipeline: names, and cluster, node and upgrade-result objects, which stand for their cluster. A name without wildcards that matches nothing is an error for that name only.'
        DockerHost = 'The Docker engine, as the docker CLI takes it. Default: DOCKER_HOST, then the current docker context, then the platform default.'
    }
    Examples    = @(
        @{ Title = 'Every cluster on the engine'; Code = 'Get-IrisEcpCluster'; Remarks = 'One object per cluster with its nodes.' }
        @{ Title = 'The nodes of one cluster'; Code = '(Get-IrisEcpCluster -Name demo).Nodes | Format-Table Name, Role, IPAddress, State, Health'; Remarks = 'The data server first, then the application servers.' }
        @{ Title = 'A cluster on another engine'; Code = 'Get-IrisEcpCluster -Name prod* -DockerHost tcp://docker01.corp.example:2376'; Remarks = 'TLS to the engine comes from DOCKER_CERT_PATH and DOCKER_TLS_VERIFY, as for the docker CLI.' }
    )
    Inputs      = @(@{ Type = 'System.String'; Description = 'Cluster names.' })
    Outputs     = @(@{ Type = 'IrisOps.Core.Ecp.IrisEcpCluster'; Description = 'The cluster with its nodes.' })
    Notes       = 'Only clusters created by IrisOps (labelled irisops.managed=true) are listed.'
    Links       = @('New-IrisEcpCluster', 'Test-IrisEcpCluster', 'Remove-IrisEcpCluster', 'about_IrisOps')
}
