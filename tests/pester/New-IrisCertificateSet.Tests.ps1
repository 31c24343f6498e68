# New-IrisCertificateSet as an OpenSSL user would check it: verify, read the extensions, a real mutual-TLS
# exchange, encrypted keys and PFX files opened by openssl, plus the cmdlet's safety rules.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Root = New-TestFolder
    $script:Set = New-IrisCertificateSet -Path (Join-Path $Root 'cluster') -DataServer data-server -ApplicationServer app-1, app-2 -Organization 'Example Corp' -Country BE
    $script:Dir = $Set.Path
    $script:Password = 'Pester key pass 1'
    $script:SecurePassword = ConvertTo-SecureString $Password -AsPlainText -Force
}

AfterAll {
    Remove-Item $Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-IrisCertificateSet output' {
    It 'emits one IrisCertificateSet with the authority and a certificate per node' {
        $Set | Should -HaveCount 1
        $Set.PSObject.TypeNames[0] | Should -Be 'IrisOps.Core.Certificates.IrisCertificateSet'
        $Set.Authority.CertificatePath | Should -Be (Join-Path $Dir 'ca.cer')
        $Set.Authority.KeyPath | Should -Be (Join-Path $Dir 'ca.key')
        $Set.Authority.Subject | Should -Match 'CN=IrisOps ECP CA'
        $Set.Certificates.HostName | Should -Be @('data-server', 'app-1', 'app-2')
        ($Set.Certificates | Where-Object HostName -eq 'data-server').Role | Should -Be 'DataServer'
        ($Set.Certificates | Where-Object HostName -eq 'app-1').Role | Should -Be 'ApplicationServer'
        foreach ($certificate in $Set.Certificates) {
            $certificate.CertificatePath | Should -Exist
            $certificate.KeyPath | Should -Exist
            $certificate.Thumbprint | Should -Match '^[0-9A-F]{40}$'
            $certificate.NotAfter | Should -BeGreaterThan (Get-Date).AddDays(700)
        }
    }

    It 'writes exactly the documented files' {
        (Get-ChildItem $Dir).Name | Sort-Object | Should -Be @('app-1.cer', 'app-1.key', 'app-2.cer', 'app-2.key', 'ca.cer', 'ca.key', 'data-server.cer', 'data-server.key')
    }

    It 'has a readable default view' {
        $text = $Set | Out-String
        $text | Should -Match 'Certificates\s*:\s*data-server \(DataServer\), app-1 \(ApplicationServer\), app-2 \(ApplicationServer\)'
        ($Set.Certificates | Out-String) | Should -Match 'HostName\s+Role\s+NotAfter\s+Thumbprint'
    }

    It 'writes private keys owner-only (0600)' -Skip:$IsWindows {
        foreach ($key in @($Set.Authority.KeyPath) + $Set.Certificates.KeyPath) {
            (Get-Item $key).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        }
    }
}

Describe 'OpenSSL accepts the certificates' {
    It 'openssl verify -CAfile accepts every node certificate' {
        $result = Invoke-OpenSsl -ArgumentList (@('verify', '-CAfile', $Set.Authority.CertificatePath) + $Set.Certificates.CertificatePath)
        $result.ExitCode | Should -Be 0 -Because $result.Output
        foreach ($certificate in $Set.Certificates) { $result.Output | Should -Match ([regex]::Escape("$($certificate.CertificatePath): OK")) }
    }

    It 'openssl x509 -text shows a critical CA with certificate and CRL signing' {
        $text = (Invoke-OpenSsl -ArgumentList 'x509', '-in', $Set.Authority.CertificatePath, '-noout', '-text').Output
        $text | Should -Match 'X509v3 Basic Constraints: critical\s+CA:TRUE'
        $text | Should -Match 'X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign'
        $text | Should -Match 'Signature Algorithm: sha256WithRSAEncryption'
        $text | Should -Match 'Subject: C = BE, O = Example Corp, CN = IrisOps ECP CA'
        $text | Should -Match 'Public-Key: \(2048 bit\)'
    }

    It 'openssl x509 -text shows serverAuth, the host name and key identifiers on the data server certificate' {
        $text = (Invoke-OpenSsl -ArgumentList 'x509', '-in', (Join-Path $Dir 'data-server.cer'), '-noout', '-text').Output
        $text | Should -Match 'X509v3 Extended Key Usage:\s+TLS Web Server Authentication\s'
        $text | Should -Not -Match 'TLS Web Client Authentication'
        $text | Should -Match 'X509v3 Subject Alternative Name:\s+DNS:data-server'
        $text | Should -Match 'X509v3 Subject Key Identifier'
        $text | Should -Match 'X509v3 Authority Key Identifier'
        $text | Should -Match 'CA:FALSE'
        $text | Should -Match 'Subject: C = BE, O = Example Corp, CN = data-server'
    }

    It 'openssl x509 -text shows clientAuth on application server certificates' {
        $text = (Invoke-OpenSsl -ArgumentList 'x509', '-in', (Join-Path $Dir 'app-1.cer'), '-noout', '-text').Output
        $text | Should -Match 'X509v3 Extended Key Usage:\s+TLS Web Client Authentication\s'
        $text | Should -Match 'DNS:app-1'
    }

    It 'the authority key identifier of each leaf is the CA subject key identifier' {
        $caText = (Invoke-OpenSsl -ArgumentList 'x509', '-in', $Set.Authority.CertificatePath, '-noout', '-ext', 'subjectKeyIdentifier').Output
        $ski = ([regex]::Match($caText, '([0-9A-F]{2}:){19}[0-9A-F]{2}')).Value
        $ski | Should -Not -BeNullOrEmpty
        $leafText = (Invoke-OpenSsl -ArgumentList 'x509', '-in', (Join-Path $Dir 'app-2.cer'), '-noout', '-ext', 'authorityKeyIdentifier').Output
        $leafText | Should -Match ([regex]::Escape($ski))
    }

    It 'serial numbers are random and distinct' {
        $serials = foreach ($certificate in $Set.Certificates) { (Invoke-OpenSsl -ArgumentList 'x509', '-in', $certificate.CertificatePath, '-noout', '-serial').Output.Trim() }
        $serials | Select-Object -Unique | Should -HaveCount 3
        foreach ($serial in $serials) { ($serial -replace '^serial=', '').Length | Should -BeGreaterOrEqual 16 }
    }
}

Describe 'A real mutual-TLS exchange on 127.0.0.1' {
    It 'the application server certificate and the data server certificate complete a handshake that requires a client certificate' {
        $server = Start-TlsServer -Certificate (Join-Path $Dir 'data-server.cer') -Key (Join-Path $Dir 'data-server.key') -CaFile $Set.Authority.CertificatePath
        $client = Invoke-OpenSsl -InputText "ecp ping`nCLOSE`n" -ArgumentList 's_client', '-connect', "127.0.0.1:$($server.Port)", '-cert', (Join-Path $Dir 'app-1.cer'), '-key', (Join-Path $Dir 'app-1.key'), '-CAfile', $Set.Authority.CertificatePath, '-verify_return_error', '-verify_hostname', 'data-server', '-servername', 'data-server', '-quiet'
        $serverLog = Stop-TlsServer $server

        $client.ExitCode | Should -Be 0 -Because $client.Output
        $client.Output | Should -Match 'gnip pce'   # the server echoed our line reversed: data went both ways
        $serverLog | Should -Match 'Peer certificate: C = BE, O = Example Corp, CN = app-1'
        $serverLog | Should -Match 'Verification: OK'
    }

    It 'the data server refuses a client certificate from another CA' {
        $other = New-IrisCertificateSet -Path (Join-Path $Root 'other') -ApplicationServer app-1
        $server = Start-TlsServer -Certificate (Join-Path $Dir 'data-server.cer') -Key (Join-Path $Dir 'data-server.key') -CaFile $Set.Authority.CertificatePath
        $client = Invoke-OpenSsl -InputText "ecp ping`nCLOSE`n" -ArgumentList 's_client', '-connect', "127.0.0.1:$($server.Port)", '-cert', $other.Certificates[0].CertificatePath, '-key', $other.Certificates[0].KeyPath, '-CAfile', $Set.Authority.CertificatePath, '-servername', 'data-server', '-quiet'
        $serverLog = Stop-TlsServer $server

        $client.Output | Should -Not -Match 'gnip pce'
        $client.ExitCode | Should -Not -Be 0
        $serverLog | Should -Match 'certificate verify failed'
    }

    It 'the client refuses the data server under a host name its certificate does not have' {
        $server = Start-TlsServer -Certificate (Join-Path $Dir 'data-server.cer') -Key (Join-Path $Dir 'data-server.key') -CaFile $Set.Authority.CertificatePath
        $client = Invoke-OpenSsl -InputText "ecp ping`nCLOSE`n" -ArgumentList 's_client', '-connect', "127.0.0.1:$($server.Port)", '-cert', (Join-Path $Dir 'app-1.cer'), '-key', (Join-Path $Dir 'app-1.key'), '-CAfile', $Set.Authority.CertificatePath, '-verify_return_error', '-verify_hostname', 'impostor', '-quiet'
        $null = Stop-TlsServer $server
        $client.ExitCode | Should -Not -Be 0
        $client.Output | Should -Match 'hostname mismatch'
    }
}

Describe 'Encrypted keys and PFX files' {
    BeforeAll {
        $script:Encrypted = New-IrisCertificateSet -Path (Join-Path $Root 'encrypted') -DataServer ds -ApplicationServer app -KeyPassword $SecurePassword -IncludePfx
        $env:IRISOPS_TEST_PASS = $Password
        $env:IRISOPS_TEST_WRONG = 'not the password'
    }
    AfterAll {
        Remove-Item Env:IRISOPS_TEST_PASS, Env:IRISOPS_TEST_WRONG -ErrorAction SilentlyContinue
    }

    It 'writes AES-256 encrypted PKCS#8 that openssl pkey opens with the password' {
        $key = $Encrypted.Certificates[0].KeyPath
        (Get-Content $key -First 1) | Should -Be '-----BEGIN ENCRYPTED PRIVATE KEY-----'
        $asn1 = (Invoke-OpenSsl -ArgumentList 'asn1parse', '-in', $key).Output
        $asn1 | Should -Match 'aes-256-cbc'
        $asn1 | Should -Match 'hmacWithSHA256'
        $ok = Invoke-OpenSsl -ArgumentList 'pkey', '-in', $key, '-passin', 'env:IRISOPS_TEST_PASS', '-noout'
        $ok.ExitCode | Should -Be 0 -Because $ok.Output
    }

    It 'openssl pkey refuses the key with a wrong password' {
        $bad = Invoke-OpenSsl -ArgumentList 'pkey', '-in', $Encrypted.Certificates[0].KeyPath, '-passin', 'env:IRISOPS_TEST_WRONG', '-noout'
        $bad.ExitCode | Should -Not -Be 0
    }

    It 'the CA key is encrypted too' {
        (Get-Content $Encrypted.Authority.KeyPath -First 1) | Should -Be '-----BEGIN ENCRYPTED PRIVATE KEY-----'
    }

    It 'openssl pkcs12 opens the PFX with the password (no legacy provider) and finds key, leaf and CA' {
        $pfx = $Encrypted.Certificates[0].PfxPath
        $pfx | Should -Exist
        (Get-Item $pfx).UnixFileMode | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite')
        $info = Invoke-OpenSsl -ArgumentList 'pkcs12', '-in', $pfx, '-passin', 'env:IRISOPS_TEST_PASS', '-info', '-nokeys'
        $info.ExitCode | Should -Be 0 -Because $info.Output
        $info.Output | Should -Match 'pbeWithSHA1And3-KeyTripleDES-CBC'
        $info.Output | Should -Match 'MAC: sha1'
        ([regex]::Matches($info.Output, 'BEGIN CERTIFICATE')).Count | Should -Be 2
        $keys = Invoke-OpenSsl -ArgumentList 'pkcs12', '-in', $pfx, '-passin', 'env:IRISOPS_TEST_PASS', '-nocerts', '-nodes'
        $keys.Output | Should -Match 'BEGIN PRIVATE KEY'
        (Invoke-OpenSsl -ArgumentList 'pkcs12', '-in', $pfx, '-passin', 'env:IRISOPS_TEST_WRONG', '-noout').ExitCode | Should -Not -Be 0
    }

    It 'never shows the password or key material in any stream' {
        $all = New-IrisCertificateSet -Path (Join-Path $Root 'quiet') -DataServer ds -KeyPassword $SecurePassword -IncludePfx -Verbose *>&1 | Out-String
        $all | Should -Not -Match ([regex]::Escape($Password))
        $all | Should -Not -MatchExactly 'BEGIN [A-Z ]*PRIVATE KEY'
        $failure = New-IrisCertificateSet -Path (Join-Path $Root 'quiet2') -ApplicationServer x -CertificateAuthorityPath (Join-Path $Root 'quiet') -KeyPassword (ConvertTo-SecureString 'wrong secret 77' -AsPlainText -Force) -ErrorAction SilentlyContinue -ErrorVariable problem -Verbose *>&1 | Out-String
        $problem | Should -Not -BeNullOrEmpty
        ($failure + ($problem | Out-String)) | Should -Not -Match 'wrong secret 77'
    }
}

Describe 'Issuing from an existing CA' {
    It 'adds an application server with the same CA and leaves the other files alone' {
        $folder = Join-Path $Root 'grow'
        $first = New-IrisCertificateSet -Path $folder -DataServer ds -ApplicationServer app-1
        $before = Get-ChildItem $folder | ForEach-Object { @{ $_.Name = (Get-FileHash $_.FullName).Hash } }
        $added = New-IrisCertificateSet -Path $folder -CertificateAuthorityPath $folder -ApplicationServer app-2
        $added.Authority.Thumbprint | Should -Be $first.Authority.Thumbprint
        $added.Certificates.HostName | Should -Be 'app-2'
        foreach ($entry in $before) { foreach ($name in $entry.Keys) { (Get-FileHash (Join-Path $folder $name)).Hash | Should -Be $entry[$name] } }
        (Invoke-OpenSsl -ArgumentList 'verify', '-CAfile', (Join-Path $folder 'ca.cer'), (Join-Path $folder 'app-2.cer')).ExitCode | Should -Be 0
    }
}

Describe 'Safety' {
    It '-WhatIf tells what it would write and writes nothing' {
        $target = Join-Path $Root 'whatif'
        # What-if lines go straight to the host, so a child pwsh shows them on its standard output.
        $command = "Import-Module '$ModuleManifest'; New-IrisCertificateSet -Path '$target' -DataServer ds -ApplicationServer app -WhatIf"
        $pwsh = Get-PwshCommandLine
        $output = & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $command | Out-String
        $output | Should -Match 'What if: .*ca\.cer, ca\.key, ds\.cer, ds\.key, app\.cer, app\.key'
        $target | Should -Not -Exist
    }

    It 'refuses to overwrite existing files without -Force and changes nothing' {
        $hashes = Get-ChildItem $Dir | ForEach-Object { (Get-FileHash $_.FullName).Hash }
        { New-IrisCertificateSet -Path $Dir -DataServer data-server -ErrorAction Stop } | Should -Throw -ErrorId 'CertificateFilesExist,IrisOps.Cmdlets.NewIrisCertificateSetCommand'
        (Get-ChildItem $Dir | ForEach-Object { (Get-FileHash $_.FullName).Hash }) | Should -Be $hashes
    }

    It 'replaces the files with -Force' {
        $folder = Join-Path $Root 'force'
        $old = New-IrisCertificateSet -Path $folder -DataServer ds
        $new = New-IrisCertificateSet -Path $folder -DataServer ds -Force
        $new.Authority.Thumbprint | Should -Not -Be $old.Authority.Thumbprint
        (Get-ChildItem $folder).Name | Sort-Object | Should -Be @('ca.cer', 'ca.key', 'ds.cer', 'ds.key')
    }

    It 'reports bad input as a categorized error without a stack trace' {
        $error.Clear()
        New-IrisCertificateSet -Path (Join-Path $Root 'bad') -DataServer 'bad_host!' -ErrorAction SilentlyContinue
        $record = $error[0]
        $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $record.FullyQualifiedErrorId | Should -BeLike 'InvalidHostName,*'
        $record.Exception.Message | Should -Match "-DataServer 'bad_host!' is not a valid host name"
        $record.Exception.Message | Should -Not -Match ' at IrisOps\.'
        Join-Path $Root 'bad' | Should -Not -Exist
    }

    It 'refuses a path that is not on the file system with a clear error' {
        $error.Clear()
        New-IrisCertificateSet -Path 'Variable:\irisops' -DataServer ds -ErrorAction SilentlyContinue
        $error[0].FullyQualifiedErrorId | Should -BeLike 'NotAFileSystemPath,*'
        $error[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'requires -KeyPassword for -IncludePfx' {
        { New-IrisCertificateSet -Path (Join-Path $Root 'nopfx') -DataServer ds -IncludePfx -ErrorAction Stop } | Should -Throw -ErrorId 'PfxNeedsPassword,*'
    }

    It 'resolves relative paths against the PowerShell location' {
        Push-Location $Root
        try {
            [Environment]::CurrentDirectory = [IO.Path]::GetTempPath()
            $set = New-IrisCertificateSet -Path 'relative' -ApplicationServer app
            $set.Path | Should -Be (Join-Path $Root 'relative')
        }
        finally { Pop-Location }
    }

    It 'binds Path and host names by property name from the pipeline' {
        $set = [pscustomobject]@{ Path = (Join-Path $Root 'piped'); DataServer = 'ds'; ApplicationServer = 'a1', 'a2' } | New-IrisCertificateSet
        $set.Certificates.HostName | Should -Be @('ds', 'a1', 'a2')
    }
}
