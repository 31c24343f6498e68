using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;
using IrisOps.Core.Settings;

namespace IrisOps.Infrastructure
{
    /// <summary>A container to run a settings session in.</summary>
    internal sealed class SettingsTarget
    {
        public SettingsTarget(string container, string ns, string? dockerHost)
        {
            Container = container;
            Namespace = ns;
            DockerHost = dockerHost;
        }

        public string Container { get; }

        public string Namespace { get; }

        public string? DockerHost { get; }
    }

    /// <summary>
    /// What the default settings and production item cmdlets share: the targets (-Container names, or cluster and
    /// node objects by -InputObject, whose default target is the cluster's data server), -Namespace, and running
    /// one session per target with a non-terminating error for a target that fails.
    /// </summary>
    public abstract class SettingsCmdletBase : IrisDockerCmdlet
    {
        internal const string DefaultNamespace = "USER";

        /// <summary>-Namespace as given, or null: a cluster object then gives its own, else USER.</summary>
        protected abstract string? NamespaceParameter { get; }

        /// <summary>Resolves targets and checks names before anything is sent; fixes -DockerHost from the objects when it was not given.</summary>
        internal List<SettingsTarget> ResolveTargets(IEnumerable<string>? containers, IEnumerable<IrisTarget>? inputObjects)
        {
            var targets = new List<SettingsTarget>();
            foreach (string name in containers ?? Enumerable.Empty<string>())
            {
                targets.Add(new SettingsTarget(CheckName(name), NamespaceParameter ?? DefaultNamespace, null));
            }

            foreach (IrisTarget item in inputObjects ?? Enumerable.Empty<IrisTarget>())
            {
                targets.Add(FromTarget(item));
            }

            if (targets.Count == 0)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "NoTarget",
                    "Nothing was sent: no container was given. Name the containers with -Container, or give cluster, node or upgrade-result objects with -InputObject or through the pipeline.");
            }

            foreach (SettingsTarget target in targets)
            {
                DefaultSettingSession.CheckNamespace(target.Namespace);
            }

            var duplicate = targets.GroupBy(t => t.Container, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate != null)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "DuplicateTarget", $"The container '{duplicate.Key}' is given more than once; give each container once.", duplicate.Key);
            }

            if (DockerHost == null)
            {
                var hosts = targets.Select(t => t.DockerHost).Where(h => !string.IsNullOrEmpty(h)).Distinct(StringComparer.Ordinal).ToList();
                if (hosts.Count > 1)
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, "TargetsOnSeveralDockerHosts",
                        $"The targets are on different Docker hosts ({string.Join(", ", hosts)}); run the command once per host, or give -DockerHost.", hosts[0]);
                }

                if (hosts.Count == 1)
                {
                    DockerHost = hosts[0];
                }
            }

            return targets;
        }

        /// <summary>Runs the script in every target, one session each; a target that fails gets a non-terminating error and the others go on.</summary>
        internal async Task RunAsync(IReadOnlyList<SettingsTarget> targets, Func<SettingsTarget, Task> work, CancellationToken cancellationToken)
        {
            for (int index = 0; index < targets.Count; index++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                SettingsTarget target = targets[index];
                if (targets.Count > 1)
                {
                    Reporter.Progress(Invocation.CommandName, $"Container {target.Container} ({index + 1} of {targets.Count})", index * 100 / targets.Count);
                }

                try
                {
                    await work(target).ConfigureAwait(false);
                }
                catch (IrisOpsException ex)
                {
                    Error(ex, target.Container);
                }
            }

            if (targets.Count > 1)
            {
                Reporter.Progress(Invocation.CommandName, "Done", 100);
            }
        }

        /// <summary>
        /// For each target: under -WhatIf, runs the (read-only) session, reports its outcome and says what would
        /// happen with <paramref name="summarize"/>(where, outcome); otherwise asks ShouldProcess with
        /// <paramref name="describe"/>(where) and runs the session. One session per target either way.
        /// </summary>
        internal Task PreviewOrRunAsync<TOutcome>(
            IReadOnlyList<SettingsTarget> targets,
            Func<SettingsTarget, Task<TOutcome>> run,
            Action<TOutcome> report,
            Func<string, string> describe,
            Func<string, TOutcome, string> summarize,
            CancellationToken cancellationToken)
        {
            bool whatIf = Invocation.WhatIf;
            string caption = Invocation.CommandName;
            return RunAsync(targets, async target =>
            {
                string where = $"container '{target.Container}' (namespace {target.Namespace})";
                if (whatIf)
                {
                    TOutcome preview = await run(target).ConfigureAwait(false);
                    report(preview);
                    string summary = summarize(where, preview);
                    await ShouldProcessAsync(summary, summary, caption).ConfigureAwait(false);
                    return;
                }

                string description = describe(where);
                if (!await ShouldProcessAsync(description, description + " Continue?", caption).ConfigureAwait(false))
                {
                    return;
                }

                report(await run(target).ConfigureAwait(false));
            }, cancellationToken);
        }

        internal void Report(SettingsOutcome outcome)
        {
            foreach (IrisDefaultSetting result in outcome.Results)
            {
                Emit(result);
            }

            foreach (string warning in outcome.Warnings)
            {
                Warning(warning);
            }

            foreach (IrisOpsException problem in outcome.Problems)
            {
                Error(problem, problem.Target);
            }
        }

        private SettingsTarget FromTarget(IrisTarget target)
        {
            switch (target.Kind)
            {
                case IrisTargetKind.Cluster:
                    IrisTarget server = target.DataServer ?? throw new IrisOpsException(IrisErrorKind.InvalidArgument, "ClusterHasNoDataServer",
                        $"The cluster '{target.Name}' has no data server to send the change to; give a node object or -Container.", target.Name);
                    return new SettingsTarget(server.Name, NamespaceParameter ?? (string.IsNullOrEmpty(target.Namespace) ? DefaultNamespace : target.Namespace!), server.DockerHost ?? target.DockerHost);
                default:
                    return new SettingsTarget(target.Name, NamespaceParameter ?? DefaultNamespace, target.DockerHost);
            }
        }

        private static string CheckName(string name) => IrisNames.CheckContainerName(name?.Trim(), "-Container");
    }

    /// <summary>Lets a switch bind from CSV text: true/false, 1/0, yes/no (an empty cell is false).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class BooleanTextTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            try
            {
                return BooleanText.Parse(inputData);
            }
            catch (FormatException ex)
            {
                throw new ArgumentTransformationMetadataException(ex.Message, ex);
            }
        }
    }
}
