<#
.SYNOPSIS
    Whole-process timings of IrisOps against what users would otherwise run; writes bench/results.md.
.DESCRIPTION
    Every measurement starts a new process, as a user or a scheduled script would, and runs the IrisOps
    command and its baseline alternately in the same run, so the ratio compares like with like on this
    machine. The median of several runs is reported. Called by ./build.ps1 -Task Bench.
#>
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [Parameter(Mandatory)][string] $ResultFile,
    [int] $Runs = 7
)
$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path $ModulePath).Path
Set-StrictMode -Version 3
. (Join-Path $PSScriptRoot '../build/Pwsh.ps1')
$pwsh = Get-PwshCommandLine
$work = Join-Path ([IO.Path]::GetTempPath()) ('irisops-bench-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
New-Item -ItemType Directory -Path $work | Out-Null

function Measure-Process([string] $FilePath, [string[]] $ArgumentList) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $FilePath @ArgumentList | Out-Null
    $watch.Stop()
    if ($LASTEXITCODE -ne 0) { throw "$FilePath $($ArgumentList -join ' ') failed with exit code $LASTEXITCODE." }
    return $watch.Elapsed.TotalMilliseconds
}

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $middle = [int][Math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$middle] }
    return ($sorted[$middle - 1] + $sorted[$middle]) / 2
}

# Each case: a name, the IrisOps command, the baseline command, and what the goal is.
$pwshArgs = @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command')
$apps = (1..8 | ForEach-Object { "app-server-$_" }) -join ','
$cases = @(
    [pscustomobject]@{
        Name     = 'Certificate set: 1 CA + 1 data server + 8 application servers, RSA-2048'
        IrisOps  = @($pwsh[0], ($pwshArgs + "Import-Module '$ModulePath'; New-IrisCertificateSet -Path '$work/irisops' -DataServer data-server -ApplicationServer $apps -Force | Out-Null"))
        Baseline = @('sh', @((Join-Path $PSScriptRoot 'openssl-certificate-set.sh'), "$work/openssl", '8'))
        BaselineName = 'openssl sequence of seed 001 (30 processes)'
        Goal     = 1.0
    }
    [pscustomobject]@{
        Name     = 'Module import'
        IrisOps  = @($pwsh[0], ($pwshArgs + "Import-Module '$ModulePath'"))
        Baseline = @($pwsh[0], ($pwshArgs + 'exit 0'))
        BaselineName = 'bare pwsh start'
        Goal     = $null
    }
)

$rows = foreach ($case in $cases) {
    Write-Host "Measuring: $($case.Name)"
    # One warm-up each, so the first-run disk cache does not decide the result.
    $null = Measure-Process $case.IrisOps[0] $case.IrisOps[1]
    $null = Measure-Process $case.Baseline[0] $case.Baseline[1]
    $ours = @(); $theirs = @()
    for ($i = 0; $i -lt $Runs; $i++) {
        $ours += Measure-Process $case.IrisOps[0] $case.IrisOps[1]
        $theirs += Measure-Process $case.Baseline[0] $case.Baseline[1]
    }
    $oursMedian = Get-Median $ours
    $theirsMedian = Get-Median $theirs
    $ratio = $oursMedian / $theirsMedian
    [pscustomobject]@{
        Case      = $case.Name
        IrisOpsMs = [Math]::Round($oursMedian)
        Baseline  = $case.BaselineName
        BaselineMs = [Math]::Round($theirsMedian)
        Ratio     = [Math]::Round($ratio, 2)
        Goal      = if ($null -ne $case.Goal) { "<= $($case.Goal)x: $(if ($ratio -le $case.Goal) { 'met' } else { 'NOT met' })" } else { "adds $([Math]::Round($oursMedian - $theirsMedian)) ms" }
    }
}

# In-process time of the certificate set, warm: the part IrisOps itself controls.
Import-Module $ModulePath
$null = New-IrisCertificateSet -Path "$work/warm" -DataServer data-server -ApplicationServer ($apps -split ',') -Force
$warm = @(for ($i = 0; $i -lt $Runs; $i++) {
    (Measure-Command { New-IrisCertificateSet -Path "$work/warm" -DataServer data-server -ApplicationServer ($apps -split ',') -Force }).TotalMilliseconds
})
$warmMedian = [Math]::Round((Get-Median $warm))

# CPF: import + export of a 10,000-line file, warm, in the engine and through the cmdlets.
$cpfLines = [Collections.Generic.List[string]]::new()
$cpfLines.Add('# IrisOps bench: a large merge file')
for ($section = 0; $cpfLines.Count -lt 5000; $section++) {
    $cpfLines.Add("[Map.NS$section]")
    for ($i = 0; $i -lt 49; $i++) { $cpfLines.Add("Global_Ns$section.G$i=DATA$section") }
}
$cpfLines.Add('[Actions]')
while ($cpfLines.Count -lt 10000) {
    $n = $cpfLines.Count
    $cpfLines.Add("CreateMapGlobal:Namespace=APP,Name=Bench.G$n,Database=APPDATA")
}
$cpfFile = Join-Path $work 'large.cpf'
[IO.File]::WriteAllLines($cpfFile, $cpfLines)
$cpfText = [IO.File]::ReadAllText($cpfFile)
# The engine types live in the module's own load context, so they are reached through it rather than by name.
$coreAssembly = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command Import-IrisCpf).ImplementingType.Assembly).Assemblies |
    Where-Object { $_.GetName().Name -eq 'IrisOps.Core' }
$parser = $coreAssembly.GetType('IrisOps.Core.Cpf.CpfParser')
$writer = $coreAssembly.GetType('IrisOps.Core.Cpf.CpfWriter')
$null = $writer::Write($parser::Parse($cpfText, $cpfFile, $null), $null)
$engineCpf = @(for ($i = 0; $i -lt $Runs; $i++) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $null = $writer::Write($parser::Parse($cpfText, $cpfFile, $null), $null)
    $watch.Elapsed.TotalMilliseconds
})
$cpfOut = Join-Path $work 'large-out.cpf'
Import-IrisCpf -Path $cpfFile | Export-IrisMergeCpf -Path $cpfOut
$cmdletCpf = @(for ($i = 0; $i -lt $Runs; $i++) {
    (Measure-Command { Import-IrisCpf -Path $cpfFile | Export-IrisMergeCpf -Path $cpfOut }).TotalMilliseconds
})
$engineCpfMedian = [Math]::Round((Get-Median $engineCpf), 1)
$cmdletCpfMedian = [Math]::Round((Get-Median $cmdletCpf), 1)
Write-Host "CPF 10,000 lines, import + export, warm: engine $engineCpfMedian ms, cmdlets $cmdletCpfMedian ms"

# ECP cluster bring-up, 1 data + 8 application servers on the stand-in image, to all-healthy.
. (Join-Path $PSScriptRoot '../tests/pester/StandIn.ps1')
$clusterRows = @(); $clusterFloorNote = $null
$dockerState = Get-DockerTestState
if ($dockerState.Available) {
    $null = Initialize-StandInImage
    $license = Join-Path $work 'iris.key'
    Set-Content -Path $license -Value 'bench license (stand-in)'
    $composeProject = Join-Path $work 'compose'
    New-IrisEcpCluster -Name benchc -Image irisops-standin:v1 -ApplicationServerCount 8 -LicenseKeyPath $license -OutputPath $composeProject | Out-Null
    function Wait-AllHealthy([string] $Cluster, [int] $Count) {
        $deadline = [DateTime]::UtcNow.AddMinutes(3)
        while ([DateTime]::UtcNow -lt $deadline) {
            $healthy = @(docker ps --filter "label=irisops.cluster=$Cluster" --filter 'health=healthy' --format '{{.Names}}').Count
            if ($healthy -ge $Count) { return }
            Start-Sleep -Milliseconds 200
        }
        throw "cluster $Cluster did not become healthy within 3 minutes"
    }
    $newCluster = "Import-Module '$ModulePath'; New-IrisEcpCluster -Name benchi -Image irisops-standin:v1 -ApplicationServerCount 8 -LicenseKeyPath '$license' -ClusterPath '$work/benchi' -HealthTimeout 180 | Out-Null"
    # One unmeasured run creates the cluster folder and its certificate set, as -OutputPath did for compose.
    $null = Measure-Process $pwsh[0] ($pwshArgs + $newCluster)
    Remove-IrisEcpCluster -Name benchi -StopTimeout 10 -Confirm:$false
    docker volume ls -q --filter label=irisops.cluster=benchi | ForEach-Object { docker volume rm $_ } | Out-Null
    $ours = @(); $composeUp = @(); $composeHealthy = @()
    $clusterRuns = [Math]::Max(2, [Math]::Min($Runs, 3))
    for ($i = 0; $i -lt $clusterRuns; $i++) {
        $ours += Measure-Process $pwsh[0] ($pwshArgs + $newCluster)
        # Like the compose project, the next run starts with the cluster's files (certificates) in place and
        # fresh durable volumes.
        Remove-IrisEcpCluster -Name benchi -StopTimeout 10 -Confirm:$false
        docker volume ls -q --filter label=irisops.cluster=benchi | ForEach-Object { docker volume rm $_ } | Out-Null
        Push-Location $composeProject
        try {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            docker-compose -p benchc up -d 2>&1 | Out-Null
            if ($LASTEXITCODE -ne 0) { throw 'docker-compose up -d failed' }
            $composeUp += $watch.Elapsed.TotalMilliseconds
            Wait-AllHealthy -Cluster benchc -Count 9
            $composeHealthy += $watch.Elapsed.TotalMilliseconds
            docker-compose -p benchc down -v -t 10 2>&1 | Out-Null
        }
        finally { Pop-Location }
    }
    # Where the floor is: the same cluster created in this (warm) session, and then only the engine's own work.
    # For the floor, the 9 containers of that cluster are stopped cleanly and started again by 9 concurrent
    # API calls, with IrisOps.Core's engine client, until all are healthy: no process start, no planning, no
    # network, volume, ownership or container creation. No client of this engine can be faster than that.
    # $coreAssembly is the module's IrisOps.Core, found for the CPF measurements above.
    $engine = $coreAssembly.GetType('IrisOps.Core.Docker.DockerEngineFactory')::Create($null, $null, $null)
    $healthWaiter = [Activator]::CreateInstance($coreAssembly.GetType('IrisOps.Core.Common.ContainerHealthWaiter'), @($engine, $null))
    $none = [Threading.CancellationToken]::None
    $warmCluster = @(); $engineFloor = @()
    for ($i = 0; $i -lt $clusterRuns; $i++) {
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $cluster = New-IrisEcpCluster -Name benchi -Image irisops-standin:v1 -ApplicationServerCount 8 -LicenseKeyPath $license -ClusterPath "$work/benchi" -HealthTimeout 180
        $warmCluster += $watch.Elapsed.TotalMilliseconds
        $names = @($cluster.DataServer.Name) + @($cluster.ApplicationServers | ForEach-Object Name)
        [Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]]@($names | ForEach-Object { $engine.StopContainerAsync($_, [TimeSpan]::FromSeconds(10), $none) }))
        $watch = [Diagnostics.Stopwatch]::StartNew()
        [Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]]@($names | ForEach-Object { $engine.StartContainerAsync($_, $none) }))
        $waits = @($names | ForEach-Object { $healthWaiter.WaitAsync($_, [TimeSpan]::FromMinutes(3), $none, $null) })
        [Threading.Tasks.Task]::WaitAll([Threading.Tasks.Task[]]$waits)
        $engineFloor += $watch.Elapsed.TotalMilliseconds
        if (@($waits | Where-Object { -not $_.Result.IsHealthy }).Count) { throw 'engine floor: a node did not become healthy again' }
        Remove-IrisEcpCluster -Name benchi -StopTimeout 10 -Confirm:$false
        docker volume ls -q --filter label=irisops.cluster=benchi | ForEach-Object { docker volume rm $_ } | Out-Null
    }
    $oursMedian = Get-Median $ours
    $composeHealthyMedian = Get-Median $composeHealthy
    $composeUpMedian = Get-Median $composeUp
    $clusterRatio = $oursMedian / $composeHealthyMedian
    $clusterRows += "| New-IrisEcpCluster 1 + 8 to all-healthy (whole process, pwsh start and import included) | $([Math]::Round($oursMedian)) | docker-compose up -d of the same project, then polling until all 9 are healthy | $([Math]::Round($composeHealthyMedian)) | $([Math]::Round($clusterRatio, 2)) | <= 0.6x: $(if ($clusterRatio -le 0.6) { 'met' } else { 'NOT met' }) |"
    $warmClusterMedian = Get-Median $warmCluster
    $engineFloorMedian = Get-Median $engineFloor
    $bareStart = ($rows | Where-Object Case -eq 'Module import').BaselineMs
    $clusterRows += "| New-IrisEcpCluster 1 + 8 to all-healthy in an already-running session (module loaded) | $([Math]::Round($warmClusterMedian)) | the same compose run | $([Math]::Round($composeHealthyMedian)) | $([Math]::Round($warmClusterMedian / $composeHealthyMedian, 2)) | |"
    $clusterRows += "| Engine floor: the same 9 containers, already created, started by 9 concurrent API calls until all are healthy (no process, no planning, no creation) | $([Math]::Round($engineFloorMedian)) | the same compose run | $([Math]::Round($composeHealthyMedian)) | $([Math]::Round($engineFloorMedian / $composeHealthyMedian, 2)) | |"
    $clusterFloorNote = "The goal of 0.6x is $([Math]::Round(0.6 * $composeHealthyMedian)) ms here. The engine alone needs $([Math]::Round($engineFloorMedian)) ms to start the 9 existing containers and see them healthy (the stand-in's health check runs 1 s after each start, and the engine starts containers about 0.2 s apart on 2 cores); a bare pwsh start adds $bareStart ms, so together they are $([Math]::Round(($engineFloorMedian + $bareStart) / $composeHealthyMedian, 2))x compose before IrisOps does any work of its own."
    $clusterRows += "| (for reference) the same, against docker-compose up -d returning alone | $([Math]::Round($oursMedian)) | docker-compose up -d (returns before the application servers are healthy) | $([Math]::Round($composeUpMedian)) | $([Math]::Round($oursMedian / $composeUpMedian, 2)) | |"
    Write-Host "ECP 1+8 bring-up: IrisOps $([Math]::Round($oursMedian)) ms, compose to healthy $([Math]::Round($composeHealthyMedian)) ms, compose up -d alone $([Math]::Round($composeUpMedian)) ms"
}
else {
    $clusterRows += "| ECP cluster bring-up | not measured: $($dockerState.Reason) | | | | |"
}

# Upgrade: per-node downtime of Update-IrisApplicationImage against the stand-in's own stop + start.
$upgradeRows = @()
if ($dockerState.Available) {
    $null = Initialize-StandInImage
    $upgradeLicense = Join-Path $work 'upgrade-iris.key'
    Set-Content -Path $upgradeLicense -Value 'bench license (stand-in)'
    try {
        $cluster = New-IrisEcpCluster -Name benchu -Image irisops-standin:v1 -ApplicationServerCount 1 -LicenseKeyPath $upgradeLicense -ClusterPath "$work/benchu" -StopTimeout 15 -HealthTimeout 60
        $node = $cluster.ApplicationServers[0].Name
        $engineTimes = @(); $downtimes = @(); $images = 'irisops-standin:v2', 'irisops-standin:v1'
        for ($i = 0; $i -lt [Math]::Max(2, [Math]::Min($Runs, 4)); $i++) {
            # What the engine itself needs: a clean stop, a start, and the health check passing again.
            $watch = [Diagnostics.Stopwatch]::StartNew()
            docker stop -t 15 $node | Out-Null
            docker start $node | Out-Null
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((docker inspect -f '{{.State.Health.Status}}' $node) -ne 'healthy' -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
            $engineTimes += $watch.Elapsed.TotalMilliseconds
            $result = Update-IrisApplicationImage -Name $node -Image $images[$i % 2] -BackupPath "$work/upgrade-backups" -StopTimeout 15 -HealthTimeout 60 -Confirm:$false
            if ($result.Status -ne 'Upgraded') { throw "upgrade in the bench ended $($result.Status): $($result.Message)" }
            $downtimes += $result.Downtime.TotalMilliseconds
        }
        $engineMedian = Get-Median $engineTimes
        $downtimeMedian = Get-Median $downtimes
        $added = $downtimeMedian - $engineMedian
        $upgradeRows += "| Update-IrisApplicationImage, one application server, v1 <-> v2 (downtime from its result: stop, backup, new container, healthy) | $([Math]::Round($downtimeMedian)) | docker stop + docker start + healthy again | $([Math]::Round($engineMedian)) | $([Math]::Round($downtimeMedian / $engineMedian, 2)) | adds $([Math]::Round($added)) ms; < 1000 ms: $(if ($added -lt 1000) { 'met' } else { 'NOT met' }) |"
        Write-Host "Upgrade downtime: IrisOps $([Math]::Round($downtimeMedian)) ms, engine stop + start $([Math]::Round($engineMedian)) ms"
    }
    finally { Remove-IrisEcpCluster -Name benchu -RemoveData -StopTimeout 10 -Confirm:$false -ErrorAction SilentlyContinue }
}
else {
    $upgradeRows += "| Upgrade downtime | not measured: $($dockerState.Reason) | | | | |"
}

# Upgrade with data: 2 GiB (and 8 GiB when the disk has room for the data, its backup and the tar of the floor).
$dataRows = @()
if ($dockerState.Available) {
    . (Join-Path $PSScriptRoot 'UpgradeDataBench.ps1')
    $dataRows += Measure-UpgradeWithData -Work $work -GiB 2 -Runs 3
    # The same size laid out so most of it can be copied before the stop (a read-only database, closed journal files).
    $dataRows += Measure-UpgradeWithData -Work $work -GiB 2 -Runs 3 -Layout ReadOnly -UpgradeOnly
    # The full restore (a backup the differential restore does not handle: empty, extract all, check all).
    $dataRows += Measure-UpgradeWithData -Work $work -GiB 2 -Runs 3 -Layout HardLink
    # The other worst case: a failed upgrade that rewrote over half of the bytes (a block of every database file).
    $dataRows += Measure-UpgradeWithData -Work $work -GiB 2 -Runs 3 -Layout Rewritten
    $freeGiB = [Math]::Floor((Get-PSDrive -PSProvider FileSystem | Where-Object { $work.StartsWith($_.Root) } | Sort-Object { $_.Root.Length } | Select-Object -Last 1).Free / 1GB)
    if ($freeGiB -ge 40) { $dataRows += Measure-UpgradeWithData -Work $work -GiB 8 -Runs 2 }
    else { $dataRows += "| Update-IrisApplicationImage, 8 GiB | not measured: $freeGiB GiB free, 40 GiB wanted | | | | |" }
}
else {
    $dataRows += "| Upgrade downtime with data | not measured: $($dockerState.Reason) | | | | |"
}

# Default settings: 1,000 rows applied to one stand-in container in one call, which is one iris session.
$settingsRows = @()
if ($dockerState.Available) {
    $runId = New-TestRunId
    $container = Start-TestContainer -RunId $runId -Image 'irisops-standin:v1' -Name "irisops-bench-settings-$runId"
    try {
        $null = Wait-ContainerHealth -Name $container -TimeoutSeconds 60
        $b64 = { param([string] $Text) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Text)) }
        # The stand-in runs no ObjectScript: it records the script and prints this reply, what IRIS would print.
        $reply = [Collections.Generic.List[string]]::new()
        $reply.Add('IRISOPS|BEGIN|1|USER')
        for ($n = 1; $n -le 1000; $n++) { $reply.Add("IRISOPS|R|$n|Added|0||$(& $b64 "value-$n")||0|") }
        $reply.Add('IRISOPS|END|COMMITTED|1000|')
        $null = Invoke-ContainerCommand -Name $container -Command 'sh', '-c', 'mkdir -p /usr/irissys/standin && cat > /usr/irissys/standin/reply' -InputText (($reply -join "`n") + "`n") -TimeoutSeconds 60
        $csv = Join-Path $work 'settings.csv'
        1..1000 | ForEach-Object { [pscustomobject]@{ ProductionName = 'APP.Production'; ItemName = "Item$_"; HostClassName = '*'; SettingName = 'Port'; SettingValue = "value-$_" } } | Export-Csv -Path $csv -NoTypeInformation
        $apply = "Import-Module '$ModulePath'; `$r = @(Import-Csv '$csv' | Set-IrisDefaultSetting -Container '$container' -Confirm:`$false); if (`$r.Count -ne 1000) { exit 1 }"
        $null = Measure-Process $pwsh[0] ($pwshArgs + $apply)
        $settingsTimes = @(for ($i = 0; $i -lt [Math]::Min($Runs, 5); $i++) { Measure-Process $pwsh[0] ($pwshArgs + $apply) })
        $sessions = (Invoke-ContainerCommand -Name $container -Command 'sh', '-c', 'grep -c "^=== " /usr/irissys/standin/session.log' -TimeoutSeconds 30).Output.Trim()
        $settingsRows += "| 1,000 rows from a CSV, Set-IrisDefaultSetting -Container, whole process (pwsh start and import included) | $([Math]::Round((Get-Median $settingsTimes))) | one iris session per call ($sessions sessions recorded for $(1 + $settingsTimes.Count) calls) |"
        Write-Host "Default settings, 1,000 rows in one call: $([Math]::Round((Get-Median $settingsTimes))) ms"
    }
    finally { Remove-TestResources -RunId $runId }
}
else {
    $settingsRows += "| 1,000 rows | not measured: $($dockerState.Reason) | |"
}
# Sandboxes: 20 from one pipeline against a docker run loop; the reaper over 100 sandboxes with 50 expired.
$sandboxRows = @()
if ($dockerState.Available) {
    . (Join-Path $PSScriptRoot 'SandboxBench.ps1')
    $sandboxRows += Measure-Sandboxes -Pwsh $pwsh -ModulePath $ModulePath -Work $work
}
else {
    $sandboxRows += "| Sandboxes | not measured: $($dockerState.Reason) | | | | |"
}
if ($dockerState.Available) { Remove-IrisEcpCluster -Name benchi -RemoveData -StopTimeout 10 -Confirm:$false -ErrorAction SilentlyContinue }
Remove-Item $work -Recurse -Force

$rows | Format-Table -AutoSize | Out-String | Write-Host
Write-Host "New-IrisCertificateSet in a warm session (median of $Runs): $warmMedian ms"

$lines = @(
    '# IrisOps benchmark results'
    ''
    "Written by ``./build.ps1 -Task Bench`` on $(Get-Date -Format 'yyyy-MM-dd HH:mm') UTC; $([Environment]::ProcessorCount) cores, $([Runtime.InteropServices.RuntimeInformation]::OSDescription), PowerShell $($PSVersionTable.PSVersion), $((& openssl version) -join ' ')."
    "Whole processes, median of $Runs runs after one warm-up, IrisOps and baseline alternating in the same run. Ratio = IrisOps / baseline."
    ''
    '| Case | IrisOps (ms) | Baseline | Baseline (ms) | Ratio | Goal |'
    '|---|---:|---|---:|---:|---|'
)
$lines += foreach ($row in $rows) { "| $($row.Case) | $($row.IrisOpsMs) | $($row.Baseline) | $($row.BaselineMs) | $($row.Ratio) | $($row.Goal) |" }
$lines += ''
$lines += "New-IrisCertificateSet for the same set inside an already-running session (module loaded, median of $Runs): $warmMedian ms."
$lines += 'The whole-process IrisOps time includes starting PowerShell and importing the module (see the module import row).'
$lines += ''
$lines += '## CPF: import + export of a 10,000-line file (warm, in one session)'
$lines += ''
$lines += '| Path | Median (ms) | Goal |'
$lines += '|---|---:|---|'
$lines += "| Engine: CpfParser.Parse + CpfWriter.Write | $engineCpfMedian | < 100 ms: $(if ($engineCpfMedian -lt 100) { 'met' } else { 'NOT met' }) |"
$lines += "| Cmdlets: Import-IrisCpf \| Export-IrisMergeCpf -Path | $cmdletCpfMedian | < 500 ms: $(if ($cmdletCpfMedian -lt 500) { 'met' } else { 'NOT met' }) |"
$lines += ''
$lines += '## ECP cluster bring-up on the stand-in image (not IRIS), 1 data server + 8 application servers'
$lines += ''
$lines += '| Case | IrisOps (ms) | Baseline | Baseline (ms) | Ratio | Goal |'
$lines += '|---|---:|---|---:|---:|---|'
$lines += $clusterRows
if ($clusterFloorNote) { $lines += ''; $lines += $clusterFloorNote }
$lines += ''
$lines += '## Image upgrade on the stand-in image (not IRIS): per-node downtime'
$lines += ''
$lines += '| Case | IrisOps (ms) | Baseline | Baseline (ms) | Ratio | Goal |'
$lines += '|---|---:|---|---:|---:|---|'
$lines += $upgradeRows
$lines += ''
$lines += '## Image upgrade with data in the durable directory (stand-in image, not IRIS): per-node downtime against the floor'
$lines += ''
$lines += '| Case | IrisOps (ms) | Baseline | Baseline (ms) | Ratio | Goal |'
$lines += '|---|---:|---|---:|---:|---|'
$lines += $dataRows
$lines += ''
$lines += '## Default settings: 1,000 rows applied to one stand-in container in one call'
$lines += ''
$lines += '| Case | Median (ms) | Sessions |'
$lines += '|---|---:|---|'
$lines += $settingsRows
$lines += ''
$lines += '## Sandboxes on the stand-in image (not IRIS)'
$lines += ''
$lines += '| Case | IrisOps (ms) | Baseline | Baseline (ms) | Ratio | Goal |'
$lines += '|---|---:|---|---:|---:|---|'
$lines += $sandboxRows
Set-Content -Path $ResultFile -Value $lines -Encoding utf8
Write-Host "Wrote $ResultFile"
