# Shared by the Pester files: where the built module is, how to start another pwsh, and OpenSSL helpers.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = if ($env:IRISOPS_MODULE_PATH) { $env:IRISOPS_MODULE_PATH } else { Join-Path $RepoRoot 'out/IrisOps/IrisOps.psd1' }
$script:NuGetPackages = if ($env:IRISOPS_NUGET_PACKAGES) { $env:IRISOPS_NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
. (Join-Path $RepoRoot 'build/Pwsh.ps1')

function New-TestFolder {
    $path = Join-Path ([IO.Path]::GetTempPath()) ('irisops-pester-' + [guid]::NewGuid().ToString('N').Substring(0, 10))
    New-Item -ItemType Directory -Path $path | Out-Null
    return $path
}

# Runs openssl with a time limit; returns its exit code and combined output.
function Invoke-OpenSsl {
    param([Parameter(Mandatory)][string[]] $ArgumentList, [string] $InputText, [int] $TimeoutSeconds = 20)
    $start = [Diagnostics.ProcessStartInfo]::new('openssl')
    foreach ($argument in $ArgumentList) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $true
    $process = [Diagnostics.Process]::Start($start)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    if ($InputText) { $process.StandardInput.Write($InputText) }
    $process.StandardInput.Close()
    if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
        $process.Kill()
        throw "openssl $($ArgumentList -join ' ') did not finish within $TimeoutSeconds s."
    }
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result + $stderr.Result }
}

function Get-FreeTcpPort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { return $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# A one-connection TLS server on 127.0.0.1 (openssl s_server -rev echoes each line reversed) that requires
# a client certificate issued by CAfile; returns the process and its port once it accepts connections.
function Start-TlsServer {
    param([string] $Certificate, [string] $Key, [string] $CaFile)
    $port = Get-FreeTcpPort
    $start = [Diagnostics.ProcessStartInfo]::new('openssl')
    foreach ($argument in 's_server', '-accept', "127.0.0.1:$port", '-cert', $Certificate, '-key', $Key, '-CAfile', $CaFile, '-Verify', '1', '-verify_return_error', '-naccept', '1', '-rev') {
        $start.ArgumentList.Add($argument)
    }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($start)
    $output = @($process.StandardOutput.ReadToEndAsync(), $process.StandardError.ReadToEndAsync())
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    while ([DateTime]::UtcNow -lt $deadline) {
        # Connecting would use up the single accept, so only check that the port is bound.
        $listening = [Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties().GetActiveTcpListeners() | Where-Object Port -eq $port
        if ($listening) { break }
        Start-Sleep -Milliseconds 100
    }
    [pscustomobject]@{ Process = $process; Port = $port; Output = $output }
}

function Stop-TlsServer($Server) {
    if (-not $Server.Process.WaitForExit(10000)) { $Server.Process.Kill() }
    $Server.Process.WaitForExit()
    return $Server.Output[0].Result + $Server.Output[1].Result
}
