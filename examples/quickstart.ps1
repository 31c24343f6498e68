<#
.SYNOPSIS
    IrisOps in one minute: builds the module when needed, imports it from out/, creates the TLS material
    for an ECP cluster of one data server and two application servers, and renders the merge files of an
    upgradeable application image (examples/app-layout.yml, seed 002's code/data/config split) next to
    the example Dockerfile, all under out/quickstart/.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./examples/quickstart.ps1
#>
[CmdletBinding()]
param()
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
$image = Join-Path $quickstart 'image'
New-Item -ItemType Directory -Force -Path $image | Out-Null
$layout = Join-Path $PSScriptRoot 'app-layout.yml'
Export-IrisMergeCpf -LayoutPath $layout -Stage All -Path (Join-Path $image 'staging.cpf')
Export-IrisMergeCpf -LayoutPath $layout -Stage Build -Path (Join-Path $image 'build.cpf')
Export-IrisMergeCpf -LayoutPath $layout -Stage Runtime -Path (Join-Path $image 'runtime.cpf')
Copy-Item (Join-Path $PSScriptRoot 'Dockerfile'), $layout -Destination $image
Write-Host "build.cpf (merged while the image is built; durable %SYS copies these databases to the volume):"
Get-Content (Join-Path $image 'build.cpf') | Select-String -Pattern '^\[|^Create' | ForEach-Object { "  $_" }
Write-Host "runtime.cpf (merged at container start; the code database stays in the image):"
Get-Content (Join-Path $image 'runtime.cpf') | Select-String -Pattern '^\[|^Create' | ForEach-Object { "  $_" }
Write-Host "The image build context is $image (see its Dockerfile)."
