@{
    Synopsis    = 'Checks every node of an ECP cluster, proves ECP end to end, and returns one result per node and check.'
    Description = @'
Test-IrisEcpCluster checks each node through the Docker engine and returns one object per node and check (Node, Check, Passed, Detail).

Quick checks, from outside (all that -Quick runs):
Running: the container runs.
Healthy: the image's health check passes. It says nothing about ECP: an ECP connection opens on first use, not at startup.
MergeFileApplied: every [Section] Key=Value setting of the node's merge file is in its durable iris.cpf.
TlsFiles: the CA certificate, the node certificate and the node key are present in the container, the key readable by the IRIS user, the certificate issued by the cluster CA, valid now, and made out to the node's host name.
LicenseMounted: the license is a read-only mount and is passed with --key.
DataServerReachable (application servers): the node can open the data server's superserver port 1972.

End-to-end checks (the proof an operator does by hand): each application server sets a unique value in the global ^IrisOpsEcpProbe, which New-IrisEcpCluster maps to the shared database; every other application server reads it back through ECP, the data server reads it by the database's directory (an implied-namespace reference, ^["^^dir"]global), and everything written is removed (also when the test is stopped with Ctrl+C). One iris session per node and step, ObjectScript with documented APIs only (SYS.ECP.GetServerConnState, Config.ECPServers, Security.System), every value sent as a literal.
EcpConnection (application servers): the state SYS.ECP reports after the remote reference; 5 (normal) passes. Otherwise the detail names the cause and the fix, worked out from the configuration: no superserver TLS on the data server, a certificate not issued by the cluster CA, an address outside ClientSystems, or a Subject DN that is not authorized.
EcpTls: on application servers, the ECP server entry uses %ECPClient (SSLConfig=1); on the data server, SSLECPServer=2 (TLS required) and whether superserver TLS is enabled.
EcpAuthorization (application servers): authorized, or pending with the Subject DN read from the node's certificate, e.g. "app-2 is pending on the data server: its certificate subject 'CN=app-2, O=Acme' is not authorized".
EcpClientSystems (application servers): the node's address is in %Service_ECP ClientSystems on the data server.
EcpRoundTrip (application servers): the value was set (with the time it took, from $ZHOROLOG) and read back on every other application server and on the data server.

A failed check never throws: filter on Passed to act on it.
'@
    Parameters  = @{
        Name           = 'Cluster names; wildcards are allowed (each matching cluster once). From the pipeline: names, and cluster, node and upgrade-result objects, which stand for their cluster (a node object for the cluster it belongs to, not for its own container name). A name without wildcards that matches nothing is an error for that name only; the other names go on.'
        InputObject    = 'Clusters (or nodes of clusters) from Get-IrisEcpCluster or New-IrisEcpCluster, by pipeline; each named cluster is read fresh from the engine. Objects saved with Export-Clixml and read back with Import-Clixml (or received from a job or a remote session) work the same.'
        Quick          = 'Only the quick checks from outside; no iris session, nothing written.'
        SessionTimeout = 'How long one iris session of the end-to-end checks may take, in seconds (5 to 3600; default 60). A reference to a data server that cannot be reached may block until then.'
        DockerHost     = 'The Docker engine, as the docker CLI takes it. Default: DOCKER_HOST, then the current docker context, then the platform default.'
    }
    Examples    = @(
        @{ Title = 'Check a cluster'; Code = 'Test-IrisEcpCluster -Name demo'; Remarks = 'One line per node and check, the end-to-end ECP checks included.' }
        @{ Title = 'Only the failures, in a runbook'; Code = @'
$failed = Get-IrisEcpCluster -Name demo | Test-IrisEcpCluster | Where-Object { -not $_.Passed }
if ($failed) { $failed | Format-Table Node, Check, Detail -Wrap; exit 1 }
'@; Remarks = 'Exits non-zero when any check fails.' }
        @{ Title = 'The quick checks only'; Code = 'Test-IrisEcpCluster -Name demo -Quick'; Remarks = 'State, health, merge file, TLS files, license and port: nothing is written into IRIS.' }
        @{
            Title   = 'Test every cluster whose name starts with demo, after an upgrade'
            Code    = 'Update-IrisApplicationImage -InputObject (Get-IrisEcpCluster demo) -Image containers.intersystems.com/intersystems/iris:2025.1 | Test-IrisEcpCluster; ''demo*'' | Test-IrisEcpCluster -Quick'
            Remarks = 'The upgrade results stand for their cluster, which is tested once end to end; then every cluster named demo* gets the quick checks.'
        }
    )
    Inputs      = @(@{ Type = 'IrisOps.Core.Ecp.IrisEcpCluster'; Description = 'The cluster to check.' })
    Outputs     = @(@{ Type = 'IrisOps.Core.Ecp.IrisEcpCheck'; Description = 'Cluster, Node, Check, Passed, Detail.' })
    Notes       = 'The checks run commands in the containers (cat, test, nc or bash for the port check, and iris session for the end-to-end checks). Troubleshooting ECP: see about_IrisOps, section ECP OVER TLS.'
    Links       = @('New-IrisEcpCluster', 'Get-IrisEcpCluster', 'about_IrisOps')
}
