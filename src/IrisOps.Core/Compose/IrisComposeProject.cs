using System;
using System.Collections.Generic;

namespace IrisOps.Core.Compose
{
    /// <summary>What New-IrisEcpCluster -OutputPath wrote.</summary>
    public sealed class IrisComposeProject
    {
        public string Name { get; internal set; } = string.Empty;

        public string Path { get; internal set; } = string.Empty;

        public string ComposeFile { get; internal set; } = string.Empty;

        public IReadOnlyList<string> Services { get; internal set; } = Array.Empty<string>();

        public string StartCommand { get; internal set; } = string.Empty;

        public override string ToString() => ComposeFile;
    }
}
