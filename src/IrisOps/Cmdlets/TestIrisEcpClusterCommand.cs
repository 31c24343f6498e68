using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>Test-IrisEcpCluster: one check object per node and check.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "IrisEcpCluster", DefaultParameterSetName = TargetParameterSets.Name)]
    [OutputType(typeof(IrisEcpCheck))]
    public sealed class TestIrisEcpClusterCommand : IrisDockerCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = TargetParameterSets.Name)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ClusterNameCompleter))]
        public string Name { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TargetParameterSets.InputObject)]
        [IrisTargetTransformation]
        public IrisTarget[] InputObject { get; set; } = new IrisTarget[0];

        /// <summary>Only the checks from outside (state, health, files, port); no ECP round trip.</summary>
        [Parameter]
        public SwitchParameter Quick { get; set; }

        /// <summary>How long one iris session of the round trip may take.</summary>
        [Parameter]
        [ValidateRange(5, 3600)]
        public int SessionTimeout { get; set; } = IrisDefaults.EndToEndSessionTimeoutSeconds;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            foreach (IrisEcpCluster cluster in await ClusterArgument.ResolveAsync(DockerEngine, InputObject, Name, cancellationToken).ConfigureAwait(false))
            {
                await TestAsync(cluster, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task TestAsync(IrisEcpCluster cluster, CancellationToken cancellationToken)
        {
            foreach (IrisEcpCheck check in await new EcpClusterTester(DockerEngine) { Reporter = Reporter }.TestAsync(cluster, cancellationToken).ConfigureAwait(false))
            {
                Emit(check);
            }

            if (Quick)
            {
                return;
            }

            var endToEnd = new EcpEndToEndTester(DockerEngine, Reporter) { SessionTimeout = System.TimeSpan.FromSeconds(SessionTimeout) };
            foreach (IrisEcpCheck check in await endToEnd.TestAsync(cluster, cancellationToken).ConfigureAwait(false))
            {
                Emit(check);
            }
        }
    }

    /// <summary>The clusters a name or target objects (live or deserialized) name, each read fresh from the engine.</summary>
    internal static class ClusterArgument
    {
        public static async Task<IReadOnlyList<IrisEcpCluster>> ResolveAsync(IrisOps.Core.Docker.IDockerEngine engine, IReadOnlyList<IrisTarget> inputObject, string name, CancellationToken cancellationToken)
        {
            var clusters = new List<IrisEcpCluster>();
            foreach (string cluster in Names(inputObject, name))
            {
                IReadOnlyList<IrisEcpCluster> found = await EcpClusterReader.ReadAsync(engine, cluster, cancellationToken).ConfigureAwait(false);
                clusters.Add(found.Count > 0 ? found[0] : throw NotFound(engine, cluster, null));
            }

            return clusters;
        }

        /// <summary>The cluster names a name or target objects give, each once.</summary>
        public static IEnumerable<string> Names(IReadOnlyList<IrisTarget> inputObject, string name)
        {
            IEnumerable<string> wanted = inputObject.Count == 0
                ? new[] { name }
                : inputObject.Select(t => t.ClusterName ?? throw new IrisOpsException(IrisErrorKind.InvalidArgument, "NotAClusterNode",
                    $"'{t.Name}' is not a node of an ECP cluster; give a cluster, a cluster node or a cluster name.", t.Name));
            return wanted.Distinct(StringComparer.Ordinal).ToList();
        }

        public static IrisOpsException NotFound(IrisOps.Core.Docker.IDockerEngine engine, string cluster, string? hint) =>
            new IrisOpsException(IrisErrorKind.ObjectNotFound, "ClusterNotFound",
                $"There is no ECP cluster named '{cluster}' on the Docker engine at {engine.Endpoint}." + (hint == null ? string.Empty : " " + hint), cluster);
    }
}
