using System.Collections.Generic;
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
    [Cmdlet(VerbsDiagnostic.Test, "IrisEcpCluster", DefaultParameterSetName = "ByName")]
    [OutputType(typeof(IrisEcpCheck))]
    public sealed class TestIrisEcpClusterCommand : IrisDockerCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = "ByName")]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "ByObject")]
        public IrisEcpCluster? InputObject { get; set; }

        /// <summary>Only the checks from outside (state, health, files, port); no ECP round trip.</summary>
        [Parameter]
        public SwitchParameter Quick { get; set; }

        /// <summary>How long one iris session of the round trip may take.</summary>
        [Parameter]
        [ValidateRange(5, 3600)]
        public int SessionTimeout { get; set; } = IrisDefaults.EndToEndSessionTimeoutSeconds;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            IrisEcpCluster cluster = await ClusterArgument.ResolveAsync(DockerEngine, InputObject, Name, cancellationToken).ConfigureAwait(false);
            foreach (IrisEcpCheck check in await new EcpClusterTester(DockerEngine).TestAsync(cluster, cancellationToken).ConfigureAwait(false))
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

    /// <summary>A cluster given by object or by name, read fresh from the engine.</summary>
    internal static class ClusterArgument
    {
        public static async Task<IrisEcpCluster> ResolveAsync(IrisOps.Core.Docker.IDockerEngine engine, IrisEcpCluster? inputObject, string name, CancellationToken cancellationToken)
        {
            string wanted = inputObject?.Name ?? name;
            IReadOnlyList<IrisEcpCluster> found = await EcpClusterReader.ReadAsync(engine, wanted, cancellationToken).ConfigureAwait(false);
            if (found.Count == 0)
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "ClusterNotFound",
                    $"There is no ECP cluster named '{wanted}' on the Docker engine at {engine.Endpoint}.", wanted);
            }

            return found[0];
        }
    }
}
