# New-IrisEcpCluster -OutputPath -Format Kubernetes as users run it: the files written for the InterSystems
# Kubernetes Operator, owner-only Secrets, -WhatIf, the overwrite rule, the compatibilityVersion refusal and the
# warnings about settings the operator generates itself. No Docker engine is needed: nothing is deployed.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'ClusterHelpers.ps1')
    Import-Module $ModuleManifest -Force
    $script:Root = New-TestFolder
    $script:License = New-TextFile 'iris.key' "[ConfigFile]`nFileType=License 2.0`n"
    $script:Image = 'containers.intersystems.com/intersystems/iris:2025.3'
}

AfterAll {
    Remove-Item -LiteralPath $Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-IrisEcpCluster -Format Kubernetes' {
    It 'writes the IrisCluster, its ConfigMap, the Secrets and kustomization.yaml, and warns about what the operator generates' {
        $out = Join-Path $Root 'k1'
        $project = New-IrisEcpCluster -Name k1 -Image $Image -LicenseKeyPath $License -ApplicationServerCount 3 -OutputPath $out -Format Kubernetes -StorageClass fast-ssd -DataStorageSize 20Gi -WarningVariable warnings -WarningAction SilentlyContinue
        $project.GetType().Name | Should -Be 'IrisKubernetesProject'
        $project.CompatibilityVersion | Should -Be '2025.3.0'
        $project.ApplyCommand | Should -Be "kubectl apply -k $out"
        @(Get-ChildItem -LiteralPath $out -File | ForEach-Object Name | Sort-Object) | Should -Be @('configmap.yaml', 'ecp-tls-secret.yaml', 'iriscluster.yaml', 'kustomization.yaml', 'license-secret.yaml', 'superserver-tls-secret.yaml')
        $cluster = Get-Content -Raw -LiteralPath (Join-Path $out 'iriscluster.yaml')
        $cluster | Should -Match 'apiVersion: intersystems.com/v1alpha1'
        $cluster | Should -Match 'replicas: 3'
        $cluster | Should -Match 'compatibilityVersion: "2025.3.0"'
        $cluster | Should -Match 'storageClassName: fast-ssd'
        @($warnings | Where-Object { "$_" -like 'data.cpf leaves out*' }).Count | Should -Be 1
        @($warnings | Where-Object { "$_" -like 'compute.cpf leaves out*CreateECPServer*' }).Count | Should -Be 1
        if (-not $IsWindows) {
            foreach ($secret in Get-ChildItem -LiteralPath $out -Filter '*-secret.yaml') {
                (& stat -c '%a' $secret.FullName) | Should -Be '600'
            }
        }
        # The generated certificate set stays beside the files; no other file holds the license.
        foreach ($file in Get-ChildItem -LiteralPath $out -File | Where-Object Name -NotLike '*-secret.yaml') {
            Get-Content -Raw -LiteralPath $file.FullName | Should -Not -Match 'FileType=License'
        }
    }

    It '-WhatIf lists the files and writes nothing (child pwsh)' {
        $out = Join-Path $Root 'k2'
        $child = Invoke-ChildScript "Import-Module '$ModuleManifest'; New-IrisEcpCluster -Name k2 -Image '$Image' -LicenseKeyPath '$License' -OutputPath '$out' -Format Kubernetes -WhatIf"
        $child.ExitCode | Should -Be 0 -Because $child.Error
        $child.Output | Should -Match 'What if: .*kustomization.yaml'
        $child.Output | Should -Match 'license-secret.yaml'
        $child.Output | Should -Match 'compatibilityVersion 2025.3.0'
        $out | Should -Not -Exist
    }

    It 'refuses to write again without -Force, and rewrites the same bytes with it' {
        $out = Join-Path $Root 'k3'
        $arguments = @{ Name = 'k3'; Image = $Image; LicenseKeyPath = $License; OutputPath = $out; Format = 'Kubernetes'; WarningAction = 'SilentlyContinue' }
        New-IrisEcpCluster @arguments | Out-Null
        $before = Get-Content -Raw -LiteralPath (Join-Path $out 'iriscluster.yaml')
        { New-IrisEcpCluster @arguments -ErrorAction Stop } | Should -Throw -ErrorId 'FileExists,IrisOps.Cmdlets.NewIrisEcpClusterCommand'
        New-IrisEcpCluster @arguments -Force | Out-Null
        Get-Content -Raw -LiteralPath (Join-Path $out 'iriscluster.yaml') | Should -BeExactly $before
    }

    It 'refuses an image tag without a release unless -CompatibilityVersion is given' {
        $out = Join-Path $Root 'k4'
        { New-IrisEcpCluster -Name k4 -Image 'iris-app:latest' -LicenseKeyPath $License -OutputPath $out -Format Kubernetes -ErrorAction Stop } | Should -Throw -ErrorId 'CompatibilityVersionUnknown*'
        Test-Path -LiteralPath $out | Should -BeFalse
        $project = New-IrisEcpCluster -Name k4 -Image 'iris-app:latest' -LicenseKeyPath $License -OutputPath $out -Format Kubernetes -CompatibilityVersion 2025.1.0 -WarningAction SilentlyContinue
        $project.CompatibilityVersion | Should -Be '2025.1.0'
    }

    It 'refuses Kubernetes parameters without -Format Kubernetes, and -Format without -OutputPath' {
        { New-IrisEcpCluster -Name k5 -Image $Image -LicenseKeyPath $License -OutputPath (Join-Path $Root 'k5') -StorageClass fast -ErrorAction Stop } | Should -Throw -ErrorId 'FormatNeedsOutputPath*'
        { New-IrisEcpCluster -Name k5 -Image $Image -LicenseKeyPath $License -Format Kubernetes -ErrorAction Stop } | Should -Throw -ErrorId 'FormatNeedsOutputPath*'
        Join-Path $Root 'k5' | Should -Not -Exist
    }
}
