@{
    Synopsis    = 'Removes sandboxes; preserved data is kept unless -RemoveData.'
    Description = @'
Remove-IrisSandbox stops each selected sandbox with the stop timeout, removes its container, its network, its license copy and its expiry records. The durable %SYS volume of a Preserved sandbox is kept, so New-IrisSandbox for the same owner (same number, -State Preserved) comes back on that data; -RemoveData deletes it too. With -Expired it removes only expired sandboxes (every expired sandbox when no -Owner or -Name is given). -WhatIf and the confirmation name what is deleted and what is kept. ConfirmImpact is High.
'@
    Parameters  = @{
        Owner      = 'An owner name: only that owner''s sandboxes are selected. Matched exactly; wildcards are refused, so "ann" never reaches "ann-2". By property name from Get-IrisSandbox.'
        Name       = 'Sandbox names (sandbox-<owner>-<n>), matched exactly. With -Owner, a name that owner has not is an error. By property name from Get-IrisSandbox.'
        DockerHost = 'The Docker engine, as the docker CLI takes it. Default: DOCKER_HOST, then the current docker context, then the platform default.'
        Expired     = 'Only expired sandboxes; with no -Owner or -Name, every expired sandbox.'
        RemoveData  = 'Also deletes the durable data of Preserved sandboxes. This cannot be undone.'
        StopTimeout = 'Seconds each container gets to shut down before the engine kills it. Default 330.'
    }
    Examples    = @(
        @{ Title = 'Remove one owner''s sandboxes, keep their data'; Code = 'Remove-IrisSandbox -Owner ann'; Remarks = 'Asks first.' }
        @{ Title = 'Clear out a finished class'; Code = 'Get-IrisSandbox -Template class | Remove-IrisSandbox -RemoveData -Confirm:'; Remarks = 'Deletes the preserved data too.' }
    )
    Inputs      = @(@{ Type = 'IrisOps.Core.Sandboxes.IrisSandbox'; Description = 'Objects with Owner and Name properties.' })
    Outputs     = @(@{ Type = 'None'; Description = 'Nothing; -Verbose tells each step.' })
    Notes       = 'Use -WhatIf to see what would be removed.'
    Links       = @('New-IrisSandbox', 'Get-IrisSandbox', 'about_IrisOps')
}
