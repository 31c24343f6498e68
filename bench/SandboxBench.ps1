# Sandbox timings on the stand-in image (not IRIS): 20 sandboxes created in one pipeline against 20 `docker run`
# calls in a shell loop in the same run, and examples/sandbox-reaper.ps1 over 100 sandboxes of which 50 have
# expired. Dot-sourced by Invoke-Bench.ps1 (the module and the stand-in image are loaded/built by the caller).
# Every object carries irisops.test=1 and this run's irisops.test.run label, and is removed at the end.

# Whole process: pwsh start, import, 20 rows through New-IrisSandbox (4 at a time), every sandbox healthy.
function Measure-SandboxPipeline([string[]] $Pwsh, [string] $ModulePath, [string] $RunId, [string] $Prefix) {
    $script = "Import-Module '$ModulePath'; `$made = @(1..20 | ForEach-Object { '$Prefix-' + `$_ } | New-IrisSandbox -Image irisops-standin:v1 -Label @{ 'irisops.test' = '1'; 'irisops.test.run' = '$RunId' } -HealthTimeout 120); if (`$made.Count -ne 20) { exit 1 }"
    $arguments = @($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $script)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $Pwsh[0] @arguments | Out-Null
    $watch.Stop()
    if ($LASTEXITCODE -ne 0) { throw "New-IrisSandbox of 20 sandboxes failed with exit code $LASTEXITCODE." }
    $watch.Elapsed.TotalMilliseconds
}

# What an administrator's script does by hand: per sandbox a network and a docker run with both ports on
# 127.0.0.1, in a shell loop, then polling until all 20 are healthy (what New-IrisSandbox returns).
function Measure-DockerRunLoop([string] $RunId, [string] $Prefix) {
    $loop = @"
set -e
for i in `$(seq 1 20); do
  docker network create --label irisops.test=1 --label irisops.test.run=$RunId $Prefix-`$i-net >/dev/null
  docker run -d --name $Prefix-`$i --network $Prefix-`$i-net --label irisops.test=1 --label irisops.test.run=$RunId -p 127.0.0.1::1972 -p 127.0.0.1::52773 irisops-standin:v1 >/dev/null
done
for t in `$(seq 1 600); do
  n=`$(docker inspect --format '{{.State.Health.Status}}' `$(seq -f '$Prefix-%g' 1 20) | grep -c '^healthy$' || true)
  [ "`$n" -eq 20 ] && exit 0
  sleep 0.2
done
exit 1
"@
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $loop | sh -s | Out-Null
    $watch.Stop()
    if ($LASTEXITCODE -ne 0) { throw 'The docker run loop did not bring 20 containers to healthy.' }
    $watch.Elapsed.TotalMilliseconds
}

# Rows for bench/results.md: the pipeline against the loop (alternating, median of $Runs each), then the reaper.
function Measure-Sandboxes([string[]] $Pwsh, [string] $ModulePath, [string] $Work, [int] $Runs = 2) {
    $runId = New-TestRunId
    $rows = @()
    try {
        $pipeline = @(); $loop = @()
        for ($i = 1; $i -le $Runs; $i++) {
            $pipeline += Measure-SandboxPipeline -Pwsh $Pwsh -ModulePath $ModulePath -RunId $runId -Prefix "$runId-p$i"
            Remove-TestResources -RunId $runId
            $loop += Measure-DockerRunLoop -RunId $runId -Prefix "$runId-l$i"
            Remove-TestResources -RunId $runId
        }
        $irisops = [Math]::Round((Get-Median $pipeline)); $baseline = [Math]::Round((Get-Median $loop))
        $rows += "| 20 sandboxes from one pipeline (New-IrisSandbox, 4 at a time, each on its own network, 2 ports on 127.0.0.1, until all are healthy), whole process, median of $Runs | $irisops | 20 x (docker network create + docker run -d) in a shell loop, then polling until all are healthy | $baseline | $([Math]::Round($irisops / $baseline, 2)) | none set |"
        Write-Host "20 sandboxes: $irisops ms; docker run loop: $baseline ms"

        # 100 sandboxes (8 at a time): 50 live 1 hour (25 stop on expiry, 25 are removed), 50 live 5 hours.
        $label = @{ 'irisops.test' = '1'; 'irisops.test.run' = $runId }
        $common = @{ Image = 'irisops-standin:v1'; Label = $label; ThrottleLimit = 8; HealthTimeout = 300 }
        $created = [datetime]::UtcNow
        1..25 | ForEach-Object { "$runId-s$_" } | New-IrisSandbox @common -Template @{ Name = 'bench-stop'; Lifetime = '01:00:00'; OnExpiry = 'Stop' } | Out-Null
        1..25 | ForEach-Object { "$runId-r$_" } | New-IrisSandbox @common -Template @{ Name = 'bench-remove'; Lifetime = '01:00:00'; OnExpiry = 'Remove' } | Out-Null
        1..50 | ForEach-Object { "$runId-l$_" } | New-IrisSandbox @common -Lifetime 05:00:00 | Out-Null
        $env:IRISOPS_TEST_CLOCK_UTC = $created.AddHours(2).ToString('o')
        try {
            $reaper = Join-Path $PSScriptRoot '../examples/sandbox-reaper.ps1'
            $arguments = @($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $reaper, '-LogPath', (Join-Path $Work 'reaper'), '-StopTimeout', '10', '-ModulePath', $ModulePath)
            $watch = [Diagnostics.Stopwatch]::StartNew()
            & $Pwsh[0] @arguments | Out-Null
            $watch.Stop()
            if ($LASTEXITCODE -ne 0) { throw "The reaper failed with exit code $LASTEXITCODE." }
            $first = [Math]::Round($watch.Elapsed.TotalMilliseconds)
            $watch.Restart()
            & $Pwsh[0] @arguments | Out-Null
            $watch.Stop()
            $second = [Math]::Round($watch.Elapsed.TotalMilliseconds)
        }
        finally { Remove-Item Env:IRISOPS_TEST_CLOCK_UTC -ErrorAction SilentlyContinue }
        $left = @(Get-IrisSandbox | Where-Object { $_.Owner -like "$runId-*" })
        $stopped = @($left | Where-Object Status -eq 'exited').Count
        $rows += "| sandbox-reaper.ps1 over 100 sandboxes, 50 expired (25 stopped, 25 removed), whole process | $first | (no baseline) | | | leaves $($left.Count) sandboxes, $stopped stopped |"
        $rows += "| the same reaper run again at once (75 sandboxes, 25 expired and already stopped: nothing to do) | $second | (no baseline) | | | |"
        Write-Host "Reaper over 100 sandboxes, 50 expired: $first ms; again: $second ms"
    }
    finally { Remove-TestResources -RunId $runId }
    $rows
}
