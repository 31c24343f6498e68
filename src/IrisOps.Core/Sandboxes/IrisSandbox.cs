using System;
using System.Collections.Generic;

namespace IrisOps.Core.Sandboxes
{
    /// <summary>One sandbox as the engine reports it: its container, its labels and its latest expiry.</summary>
    public sealed class IrisSandbox
    {
        public string Owner { get; internal set; } = string.Empty;

        /// <summary>The container name (sandbox-&lt;owner&gt;-&lt;n&gt;).</summary>
        public string Name { get; internal set; } = string.Empty;

        public string Image { get; internal set; } = string.Empty;

        /// <summary>Fresh or Preserved.</summary>
        public SandboxState State { get; internal set; }

        /// <summary>The template's name; empty when none was used.</summary>
        public string Template { get; internal set; } = string.Empty;

        public DateTime Created { get; internal set; }

        /// <summary>UTC.</summary>
        public DateTime Expires { get; internal set; }

        /// <summary>The latest expiry Set-IrisSandbox -Extend may reach.</summary>
        public DateTime ExpiryLimit { get; internal set; }

        /// <summary>Expired at the time it was read (by the clock the reading used).</summary>
        public bool Expired { get; internal set; }

        public TimeSpan Lifetime { get; internal set; }

        public bool AllowRelaunch { get; internal set; }

        public SandboxExpiryAction OnExpiry { get; internal set; }

        /// <summary>running, exited, created...</summary>
        public string Status { get; internal set; } = string.Empty;

        /// <summary>healthy, unhealthy, starting, none; for a container that is not running, its status.</summary>
        public string Health { get; internal set; } = string.Empty;

        /// <summary>Published ports as host address:port->container port.</summary>
        public IReadOnlyList<string> Ports { get; internal set; } = Array.Empty<string>();

        /// <summary>The host port of the superserver (1972), when published and running.</summary>
        public int? SuperserverPort { get; internal set; }

        /// <summary>The host port of the web server (52773), when published and running.</summary>
        public int? WebPort { get; internal set; }

        public string Network { get; internal set; } = string.Empty;

        /// <summary>The volume holding durable %SYS (Preserved), else null.</summary>
        public string? DataVolume { get; internal set; }

        public string ContainerId { get; internal set; } = string.Empty;

        /// <summary>The container's labels other than the sandbox labels: those given with New-IrisSandbox -Label, and the image's own.</summary>
        public IReadOnlyDictionary<string, string> Labels { get; internal set; } = new Dictionary<string, string>();

        public override string ToString() => Name;
    }
}
