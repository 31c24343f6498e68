using System;
using System.Collections.Generic;

namespace IrisOps.Core.Sandboxes
{
    /// <summary>What New-IrisSandbox was asked for, before the template and the defaults are applied (null: not given).</summary>
    public sealed class SandboxRequest
    {
        public string Owner { get; set; } = string.Empty;

        public SandboxTemplate? Template { get; set; }

        public string? Image { get; set; }

        public TimeSpan? Lifetime { get; set; }

        public SandboxState? State { get; set; }

        public long? MemoryBytes { get; set; }

        public double? Cpu { get; set; }

        /// <summary>A merge file on the host (full path), applied at every start (ISC_CPF_MERGE_FILE).</summary>
        public string? MergeFile { get; set; }

        /// <summary>The IRIS license key on the host (full path).</summary>
        public string? LicenseKeyPath { get; set; }

        /// <summary>The host address the ports are published on; null for 127.0.0.1.</summary>
        public string? PublishAddress { get; set; }

        /// <summary>Fixed host ports: the superserver's, then (optionally) the web port's; null lets the engine choose free ones.</summary>
        public IReadOnlyList<int>? PublishPort { get; set; }

        /// <summary>How many sandboxes this request creates for the owner.</summary>
        public int Count { get; set; } = 1;

        public int? MaxPerOwner { get; set; }

        /// <summary>More labels for every Docker object of the sandbox (a cost centre, a course); never irisops.sandbox.*.</summary>
        public IDictionary<string, string> Labels { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>A request with the template and the defaults applied: every value decided.</summary>
    public sealed class SandboxSpec
    {
        public string Owner { get; internal set; } = string.Empty;

        public string Image { get; internal set; } = string.Empty;

        /// <summary>The template's name, or empty when none was used.</summary>
        public string TemplateName { get; internal set; } = string.Empty;

        public TimeSpan Lifetime { get; internal set; }

        public TimeSpan MaxLifetime { get; internal set; }

        public bool AllowRelaunch { get; internal set; }

        public SandboxState State { get; internal set; }

        public SandboxExpiryAction OnExpiry { get; internal set; }

        public long? MemoryBytes { get; internal set; }

        public double? Cpu { get; internal set; }

        public string? MergeFile { get; internal set; }

        public string? LicenseKeyPath { get; internal set; }

        public string PublishAddress { get; internal set; } = SandboxSpecResolver.DefaultPublishAddress;

        /// <summary>The host port of the superserver and of the web port; 0 lets the engine choose.</summary>
        public int SuperserverHostPort { get; internal set; }

        public int WebHostPort { get; internal set; }

        public int Count { get; internal set; } = 1;

        public int MaxPerOwner { get; internal set; } = 1;

        public IReadOnlyDictionary<string, string> Labels { get; internal set; } = new Dictionary<string, string>(StringComparer.Ordinal);
    }
}
