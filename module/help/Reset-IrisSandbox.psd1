@{
    Synopsis    = 'Resets sandboxes to their image''s original state; preserved data only with -DiscardData.'
    Description = @'
Reset-IrisSandbox stops each selected sandbox, puts its container aside, creates a new container with the same settings from the same image, starts it and waits until it is healthy; then the old container is removed. Everything that lived in the container is gone. A Preserved sandbox keeps its durable %SYS volume (the instance comes back on its data) unless -DiscardData is given: then the volume is deleted and created empty, so the instance starts as in the image. If the new container fails, the old one is put back (not after -DiscardData, which cannot be undone). The expiry does not change. ConfirmImpact is High.
'@
    Parameters  = @{
        Owner      = 'An owner name: only that owner''s sandboxes are selected. Matched exactly; wildcards are refused, so "ann" never reaches "ann-2". By property name from Get-IrisSandbox.'
        Name       = 'Sandbox names (sandbox-<owner>-<n>), matched exactly. With -Owner, a name that owner has not is an error. By property name from Get-IrisSandbox.'
        DockerHost = 'The Docker engine, as the docker CLI takes it. Default: DOCKER_HOST, then the current docker context, then the platform default.'
        DiscardData   = 'Also deletes the durable data of a Preserved sandbox. This cannot be undone.'
        StopTimeout   = 'Seconds the old container gets to shut down before the engine kills it. Default 330.'
        HealthTimeout = 'Seconds the new container may take to become healthy. Default 300.'
    }
    Examples    = @(
        @{ Title = 'A fresh start for one trainee'; Code = 'Reset-IrisSandbox -Owner ann -Confirm:'; Remarks = 'Fresh sandboxes return to the image; Preserved ones keep their data.' }
        @{ Title = 'Wipe preserved data too'; Code = 'Reset-IrisSandbox -Name sandbox-bob-1 -DiscardData'; Remarks = 'Asks first; the confirmation names the volume that is deleted.' }
    )
    Inputs      = @(@{ Type = 'IrisOps.Core.Sandboxes.IrisSandbox'; Description = 'Objects with Owner and Name properties.' })
    Outputs     = @(@{ Type = 'IrisOps.Core.Sandboxes.IrisSandbox'; Description = 'Each sandbox after its reset.' })
    Notes       = 'Use -WhatIf to see what each reset deletes and keeps.'
    Links       = @('New-IrisSandbox', 'Remove-IrisSandbox', 'about_IrisOps')
}
