using System;

namespace IrisOps.Core.Iris
{
    /// <summary>The defaults users get when they leave a value out, each defined once with the reason for it.</summary>
    public static class IrisDefaults
    {
        /// <summary>
        /// ShutdownTimeout in [Startup]: how long IRIS itself waits for a normal shutdown before forcing one; 300 s
        /// by default (Configuration Parameter File Reference, ShutdownTimeout).
        /// </summary>
        public const int IrisShutdownTimeoutSeconds = 300;

        /// <summary>
        /// How long docker stop waits before it kills the container: IRIS's ShutdownTimeout plus 30 s, so IRIS
        /// finishes its own clean shutdown (Docker's default of 10 s would kill it half-way).
        /// </summary>
        public const int StopTimeoutSeconds = IrisShutdownTimeoutSeconds + 30;

        /// <summary>How long a started container may take to become healthy (IrisOps's choice, not a product default): a first start with durable %SYS copies the instance and applies the merge file before IRIS is up.</summary>
        public const int HealthTimeoutSeconds = 300;

        /// <summary>Application servers of a new ECP cluster when none are asked for (IrisOps's choice): two, so more than one ECP client shares the data server from the start.</summary>
        public const int ApplicationServerCount = 2;

        /// <summary>How long a sandbox lives when neither -Lifetime nor a template says (IrisOps's choice): a working day.</summary>
        public static readonly TimeSpan SandboxLifetime = TimeSpan.FromHours(8);

        /// <summary>How far -Extend may push a sandbox's expiry from its creation when no template says (IrisOps's choice): a week.</summary>
        public static readonly TimeSpan SandboxMaxLifetime = TimeSpan.FromDays(7);

        /// <summary>How many sandboxes New-IrisSandbox creates at once (IrisOps's choice): enough to overlap the engine's work, few enough for a small host.</summary>
        public const int SandboxThrottleLimit = 4;

        /// <summary>How long one `iris session` of the ECP round trip may take: an ECP reference to an unreachable data server can block.</summary>
        public const int EndToEndSessionTimeoutSeconds = 60;

        /// <summary>How long one `iris session` that lists or changes default settings may take.</summary>
        public static readonly TimeSpan SettingsSessionTimeout = TimeSpan.FromMinutes(10);

        /// <summary>
        /// How long the session asking a running instance which databases are read-only may take: it delays the stop,
        /// and without an answer only closed journal files are copied ahead.
        /// </summary>
        public static readonly TimeSpan ReadOnlyQuestionTimeout = TimeSpan.FromSeconds(60);

        /// <summary>How long Swarm may take beyond the stop timeout to report a task stopped after its service was scaled to 0.</summary>
        public static readonly TimeSpan SwarmStopAllowance = TimeSpan.FromSeconds(30);

        /// <summary>How long the post-upgrade script may run beyond the health timeout.</summary>
        public static readonly TimeSpan PostUpgradeScriptAllowance = TimeSpan.FromMinutes(5);

        /// <summary>How long a cleanup call (removing a helper container, a rollback step) may take once the work itself was cancelled or failed.</summary>
        public static readonly TimeSpan CleanupTimeout = TimeSpan.FromMinutes(2);

        /// <summary>How long a one-off helper container (the chown of durable storage, a size measurement) may run.</summary>
        public static readonly TimeSpan HelperTimeout = TimeSpan.FromMinutes(2);

        /// <summary>How long a quick command in a node (cat of a file, a status check) may take.</summary>
        public static readonly TimeSpan QuickCommandTimeout = TimeSpan.FromSeconds(30);
    }
}
