# examples/verify-on-iris.ps1, the acceptance run for users with a licensed IRIS image, run here against the
# irisops-standin image (NOT InterSystems IRIS). The script itself knows nothing of the stand-in: the test builds
# two tags FROM the stand-in that carry a canned reply for the default-setting step.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'VerifyOnIris.Tests.ps1 (examples/verify-on-iris.ps1 on the stand-in)'
}

Describe 'examples/verify-on-iris.ps1 on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1, v2 | Out-Null
        Import-Module $ModuleManifest -Force

        $script:Root = New-TestFolder
        $script:Suffix = [guid]::NewGuid().ToString('N').Substring(0, 6)
        $script:Name = "vf$Suffix"
        $script:Images = "irisops-verify-test:a$Suffix", "irisops-verify-test:b$Suffix"
        $b64 = { param($s) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($s)) }
        # The answer of an instance to one Set-IrisDefaultSetting row (IrisOpsVerify = verified, added).
        $reply = "IRISOPS|BEGIN|1|USER`nIRISOPS|R|1|Added|0||$(& $b64 'verified')||0|`nIRISOPS|END|COMMITTED|1|`n"
        foreach ($pair in @(@($Images[0], 'irisops-standin:v1'), @($Images[1], 'irisops-standin:v2'))) {
            $context = Join-Path $Root ($pair[0] -replace '[:]', '-')
            New-Item -ItemType Directory -Path $context | Out-Null
            Set-Content -LiteralPath (Join-Path $context 'reply.txt') -Value $reply -NoNewline
            Set-Content -LiteralPath (Join-Path $context 'Dockerfile') -Value "FROM $($pair[1])`nCOPY reply.txt /irisops-test/reply.txt`nENV IRISOPS_STANDIN_REPLY=/irisops-test/reply.txt`nLABEL irisops.test=1`n"
            Invoke-DockerChecked -ArgumentList 'build', '-q', '-t', $pair[0], $context -TimeoutSeconds 120 | Out-Null
        }
    }

    AfterAll {
        if ($script:Name) { try { Remove-ClusterResources $Name } catch { Write-Warning $_ } }
        foreach ($image in $script:Images) { Invoke-DockerCli -ArgumentList 'rmi', '-f', $image | Out-Null }
        if ($script:Root) { Remove-DurableFolder -Path $Root }
    }

    It 'runs every step, reports what it observed, exits 0 and leaves nothing behind' {
        $work = Join-Path $Root 'work'
        $reportPath = Join-Path $Root 'report.json'
        $license = Join-Path $Root 'iris.key'
        Set-Content -LiteralPath $license -Value "[ConfigFile]`nFileType=License 2.0`n" -NoNewline
        $report = @(& (Join-Path $PSScriptRoot '../../examples/verify-on-iris.ps1') -Image $Images[0] -UpgradeImage $Images[1] -LicenseKeyPath $license `
                -Name $Name -WorkPath $work -ReportPath $reportPath -HealthTimeout 90 6>$null)
        $exit = $LASTEXITCODE
        $failed = @($report | Where-Object Result -EQ 'failed' | ForEach-Object { "$($_.Step): $($_.Detail)" })
        $failed | Should -BeNullOrEmpty
        $exit | Should -Be 0
        $steps = @($report.Step)
        foreach ($step in 'certificates', 'create 1 + 2 cluster', 'end-to-end test', 'exit code of iris-main after a graceful stop', 'AddAuthorizedCN re-applied at a restart',
            'end-to-end test after the data server restarted', 'pending application server', 'subject string IRIS shows for a pending client',
            'end-to-end test with its own certificate back', "upgrade to $($Images[1])", 'end-to-end test after the upgrade', 'default setting', 'remove everything') {
            $steps | Should -Contain $step
        }
        ($report | Where-Object Step -EQ 'exit code of iris-main after a graceful stop').Detail | Should -Match 'exit code \d+$'
        ($report | Where-Object Step -EQ 'subject string IRIS shows for a pending client').Detail | Should -Match 'Not Authorized'
        (Get-Content -Raw -LiteralPath $reportPath | ConvertFrom-Json).Count | Should -Be $report.Count
        $left = Get-ClusterResources $Name
        $left.Containers + $left.Networks + $left.Volumes | Should -BeNullOrEmpty
        $work | Should -Not -Exist
    }
}
