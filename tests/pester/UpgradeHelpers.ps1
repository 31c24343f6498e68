# What the single-engine Update-IrisApplicationImage test files share (dot-source it inside BeforeAll, after
# TestHelpers.ps1 and StandIn.ps1): the records a restart legitimately rewrites, and folder hashing and comparison.

# Records a stop and a start of a stand-in container rewrite (its start/stop records, the running marker, the record
# of the startup merge); mgr/iris.ids exists only while an instance runs; standin/session.log: the upgrade asks the
# running instance which databases are read-only (one session) before the stop.
$script:RestartRecords = @('iconfig/standin/running', 'iconfig/mgr/iris.ids', 'iconfig/standin/starts.log', 'iconfig/mgr/messages.log', 'iconfig/standin/merge.log', 'iconfig/standin/session.log')

# SHA-256 (lower case, as in a backup manifest) of every file under a host folder, keyed by relative path.
function Get-FolderHashes([string] $Path) {
    $hashes = @{}
    foreach ($file in Get-ChildItem -LiteralPath $Path -Recurse -File -Force) {
        $relative = [IO.Path]::GetRelativePath($Path, $file.FullName).Replace('\', '/')
        $hashes[$relative] = (Get-FileHash -LiteralPath $file.FullName -Algorithm SHA256).Hash.ToLowerInvariant()
    }
    $hashes
}

# Every file of both listings but those in -Except has the same hash in both.
function Assert-SameFiles([hashtable] $Before, [hashtable] $After, [string[]] $Except = @()) {
    $keys = @($Before.Keys) + @($After.Keys) | Sort-Object -Unique | Where-Object { $_ -notin $Except }
    foreach ($key in $keys) {
        $After[$key] | Should -Be $Before[$key] -Because "durable file '$key' must be unchanged"
    }
}
