@{
    Synopsis    = 'Reads a certificate set back from the folder New-IrisCertificateSet wrote, as the object New-IrisEcpCluster -CertificateSet takes.'
    Description = @'
Get-IrisCertificateSet reads the folder of a certificate set (ca.cer, and for each node <host>.cer with its <host>.key, and <host>.pfx when it was written) and returns the same IrisOps.Core.Certificates.IrisCertificateSet object New-IrisCertificateSet returned when it created the set. Use it in a later session, a scheduled task or another runbook step to deploy a cluster with a set made earlier, without keeping the object alive.

Each node certificate is checked before the set is returned: it must be signed by the CA in the folder, its private key must be beside it and (when the key is not encrypted) belong to it, and it must allow TLS server use (the data server) or client use (an application server); its role is read from that. A folder that fails a check is an error naming the file; the other folders are still read. Private keys are not decrypted and their content is never shown: an encrypted key is reported as KeyEncrypted.
'@
    Parameters  = @{
        Path        = 'The folders to read. Wildcards are allowed; a path that matches nothing is an error. Relative paths are resolved against the current PowerShell location. Takes strings and the Path property of objects (such as an earlier certificate set) from the pipeline.'
        LiteralPath = 'The folders to read, taken exactly as written: no wildcard characters are interpreted. Get-Item output binds here by its PSPath property.'
    }
    Examples    = @(
        @{
            Title   = 'Deploy a cluster with a set made earlier'
            Code    = @'
$set = Get-IrisCertificateSet ./tls
New-IrisEcpCluster -Name demo -Image containers.intersystems.com/intersystems/iris:2025.1 -CertificateSet $set -LicenseKeyPath ./iris.key
'@
            Remarks = 'Reads the set from ./tls and deploys a cluster with one node per certificate in it.'
        }
        @{
            Title   = 'When do the certificates of every set expire?'
            Code    = 'Get-IrisCertificateSet ./clusters/*/tls | ForEach-Object Certificates | Sort-Object NotAfter | Format-Table HostName, Role, NotAfter'
            Remarks = 'Reads every set below ./clusters and lists the node certificates by expiry date.'
        }
    )
    Inputs      = @(
        @{ Type = 'System.String'; Description = 'Folders to read. Objects with a Path property (such as IrisCertificateSet) bind by that property.' }
    )
    Outputs     = @(
        @{ Type = 'IrisOps.Core.Certificates.IrisCertificateSet'; Description = 'Path, Authority (Subject, Thumbprint, NotAfter, CertificatePath, KeyPath, KeyAlgorithm) and Certificates (HostName, Role, Subject, Issuer, SubjectAlternativeNames, Thumbprint, SerialNumber, NotBefore, NotAfter, KeyAlgorithm, CertificatePath, KeyPath, PfxPath, KeyEncrypted).' }
    )
    Notes       = 'The CA key (ca.key) is optional in the folder: New-IrisCertificateSet -CertificateAuthorityPath leaves it in the CA''s own folder. KeyPath of the authority is then empty.'
    Links       = @('New-IrisCertificateSet', 'New-IrisEcpCluster', 'about_IrisOps')
}
