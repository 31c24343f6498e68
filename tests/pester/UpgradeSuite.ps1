# The setup the single-engine Update-IrisApplicationImage.Tests.ps1 and .Cluster.Tests.ps1 share: dot-source it inside
# BeforeAll after TestHelpers.ps1, StandIn.ps1, ClusterHelpers.ps1 and UpgradeHelpers.ps1; Remove-UpgradeSuite in AfterAll.
$script:ModulePath = $ModuleManifest
Import-Module $ModulePath -Force
$script:RunId = New-TestRunId
$script:Folders = [Collections.Generic.List[string]]::new()
$script:Networks = [Collections.Generic.List[string]]::new()
$script:V1 = 'irisops-standin:v1'
$script:V2 = 'irisops-standin:v2'
$script:Broken = 'irisops-standin:broken'
$script:BackupRoot = Join-Path ([IO.Path]::GetTempPath()) ('irisops-upgrade-backups-' + $RunId)
$Folders.Add($BackupRoot)
# Short timeouts: the stand-in is healthy about 1 s after its start and stops at once on SIGTERM.
$script:Fast = @{ HealthTimeout = 25; StopTimeout = 15; BackupPath = $BackupRoot; Confirm = $false }

function New-Durable {
    $path = New-DurableFolder -RunId $RunId
    $Folders.Add($path)
    return $path
}

# A container on durable %SYS (ISC_DATA_DIRECTORY=/dur/iconfig on a bind mount), healthy on return.
function Start-Node([string] $Image = $V1, [string] $Durable = (New-Durable), [string[]] $ExtraOption = @(), [string[]] $Argument = @(), [string] $Name) {
    $parameters = @{ RunId = $RunId; Image = $Image; Environment = @{ ISC_DATA_DIRECTORY = '/dur/iconfig' }; Volume = @("${Durable}:/dur"); ExtraOption = $ExtraOption; Argument = $Argument }
    if ($Name) { $parameters.Name = $Name }
    $container = Start-TestContainer @parameters
    (Wait-ContainerHealth -Name $container -TimeoutSeconds 30).Health | Should -Be 'healthy'
    [pscustomobject]@{ Name = $container; Durable = $Durable }
}

# Independent check of a backup folder: the archive's SHA-256, and each file extracted by the system tar
# hashed and compared with the manifest (one archive per mount, named after its container path: /dur is dur.tar).
function Assert-BackupVerified([string] $Folder, [hashtable] $ExpectedHostFiles) {
    $archive = Join-Path $Folder 'dur.tar'
    $manifestPath = Join-Path $Folder 'dur.manifest.json'
    $archive | Should -Exist
    $manifestPath | Should -Exist
    $manifest = Get-Content -Raw -LiteralPath $manifestPath | ConvertFrom-Json
    (Get-FileHash -LiteralPath $archive -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $manifest.archiveSha256
    (Get-Item -LiteralPath $archive).Length | Should -Be $manifest.archiveBytes
    $extract = Join-Path ([IO.Path]::GetTempPath()) ('irisops-extract-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $extract | Out-Null
    try {
        & tar -xf $archive -C $extract
        $LASTEXITCODE | Should -Be 0
        $files = @($manifest.entries | Where-Object kind -eq 'file')
        $files.Count | Should -BeGreaterThan 3
        foreach ($entry in $files) {
            $path = Join-Path $extract $entry.path
            (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.ToLowerInvariant() | Should -Be $entry.sha256 -Because "$($entry.path) in the archive"
            # The manifest's paths start with the mount's name (dur/...); the host folder is that mount.
            $hostKey = $entry.path -replace '^dur/', ''
            if ($ExpectedHostFiles -and $hostKey -notin $RestartRecords) { $entry.sha256 | Should -Be $ExpectedHostFiles[$hostKey] -Because "the backup of $hostKey equals the data at the stop" }
        }
        if ($ExpectedHostFiles) {
            @($ExpectedHostFiles.Keys | Where-Object { $_ -notin $RestartRecords }).Count | Should -BeLessOrEqual $files.Count
        }
    }
    finally { Remove-Item -LiteralPath $extract -Recurse -Force -ErrorAction SilentlyContinue }
}

function Get-CoreType([string] $Name) {
    $assembly = (Get-Command Update-IrisApplicationImage).Parameters['DataServerOrder'].ParameterType.Assembly
    $assembly.GetType($Name, $true)
}

# Removes what the suite made: its containers, networks and folders, and any upgrade helper a crashed run left behind.
function Remove-UpgradeSuite {
    if ($script:RunId) {
        Remove-TestResources -RunId $RunId
        # Helpers the cmdlet creates are removed by it; anything left by a crashed run carries this label.
        $helpers = (Invoke-DockerCli -ArgumentList 'ps', '-aq', '--filter', 'label=irisops.upgrade.helper').Output -split '\s+' | Where-Object { $_ }
        if ($helpers) { Invoke-DockerCli -ArgumentList (@('rm', '-f') + $helpers) | Out-Null }
        foreach ($network in $script:Networks) { Invoke-DockerCli -ArgumentList 'network', 'rm', $network | Out-Null }
    }
    foreach ($folder in $script:Folders) { Remove-DurableFolder -Path $folder }
}
