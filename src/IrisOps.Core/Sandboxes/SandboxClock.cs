using System;

namespace IrisOps.Core.Sandboxes
{
    /// <summary>
    /// The time every expiry decision is made against (creation, Get -Expired, -Extend, relaunch, the reaper), so
    /// tests and scheduled runs can fix "now" instead of waiting for it.
    /// </summary>
    public interface ISandboxClock
    {
        DateTime UtcNow { get; }
    }

    /// <summary>The machine's clock.</summary>
    public sealed class SystemSandboxClock : ISandboxClock
    {
        public static readonly SystemSandboxClock Instance = new SystemSandboxClock();

        public DateTime UtcNow => DateTime.UtcNow;
    }

    /// <summary>A clock that always says the same instant (tests; a reaper run that must judge every sandbox against one moment).</summary>
    public sealed class FixedSandboxClock : ISandboxClock
    {
        public FixedSandboxClock(DateTime utcNow)
        {
            UtcNow = DateTime.SpecifyKind(utcNow.Kind == DateTimeKind.Local ? utcNow.ToUniversalTime() : utcNow, DateTimeKind.Utc);
        }

        public DateTime UtcNow { get; set; }
    }
}
