# The sandbox cmdlets against the irisops-standin image (tests/fixtures/iris-standin), a stand-in for the IRIS
# container contract, NOT InterSystems IRIS. Expiry is judged against a clock the tests fix through
# IRISOPS_TEST_CLOCK_UTC (read only by the cmdlets' test hook): no test waits for time to pass.
# Without a Docker engine they are skipped with a visible notice; IRISOPS_REQUIRE_DOCKER=1 makes that a failure.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'Sandbox.Tests.ps1 (New-, Get-, Set-, Reset-, Stop-, Start-, Remove-IrisSandbox)'
}

Describe 'Sandboxes on the stand-in' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage | Out-Null
        Import-Module $ModuleManifest -Force
        $script:RunId = New-TestRunId
        $script:Image = 'irisops-standin:v1'
        $script:Ann = "$RunId-ann"
        $script:Ann2 = "$RunId-ann-2"
        $script:Bob = "$RunId-bob"
        # Every object carries the test labels (the expiry records copy them), so the cleanup finds all of it.
        $script:Common = @{ Image = $Image; Label = @{ 'irisops.test' = '1'; 'irisops.test.run' = $RunId }; HealthTimeout = 25 }
        $script:Fast = @{ StopTimeout = 10; Confirm = $false }

        function Set-TestClock([datetime] $Utc) { $env:IRISOPS_TEST_CLOCK_UTC = $Utc.ToUniversalTime().ToString('o') }
        function Get-Label([string] $Name, [string] $Key) { Invoke-DockerChecked -ArgumentList 'inspect', '--format', "{{index .Config.Labels `"$Key`"}}", $Name }
        function Test-Exists([string] $Kind, [string] $Name) { (Invoke-DockerCli -ArgumentList $Kind, 'inspect', $Name).ExitCode -eq 0 }
        function Write-Marker([string] $Container, [string] $Path) {
            (Invoke-ContainerCommand -Name $Container -Command 'sh', '-c', "echo kept > $Path").ExitCode | Should -Be 0
        }
        function Test-Marker([string] $Container, [string] $Path) { (Invoke-ContainerCommand -Name $Container -Command 'cat', $Path).ExitCode -eq 0 }
    }

    AfterAll {
        Remove-Item Env:IRISOPS_TEST_CLOCK_UTC -ErrorAction SilentlyContinue
        if ($script:RunId) { Remove-TestResources -RunId $RunId }
    }

    AfterEach { Remove-Item Env:IRISOPS_TEST_CLOCK_UTC -ErrorAction SilentlyContinue }

    It 'creates a Fresh sandbox on its own network, ports on 127.0.0.1, labelled, healthy' {
        $sandbox = New-IrisSandbox -Owner $Ann @Common -Lifetime 02:00:00 -Memory 256MB -Cpu 0.5
        $sandbox | Should -BeOfType ([IrisOps.Core.Sandboxes.IrisSandbox])
        $sandbox.Name | Should -Be "sandbox-$Ann-1"
        $sandbox.Owner | Should -Be $Ann
        $sandbox.Health | Should -Be 'healthy'
        $sandbox.State | Should -Be 'Fresh'
        ($sandbox.Expires - $sandbox.Created) | Should -Be ([timespan] '02:00:00')
        $sandbox.Ports | Should -HaveCount 2
        $sandbox.Ports | ForEach-Object { $_ | Should -Match '^127\.0\.0\.1:\d+->(1972|52773)$' }

        Get-Label $sandbox.Name 'irisops.sandbox.owner' | Should -Be $Ann
        Get-Label $sandbox.Name 'irisops.sandbox.expires' | Should -Be $sandbox.Expires.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")
        Get-Label $sandbox.Name 'irisops.sandbox.state' | Should -Be 'Fresh'
        Invoke-DockerChecked -ArgumentList 'inspect', '--format', '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}', $sandbox.Name | Should -Be '268435456 500000000'
        Test-Exists network "sandbox-$Ann-1-net" | Should -BeTrue

        # The stand-in's superserver answers a plain connection with one line: the published port reaches it.
        $client = [Net.Sockets.TcpClient]::new('127.0.0.1', $sandbox.SuperserverPort)
        try {
            $client.ReceiveTimeout = 5000
            [IO.StreamReader]::new($client.GetStream()).ReadLine() | Should -Match 'superserver'
        }
        finally { $client.Dispose() }
    }

    It 'publishes on fixed host ports with -PublishPort, and refuses them for several sandboxes' {
        # Two ports free right now: bound to port 0 and released.
        $ports = foreach ($i in 1..2) { $l = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0); $l.Start(); $l.LocalEndpoint.Port; $l.Stop() }
        $sandbox = New-IrisSandbox -Owner $Bob @Common -PublishPort $ports[0], $ports[1]
        $sandbox.SuperserverPort | Should -Be $ports[0]
        $sandbox.WebPort | Should -Be $ports[1]
        @($sandbox.Ports | Sort-Object) | Should -Be @("127.0.0.1:$($ports[0])->1972", "127.0.0.1:$($ports[1])->52773" | Sort-Object)
        Remove-IrisSandbox -Owner $Bob @Fast -RemoveData
        { New-IrisSandbox -Owner $Bob @Common -Count 2 -MaxPerOwner 2 -PublishPort $ports[0] -ErrorAction Stop } | Should -Throw -ErrorId 'PublishPortNeedsOneSandbox*'
        @(Get-IrisSandbox -Owner $Bob) | Should -BeNullOrEmpty
    }

    It 'hands the license to --key through a volume and applies the merge file at the start' {
        $folder = Join-Path ([IO.Path]::GetTempPath()) "irisops-sandbox-$RunId"
        New-Item -ItemType Directory -Force -Path $folder | Out-Null
        try {
            $key = Join-Path $folder 'iris.key'
            Set-Content -LiteralPath $key -Value "[ConfigFile]`nFileType=License 2.0" -NoNewline
            (Get-Item -LiteralPath $key).UnixFileMode = 'UserRead, UserWrite'   # owner-only, as a license should be
            $merge = Join-Path $folder 'merge.cpf'
            Set-Content -LiteralPath $merge -Value "[config]`nMaxServers=5"
            $sandbox = New-IrisSandbox -Owner "$RunId-lic" @Common -LicenseKeyPath $key -MergeFile $merge
            $md5 = (Get-FileHash -LiteralPath $key -Algorithm MD5).Hash.ToLowerInvariant()
            (Invoke-ContainerCommand -Name $sandbox.Name -Command 'cat', '/usr/irissys/standin/license.log').Output | Should -Match "md5=$md5"
            (Invoke-ContainerCommand -Name $sandbox.Name -Command 'cat', '/usr/irissys/iris.cpf').Output | Should -Match '(?m)^MaxServers=5'
            Test-Exists volume "$($sandbox.Name)-license" | Should -BeTrue
            Remove-IrisSandbox -Owner "$RunId-lic" @Fast
            Test-Exists volume "$($sandbox.Name)-license" | Should -BeFalse
        }
        finally { Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }

    It 'never lets one owner see or remove another''s sandbox by a similar name or a wildcard' {
        New-IrisSandbox -Owner $Ann2 @Common | Out-Null
        (Get-IrisSandbox -Owner $Ann).Name | Should -Be @("sandbox-$Ann-1")
        (Get-IrisSandbox -Owner $Ann2).Name | Should -Be @("sandbox-$Ann2-1")

        { Get-IrisSandbox -Owner "$RunId-ann*" -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSandboxOwner*'
        { Remove-IrisSandbox -Owner "$RunId-*" @Fast -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidSandboxOwner*'
        { Remove-IrisSandbox -Owner $Ann -Name "sandbox-$Ann2-1" @Fast -ErrorAction Stop } | Should -Throw -ErrorId 'SandboxNotFound*'
        { Remove-IrisSandbox -Owner $Ann -Name "sandbox-$Ann2-*" @Fast -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidContainerName*'
        Test-Exists container "sandbox-$Ann2-1" | Should -BeTrue
    }

    It 'refuses bad owner names and creates nothing for them' {
        $errors = $null
        $made = 'ann*', 'a b', '../x', '-x', ('x' * 33) | New-IrisSandbox @Common -ErrorAction SilentlyContinue -ErrorVariable errors
        $made | Should -BeNullOrEmpty
        $errors | Should -HaveCount 5
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InvalidSandboxOwner*' }
    }

    It 'changes nothing under -WhatIf' {
        New-IrisSandbox -Owner $Bob @Common -WhatIf | Should -BeNullOrEmpty
        Test-Exists container "sandbox-$Bob-1" | Should -BeFalse
        Test-Exists network "sandbox-$Bob-1-net" | Should -BeFalse

        $before = Get-IrisSandbox -Owner $Ann
        Write-Marker $before.Name /tmp/marker
        Set-IrisSandbox -Owner $Ann -Extend 01:00:00 -WhatIf | Should -BeNullOrEmpty
        Reset-IrisSandbox -Owner $Ann -WhatIf | Should -BeNullOrEmpty
        Stop-IrisSandbox -Owner $Ann -WhatIf | Should -BeNullOrEmpty
        Remove-IrisSandbox -Owner $Ann -WhatIf
        $after = Get-IrisSandbox -Owner $Ann
        $after.Expires | Should -Be $before.Expires
        $after.Status | Should -Be 'running'
        Test-Marker $after.Name /tmp/marker | Should -BeTrue
    }

    It 'extends within the limit and refuses to pass it' {
        $before = Get-IrisSandbox -Owner $Ann
        $after = Set-IrisSandbox -Owner $Ann -Extend 01:30:00 -Confirm:$false
        $after.Expires | Should -Be $before.Expires.AddMinutes(90)
        (Get-IrisSandbox -Owner $Ann).Expires | Should -Be $after.Expires
        { Set-IrisSandbox -Owner $Ann -Extend 8.00:00:00 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'SandboxExtendBeyondLimit*'
    }

    It 'lists a sandbox as expired once the clock passes its expiry, and not before' {
        $expires = (Get-IrisSandbox -Owner $Ann).Expires
        Set-TestClock $expires.AddSeconds(-1)
        Get-IrisSandbox -Owner $Ann -Expired | Should -BeNullOrEmpty
        Set-TestClock $expires
        (Get-IrisSandbox -Owner $Ann -Expired).Name | Should -Be "sandbox-$Ann-1"
        # Without -Owner: every owner's expired sandboxes, and only those (ann-2 lives 8 hours).
        (Get-IrisSandbox -Expired | Where-Object Owner -like "$RunId-*").Owner | Should -Be @($Ann)
        Set-TestClock (Get-IrisSandbox -Owner $Ann2).Expires
        (Get-IrisSandbox -Expired | Where-Object Owner -like "$RunId-*").Owner | Sort-Object | Should -Be @($Ann, $Ann2)
    }

    It 'stops and starts a sandbox' {
        (Stop-IrisSandbox -Owner $Ann @Fast).Status | Should -Be 'exited'
        (Start-IrisSandbox -Owner $Ann -HealthTimeout 25 -Confirm:$false).Health | Should -Be 'healthy'
    }

    It 'refuses to start an expired sandbox whose template forbids a relaunch' {
        $strict = @{ Name = 'strict'; AllowRelaunch = $false; Lifetime = '00:10:00' }
        $sandbox = New-IrisSandbox -Owner $Bob @Common -Template $strict
        $sandbox.Template | Should -Be 'strict'
        $sandbox.AllowRelaunch | Should -BeFalse
        Stop-IrisSandbox -Owner $Bob @Fast | Out-Null
        Set-TestClock $sandbox.Expires.AddMinutes(1)

        { Start-IrisSandbox -Owner $Bob -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'SandboxRelaunchRefused*'
        { Start-IrisSandbox -Owner $Bob -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'SandboxRelaunchRefused*'
        (Get-IrisSandbox -Owner $Bob).Status | Should -Be 'exited'
        { New-IrisSandbox -Owner $Bob @Common -Template $strict -Lifetime 01:00:00 -ErrorAction Stop } | Should -Throw -ErrorId 'SandboxTemplateConflict*'
    }

    It 'relaunches an expired sandbox with a new lifetime when its rules allow it' {
        $sandbox = Get-IrisSandbox -Owner $Ann
        Stop-IrisSandbox -Owner $Ann @Fast | Out-Null
        $now = $sandbox.Expires.AddDays(2)
        Set-TestClock $now
        $relaunched = Start-IrisSandbox -Owner $Ann -HealthTimeout 25 -Confirm:$false
        $relaunched.Expired | Should -BeFalse
        $relaunched.Expires | Should -Be ([datetime]::new($now.Ticks - $now.Ticks % [timespan]::TicksPerSecond, 'Utc') + $sandbox.Lifetime)
    }

    It 'Reset of a Fresh sandbox drops what was written in it' {
        Write-Marker "sandbox-$Ann-1" /tmp/marker
        $reset = Reset-IrisSandbox -Owner $Ann @Fast -HealthTimeout 25
        $reset.Health | Should -Be 'healthy'
        Test-Marker "sandbox-$Ann-1" /tmp/marker | Should -BeFalse
        Test-Exists container "sandbox-$Ann-1-reset" | Should -BeFalse
    }

    It 'keeps Preserved data across Reset and Remove, and deletes it only when asked' {
        $owner = "$RunId-pre"
        $sandbox = New-IrisSandbox -Owner $owner @Common -State Preserved
        $sandbox.DataVolume | Should -Be "sandbox-$owner-1-data"
        $marker = '/irisops/durable/iconfig/marker'
        Write-Marker $sandbox.Name $marker

        Reset-IrisSandbox -Owner $owner @Fast -HealthTimeout 25 | Out-Null
        Test-Marker $sandbox.Name $marker | Should -BeTrue

        Remove-IrisSandbox -Owner $owner @Fast
        Test-Exists container $sandbox.Name | Should -BeFalse
        Test-Exists network "sandbox-$owner-1-net" | Should -BeFalse
        Test-Exists volume $sandbox.DataVolume | Should -BeTrue

        $again = New-IrisSandbox -Owner $owner @Common -State Preserved
        $again.Name | Should -Be $sandbox.Name
        Test-Marker $again.Name $marker | Should -BeTrue

        Reset-IrisSandbox -Owner $owner -DiscardData @Fast -HealthTimeout 25 | Out-Null
        Test-Marker $again.Name $marker | Should -BeFalse

        Remove-IrisSandbox -Owner $owner -RemoveData @Fast
        Test-Exists volume $sandbox.DataVolume | Should -BeFalse
    }

    It 'removes a Fresh sandbox with its network and expiry records' {
        Remove-IrisSandbox -Owner $Ann @Fast
        Test-Exists container "sandbox-$Ann-1" | Should -BeFalse
        Test-Exists network "sandbox-$Ann-1-net" | Should -BeFalse
        (Invoke-DockerChecked -ArgumentList 'volume', 'ls', '-q', '--filter', "label=irisops.sandbox.owner=$Ann") | Should -BeNullOrEmpty
        Get-IrisSandbox -Owner $Ann | Should -BeNullOrEmpty
    }
}
