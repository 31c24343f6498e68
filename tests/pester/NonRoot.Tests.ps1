# The cluster lifecycle as a user who is not root but may use the Docker engine (the docker group): every file
# IrisOps writes on the host stays that user's, Remove keeps and -RemoveData deletes, nothing is left behind.
# Run as root, the test runs the cmdlets as a uid with no other rights (setpriv); run as another user, as that user.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $script:DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'NonRoot.Tests.ps1 (the cluster lifecycle as a user who is not root)'
}

Describe 'The cluster lifecycle as a user who is not root' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1 | Out-Null

        $script:Suffix = [guid]::NewGuid().ToString('N').Substring(0, 6)
        $script:Names = @("nrv$Suffix", "nrb$Suffix")
        $script:AsRoot = (& id -u) -eq '0'
        $script:Uid = if ($AsRoot) { 23456 } else { [int](& id -u) }
        $script:Work = Join-Path ([IO.Path]::GetTempPath()) "irisops-nonroot-$Suffix"
        $script:UserRoot = Join-Path $Work 'user'
        New-Item -ItemType Directory -Path $UserRoot, (Join-Path $UserRoot 'home') -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $UserRoot 'iris.key') -Value "[ConfigFile]`nFileType=License 2.0`n" -NoNewline

        # The module and PowerShell itself where the user can read them (/root is owner-only).
        $script:ModuleCopy = Join-Path $Work 'IrisOps'
        Copy-Item -Recurse -LiteralPath (Split-Path $ModuleManifest) -Destination $ModuleCopy
        $script:PwshCopy = Join-Path $Work 'pwsh'
        Copy-Item -Recurse -LiteralPath $PSHOME -Destination $PwshCopy
        if ($AsRoot) {
            & chmod -R a+rX $Work
            & chown -R "${Uid}:${Uid}" $UserRoot
        }

        # Runs one phase of the lifecycle as the user; returns its output (throws on failure).
        function Invoke-AsUser([string] $Script) {
            $file = Join-Path $UserRoot "phase-$([guid]::NewGuid().ToString('N').Substring(0, 6)).ps1"
            Set-Content -LiteralPath $file -Value ("`$ErrorActionPreference = 'Stop'`nImport-Module '$ModuleCopy/IrisOps.psd1'`n" + $Script)
            $environment = @("HOME=$UserRoot/home", "DOTNET_CLI_HOME=$UserRoot/home", 'DOTNET_NOLOGO=1', "PATH=$env:PATH")
            if ($env:DOCKER_HOST) { $environment += "DOCKER_HOST=$env:DOCKER_HOST" }
            $pwsh = @([Environment]::ProcessPath) + $(if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { @(Join-Path $PwshCopy 'pwsh.dll') } else { @() })
            $command = @('env') + $environment + $pwsh + @('-NoProfile', '-NonInteractive', '-File', $file)
            if ($AsRoot) {
                & chown "${Uid}:${Uid}" $file
                $socketGroup = (& stat -c '%g' '/var/run/docker.sock')
                $command = @('--reuid', "$Uid", '--regid', "$Uid", "--groups=$socketGroup") + $command
                $run = Invoke-Bounded -FilePath 'setpriv' -ArgumentList $command -WorkingDirectory $UserRoot -TimeoutSeconds 240
            }
            else {
                $run = Invoke-Bounded -FilePath $command[0] -ArgumentList ($command | Select-Object -Skip 1) -WorkingDirectory $UserRoot -TimeoutSeconds 240
            }
            Remove-Item -LiteralPath $file -Force
            if ($run.ExitCode -ne 0) { throw "phase failed (exit code $($run.ExitCode)): $($run.Output) $($run.Error)" }
            return $run.Output
        }

        # Paths under $Path not owned by the user.
        function Get-ForeignFile([string] $Path) {
            @((& find $Path '!' '-user' "$Uid") | Where-Object { $_ })
        }

        $script:Create = "New-IrisEcpCluster -Name '{0}' -Image 'irisops-standin:v1' -ApplicationServerCount 1 -LicenseKeyPath ./iris.key -ClusterPath ./{0} -HealthTimeout 60 -StopTimeout 10 {1} | Out-Null"
    }

    AfterAll {
        foreach ($name in $Names) { Remove-ClusterResources $name }
        if ($Work -and (Test-Path $Work)) { Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'creates, removes keeping the data, creates again and removes with -RemoveData, leaving every host file the user''s' {
        $name = $Names[0]
        Invoke-AsUser ($Create -f $name, '') | Out-Null
        $folder = Join-Path $UserRoot $name
        Join-Path $folder 'nodes' | Should -Exist
        Get-ForeignFile $folder | Should -BeNullOrEmpty -Because 'no file in the cluster folder is given to the IRIS user'
        (Get-ClusterResources $name).Containers.Count | Should -Be 2

        Invoke-AsUser "Remove-IrisEcpCluster -Name '$name' -StopTimeout 10 -Confirm:`$false" | Out-Null
        Join-Path $folder 'nodes' | Should -Not -Exist
        @((Get-ClusterResources $name).Volumes | Sort-Object) | Should -Be @("$name-app-1-durable", "$name-data-durable")

        Invoke-AsUser ($Create -f $name, '') | Out-Null
        Get-ForeignFile $folder | Should -BeNullOrEmpty
        Invoke-AsUser "Remove-IrisEcpCluster -Name '$name' -StopTimeout 10 -RemoveData -Confirm:`$false" | Out-Null
        $folder | Should -Not -Exist
        $left = Get-ClusterResources $name
        $left.Containers + $left.Networks + $left.Volumes | Should -BeNullOrEmpty
    }

    It 'removes bind-mounted durable folders that IRIS owns with -RemoveData' {
        $name = $Names[1]
        Invoke-AsUser ($Create -f $name, "-DurablePath ./$name-durable") | Out-Null
        $durable = Join-Path $UserRoot "$name-durable"
        # IRIS must write its durable folders: those, and only those, belong to the IRIS user (the help says so).
        (& stat -c '%u' (Join-Path $durable "$name-data")) | Should -Be '51773'
        Get-ForeignFile (Join-Path $UserRoot $name) | Should -BeNullOrEmpty
        Invoke-AsUser "Remove-IrisEcpCluster -Name '$name' -StopTimeout 10 -RemoveData -Confirm:`$false" | Out-Null
        Join-Path $durable "$name-data" | Should -Not -Exist
        Join-Path $durable "$name-app-1" | Should -Not -Exist
        Join-Path $UserRoot $name | Should -Not -Exist
        $left = Get-ClusterResources $name
        $left.Containers + $left.Networks + $left.Volumes | Should -BeNullOrEmpty
    }
}
