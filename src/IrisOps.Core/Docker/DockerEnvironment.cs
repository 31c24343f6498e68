using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace IrisOps.Core.Docker
{
    /// <summary>
    /// What endpoint resolution reads from the outside world: the Docker environment variables, the home
    /// folder (for ~/.docker) and the platform. Captured once so the resolution itself is a pure function that
    /// tests feed with a temporary home folder.
    /// </summary>
    public sealed class DockerEnvironment
    {
        /// <summary>The variables the docker CLI reads for its endpoint.</summary>
        public static readonly IReadOnlyList<string> VariableNames = new[]
        {
            "DOCKER_HOST", "DOCKER_CONTEXT", "DOCKER_CONFIG", "DOCKER_CERT_PATH", "DOCKER_TLS_VERIFY", "DOCKER_TLS",
        };

        public DockerEnvironment(IDictionary<string, string?> variables, string homeDirectory, bool isWindows)
        {
            var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, string?> pair in variables ?? throw new ArgumentNullException(nameof(variables)))
            {
                copy[pair.Key] = pair.Value;
            }

            Variables = copy;
            HomeDirectory = homeDirectory ?? throw new ArgumentNullException(nameof(homeDirectory));
            IsWindows = isWindows;
        }

        public IReadOnlyDictionary<string, string?> Variables { get; }

        public string HomeDirectory { get; }

        public bool IsWindows { get; }

        /// <summary>The docker configuration folder: DOCKER_CONFIG, else ~/.docker.</summary>
        public string ConfigDirectory => Get("DOCKER_CONFIG") ?? Path.Combine(HomeDirectory, ".docker");

        /// <summary>The value of a variable, or null when it is unset or empty (the CLI treats both alike).</summary>
        public string? Get(string name) =>
            Variables.TryGetValue(name, out string? value) && !string.IsNullOrEmpty(value) ? value : null;

        /// <summary>The current process's environment.</summary>
        public static DockerEnvironment FromProcess()
        {
            var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (string name in VariableNames)
            {
                variables[name] = Environment.GetEnvironmentVariable(name);
            }

            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetEnvironmentVariable("HOME") ?? ".";
            }

            return new DockerEnvironment(variables, home, RuntimeInformation.IsOSPlatform(OSPlatform.Windows));
        }
    }
}
