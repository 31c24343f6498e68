# examples/Dockerfile.small is not built here (no InterSystems image can be pulled): these tests check that it
# parses as a Dockerfile and keeps the shape that keeps the image small.
Describe 'examples/Dockerfile.small' {
    BeforeAll {
        $path = Join-Path $PSScriptRoot '../../examples/Dockerfile.small'
        $known = 'FROM', 'ARG', 'RUN', 'COPY', 'USER', 'ENV', 'LABEL', 'WORKDIR', 'ENTRYPOINT', 'CMD', 'HEALTHCHECK', 'EXPOSE', 'STOPSIGNAL', 'SHELL', 'VOLUME', 'ONBUILD', 'ADD'
        # Logical instructions: comment lines dropped, lines ending in a backslash joined with the next.
        $script:Instructions = [Collections.Generic.List[object]]::new()
        $pending = ''
        $number = 0
        foreach ($line in Get-Content -LiteralPath $path) {
            $number++
            if ($pending -eq '' -and ($line -match '^\s*#' -or $line.Trim() -eq '')) { continue }
            if ($line -match '\\\s*$') { $pending += ($line -replace '\\\s*$', ' '); continue }
            $text = ($pending + $line).Trim()
            $pending = ''
            $keyword = ($text -split '\s+', 2)[0]
            $Instructions.Add([pscustomobject]@{ Keyword = $keyword.ToUpperInvariant(); Arguments = ($text -split '\s+', 2)[1]; Line = $number })
            $keyword.ToUpperInvariant() | Should -BeIn $known -Because "line $number"
        }
        $pending | Should -BeNullOrEmpty -Because 'the last instruction must not end with a line continuation'
    }

    It 'starts every stage from the InterSystems image named by one build argument' {
        $Instructions[0].Keyword | Should -Be 'ARG'
        $Instructions[0].Arguments | Should -Match '^IRIS_IMAGE='
        $froms = @($Instructions | Where-Object Keyword -eq 'FROM')
        $froms.Arguments | Should -Be @('${IRIS_IMAGE} AS build', '${IRIS_IMAGE} AS final')
    }

    It 'downloads, unpacks and cleans up in one RUN of the build stage only' {
        $final = [array]::IndexOf(@($Instructions.Arguments), '${IRIS_IMAGE} AS final')
        $downloads = @($Instructions | Where-Object { $_.Keyword -eq 'RUN' -and $_.Arguments -match '\bcurl\b' })
        $downloads | Should -HaveCount 1
        $downloads[0].Arguments | Should -Match 'tar -xz'
        $downloads[0].Arguments | Should -Match 'rm -rf /var/lib/apt/lists'
        $Instructions.IndexOf($downloads[0]) | Should -BeLessThan $final
        @($Instructions | Select-Object -Skip $final | Where-Object { $_.Arguments -match 'curl|apt-get|/tmp/app/src' }) | Should -BeNullOrEmpty
    }

    It 'copies only the compiled database out of the build stage' {
        $copies = @($Instructions | Where-Object { $_.Keyword -eq 'COPY' -and $_.Arguments -match '--from=' })
        $copies | Should -HaveCount 1
        $copies[0].Arguments | Should -Match '--from=build .*/IRIS\.DAT '
    }
}
