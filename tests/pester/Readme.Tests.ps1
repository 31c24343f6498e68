# The README's PowerShell examples as a user meets them: every block parses, every IrisOps command in it exists
# with the parameters it is given, and the blocks run together, in README order, in one session.
# The run changes only what cannot exist on a test machine (each change is in $Substitutions below): the module path
# becomes the one under test, the IRIS images
# become the test image's tags, ~/iris.key a test key, the interactive password a fixed one, the cluster name 'demo'
# a unique one, /srv/iris-backups a test folder. The files the README assumes the user has (./merge.cpf, ./site.csv)
# are created first. The default-settings and production-item blocks that talk to an instance are checked
# statically only: the test image answers those sessions with recorded replies (their own test files run them).
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $script:DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Readme.Tests.ps1 (the README examples run together)'
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:ReadmePath = Join-Path $RepoRoot 'README.md'
    # Every ```powershell block, with the heading it is under.
    function script:Get-ReadmeBlocks {
        $blocks = [Collections.Generic.List[object]]::new()
        $heading = ''
        $inside = $false
        $lines = $null
        foreach ($line in Get-Content -LiteralPath $ReadmePath) {
            if (-not $inside -and $line -match '^## (.+)$') { $heading = $Matches[1] }
            elseif (-not $inside -and $line -eq '```powershell') { $inside = $true; $lines = [Collections.Generic.List[string]]::new() }
            elseif ($inside -and $line -eq '```') { $inside = $false; $blocks.Add([pscustomobject]@{ Heading = $heading; Code = ($lines -join "`n") }) }
            elseif ($inside) { $lines.Add($line) }
        }
        $blocks
    }
    $script:Blocks = @(Get-ReadmeBlocks)
}

Describe 'README examples' {
    It 'has PowerShell examples' {
        $Blocks.Count | Should -BeGreaterOrEqual 6
    }

    It 'every block parses, and every IrisOps command in it is given only parameters it has, in one of its parameter sets' {
        foreach ($block in $Blocks) {
            $tokens = $null; $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($block.Code, [ref] $tokens, [ref] $errors)
            $errors | Should -BeNullOrEmpty -Because "the block under '$($block.Heading)' must parse"
            foreach ($call in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                $name = $call.GetCommandName()
                if ($name -notlike '*-Iris*') { continue }
                $command = Get-Command -Name $name -Module IrisOps -ErrorAction SilentlyContinue
                $command | Should -Not -BeNullOrEmpty -Because "'$name' under '$($block.Heading)' must be an IrisOps command"
                $given = @($call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object ParameterName)
                foreach ($parameter in $given) {
                    $command.ResolveParameter($parameter) | Should -Not -BeNullOrEmpty -Because "$name under '$($block.Heading)' is given -$parameter"
                }
                $resolved = @($given | ForEach-Object { $command.ResolveParameter($_).Name } | Where-Object { $_ -notin [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters })
                $fits = @($command.ParameterSets | Where-Object { $set = $_; @($resolved | Where-Object { $_ -notin $set.Parameters.Name }).Count -eq 0 })
                $fits.Count | Should -BeGreaterThan 0 -Because "$name under '$($block.Heading)' combines $($resolved -join ', '), which one parameter set must allow"
            }
        }
    }
}

Describe 'README examples run together on the test image' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1 | Out-Null
        Initialize-StandInImage -Tag v2 | Out-Null
        # The test image under a tag that names a release, as InterSystems tags do (the Kubernetes output takes
        # compatibilityVersion from it).
        $script:ReleaseTag = "irisops-standin:2025.3"
        Invoke-DockerCli -ArgumentList 'tag', 'irisops-standin:v1', $ReleaseTag | Out-Null
        $script:Work = New-TestFolder
        $script:Cluster = "rd$([guid]::NewGuid().ToString('N').Substring(0, 6))"
        $script:SavedDataHome = $env:XDG_DATA_HOME
        $env:XDG_DATA_HOME = Join-Path $Work 'data-home' # where the default -ClusterPath goes
        Copy-Item -LiteralPath (Join-Path $RepoRoot 'examples') -Destination (Join-Path $Work 'examples') -Recurse
        Set-Content -LiteralPath (Join-Path $Work 'iris.key') -Value "[ConfigFile]`nFileType=License 2.0`n; README test" -NoNewline
        Set-Content -LiteralPath (Join-Path $Work 'merge.cpf') -Value "[config]`nglobals=0,0,256,0,0,0`n[Actions]`nCreateDatabase:Name=APPDATA,Directory=/durable/appdata`n"
        Copy-Item -LiteralPath (Join-Path $RepoRoot 'examples/default-settings.csv') -Destination (Join-Path $Work 'site.csv')
        $script:Substitutions = [ordered]@{
            'Import-Module ./out/IrisOps/IrisOps.psd1'             = "Import-Module '$ModuleManifest'"
            'containers.intersystems.com/intersystems/iris:2025.3' = $ReleaseTag
            'kubectl apply -k ./demo-k8s'                          = '' # no Kubernetes cluster here; the files are checked below
            'iris-app:1.5'                                         = 'irisops-standin:v2'
            '~/iris.key'                                           = './iris.key'
            '(Read-Host -AsSecureString)'                          = "(ConvertTo-SecureString 'readme test pass' -AsPlainText -Force)"
            '/srv/iris-backups'                                    = './backups'
            '-Name demo '                                          = "-Name $Cluster "
            '-Name demo'                                           = "-Name $Cluster"
            'demo-data-server'                                     = "$Cluster-data-server"
        }
    }

    AfterAll {
        $env:XDG_DATA_HOME = $SavedDataHome
        if ($script:Cluster) { try { Remove-ClusterResources $Cluster } catch { Write-Warning $_ } }
        # The training-room block's sandboxes, should the run have stopped before its own removal.
        foreach ($kind in 'container', 'network', 'volume') {
            $list = if ($kind -eq 'container') { @('ps', '-aq') } else { @($kind, 'ls', '-q') }
            $ids = @((Invoke-DockerCli -ArgumentList ($list + '--filter', 'label=irisops.sandbox.template=class')).Output -split "`n" | Where-Object { $_ })
            $remove = if ($kind -eq 'network') { @('network', 'rm') } else { @($kind, 'rm', '-f') }
            if ($ids) { Invoke-DockerCli -ArgumentList ($remove + $ids) | Out-Null }
        }
        Invoke-DockerCli -ArgumentList 'rmi', $ReleaseTag | Out-Null
        if ($script:Work) { Remove-DurableFolder -Path $Work }
    }

    It 'runs the blocks in README order in one session; the cluster is created, tested, upgraded and removed with its data' {
        $runnable = @($Blocks | Where-Object { $_.Heading -notin 'Site settings that survive new images', 'Production items after deployment' })
        $script = ($runnable | ForEach-Object { "# --- $($_.Heading)`n$($_.Code)" }) -join "`n"
        $script = $script -replace '(?m)^Import-Csv \./examples/\S+ \| Set-Iris.*$', '' -replace '(?m)^Get-IrisProductionItem .*$', ''
        foreach ($from in $Substitutions.Keys) { $script = $script.Replace($from, $Substitutions[$from]) }
        $settingsExport = ($Blocks | Where-Object Heading -EQ 'Site settings that survive new images').Code -split "`n" | Where-Object { $_ -match '-ExportPath' }
        $script += "`n" + ($settingsExport -join "`n")
        Set-Content -LiteralPath (Join-Path $Work 'readme.ps1') -Value $script

        Push-Location $Work
        try {
            $ConfirmPreference = 'None' # the README's Remove-IrisEcpCluster asks; the answer here is yes
            $ErrorActionPreference = 'Stop'
            $output = & (Join-Path $Work 'readme.ps1') 6>&1 | Out-String -Width 200
        }
        finally { Pop-Location }

        $output | Should -Match 'Passed' -Because 'Test-IrisEcpCluster ran'
        @(Get-IrisEcpCluster -Name $Cluster -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty -Because 'the README ends by removing the cluster'
        (Get-ClusterResources $Cluster).Volumes | Should -BeNullOrEmpty -Because '-RemoveData removed what the first removal kept'
        Join-Path $Work 'site.xml' | Should -Exist
        Join-Path $Work 'merge.clean.cpf' | Should -Exist
        Join-Path $Work 'runtime.cpf' | Should -Exist
        Join-Path $Work 'demo-k8s/kustomization.yaml' | Should -Exist
        Get-Content -Raw -LiteralPath (Join-Path $Work 'demo-k8s/iriscluster.yaml') | Should -Match 'compatibilityVersion: "?2025\.3'
        @(Get-ChildItem -LiteralPath (Join-Path $Work 'backups') -Recurse -Filter '*.tar').Count | Should -BeGreaterThan 0 -Because 'the upgrade backed up every node'
    }
}
