# The module's views (IrisOps.Format.ps1xml) as a user at an 80- or 120-column console sees them.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Root = New-TestFolder
    $script:FormatFile = Join-Path (Split-Path $ModuleManifest) 'IrisOps.Format.ps1xml'

    # Header line of a table as Out-String renders it at the given width.
    function Get-TableHeader([object[]] $InputObject, [int] $Width) {
        $lines = ($InputObject | Out-String -Width $Width) -split "`r?`n" | Where-Object { $_.Trim() }
        return $lines[0]
    }
}

AfterAll {
    Remove-Item -LiteralPath $Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Default-setting views' {
    BeforeAll {
        $script:ExportFile = Join-Path $Root 'settings.xml'
        $script:Results = Set-IrisDefaultSetting -ExportPath $ExportFile -ProductionName APP.Production -ItemName 'HL7 File Service' `
            -HostClassName EnsLib.HL7.Service.FileService -SettingName FilePath -SettingValue /data/hl7/in/
        $script:Stored = Get-IrisDefaultSetting -Path $ExportFile
    }

    It 'shows what happened (Action) and the old value (Previous) at 80 columns' {
        $header = Get-TableHeader $Results 80
        $header | Should -Match '^Action\s'
        $header | Should -Match '\bPrevious\b'
        $header | Should -Match '\bSetting\b'
    }

    It 'shows every column at 120 columns' {
        $header = Get-TableHeader $Results 120
        foreach ($column in 'Action', 'Item', 'Setting', 'Value', 'Previous', 'Production', 'HostClass', 'Target') {
            $header | Should -Match "\b$column\b"
        }
    }

    It 'shows read settings without the empty Action and Previous columns' {
        $Stored.PSObject.TypeNames[0] | Should -Be 'IrisOps.Core.Settings.IrisDefaultSetting#Stored'
        $header = Get-TableHeader $Stored 80
        $header | Should -Not -Match '\bAction\b'
        $header | Should -Not -Match '\bPrevious\b'
        foreach ($column in 'Production', 'Item', 'Setting', 'Value') { $header | Should -Match "\b$column\b" }
    }

    It 'keeps read settings usable as input of Set-IrisDefaultSetting' {
        $again = $Stored | Set-IrisDefaultSetting -ExportPath (Join-Path $Root 'again.xml')
        $again.SettingValue | Should -Be '/data/hl7/in/'
    }
}

Describe 'List views' {
    It 'labels a list item with a property name only when the object has that property' {
        [xml] $format = Get-Content -Raw -LiteralPath $FormatFile
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'IrisOps.Core' } | Select-Object -First 1
        $core | Should -Not -BeNullOrEmpty
        foreach ($view in $format.Configuration.ViewDefinitions.View | Where-Object { $_.ListControl }) {
            $type = $core.GetType($view.ViewSelectedBy.TypeName, $true)
            foreach ($item in $view.ListControl.ListEntries.ListEntry.ListItems.ListItem) {
                $label = if ($item.Label) { $item.Label } else { $item.PropertyName }
                if ($label -match '^[A-Za-z]+$') {
                    $type.GetProperty($label) | Should -Not -BeNullOrEmpty -Because "the list view of $($type.Name) labels an item '$label', which reads as a property"
                }
            }
        }
    }

    It 'shows dates in one format (yyyy-MM-dd) in the certificate-set view' {
        $set = New-IrisCertificateSet -Path (Join-Path $Root 'certs') -DataServer data -ApplicationServer app-1
        $text = $set | Out-String -Width 120
        $text | Should -Match 'Authority expires\s*:\s*\d{4}-\d{2}-\d{2}\s'
        $text | Should -Match 'First expiry\s*:\s*\d{4}-\d{2}-\d{2}\s'
    }
}
