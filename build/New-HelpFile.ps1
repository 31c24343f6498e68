<#
.SYNOPSIS
    Writes the module's MAML help (IrisOps.dll-Help.xml) from module/help/<cmdlet>.psd1.
.DESCRIPTION
    platyPS is not available, so help is written as small data files (synopsis, description, one text per
    parameter, examples, outputs, notes) and the parameter facts (type, position, mandatory, pipeline
    input, aliases, parameter sets) are read from the built cmdlets themselves, so they cannot drift.
    Fails when a cmdlet has no help file, a parameter has no description, or a cmdlet has fewer than two
    examples. Runs in its own process because it imports the freshly built module.
#>
param(
    [Parameter(Mandatory)][string] $ModulePath,
    [Parameter(Mandatory)][string] $HelpSource,
    [Parameter(Mandatory)][string] $OutputFile   # several paths, separated by [IO.Path]::PathSeparator
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

$module = Import-Module $ModulePath -PassThru -Force
$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$problems = [System.Collections.Generic.List[string]]::new()

function X([string] $text) { [System.Security.SecurityElement]::Escape($text) }

function Paragraphs([string] $text) {
    if ([string]::IsNullOrWhiteSpace($text)) { return '<maml:para />' }
    (($text.Trim() -split "(\r?\n){2,}") | Where-Object { $_.Trim() } | ForEach-Object { "<maml:para>$(X ($_.Trim() -replace '\s*\r?\n\s*', ' '))</maml:para>" }) -join ''
}

function TypeName([type] $type) {
    if ($type -eq [System.Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    return $type.Name
}

function PipelineText($parameter) {
    $kinds = @()
    if ($parameter.ValueFromPipeline) { $kinds += 'ByValue' }
    if ($parameter.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($kinds) { return "True ($($kinds -join ', '))" }
    return 'False'
}

# The default a parameter shows in help: the "Default: ..." sentence of its description (defaults computed at run
# time are only described there), else the value the cmdlet's property holds before binding, when that is a
# simple value that is not empty, zero or false.
function DefaultText($name, $metadata, [string] $description, $cmdletInstance) {
    if ($description -match '(?:^|\.\s+)Default:?\s+(.+?)(?:\.\s|\.$|$)') { return $Matches[1].Trim() }
    if ($metadata.ParameterType -eq [System.Management.Automation.SwitchParameter]) { return 'False' }
    $property = $cmdletInstance.GetType().GetProperty($name)
    if (-not $property) { return 'None' }
    $value = $property.GetValue($cmdletInstance)
    if ($null -eq $value) { return 'None' }
    if (-not ($value -is [string] -or $value -is [enum] -or $value -is [TimeSpan] -or $value.GetType().IsPrimitive)) { return 'None' }
    if ($value -is [string] -and $value.Length -eq 0) { return 'None' }
    if ($value -is [bool] -and -not $value) { return 'None' }
    if ($value -is [ValueType] -and $value -eq [Activator]::CreateInstance($value.GetType())) { return 'None' }
    return [string] $value
}

function ParameterXml($name, $metadata, $setParameter, [string] $description, [string] $defaultValue) {
    $isSwitch = $metadata.ParameterType -eq [System.Management.Automation.SwitchParameter]
    $required = if ($setParameter) { $setParameter.IsMandatory.ToString().ToLowerInvariant() } else { 'false' }
    $position = if ($setParameter -and $setParameter.Position -ge 0) { $setParameter.Position } else { 'named' }
    $pipeline = if ($setParameter) { PipelineText $setParameter } else { 'False' }
    $aliases = if ($metadata.Aliases.Count) { $metadata.Aliases -join ', ' } else { 'none' }
    $typeName = TypeName $metadata.ParameterType
    $value = if ($isSwitch) { '' } else { "<command:parameterValue required=""true"" variableLength=""false"">$(X $typeName)</command:parameterValue>" }
    $globbing = [bool] ($metadata.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    "<command:parameter required=""$required"" variableLength=""true"" globbing=""$($globbing.ToString().ToLowerInvariant())"" pipelineInput=""$pipeline"" position=""$position"" aliases=""$(X $aliases)"">" +
    "<maml:name>$(X $name)</maml:name><maml:description>$(Paragraphs $description)</maml:description>$value" +
    "<dev:type><maml:name>$(X $metadata.ParameterType.FullName)</maml:name><maml:uri /></dev:type><dev:defaultValue>$(X $defaultValue)</dev:defaultValue></command:parameter>"
}

$commands = foreach ($cmdletName in ($module.ExportedCmdlets.Keys | Sort-Object)) {
    $command = Get-Command -Name $cmdletName -Module $module.Name
    $sourceFile = Join-Path $HelpSource "$cmdletName.psd1"
    if (-not (Test-Path $sourceFile)) { $problems.Add("$cmdletName has no help file $sourceFile"); continue }
    $help = Import-PowerShellDataFile $sourceFile
    $instance = [Activator]::CreateInstance($command.ImplementingType)
    $parameters = $command.Parameters.Values | Where-Object { $_.Name -notin $common -and $_.Name -notin 'WhatIf', 'Confirm' }
    foreach ($p in $parameters) {
        if (-not $help.Parameters.ContainsKey($p.Name)) { $problems.Add("${cmdletName}: parameter -$($p.Name) has no description") }
    }
    foreach ($documented in $help.Parameters.Keys) {
        if ($documented -notin $parameters.Name) { $problems.Add("${cmdletName}: help describes -$documented, which the cmdlet does not have") }
    }
    if (@($help.Examples).Count -lt 2) { $problems.Add("${cmdletName}: needs at least two examples") }

    $syntax = foreach ($set in $command.ParameterSets) {
        $items = foreach ($sp in ($set.Parameters | Where-Object { $_.Name -notin [System.Management.Automation.Cmdlet]::CommonParameters } | Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { 1000 } } }, Name)) {
            if ($sp.Name -in 'WhatIf', 'Confirm') {
                "<command:parameter required=""false"" variableLength=""true"" globbing=""false"" pipelineInput=""False"" position=""named"" aliases=""$(if ($sp.Name -eq 'WhatIf') { 'wi' } else { 'cf' })""><maml:name>$($sp.Name)</maml:name><maml:description><maml:para /></maml:description><dev:type><maml:name>System.Management.Automation.SwitchParameter</maml:name><maml:uri /></dev:type><dev:defaultValue>False</dev:defaultValue></command:parameter>"
                continue
            }
            ParameterXml $sp.Name $command.Parameters[$sp.Name] $sp $help.Parameters[$sp.Name] (DefaultText $sp.Name $command.Parameters[$sp.Name] $help.Parameters[$sp.Name] $instance)
        }
        "<command:syntaxItem><maml:name>$cmdletName</maml:name>$($items -join '')</command:syntaxItem>"
    }
    $parameterDetails = foreach ($p in ($parameters | Sort-Object Name)) {
        $firstSet = $command.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -eq $p.Name } | Select-Object -First 1
        ParameterXml $p.Name $p $firstSet $help.Parameters[$p.Name] (DefaultText $p.Name $p $help.Parameters[$p.Name] $instance)
    }
    $shouldProcess = foreach ($name in 'WhatIf', 'Confirm') {
        if ($command.Parameters.ContainsKey($name)) {
            $text = if ($name -eq 'WhatIf') { 'Shows what would happen if the cmdlet runs. The cmdlet is not run and nothing is changed.' } else { 'Prompts you for confirmation before running the cmdlet.' }
            "<command:parameter required=""false"" variableLength=""true"" globbing=""false"" pipelineInput=""False"" position=""named"" aliases=""$(if ($name -eq 'WhatIf') { 'wi' } else { 'cf' })""><maml:name>$name</maml:name><maml:description><maml:para>$text</maml:para></maml:description><dev:type><maml:name>System.Management.Automation.SwitchParameter</maml:name><maml:uri /></dev:type><dev:defaultValue>False</dev:defaultValue></command:parameter>"
        }
    }
    $examples = $i = 0
    $examples = foreach ($example in @($help.Examples)) {
        $i++
        "<command:example><maml:title>-------------------------- Example ${i}: $(X $example.Title) --------------------------</maml:title><dev:code>$(X $example.Code.Trim())</dev:code><dev:remarks>$(Paragraphs $example.Remarks)</dev:remarks></command:example>"
    }
    $inputs = foreach ($entry in @($help.Inputs)) {
        "<command:inputType><dev:type><maml:name>$(X $entry.Type)</maml:name></dev:type><maml:description>$(Paragraphs $entry.Description)</maml:description></command:inputType>"
    }
    $outputs = foreach ($entry in @($help.Outputs)) {
        "<command:returnValue><dev:type><maml:name>$(X $entry.Type)</maml:name></dev:type><maml:description>$(Paragraphs $entry.Description)</maml:description></command:returnValue>"
    }
    $links = foreach ($link in @($help.Links)) { "<maml:navigationLink><maml:linkText>$(X $link)</maml:linkText><maml:uri /></maml:navigationLink>" }

    '<command:command xmlns:maml="http://schemas.microsoft.com/maml/2004/10" xmlns:command="http://schemas.microsoft.com/maml/dev/command/2004/10" xmlns:dev="http://schemas.microsoft.com/maml/dev/2004/10" xmlns:MSHelp="http://msdn.microsoft.com/mshelp">' +
    "<command:details><command:name>$cmdletName</command:name><command:verb>$($command.Verb)</command:verb><command:noun>$($command.Noun)</command:noun><maml:description>$(Paragraphs $help.Synopsis)</maml:description></command:details>" +
    "<maml:description>$(Paragraphs $help.Description)</maml:description>" +
    "<command:syntax>$($syntax -join '')</command:syntax>" +
    "<command:parameters>$(($parameterDetails + $shouldProcess) -join '')</command:parameters>" +
    "<command:inputTypes>$($inputs -join '')</command:inputTypes>" +
    "<command:returnValues>$($outputs -join '')</command:returnValues>" +
    "<maml:alertSet><maml:alert>$(Paragraphs $help.Notes)</maml:alert></maml:alertSet>" +
    "<command:examples>$($examples -join '')</command:examples>" +
    "<command:relatedLinks>$($links -join '')</command:relatedLinks>" +
    '</command:command>'
}

if ($problems.Count) {
    throw "Help is incomplete:`n  " + ($problems -join "`n  ")
}

$xml = '<?xml version="1.0" encoding="utf-8"?>' + "`n" + '<helpItems schema="maml" xmlns="http://msh">' + ($commands -join "`n") + "`n</helpItems>`n"
[xml] $xml | Out-Null   # refuse to write a file that is not well-formed
foreach ($file in $OutputFile.Split([IO.Path]::PathSeparator)) {
    New-Item -ItemType Directory -Force -Path (Split-Path $file) | Out-Null
    [IO.File]::WriteAllText($file, $xml, [Text.UTF8Encoding]::new($false))
}
