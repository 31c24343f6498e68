<#
.SYNOPSIS
    Builds, tests, benchmarks and packages IrisOps.
.DESCRIPTION
    Run it with the pinned PowerShell: dotnet tool restore; dotnet pwsh ./build.ps1 -Task <task>.
      Build    out/IrisOps: the module with its net8.0 (PowerShell 7.4+) and net472 (Windows PowerShell 5.1)
               builds, private dependency folders, format data and help.
      Test     Build, then the xunit projects (tests/IrisOps.Core.Tests for the engine, tests/IrisOps.Tests for
               the cmdlet assembly) on net10.0, their net472 builds under Mono (TestNetFramework) and the Pester
               suite; ends with one line 'N passed, N failed' over all of them and a non-zero exit code when
               anything failed.
      TestNetFramework
               The xunit projects' net472 builds (what Windows PowerShell 5.1 loads) run under Mono with
               the xunit console runner; tests Mono cannot run are reported as skipped with the reason. Needs
               mono (Debian: apt-get install mono-complete; .ci/run installs it). Ends with 'N passed, N failed'.
      Bench    Build, then whole-process timings against the tools users would otherwise use;
               prints a table and writes bench/results.md.
      Package  Build, then out/package/IrisOps.<version>.nupkg, installable with Install-PSResource
               from a local folder repository.
      StandIn  The irisops-standin:v1, :v2 and :broken test images (tests/fixtures/iris-standin: a stand-in for
               the IRIS container contract, NOT InterSystems IRIS), built FROM scratch with the local static
               busybox; needs a Docker engine. Test builds them too, only when missing or changed.
      Clean    Removes out/ and every bin/ and obj/ folder.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'TestNetFramework', 'Bench', 'Package', 'StandIn', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',

    # Bench and Package normally build first; -NoBuild reuses out/IrisOps as it is (the tests use it).
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'IrisOps'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'
. (Join-Path $Root 'build/Pwsh.ps1')
. (Join-Path $Root 'build/StandInImage.ps1')

function Invoke-Native {
    param([Parameter(Mandatory)][string] $FilePath, [string[]] $ArgumentList = @())
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "'$FilePath $($ArgumentList -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Get-NuGetPackageFolder {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list | Select-Object -Last 1
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Invoke-Build {
    Write-Host '== Build' -ForegroundColor Cyan
    $publish = Join-Path $Root 'obj/publish'
    if (Test-Path $publish) { Remove-Item $publish -Recurse -Force }
    foreach ($framework in 'net8.0', 'net472') {
        Invoke-Native dotnet @('publish', (Join-Path $Root 'src/IrisOps/IrisOps.csproj'), '-c', $Configuration, '-f', $framework, '-o', (Join-Path $publish $framework), '--nologo', '-v', 'quiet')
    }
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/IrisOps.LoadContext/IrisOps.LoadContext.csproj'), '-c', $Configuration, '-o', (Join-Path $publish 'loadcontext'), '--nologo', '-v', 'quiet')

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $core = Join-Path $ModuleOut 'bin/net8.0'
    $desktop = Join-Path $ModuleOut 'bin/net472'
    New-Item -ItemType Directory -Force -Path (Join-Path $core 'lib'), (Join-Path $desktop 'lib'), (Join-Path $ModuleOut 'en-US') | Out-Null

    Copy-Item (Join-Path $Root 'IrisOps.psd1') $ModuleOut
    Copy-Item (Join-Path $Root 'module/IrisOps.psm1'), (Join-Path $Root 'module/IrisOps.Format.ps1xml') $ModuleOut
    Copy-Item (Join-Path $Root 'module/en-US/*') (Join-Path $ModuleOut 'en-US')

    # PowerShell 7: only the loader sits in bin/net8.0; everything else is private to the load context.
    Copy-Item (Join-Path $publish 'loadcontext/IrisOps.LoadContext.dll') $core
    Get-ChildItem (Join-Path $publish 'net8.0') -File | Where-Object Extension -in '.dll', '.pdb' | Copy-Item -Destination (Join-Path $core 'lib')
    # Windows PowerShell 5.1: IrisOps.dll imports directly; its resolver serves the rest from lib.
    Get-ChildItem (Join-Path $publish 'net472') -File | Where-Object Extension -in '.dll', '.pdb' | ForEach-Object {
        $target = if ($_.BaseName -eq 'IrisOps') { $desktop } else { Join-Path $desktop 'lib' }
        Copy-Item $_.FullName $target
    }

    $helpFiles = @(
        (Join-Path $ModuleOut 'en-US/IrisOps.dll-Help.xml'),
        (Join-Path $core 'lib/en-US/IrisOps.dll-Help.xml'),
        (Join-Path $desktop 'en-US/IrisOps.dll-Help.xml')
    )
    $code = Invoke-ChildPwsh -ArgumentList @('-File', (Join-Path $Root 'build/New-HelpFile.ps1'), '-ModulePath', $ModuleOut, '-HelpSource', (Join-Path $Root 'module/help'), '-OutputFile', ($helpFiles -join [IO.Path]::PathSeparator))
    if ($code -ne 0) { throw 'Writing the help file failed (see above).' }

    $manifest = Test-ModuleManifest (Join-Path $ModuleOut 'IrisOps.psd1')
    Write-Host "Built $($manifest.Name) $($manifest.Version) in $ModuleOut"
}

function Read-TrxCounts([string] $Path) {
    if (-not (Test-Path $Path)) { return $null }
    [xml] $trx = Get-Content -Raw $Path
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted; Skipped = [int]$counters.notExecuted }
}

# Reads an xunit v2 XML report (xunit console runner -xml).
function Read-XunitXmlCounts([string] $Path) {
    if (-not (Test-Path $Path)) { return $null }
    [xml] $report = Get-Content -Raw $Path
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($assembly in $report.assemblies.assembly) {
        # GetAttribute: <assembly> also has an <errors> child element, which dot-notation would return as well.
        $passed += [int]$assembly.GetAttribute('passed'); $skipped += [int]$assembly.GetAttribute('skipped')
        $failed += [int]$assembly.GetAttribute('failed') + [int]$assembly.GetAttribute('errors')
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

# Adds up the runs, prints one line per run and the final 'N passed, N failed'; exits 1 when anything failed.
function Write-TestSummary([object[]] $Runs) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($run in $Runs) {
        if ($null -eq $run.Counts) {
            Write-Host "$($run.Name) produced no results (exit code $($run.Exit)); counted as one failure." -ForegroundColor Red
            $failed++
            continue
        }
        Write-Host ("{0}: {1} passed, {2} failed, {3} skipped" -f $run.Name, $run.Counts.Passed, $run.Counts.Failed, $run.Counts.Skipped)
        $passed += $run.Counts.Passed; $failed += $run.Counts.Failed; $skipped += $run.Counts.Skipped
        if ($run.Exit -ne 0 -and $run.Counts.Failed -eq 0) {
            Write-Host "$($run.Name) exited with code $($run.Exit) without a failed test; counted as one failure." -ForegroundColor Red
            $failed++
        }
    }
    if ($passed -eq 0) { Write-Host 'No test passed; counted as one failure.' -ForegroundColor Red; $failed++ }

    # The skipped count goes on the line before, so the last line is exactly 'N passed, N failed'.
    if ($skipped) { Write-Host "$skipped skipped (each with its reason above)" }
    Write-Output "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Initialize-TestRun {
    $results = Join-Path $Out 'test-results'
    if (-not (Test-Path $results)) { New-Item -ItemType Directory -Force -Path $results | Out-Null }
    Invoke-Native dotnet @('restore', (Join-Path $Root 'build/tools.csproj'), '--nologo', '-v', 'quiet') | Out-Host
    $env:IRISOPS_NUGET_PACKAGES = Get-NuGetPackageFolder
    return $results
}

# The xunit projects: the engine's tests and the cmdlet assembly's tests.
$script:XunitProjects = @('tests/IrisOps.Core.Tests/IrisOps.Core.Tests.csproj', 'tests/IrisOps.Tests/IrisOps.Tests.csproj')

# The net472 xunit builds under Mono. Returns @{ Name; Counts; Exit } for Write-TestSummary.
function Invoke-NetFrameworkTests([string] $Results) {
    Write-Host '-- xunit net472 (Mono)' -ForegroundColor Cyan
    $run = @{ Name = 'xunit net472 (Mono)'; Counts = $null; Exit = 1 }
    $mono = Get-Command mono -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $mono) {
        Write-Host 'mono is not on PATH: the net472 tests cannot run (Debian: apt-get install -y mono-complete; .ci/run installs it).' -ForegroundColor Red
        return $run
    }
    $runner = Join-Path $env:IRISOPS_NUGET_PACKAGES 'xunit.runner.console/2.4.1/tools/net472/xunit.console.exe'
    if (-not (Test-Path $runner)) { throw "The xunit console runner is missing at $runner (build/tools.csproj downloads it)." }

    $total = @{ Passed = 0; Failed = 0; Skipped = 0 }
    $run.Exit = 0
    foreach ($relative in $XunitProjects) {
        $project = Join-Path $Root $relative
        $name = [IO.Path]::GetFileNameWithoutExtension($project)
        $binary = Join-Path (Split-Path $project) "bin/$Configuration/net472"
        Invoke-Native dotnet @('build', $project, '-c', $Configuration, '-f', 'net472', '--nologo', '-v', 'quiet') | Out-Host

        # Test files the net472 build leaves out (NetFrameworkSkippedFile in the csproj): shown and counted as skipped.
        [xml] $csproj = Get-Content -Raw $project
        $leftOut = 0
        foreach ($item in @($csproj.Project.ItemGroup | ForEach-Object { $_.ChildNodes } | Where-Object { $_.LocalName -eq 'NetFrameworkSkippedFile' })) {
            $file = Join-Path (Split-Path $project) $item.Include
            $count = @(Select-String -LiteralPath $file -Pattern '^\s*\[(Fact|Theory|DockerFact)\b').Count
            $leftOut += $count
            Write-Host ("SKIPPED under Mono: {0} tests in {1}/{2} (not built for net472): {3}" -f $count, $name, $item.Include, $item.Reason) -ForegroundColor Yellow
        }

        $xml = Join-Path $Results "xunit-net472-$name.xml"
        if (Test-Path $xml) { Remove-Item $xml -Force }
        # -parallel none: one test at a time, so the run is the same every time. Skipped tests print their reason.
        & $mono.Source (Resolve-Path $runner).Path (Join-Path $binary "$name.dll") -nologo -parallel none -xml $xml | Out-Host
        if ($LASTEXITCODE -ne 0) { $run.Exit = $LASTEXITCODE }
        $counts = Read-XunitXmlCounts $xml
        if (-not $counts) { $run.Exit = 1; continue }
        $total.Passed += $counts.Passed
        $total.Failed += $counts.Failed
        $total.Skipped += $counts.Skipped + $leftOut
    }
    $run.Counts = [pscustomobject]$total
    return $run
}

function Invoke-TestNetFramework {
    Write-Host '== TestNetFramework' -ForegroundColor Cyan
    $results = Initialize-TestRun
    Write-TestSummary @(Invoke-NetFrameworkTests -Results $results)
}

function Invoke-Test {
    Invoke-Build
    Write-Host '== Test' -ForegroundColor Cyan
    $results = Join-Path $Out 'test-results'
    if (Test-Path $results) { Remove-Item $results -Recurse -Force }
    $results = Initialize-TestRun
    $env:IRISOPS_MODULE_PATH = Join-Path $ModuleOut 'IrisOps.psd1'

    # The Docker integration tests (xunit and Pester) need the stand-in images; build them once here.
    $dockerState = Get-DockerTestState
    if ($dockerState.Available) {
        Write-Host '-- stand-in images' -ForegroundColor Cyan
        Initialize-StandInImage | ForEach-Object { Write-Host ("{0} ({1}): {2}" -f $_.Image, $_.Version, $(if ($_.Built) { 'built' } else { 'up to date' })) }
    }
    else {
        Write-DockerSkipNotice -State $dockerState
    }

    $xunitRuns = foreach ($relative in $XunitProjects) {
        $name = [IO.Path]::GetFileNameWithoutExtension($relative)
        Write-Host "-- xunit net10.0: $name" -ForegroundColor Cyan
        & dotnet test (Join-Path $Root $relative) -c $Configuration -f net10.0 --nologo `
            --logger "trx;LogFileName=$name.trx" --logger 'console;verbosity=normal' --results-directory $results | Out-Host
        @{ Name = "xunit net10.0 ($name)"; Counts = (Read-TrxCounts (Join-Path $results "$name.trx")); Exit = $LASTEXITCODE }
    }

    $netFramework = Invoke-NetFrameworkTests -Results $results

    Write-Host '-- Pester' -ForegroundColor Cyan
    $pesterJson = Join-Path $results 'pester.json'
    $pesterExit = Invoke-ChildPwsh -ArgumentList @('-File', (Join-Path $Root 'build/Invoke-PesterSuite.ps1'), '-PesterModule',
        (Join-Path $env:IRISOPS_NUGET_PACKAGES 'pester/6.2.0/tools/Pester.psd1'), '-TestPath', (Join-Path $Root 'tests/pester'), '-ResultFile', $pesterJson)
    $pester = if (Test-Path $pesterJson) { Get-Content -Raw $pesterJson | ConvertFrom-Json } else { $null }

    Write-TestSummary (@($xunitRuns) + @(
        $netFramework,
        @{ Name = 'Pester'; Counts = $pester; Exit = $pesterExit }))
}

function Invoke-Bench {
    if (-not $NoBuild) { Invoke-Build }
    Write-Host '== Bench' -ForegroundColor Cyan
    $code = Invoke-ChildPwsh -ArgumentList @('-File', (Join-Path $Root 'bench/Invoke-Bench.ps1'), '-ModulePath', (Join-Path $ModuleOut 'IrisOps.psd1'), '-ResultFile', (Join-Path $Root 'bench/results.md'))
    if ($code -ne 0) { throw 'The benchmark failed (see above).' }
}

function Invoke-Package {
    if (-not $NoBuild) { Invoke-Build }
    Write-Host '== Package' -ForegroundColor Cyan
    $packageOut = Join-Path $Out 'package'
    if (Test-Path $packageOut) { Remove-Item $packageOut -Recurse -Force }
    New-Item -ItemType Directory -Force -Path $packageOut | Out-Null
    Compress-PSResource -Path $ModuleOut -DestinationPath $packageOut
    $package = Get-ChildItem $packageOut -Filter '*.nupkg' | Select-Object -First 1
    if (-not $package) { throw 'Compress-PSResource wrote no package.' }
    Write-Host "Packaged $($package.FullName)"
}

function Invoke-StandIn {
    Write-Host '== StandIn' -ForegroundColor Cyan
    $state = Get-DockerTestState
    if (-not $state.Available) { throw "Cannot build the stand-in images: $($state.Reason)." }
    Initialize-StandInImage -Force | ForEach-Object { Write-Host "Built $($_.Image) (stand-in version $($_.Version))" }
}

function Invoke-Clean {
    Write-Host '== Clean' -ForegroundColor Cyan
    foreach ($path in @($Out, (Join-Path $Root 'obj')) + @(Get-ChildItem (Join-Path $Root 'src'), (Join-Path $Root 'tests'), (Join-Path $Root 'build') -Directory -Recurse -Include bin, obj -ErrorAction SilentlyContinue | ForEach-Object FullName)) {
        if (Test-Path $path) { Remove-Item $path -Recurse -Force }
    }
}

foreach ($name in $Task) {
    & "Invoke-$name"
}
