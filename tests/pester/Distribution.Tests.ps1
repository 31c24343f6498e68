# What a new user does first: the README's quickstart, and installing the packaged module.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Pwsh = Get-PwshCommandLine
}

Describe 'The quickstart' {
    It 'imports the built module and creates a certificate set for a data server and two application servers under out/quickstart' {
        $output = & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'examples/quickstart.ps1') 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $output
        $output | Should -Match 'data-server \(DataServer\), app-server-1 \(ApplicationServer\),\s+app-server-2 \(ApplicationServer\)'
        $folder = Join-Path $RepoRoot 'out/quickstart/certificates'
        foreach ($name in 'ca.cer', 'data-server.cer', 'data-server.key', 'app-server-1.cer', 'app-server-2.key') { Join-Path $folder $name | Should -Exist }
        (Invoke-OpenSsl -ArgumentList 'verify', '-CAfile', (Join-Path $folder 'ca.cer'), (Join-Path $folder 'data-server.cer')).ExitCode | Should -Be 0
    }

    It 'renders seed 002''s build and runtime merge files next to the example Dockerfile' {
        $image = Join-Path $RepoRoot 'out/quickstart/image'
        foreach ($name in 'Dockerfile', 'staging.cpf', 'build.cpf', 'runtime.cpf') { Join-Path $image $name | Should -Exist }
        $build = Get-Content (Join-Path $image 'build.cpf')
        $build | Should -Contain 'CreateDatabase:Name=APPDATA,Directory=/usr/irissys/mgr/appdata,MountAtStartup=1,ResourceName=%DB_APP'
        $build | Should -Not -Match 'APPCODE'
        $runtime = Get-Content (Join-Path $image 'runtime.cpf')
        $runtime | Should -Contain 'CreateDatabase:Name=APPCODE,Directory=/home/irisowner/mgr/appcode,MountAtStartup=1'
        $runtime | Should -Contain 'CreateMapGlobal:Name=Ens.Config.*,Namespace=APP,Database=APPCONFIG'
    }
}

Describe 'The package' {
    It 'is a .nupkg that Install-PSResource installs from a local folder repository, and the installed module works' {
        & $Pwsh[0] @($Pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'build.ps1') -Task Package -NoBuild 2>&1 | Out-Host
        $package = Get-ChildItem (Join-Path $RepoRoot 'out/package') -Filter 'IrisOps.*.nupkg'
        $package | Should -HaveCount 1

        # A throwaway HOME keeps the repository registration and the install out of the real user profile.
        $home2 = New-TestFolder
        $script = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name IrisOpsTest -Uri '$(Split-Path $package.FullName)' -Trusted
Install-PSResource -Name IrisOps -Repository IrisOpsTest -Scope CurrentUser -TrustRepository
`$module = Import-Module IrisOps -PassThru
`$set = New-IrisCertificateSet -Path '$home2/certs' -ApplicationServer app
'{0}|{1}|{2}' -f `$module.ModuleBase, `$module.Version, `$set.Certificates.Count
"@
        $start = [Diagnostics.ProcessStartInfo]::new($Pwsh[0])
        foreach ($argument in @($Pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', $script)) { $start.ArgumentList.Add($argument) }
        $start.Environment['HOME'] = $home2
        foreach ($variable in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'PSModulePath') { [void]$start.Environment.Remove($variable) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardError = $true
        $process = [Diagnostics.Process]::Start($start)
        $stdout = $process.StandardOutput.ReadToEndAsync(); $stderr = $process.StandardError.ReadToEndAsync()
        $process.WaitForExit(120000) | Should -BeTrue
        $text = $stdout.Result + $stderr.Result
        Remove-Item $home2 -Recurse -Force -ErrorAction SilentlyContinue

        $process.ExitCode | Should -Be 0 -Because $text
        $base, $version, $count = ($stdout.Result.Trim() -split "`n")[-1] -split '\|'
        $base | Should -BeLike "$home2*"
        $version | Should -Be (Import-PowerShellDataFile $ModuleManifest).ModuleVersion
        $count | Should -Be 1
    }
}
