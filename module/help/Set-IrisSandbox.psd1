@{
    Synopsis    = 'Extends the lifetime of sandboxes, never past the maximum their rules allow.'
    Description = @'
Set-IrisSandbox -Extend moves the expiry of each selected sandbox later by the time span given. The expiry may not pass the sandbox's limit: its creation (or last relaunch) plus the template's MaxLifetime (7 days without a template); the error says by how much it can still be extended. An expired sandbox whose rules forbid a relaunch cannot be revived by an extension. The container keeps running and keeps its state: the new expiry is recorded as the labels of a small volume of the sandbox, which Get-IrisSandbox reads and Remove-IrisSandbox removes.
'@
    Parameters  = @{
        Owner      = 'An owner name: only that owner''s sandboxes are selected. Matched exactly; wildcards are refused, so "ann" never reaches "ann-2". By property name from Get-IrisSandbox.'
        Name       = 'Sandbox names (sandbox-<owner>-<n>), matched exactly. With -Owner, a name that owner has not is an error. By property name from Get-IrisSandbox.'
        DockerHost = 'The Docker engine, as the docker CLI takes it. Default: DOCKER_HOST, then the current docker context, then the platform default.'
        Extend     = 'How much later the sandbox expires, such as 02:00:00 or 1.00:00:00.'
    }
    Examples    = @(
        @{ Title = 'Two more hours for one trainee'; Code = 'Set-IrisSandbox -Owner ann -Extend 02:00:00'; Remarks = 'Every sandbox of ann.' }
        @{ Title = 'A day more for a whole class'; Code = 'Get-IrisSandbox -Template class | Set-IrisSandbox -Extend 1.00:00:00 -WhatIf'; Remarks = 'Shows the old and new expiry of each; remove -WhatIf to apply.' }
    )
    Inputs      = @(@{ Type = 'IrisOps.Core.Sandboxes.IrisSandbox'; Description = 'Objects with Owner and Name properties.' })
    Outputs     = @(@{ Type = 'IrisOps.Core.Sandboxes.IrisSandbox'; Description = 'Each sandbox with its new expiry.' })
    Notes       = 'Times are UTC.'
    Links       = @('Get-IrisSandbox', 'Start-IrisSandbox', 'about_IrisOps')
}
