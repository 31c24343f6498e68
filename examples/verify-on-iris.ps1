<#
.SYNOPSIS
    Acceptance run for a licensed InterSystems IRIS image: creates a data server and two application servers
    with ECP over TLS, proves ECP end to end, upgrades to a second tag, applies a default setting, removes
    everything it made, and reports what it observed.
.DESCRIPTION
    IrisOps writes only configuration the InterSystems manuals document. Some behaviour the manuals leave open
    can only be seen on a real instance; this script observes it and says so in its report:
    - the exit code of iris-main after a graceful stop (docker stop);
    - whether re-applying the merge file at a restart (ISC_CPF_MERGE_FILE is merged at every start) leaves
      SYS.ECP.AddAuthorizedCN harmless for names already authorized;
    - what the data server logs for a pending application server (the certificate subject string IRIS shows).
    Steps: 1 certificates with organization and country; 2 New-IrisEcpCluster (1 + 2, namespace VERIFY);
    3 Test-IrisEcpCluster; 4 graceful stop of an application server; 5 restart of the data server and the test
    again; 6 an application server given a certificate of the cluster CA with another subject (expected
    pending), then its own back; 7 Update-IrisApplicationImage to -UpgradeImage and the test again; 8
    Set-IrisDefaultSetting on the data server; then Remove-IrisEcpCluster -RemoveData, also after a failure or
    Ctrl+C. Needs the docker CLI, both images on the engine, and the license key. Takes a few minutes.
.EXAMPLE
    ./examples/verify-on-iris.ps1 -Image iris:2025.3 -UpgradeImage iris:2026.1 -LicenseKeyPath ~/iris.key
    Runs every step and prints the report; exit code 0 when every step passed.
.EXAMPLE
    ./examples/verify-on-iris.ps1 -Image my-app:1.0 -UpgradeImage my-app:1.1 -LicenseKeyPath ./iris.key -SettingsNamespace APP -ReportPath ./verify.json
    Applies the default setting in the interoperability namespace APP and also writes the report as JSON.
#>
[CmdletBinding()]
param(
    # The licensed IRIS image the cluster starts with (already pulled).
    [Parameter(Mandatory)][string] $Image,
    # A second tag to upgrade to (already pulled).
    [Parameter(Mandatory)][string] $UpgradeImage,
    # The iris.key from the WRC (ECP needs a licensed instance).
    [Parameter(Mandatory)][string] $LicenseKeyPath,
    # The cluster name; every container, volume and network it makes starts with it.
    [ValidatePattern('^[a-z0-9][a-z0-9-]{0,30}$')][string] $Name = 'irisops-verify',
    # An interoperability-enabled namespace on the data server for the default setting step.
    [string] $SettingsNamespace = 'USER',
    # A scratch folder for certificates, cluster files and backups; removed at the end.
    [string] $WorkPath = (Join-Path ([IO.Path]::GetTempPath()) "irisops-verify-$([guid]::NewGuid().ToString('n').Substring(0, 8))"),
    # Also write the report as JSON.
    [string] $ReportPath,
    # Seconds to wait for a node to become healthy.
    [int] $HealthTimeout = 600
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Module IrisOps)) {
    $built = Join-Path $PSScriptRoot '../out/IrisOps/IrisOps.psd1'
    Import-Module $(if (Test-Path $built) { $built } else { 'IrisOps' })
}

$report = [Collections.Generic.List[object]]::new()
function Step([string] $Step, [string] $Result, [string] $Detail) {
    $report.Add([pscustomobject]@{ Step = $Step; Result = $Result; Detail = $Detail })
    Write-Verbose "$Step -> $Result : $Detail"
}
$dockerCli = (Get-Command docker -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
function Invoke-Docker([string[]] $Arguments) {
    $output = & $dockerCli @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "docker $($Arguments -join ' ') failed: $output" }
    return ($output -join "`n")
}
function Wait-Healthy([string] $Container) {
    $deadline = [DateTime]::UtcNow.AddSeconds($HealthTimeout)
    while ([DateTime]::UtcNow -lt $deadline) {
        $state = Invoke-Docker @('inspect', '-f', '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{end}}', $Container)
        if ($state -eq 'running healthy') { return }
        if ($state -notlike 'running*') { throw "$Container is $state." }
        Start-Sleep -Seconds 2
    }
    throw "$Container did not become healthy within $HealthTimeout s."
}
# A node reads its TLS files from its TLS volume <container>-tls, which New-IrisEcpCluster fills: a root container of
# the cluster's image writes them there (owner-only key, IRIS user) while the node is stopped.
function Set-NodeTls([string] $Container, [string] $CertificatePath, [string] $KeyPath) {
    $source = Join-Path $WorkPath ('tls-' + [guid]::NewGuid().ToString('N').Substring(0, 6))
    New-Item -ItemType Directory -Path $source | Out-Null
    Copy-Item -LiteralPath $CertificatePath -Destination (Join-Path $source 'node.cer')
    Copy-Item -LiteralPath $KeyPath -Destination (Join-Path $source 'node.key')
    try {
        Invoke-Docker @('stop', '--time', '330', $Container) | Out-Null
        Invoke-Docker @('run', '--rm', '--user', '0:0', '--network', 'none', '--entrypoint', '/bin/sh', '-v', "$Container-tls:/t", '-v', "${source}:/src:ro", $Image,
            '-c', 'cp /src/node.cer /src/node.key /t/ && chown 51773:51773 /t/node.cer /t/node.key && chmod 600 /t/node.key') | Out-Null
    }
    finally {
        Remove-Item -LiteralPath $source -Recurse -Force
        Invoke-Docker @('start', $Container) | Out-Null
    }
    Wait-Healthy $Container
}

function Test-Cluster([string] $Step, [string] $Expect = 'pass') {
    $checks = @(Test-IrisEcpCluster -Name $Name)
    $failed = @($checks | Where-Object { -not $_.Passed })
    $text = ($failed | ForEach-Object { "$($_.Node)/$($_.Check): $($_.Detail)" }) -join ' | '
    if ($Expect -eq 'pass') {
        Step $Step $(if ($failed.Count -eq 0) { 'passed' } else { 'failed' }) $(if ($text) { $text } else { "$($checks.Count) checks passed" })
    }
    return $checks
}
function Get-MessagesLog([string] $Container) {
    $environment = (Invoke-Docker @('inspect', '-f', '{{range .Config.Env}}{{println .}}{{end}}', $Container)) -split "`n"
    $directory = $environment | Where-Object { $_ -like 'ISC_DATA_DIRECTORY=*' } | ForEach-Object { $_.Substring('ISC_DATA_DIRECTORY='.Length) } | Select-Object -First 1
    if (-not $directory) { return @("(no ISC_DATA_DIRECTORY on $Container)") }
    $output = & $dockerCli exec $Container cat "$($directory.TrimEnd('/'))/mgr/messages.log" 2>&1
    return @($output)
}

$cluster = $null
try {
    New-Item -ItemType Directory -Force -Path $WorkPath | Out-Null
    $tls = Join-Path $WorkPath 'tls'
    $hosts = "$Name-data", "$Name-app-1", "$Name-app-2"
    $set = New-IrisCertificateSet -Path $tls -DataServer $hosts[0] -ApplicationServer $hosts[1], $hosts[2] -Organization 'IrisOps Verify' -Country US
    Step 'certificates' 'passed' (($set.Certificates | ForEach-Object { $_.Subject }) -join '; ')

    $cluster = $set | New-IrisEcpCluster -Name $Name -Image $Image -LicenseKeyPath $LicenseKeyPath -Namespace VERIFY `
        -GlobalMapping 'IrisOpsVerify.*' -ClusterPath (Join-Path $WorkPath 'cluster') -HealthTimeout $HealthTimeout -Confirm:$false
    Step 'create 1 + 2 cluster' 'passed' "subnet from $($cluster.DataServer.IPAddress), nodes $((($cluster.Nodes) | ForEach-Object Name) -join ', ')"
    Test-Cluster 'end-to-end test' | Out-Null

    $app = $cluster.ApplicationServers[0].Name
    Invoke-Docker @('stop', '--time', '330', $app) | Out-Null
    $exit = Invoke-Docker @('inspect', '-f', '{{.State.ExitCode}}', $app)
    Step 'exit code of iris-main after a graceful stop' 'observed' "docker stop $app -> exit code $exit"
    Invoke-Docker @('start', $app) | Out-Null
    Wait-Healthy $app

    $data = $cluster.DataServer.Name
    Invoke-Docker @('restart', '--time', '330', $data) | Out-Null
    Wait-Healthy $data
    $errors = @(Get-MessagesLog $data | Where-Object { $_ -match 'AddAuthorizedCN|Execute' })
    Step 'AddAuthorizedCN re-applied at a restart' 'observed' $(if ($errors) { "messages.log: $($errors -join ' / ')" } else { 'messages.log has no line about Execute or AddAuthorizedCN' })
    Test-Cluster 'end-to-end test after the data server restarted' | Out-Null

    $node = $cluster.ApplicationServers[1]
    $nodeTls = Join-Path (Join-Path (Join-Path $WorkPath 'cluster') 'nodes') "$($node.HostName)/tls"
    $other = New-IrisCertificateSet -Path (Join-Path $WorkPath 'other') -CertificateAuthorityPath $tls -ApplicationServer $node.HostName -Organization 'Not Authorized'
    try {
        Set-NodeTls $node.Name $other.Certificates[0].CertificatePath $other.Certificates[0].KeyPath
        $checks = Test-Cluster 'pending' -Expect 'fail'
        $pending = $checks | Where-Object { $_.Node -eq $node.Name -and $_.Check -eq 'EcpAuthorization' }
        $logged = @(Get-MessagesLog $data | Where-Object { $_ -match 'Not Authorized' })
        Step 'pending application server' $(if ($pending -and -not $pending.Passed) { 'passed' } else { 'failed' }) "test: $($pending.Detail)"
        Step 'subject string IRIS shows for a pending client' 'observed' $(if ($logged) { $logged -join ' / ' } else { 'no messages.log line names the subject' })
    }
    finally {
        # The cluster folder keeps the node's own files: put them back.
        Set-NodeTls $node.Name (Join-Path $nodeTls 'node.cer') (Join-Path $nodeTls 'node.key')
    }
    Test-Cluster 'end-to-end test with its own certificate back' | Out-Null

    $results = @(Get-IrisEcpCluster -Name $Name | Update-IrisApplicationImage -Image $UpgradeImage -BackupPath (Join-Path $WorkPath 'backups') -HealthTimeout $HealthTimeout -Confirm:$false)
    $bad = @($results | Where-Object { $_.Status -ne 'Upgraded' })
    Step "upgrade to $UpgradeImage" $(if ($results.Count -eq 3 -and $bad.Count -eq 0) { 'passed' } else { 'failed' }) (($results | ForEach-Object { "$($_.Node): $($_.Status)" }) -join ', ')
    Test-Cluster 'end-to-end test after the upgrade' | Out-Null

    $setting = Set-IrisDefaultSetting -Container $data -Namespace $SettingsNamespace -SettingName 'IrisOpsVerify' -SettingValue 'verified' -Confirm:$false
    Step 'default setting' $(if ($setting.Action -in 'Added', 'Updated', 'Unchanged') { 'passed' } else { 'failed' }) "IrisOpsVerify in $SettingsNamespace`: $($setting.Action)"

    foreach ($question in @(
            @('ModifySystem without Name=', 'IrisOps always writes ModifySystem:Name=SYSTEM'),
            @('a comma list in ISC_CPF_MERGE_FILE', 'IrisOps always composes one merge file'),
            @('how ClientSystems matches container names', 'IrisOps lists fixed addresses'))) {
        Step $question[0] 'not observed' $question[1]
    }
}
catch {
    Step 'run' 'failed' $_.Exception.Message
}
finally {
    try {
        if (Get-IrisEcpCluster -Name $Name -ErrorAction SilentlyContinue) {
            Remove-IrisEcpCluster -Name $Name -RemoveData -Confirm:$false
            Step 'remove everything' 'passed' "cluster $Name and its durable data removed"
        }
    }
    catch {
        Step 'remove everything' 'failed' $_.Exception.Message
    }
    Remove-Item -Recurse -Force -LiteralPath $WorkPath -ErrorAction SilentlyContinue
}

$report | Format-Table -Wrap -AutoSize | Out-String -Width 200 | Write-Host
if ($ReportPath) { $report | ConvertTo-Json | Set-Content -LiteralPath $ReportPath -Encoding utf8 }
$failures = @($report | Where-Object Result -eq 'failed')
Write-Host "$($report.Count - $failures.Count) of $($report.Count) steps passed or observed; $($failures.Count) failed."
$report
exit $(if ($failures.Count -eq 0) { 0 } else { 1 })
