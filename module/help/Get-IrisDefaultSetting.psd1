@{
    Synopsis    = 'Gets interoperability production default settings from running IRIS containers or from an exported XML file, filtered by key with wildcards.'
    Description = @'
Get-IrisDefaultSetting lists the rows of Ens_Config.DefaultSettings in a namespace of each container, through one read-only "iris session" per container, or reads an XML file written by Set-IrisDefaultSetting -ExportPath or by ##class(Ens.Config.DefaultSettings).%Export, so settings can move from one site to another.

-ProductionName, -ItemName, -HostClassName and -SettingName filter the rows with PowerShell wildcards, case-insensitively. A * stored in a key (meaning "any") is matched by the wildcard * like any other value; to match only rows stored with *, escape it: -ItemName '`*'.

The output objects bind by property name to Set-IrisDefaultSetting and Remove-IrisDefaultSetting. Target is the container or the file the row came from. An XML file with an unknown attribute or element, a DTD, or characters XML does not allow is refused with the line.
'@
    Parameters  = @{
        Container      = 'The names of the running IRIS containers to read.'
        InputObject    = 'Cluster objects (their data server is read, in the cluster''s namespace) or node objects, also from the pipeline.'
        Path           = 'An XML file of default settings (wildcards allowed) to read instead of a container.'
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
    )
    Inputs      = @(
        @{ Type = 'IrisOps.Core.Ecp.IrisEcpCluster'; Description = 'Clusters or nodes through the pipeline (-InputObject).' }
    )
    Outputs     = @(
        @{ Type = 'IrisOps.Core.Settings.IrisDefaultSetting'; Description = 'One per matching row, with Target set to the container or file.' }
    )
    Notes       = 'Reading a container runs one read-only "iris session" in it; nothing is changed.'
    Links       = @('Set-IrisDefaultSetting', 'Remove-IrisDefaultSetting', 'about_IrisOps')
}
