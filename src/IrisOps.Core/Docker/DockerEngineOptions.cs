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

        /// <summary>
        /// Receives one line per engine call and its outcome (for -Debug). The lines name the call and the object
        /// (container, volume, network, image, the program an exec runs) and never carry arguments, environment,
        /// file contents or standard input, so no secret reaches them.
        /// </summary>
        public Action<string>? Trace { get; set; }
    }
}
