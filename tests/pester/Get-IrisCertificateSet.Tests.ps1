# Get-IrisCertificateSet: a set written earlier comes back as the object New-IrisCertificateSet returned, checked
# file by file, and New-IrisEcpCluster deploys from it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Root = New-TestFolder
    $script:Written = New-IrisCertificateSet -Path (Join-Path $Root 'tls') -DataServer data -ApplicationServer app-1, app-2 -SubjectAlternativeName 'ecp.example.com', '10.0.0.5'
    function script:Copy-Set([string] $Name) {
        $copy = Join-Path $Root $Name
        Copy-Item -LiteralPath $Written.Path -Destination $copy -Recurse
        $copy
    }
}

AfterAll {
    Remove-Item -LiteralPath $Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-IrisCertificateSet' {
    It 'reads back what New-IrisCertificateSet wrote, property by property' {
        $read = Get-IrisCertificateSet -Path $Written.Path
        $read.PSObject.TypeNames[0] | Should -Be 'IrisOps.Core.Certificates.IrisCertificateSet'
        $read.Path | Should -Be $Written.Path
        foreach ($property in 'Subject', 'Thumbprint', 'NotAfter', 'CertificatePath', 'KeyPath', 'KeyAlgorithm') {
            $read.Authority.$property | Should -Be $Written.Authority.$property -Because "Authority.$property"
        }
        $byHost = @{}
        foreach ($certificate in $read.Certificates) { $byHost[$certificate.HostName] = $certificate }
        @($byHost.Keys | Sort-Object) | Should -Be @('app-1', 'app-2', 'data')
        foreach ($expected in $Written.Certificates) {
            $actual = $byHost[$expected.HostName]
            foreach ($property in 'Role', 'Subject', 'Issuer', 'Thumbprint', 'SerialNumber', 'NotBefore', 'NotAfter', 'KeyAlgorithm', 'CertificatePath', 'KeyPath', 'PfxPath', 'KeyEncrypted') {
                $actual.$property | Should -Be $expected.$property -Because "$($expected.HostName).$property"
            }
            @($actual.SubjectAlternativeNames | Sort-Object) | Should -Be @($expected.SubjectAlternativeNames | Sort-Object)
        }
    }

    It 'takes wildcards, relative paths and objects with a Path from the pipeline' {
        Push-Location $Root
        try {
            @(Get-IrisCertificateSet -Path 'tl*').Path | Should -Be @($Written.Path)
            @($Written | Get-IrisCertificateSet).Path | Should -Be @($Written.Path)
            @(Get-Item -LiteralPath $Written.Path | Get-IrisCertificateSet).Path | Should -Be @($Written.Path)
        }
        finally { Pop-Location }
    }

    It 'recognises encrypted keys and PFX files without decrypting anything' {
        $password = ConvertTo-SecureString 'Pester key pass 2' -AsPlainText -Force
        $made = New-IrisCertificateSet -Path (Join-Path $Root 'encrypted') -DataServer data -ApplicationServer app-1 -KeyPassword $password -IncludePfx
        $read = Get-IrisCertificateSet -Path $made.Path
        @($read.Certificates.KeyEncrypted | Select-Object -Unique) | Should -Be @($true)
        @($read.Certificates.PfxPath | Sort-Object) | Should -Be @($made.Certificates.PfxPath | Sort-Object)
    }

    It 'refuses <Why>, naming the file, and goes on with the next folder' -ForEach @(
        @{ Why = 'a node certificate from another CA'; Id = 'CertificateNotFromAuthority'; Break = { param($dir) $other = New-IrisCertificateSet -Path (Join-Path $Root "other-$(Split-Path $dir -Leaf)") -DataServer data -ApplicationServer app-1; Copy-Item $other.Certificates[1].CertificatePath (Join-Path $dir 'app-1.cer') -Force; Copy-Item $other.Certificates[1].KeyPath (Join-Path $dir 'app-1.key') -Force } }
        @{ Why = 'a certificate without its key'; Id = 'CertificateKeyMissing'; Break = { param($dir) Remove-Item (Join-Path $dir 'app-2.key') } }
        @{ Why = 'a key that belongs to another certificate'; Id = 'CertificateKeyMismatch'; Break = { param($dir) Copy-Item (Join-Path $dir 'app-1.key') (Join-Path $dir 'app-2.key') -Force } }
        @{ Why = 'a folder without ca.cer'; Id = 'CertificateSetNotFound'; Break = { param($dir) Remove-Item (Join-Path $dir 'ca.cer') } }
        @{ Why = 'a ca.cer that is not a certificate'; Id = 'CertificateUnreadable'; Break = { param($dir) Set-Content -LiteralPath (Join-Path $dir 'ca.cer') -Value 'not a certificate' } }
    ) {
        $broken = Copy-Set "broken-$Id"
        & $Break $broken
        $sets = @(Get-IrisCertificateSet -Path $broken, $Written.Path -ErrorVariable problems -ErrorAction SilentlyContinue)
        @($sets.Path) | Should -Be @($Written.Path)
        @($problems).Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $problems[0].Exception.Message | Should -Not -Match 'Exception|BouncyCastle|at IrisOps'
    }

    It 'a path that matches nothing and a file are errors' {
        { Get-IrisCertificateSet -Path (Join-Path $Root 'missing*') -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*' -Because 'as with Import-IrisCpf, a path that matches nothing is an error'
        { Get-IrisCertificateSet -LiteralPath (Join-Path $Root 'missing') -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
        { Get-IrisCertificateSet -LiteralPath $Written.Certificates[0].CertificatePath -ErrorAction Stop } | Should -Throw -ErrorId 'PathIsFile,*'
    }

    It 'New-IrisEcpCluster takes the set read back, with a node per certificate' {
        $license = Join-Path $Root 'iris.key'
        Set-Content -LiteralPath $license -Value "[ConfigFile]`nFileType=License 2.0`n" -NoNewline
        $project = New-IrisEcpCluster -Name 'fromdisk' -Image 'irisops-standin:v1' -CertificateSet (Get-IrisCertificateSet $Written.Path) -LicenseKeyPath $license -OutputPath (Join-Path $Root 'project')
        $compose = Get-Content -Raw -LiteralPath (Join-Path $Root 'project/docker-compose.yml')
        $compose | Should -Match 'fromdisk-app-2'
        $compose | Should -Not -Match 'fromdisk-app-3'
    }
}
