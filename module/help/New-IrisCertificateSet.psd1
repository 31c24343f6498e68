@{
    Synopsis    = 'Creates the TLS material of an ECP cluster: a certificate authority plus one certificate and key per data server and application server.'
    Description = @'
New-IrisCertificateSet replaces the openssl script people write for ECP TLS. It creates a certificate authority (ca.cer, ca.key) and, for every host named with -DataServer and -ApplicationServer, a certificate (<host>.cer) and a private key (<host>.key), all PEM, and optionally a PKCS#12 file (<host>.pfx).

Data server certificates carry the serverAuth extended key usage (the data server is the TLS server of ECP and uses them in its %ECPServer configuration); application server certificates carry clientAuth (the %ECPClient configuration). Every node certificate has its host name, plus any -SubjectAlternativeName entries, as subject alternative names, subject and authority key identifiers, a random 128-bit serial and a SHA-256 signature. The CA has basicConstraints CA:true (critical) and keyCertSign and cRLSign usages, and is valid for at least ten years and at least twice as long as the node certificates.

Private keys are written readable by the current user only (mode 0600 on Linux and macOS, an ACL with the current user alone on Windows). With -KeyPassword they are encrypted PKCS#8 (AES-256-CBC, PBKDF2 with HMAC-SHA256); without it they are unencrypted PKCS#8, which is what an IRIS container reads at startup without a password. Key material and passwords are never written to any output stream.

The cmdlet never overwrites existing files unless -Force is given; without it, it refuses before generating anything and changes nothing. All files are written together: if anything fails, or you press Ctrl+C, no file is left half-written and replaced files are restored.

To add an application server later, or to renew node certificates, pass the folder of an existing set with -CertificateAuthorityPath: the new certificates are issued by that CA, whose key stays where it is.
'@
    Parameters  = @{
        Path                     = 'The folder to write the files to. It is created when it does not exist. Relative paths are resolved against the current PowerShell location.'
        DataServer               = 'Host names of the data servers. Each gets a certificate for TLS server authentication, whose subject common name and DNS subject alternative name are the host name. The host name is also the file name, so use the name the application servers connect to.'
        ApplicationServer        = 'Host names of the application servers. Each gets a certificate for TLS client authentication; its subject (CN=<host>) is what the data server pre-authorizes.'
        SubjectAlternativeName   = 'Extra DNS names or IP addresses added to every node certificate, for example a DNS alias of the data server or 127.0.0.1 for tests on one machine.'
        Organization             = 'The organization (O) of the CA and node subjects.'
        OrganizationalUnit       = 'The organizational unit (OU) of the CA and node subjects.'
        Country                  = 'The two-letter country code (C) of the CA and node subjects, for example US.'
        State                    = 'The state or province (ST) of the CA and node subjects.'
        Locality                 = 'The locality or city (L) of the CA and node subjects.'
        AuthorityName            = 'The common name of a new certificate authority. Default: IrisOps ECP CA.'
        ValidityDays             = 'How many days the node certificates are valid (default 730). A new CA is valid for the longer of ten years and twice this period. Node certificates never outlive their CA.'
        KeyAlgorithm             = 'The key type: Rsa2048 (default, what IRIS installations use), Rsa3072, Rsa4096, EcdsaP256 or EcdsaP384. Keys are generated in parallel with the platform''s crypto.'
        KeyPassword              = 'Encrypts every private key written (AES-256 PKCS#8) and protects the .pfx files. Also opens an encrypted ca.key given with -CertificateAuthorityPath. Give it as a SecureString, for example with Read-Host -AsSecureString.'
        IncludePfx               = 'Also writes a PKCS#12 file per node (<host>.pfx) with the key, the certificate and the CA certificate, protected by -KeyPassword (required). It uses 3DES and a SHA-1 MAC, so Windows Server 2016 and later import it, as does OpenSSL 3.'
        CertificateAuthorityPath = 'A folder holding the ca.cer and ca.key of an existing set. New node certificates are issued by that CA instead of a new one; ca.cer is copied to -Path when it is another folder, and the CA key is neither copied nor changed.'
        Force                    = 'Replaces existing files in -Path. Without it the cmdlet refuses when any file it would write exists.'
    }
    Examples    = @(
        @{
            Title   = 'A data server and two application servers'
            Code    = 'New-IrisCertificateSet -Path ./certificates -DataServer data-server -ApplicationServer app-server-1, app-server-2'
            Remarks = 'Writes ca.cer, ca.key, data-server.cer, data-server.key, app-server-1.cer, app-server-1.key, app-server-2.cer and app-server-2.key to ./certificates and returns the set.'
        }
        @{
            Title   = 'Encrypted keys and PFX files for Windows'
            Code    = @'
$password = Read-Host -AsSecureString -Prompt 'Key password'
New-IrisCertificateSet -Path C:\Iris\tls -DataServer iris-data.corp.example -ApplicationServer iris-app1.corp.example -Organization Example -Country US -KeyPassword $password -IncludePfx
'@
            Remarks = 'Every key is written as AES-256 encrypted PKCS#8 and each node also gets a .pfx protected by the same password.'
        }
        @{
            Title   = 'Add an application server to an existing cluster'
            Code    = 'New-IrisCertificateSet -Path ./certificates -CertificateAuthorityPath ./certificates -ApplicationServer app-server-3'
            Remarks = 'Issues app-server-3.cer and app-server-3.key from the CA already in ./certificates; the other files are left alone.'
        }
        @{
            Title   = 'See what would be written'
            Code    = 'New-IrisCertificateSet -Path ./certificates -DataServer ds -ApplicationServer app1 -WhatIf'
            Remarks = 'Lists the files that would be created, and validates the host names, without generating keys or writing anything.'
        }
    )
    Inputs      = @(
        @{ Type = 'System.String'; Description = 'Path, DataServer and ApplicationServer bind by property name from pipeline objects.' }
    )
    Outputs     = @(
        @{ Type = 'IrisOps.Core.Certificates.IrisCertificateSet'; Description = 'The set: Path; Authority (Subject, Thumbprint, NotAfter, CertificatePath, KeyPath); Certificates, each with HostName, Role (DataServer or ApplicationServer), Subject, Thumbprint, NotAfter, CertificatePath, KeyPath and PfxPath. New-IrisEcpCluster takes it from the pipeline.' }
    )
    Notes       = 'Verify a set with OpenSSL: openssl verify -CAfile ca.cer data-server.cer. IRIS reads the PEM files in its %ECPServer and %ECPClient TLS configurations.'
    Links       = @('about_IrisOps')
}
