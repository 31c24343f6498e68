# Helpers for tests of ECP clusters on a Docker engine (dot-source after StandIn.ps1 and TestHelpers.ps1):
# bounded processes, the resources of a cluster by label, inspecting and reading files in containers.
# Any process with a time limit; returns ExitCode/Output/Error.
function Invoke-Bounded {
    param([Parameter(Mandatory)][string] $FilePath, [string[]] $ArgumentList = @(), [string] $WorkingDirectory = (Get-Location).Path, [int] $TimeoutSeconds = 120)
    $start = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $start.ArgumentList.Add($argument) }
    $start.WorkingDirectory = $WorkingDirectory
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($start)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "$FilePath $($ArgumentList -join ' ') did not finish within $TimeoutSeconds s."
        }
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
    }
    finally { $process.Dispose() }
}

# A NEW pwsh process (same kind as this one) running a script; returns ExitCode/Output/Error.
function Invoke-ChildScript([string] $Script, [int] $TimeoutSeconds = 120) {
    $commandLine = @(Get-PwshCommandLine)
    $arguments = @($commandLine | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $Script)
    Invoke-Bounded -FilePath $commandLine[0] -ArgumentList $arguments -TimeoutSeconds $TimeoutSeconds
}

function Get-ClusterResources([string] $Cluster) {
    $filter = "label=irisops.cluster=$Cluster"
    [pscustomobject]@{
        Containers = @((Invoke-DockerChecked -ArgumentList 'ps', '-aq', '--filter', $filter) -split '\s+' | Where-Object { $_ })
        Networks   = @((Invoke-DockerChecked -ArgumentList 'network', 'ls', '-q', '--filter', $filter) -split '\s+' | Where-Object { $_ })
        Volumes    = @((Invoke-DockerChecked -ArgumentList 'volume', 'ls', '-q', '--filter', $filter) -split '\s+' | Where-Object { $_ })
    }
}

function Get-Inspect([string] $Container) {
    (Invoke-DockerChecked -ArgumentList 'inspect', $Container) | ConvertFrom-Json | Select-Object -First 1
}

function Read-InContainer([string] $Container, [string] $Path) {
    $result = Invoke-ContainerCommand -Name $Container -Command 'cat', $Path
    $result.ExitCode | Should -Be 0 -Because "$Path must be readable in $Container ($($result.Error))"
    return $result.Output
}

function Wait-ClusterHealthy([string] $Cluster, [int] $Count, [int] $TimeoutSeconds = 90) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    do {
        $names = @((Invoke-DockerChecked -ArgumentList 'ps', '--filter', "label=irisops.cluster=$Cluster", '--filter', 'health=healthy', '--format', '{{.Names}}') -split '\s+' | Where-Object { $_ })
        if ($names.Count -ge $Count) { return $names }
        Start-Sleep -Milliseconds 500
    } while ([DateTime]::UtcNow -lt $deadline)
    return $names
}

function Remove-ClusterResources([string] $Cluster) {
    $resources = Get-ClusterResources $Cluster
    if ($resources.Containers) { Invoke-DockerCli -ArgumentList (@('rm', '-f') + $resources.Containers) -TimeoutSeconds 120 | Out-Null }
    if ($resources.Networks) { Invoke-DockerCli -ArgumentList (@('network', 'rm') + $resources.Networks) | Out-Null }
    if ($resources.Volumes) { Invoke-DockerCli -ArgumentList (@('volume', 'rm', '-f') + $resources.Volumes) | Out-Null }
}
