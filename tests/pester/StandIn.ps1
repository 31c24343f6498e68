# The irisops-standin test image (tests/fixtures/iris-standin, a stand-in for the IRIS container contract,
# NOT InterSystems IRIS) and Docker helpers for tests. Dot-source it; build.ps1 -Task StandIn uses it too.
#
#   Initialize-StandInImage       builds irisops-standin:v1, :v2 and :broken when missing or when the fixture
#                                 changed (each image carries a label with the hash of the fixture files, the
#                                 busybox binary and the socat/openssl files); needs busybox-static, socat, openssl
#   Get-DockerTestState           is an engine reachable? honours IRISOPS_REQUIRE_DOCKER=1
#   Assert-DockerTestState        for BeforeAll blocks: throws when Docker is required but missing
#   Invoke-DockerCli              the docker CLI with a time limit
#   plus container/durable-folder helpers that label everything irisops.test=1 for cleanup.
[CmdletBinding()]
param(
    # Run as a script (not dot-sourced) with -Build to build the images, e.g. from the xunit fixture.
    [switch] $Build
)

$script:StandInFixture = (Resolve-Path (Join-Path $PSScriptRoot '../fixtures/iris-standin')).Path
$script:StandInRepository = 'irisops-standin'
$script:StandInHashLabel = 'irisops.standin.fixture-hash'
$script:TestLabel = 'irisops.test'
$script:TestRunLabel = 'irisops.test.run'

# The three tags: same scripts, different baked-in version; :broken never becomes healthy.
$script:StandInTags = [ordered]@{
    v1     = @{ Version = '1.0.0.100.0standin'; Broken = '0' }
    v2     = @{ Version = '2.0.0.200.0standin'; Broken = '0' }
    broken = @{ Version = '3.0.0.300.0standin-broken'; Broken = '1' }
}

function Invoke-DockerCli {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)][string[]] $ArgumentList,
        [string] $InputText,
        [int] $TimeoutSeconds = 60
    )
    $docker = Get-Command docker -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $docker) { throw 'The docker CLI was not found on PATH.' }
    $start = [Diagnostics.ProcessStartInfo]::new($docker.Source)
    foreach ($argument in $ArgumentList) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if ($InputText) { $process.StandardInput.Write($InputText) }
        $process.StandardInput.Close()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "docker $($ArgumentList -join ' ') did not finish within $TimeoutSeconds s."
        }
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
    }
    finally {
        $process.Dispose()
    }
}

# Runs docker and throws with its error output when it fails; returns trimmed stdout.
function Invoke-DockerChecked {
    param([Parameter(Mandatory)][string[]] $ArgumentList, [string] $InputText, [int] $TimeoutSeconds = 60)
    $result = Invoke-DockerCli -ArgumentList $ArgumentList -InputText $InputText -TimeoutSeconds $TimeoutSeconds
    if ($result.ExitCode -ne 0) {
        throw "docker $($ArgumentList -join ' ') failed with exit code $($result.ExitCode): $($result.Error.Trim()) $($result.Output.Trim())"
    }
    return $result.Output.Trim()
}

# Whether tests can use a Docker engine. Available = the CLI answers for the server within a few seconds.
# Required = IRISOPS_REQUIRE_DOCKER=1: then a missing engine is a failure, never a skip.
function Get-DockerTestState {
    $required = $env:IRISOPS_REQUIRE_DOCKER -eq '1'
    $reason = $null
    $version = $null
    if (-not (Get-Command docker -CommandType Application -ErrorAction SilentlyContinue)) {
        $reason = 'the docker CLI is not on PATH'
    }
    else {
        try {
            $result = Invoke-DockerCli -ArgumentList 'version', '--format', '{{.Server.Version}}' -TimeoutSeconds 20
            if ($result.ExitCode -eq 0 -and $result.Output.Trim()) { $version = $result.Output.Trim() }
            else { $reason = ($result.Error.Trim() -split "`n" | Select-Object -First 1) }
        }
        catch { $reason = $_.Exception.Message }
    }
    $endpoint = if ($env:DOCKER_HOST) { $env:DOCKER_HOST } else { 'the default endpoint' }
    [pscustomobject]@{
        Available     = [bool]$version
        Required      = $required
        ServerVersion = $version
        Reason        = if ($version) { $null } else { "no Docker engine reachable at $endpoint ($reason)" }
        Skip          = (-not $version) -and (-not $required)
    }
}

# Call in BeforeDiscovery: prints a visible notice when Docker tests are skipped.
function Write-DockerSkipNotice {
    param([Parameter(Mandatory)] $State, [string] $Suite = 'Docker integration tests')
    if ($State.Skip) {
        Write-Host "SKIPPED: $Suite - $($State.Reason). Set IRISOPS_REQUIRE_DOCKER=1 to make this a failure." -ForegroundColor Yellow
    }
    elseif (-not $State.Available) {
        Write-Host "FAILING: $Suite - $($State.Reason), and IRISOPS_REQUIRE_DOCKER=1 requires an engine." -ForegroundColor Red
    }
}

# Call in BeforeAll of Docker tests: throws (so every test of the block fails) when Docker is required but missing.
function Assert-DockerTestState {
    param([Parameter(Mandatory)] $State)
    if (-not $State.Available) {
        throw "IRISOPS_REQUIRE_DOCKER=1 but $($State.Reason)."
    }
}

# The static busybox that goes into the image (Debian's busybox-static installs /bin/busybox).
function Find-StaticBusybox {
    $candidates = @($env:IRISOPS_BUSYBOX, '/bin/busybox', '/usr/bin/busybox') | Where-Object { $_ }
    foreach ($candidate in $candidates) {
        if (-not (Test-Path -LiteralPath $candidate -PathType Leaf)) { continue }
        $stream = [IO.File]::OpenRead($candidate)
        try {
            $head = [byte[]]::new([Math]::Min(8192, $stream.Length))
            [void]$stream.Read($head, 0, $head.Length)
        }
        finally { $stream.Dispose() }
        $text = [Text.Encoding]::ASCII.GetString($head)
        if ($head[0] -ne 0x7F -or $text.Substring(1, 3) -ne 'ELF') { continue }
        if ($text.Contains('ld-linux') -or $text.Contains('ld-musl')) { continue }  # dynamically linked
        return (Resolve-Path -LiteralPath $candidate).Path
    }
    throw 'No statically linked busybox found (looked at IRISOPS_BUSYBOX, /bin/busybox, /usr/bin/busybox). Install it: apt-get install busybox-static.'
}

# socat and openssl for the image's TLS (the ECP imitation): the host's (Debian) binaries, every shared library
# ldd resolves for them (with the dynamic loader) and OpenSSL's default configuration file. Returns
# Source (the real file on the host) / Target (the absolute path inside the image) pairs. Nothing is committed.
# Install them with: apt-get install socat openssl
function Find-StandInTlsTools {
    $tools = foreach ($name in 'socat', 'openssl') {
        $command = Get-Command $name -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $command) { throw "The stand-in image needs '$name' from the build host (for its TLS): apt-get install socat openssl" }
        $command.Source
    }
    $ldd = Get-Command ldd -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $ldd) { throw 'ldd is needed to find the shared libraries of socat and openssl (glibc: apt-get install libc-bin).' }
    $entries = [ordered]@{}
    foreach ($tool in $tools) {
        $entries['/usr/bin/' + [IO.Path]::GetFileName($tool)] = $tool
        $lines = & $ldd.Source $tool 2>&1
        if ($LASTEXITCODE -ne 0) { throw "ldd $tool failed: $lines" }
        foreach ($line in $lines) {
            $text = "$line".Trim()
            if ($text -match 'not found') { throw "ldd $tool`: $text" }
            $path = if ($text -match '=>\s*(/\S+)') { $Matches[1] } elseif ($text -match '^(/\S+)') { $Matches[1] } else { $null }
            if ($path) { $entries[$path] = $path }
        }
    }
    foreach ($config in '/usr/lib/ssl/openssl.cnf') {
        if (Test-Path -LiteralPath $config) { $entries[$config] = $config }
    }
    foreach ($target in $entries.Keys) {
        $item = Get-Item -LiteralPath $entries[$target]
        $source = if ($item.LinkTarget) { $item.ResolveLinkTarget($true).FullName } else { $item.FullName }
        [pscustomobject]@{ Source = $source; Target = $target }
    }
}

# SHA-256 over the fixture files (relative path + content), the busybox binary, the TLS tools and the tag's build arguments.
function Get-StandInFixtureHash {
    param([Parameter(Mandatory)][string] $Tag, [Parameter(Mandatory)][string] $Busybox, [object[]] $TlsTools = @())
    $sha = [Security.Cryptography.SHA256]::Create()
    try {
        $buffer = [IO.MemoryStream]::new()
        # Documentation does not go into the image, so it does not count.
        $files = Get-ChildItem -LiteralPath $StandInFixture -Recurse -File -Force | Where-Object Extension -ne '.md' | Sort-Object { [IO.Path]::GetRelativePath($StandInFixture, $_.FullName).Replace('\', '/') } -CaseSensitive
        foreach ($file in $files) {
            $relative = [IO.Path]::GetRelativePath($StandInFixture, $file.FullName).Replace('\', '/')
            $name = [Text.Encoding]::UTF8.GetBytes("file:$relative`n")
            $buffer.Write($name, 0, $name.Length)
            $bytes = [IO.File]::ReadAllBytes($file.FullName)
            $buffer.Write($bytes, 0, $bytes.Length)
        }
        $settings = $StandInTags[$Tag]
        $extra = [Text.Encoding]::UTF8.GetBytes("busybox:" + (Get-FileHash -LiteralPath $Busybox -Algorithm SHA256).Hash + "`nversion:$($settings.Version)`nbroken:$($settings.Broken)`n")
        $buffer.Write($extra, 0, $extra.Length)
        foreach ($tool in $TlsTools) {
            $line = [Text.Encoding]::UTF8.GetBytes("tool:$($tool.Target):" + (Get-FileHash -LiteralPath $tool.Source -Algorithm SHA256).Hash + "`n")
            $buffer.Write($line, 0, $line.Length)
        }
        return ([BitConverter]::ToString($sha.ComputeHash($buffer.ToArray())) -replace '-', '').ToLowerInvariant()
    }
    finally { $sha.Dispose() }
}

function Get-ImageLabel {
    param([Parameter(Mandatory)][string] $Image, [Parameter(Mandatory)][string] $Label)
    $result = Invoke-DockerCli -ArgumentList 'image', 'inspect', '--format', "{{ index .Config.Labels `"$Label`" }}", $Image -TimeoutSeconds 30
    if ($result.ExitCode -ne 0) { return $null }
    return $result.Output.Trim()
}

<#
.SYNOPSIS
    Builds irisops-standin:<tag> for each tag that is missing or was built from other fixture files.
.PARAMETER Force
    Runs docker build even when the image is current (the engine's layer cache still makes it fast).
#>
function Initialize-StandInImage {
    [CmdletBinding()]
    param(
        [ValidateSet('v1', 'v2', 'broken')][string[]] $Tag = @('v1', 'v2', 'broken'),
        [switch] $Force
    )
    $busybox = Find-StaticBusybox
    $tlsTools = @(Find-StandInTlsTools)
    $context = $null
    try {
        foreach ($name in $Tag) {
            $image = "${StandInRepository}:$name"
            $hash = Get-StandInFixtureHash -Tag $name -Busybox $busybox -TlsTools $tlsTools
            if (-not $Force -and (Get-ImageLabel -Image $image -Label $StandInHashLabel) -eq $hash) {
                [pscustomobject]@{ Image = $image; Version = $StandInTags[$name].Version; Built = $false }
                continue
            }
            if (-not $context) {
                # A temporary build context: the fixture plus the busybox binary (never committed).
                $context = Join-Path ([IO.Path]::GetTempPath()) ('irisops-standin-build-' + [guid]::NewGuid().ToString('N').Substring(0, 10))
                New-Item -ItemType Directory -Path $context | Out-Null
                Copy-Item -Path (Join-Path $StandInFixture '*') -Destination $context -Recurse -Force
                Copy-Item -LiteralPath $busybox -Destination (Join-Path $context 'busybox')
                foreach ($tool in $tlsTools) {
                    $destination = Join-Path (Join-Path $context 'tools') $tool.Target.TrimStart('/')
                    New-Item -ItemType Directory -Force -Path (Split-Path -Parent $destination) | Out-Null
                    Copy-Item -LiteralPath $tool.Source -Destination $destination
                }
            }
            $settings = $StandInTags[$name]
            Write-Host "Building $image (stand-in version $($settings.Version))"
            $result = Invoke-DockerCli -TimeoutSeconds 600 -ArgumentList @(
                'build', '--quiet', '--tag', $image,
                '--build-arg', "STANDIN_VERSION=$($settings.Version)", '--build-arg', "STANDIN_BROKEN=$($settings.Broken)",
                '--label', "$StandInHashLabel=$hash", '--label', "irisops.standin.version=$($settings.Version)",
                $context)
            if ($result.ExitCode -ne 0) {
                throw "Building $image failed (exit code $($result.ExitCode)): $($result.Error.Trim())"
            }
            [pscustomobject]@{ Image = $image; Version = $settings.Version; Built = $true }
        }
    }
    finally {
        if ($context) { Remove-Item -LiteralPath $context -Recurse -Force -ErrorAction SilentlyContinue }
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
