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
    public sealed class TestIrisEcpClusterCommand : ClusterTargetCmdletBase
    {
        /// <summary>Only the checks from outside (state, health, files, port); no ECP round trip.</summary>
        [Parameter]
        public SwitchParameter Quick { get; set; }

        /// <summary>How long one iris session of the round trip may take.</summary>
        [Parameter]
        [ValidateRange(5, 3600)]
        public int SessionTimeout { get; set; } = IrisDefaults.EndToEndSessionTimeoutSeconds;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            foreach (ClusterMatch match in await MatchClustersAsync(cancellationToken).ConfigureAwait(false))
            {
                if (match.Cluster == null)
                {
                    Error(ClusterArgument.NotFound(DockerEngine, match.Name, null), match.Name);
                    continue;
                }

                await TestAsync(match.Cluster, cancellationToken).ConfigureAwait(false);
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
}
