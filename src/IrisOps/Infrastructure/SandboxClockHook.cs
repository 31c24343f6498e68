using System;
using System.Globalization;
using IrisOps.Core.Sandboxes;

namespace IrisOps.Infrastructure
{
    /// <summary>The clock the sandbox cmdlets judge expiry by: the machine's, unless a test fixes the instant.</summary>
    internal static class SandboxClockHook
    {
        /// <summary>Only the tests set it: an ISO-8601 UTC instant every expiry decision is made against instead of the machine's clock.</summary>
        internal const string TestClockVariable = "IRISOPS_TEST_CLOCK_UTC";

        public static ISandboxClock Clock
        {
            get
            {
                string? text = Environment.GetEnvironmentVariable(TestClockVariable);
                return !string.IsNullOrEmpty(text) && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime fixedTime)
                    ? new FixedSandboxClock(fixedTime)
                    : (ISandboxClock)SystemSandboxClock.Instance;
            }
        }
    }
}
