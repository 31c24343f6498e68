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

# --- CPF files (Import-IrisCpf and Export-IrisMergeCpf tests) ---
# These read $Root, the test file's folder (set in its BeforeAll).

# Writes a UTF-8 text file without a byte order mark under $Root; returns its path.
function New-TextFile([string] $Name, [string] $Text) {
    $path = Join-Path $Root $Name
    [IO.File]::WriteAllText($path, $Text, [Text.UTF8Encoding]::new($false))
    return $path
}

# The error record of a command that fails; failures at the end of a pipeline are terminating.
function Get-ErrorRecord([scriptblock] $Command) {
    try { & $Command; $null } catch { $_ }
}

# The lines of a merge file that IRIS acts on: no comments, no blank lines.
function Get-MergeLines([string] $Text) {
    @($Text -split "`r?`n" | Where-Object { $_ -and -not $_.StartsWith('#') })
}

# CRLF, a blank first line, comments of three kinds, a commented-out header, a block comment hiding a
# header, [Config] and [config], a repeated key, trailing spaces after a header, a comma list, a quoted
# action value, and no final newline. Returns the path of quirky.cpf under $Root.
function New-QuirkyCpf {
    New-TextFile 'quirky.cpf' (@(
            '', '# quirky', '#[config]', '[Config]   ', 'MaxServerConn=1', 'globals=0,0,2048,0,0,0', '/* block', '[Startup]', '*/',
            '[config]', 'MaxServerConn=2', '[Actions]', 'CreateUser:Name=app,Roles="%SQL,%DB_USER"', '// end') -join "`r`n")
}

# --- Default settings on a stand-in container (Set-, Get-, Remove-IrisDefaultSetting tests) ---
# The stand-in's `iris session` records each script in $Record/session.log and prints $Record/reply. These read
# $Name (the container) and $Record from the test file's BeforeAll.

function B64([string] $Text) { [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($Text)) }

# Starts the settings container (healthy on return); returns its run id and name.
function Start-SettingsStandIn {
    Initialize-StandInImage -Tag v1 | Out-Null
    $runId = New-TestRunId
    $name = Start-TestContainer -RunId $runId -Image 'irisops-standin:v1' -Name "irisops-test-settings-$runId"
    $state = Wait-ContainerHealth -Name $name -TimeoutSeconds 60
    $state.Health | Should -Be 'healthy'
    [pscustomobject]@{ RunId = $runId; Name = $name; Record = '/usr/irissys/standin' }
}

function Set-Reply([string[]] $Line) {
    $text = ($Line -join "`n") + "`n"
    $result = Invoke-ContainerCommand -Name $Name -Command 'sh', '-c', "mkdir -p $Record && cat > $Record/reply" -InputText $text -TimeoutSeconds 30
    $result.ExitCode | Should -Be 0 -Because $result.Error
}
function Reset-Session {
    (Invoke-ContainerCommand -Name $Name -Command 'rm', '-f', "$Record/session.log", "$Record/reply" -TimeoutSeconds 30).ExitCode | Should -Be 0
}
function Get-Session {
    $result = Invoke-ContainerCommand -Name $Name -Command 'sh', '-c', "cat $Record/session.log 2>/dev/null; true" -TimeoutSeconds 30
    return $result.Output
}
# The sessions recorded: the stand-in writes '=== <time> namespace=<NS>', the script, an empty line.
function Get-Sessions {
    $log = Get-Session
    if (-not $log) { return @() }
    $parts = [regex]::Split($log, '(?m)^=== [^\n]*namespace=(\S+)\n')
    $sessions = for ($i = 1; $i -lt $parts.Count; $i += 2) { [pscustomobject]@{ Namespace = $parts[$i]; Script = $parts[$i + 1].TrimEnd("`n") + "`n" } }
    return @($sessions)
}
function Row([int] $Number, [string] $Action, [bool] $Existed, [string] $Previous, [string] $Value, [string] $Description = '', [int] $Deployable = 0) {
    "IRISOPS|R|$Number|$Action|$([int]$Existed)|$(B64 $Previous)|$(B64 $Value)|$(B64 $Description)|$Deployable|"
}
