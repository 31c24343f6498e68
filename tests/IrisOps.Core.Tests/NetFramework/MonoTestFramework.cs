// net472 only (the csproj leaves NetFramework/ out of net10.0). build.ps1 -Task TestNetFramework runs this build
// under Mono, which stands in for .NET Framework well except where listed below. Those tests are reported as
// SKIPPED with the reason (the xunit console runner prints each one, and build.ps1 counts them): never dropped
// silently, never counted as passed. The net10.0 run still runs every one of them.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("IrisOps.Tests.NetFramework.MonoTestFramework", "IrisOps.Core.Tests")]

namespace IrisOps.Tests.NetFramework
{
    public sealed class MonoTestFramework : XunitTestFramework
    {
        public MonoTestFramework(IMessageSink messageSink)
            : base(messageSink)
        {
        }

        protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
            new MonoExecutor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);
    }

    internal static class MonoSkips
    {
        private const string MonoWindowsAcl =
            "Not under Mono: the net472 build is the Windows PowerShell build and writes owner-only key files with a Windows ACL (WindowsIdentity), which Mono on Linux does not implement; the net10.0 run covers it.";

        private const string MonoEnumCompare =
            "Not under Mono: xunit's Assert.Equal sees Mono's enum array as Int32[] and reports equal enum sequences as different; the net10.0 run covers it.";

        private static readonly bool OnMono = Type.GetType("Mono.Runtime") != null;

        /// <summary>Test class, or class + "." + method, to the reason it cannot run under Mono.</summary>
        private static readonly Dictionary<string, string> Reasons = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["IrisOps.Tests.Ecp.ClusterFilesTests.RollBackKeepsAClusterFolderThatExistedBefore"] = MonoWindowsAcl,
            ["IrisOps.Tests.Ecp.ClusterFilesTests.WritesTheFilesAndRollsBackEveryFolderItCreatedIncludingTheClusterFolder"] = MonoWindowsAcl,
            ["IrisOps.Tests.Ecp.EcpClusterDeployerTests"] = MonoWindowsAcl,
            ["IrisOps.Tests.Ecp.EcpClusterPlannerTests.NamesContainersVolumesAndTheNetworkAfterTheClusterAndHost"] = MonoEnumCompare,
            ["IrisOps.Tests.Kubernetes.KubernetesProjectWriterTests.Writes_every_file_with_the_secrets_readable_by_their_owner_only"] = MonoWindowsAcl,
            ["IrisOps.Tests.Kubernetes.KubernetesProjectWriterTests.Existing_files_are_replaced_only_with_force_and_foreign_ones_never"] = MonoWindowsAcl,
            ["IrisOps.Tests.Kubernetes.SharedPlanTests"] = MonoWindowsAcl,
            ["IrisOps.Tests.Ecp.SwarmClusterDeployerTests.Each_node_is_a_service_with_its_files_owned_by_the_iris_user_and_its_durable_volume_labelled"] = MonoWindowsAcl,
            ["IrisOps.Tests.Ecp.SwarmClusterDeployerTests.Makes_one_secret_per_distinct_content_and_reuses_an_existing_one"] = MonoWindowsAcl,
            ["IrisOps.Tests.Ecp.SwarmClusterDeployerTests.A_service_that_cannot_be_created_leaves_nothing_behind"] = MonoWindowsAcl,
            ["IrisOps.Tests.Ecp.SwarmClusterDeployerTests.A_root_job_gives_every_durable_volume_to_the_iris_user_before_the_first_node_and_is_removed"] = MonoWindowsAcl,
            ["IrisOps.Tests.Ecp.SwarmClusterDeployerTests.A_failed_ownership_job_creates_no_node_and_is_removed"] = MonoWindowsAcl,
            ["IrisOps.Tests.Settings.ReplyTests.Added_updated_unchanged_with_previous_values_through_generator_fake_and_parser"] = MonoEnumCompare,
            ["IrisOps.Tests.Settings.ReplyTests.Preview_reports_would_add_and_would_update_and_changes_nothing"] = MonoEnumCompare,
            ["IrisOps.Tests.Settings.ReplyTests.Remove_and_list"] = MonoEnumCompare,
            ["IrisOps.Tests.Settings.SessionTests.Apply_preview_list_and_remove_against_a_stateful_instance"] = MonoEnumCompare,
        };

        public static string? For(ITestMethod method)
        {
            if (!OnMono)
            {
                return null;
            }

            string type = method.TestClass.Class.Name;
            return Reasons.TryGetValue(type + "." + method.Method.Name, out string? reason) || Reasons.TryGetValue(type, out reason) ? reason : null;
        }
    }

    internal sealed class MonoExecutor : XunitTestFrameworkExecutor
    {
        public MonoExecutor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
            : base(assemblyName, sourceInformationProvider, diagnosticMessageSink)
        {
        }

        protected override void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        {
            var cases = testCases
                .Select(testCase => MonoSkips.For(testCase.TestMethod) is string reason ? new SkippedUnderMono(DiagnosticMessageSink, testCase, reason) : testCase)
                .ToList();
            base.RunTestCases(cases, executionMessageSink, executionOptions);
        }
    }

    /// <summary>The same test, reported as skipped with the reason instead of run.</summary>
    internal sealed class SkippedUnderMono : XunitTestCase
    {
        private readonly string? reason;

        /// <summary>For xunit's deserializer only; the skip reason then comes from <see cref="MonoSkips"/>.</summary>
        [Obsolete("Called by the de-serializer", error: true)]
        public SkippedUnderMono()
        {
        }

        public SkippedUnderMono(IMessageSink diagnosticMessageSink, IXunitTestCase original, string reason)
            : base(diagnosticMessageSink, TestMethodDisplay.ClassAndMethod, TestMethodDisplayOptions.None, original.TestMethod, original.TestMethodArguments)
        {
            this.reason = reason;
        }

        protected override string GetSkipReason(IAttributeInfo factAttribute) => reason ?? MonoSkips.For(TestMethod) ?? "Not under Mono.";
    }
}
