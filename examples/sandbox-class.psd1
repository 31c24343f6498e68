# The rules of a one-day training class, for New-IrisSandbox -Template (read as data: no code here runs).
@{
    Name          = 'class'
    Image         = 'intersystems/iris-community:latest-em'
    Lifetime      = '08:00:00'      # up for a working day
    MaxLifetime   = '1.00:00:00'    # Set-IrisSandbox -Extend may reach one day from creation, no more
    AllowRelaunch = $false          # once expired, it cannot be started again
    State         = 'Fresh'         # every reset or new sandbox starts from the image
    OnExpiry      = 'Remove'        # what sandbox-reaper.ps1 does when it has expired
    Memory        = '2GB'
    Cpu           = 1
    MaxPerOwner   = 1
}
