using System;

namespace IrisOps.Core.Docker
{
    /// <summary>Tuning for <see cref="DockerEngine"/>.</summary>
    public sealed class DockerEngineOptions
    {
        /// <summary>The longest an ordinary request may take (long operations such as stop add their own time).</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

        /// <summary>How long a ping waits before the engine counts as unreachable.</summary>
        public TimeSpan PingTimeout { get; set; } = TimeSpan.FromSeconds(15);
    }
}
