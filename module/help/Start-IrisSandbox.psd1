@{
    Synopsis    = 'Starts stopped sandboxes; an expired one only when its rules allow a relaunch.'
    Description = @'
Start-IrisSandbox starts each selected sandbox and waits until it is healthy. A sandbox that has expired is relaunched only when its rules allow it (the template's AllowRelaunch; allowed without a template): it then gets a new lifetime from now, and a new limit for -Extend. When the rules forbid a relaunch, the start is refused with SandboxRelaunchRefused (also under -WhatIf), and the sandbox stays as it is.
'@
    Parameters  = @{
        Owner      = 'An owner name: only that owner''s sandboxes are selected. Matched exactly; wildcards are refused, so "ann" never reaches "ann-2". By property name from Get-IrisSandbox.'
        Name       = 'Sandbox names (sandbox-<owner>-<n>), matched exactly. With -Owner, a name that owner has not is an error. By property name from Get-IrisSandbox.'
        DockerHost = 'The Docker engine, as the docker CLI takes it. Default: DOCKER_HOST, then the current docker context, then the platform default.'
        HealthTimeout = 'Seconds each sandbox may take to become healthy. Default 300.'
    }
    Examples    = @(
        @{ Title = 'Start one owner''s sandboxes'; Code = 'Start-IrisSandbox -Owner ann'; Remarks = 'An expired one is relaunched with a new lifetime if its rules allow it.' }
        @{ Title = 'What a start would do'; Code = 'Get-IrisSandbox -Owner ann | Start-IrisSandbox -WhatIf'; Remarks = 'Says for each whether it is a start or a relaunch, and the new expiry.' }
    )
    Inputs      = @(@{ Type = 'IrisOps.Core.Sandboxes.IrisSandbox'; Description = 'Objects with Owner and Name properties.' })
    Outputs     = @(@{ Type = 'IrisOps.Core.Sandboxes.IrisSandbox'; Description = 'Each sandbox once it is healthy.' })
    Notes       = 'Times are UTC.'
    Links       = @('Stop-IrisSandbox', 'Set-IrisSandbox', 'about_IrisOps')
}
