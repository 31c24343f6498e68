@{
    Synopsis    = 'Gets interoperability production default settings from running IRIS containers or from exported XML files, filtered by key with wildcards.'
    Description = @'
Get-IrisDefaultSetting lists the rows of Ens_Config.DefaultSettings in a namespace of each container, through one read-only "iris session" per container, or reads XML files, so settings can move from one site to another. It reads the files Set-IrisDefaultSetting -ExportPath and ##class(Ens.Config.DefaultSettings).%Export write (<defaultSettings><item .../></defaultSettings>) and those $system.OBJ.Export writes, where the items sit in <Export><Document name="Ens.Config.DefaultSettings.ESD">; like %Import, it takes the <item> elements wherever they are and skips the other documents of an export. An item without a description attribute has an empty description, as %Import stores it, so applying the rows with Set-IrisDefaultSetting clears such descriptions, as %Import would.

-ProductionName, -ItemName, -HostClassName and -SettingName filter the rows with PowerShell wildcards, case-insensitively. A * stored in a key (meaning "any") is matched by the wildcard * like any other value; to match only rows stored with *, escape it: -ItemName '`*'.

The output objects bind by property name to Set-IrisDefaultSetting and Remove-IrisDefaultSetting. Target is the container or the file the row came from. A file with an unknown attribute on an item, an unknown element in <defaultSettings> or an item, a DTD, or characters XML does not allow is refused with its full path and the line. With several paths or a wildcard, such a file is a non-terminating error and the other files are still read.
'@
    Parameters  = @{
        Container      = 'The names of the running IRIS containers to read.'
        InputObject    = 'Cluster objects (their data server is read, in the cluster''s namespace) or node objects, also from the pipeline. Objects saved with Export-Clixml and read back with Import-Clixml (or received from a job or a remote session) work the same.'
        Path           = 'XML files of default settings to read instead of a container: one or more paths, wildcards allowed.'
        Namespace      = 'The namespace of the production. Default: the cluster''s namespace for a cluster object, else USER.'
        ProductionName = 'Only rows whose production matches this wildcard pattern.'
        ItemName       = 'Only rows whose item matches this wildcard pattern.'
        HostClassName  = 'Only rows whose host class matches this wildcard pattern.'
        SettingName    = 'Only rows whose setting name matches this wildcard pattern.'
        DockerHost     = 'The Docker engine endpoint, as the docker CLI''s -H takes it. Default: DOCKER_HOST, the current docker context, or the platform default.'
    }
    Examples    = @(
        @{
            Title   = 'The port settings of one production'
            Code    = 'Get-IrisDefaultSetting -Container iris-data -Namespace APP -ProductionName APP.Production -SettingName *Port*'
            Remarks = 'Lists the matching rows with their values, descriptions and Deployable flags.'
        }
        @{
            Title   = 'Move settings from one site to another'
            Code    = @'
Get-IrisDefaultSetting -Container old-iris -Namespace APP | Set-IrisDefaultSetting -ExportPath ./site.xml
Get-IrisDefaultSetting -Path ./site.xml | Set-IrisDefaultSetting -Container new-iris -Namespace APP -WhatIf
'@
            Remarks = 'Exports the settings of one instance to XML, then previews applying the file to another instance.'
        }
        @{
            Title   = 'Read every settings file of a folder, including $system.OBJ.Export files'
            Code    = 'Get-IrisDefaultSetting -Path ./settings/*.xml, ./exports/Settings.esd.xml -SettingName *Port*'
            Remarks = 'Reads each file; a file that cannot be read is reported and the others are still read.'
        }
    )
    Inputs      = @(
        @{ Type = 'IrisOps.Core.Ecp.IrisEcpCluster'; Description = 'Clusters or nodes through the pipeline (-InputObject).' }
    )
    Outputs     = @(
        @{ Type = 'IrisOps.Core.Settings.IrisDefaultSetting'; Description = 'One per matching row, with Target set to the container or file.' }
    )
    Notes       = 'Reading a container runs one read-only "iris session" in it; nothing is changed. Enabled and PoolSize of a business host (and ActorPoolSize and TestingEnabled of a production) are system overrides in IRIS 2023.3 and later: as default settings they win over the production (Configuring Productions, "Settings That Can Act As System Overrides").'
    Links       = @('Set-IrisDefaultSetting', 'Remove-IrisDefaultSetting', 'about_IrisOps')
}
