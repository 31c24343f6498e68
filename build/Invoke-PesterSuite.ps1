# Runs the Pester suite in its own process (so the module under test loads into a clean session) and
# writes the counts as JSON for build.ps1 to add to the xunit counts.
param(
    [Parameter(Mandatory)][string] $PesterModule,
    [Parameter(Mandatory)][string] $TestPath,
    [Parameter(Mandatory)][string] $ResultFile
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterModule -RequiredVersion 6.2.0 -Force

$configuration = New-PesterConfiguration
# Swarm mode is engine-wide: the files that init and leave a swarm (Stack*, Swarm*) run last, one after another,
# once every other Docker test file has finished (Pester runs files sequentially, in this order).
$files = @(Get-ChildItem -LiteralPath $TestPath -Filter '*.Tests.ps1' -Recurse | Sort-Object FullName)
$swarmFiles = @($files | Where-Object { $_.Name -match '^(Stack|Swarm)[.-]' })
$configuration.Run.Path = [string[]]@(@($files | Where-Object { $swarmFiles -notcontains $_ } | ForEach-Object FullName) + @($swarmFiles | ForEach-Object FullName))
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.Should.ErrorAction = 'Continue'
$result = Invoke-Pester -Configuration $configuration

[pscustomobject]@{
    Passed  = $result.PassedCount
    Failed  = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped = $result.SkippedCount + $result.NotRunCount
} | ConvertTo-Json | Set-Content -Path $ResultFile -Encoding utf8
if ($result.Result -ne 'Passed') { exit 1 }
exit 0
