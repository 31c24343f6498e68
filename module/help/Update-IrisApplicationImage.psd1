@{
    Synopsis    = 'Moves IRIS containers, or whole ECP clusters, to a new image keeping durable %SYS, with a verified backup, a health gate and automatic rollback.'
    Description = @'
Update-IrisApplicationImage replaces "docker compose down, chown, up" with an upgrade you can schedule and trust. It re-creates each container from the new image with exactly the configuration it had, keeps the durable %SYS data (ISC_DATA_DIRECTORY on a volume or bind mount), and puts the old container back when anything goes wrong.

PREFLIGHT. Before anything changes, every node is checked and all problems of all nodes are reported together (one error record each); if there is any, nothing is changed. A node is refused when: the container does not exist; the image does not exist on the engine (IrisOps never pulls during an upgrade); ISC_DATA_DIRECTORY is not set or is not on a volume or bind mount (its data would be lost); it is stopped after an unclean shutdown (non-zero exit code, or an instance-running marker left in the durable directory); it is unhealthy; a container named <name>-irisops-previous exists; or the free space under -BackupPath is below the size of the durable directories (measured with du in the running containers) plus 5% and 64 MB. The code-database trap is checked too: the durable iris.cpf is read from the node and the new image's iris.cpf from a container created (never started) from the image; a database on durable storage that the new image also ships (other than the databases IRIS installs itself, and USER) means the image's new copy would be ignored. That is a warning, or a refusal with -Strict.

PER NODE, in this order: docker stop with -StopTimeout; the shutdown must be clean (exit code 0, and no leftover instance-running marker: the mgr/iris.ids file of the data directory, which the System Administration Guide describes as the flag that the instance is up); back up the whole durable mount as a tar archive streamed from the stopped container (<BackupPath>/<container>/<UTC time>/durable.tar) with manifest.json next to it (SHA-256 of the archive and of every file, with sizes, modes and owners), read back from disk and verified against the manifest; rename the old container to <name>-irisops-previous; create <name> from the new image with the old container's configuration (environment, mounts, networks with aliases and fixed IPv4 addresses, published ports, labels, command, entrypoint, health check, restart policy, stop timeout and signal, init, extra hosts; values the old container merely inherited from its old image are left to the new image); with -MergeFile, ISC_CPF_MERGE_FILE names the one composed merge file (see -MergeFile); start it and wait until it is healthy; run -PostUpgradeScript; remove the old container unless -KeepPrevious.

The backup is taken AFTER the stop, not before: files of a running instance are not a consistent backup. It therefore counts in the downtime (Downtime in the result).

ROLLBACK. Any failure after the stop, and Ctrl+C, rolls back: the new container is removed (its log tail goes into the result and the error), the durable directory is restored from the backup when the new container ran on it (a helper container from the old image empties the mount, the archive is extracted back, and the mount is archived again and compared file by file with the manifest, so it is byte-identical to the backup), the old container gets its name back, is started and must become healthy. The rollback ignores Ctrl+C and never leaves two containers running on one durable directory. With -SkipBackup there is nothing to restore from: if the new container had started, the old one is left stopped and the node is Failed.

CLUSTERS. Cluster objects from Get-IrisEcpCluster or New-IrisEcpCluster, their Nodes, or container names carrying the irisops.cluster and irisops.role labels are upgraded one node at a time, each healthy before the next stops, so at most one node of a cluster is ever down and with two or more application servers the cluster keeps serving. The data server goes last by default (-DataServerOrder Last) because the IRIS documentation ("Upgrade ECP Configurations") says ECP application servers should in general be upgraded before the data servers they connect to; use First when your release notes say otherwise. The run stops at the first node that fails (it is rolled back) and the nodes not attempted are reported as Skipped with a message saying why.

OUTPUT. One IrisUpgradeResult per node: Node, FromImage, ToImage, Status (Upgraded, RolledBack, Skipped, Failed), BackupPath, Downtime, Duration, Message (plus Cluster, Role, PreviousContainer, NewContainerLogTail, ErrorId, Warnings). A node already on the image (same image id) is Skipped, so a re-run is harmless. A node that failed or was rolled back also writes an error record, so -ErrorAction Stop stops a script and $? is false. -WhatIf lists the exact steps of every node and changes nothing (the code-database check, which creates a temporary container, is skipped under -WhatIf).
'@
    Parameters  = @{
        Name              = 'Names of the containers to upgrade. Containers that carry the irisops.cluster and irisops.role labels are ordered as cluster nodes (see -DataServerOrder).'
        InputObject       = 'Cluster (IrisEcpCluster) or node (IrisEcpNode) objects, from Get-IrisEcpCluster or New-IrisEcpCluster, by pipeline or by this parameter. Container names (strings) and IrisUpgradeResult objects are accepted too. All input is collected first, then every node is checked before anything changes. Objects saved with Export-Clixml and read back with Import-Clixml (or received from a job or a remote session) work the same.'
        Image             = 'The new image, for example registry.example.com/app:2.1. It must already be on the engine (docker pull or docker load first).'
        BackupPath        = 'The folder that receives the backups: <BackupPath>/<container>/<UTC time>/durable.tar and manifest.json. Default: IrisOps/backups under the local application data folder (~/.local/share on Linux, %LOCALAPPDATA% on Windows). It must be on the machine where the cmdlet runs; the archive is streamed from the engine.'
        SkipBackup        = 'Takes no backup. Not recommended: a failed upgrade whose new container already started cannot restore the durable directory, so the old container is then left stopped.'
        HealthTimeout     = 'Seconds to wait for the new container to become healthy (and for the old one after a rollback). Default 300.'
        StopTimeout       = 'Seconds docker stop waits for a clean shutdown before the engine kills the container. Default 330, longer than IRIS''s default ShutdownTimeout of 300 s. A container killed by the timeout is an unclean shutdown: the upgrade is not attempted and the old container is started again.'
        MergeFile         = 'A merge file for the new containers. ISC_CPF_MERGE_FILE names ONE merge file (InterSystems documentation: "Automating Configuration of InterSystems IRIS with Configuration Merge" and "Running InterSystems Products in Containers"), so this file is not added as a second path: during the preflight, before anything changes, the node''s current merge file (the file its ISC_CPF_MERGE_FILE names: read from the host when that file is bind-mounted on its own, otherwise copied out of the container) and then this file are composed, through the IrisOps CPF model, into one merge file, with a comment line before each part saying where it came from. A merge file may repeat sections and keys and the last occurrence wins, so the lines of -MergeFile override the node''s. Syntax errors in either file name the file and line and refuse the node; a node merge file that does not exist is left out with a warning (IRIS merges nothing from it either). The composed file is written next to the backups (<BackupPath>/<container>/merge-<UTC time>.cpf; keep it, the new container mounts it, so the Docker engine must run on this machine) and mounted read-only: in place of the old file''s mount when the old merge file was bind-mounted on its own (same path in the container), otherwise at /irisops/upgrade/merge.cpf, and ISC_CPF_MERGE_FILE names that one path. A container whose ISC_CPF_MERGE_FILE is a comma-separated list (written by earlier IrisOps versions) gets its files composed in order into one file the same way, even without -MergeFile. The old container is not changed, so a rollback brings it back with its own merge file. -WhatIf shows which files are composed and where.'
        PostUpgradeScript = 'A file of ObjectScript run once each new container is healthy, with iris session IRIS -U <Namespace> reading it on standard input (halt is appended), for example to update a production. A non-zero exit code rolls the node back.'
        Namespace         = 'The namespace -PostUpgradeScript runs in. Default USER.'
        KeepPrevious      = 'Keeps the old container, stopped, as <name>-irisops-previous instead of removing it. Remove it yourself before the next upgrade (the preflight refuses while it exists). Never start it while the new container runs: two instances on one durable directory lose data.'
        DataServerOrder   = 'Last (default) upgrades a cluster''s application servers before its data server, as the IRIS documentation advises for ECP; First upgrades the data server first.'
        Strict            = 'Refuses (instead of warning) when the code-database trap is found: a database on durable storage that the new image also ships.'
        DockerHost        = 'The Docker engine endpoint, as the docker CLI''s -H takes it (unix:///var/run/docker.sock, npipe:////./pipe/docker_engine, tcp://host:2376). Default: DOCKER_HOST, then the current docker context, then the platform default.'
    }
    Examples    = @(
        @{
            Title   = 'Upgrade one container'
            Code    = 'Update-IrisApplicationImage -Name iris-app -Image registry.example.com/app:2.1 -BackupPath /srv/iris-backups'
            Remarks = 'Stops iris-app, backs up its durable directory to /srv/iris-backups/iris-app/<time>/, re-creates it from app:2.1 and waits until it is healthy; rolls back if anything fails.'
        }
        @{
            Title   = 'Rolling upgrade of an ECP cluster, from a scheduled script'
            Code    = @'
Get-IrisEcpCluster -Name prod | Update-IrisApplicationImage -Image registry.example.com/app:2.1 -BackupPath D:\IrisBackups -PostUpgradeScript .\update-production.mac -Namespace APP -Confirm:$false -ErrorAction Stop
'@
            Remarks = 'Application servers one at a time, then the data server; stops at the first failure with that node rolled back. examples/scheduled-upgrade.ps1 wraps this in a runbook with a transcript and an exit code.'
        }
        @{
            Title   = 'See the exact steps without changing anything'
            Code    = 'Update-IrisApplicationImage -Name iris-app -Image registry.example.com/app:2.1 -WhatIf'
            Remarks = 'Runs the preflight (refusals are reported) and prints every step per node.'
        }
        @{
            Title   = 'Only the failures'
            Code    = 'Update-IrisApplicationImage -Name data, app1, app2 -Image app:2.1 -Confirm:$false | Where-Object Status -ne Upgraded | Format-List Node, Status, Message, NewContainerLogTail'
            Remarks = 'Shows why a node was rolled back, with the last lines of the new container''s log.'
        }
    )
    Inputs      = @(
        @{ Type = 'IrisOps.Core.Ecp.IrisEcpCluster'; Description = 'A cluster: all its nodes are upgraded in cluster order.' }
        @{ Type = 'IrisOps.Core.Ecp.IrisEcpNode'; Description = 'A node of a cluster.' }
        @{ Type = 'System.String'; Description = 'Container names.' }
    )
    Outputs     = @(
        @{ Type = 'IrisOps.Core.Upgrade.IrisUpgradeResult'; Description = 'One per node: Node, FromImage, ToImage, Status (Upgraded, RolledBack, Skipped, Failed), BackupPath, Downtime, Duration, Message, and Cluster, Role, PreviousContainer, NewContainerLogTail, ErrorId, Warnings.' }
    )
    Notes       = 'A backup folder holds durable.tar (restore it with tar -xpf into the parent of the durable mount, as root, so owners 51773:51773 are kept) and manifest.json.'
    Links       = @('about_IrisOps')
}
