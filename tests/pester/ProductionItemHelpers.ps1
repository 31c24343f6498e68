# Helpers for the production-item tests on the irisops-standin image (NOT InterSystems IRIS). Dot-source after
# StandIn.ps1 and TestHelpers.ps1. The container runs with durable %SYS on a bind mount and gets, through
# `iris merge`, two interoperability namespaces: APP, whose Ens.Config globals are mapped to APPCONFIG on durable
# storage, and APPIMG, whose default database stays inside the image (the layout that loses site changes).

function Start-ItemsStandIn {
    Initialize-StandInImage -Tag v1 | Out-Null
    $runId = New-TestRunId
    $folder = New-DurableFolder -RunId $runId
    $name = Start-TestContainer -RunId $runId -Image 'irisops-standin:v1' -Name "irisops-test-items-$runId" `
        -Environment @{ ISC_DATA_DIRECTORY = '/durable/iconfig' } -Volume "${folder}:/durable"
    (Wait-ContainerHealth -Name $name -TimeoutSeconds 60).Health | Should -Be 'healthy'
    $merge = @(
        '[Namespaces]', 'APP=APPDATA,APPCODE', 'APPIMG=APPIMGDATA',
        '[Databases]', 'APPDATA=/durable/iconfig/mgr/appdata/', 'APPCODE=/home/irisowner/mgr/appcode/',
        'APPCONFIG=/durable/iconfig/mgr/appconfig/', 'APPIMGDATA=/usr/irissys/mgr/appimgdata/',
        '[Map.APP]', 'Global_Ens.Config.*=APPCONFIG',
        '[Actions]', 'CreateNamespace:Name=APP,Globals=APPDATA,Routines=APPCODE,Interop=1', 'CreateNamespace:Name=APPIMG,Globals=APPIMGDATA,Interop=1'
    ) -join "`n"
    $merged = Invoke-ContainerCommand -Name $name -Command 'sh', '-c', 'cat > /tmp/items.cpf && iris merge IRIS /tmp/items.cpf' -InputText ($merge + "`n") -TimeoutSeconds 60
    $merged.ExitCode | Should -Be 0 -Because $merged.Error
    [pscustomobject]@{ RunId = $runId; Name = $name; Record = '/durable/iconfig/standin'; Folder = $folder }
}

# Writes standin/productions.state: one line per property, "<NS> TAB <production> TAB <item> TAB <property> TAB <value>".
function Set-ProductionState([string[]] $Line) {
    $text = (($Line | ForEach-Object { $_ -replace '\|', "`t" }) -join "`n") + "`n"
    $result = Invoke-ContainerCommand -Name $Name -Command 'sh', '-c', "mkdir -p $Record && cat > $Record/productions.state" -InputText $text -TimeoutSeconds 30
    $result.ExitCode | Should -Be 0 -Because $result.Error
}

# The result lines a session prints for one row, as one string: V lines (P before, N after) and the R line.
function ItemReply([int] $Row, [string] $Action, [bool] $Existed, [hashtable] $Before = @{}, [hashtable] $After = @{}) {
    $lines = @(foreach ($k in $Before.Keys) { "IRISOPS|V|$Row|P|$(B64 $k)|$(B64 $Before[$k])" }) +
        @(foreach ($k in $After.Keys) { "IRISOPS|V|$Row|N|$(B64 $k)|$(B64 $After[$k])" }) + "IRISOPS|R|$Row|$Action|$([int]$Existed)|"
    $lines -join "`n"
}

# What an instance reads back after saving a CSV row: every non-empty cell, flags as 1/0 (the N values of a reply).
function RowAfter($Row) {
    $after = @{}
    foreach ($p in $Row.PSObject.Properties) {
        if ($p.Name -eq 'ProductionName' -or $p.Name -eq 'Name' -or "$($p.Value)" -eq '') { continue }
        $after[$p.Name] = if ($p.Name -in 'Enabled', 'Foreground', 'LogTraceEvents') { if ($p.Value -eq 'true') { '1' } else { '0' } } else { "$($p.Value)" }
    }
    $after
}
