<#
.SYNOPSIS
    Runbook for a scheduled, unattended upgrade of an IRIS ECP cluster (or of single containers) to a new image,
    with a transcript and an exit code a scheduler can act on.

.DESCRIPTION
    Calls Update-IrisApplicationImage: every node is checked first, then upgraded one at a time (application
    servers before the data server) with a verified backup of its durable %SYS, a health gate and an automatic
    rollback. The whole run is written to a transcript (one file per run under -LogPath), and the results are
    printed as a table at the end.

    Exit codes:
      0  every node was upgraded, or was already on the image
      1  a node failed or was rolled back, or the preflight refused (the transcript says which and why)
      2  the runbook itself could not run (module not found, another run still active, bad arguments)

    Only one run at a time: a lock file in -LogPath keeps a second run (a slow upgrade overlapping the next
    schedule) from starting.

.PARAMETER ClusterName
    The ECP cluster to upgrade, as Get-IrisEcpCluster knows it. Use this or -Name.

.PARAMETER Name
    Container names to upgrade instead of a cluster.

.PARAMETER Image
    The new image. Pull or load it beforehand (for example in an earlier step of the same task): the upgrade never
    pulls.

.PARAMETER BackupPath
    Where the backups go (one folder per container and run, with a <mount>.tar and <mount>.manifest.json for each
    mount that holds a directory the instance uses).

.PARAMETER LogPath
    Where the transcripts and the lock file go.

.PARAMETER PostUpgradeScript
    Optional ObjectScript file run in each upgraded node (iris session IRIS -U <Namespace>).

.PARAMETER ModulePath
    Path of IrisOps.psd1 when the module is not installed (for example out/IrisOps/IrisOps.psd1 of a build).

.EXAMPLE
    pwsh -NoProfile -File ./scheduled-upgrade.ps1 -ClusterName prod -Image registry.example.com/app:2.1 -BackupPath /srv/iris-backups -LogPath /var/log/irisops

.NOTES
    WINDOWS, TASK SCHEDULER (Windows PowerShell 5.1 or PowerShell 7), every Sunday at 03:00 as a service account
    that may use Docker:

        $action  = New-ScheduledTaskAction -Execute 'pwsh.exe' -Argument '-NoProfile -NonInteractive -File C:\IrisOps\scheduled-upgrade.ps1 -ClusterName prod -Image registry.example.com/app:2.1 -BackupPath D:\IrisBackups -LogPath D:\IrisLogs'
        $trigger = New-ScheduledTaskTrigger -Weekly -DaysOfWeek Sunday -At 3am
        Register-ScheduledTask -TaskName 'IRIS image upgrade' -Action $action -Trigger $trigger -User 'CORP\svc-iris' -Password (Read-Host 'Password') -RunLevel Highest

    (use powershell.exe instead of pwsh.exe for Windows PowerShell 5.1). The task's "Last Run Result" shows the
    exit code: 0x0 success, 0x1 a node failed or was rolled back, 0x2 the runbook could not run.

    LINUX, CRON (crontab -e of a user in the docker group), every Sunday at 03:00:

        0 3 * * 0  pwsh -NoProfile -NonInteractive -File /opt/irisops/scheduled-upgrade.ps1 -ClusterName prod -Image registry.example.com/app:2.1 -BackupPath /srv/iris-backups -LogPath /var/log/irisops || logger -t irisops "IRIS upgrade failed with exit code $?"

    LINUX, SYSTEMD TIMER: /etc/systemd/system/iris-upgrade.service

        [Unit]
        Description=IRIS image upgrade (IrisOps)
        Wants=docker.service
        After=docker.service

        [Service]
        Type=oneshot
        User=irisops
        SupplementaryGroups=docker
        ExecStart=/usr/bin/pwsh -NoProfile -NonInteractive -File /opt/irisops/scheduled-upgrade.ps1 -ClusterName prod -Image registry.example.com/app:2.1 -BackupPath /srv/iris-backups -LogPath /var/log/irisops
        TimeoutStartSec=4h

    and /etc/systemd/system/iris-upgrade.timer

        [Unit]
        Description=Weekly IRIS image upgrade

        [Timer]
        OnCalendar=Sun *-*-* 03:00:00
        Persistent=true

        [Install]
        WantedBy=timers.target

    then: systemctl daemon-reload; systemctl enable --now iris-upgrade.timer. A failed run shows as failed in
    systemctl status iris-upgrade.service (the non-zero exit code); add OnFailure= to alert.
#>
[CmdletBinding(DefaultParameterSetName = 'Cluster')]
param(
    [Parameter(Mandatory, ParameterSetName = 'Cluster')]
    [string] $ClusterName,

    [Parameter(Mandatory, ParameterSetName = 'Name')]
    [string[]] $Name,

    [Parameter(Mandatory)]
    [string] $Image,

    [Parameter(Mandatory)]
    [string] $BackupPath,

    [Parameter(Mandatory)]
    [string] $LogPath,

    [string] $PostUpgradeScript,

    [string] $Namespace = 'USER',

    [ValidateRange(1, 86400)]
    [int] $HealthTimeout = 600,

    [ValidateRange(1, 86400)]
    [int] $StopTimeout = 330,

    [string] $DockerHost,

    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

try {
    New-Item -ItemType Directory -Force -Path $LogPath, $BackupPath | Out-Null
    $lockPath = Join-Path $LogPath 'scheduled-upgrade.lock'
    # Held open without sharing for the whole run: a second run fails here instead of upgrading in parallel.
    $lock = [IO.File]::Open($lockPath, 'OpenOrCreate', 'ReadWrite', 'None')
}
catch {
    Write-Error "Cannot start: $($_.Exception.Message) (is another upgrade still running?)" -ErrorAction Continue
    exit 2
}

# The run itself; returns the exit code. Everything it prints goes to the host, so it lands in the transcript.
function Invoke-Runbook {
    try {
        if ($ModulePath) { Import-Module $ModulePath -Force } else { Import-Module IrisOps }
    }
    catch {
        Write-Host "The IrisOps module could not be loaded: $($_.Exception.Message)" -ForegroundColor Red
        return 2
    }

    $parameters = @{
        Image         = $Image
        BackupPath    = $BackupPath
        HealthTimeout = $HealthTimeout
        StopTimeout   = $StopTimeout
        Confirm       = $false
        ErrorVariable = 'upgradeErrors'
        ErrorAction   = 'Continue'   # every node's error is logged; the exit code is decided below
    }
    if ($PostUpgradeScript) { $parameters.PostUpgradeScript = $PostUpgradeScript; $parameters.Namespace = $Namespace }
    if ($DockerHost) { $parameters.DockerHost = $DockerHost }

    Write-Host "IRIS image upgrade to '$Image' started $(Get-Date -Format o) on $([Environment]::MachineName)"
    $upgradeErrors = @()
    if ($PSCmdlet.ParameterSetName -eq 'Cluster') {
        if (-not (Get-Command Get-IrisEcpCluster -ErrorAction SilentlyContinue)) {
            Write-Host 'This IrisOps version has no Get-IrisEcpCluster: pass the container names with -Name instead.' -ForegroundColor Red
            return 2
        }
        $cluster = Get-IrisEcpCluster -Name $ClusterName
        if (-not $cluster) {
            Write-Host "No ECP cluster named '$ClusterName' on the Docker engine." -ForegroundColor Red
            return 2
        }
        $results = @($cluster | Update-IrisApplicationImage @parameters)
    }
    else {
        $results = @(Update-IrisApplicationImage -Name $Name @parameters)
    }

    $results | Format-Table -AutoSize -Wrap | Out-String -Width 200 | Write-Host
    foreach ($result in $results | Where-Object Status -ne 'Upgraded') {
        Write-Host "$($result.Node): $($result.Status). $($result.Message)"
    }

    $bad = @($results | Where-Object { $_.Status -in 'Failed', 'RolledBack' })
    if ($bad.Count -gt 0 -or @($upgradeErrors).Count -gt 0) {
        Write-Host "UPGRADE NOT COMPLETE: $($bad.Count) node(s) failed or were rolled back; $(@($upgradeErrors).Count) error(s)." -ForegroundColor Red
        return 1
    }

    Write-Host "Upgrade complete: $(@($results | Where-Object Status -eq 'Upgraded').Count) upgraded, $(@($results | Where-Object Status -eq 'Skipped').Count) already on the image."
    return 0
}

$stamp = (Get-Date).ToUniversalTime().ToString('yyyyMMdd-HHmmss')
$transcript = Join-Path $LogPath "upgrade-$stamp.log"
Start-Transcript -LiteralPath $transcript | Out-Null
$exitCode = 1
try {
    $exitCode = Invoke-Runbook | Select-Object -Last 1
}
catch {
    Write-Host "The runbook failed: $($_.Exception.Message)" -ForegroundColor Red
    $exitCode = 1
}
finally {
    Write-Host "Exit code $exitCode. Transcript: $transcript"
    Stop-Transcript | Out-Null
    $lock.Dispose()
}
exit $exitCode
