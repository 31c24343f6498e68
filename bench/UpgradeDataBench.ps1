# Per-node downtime of Update-IrisApplicationImage with realistic amounts of data in the durable directory,
# side by side with the floor a person would reach by hand on the same machine in the same run: docker stop,
# docker start until healthy, and tar cf of the same folder. Dot-sourced by Invoke-Bench.ps1; the module and
# the stand-in images must be loaded/built by the caller. Not IRIS: the stand-in image (tests/fixtures).

# Fills <Folder> with <GiB> of random data shaped like an instance's (random, so nothing compresses), owned by
# irisowner like durable %SYS. The durable iris.cpf names the journal folder as the journal directories (as durable
# %SYS does for IRIS), so the files count as journal files: all but the newest are closed and copied before the stop.
# Layouts:
# - Databases: 75% in 4 read-write database files, the rest in 64 MiB journal files.
# - ReadOnly: an instance whose data can mostly be copied before the stop: half in one read-only database (an
#   archive database, added to the durable iris.cpf's [Databases] and marked read-only for the stand-in with its
#   .readonly marker), a quarter in 2 read-write database files, a quarter in 64 MiB journal files.
# - HardLink: Databases plus one small file with a hard link, which the differential restore does not handle: the
#   rollback restores everything (empty, extract all, check all), the full restore.
# - Rewritten: Databases, and the failed upgrade rewrites a block in the middle of every database file (an image built
#   here from irisops-standin:broken does that before it starts), so over half of the bytes differ from the backup: the
#   rollback sees that in its stat lines and restores everything.
function New-BenchDurableData([string] $Folder, [int] $GiB, [string] $Layout = 'Databases') {
    $rewritten = if ($Layout -eq 'Rewritten') { ' (the failed upgrade rewrites a block of every database file)' } else { '' }
    $mib = $GiB * 1024
    $journalMib = 64
    if ($Layout -eq 'ReadOnly') {
        $readOnlyMib = [int]($mib / 2)
        $databases = 2
        $databaseMib = [int]($mib / 4 / $databases)
    }
    else {
        $readOnlyMib = 0
        $databases = 4
        $databaseMib = [int]($mib * 0.75 / $databases)
    }
    $journals = [int](($mib - $readOnlyMib - $databases * $databaseMib) / $journalMib)
    $script = "set -e; mkdir -p /d/iconfig/mgr/journal; " +
        "for i in `$(seq 1 $databases); do mkdir -p /d/iconfig/mgr/db`$i; head -c $($databaseMib)m /dev/urandom > /d/iconfig/mgr/db`$i/IRIS.DAT; done; " +
        "for i in `$(seq 1 $journals); do head -c $($journalMib)m /dev/urandom > /d/iconfig/mgr/journal/20261201.`$(printf %03d `$i); done; " +
        "sed -i -e 's#^CurrentDirectory=.*#CurrentDirectory=/dur/iconfig/mgr/journal/#' -e 's#^AlternateDirectory=.*#AlternateDirectory=/dur/iconfig/mgr/journal/#' /d/iconfig/iris.cpf; "
    if ($readOnlyMib -gt 0) {
        $script += "mkdir -p /d/iconfig/mgr/archive; head -c $($readOnlyMib)m /dev/urandom > /d/iconfig/mgr/archive/IRIS.DAT; touch /d/iconfig/mgr/archive/.readonly; " +
            "sed -i -e 's#^\[Databases\]#[Databases]\nARCHIVE=/dur/iconfig/mgr/archive/#' /d/iconfig/iris.cpf; "
    }
    if ($Layout -eq 'HardLink') {
        $script += "echo note > /d/iconfig/mgr/note.txt; ln /d/iconfig/mgr/note.txt /d/iconfig/mgr/note-link.txt; "
    }
    $script += "chown -R 51773:51773 /d"
    docker run --rm --label irisops.test=1 --user 0 --entrypoint /bin/sh -v "${Folder}:/d" irisops-standin:v1 -c $script | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "Writing $GiB GiB of bench data into $Folder failed." }
    $readOnly = if ($readOnlyMib -gt 0) { "1 read-only database file of $readOnlyMib MiB, " } else { '' }
    $hardLink = if ($Layout -eq 'HardLink') { ' and a small file with a hard link (so the rollback restores everything: the full restore)' } else { '' }
    "$readOnly$databases database files of $databaseMib MiB and $journals journal files of $journalMib MiB$hardLink$rewritten"
}

# The broken image of the Rewritten layout: before it starts, it rewrites 8 KiB in the middle of every IRIS.DAT
# under its data directory, as an upgrade that converts every database and then fails would. Built locally.
function New-RewritingBrokenImage {
    $dockerfile = @'
FROM irisops-standin:broken
USER 0
RUN printf '%s\n' '#!/bin/sh' 'for f in $(find "$ISC_DATA_DIRECTORY" -name IRIS.DAT); do dd if=/dev/urandom of="$f" bs=8192 count=1 seek=$(( $(stat -c %s "$f") / 16384 )) conv=notrunc 2>/dev/null; done' 'exec /iris-main "$@"' > /rewrite-then-start.sh && chmod 755 /rewrite-then-start.sh
USER 51773:51773
ENTRYPOINT ["/rewrite-then-start.sh"]
'@
    $dockerfile | docker build -q -t irisops-bench:rewrites - | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'Building irisops-bench:rewrites failed.' }
    'irisops-bench:rewrites'
}

# One row per size: median downtime of the upgrade (v1 <-> v2, from its result) against the median of
# docker stop + docker start (until healthy) + tar cf, measured alternately; then (unless -UpgradeOnly) the rollback's
# restore against its floor. -Layout: see New-BenchDurableData.
function Measure-UpgradeWithData([string] $Work, [int] $GiB, [int] $Runs, [string] $Layout = 'Databases', [switch] $UpgradeOnly) {
    $suffix = if ($Layout -eq 'Databases') { "$GiB" } else { "$GiB-$($Layout.ToLowerInvariant())" }
    $name = "irisops-bench-data-$suffix"
    $durable = Join-Path $Work "durable-$suffix"
    $backups = Join-Path $Work "backups-$suffix"
    New-Item -ItemType Directory -Force -Path $durable, $backups | Out-Null
    try {
        # Durable %SYS must be writable by irisowner (Running InterSystems Products in Containers): the documented chown, as root.
        docker run --rm --label irisops.test=1 --user 0 --entrypoint chown -v "${durable}:/dur" irisops-standin:v1 51773:51773 /dur | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "chown of $durable failed." }
        docker run -d --name $name --label irisops.test=1 -e ISC_DATA_DIRECTORY=/dur/iconfig -v "${durable}:/dur" irisops-standin:v1 | Out-Null
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ((docker inspect -f '{{.State.Health.Status}}' $name) -ne 'healthy' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        docker stop -t 15 $name | Out-Null
        $shape = New-BenchDurableData -Folder $durable -GiB $GiB -Layout $Layout
        docker start $name | Out-Null
        $floors = @(); $downtimes = @(); $receives = @(); $checks = @(); $apis = @(); $images = 'irisops-standin:v2', 'irisops-standin:v1'
        for ($i = 0; $i -lt $Runs; $i++) {
            $until = [DateTime]::UtcNow.AddSeconds(60)
            while ((docker inspect -f '{{.State.Health.Status}}' $name) -ne 'healthy' -and [DateTime]::UtcNow -lt $until) { Start-Sleep -Milliseconds 100 }
            $floorTar = Join-Path $backups 'floor.tar'
            $watch = [Diagnostics.Stopwatch]::StartNew()
            docker stop -t 15 $name | Out-Null
            & tar cf $floorTar -C $durable .
            if ($LASTEXITCODE -ne 0) { throw "tar cf of $durable failed." }
            # For reference, not part of the floor: what the engine's archive API alone takes for the same folder
            # (docker cp to a file), the path every client of a possibly remote engine has to take.
            $api = [Diagnostics.Stopwatch]::StartNew()
            & sh -c "docker cp ${name}:/dur - > '$floorTar.api'"
            if ($LASTEXITCODE -ne 0) { throw "docker cp of /dur failed." }
            $api.Stop()
            $apis += $api.Elapsed.TotalMilliseconds
            Remove-Item -LiteralPath "$floorTar.api" -Force
            docker start $name | Out-Null
            $until = [DateTime]::UtcNow.AddSeconds(60)
            while ((docker inspect -f '{{.State.Health.Status}}' $name) -ne 'healthy' -and [DateTime]::UtcNow -lt $until) { Start-Sleep -Milliseconds 100 }
            $floors += $watch.Elapsed.TotalMilliseconds - $api.Elapsed.TotalMilliseconds
            Remove-Item -LiteralPath $floorTar -Force

            # The verbose stream says how the archive was written, how long that took, and how much later it was
            # verified and on disk (where the downtime goes).
            $output = Update-IrisApplicationImage -Name $name -Image $images[$i % 2] -BackupPath $backups -StopTimeout 15 -HealthTimeout 60 -Confirm:$false -Verbose 4>&1
            $result = $output | Where-Object { $_.PSObject.TypeNames[0] -like '*.IrisUpgradeResult' }
            if ($result.Status -ne 'Upgraded') { throw "upgrade in the bench ended $($result.Status): $($result.Message)" }
            $pattern = '(written by a helper container''s tar(?: \([^)]*\))?|received from the engine''s archive API) in ([\d.]+) s, verified and on disk ([\d.]+) s later'
            $timing = $output | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -match $pattern } | Select-Object -First 1
            if (-not ($timing -and $timing.Message -match $pattern)) { throw 'The upgrade did not report its backup times.' }
            $writer = $Matches[1]; $receives += [double]$Matches[2] * 1000; $checks += [double]$Matches[3] * 1000
            # Before the stop, not part of the downtime: the closed journal files and read-only databases copied ahead, if any.
            $aheadRecord = $output | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -match 'closed journal files and read-only databases\) copied before the stop' } | Select-Object -First 1
            $ahead = if ($aheadRecord) { ($aheadRecord.Message -replace "^[^:]*: ", "").TrimEnd(".") } else { 'nothing copied before the stop' }
            $downtimes += $result.Downtime.TotalMilliseconds
            Write-Host ("{0} GiB run {1}: floor {2:0} ms, upgrade downtime {3:0} ms (backup {7} {4:0} ms, verified and on disk {5:0} ms later; docker cp alone {6:0} ms; ahead: {8})" -f $GiB, ($i + 1), $floors[-1], $downtimes[-1], $receives[-1], $checks[-1], $apis[-1], $writer, $ahead)
            Remove-Item -LiteralPath $result.BackupPath -Recurse -Force
        }
        # The restore of a rollback (to the broken image, which never turns healthy): the restore step itself
        # (extract, then check against the manifest) against the floor of extracting the same folder's tar by
        # hand (rm -rf of the folder's content + tar xf, nothing checked), alternately.
        $restoreFloors = @(); $restores = @(); $floorSyncs = @(); $helperRemovals = @()
        $brokenImage = if ($Layout -eq 'Rewritten' -and -not $UpgradeOnly) { New-RewritingBrokenImage } else { 'irisops-standin:broken' }
        for ($i = 0; $i -lt $Runs -and -not $UpgradeOnly; $i++) {
            $until = [DateTime]::UtcNow.AddSeconds(60)
            while ((docker inspect -f '{{.State.Health.Status}}' $name) -ne 'healthy' -and [DateTime]::UtcNow -lt $until) { Start-Sleep -Milliseconds 100 }
            $floorTar = Join-Path $backups 'floor.tar'
            docker stop -t 15 $name | Out-Null
            & tar cf $floorTar -C $durable .
            if ($LASTEXITCODE -ne 0) { throw "tar cf of $durable failed." }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            & sh -c "rm -rf '$durable'/* '$durable'/.[!.]* && tar xf '$floorTar' -C '$durable'"
            if ($LASTEXITCODE -ne 0) { throw "tar xf into $durable failed." }
            $restoreFloors += $watch.Elapsed.TotalMilliseconds
            # For reference, not part of the floor: writing out what tar xf left in the page cache, which the
            # rollback pays when it removes its restore helper after the node runs again.
            $watch.Restart()
            & sync
            $floorSyncs += $watch.Elapsed.TotalMilliseconds
            Remove-Item -LiteralPath $floorTar -Force
            docker start $name | Out-Null
            $until = [DateTime]::UtcNow.AddSeconds(60)
            while ((docker inspect -f '{{.State.Health.Status}}' $name) -ne 'healthy' -and [DateTime]::UtcNow -lt $until) { Start-Sleep -Milliseconds 100 }

            $output = Update-IrisApplicationImage -Name $name -Image $brokenImage -BackupPath $backups -StopTimeout 15 -HealthTimeout 30 -Confirm:$false -Verbose -ErrorAction SilentlyContinue 4>&1
            $result = $output | Where-Object { $_.PSObject.TypeNames[0] -like '*.IrisUpgradeResult' }
            if ($result.Status -ne 'RolledBack') { throw "the rollback in the bench ended $($result.Status): $($result.Message)" }
            $timing = $output | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -match 'restored from the backup and checked in ([\d.]+) s' } | Select-Object -First 1
            if (-not ($timing -and $timing.Message -match 'restored from the backup and checked in ([\d.]+) s')) { throw 'The rollback did not report its restore time.' }
            $restores += [double]$Matches[1] * 1000
            $removal = $output | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -match "the restore's helper containers removed in ([\d.]+) s" } | Select-Object -First 1
            $helperRemovals += if ($removal -and $removal.Message -match "the restore's helper containers removed in ([\d.]+) s") { [double]$Matches[1] * 1000 } else { 0 }
            # What the restore did: how much it restored and kept, and how it was checked.
            $restoreHow = $timing.Message -replace '^.*restored from the backup and checked in [\d.]+ s \((.*)\)\.$', '$1'
            Write-Host ("{0} GiB rollback run {1}: floor (rm + tar xf) {2:0} ms (then sync {5:0} ms), restore and check {3:0} ms ({4}; helper removed after the old container was back: {6:0} ms)" -f $GiB, ($i + 1), $restoreFloors[-1], $restores[-1], $restoreHow, $floorSyncs[-1], $helperRemovals[-1])
            Remove-Item -LiteralPath $result.BackupPath -Recurse -Force
        }

        $floor = Get-Median $floors
        $downtime = Get-Median $downtimes
        $ratio = [Math]::Round($downtime / $floor, 2)
        "| Update-IrisApplicationImage, $GiB GiB in the durable directory ($shape), v1 <-> v2, median of $Runs (downtime from its result; of it, the backup: $writer $([Math]::Round((Get-Median $receives))) ms, then verified and on disk $([Math]::Round((Get-Median $checks))) ms later (a helper's archive is hashed and synced while its tar writes it); before the stop, not in the downtime: $ahead; docker cp of the same folder to a file alone: $([Math]::Round((Get-Median $apis))) ms) | $([Math]::Round($downtime)) | docker stop + tar cf of the same folder + docker start until healthy | $([Math]::Round($floor)) | $ratio | <= 1.5x: $(if ($ratio -le 1.5) { 'met' } else { 'NOT met' })$(if ($Layout -eq 'ReadOnly') { "; < 1x: $(if ($ratio -lt 1) { 'met' } else { 'NOT met' })" }) |"
        if ($UpgradeOnly) { return }
        $restoreFloor = Get-Median $restoreFloors
        $restore = Get-Median $restores
        $restoreRatio = [Math]::Round($restore / $restoreFloor, 2)
        "| Update-IrisApplicationImage to a never-healthy image, $GiB GiB: the rollback's restore step (compare the mount with the manifest, restore only what differs, check it; last run: $restoreHow; not in it: the restore's helper removed once the old container was back, $([Math]::Round((Get-Median $helperRemovals))) ms, as the engine writes the restored data to disk), median of $Runs | $([Math]::Round($restore)) | rm -rf of the folder's content + tar xf of the same folder's tar, nothing checked (its data then written to disk by sync: $([Math]::Round((Get-Median $floorSyncs))) ms, not in the floor) | $([Math]::Round($restoreFloor)) | $restoreRatio | <= 1.5x: $(if ($restoreRatio -le 1.5) { 'met' } else { 'NOT met' }) |"
    }
    finally {
        docker rm -f $name 2>&1 | Out-Null
        if ($Layout -eq 'Rewritten') { docker rmi irisops-bench:rewrites 2>&1 | Out-Null }
        docker run --rm --label irisops.test=1 --user 0 --entrypoint /bin/rm -v "${Work}:/w" irisops-standin:v1 -rf "/w/durable-$suffix" "/w/backups-$suffix" | Out-Null
    }
}
