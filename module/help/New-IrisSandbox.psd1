@{
    Synopsis    = 'Creates per-user InterSystems IRIS sandboxes: one container per owner (or -Count), each on its own network, with a lifetime.'
    Description = @'
New-IrisSandbox gives each owner a personal IRIS container under rules you set: how long it lives (-Lifetime), whether it may be relaunched after it expired, whether its state is kept (-State Preserved keeps durable %SYS on a volume of its own; Running InterSystems Products in Containers, "Durable %SYS for Persistent Instance Data") or starts fresh (Fresh: everything lives in the container, as in the image), memory and CPU limits and a configuration merge file (ISC_CPF_MERGE_FILE; Automating Configuration of InterSystems IRIS with Configuration Merge). A template (-Template: a hashtable, a .psd1 file or a YAML file) fixes these rules, so a training room is one line per trainee: Import-Csv trainees.csv | New-IrisSandbox -Template class.psd1.

Each sandbox is the container sandbox-<owner>-<n>, its network sandbox-<owner>-<n>-net and, with -State Preserved, the volume sandbox-<owner>-<n>-data. The superserver (1972) and web server (52773, the web server port of Community Edition instances; Deploy and Explore InterSystems IRIS Community) ports are published on 127.0.0.1 with ports the engine chooses; only -PublishAddress publishes them on another address. Labels irisops.sandbox.owner, .expires (UTC, ISO-8601), .template and .state let Get-IrisSandbox and the reaper work from any session.

Owner names are 1 to 32 letters, digits and hyphens (taken in lowercase); anything else, a wildcard included, is refused. Every row is checked first; then the sandboxes are created in parallel, at most -ThrottleLimit at once, each waiting until it is healthy, with progress. A sandbox that fails (or Ctrl+C) removes what its creation made; preserved data that existed before stays. A template fixes what it names: a parameter that says otherwise is refused.
'@
    Parameters  = @{
        Owner          = 'The owner of the sandbox, by pipeline (a string, or the Owner column of Import-Csv). 1 to 32 letters, digits and hyphens; wildcards are refused.'
        Image          = 'The IRIS image. Required unless the template names one.'
        Template       = 'The rules: a hashtable, or the path of a .psd1 or .yml/.yaml file, with any of the keys Name, Image, Lifetime, MaxLifetime, AllowRelaunch, State, Memory, Cpu, MergeFile, MaxPerOwner, OnExpiry. Also from a Template column by pipeline. A .psd1 file is read as data only: no code in it runs.'
        Lifetime       = 'How long the sandbox lives (default 8 hours, at most the template''s MaxLifetime; default maximum 7 days). After it, Get-IrisSandbox -Expired lists it and the reaper stops or removes it.'
        State          = 'Fresh (default): nothing survives Reset or Remove. Preserved: durable %SYS on its own volume, kept across Reset-IrisSandbox and Remove-IrisSandbox unless -DiscardData or -RemoveData.'
        LicenseKeyPath = 'An iris.key license file on the host. It is copied into a volume of the sandbox for the IRIS user and passed with --key (Running InterSystems Products in Containers, "License Keys for InterSystems IRIS Containers"); the host file is not changed.'
        MergeFile      = 'A configuration merge file on the host, mounted read-only and named by ISC_CPF_MERGE_FILE, so it is applied at every start (Automating Configuration of InterSystems IRIS with Configuration Merge).'
        Memory         = 'The memory limit: bytes, or a size such as 2GB or 512m (docker run --memory).'
        Cpu            = 'The CPU limit in CPUs, such as 0.5 or 2 (docker run --cpus).'
        PublishPort    = 'Fixed host ports for a single sandbox: the superserver''s (published for container port 1972), then optionally the web port''s (52773). Without it the engine chooses free ports, which Get-IrisSandbox shows; a fixed port cannot serve several sandboxes, so it is refused with -Count above 1. A port another program holds makes the creation fail and roll back.'
        PublishAddress = 'The host address the ports are published on. Default 127.0.0.1 (this machine only); 0.0.0.0 publishes on every address, so only give it on purpose.'
        Count          = 'How many sandboxes each owner gets in this call (default 1).'
        MaxPerOwner    = 'How many sandboxes an owner may have in all, counting those that exist (default: -Count). A template may fix it.'
        Label          = 'More labels for the container, network and volumes, as a hashtable (a course, a cost centre). Names starting with irisops.sandbox are reserved.'
        ThrottleLimit  = 'How many sandboxes are created at once (default 4).'
        HealthTimeout  = 'Seconds each sandbox may take to become healthy. Default 300.'
        DockerHost     = 'The Docker engine, as the docker CLI takes it. Default: DOCKER_HOST, then the current docker context, then the platform default.'
    }
    Examples    = @(
        @{ Title = 'A training room from a CSV file'; Code = "Import-Csv trainees.csv | New-IrisSandbox -Template ./class.psd1"; Remarks = 'trainees.csv has an Owner column; class.psd1 holds @{ Image = ''intersystems/iris-community:latest-em''; Lifetime = ''08:00:00''; AllowRelaunch = $false; State = ''Fresh''; Memory = ''2GB'' }.' }
        @{ Title = 'One developer, data kept'; Code = "New-IrisSandbox -Owner ann -Image intersystems/iris-community:latest-em -State Preserved -Lifetime 5.00:00:00 -LicenseKeyPath ./iris.key"; Remarks = 'Ann''s durable %SYS stays on the volume sandbox-ann-1-data across resets and removals.' }
        @{ Title = 'See what would be created'; Code = "'ann','bob' | New-IrisSandbox -Image iris:2024.1 -Count 2 -WhatIf"; Remarks = 'Names every container, network and volume; nothing is created.' }
    )
    Inputs      = @(@{ Type = 'System.String'; Description = 'Owner names, or objects with Owner (and optionally Image and Template) properties.' })
    Outputs     = @(@{ Type = 'IrisOps.Core.Sandboxes.IrisSandbox'; Description = 'Each sandbox once it is healthy: Owner, Name, Image, Expires, State, Ports, Health.' })
    Notes       = 'Nothing of the owner''s work should live only in a Fresh sandbox: keep code in source control and data on Preserved storage. examples/sandbox-reaper.ps1 is the scheduled task that enforces the lifetimes; examples/Dockerfile.small shows a small image build.'
    Links       = @('Get-IrisSandbox', 'Set-IrisSandbox', 'Reset-IrisSandbox', 'Stop-IrisSandbox', 'Start-IrisSandbox', 'Remove-IrisSandbox', 'about_IrisOps')
}
