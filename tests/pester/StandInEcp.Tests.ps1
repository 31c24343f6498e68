# The ECP imitation and the strict merge checks of the irisops-standin image (tests/fixtures/iris-standin).
# The stand-in is NOT InterSystems IRIS and runs no ECP protocol: these tests prove that the stand-in refuses what
# the IRIS documentation says IRIS refuses (ECP security: superserver TLS, %ECPServer, SSLECPServer, client
# certificates from the CA, AddAuthorizedCN, %Service_ECP ClientSystems; strict [Actions]), so that IrisOps'
# generated configuration can be exercised against something that fails when the configuration is wrong.
# Without a Docker engine they are skipped with a visible notice; IRISOPS_REQUIRE_DOCKER=1 makes that a failure.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'StandIn.ps1')
    $DockerState = Get-DockerTestState
    Write-DockerSkipNotice -State $DockerState -Suite 'StandInEcp.Tests.ps1 (stand-in ECP imitation and strict merges)'
}

Describe 'irisops-standin ECP over mutual TLS' -Tag 'Docker', 'StandIn' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1 | Out-Null
        # The image id, not the tag: another build may move the tag while these tests run.
        $script:Image = Invoke-DockerChecked -ArgumentList 'image', 'inspect', '--format', '{{.Id}}', 'irisops-standin:v1'
        $script:RunId = New-TestRunId
        $script:Names = @{}

        function Invoke-OpenSsl([string[]] $Arguments) {
            $output = & openssl @Arguments 2>&1
            if ($LASTEXITCODE -ne 0) { throw "openssl $($Arguments -join ' ') failed: $output" }
        }

        # ---- certificates: a CA, the nodes' certificates, and one from a foreign CA ----------------------------
        $script:Pki = Join-Path $TestDrive 'pki'
        New-Item -ItemType Directory -Path $Pki | Out-Null
        function New-Ca([string] $Name, [string] $Subject) {
            Invoke-OpenSsl @('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', $Subject,
                '-keyout', "$Pki/$Name.key", '-out', "$Pki/$Name.cer",
                '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign')
        }
        Set-Content -LiteralPath "$Pki/leaf.ext" -Value "basicConstraints=CA:FALSE`nkeyUsage=digitalSignature,keyEncipherment`nextendedKeyUsage=serverAuth,clientAuth`n"
        $script:Serial = 100
        function New-NodeFolder([string] $Node, [string] $Subject, [string] $Ca = 'ca') {
            $script:Serial++
            Invoke-OpenSsl @('req', '-newkey', 'rsa:2048', '-nodes', '-subj', $Subject, '-keyout', "$Pki/$Node.key", '-out', "$Pki/$Node.csr")
            Invoke-OpenSsl @('x509', '-req', '-in', "$Pki/$Node.csr", '-CA', "$Pki/$Ca.cer", '-CAkey', "$Pki/$Ca.key", '-set_serial', "$Serial",
                '-days', '2', '-extfile', "$Pki/leaf.ext", '-out', "$Pki/$Node.cer")
            $folder = Join-Path $TestDrive "tls-$Node"
            New-Item -ItemType Directory -Path $folder | Out-Null
            Copy-Item "$Pki/ca.cer" "$folder/ca.cer"        # every node trusts the test CA
            Copy-Item "$Pki/$Node.cer" "$folder/node.cer"
            Copy-Item "$Pki/$Node.key" "$folder/node.key"
            & chmod 0755 $folder
            & chmod 0644 "$folder/ca.cer" "$folder/node.cer" "$folder/node.key"   # readable by uid 51773 (test keys only)
            return $folder
        }
        New-Ca 'ca' '/CN=IrisOps stand-in test CA'
        New-Ca 'foreignca' '/CN=Some other CA'
        $script:Tls = @{
            data    = New-NodeFolder 'data' '/C=US/O=Acme/CN=t-data'
            nomod   = New-NodeFolder 'nomod' '/C=US/O=Acme/CN=t-nomod'
            app1    = New-NodeFolder 'app1' '/C=US/O=Acme/OU=Ops/CN=t-app-1'
            app2    = New-NodeFolder 'app2' '/C=US/O=Acme/CN=t-app-2'
            app3    = New-NodeFolder 'app3' '/C=US/O=Acme/CN=t-app-3'
            foreign = New-NodeFolder 'foreign' '/C=US/O=Acme/CN=t-app-1' -Ca 'foreignca'
        }
        $Tls['outsider'] = $Tls['app1']
        # An application server with a good certificate that trusts only the foreign CA: it cannot verify the data server.
        $Tls['distrust'] = New-NodeFolder 'distrust' '/C=US/O=Acme/CN=t-app-2'
        Copy-Item "$Pki/foreignca.cer" "$($Tls['distrust'])/ca.cer" -Force
        & chmod 0644 "$($Tls['distrust'])/ca.cer"

        # ---- a network with a /24 that no existing network overlaps --------------------------------------------
        function ConvertTo-IPv4Range([string] $Cidr) {
            $address, $bits = $Cidr -split '/'
            $bytes = [Net.IPAddress]::Parse($address).GetAddressBytes()
            [Array]::Reverse($bytes)
            $start = [BitConverter]::ToUInt32($bytes, 0)
            $size = [uint64][Math]::Pow(2, 32 - [int]$bits)
            $start = [uint64]($start - ($start % $size))
            return @($start, ($start + $size - 1))
        }
        $existing = @()
        $networkIds = (Invoke-DockerChecked -ArgumentList 'network', 'ls', '-q') -split '\s+' | Where-Object { $_ }
        foreach ($id in $networkIds) {
            $subnets = Invoke-DockerCli -ArgumentList 'network', 'inspect', '--format', '{{range .IPAM.Config}}{{.Subnet}} {{end}}', $id
            $existing += ($subnets.Output -split '\s+' | Where-Object { $_ -match '^\d+\.\d+\.\d+\.\d+/\d+$' })
        }
        $script:Prefix = $null
        $script:Network = "irisops-test-$RunId-ecp"
        $candidates = @(0..255 | ForEach-Object { "172.28.$_" }) + @(0..255 | ForEach-Object { "10.213.$_" })
        $attempts = 0
        foreach ($candidate in $candidates) {
            $range = ConvertTo-IPv4Range "$candidate.0/24"
            $overlaps = $existing | Where-Object { $other = ConvertTo-IPv4Range $_; $range[0] -le $other[1] -and $other[0] -le $range[1] }
            if ($overlaps) { continue }
            $attempts++
            $created = Invoke-DockerCli -ArgumentList 'network', 'create', '--subnet', "$candidate.0/24", '--label', "$TestLabel=1", '--label', "$TestRunLabel=$RunId", $Network
            if ($created.ExitCode -eq 0) { $script:Prefix = $candidate; break }
            if ($attempts -ge 5) { break }
        }
        if (-not $Prefix) { throw "No free /24 for the test network (last error: $($created.Error))" }
        $script:Ip = @{ data = "$Prefix.2"; app1 = "$Prefix.3"; app2 = "$Prefix.4"; app3 = "$Prefix.5"; foreign = "$Prefix.6"; nomod = "$Prefix.7"; outsider = "$Prefix.8"; distrust = "$Prefix.9" }

        # ---- merge files: the shapes the C# side generates, plus entries for the failure cases -------------------
        $script:Config = Join-Path $TestDrive 'config'
        New-Item -ItemType Directory -Path $Config | Out-Null
        $dataMerge = @"
[config]
MaxServerConn=2
[Actions]
CreateSSLConfig:Name=IrisOpsSuperserver,Description="Superserver TLS (IrisOps)",CAFile=/irisops/tls/ca.cer,CertificateFile=/irisops/tls/node.cer,PrivateKeyFile=/irisops/tls/node.key,Type=1,VerifyPeer=0,Enabled=1
ModifyServer:Port=1972,BindAddress="",SSLSupportLevel=1,SSLConfig=IrisOpsSuperserver
CreateSSLConfig:Name=%ECPServer,Description="ECP server TLS (IrisOps)",CAFile=/irisops/tls/ca.cer,CertificateFile=/irisops/tls/node.cer,PrivateKeyFile=/irisops/tls/node.key,Type=1,VerifyPeer=3,Enabled=1
ModifySystem:Name=SYSTEM,SSLECPServer=2
ModifyService:Name=%Service_ECP,Enabled=1,ClientSystems="$($Ip.app1);$($Ip.app2);$($Ip.app3);$($Ip.foreign);$($Ip.distrust)"
CreateDatabase:Name=MYAPPDATA,Directory=/irisops/durable/myappdata/
Execute:Namespace=%SYS,ClassName=SYS.ECP,MethodName=AddAuthorizedCN,Arg1="CN=t-app-1, OU=Ops, O=Acme, C=US"
Execute:Namespace=%SYS,ClassName=SYS.ECP,MethodName=AddAuthorizedCN,Arg1="CN=t-app-2, O=Acme, C=US"
"@
        Set-Content -LiteralPath "$Config/data.cpf" -Value $dataMerge
        # The same data server without the superserver TLS (no ModifyServer): ECP over TLS must not work.
        $noModify = ($dataMerge -split "`n" | Where-Object { $_ -notmatch '^ModifyServer:' }) -join "`n"
        $noModify = $noModify -replace 'ClientSystems="[^"]*"', "ClientSystems=`"$Prefix.*`""
        Set-Content -LiteralPath "$Config/nomod.cpf" -Value $noModify
        Set-Content -LiteralPath "$Config/app.cpf" -Value @"
[config]
MaxServers=2
[Actions]
CreateSSLConfig:Name=%ECPClient,Description="ECP client TLS (IrisOps)",CAFile=/irisops/tls/ca.cer,CertificateFile=/irisops/tls/node.cer,PrivateKeyFile=/irisops/tls/node.key,Type=0,VerifyPeer=1,Enabled=1
CreateECPServer:Name=demo-data,Address=$($Ip.data),Port=1972,MirrorConnection=0,SSLConfig=1
CreateDatabase:Name=MYAPPDATA,Directory=/irisops/durable/myappdata/,Server=demo-data,LogicalOnly=1
CreateNamespace:Name=APP,Globals=MYAPPDATA,Routines=MYAPPDATA
CreateMapGlobal:Namespace=APP,Name=IrisOpsEcpProbe,Database=MYAPPDATA
CreateMapGlobal:Namespace=APP,Name=demo.*,Database=MYAPPDATA
CreateECPServer:Name=nomod-data,Address=$($Ip.nomod),Port=1972,MirrorConnection=0,SSLConfig=1
CreateDatabase:Name=NOMODDATA,Directory=/irisops/durable/myappdata/,Server=nomod-data,LogicalOnly=1
CreateNamespace:Name=NOMOD,Globals=NOMODDATA
CreateECPServer:Name=plain-data,Address=$($Ip.data),Port=1972,MirrorConnection=0,SSLConfig=0
CreateDatabase:Name=PLAINDATA,Directory=/irisops/durable/myappdata/,Server=plain-data,LogicalOnly=1
CreateNamespace:Name=PLAIN,Globals=PLAINDATA
"@
        & chmod -R a+rX $Config

        # ---- durable storage (one volume per server, owned by irisowner) and the containers --------------------
        $servers = 'data', 'nomod', 'app1', 'app2'
        $volumeArgs = @()
        foreach ($server in $servers) {
            Invoke-DockerChecked -ArgumentList 'volume', 'create', '--label', "$TestLabel=1", '--label', "$TestRunLabel=$RunId", "irisops-test-$RunId-$server" | Out-Null
            $volumeArgs += @('-v', "irisops-test-$RunId-${server}:/v/$server")
        }
        Invoke-DockerChecked -ArgumentList (@('run', '--rm', '--label', "$TestLabel=1", '--label', "$TestRunLabel=$RunId", '--user', '0', '--entrypoint', '/bin/chown') +
            $volumeArgs + @($Image, '51773:51773') + ($servers | ForEach-Object { "/v/$_" })) | Out-Null

        function Start-EcpNode([string] $Node, [string] $Merge) {
            $volumes = @("$($Tls[$Node]):/irisops/tls:ro", "${Config}/${Merge}:/irisops/config/merge.cpf:ro")
            $environment = @{ ISC_CPF_MERGE_FILE = '/irisops/config/merge.cpf' }
            if ($Node -in $servers) {
                $volumes += "irisops-test-$RunId-${Node}:/irisops/durable"
                $environment['ISC_DATA_DIRECTORY'] = '/irisops/durable/iconfig'
            }
            $Names[$Node] = Start-TestContainer -RunId $RunId -Image $Image -Name "irisops-test-$RunId-$Node" -Environment $environment -Volume $volumes `
                -ExtraOption '--network', $Network, '--ip', $Ip[$Node]
        }
        Start-EcpNode data data.cpf
        Start-EcpNode nomod nomod.cpf
        foreach ($app in 'app1', 'app2', 'app3', 'foreign', 'outsider', 'distrust') { Start-EcpNode $app app.cpf }
        foreach ($node in $Names.Keys) {
            $state = Wait-ContainerHealth -Name $Names[$node] -TimeoutSeconds 40
            if ($state.Health -ne 'healthy') { throw "$node is $($state.Status)/$($state.Health): $((Invoke-DockerCli -ArgumentList 'logs', $Names[$node]).Error)" }
        }

        # ---- ObjectScript line shapes that the stand-in evaluates (README.md, "iris session") --------------------
        function Quote([string] $Text) { '"' + $Text.Replace('"', '""') + '"' }
        $script:Catch = ' } Catch e { Write "IRISOPS-ECP error ",e.Name,! }'
        function Os-State([string] $Server) { 'Write "IRISOPS-ECP state ",##class(SYS.ECP).GetServerConnState(' + (Quote $Server) + '),!' }
        function Os-Set([string] $Token, [string] $Node, [string] $Value) {
            'Try { Set t=$ZHOROLOG, ^IrisOpsEcpProbe(' + (Quote $Token) + ',' + (Quote $Node) + ')=' + (Quote $Value) + ' Write "IRISOPS-ECP set ",$ZHOROLOG-t*1000\1,!' + $Catch
        }
        function Os-Get([string] $Token, [string] $Node) {
            'Try { Write "IRISOPS-ECP get ' + $Node + ' ",$Get(^IrisOpsEcpProbe(' + (Quote $Token) + ',' + (Quote $Node) + ')),!' + $Catch
        }
        function Os-GetDir([string] $Directory, [string] $Token, [string] $Node) {
            'Try { Write "IRISOPS-ECP get ' + $Node + ' ",$Get(^["^^' + $Directory + '"]IrisOpsEcpProbe(' + (Quote $Token) + ',' + (Quote $Node) + ')),!' + $Catch
        }
        function Os-Kill([string] $Token) { 'Try { Kill ^IrisOpsEcpProbe(' + (Quote $Token) + ') Write "IRISOPS-ECP killed",!' + $Catch }

        # Runs lines in 'iris session IRIS -U <Namespace>' on a node; returns the output lines.
        function Invoke-Session([string] $Node, [string] $Namespace, [string[]] $Line) {
            $result = Invoke-ContainerCommand -Name $Names[$Node] -Command 'iris', 'session', 'IRIS', '-U', $Namespace -InputText (($Line + 'halt') -join "`n") -TimeoutSeconds 60
            $result.ExitCode | Should -Be 0 -Because $result.Error
            return @($result.Output -split "`n" | Where-Object { $_ -ne '' })
        }
        function Read-NodeFile([string] $Node, [string] $Path) {
            (Invoke-ContainerCommand -Name $Names[$Node] -Command 'cat', $Path).Output
        }
        # A node's file once it matches (log lines may be written just after the client saw its answer), polled
        # with a deadline; returns the last content read.
        function Wait-NodeFile([string] $Node, [string] $Path, [string] $Pattern, [int] $TimeoutSeconds = 30) {
            $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
            do {
                $text = Read-NodeFile $Node $Path
                if ($text -match $Pattern) { return $text }
                Start-Sleep -Milliseconds 200
            } while ([DateTime]::UtcNow -lt $deadline)
            return $text
        }
        $script:DataLog = '/irisops/durable/iconfig/mgr/messages.log'
        $script:Dir = '/irisops/durable/myappdata/'
    }

    AfterAll {
        if ($script:RunId) { Remove-TestResources -RunId $RunId }
    }

    It 'sets a global over ECP on app-1, reads it on app-2 and on the data server by directory, and kills it' {
        $value = 'v1 "quoted" $(not run) `x` ; a,b=c \ done'
        Invoke-Session app1 APP (Os-State 'demo-data') | Should -Be 'IRISOPS-ECP state 1'
        $set = Invoke-Session app1 APP @((Os-Set 'tok1' 'app-1' $value), (Os-State 'demo-data'), (Os-Get 'tok1' 'app-1'))
        $set[0] | Should -Match '^IRISOPS-ECP set \d+$'
        $set[1] | Should -Be 'IRISOPS-ECP state 5'
        $set[2] | Should -BeExactly "IRISOPS-ECP get app-1 $value"
        Invoke-Session app2 APP @((Os-Get 'tok1' 'app-1'), (Os-State 'demo-data')) | Should -Be @("IRISOPS-ECP get app-1 $value", 'IRISOPS-ECP state 5')
        Invoke-Session data USER (Os-GetDir $Dir 'tok1' 'app-1') | Should -BeExactly "IRISOPS-ECP get app-1 $value"
        # Stored under the data server's database directory (durable storage), as plain files.
        Read-NodeFile data "${Dir}irisops-standin-globals/IrisOpsEcpProbe/tok1/app-1" | Should -BeExactly $value

        Invoke-Session app2 APP (Os-Kill 'tok1') | Should -Be 'IRISOPS-ECP killed'
        Invoke-Session app1 APP (Os-Get 'tok1' 'app-1') | Should -Be 'IRISOPS-ECP get app-1 '
        Invoke-Session data USER (Os-GetDir $Dir 'tok1' 'app-1') | Should -Be 'IRISOPS-ECP get app-1 '
    }

    It 'reports the configuration: SSLConfig of the ECP server entry, SSLECPServer, and -2 for an unknown server' {
        Invoke-Session app1 '%SYS' @(
            'Set sc=##class(Config.ECPServers).Get("demo-data",.p) Write "IRISOPS-ECP sslconfig ",$Get(p("SSLConfig")),!',
            'Set sc=##class(Config.ECPServers).Get("plain-data",.p) Write "IRISOPS-ECP sslconfig ",$Get(p("SSLConfig")),!',
            'Set sc=##class(Security.System).Get("SYSTEM",.p) Write "IRISOPS-ECP sslecpserver ",$Get(p("SSLECPServer")),!',
            (Os-State 'no-such-server')) | Should -Be @('IRISOPS-ECP sslconfig 1', 'IRISOPS-ECP sslconfig 0', 'IRISOPS-ECP sslecpserver 0', 'IRISOPS-ECP state -2')
        Invoke-Session data '%SYS' 'Set sc=##class(Security.System).Get("SYSTEM",.p) Write "IRISOPS-ECP sslecpserver ",$Get(p("SSLECPServer")),!' |
            Should -Be 'IRISOPS-ECP sslecpserver 2'
    }

    It 'keeps a global of a local database local: the data server never sees it' {
        Invoke-Session app1 USER (Os-Set 'tok2' 'app-1' 'local-only') | Should -Match '^IRISOPS-ECP set \d+$'
        Invoke-Session app1 USER (Os-Get 'tok2' 'app-1') | Should -Be 'IRISOPS-ECP get app-1 local-only'
        Invoke-Session app2 APP (Os-Get 'tok2' 'app-1') | Should -Be 'IRISOPS-ECP get app-1 '
        Invoke-Session data USER (Os-GetDir $Dir 'tok2' 'app-1') | Should -Be 'IRISOPS-ECP get app-1 '
    }

    It 'fails without TLS on the data server superserver (no ModifyServer): state 3 and a data-server log line' {
        Invoke-Session app1 NOMOD @((Os-Set 'tok3' 'app-1' 'x'), (Os-State 'nomod-data')) | Should -Be @('IRISOPS-ECP error <NETWORK>', 'IRISOPS-ECP state 3')
        $pattern = ([regex]::Escape("[WARN] ECP TLS handshake from $($Ip.app1) failed: the superserver (port 1972) does not accept TLS"))
        Wait-NodeFile nomod $DataLog $pattern | Should -Match $pattern
    }

    It 'refuses a plain (SSLConfig=0) ECP connection to a data server with SSLECPServer=2' {
        Invoke-Session app1 PLAIN @((Os-Set 'tok4' 'app-1' 'x'), (Os-State 'plain-data')) | Should -Be @('IRISOPS-ECP error <NETWORK>', 'IRISOPS-ECP state 3')
        $pattern = ([regex]::Escape("[WARN] ECP connection from $($Ip.app1) refused: SSLECPServer=2 requires TLS"))
        Wait-NodeFile data $DataLog $pattern | Should -Match $pattern
    }

    It 'fails the handshake for a client certificate from another CA' {
        Invoke-Session foreign APP @((Os-Set 'tok5' 'foreign' 'x'), (Os-State 'demo-data')) | Should -Be @('IRISOPS-ECP error <NETWORK>', 'IRISOPS-ECP state 3')
        $pattern = [regex]::Escape("[WARN] ECP TLS handshake from $($Ip.foreign) failed: ") + '.*(certificate|unknown ca)'
        Wait-NodeFile data $DataLog $pattern | Should -Match $pattern
        Invoke-Session data USER (Os-GetDir $Dir 'tok5' 'foreign') | Should -Be 'IRISOPS-ECP get foreign '
    }

    It 'refuses, on the application server (VerifyPeer=1), a data server certificate it cannot verify' {
        Invoke-Session distrust APP @((Os-Set 'tok9' 'distrust' 'x'), (Os-State 'demo-data')) | Should -Be @('IRISOPS-ECP error <NETWORK>', 'IRISOPS-ECP state 3')
        (Invoke-ContainerCommand -Name $Names.distrust -Command 'cat', '/tmp/irisops-standin/ecp/demo-data.last-error').Output | Should -Match 'verify|certificate'
        $pattern = [regex]::Escape("[WARN] ECP TLS handshake from $($Ip.distrust) failed: ") + '.*unknown ca'
        Wait-NodeFile data $DataLog $pattern | Should -Match $pattern
        Invoke-Session data USER (Os-GetDir $Dir 'tok9' 'distrust') | Should -Be 'IRISOPS-ECP get distrust '
    }

    It 'keeps a client whose certificate DN was not authorized pending (state 2) and logs the DN' {
        Invoke-Session app3 APP @((Os-Set 'tok6' 'app-3' 'x'), (Os-State 'demo-data')) | Should -Be @('IRISOPS-ECP error <NETWORK>', 'IRISOPS-ECP state 2')
        $pattern = ([regex]::Escape("ip=$($Ip.app3) dn=CN=t-app-3, O=Acme, C=US"))
        Wait-NodeFile data '/irisops/durable/iconfig/standin/ecp-pending.log' $pattern | Should -Match $pattern
        $pattern = ([regex]::Escape("[WARN] ECP client $($Ip.app3) pending authorization: SSL computer name 'CN=t-app-3, O=Acme, C=US'"))
        Wait-NodeFile data $DataLog $pattern | Should -Match $pattern
        Invoke-Session data USER (Os-GetDir $Dir 'tok6' 'app-3') | Should -Be 'IRISOPS-ECP get app-3 '
    }

    It 'refuses a client address that is not in %Service_ECP ClientSystems, even with an authorized certificate' {
        Invoke-Session outsider APP @((Os-Set 'tok7' 'outsider' 'x'), (Os-State 'demo-data')) | Should -Be @('IRISOPS-ECP error <NETWORK>', 'IRISOPS-ECP state 3')
        $pattern = ([regex]::Escape("[WARN] ECP connection from $($Ip.outsider) refused: not in %Service_ECP ClientSystems"))
        Wait-NodeFile data $DataLog $pattern | Should -Match $pattern
    }

    It 'still answers plain-text reachability probes on 1972 with the banner' {
        $probe = Invoke-ContainerCommand -Name $Names.app1 -Command 'nc', '-w', '10', $Ip.data, '1972'
        $probe.ExitCode | Should -Be 0
        $probe.Output | Should -Match '^irisops-standin superserver 1\.0\.0\.100\.0standin \(NOT InterSystems IRIS\)'
    }

    It 'keeps the remote data on durable storage when the data server container is re-created' {
        Invoke-Session app1 APP (Os-Set 'tok8' 'app-1' 'survives') | Should -Match '^IRISOPS-ECP set \d+$'
        Invoke-DockerChecked -ArgumentList 'stop', '-t', '20', $Names.data -TimeoutSeconds 40 | Out-Null
        Invoke-DockerChecked -ArgumentList 'rm', $Names.data | Out-Null
        Start-EcpNode data data.cpf
        (Wait-ContainerHealth -Name $Names.data -TimeoutSeconds 40).Health | Should -Be 'healthy'
        Invoke-Session data USER (Os-GetDir $Dir 'tok8' 'app-1') | Should -Be 'IRISOPS-ECP get app-1 survives'
        Invoke-Session app2 APP (Os-Get 'tok8' 'app-1') | Should -Be 'IRISOPS-ECP get app-1 survives'
        # Re-applying the same merge file at the new start is idempotent: the Creates are skipped as existing.
        Read-NodeFile data '/irisops/durable/iconfig/standin/merge.log' | Should -Match 'source=startup .* result=ok actions=8 skipped=3'
    }
}

Describe 'irisops-standin strict merge files' -Tag 'Docker', 'StandIn' -Skip:($DockerState.Skip) {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'StandIn.ps1')
        Assert-DockerTestState -State (Get-DockerTestState)
        Initialize-StandInImage -Tag v1 | Out-Null
        $script:Image = Invoke-DockerChecked -ArgumentList 'image', 'inspect', '--format', '{{.Id}}', 'irisops-standin:v1'
        $script:RunId = New-TestRunId
        $script:Config = Join-Path $TestDrive 'merge'
        New-Item -ItemType Directory -Path $Config | Out-Null
        $files = [ordered]@{
            'unknown.cpf'   = "[Actions]`nCreateDatabase:Name=A,Directory=/tmp/a/`nCreateWidget:Name=W`n"
            'nosysname.cpf' = "[config]`nMaxServerConn=3`n[Actions]`nModifySystem:SSLECPServer=2`n"
            'nons.cpf'      = "[Actions]`nCreateDatabase:Name=B,Directory=/tmp/b/`nCreateMapGlobal:Namespace=NOPE,Name=demo.*,Database=B`n"
            'lateNs.cpf'    = "[Actions]`nCreateMapGlobal:Namespace=LATE,Name=demo.*,Database=C`nCreateDatabase:Name=C,Directory=/tmp/c/`nCreateNamespace:Name=LATE,Globals=C`nModifyServer:Port=1972,BindAddress=`"`",SSLSupportLevel=1`nExecute:Namespace=%SYS,ClassName=SYS.ECP,MethodName=AddAuthorizedCN,Arg1=`"CN=x, O=y`"`n"
            'a.cpf'         = "[config]`nMaxServerConn=4`n"
            'watch.cpf'     = "[config]`nMaxServerConn=5`n[Actions]`nCreateResource:Name=WatchOne`n"
        }
        foreach ($name in $files.Keys) { Set-Content -LiteralPath (Join-Path $Config $name) -Value $files[$name] -NoNewline }
        & chmod -R a+rX $Config
        $script:Names = [ordered]@{}
        foreach ($case in @(
                @{ Key = 'unknown'; Merge = '/m/unknown.cpf' }, @{ Key = 'nosysname'; Merge = '/m/nosysname.cpf' },
                @{ Key = 'nons'; Merge = '/m/nons.cpf' }, @{ Key = 'comma'; Merge = '/m/a.cpf,/m/lateNs.cpf' },
                @{ Key = 'good'; Merge = '/m/lateNs.cpf' }, @{ Key = 'watch'; Merge = '/m/watch.cpf' })) {
            $Names[$case.Key] = Start-TestContainer -RunId $RunId -Image $Image -Environment @{ ISC_CPF_MERGE_FILE = $case.Merge } -Volume "${Config}:/m:ro"
        }
        function Get-Messages([string] $Key) { (Invoke-ContainerCommand -Name $Names[$Key] -Command 'cat', '/usr/irissys/mgr/messages.log').Output }
        function Assert-Unhealthy([string] $Key, [string[]] $Until = @('unhealthy', 'healthy')) {
            $state = Wait-ContainerHealth -Name $Names[$Key] -TimeoutSeconds 40 -Until $Until
            $state.Health | Should -Be 'unhealthy'
            $state.Status | Should -Be 'running'
            (Invoke-ContainerCommand -Name $Names[$Key] -Command '/irisHealth.sh').ExitCode | Should -Be 1
            (Invoke-ContainerCommand -Name $Names[$Key] -Command 'iris', 'qlist').Output | Should -Match '\^running, since .+\^alert\^IRIS'
        }
    }

    AfterAll {
        if ($script:RunId) { Remove-TestResources -RunId $RunId }
    }

    It 'refuses an unknown action name' {
        Assert-Unhealthy unknown
        Get-Messages unknown | Should -Match ([regex]::Escape("[ERROR] Merge file /m/unknown.cpf refused: [Actions] line 3: CreateWidget:Name=W: unknown action 'CreateWidget'"))
        # Nothing from a refused file is applied.
        (Invoke-ContainerCommand -Name $Names.unknown -Command 'sh', '-c', 'cat /usr/irissys/standin/actions.log 2>/dev/null; true').Output | Should -BeNullOrEmpty
    }

    It 'refuses ModifySystem without Name' {
        Assert-Unhealthy nosysname
        Get-Messages nosysname | Should -Match ([regex]::Escape('[ERROR] Merge file /m/nosysname.cpf refused: [Actions] line 4: ModifySystem:SSLECPServer=2: required property Name is missing'))
        (Invoke-ContainerCommand -Name $Names.nosysname -Command 'cat', '/usr/irissys/iris.cpf').Output | Should -Match '(?m)^MaxServerConn=1$'
    }

    It 'refuses a global mapping into a namespace that does not exist' {
        Assert-Unhealthy nons
        Get-Messages nons | Should -Match ([regex]::Escape('[ERROR] Merge file /m/nons.cpf refused: [Actions] line 3: CreateMapGlobal:Namespace=NOPE,Name=demo.*,Database=B: namespace NOPE does not exist'))
    }

    It 'refuses a comma list in ISC_CPF_MERGE_FILE and in iris merge' {
        Assert-Unhealthy comma
        Get-Messages comma | Should -Match ([regex]::Escape("[ERROR] ISC_CPF_MERGE_FILE='/m/a.cpf,/m/lateNs.cpf' is a comma list"))
        (Invoke-ContainerCommand -Name $Names.comma -Command 'cat', '/usr/irissys/iris.cpf').Output | Should -Not -Match 'MaxServerConn=4'
        $merge = Invoke-ContainerCommand -Name $Names.comma -Command 'iris', 'merge', 'IRIS', '/m/a.cpf,/m/lateNs.cpf'
        $merge.ExitCode | Should -Be 1
        $merge.Error | Should -Match 'comma list'
    }

    It 'refuses a changed merge file on the continuous merge (unhealthy), and a corrected one makes the node healthy again' {
        (Wait-ContainerHealth -Name $Names.watch -TimeoutSeconds 40).Health | Should -Be 'healthy'
        Set-Content -LiteralPath (Join-Path $Config 'watch.cpf') -Value "[config]`nMaxServerConn=6`n[Actions]`nModifyService:Enabled=1`n" -NoNewline
        Assert-Unhealthy watch -Until 'unhealthy'
        Get-Messages watch | Should -Match ([regex]::Escape('[ERROR] Merge file /m/watch.cpf refused: [Actions] line 4: ModifyService:Enabled=1: required property Name is missing'))
        (Invoke-ContainerCommand -Name $Names.watch -Command 'cat', '/usr/irissys/iris.cpf').Output | Should -Match '(?m)^MaxServerConn=5$'
        Set-Content -LiteralPath (Join-Path $Config 'watch.cpf') -Value "[config]`nMaxServerConn=7`n[Actions]`nModifyService:Name=%Service_ECP,Enabled=1`n" -NoNewline
        (Wait-ContainerHealth -Name $Names.watch -TimeoutSeconds 40).Health | Should -Be 'healthy'
        (Invoke-ContainerCommand -Name $Names.watch -Command 'cat', '/usr/irissys/iris.cpf').Output | Should -Match '(?m)^MaxServerConn=7$'
        (Invoke-ContainerCommand -Name $Names.watch -Command 'cat', '/usr/irissys/standin/merge.log').Output | Should -Match 'source=watch file=/m/watch\.cpf md5=\w+ result=refused'
    }

    It 'accepts quoted values, an empty BindAddress and a namespace created later in the same file, and re-applies idempotently' {
        $state = Wait-ContainerHealth -Name $Names.good -TimeoutSeconds 40
        $state.Health | Should -Be 'healthy'
        $config = (Invoke-ContainerCommand -Name $Names.good -Command 'cat', '/usr/irissys/standin/config.state').Output
        $config | Should -Match ([regex]::Escape("AuthorizedCN`tCN=x, O=y`t`t"))
        $config | Should -Match ([regex]::Escape("Server`t1972|`tBindAddress`t`n"))
        $config | Should -Match ([regex]::Escape("MapGlobal`tLATE:demo.*`tDatabase`tC"))
        $again = Invoke-ContainerCommand -Name $Names.good -Command 'iris', 'merge', 'IRIS', '/m/lateNs.cpf'
        $again.ExitCode | Should -Be 0 -Because $again.Error
        (Invoke-ContainerCommand -Name $Names.good -Command 'cat', '/usr/irissys/standin/config.state').Output | Should -BeExactly $config
        (Invoke-ContainerCommand -Name $Names.good -Command 'cat', '/usr/irissys/standin/merge.log').Output | Should -Match 'source=iris-merge .* result=ok actions=5 skipped=3'
        (Invoke-ContainerCommand -Name $Names.good -Command 'iris', 'session', 'IRIS', '-U', 'LATE' -InputText "halt`n").ExitCode | Should -Be 0
    }
}
