using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using IrisOps.Core.Docker;
using Xunit;

namespace IrisOps.Tests.Docker
{
    /// <summary>
    /// Whether a Docker engine answers. Without one the Docker tests are SKIPPED with the reason shown, unless
    /// IRISOPS_REQUIRE_DOCKER=1: then they run and fail.
    /// </summary>
    internal static class DockerAvailability
    {
        private static readonly Lazy<string?> Problem = new Lazy<string?>(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

        public static bool Required => System.Environment.GetEnvironmentVariable("IRISOPS_REQUIRE_DOCKER") == "1";

#if NETFRAMEWORK
        /// <summary>
        /// The net472 build runs under Mono (build.ps1 -Task TestNetFramework), which cannot stand in for .NET
        /// Framework here: it has no unix-socket transport for Docker.DotNet. Skipped, with this reason, even when
        /// IRISOPS_REQUIRE_DOCKER=1; the net10.0 run covers the engine.
        /// </summary>
        public static string? SkipReason => "Not under Mono (net472 test run): Docker over its unix socket needs .NET's unix-domain-socket transport; the net10.0 run covers the engine.";
#else
        public static string? SkipReason => Required || Problem.Value == null ? null : Problem.Value + " Set IRISOPS_REQUIRE_DOCKER=1 to make this a failure.";
#endif

        /// <summary>Why no engine answers, or null when one does.</summary>
        public static string? Unavailable => Problem.Value;

        private static string? Probe()
        {
            try
            {
                using IDockerEngine engine = DockerEngineFactory.Create(null);
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                engine.PingAsync(limit.Token).GetAwaiter().GetResult();
                return null;
            }
            catch (Exception ex)
            {
                return "No Docker engine: " + ex.Message;
            }
        }
    }

    /// <summary>A test that needs a Docker engine (see <see cref="DockerAvailability"/>).</summary>
    public sealed class DockerFactAttribute : FactAttribute
    {
        public DockerFactAttribute()
        {
            string? reason = DockerAvailability.SkipReason;
            if (reason != null)
            {
                Skip = reason;
            }
        }
    }

    /// <summary>A theory that needs a Docker engine (see <see cref="DockerAvailability"/>).</summary>
    public sealed class DockerTheoryAttribute : TheoryAttribute
    {
        public DockerTheoryAttribute()
        {
            string? reason = DockerAvailability.SkipReason;
            if (reason != null)
            {
                Skip = reason;
            }
        }
    }

    /// <summary>
    /// Makes sure the irisops-standin images (a stand-in for the IRIS container contract, NOT IRIS) are built and
    /// current, through the same PowerShell helper the Pester tests and build.ps1 use; it only builds what changed.
    /// </summary>
    public sealed class StandInImages
    {
        public const string V1 = "irisops-standin:v1";
        public const string V2 = "irisops-standin:v2";
        public const string Broken = "irisops-standin:broken";

        public StandInImages()
        {
            if (DockerAvailability.SkipReason != null)
            {
                return;
            }

            if (DockerAvailability.Unavailable != null)
            {
                throw new InvalidOperationException("IRISOPS_REQUIRE_DOCKER=1 requires a Docker engine. " + DockerAvailability.Unavailable);
            }

#if !NETFRAMEWORK
            string root = RepositoryRoot();
            string dotnet = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            var start = new ProcessStartInfo(dotnet)
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", Path.Combine(root, "tests", "pester", "StandIn.ps1"), "-Build" })
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)TimeSpan.FromMinutes(10).TotalMilliseconds))
            {
                process.Kill(true);
                throw new TimeoutException("Building the stand-in images took more than 10 minutes.");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException("Building the stand-in images failed (dotnet pwsh tests/pester/StandIn.ps1 -Build): " + stdout.Result + stderr.Result);
            }
#endif
        }

        public static string RepositoryRoot()
        {
            for (DirectoryInfo? dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "IrisOps.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("IrisOps.sln not found above " + AppContext.BaseDirectory);
        }
    }

    [CollectionDefinition("Docker")]
    public sealed class DockerCollection : ICollectionFixture<StandInImages>
    {
    }

    internal static class TestLabels
    {
        public static Dictionary<string, string> For(string run) => new Dictionary<string, string>
        {
            ["irisops.test"] = "1",
            ["irisops.test.run"] = run,
        };
    }
}
