@{
    Synopsis    = 'Gets sandboxes, rebuilt from the labels of their containers: by owner, template, or only the expired ones.'
    Description = @'
Get-IrisSandbox reads the labels New-IrisSandbox put on each sandbox container (owner, expiry, template, state, the relaunch rule) and the later expiries recorded by Set-IrisSandbox -Extend and relaunches, and returns one object per sandbox with its health and the host ports the engine bound. It needs nothing from the session that created them. Owner and name match exactly: there are no wildcards, so one owner never sees another's sandboxes through a similar name.
'@
    Parameters  = @{
        Owner      = 'An owner name: only that owner''s sandboxes are selected. Matched exactly; wildcards are refused, so "ann" never reaches "ann-2". By property name from Get-IrisSandbox.'
        Name       = 'Sandbox names (sandbox-<owner>-<n>), matched exactly. With -Owner, a name that owner has not is an error. By property name from Get-IrisSandbox.'
        DockerHost = 'The Docker engine, as the docker CLI takes it. Default: DOCKER_HOST, then the current docker context, then the platform default.'
        Expired    = 'Only sandboxes whose expiry has passed.'
        Template   = 'Only sandboxes created with this template (its name).'
    }
    Examples    = @(
        @{ Title = 'Every sandbox'; Code = 'Get-IrisSandbox'; Remarks = 'One row per sandbox: owner, name, state, health, expiry, ports.' }
        @{ Title = 'What the reaper would act on'; Code = 'Get-IrisSandbox -Expired -Template class | Format-Table Owner, Name, Expires, OnExpiry'; Remarks = 'OnExpiry says whether it would be stopped or removed.' }
        @{ Title = 'One owner''s connection details'; Code = 'Get-IrisSandbox -Owner ann | Select-Object Name, SuperserverPort, WebPort'; Remarks = 'The host ports on 127.0.0.1 (or the -PublishAddress given at creation).' }
    )
    Inputs      = @(@{ Type = 'IrisOps.Core.Sandboxes.IrisSandbox'; Description = 'Objects with Owner and Name properties.' })
    Outputs     = @(@{ Type = 'IrisOps.Core.Sandboxes.IrisSandbox'; Description = 'The sandboxes.' })
    Notes       = 'Times are UTC.'
    Links       = @('New-IrisSandbox', 'Set-IrisSandbox', 'Remove-IrisSandbox', 'about_IrisOps')
}
