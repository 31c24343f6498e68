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

# --- The clusters of one test file ---
# Initialize-EcpTestRun sets, in the test file's script scope: $Root (a folder), $Suffix (makes names unique),
# $ClusterPrefix, $Clusters, $ExtraVolumes and $ComposeProjects (what Remove-EcpTestRun cleans up), $License and
# $Common (the arguments every New-IrisEcpCluster call here takes). Call it in the Describe's BeforeAll and
# Remove-EcpTestRun in its AfterAll.
function Initialize-EcpTestRun([string] $Prefix) {
    $script:Root = New-TestFolder
    $script:Suffix = [guid]::NewGuid().ToString('N').Substring(0, 6)
    $script:ClusterPrefix = $Prefix
    $script:Clusters = [Collections.Generic.List[string]]::new()
    $script:ExtraVolumes = [Collections.Generic.List[string]]::new()
    $script:ComposeProjects = [Collections.Generic.List[object]]::new()
    $script:License = Join-Path $script:Root 'iris.key'
    Set-Content -LiteralPath $script:License -Value "[ConfigFile]`nFileType=License 2.0`n; test license for the stand-in $($script:Suffix)" -NoNewline
    $script:Common = @{ LicenseKeyPath = $script:License; HealthTimeout = 60; StopTimeout = 10 }
}

function Remove-EcpTestRun {
    foreach ($project in $script:ComposeProjects) {
        try { Invoke-Bounded -FilePath 'docker-compose' -ArgumentList '-p', $project.Name, 'down', '-v', '-t', '5' -WorkingDirectory $project.Path -TimeoutSeconds 120 | Out-Null } catch { Write-Warning $_ }
    }
    foreach ($cluster in $script:Clusters) {
        try { Remove-ClusterResources $cluster } catch { Write-Warning "cleanup of $cluster : $_" }
    }
    foreach ($volume in $script:ExtraVolumes) { Invoke-DockerCli -ArgumentList 'volume', 'rm', '-f', $volume | Out-Null }
    if ($script:Root) { Remove-DurableFolder -Path $script:Root }
}

# A cluster name unique to this run, removed by Remove-EcpTestRun.
function New-ClusterName([string] $Tag) {
    $name = "$($script:ClusterPrefix)$Tag$($script:Suffix)"
    $script:Clusters.Add($name)
    return $name
}

# A cluster of one data server and -ApplicationServerCount application servers on irisops-standin:v1, from a
# certificate set made for its host names and piped in, with -GlobalMapping demo.* and a cluster folder under
# $Root. Returns the name, host names, certificate set, folder, the New-IrisEcpCluster arguments and the cluster.
function New-TestCluster([string] $Tag, [int] $ApplicationServerCount = 3) {
    $name = New-ClusterName $Tag
    $hosts = @("$name-data") + @(1..$ApplicationServerCount | ForEach-Object { "$name-app-$_" })
    $set = New-IrisCertificateSet -Path (Join-Path $script:Root "$name-certs") -DataServer $hosts[0] -ApplicationServer $hosts[1..($hosts.Count - 1)]
    $folder = Join-Path $script:Root $name
    $arguments = @{ Name = $name; Image = 'irisops-standin:v1'; GlobalMapping = 'demo.*'; ClusterPath = $folder } + $script:Common
    $cluster = $set | New-IrisEcpCluster @arguments
    [pscustomobject]@{ Name = $name; Hosts = $hosts; AppHosts = @($hosts[1..($hosts.Count - 1)]); Set = $set; Folder = $folder; Arguments = $arguments; Cluster = $cluster }
}

# A 1 + 1 cluster saved with Export-Clixml, as runbooks hand objects between jobs; returns its name and the
# file. Remove it with Remove-ClusterResources.
function New-SavedTestCluster([string] $Root) {
    $name = "tg$([guid]::NewGuid().ToString('N').Substring(0, 6))"
    $license = Join-Path $Root 'iris.key'
    Set-Content -LiteralPath $license -Value "[ConfigFile]`nFileType=License 2.0`n" -NoNewline
    New-IrisEcpCluster -Name $name -Image 'irisops-standin:v1' -ApplicationServerCount 1 -LicenseKeyPath $license -ClusterPath (Join-Path $Root 'cluster') -HealthTimeout 60 -StopTimeout 10 | Out-Null
    $saved = Join-Path $Root 'cluster.xml'
    Get-IrisEcpCluster -Name $name | Export-Clixml -LiteralPath $saved
    [pscustomobject]@{ Name = $name; Saved = $saved }
}

# New-TestCluster for a Context: sets $C1, $Hosts1, $AppHosts1, $Set1, $Folder1, $Args1, $Cluster1 and $Inspect1
# (docker inspect of each node, as created) in the test file's script scope.
function Use-TestCluster([string] $Tag, [int] $ApplicationServerCount = 3) {
    $made = New-TestCluster $Tag -ApplicationServerCount $ApplicationServerCount
    $script:C1 = $made.Name
    $script:Hosts1 = $made.Hosts
    $script:AppHosts1 = $made.AppHosts
    $script:Set1 = $made.Set
    $script:Folder1 = $made.Folder
    $script:Args1 = $made.Arguments
    $script:Cluster1 = $made.Cluster
    $script:Inspect1 = @{}
    foreach ($h in $made.Hosts) { $script:Inspect1[$h] = Get-Inspect $h }
}

# Swarm mode is engine-wide, so a test file that needs a swarm makes its own single-node swarm and leaves it. The
# node of a test swarm carries the label below, so a swarm left behind by a test run that was killed (its AfterAll
# never ran) is recognised and left; any other swarm is refused: it is not the test's to leave.
$script:TestSwarmLabel = 'irisops.test-swarm'

function Assert-NoSwarm {
    $state = Invoke-DockerChecked -ArgumentList 'info', '--format', '{{.Swarm.LocalNodeState}}'
    if ($state -eq 'inactive') { return }
    $label = if ($state -eq 'active') {
        Invoke-DockerCli -ArgumentList 'node', 'inspect', 'self', '--format', "{{index .Spec.Labels `"$script:TestSwarmLabel`"}}"
    }
    if ($label -and $label.ExitCode -eq 0 -and $label.Output.Trim() -eq 'true') {
        Write-Host "A test swarm left by an interrupted test run is still active on this engine: leaving it first." -ForegroundColor Yellow
        Invoke-DockerChecked -ArgumentList 'swarm', 'leave', '--force' -TimeoutSeconds 60 | Out-Null
        return
    }
    throw "The Docker engine is already in a swarm (state '$state') that these tests did not make; they make and leave their own."
}

# Makes the single-node swarm and labels its node; the result is what Exit-TestSwarm needs (swarm init also makes the
# docker_gwbridge network, removed on leaving unless it was there before).
function Enter-TestSwarm {
    Assert-NoSwarm
    $made = [pscustomobject]@{ GatewayBridgeExisted = (Invoke-DockerCli -ArgumentList 'network', 'inspect', 'docker_gwbridge').ExitCode -eq 0 }
    Invoke-DockerChecked -ArgumentList 'swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', '127.0.0.1:2377' -TimeoutSeconds 60 | Out-Null
    $node = Invoke-DockerChecked -ArgumentList 'info', '--format', '{{.Swarm.NodeID}}'
    Invoke-DockerChecked -ArgumentList 'node', 'update', '--label-add', "$script:TestSwarmLabel=true", $node -TimeoutSeconds 60 | Out-Null
    $made
}

# Removes what the test deployed ($RemoveServices), waits (bounded) until the cluster's task containers are gone so
# their volumes can be removed, and leaves the swarm. Does nothing when Enter-TestSwarm was not reached.
function Exit-TestSwarm([object] $Swarm, [string] $Cluster, [scriptblock] $RemoveServices) {
    if (-not $Swarm) { return }
    & $RemoveServices
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    while ([DateTime]::UtcNow -lt $deadline -and (Get-ClusterResources $Cluster).Containers.Count -gt 0) { Start-Sleep -Milliseconds 500 }
    Invoke-DockerCli -ArgumentList 'swarm', 'leave', '--force' -TimeoutSeconds 60 | Out-Null
    if (-not $Swarm.GatewayBridgeExisted) { Invoke-DockerCli -ArgumentList 'network', 'rm', 'docker_gwbridge' | Out-Null }
}

# The Swarm API cluster's services (labelled with the cluster's name) go.
function Remove-SwarmClusterServices([string] $Cluster) {
    foreach ($service in @((Invoke-DockerCli -ArgumentList 'service', 'ls', '-q', '--filter', "label=irisops.cluster=$Cluster").Output -split '\s+' | Where-Object { $_ })) {
        Invoke-DockerCli -ArgumentList 'service', 'rm', $service | Out-Null
    }
}
