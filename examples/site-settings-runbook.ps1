<#
.SYNOPSIS
    Runbook: apply a site's production default settings (a CSV from the site's engineer) to a running IRIS
    container, safely: check every row offline, preview the change, apply it in one session, update the
    running production, and keep an XML record of what the instance now holds.
.DESCRIPTION
    Site-specific settings (AE titles, hosts, ports) belong in system default settings, not in the production
    class in the image: a new image then never overwrites them (see about_IrisOps).

    1. Check: every row is validated without touching the instance (lengths, '||' in keys, '*' as a
       setting name, duplicates). Any problem stops the runbook with the rows named. PoolSize and Enabled
       are accepted with a warning: as default settings they are system overrides that win over the production.
    2. Preview: a read-only session shows what would be added, updated or left unchanged.
    3. Apply (only with -Apply): one session, one transaction; then Ens.Director.UpdateProduction.
    4. Record: the namespace's default settings are read back and written to an XML file that
       ##class(Ens.Config.DefaultSettings).%Import() or Get-IrisDefaultSetting -Path can read later, e.g.
       to restore the site's settings on a rebuilt instance.
.EXAMPLE
    ./examples/site-settings-runbook.ps1 -Container iris-data -Namespace APP
    Checks and previews only.
.EXAMPLE
    ./examples/site-settings-runbook.ps1 -Container iris-data -Namespace APP -CsvPath ./site-a.csv -Apply -RecordPath ./site-a-applied.xml
    Applies the settings of site A and writes the record.
#>
[CmdletBinding()]
param(
    # The running IRIS container (for a cluster from New-IrisEcpCluster: its data server).
    [Parameter(Mandatory)][string] $Container,
    # The namespace of the production (interoperability enabled).
    [string] $Namespace = 'USER',
    # The site's settings: columns ProductionName, ItemName, HostClassName, SettingName, SettingValue,
    # Description, Deployable (or the export's short names production, item, class, setting, value, description).
    [string] $CsvPath = (Join-Path $PSScriptRoot 'default-settings.csv'),
    # Apply the settings; without it the runbook only checks and previews.
    [switch] $Apply,
    # Where to write the XML record of the namespace's settings after applying.
    [string] $RecordPath = "./default-settings-$Container.xml"
)
$ErrorActionPreference = 'Stop'

if (-not (Get-Module IrisOps)) {
    $built = Join-Path (Split-Path $PSScriptRoot -Parent) 'out/IrisOps/IrisOps.psd1'
    if (Test-Path $built) { Import-Module $built } else { Import-Module IrisOps }
}

$settings = @(Import-Csv -LiteralPath $CsvPath)
Write-Host "$($settings.Count) setting(s) in $CsvPath" -ForegroundColor Cyan

# 1. Check offline: -AsScript validates every row and renders the ObjectScript, without touching the instance.
$null = $settings | Set-IrisDefaultSetting -AsScript
Write-Host 'Every row is valid.' -ForegroundColor Green

# 2. Preview: a read-only session reports what would change.
$preview = @($settings | Set-IrisDefaultSetting -Container $Container -Namespace $Namespace -WhatIf)
$preview | Format-Table
$changes = @($preview | Where-Object Action -in 'WouldAdd', 'WouldUpdate')
Write-Host "$($changes.Count) of $($settings.Count) setting(s) would change." -ForegroundColor Cyan
if (-not $Apply) {
    Write-Host 'Preview only: run again with -Apply to apply.' -ForegroundColor Yellow
    return
}

# 3. Apply: one session, one transaction (all rows or none), then update the running production.
$applied = @($settings | Set-IrisDefaultSetting -Container $Container -Namespace $Namespace -UpdateProduction -Confirm:$false)
$applied | Format-Table
foreach ($action in 'Added', 'Updated', 'Unchanged') {
    Write-Host ("{0,-9} {1}" -f $action, @($applied | Where-Object Action -eq $action).Count)
}

# 4. Record what the namespace holds now, in the format %Import reads.
Get-IrisDefaultSetting -Container $Container -Namespace $Namespace | Set-IrisDefaultSetting -ExportPath $RecordPath -Force -Confirm:$false | Out-Null
Write-Host "Record written to $RecordPath (Get-IrisDefaultSetting -Path $RecordPath reads it back)." -ForegroundColor Green
