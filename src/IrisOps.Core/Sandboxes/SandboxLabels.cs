using System;
using System.Globalization;

namespace IrisOps.Core.Sandboxes
{
    /// <summary>
    /// The labels of every Docker object of a sandbox, in the style of <see cref="Ecp.ClusterLabels"/>: a sandbox
    /// is rebuilt from the engine alone, so Get-IrisSandbox and the reaper work from any session. Ownership is the
    /// owner label compared exactly, never a name prefix.
    /// </summary>
    public static class SandboxLabels
    {
        public const string Owner = "irisops.sandbox.owner";

        /// <summary>On networks and volumes: the sandbox (container name) they belong to.</summary>
        public const string Sandbox = "irisops.sandbox.name";

        /// <summary>The expiry as UTC ISO-8601 (<see cref="FormatTime"/>).</summary>
        public const string Expires = "irisops.sandbox.expires";

        /// <summary>The latest expiry -Extend may reach (creation or relaunch plus the template's maximum lifetime).</summary>
        public const string ExpiryLimit = "irisops.sandbox.expiry-limit";

        public const string Created = "irisops.sandbox.created";

        /// <summary>The lifetime a relaunch starts again with.</summary>
        public const string Lifetime = "irisops.sandbox.lifetime";

        public const string Template = "irisops.sandbox.template";

        /// <summary>Fresh or Preserved.</summary>
        public const string State = "irisops.sandbox.state";

        /// <summary>true when an expired sandbox may be started again.</summary>
        public const string Relaunch = "irisops.sandbox.relaunch";

        /// <summary>Stop or Remove: what the reaper does when it has expired.</summary>
        public const string OnExpiry = "irisops.sandbox.on-expiry";

        /// <summary>On volumes: data (durable %SYS), license, or expiry (a later expiry, see <see cref="SandboxExpiry"/>).</summary>
        public const string Volume = "irisops.sandbox.volume";

        public const string DataVolume = "data";
        public const string LicenseVolume = "license";
        public const string ExpiryVolume = "expiry";

        /// <summary>UTC, ISO-8601, to the second: 2026-12-01T18:00:00Z.</summary>
        public static string FormatTime(DateTime utc) =>
            DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        public static bool TryParseTime(string? text, out DateTime utc) =>
            DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc);

        public static string FormatSpan(TimeSpan span) => span.ToString("c", CultureInfo.InvariantCulture);

        public static bool TryParseSpan(string? text, out TimeSpan span) =>
            TimeSpan.TryParseExact(text ?? string.Empty, "c", CultureInfo.InvariantCulture, out span);
    }
}
