<#
.SYNOPSIS
    Scheduled task that enforces sandbox lifetimes: stops or removes every expired sandbox according to its rules,
    with a transcript and an exit code a scheduler can act on.

.DESCRIPTION
    Lists the expired sandboxes (Get-IrisSandbox -Expired, optionally only those of -Template) and acts on each as
    its template said when it was created (OnExpiry, stored on the container):
      Stop    the container is stopped (a clean shutdown); Start-IrisSandbox starts it again when its rules allow
              a relaunch. A sandbox that is already stopped is left alone.
      Remove  container, network and expiry records are removed; durable data of a Preserved sandbox is kept
              unless -RemoveData is given.
    Without a template, OnExpiry is Stop when a relaunch is allowed and Remove when it is not.

    Exit codes:
      0  every expired sandbox was stopped or removed (or there was none), or another run holds the lock
      1  at least one sandbox could not be stopped or removed, or the engine could not be read (see the transcript)
      2  the script itself could not run (module not found, log folder not writable)

    Safe to run twice at once: a lock file in -LogPath is held open for the whole run, and a run that finds it held
    does nothing, says so and exits 0, so a slow run overlapping the next schedule never acts on a sandbox twice.

.PARAMETER Template
    Only sandboxes created with these templates (their names). Default: every expired sandbox.

.PARAMETER LogPath
    Where the transcripts (one per run) and the lock file go.

.PARAMETER RemoveData
    Also delete the durable data of Preserved sandboxes that are removed.

.PARAMETER StopTimeout
    Seconds each container gets to shut down cleanly before the engine kills it. Default 330 (IRIS's own
    ShutdownTimeout of 300 s plus 30 s; Configuration Parameter File Reference, ShutdownTimeout).

.PARAMETER DockerHost
    The Docker engine, as the docker CLI takes it. Default: DOCKER_HOST, then the current docker context.

.PARAMETER ModulePath
    Path of IrisOps.psd1 when the module is not installed (for example out/IrisOps/IrisOps.psd1 of a build).

.EXAMPLE
    pwsh -NoProfile -File ./sandbox-reaper.ps1 -LogPath /var/log/irisops

.EXAMPLE
    pwsh -NoProfile -File ./sandbox-reaper.ps1 -Template class -LogPath D:\IrisLogs -RemoveData

.NOTES
    LINUX, CRON (crontab -e of a user in the docker group), every 10 minutes:

        */10 * * * *  pwsh -NoProfile -NonInteractive -File /opt/irisops/sandbox-reaper.ps1 -LogPath /var/log/irisops || logger -t irisops "sandbox reaper failed with exit code $?"

    WINDOWS, TASK SCHEDULER, every 10 minutes as an account that may use Docker:

        $action  = New-ScheduledTaskAction -Execute 'pwsh.exe' -Argument '-NoProfile -NonInteractive -File C:\IrisOps\sandbox-reaper.ps1 -LogPath D:\IrisLogs'
        $trigger = New-ScheduledTaskTrigger -Once -At (Get-Date) -RepetitionInterval (New-TimeSpan -Minutes 10)
        Register-ScheduledTask -TaskName 'IRIS sandbox reaper' -Action $action -Trigger $trigger -User 'CORP\svc-iris' -Password (Read-Host 'Password')

    Transcripts accumulate in -LogPath: rotate them with the site's log rotation.
#>
[CmdletBinding()]
param(
    [string[]] $Template,

    [Parameter(Mandatory)]
    [string] $LogPath,

    [switch] $RemoveData,

    [ValidateRange(1, 86400)]
    [int] $StopTimeout = 330,

    [string] $DockerHost,

    [string] $ModulePath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

try {
    New-Item -ItemType Directory -Force -Path $LogPath | Out-Null
    $lockPath = Join-Path $LogPath 'sandbox-reaper.lock'
}
catch {
    Write-Error "Cannot start: $($_.Exception.Message)" -ErrorAction Continue
    exit 2
}

try {
    # Held open without sharing for the whole run: a second run stops here instead of acting on the same sandboxes.
    $lock = [IO.File]::Open($lockPath, 'OpenOrCreate', 'ReadWrite', 'None')
}
catch [IO.IOException] {
    Write-Host "Another sandbox reaper run holds '$lockPath'; this run did nothing."
    exit 0
}

# The run itself; returns the exit code. Everything it prints goes to the host, so it lands in the transcript.
function Invoke-Reaper {
    try {
        if ($ModulePath) { Import-Module $ModulePath -Force } else { Import-Module IrisOps }
    }
    catch {
        Write-Host "The IrisOps module could not be loaded: $($_.Exception.Message)" -ForegroundColor Red
        return 2
    }

    $engine = @{}
    if ($DockerHost) { $engine.DockerHost = $DockerHost }
    Write-Host "Sandbox reaper started $((Get-Date).ToUniversalTime().ToString('o')) on $([Environment]::MachineName)"
    $expired = @(
        if ($Template) { foreach ($name in $Template) { Get-IrisSandbox -Expired -Template $name @engine } }
        else { Get-IrisSandbox -Expired @engine }
    )
    if ($expired.Count -eq 0) {
        Write-Host 'No expired sandbox.'
        return 0
    }

    $expired | Format-Table Owner, Name, Template, Expires, OnExpiry, Status -AutoSize | Out-String -Width 200 | Write-Host
    $failed = 0
    foreach ($sandbox in $expired) {
        $failures = @()
        if ($sandbox.OnExpiry -eq 'Remove') {
            Remove-IrisSandbox -Owner $sandbox.Owner -Name $sandbox.Name -RemoveData:$RemoveData -StopTimeout $StopTimeout -Confirm:$false @engine -ErrorAction Continue -ErrorVariable failures
            $done = 'removed'
        }
        elseif ($sandbox.Status -eq 'running') {
            Stop-IrisSandbox -Owner $sandbox.Owner -Name $sandbox.Name -StopTimeout $StopTimeout -Confirm:$false @engine -ErrorAction Continue -ErrorVariable failures | Out-Null
            $done = 'stopped'
        }
        else {
            $done = "left as it is ($($sandbox.Status))"
        }

        if (@($failures).Count -gt 0) {
            $failed++
            Write-Host "$($sandbox.Name) (owner $($sandbox.Owner)): FAILED: $(@($failures)[0].Exception.Message)" -ForegroundColor Red
        }
        else {
            Write-Host "$($sandbox.Name) (owner $($sandbox.Owner)): $done."
        }
    }

    if ($failed -gt 0) {
        Write-Host "REAPER NOT COMPLETE: $failed of $($expired.Count) expired sandbox(es) failed." -ForegroundColor Red
        return 1
    }

    Write-Host "Done: $($expired.Count) expired sandbox(es) handled."
    return 0
}

$stamp = (Get-Date).ToUniversalTime().ToString('yyyyMMdd-HHmmss-fff')
$transcript = Join-Path $LogPath "sandbox-reaper-$stamp.log"
Start-Transcript -LiteralPath $transcript | Out-Null
$exitCode = 1
try {
    $exitCode = Invoke-Reaper | Select-Object -Last 1
}
catch {
    Write-Host "The reaper failed: $($_.Exception.Message)" -ForegroundColor Red
    $exitCode = 1
}
finally {
    Write-Host "Exit code $exitCode. Transcript: $transcript"
    Stop-Transcript | Out-Null
    $lock.Dispose()
}
exit $exitCode
