<#
.SYNOPSIS
    IrisOps in one minute: builds the module when needed, imports it from out/, creates the TLS material
    for an ECP cluster of one data server and two application servers, and renders the merge files of an
    upgradeable application image (examples/app-layout.yml, a code/data/config split) next to
    the example Dockerfile, all under out/quickstart/.

    It also writes the ECP cluster of those three nodes as a compose project (out/quickstart/cluster), which
    needs no Docker. With -Start, -Image and -LicenseKeyPath it creates the cluster on the Docker engine and
    checks it.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./examples/quickstart.ps1
.EXAMPLE
    dotnet pwsh ./examples/quickstart.ps1 -Start -Image containers.intersystems.com/intersystems/iris:2025.1 -LicenseKeyPath ~/iris.key
#>
[CmdletBinding()]
param(
    # Create the cluster on the Docker engine (DOCKER_HOST or the default) instead of only writing it out.
    [switch] $Start,
    # The IRIS image of the nodes; ECP needs a licensed image.
    [string] $Image = 'containers.intersystems.com/intersystems/iris:2025.1',
    # The IRIS license key; without it the compose project gets a placeholder to replace.
    [string] $LicenseKeyPath
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$manifest = Join-Path $root 'out/IrisOps/IrisOps.psd1'
$builtAssembly = Join-Path $root 'out/IrisOps/bin/net8.0/lib/IrisOps.dll'

# Build when there is no module yet or a source file is newer than the build.
$sources = Get-ChildItem (Join-Path $root 'src'), (Join-Path $root 'module') -Recurse -File |
    Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' }
$sources += Get-Item (Join-Path $root 'IrisOps.psd1')
$newestSource = ($sources | Measure-Object -Property LastWriteTimeUtc -Maximum).Maximum
if (-not (Test-Path $builtAssembly) -or (Get-Item $builtAssembly).LastWriteTimeUtc -lt $newestSource) {
    Write-Host 'Building IrisOps (first run, or sources changed)...'
    & (Join-Path $root 'build.ps1') -Task Build
}

Import-Module $manifest -Force
$quickstart = Join-Path $root 'out/quickstart'

Write-Host "`nTLS material for ECP: a CA, one data server and two application servers" -ForegroundColor Cyan
$certificates = New-IrisCertificateSet -Path (Join-Path $quickstart 'certificates') `
    -DataServer data-server -ApplicationServer app-server-1, app-server-2 -Organization 'IrisOps quickstart' -Force
$certificates | Format-List
$certificates.Certificates | Format-Table -AutoSize

Write-Host "Files in $($certificates.Path):" -ForegroundColor Cyan
Get-ChildItem $certificates.Path | Format-Table Name, Length, @{ Name = 'Mode'; Expression = { if ($IsWindows) { $_.Mode } else { $_.UnixFileMode } } } -AutoSize
Write-Host "Check them with OpenSSL: openssl verify -CAfile $(Join-Path $certificates.Path 'ca.cer') $(Join-Path $certificates.Path 'data-server.cer')"

Write-Host "`nMerge files for an upgradeable application image (examples/app-layout.yml)" -ForegroundColor Cyan
$imageContext = Join-Path $quickstart 'image'
New-Item -ItemType Directory -Force -Path $imageContext | Out-Null
$layout = Join-Path $PSScriptRoot 'app-layout.yml'
Export-IrisMergeCpf -LayoutPath $layout -Stage All -Path (Join-Path $imageContext 'staging.cpf') -Force
Export-IrisMergeCpf -LayoutPath $layout -Stage Build -Path (Join-Path $imageContext 'build.cpf') -Force
Export-IrisMergeCpf -LayoutPath $layout -Stage Runtime -Path (Join-Path $imageContext 'runtime.cpf') -Force
Copy-Item (Join-Path $PSScriptRoot 'Dockerfile'), $layout -Destination $imageContext
Write-Host "build.cpf (merged while the image is built; durable %SYS copies these databases to the volume):"
Get-Content (Join-Path $imageContext 'build.cpf') | Select-String -Pattern '^\[|^Create' | ForEach-Object { "  $_" }
Write-Host "runtime.cpf (merged at container start; the code database stays in the image):"
Get-Content (Join-Path $imageContext 'runtime.cpf') | Select-String -Pattern '^\[|^Create' | ForEach-Object { "  $_" }
Write-Host "The image build context is $imageContext (see its Dockerfile)."

Write-Host "`nAn ECP cluster of those three nodes, as a compose project" -ForegroundColor Cyan
if (-not $LicenseKeyPath) {
    if ($Start) { throw 'Starting the cluster needs -LicenseKeyPath: ECP runs only on a licensed IRIS.' }
    $LicenseKeyPath = Join-Path $quickstart 'iris.key.placeholder'
    Set-Content -Path $LicenseKeyPath -Value '; placeholder: replace license/iris.key in the project with your IRIS license key'
}
$project = $certificates | New-IrisEcpCluster -Name quickstart -Image $Image -LicenseKeyPath $LicenseKeyPath -GlobalMapping 'demo.*' -OutputPath (Join-Path $quickstart 'cluster') -Force
$project | Format-List
Write-Host "Start it with: cd $($project.Path); $($project.StartCommand)"

if ($Start) {
    Write-Host "`nCreating the cluster on the Docker engine" -ForegroundColor Cyan
    $cluster = $certificates | New-IrisEcpCluster -Name quickstart -Image $Image -LicenseKeyPath $LicenseKeyPath -GlobalMapping 'demo.*'
    $cluster.Nodes | Format-Table
    $cluster | Test-IrisEcpCluster | Format-Table
    Write-Host 'Remove it with: Remove-IrisEcpCluster -Name quickstart (add -RemoveData to delete its durable data too)'
}
