# The module as it is shipped: the manifest, the two builds, private dependency folders, and proof that a
# session which already loaded other versions of our dependencies still gets the module's own copies.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ModuleFolder = Split-Path $ModuleManifest
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest $ModuleManifest -ErrorAction Stop } | Should -Not -Throw
    }

    It 'declares both editions, PowerShell 5.1 and an explicit cmdlet list' {
        $data = Import-PowerShellDataFile $ModuleManifest
        $data.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $data.PowerShellVersion | Should -Be '5.1'
        $data.CmdletsToExport | Should -Not -Contain '*'
        $data.CmdletsToExport | Should -Contain 'New-IrisCertificateSet'
        $data.FunctionsToExport.Count | Should -Be 0
        $data.AliasesToExport.Count | Should -Be 0
    }

    It 'exports exactly the cmdlets the manifest lists' {
        $module = Import-Module $ModuleManifest -Force -PassThru
        $data = Import-PowerShellDataFile $ModuleManifest
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($data.CmdletsToExport | Sort-Object)
        @($module.ExportedFunctions.Keys).Count | Should -Be 0
    }

    It 'can be imported again with -Force in the same session' {
        Import-Module $ModuleManifest -Force
        { Import-Module $ModuleManifest -Force -ErrorAction Stop } | Should -Not -Throw
        Get-Command New-IrisCertificateSet -Module IrisOps | Should -Not -BeNullOrEmpty
    }
}

Describe 'The module folder' {
    It 'holds a net8.0 build whose only public assembly is the load-context loader' {
        (Get-ChildItem (Join-Path $ModuleFolder 'bin/net8.0') -File).Name | Should -Be @('IrisOps.LoadContext.dll')
        foreach ($name in 'IrisOps.dll', 'IrisOps.Core.dll', 'BouncyCastle.Cryptography.dll', 'YamlDotNet.dll', 'Docker.DotNet.dll') {
            Join-Path $ModuleFolder "bin/net8.0/lib/$name" | Should -Exist
        }
    }

    It 'holds a net472 build for Windows PowerShell 5.1 with its dependencies in a private folder' {
        Join-Path $ModuleFolder 'bin/net472/IrisOps.dll' | Should -Exist
        foreach ($name in 'IrisOps.Core.dll', 'BouncyCastle.Cryptography.dll', 'YamlDotNet.dll', 'Docker.DotNet.dll') {
            Join-Path $ModuleFolder "bin/net472/lib/$name" | Should -Exist
            Join-Path $ModuleFolder "bin/net472/$name" | Should -Not -Exist
        }
        $assembly = [Reflection.AssemblyName]::GetAssemblyName((Join-Path $ModuleFolder 'bin/net472/IrisOps.dll'))
        $assembly.Name | Should -Be 'IrisOps'
        $metadata = [IO.File]::ReadAllBytes((Join-Path $ModuleFolder 'bin/net472/IrisOps.dll'))
        [Text.Encoding]::ASCII.GetString($metadata) | Should -Match '\.NETFramework,Version=v4\.7\.2'
    }

    It 'ships the format data, the help file and about_IrisOps' {
        Join-Path $ModuleFolder 'IrisOps.Format.ps1xml' | Should -Exist
        Join-Path $ModuleFolder 'en-US/IrisOps.dll-Help.xml' | Should -Exist
        Join-Path $ModuleFolder 'en-US/about_IrisOps.help.txt' | Should -Exist
    }
}

Describe 'Dependency isolation on PowerShell 7' {
    It 'works with the module''s own BouncyCastle, YamlDotNet and Docker.DotNet when other versions were loaded first' {
        $foreign = @{
            BouncyCastle = Join-Path $NuGetPackages 'bouncycastle.cryptography/2.4.0/lib/net6.0/BouncyCastle.Cryptography.dll'
            Yaml         = Join-Path $NuGetPackages 'yamldotnet/11.2.1/lib/netstandard2.1/YamlDotNet.dll'
            Docker       = Join-Path $NuGetPackages 'docker.dotnet/3.125.15/lib/netstandard2.1/Docker.DotNet.dll'
        }
        foreach ($path in $foreign.Values) { $path | Should -Exist -Because 'build/tools.csproj downloads the foreign versions' }
        $folder = New-TestFolder
        $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$($foreign.BouncyCastle)'
Add-Type -Path '$($foreign.Yaml)'
Add-Type -Path '$($foreign.Docker)'
`$before = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'BouncyCastle.Cryptography', 'YamlDotNet', 'Docker.DotNet' }
Import-Module '$ModuleManifest'
`$set = New-IrisCertificateSet -Path '$folder/set' -DataServer ds -ApplicationServer app
`$moduleContext = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext((Get-Command New-IrisCertificateSet).ImplementingType.Assembly)
`$ours = foreach (`$name in 'BouncyCastle.Cryptography', 'YamlDotNet', 'Docker.DotNet') { `$moduleContext.LoadFromAssemblyName([Reflection.AssemblyName]::new(`$name)) }
[pscustomobject]@{
    Certificates    = `$set.Certificates.Count
    ModuleContext   = `$moduleContext.Name
    Foreign         = @(`$before | ForEach-Object { '{0} {1} {2}' -f `$_.GetName().Name, `$_.GetName().Version, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name })
    Ours            = @(`$ours | ForEach-Object { '{0}|{1}|{2}' -f `$_.GetName().Name, `$_.Location, [Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name })
    CoreBouncyCastle = ((`$moduleContext.Assemblies | Where-Object { `$_.GetName().Name -eq 'BouncyCastle.Cryptography' }).Location)
} | ConvertTo-Json
"@
        $pwsh = Get-PwshCommandLine
        $json = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0 -Because ($json -join "`n")
        $result = ($json -join "`n") | ConvertFrom-Json
        Remove-Item $folder -Recurse -Force

        $result.Certificates | Should -Be 2
        $result.ModuleContext | Should -Be 'IrisOps'
        $result.Foreign | Should -Contain 'BouncyCastle.Cryptography 2.0.0.0 Default'
        ($result.Foreign -join ';') | Should -Match 'YamlDotNet 11\.0\.0\.0 Default'
        ($result.Foreign -join ';') | Should -Match 'Docker.DotNet 3\.125\.0\.0 Default'
        $libFolder = Join-Path $ModuleFolder 'bin/net8.0/lib'
        foreach ($entry in $result.Ours) {
            $name, $location, $context = $entry -split '\|'
            $location | Should -Be (Join-Path $libFolder "$name.dll")
            $context | Should -Be 'IrisOps'
        }
        $result.CoreBouncyCastle | Should -Be (Join-Path $libFolder 'BouncyCastle.Cryptography.dll') -Because 'New-IrisCertificateSet used the module''s copy'
    }
}

# Windows PowerShell 5.1 is not on this machine. PowerShell 7 can still run the psm1's 5.1 branch against the
# net472 build (a copy of the module whose edition check is switched off): the resolver, the re-import with
# -Force and the isolation from another module's YamlDotNet are the same code 5.1 runs.
Describe 'The Windows PowerShell 5.1 loader, run on PowerShell 7' {
    It 'imports the net472 build, keeps every cmdlet after Import-Module -Force, and uses its own YamlDotNet' {
        $foreignYaml = Join-Path $NuGetPackages 'yamldotnet/11.2.1/lib/netstandard2.1/YamlDotNet.dll'
        $foreignYaml | Should -Exist -Because 'build/tools.csproj downloads the foreign version'
        $folder = New-TestFolder
        $copy = Join-Path $folder 'IrisOps'
        Copy-Item -Path $ModuleFolder -Destination $copy -Recurse
        $psm1 = Join-Path $copy 'IrisOps.psm1'
        $text = Get-Content -Raw $psm1
        $text | Should -Match "(?m)^if \(\`$PSEdition -eq 'Core'\) \{"
        Set-Content -Path $psm1 -Value ($text -replace "(?m)^if \(\`$PSEdition -eq 'Core'\) \{", 'if ($false) {') -NoNewline
        $layout = Join-Path $RepoRoot 'examples/app-layout.yml'

        $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$foreignYaml'
Import-Module '$copy/IrisOps.psd1'
`$first = @(Get-Command -Module IrisOps).Count
Import-Module '$copy/IrisOps.psd1' -Force
`$afterForce = @(Get-Command -Module IrisOps).Count
# Reads the YAML layout with YamlDotNet; no -Path, since writing a file takes .NET Framework's ACL API.
`$merge = Export-IrisMergeCpf -LayoutPath '$layout' -Stage Build | Out-String
[pscustomobject]@{
    First      = `$first
    AfterForce = `$afterForce
    Cmdlets    = @(Get-Command -Module IrisOps | ForEach-Object Name | Sort-Object)
    Assembly   = (Get-Command Export-IrisMergeCpf).ImplementingType.Assembly.Location
    Yaml       = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in 'YamlDotNet', 'IrisOps.Core' } | ForEach-Object { '{0}|{1}' -f `$_.GetName().Name, `$_.Location })
    MergeFile  = `$merge
} | ConvertTo-Json
"@
        $pwsh = Get-PwshCommandLine
        $json = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script
        $LASTEXITCODE | Should -Be 0 -Because ($json -join "`n")
        $result = ($json -join "`n") | ConvertFrom-Json
        Remove-Item $folder -Recurse -Force

        $expected = @((Import-PowerShellDataFile $ModuleManifest).CmdletsToExport | Sort-Object)
        $result.First | Should -Be $expected.Count
        $result.AfterForce | Should -Be $expected.Count -Because 'Import-Module -Force must not leave the module without cmdlets'
        @($result.Cmdlets) | Should -Be $expected
        $result.Assembly | Should -Be (Join-Path $copy 'bin/net472/IrisOps.dll')
        $result.MergeFile | Should -Match 'Build stage of app-layout\.yml'
        $result.Yaml | Should -Contain "YamlDotNet|$foreignYaml"
        $result.Yaml | Should -Contain "YamlDotNet|$(Join-Path $copy 'bin/net472/lib/YamlDotNet.dll')"
        $result.Yaml | Should -Contain "IrisOps.Core|$(Join-Path $copy 'bin/net472/lib/IrisOps.Core.dll')"
    }
}
