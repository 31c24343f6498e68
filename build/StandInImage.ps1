# Builds the irisops-standin test images (tests/fixtures/iris-standin, a stand-in for the IRIS container contract,
# NOT InterSystems IRIS) and tells whether a Docker engine is there for the tests. Dot-sourced by build.ps1 (tasks
# StandIn and Test) and by tests/pester/StandIn.ps1, so both use the same code.
#
#   Initialize-StandInImage       builds irisops-standin:v1, :v2 and :broken when missing or when the fixture
#                                 changed (each image carries a label with the hash of the fixture files, the
#                                 busybox binary and the socat/openssl files); needs busybox-static, socat, openssl
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
