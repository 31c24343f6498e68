# The public parameter surface of the module, one line per parameter: type, wildcard support and, per parameter
# set, M (mandatory), Pn (position), V (pipeline by value), N (pipeline by property name).
# ParameterSurface.txt holds the agreed surface; after a deliberate change, write it again with:
#   dotnet pwsh -NoProfile -c ". ./tests/pester/ParameterSurface.ps1; Import-Module ./out/IrisOps/IrisOps.psd1; Get-ParameterSurface | Set-Content ./tests/pester/ParameterSurface.txt"
function Get-ParameterSurface {
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    foreach ($command in Get-Command -Module IrisOps -CommandType Cmdlet | Sort-Object Name) {
        "## $($command.Name)"
        foreach ($parameter in $command.Parameters.Values | Where-Object { $_.Name -notin $common } | Sort-Object Name) {
            $sets = foreach ($set in $parameter.ParameterSets.GetEnumerator() | Sort-Object Key) {
                $flags = @()
                if ($set.Value.IsMandatory) { $flags += 'M' }
                if ($set.Value.Position -ge 0) { $flags += "P$($set.Value.Position)" }
                if ($set.Value.ValueFromPipeline) { $flags += 'V' }
                if ($set.Value.ValueFromPipelineByPropertyName) { $flags += 'N' }
                "$($set.Key)[$($flags -join ',')]"
            }
            $wildcards = if ($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) { ' wildcards' } else { '' }
            "  $($parameter.Name): $($parameter.ParameterType.Name)$wildcards; $($sets -join ' ')"
        }
    }
}
