@{
    Synopsis    = 'Stops sandboxes with a clean shutdown.'
    Description = @'
Stop-IrisSandbox stops each selected sandbox container, giving IRIS the stop timeout to shut down cleanly (the default is IRIS's own ShutdownTimeout of 300 s plus 30 s; Configuration Parameter File Reference, ShutdownTimeout). The sandbox, its data and its expiry stay; Start-IrisSandbox starts it again. With -Expired it stops every expired sandbox (of -Owner, when given).
'@
    Parameters  = @{
        Owner      = 'An owner name: only that owner''s sandboxes are selected. Matched exactly; wildcards are refused, so "ann" never reaches "ann-2". By property name from Get-IrisSandbox.'
        Name       = 'Sandbox names (sandbox-<owner>-<n>), matched exactly. With -Owner, a name that owner has not is an error. By property name from Get-IrisSandbox.'
        DockerHost = 'The Docker engine, as the docker CLI takes it. Default: DOCKER_HOST, then the current docker context, then the platform default.'
        Expired     = 'Only expired sandboxes; with no -Owner or -Name, every expired sandbox.'
        StopTimeout = 'Seconds each container gets to shut down before the engine kills it. Default 330.'
    }
    Examples    = @(
        @{ Title = 'Stop one owner''s sandboxes'; Code = 'Stop-IrisSandbox -Owner ann'; Remarks = 'They can be started again with Start-IrisSandbox.' }
        @{ Title = 'Stop what has expired'; Code = 'Stop-IrisSandbox -Expired -WhatIf'; Remarks = 'Names each sandbox it would stop.' }
    )
    Inputs      = @(@{ Type = 'IrisOps.Core.Sandboxes.IrisSandbox'; Description = 'Objects with Owner and Name properties.' })
    Outputs     = @(@{ Type = 'IrisOps.Core.Sandboxes.IrisSandbox'; Description = 'Each sandbox after the stop.' })
    Notes       = 'examples/sandbox-reaper.ps1 stops or removes expired sandboxes according to their rules.'
    Links       = @('Start-IrisSandbox', 'Remove-IrisSandbox', 'about_IrisOps')
}
