@{
    Synopsis    = 'Checks every node of an ECP cluster and returns one result per node and check.'
    Description = @'
Test-IrisEcpCluster checks each node through the Docker engine and returns one object per node and check (Node, Check, Passed, Detail):
Running: the container runs.
Healthy: the image's health check passes.
MergeFileApplied: every [Section] Key=Value setting of the node's merge file is in its durable iris.cpf.
TlsFiles: the CA certificate, the node certificate and the node key are present in the container, the key readable by the IRIS user, the certificate issued by the cluster CA, valid now, and made out to the node's host name.
LicenseMounted: the license is a read-only mount and is passed with --key.
DataServerReachable (application servers): the node can open the data server's superserver port 1972.
A failed check never throws: filter on Passed to act on it.
'@
    Parameters  = @{
        Name        = 'The cluster name.'
        InputObject = 'A cluster from Get-IrisEcpCluster or New-IrisEcpCluster, by pipeline.'
        DockerHost  = 'The Docker engine, as the docker CLI takes it. Default: DOCKER_HOST, then the current docker context, then the platform default.'
    }
    Examples    = @(
        @{ Title = 'Check a cluster'; Code = 'Test-IrisEcpCluster -Name demo'; Remarks = 'One line per node and check.' }
        @{ Title = 'Only the failures, in a runbook'; Code = @'
$failed = Get-IrisEcpCluster -Name demo | Test-IrisEcpCluster | Where-Object { -not $_.Passed }
if ($failed) { $failed | Format-Table Node, Check, Detail -Wrap; exit 1 }
'@; Remarks = 'Exits non-zero when any check fails.' }
    )
    Inputs      = @(@{ Type = 'IrisOps.Core.Ecp.IrisEcpCluster'; Description = 'The cluster to check.' })
    Outputs     = @(@{ Type = 'IrisOps.Core.Ecp.IrisEcpCheck'; Description = 'Cluster, Node, Check, Passed, Detail.' })
    Notes       = 'The checks run commands in the containers (cat, test, and nc or bash for the port check).'
    Links       = @('New-IrisEcpCluster', 'Get-IrisEcpCluster', 'about_IrisOps')
}
