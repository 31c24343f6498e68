# How to start another PowerShell of the same kind as this one: under `dotnet pwsh` the process is dotnet
# running pwsh.dll, elsewhere it is pwsh itself. Dot-sourced by build.ps1 and the Pester tests.
function Get-PwshCommandLine {
    $exe = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') {
        return @($exe, (Join-Path $PSHOME 'pwsh.dll'))
    }
    return @($exe)
}

# Runs a child pwsh with -NoProfile -NonInteractive and the given arguments; returns its exit code.
function Invoke-ChildPwsh {
    param([Parameter(Mandatory)][string[]] $ArgumentList)
    $commandLine = Get-PwshCommandLine
    $exe = $commandLine[0]
    $prefix = @($commandLine | Select-Object -Skip 1)
    # The child's output goes to the host: left in the pipeline it would become part of the return value.
    & $exe @prefix -NoProfile -NonInteractive @ArgumentList | Out-Host
    return $LASTEXITCODE
}
