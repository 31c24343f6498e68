# Builds the irisops-standin test images (tests/fixtures/iris-standin, a stand-in for the IRIS container contract,
# NOT InterSystems IRIS) and tells whether a Docker engine is there for the tests. Dot-sourced by build.ps1 (tasks
# StandIn and Test) and by tests/pester/StandIn.ps1, so both use the same code.
#
#   Initialize-StandInImage       builds irisops-standin:v1, :v2 and :broken when missing or when the fixture
#                                 changed (each image carries a label with the hash of the fixture files)
#   Get-DockerTestState           is an engine reachable? honours IRISOPS_REQUIRE_DOCKER=1
#   Write-DockerSkipNotice        prints why Docker tests are skipped (or will fail)
#   Invoke-DockerCli              the docker CLI with a time limit

$script:StandInFixture = (Resolve-Path (Join-Path $PSScriptRoot '../tests/fixtures/iris-standin')).Path
$script:StandInRepository = 'irisops-standin'
$script:StandInHashLabel = 'irisops.standin.fixture-hash'
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

# SHA-256 over the fixture files (relative path + content), the busybox binary and the tag's build arguments.
function Get-StandInFixtureHash {
    param([Parameter(Mandatory)][string] $Tag, [Parameter(Mandatory)][string] $Busybox)
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
    $context = $null
    try {
        foreach ($name in $Tag) {
            $image = "${StandInRepository}:$name"
            $hash = Get-StandInFixtureHash -Tag $name -Busybox $busybox
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
