using System;
using System.Collections.Generic;

namespace IrisOps.Core.Kubernetes
{
    /// <summary>What New-IrisEcpCluster -Format Kubernetes wrote.</summary>
    public sealed class IrisKubernetesProject
    {
        public string Name { get; internal set; } = string.Empty;

        public string Path { get; internal set; } = string.Empty;

        /// <summary>The IrisCluster manifest.</summary>
        public string ClusterFile { get; internal set; } = string.Empty;

        /// <summary>Every file written, kustomization.yaml last.</summary>
        public IReadOnlyList<string> Files { get; internal set; } = Array.Empty<string>();

        public string CompatibilityVersion { get; internal set; } = string.Empty;

        public string ApplyCommand { get; internal set; } = string.Empty;

        public override string ToString() => ClusterFile;
    }
}
