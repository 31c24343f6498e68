# Docker helpers for tests of the irisops-standin test image (tests/fixtures/iris-standin, a stand-in for the IRIS
# container contract, NOT InterSystems IRIS). Dot-source it. The image build and the Docker probe
# (Initialize-StandInImage, Get-DockerTestState, Write-DockerSkipNotice, Invoke-DockerCli) live in
# build/StandInImage.ps1, which this file loads, so build.ps1 never loads anything from tests/.
#
#   Assert-DockerTestState        for BeforeAll blocks: throws when Docker is required but missing
#   Invoke-DockerChecked          the docker CLI with a time limit, throwing on failure
#   plus container/durable-folder helpers that label everything irisops.test=1 for cleanup.
[CmdletBinding()]
param(
    # Run as a script (not dot-sourced) with -Build to build the images, e.g. from the xunit fixture.
    [switch] $Build
)

# The image build and the Docker probe live in build/ (build.ps1 uses them too).
. (Join-Path $PSScriptRoot '../../build/StandInImage.ps1')
$script:TestLabel = 'irisops.test'
$script:TestRunLabel = 'irisops.test.run'

# Runs docker and throws with its error output when it fails; returns trimmed stdout.
function Invoke-DockerChecked {
    param([Parameter(Mandatory)][string[]] $ArgumentList, [string] $InputText, [int] $TimeoutSeconds = 60)
    $result = Invoke-DockerCli -ArgumentList $ArgumentList -InputText $InputText -TimeoutSeconds $TimeoutSeconds
    if ($result.ExitCode -ne 0) {
        throw "docker $($ArgumentList -join ' ') failed with exit code $($result.ExitCode): $($result.Error.Trim()) $($result.Output.Trim())"
    }
    return $result.Output.Trim()
}

# Call in BeforeAll of Docker tests: throws (so every test of the block fails) when Docker is required but missing.
function Assert-DockerTestState {
    param([Parameter(Mandatory)] $State)
    if (-not $State.Available) {
        throw "IRISOPS_REQUIRE_DOCKER=1 but $($State.Reason)."
    }
}

# ---- helpers for tests -----------------------------------------------------------------------------------

function New-TestRunId { 'r' + [guid]::NewGuid().ToString('N').Substring(0, 10) }

# docker run -d with the test labels; returns the container id. $Argument goes after the image (to /iris-main).
function Start-TestContainer {
    param(
        [Parameter(Mandatory)][string] $RunId,
        [Parameter(Mandatory)][string] $Image,
        [string] $Name = ('irisops-test-' + [guid]::NewGuid().ToString('N').Substring(0, 10)),
        [hashtable] $Environment = @{},
        [string[]] $Volume = @(),
        [string[]] $Argument = @(),
        [string[]] $ExtraOption = @()
    )
    $arguments = @('run', '-d', '--name', $Name, '--label', "$TestLabel=1", '--label', "$TestRunLabel=$RunId")
    foreach ($key in $Environment.Keys) { $arguments += @('-e', "$key=$($Environment[$key])") }
    foreach ($v in $Volume) { $arguments += @('-v', $v) }
    $arguments += $ExtraOption
    $arguments += $Image
    $arguments += $Argument
    Invoke-DockerChecked -ArgumentList $arguments | Out-Null
    return $Name
}

function Get-ContainerState {
    param([Parameter(Mandatory)][string] $Name)
    $format = '{{.State.Status}}|{{.State.ExitCode}}|{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}'
    $parts = (Invoke-DockerChecked -ArgumentList 'inspect', '--format', $format, $Name) -split '\|'
    [pscustomobject]@{ Status = $parts[0]; ExitCode = [int]$parts[1]; Health = $parts[2] }
}

# Polls until the container is healthy, unhealthy or has stopped, or the time is up; returns the last state.
function Wait-ContainerHealth {
    param([Parameter(Mandatory)][string] $Name, [int] $TimeoutSeconds = 30, [string[]] $Until = @('healthy'))
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    do {
        $state = Get-ContainerState -Name $Name
        if ($state.Health -in $Until -or $state.Status -in 'exited', 'dead') { return $state }
        Start-Sleep -Milliseconds 250
    } while ([DateTime]::UtcNow -lt $deadline)
    return $state
}

function Wait-ContainerExit {
    param([Parameter(Mandatory)][string] $Name, [int] $TimeoutSeconds = 30)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    do {
        $state = Get-ContainerState -Name $Name
        if ($state.Status -in 'exited', 'dead') { return $state }
        Start-Sleep -Milliseconds 200
    } while ([DateTime]::UtcNow -lt $deadline)
    return $state
}

# Runs a command in a container (stdin optional); returns ExitCode/Output/Error.
function Invoke-ContainerCommand {
    param([Parameter(Mandatory)][string] $Name, [Parameter(Mandatory)][string[]] $Command, [string] $InputText, [hashtable] $Environment = @{}, [int] $TimeoutSeconds = 60)
    $arguments = @('exec')
    if ($InputText) { $arguments += '-i' }
    foreach ($key in $Environment.Keys) { $arguments += @('-e', "$key=$($Environment[$key])") }
    $arguments += $Name
    $arguments += $Command
    Invoke-DockerCli -ArgumentList $arguments -InputText $InputText -TimeoutSeconds $TimeoutSeconds
}

# A host folder for a durable %SYS bind mount, owned by uid 51773 (like a prepared volume) or left to root.
# Works without host root rights: ownership changes run in a throwaway container as root.
function New-DurableFolder {
    param([Parameter(Mandatory)][string] $RunId, [ValidateSet('irisowner', 'root')][string] $Owner = 'irisowner')
    $path = Join-Path ([IO.Path]::GetTempPath()) ('irisops-durable-' + [guid]::NewGuid().ToString('N').Substring(0, 10))
    New-Item -ItemType Directory -Path $path | Out-Null
    $uidGid = if ($Owner -eq 'irisowner') { '51773:51773' } else { '0:0' }
    Invoke-DockerChecked -ArgumentList @('run', '--rm', '--label', "$TestLabel=1", '--label', "$TestRunLabel=$RunId", '--user', '0',
        '--entrypoint', '/bin/chown', '-v', "${path}:/d", 'irisops-standin:v1', $uidGid, '/d') | Out-Null
    Invoke-DockerChecked -ArgumentList @('run', '--rm', '--label', "$TestLabel=1", '--label', "$TestRunLabel=$RunId", '--user', '0',
        '--entrypoint', '/bin/chmod', '-v', "${path}:/d", 'irisops-standin:v1', '0755', '/d') | Out-Null
    return $path
}

# Removes a durable folder whose files belong to uid 51773 (via a root container when the host user cannot).
function Remove-DurableFolder {
    param([Parameter(Mandatory)][string] $Path)
    if (-not (Test-Path -LiteralPath $Path)) { return }
    Invoke-DockerCli -ArgumentList @('run', '--rm', '--user', '0', '--entrypoint', '/bin/sh', '-v', "${Path}:/d", 'irisops-standin:v1',
        '-c', 'rm -rf /d/* /d/.[!.]* 2>/dev/null; true') -TimeoutSeconds 60 | Out-Null
    Remove-Item -LiteralPath $Path -Recurse -Force -ErrorAction SilentlyContinue
}

# Removes every container, network and volume labelled with this run id.
function Remove-TestResources {
    param([Parameter(Mandatory)][string] $RunId)
    $filter = "label=$TestRunLabel=$RunId"
    $ids = (Invoke-DockerCli -ArgumentList 'ps', '-aq', '--filter', $filter).Output -split '\s+' | Where-Object { $_ }
    if ($ids) { Invoke-DockerCli -ArgumentList (@('rm', '-f', '-v') + $ids) -TimeoutSeconds 120 | Out-Null }
    $networks = (Invoke-DockerCli -ArgumentList 'network', 'ls', '-q', '--filter', $filter).Output -split '\s+' | Where-Object { $_ }
    if ($networks) { Invoke-DockerCli -ArgumentList (@('network', 'rm') + $networks) | Out-Null }
    $volumes = (Invoke-DockerCli -ArgumentList 'volume', 'ls', '-q', '--filter', $filter).Output -split '\s+' | Where-Object { $_ }
    if ($volumes) { Invoke-DockerCli -ArgumentList (@('volume', 'rm', '-f') + $volumes) | Out-Null }
}

if ($Build) {
    $ErrorActionPreference = 'Stop'
    Initialize-StandInImage | Format-Table -AutoSize | Out-String | Write-Host
}
