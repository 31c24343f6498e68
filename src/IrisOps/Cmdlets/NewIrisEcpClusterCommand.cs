using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Certificates;
using IrisOps.Core.Compose;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;
using IrisOps.Core.Kubernetes;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>New-IrisEcpCluster: a data server and N application servers with ECP over TLS, on an engine, as a compose project or as files for the InterSystems Kubernetes Operator.</summary>
    [Cmdlet(VerbsCommon.New, "IrisEcpCluster", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IrisEcpCluster), typeof(IrisComposeProject), typeof(IrisKubernetesProject))]
    public sealed class NewIrisEcpClusterCommand : IrisDockerCmdlet
    {
        private const string FormatCompose = "Compose";
        private const string FormatKubernetes = "Kubernetes";

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Name { get; set; } = string.Empty;

        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageCompleter))]
        public string Image { get; set; } = string.Empty;

        [Parameter]
        [ValidateRange(1, 254)]
        public int ApplicationServerCount { get; set; } = IrisDefaults.ApplicationServerCount;

        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string LicenseKeyPath { get; set; } = string.Empty;

        [Parameter(ValueFromPipeline = true)]
        public IrisCertificateSet? CertificateSet { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Database { get; set; } = EcpClusterSpec.DefaultDatabase;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Namespace { get; set; } = EcpClusterSpec.DefaultNamespace;

        [Parameter]
        [ValidateNotNull]
        public string[] GlobalMapping { get; set; } = new string[0];

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Subnet { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? DurablePath { get; set; }

        [Parameter]
        [ValidateRange(1, 65535)]
        public int PublishPort { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ClusterPath { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? OutputPath { get; set; }

        /// <summary>What -OutputPath writes: a compose project, or the files of the InterSystems Kubernetes Operator.</summary>
        [Parameter]
        [ValidateSet(FormatCompose, FormatKubernetes)]
        public string Format { get; set; } = FormatCompose;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? StorageClass { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string DataStorageSize { get; set; } = KubernetesOptions.DefaultDataStorageSize;

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? CompatibilityVersion { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        [ValidateRange(1, 86400)]
        public int HealthTimeout { get; set; } = IrisDefaults.HealthTimeoutSeconds;

        [Parameter]
        [ValidateRange(1, 86400)]
        public int StopTimeout { get; set; } = IrisDefaults.StopTimeoutSeconds;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            bool countGiven = Invocation.IsBound(nameof(ApplicationServerCount));
            int count = ApplicationServerCount;
            if (CertificateSet != null && !countGiven)
            {
                count = 0;
                foreach (IrisCertificate certificate in CertificateSet.Certificates)
                {
                    count += certificate.Role == CertificateRole.ApplicationServer ? 1 : 0;
                }
            }

            bool kubernetes = string.Equals(Format, FormatKubernetes, StringComparison.OrdinalIgnoreCase);
            bool kubernetesArguments = Invocation.IsBound(nameof(StorageClass)) || Invocation.IsBound(nameof(DataStorageSize)) || Invocation.IsBound(nameof(CompatibilityVersion));
            if ((Invocation.IsBound(nameof(Format)) && OutputPath == null) || (kubernetesArguments && !kubernetes))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "FormatNeedsOutputPath",
                    "-Format chooses what -OutputPath writes, and -StorageClass, -DataStorageSize and -CompatibilityVersion belong to -Format Kubernetes: give -OutputPath with -Format, and -Format Kubernetes with those parameters.", Format);
            }

            string? output = OutputPath == null ? null : await ResolveFileSystemPathAsync(OutputPath, nameof(OutputPath)).ConfigureAwait(false);
            string folder = output
                ?? (ClusterPath == null
                    ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "IrisOps", "clusters", Name)
                    : await ResolveFileSystemPathAsync(ClusterPath, nameof(ClusterPath)).ConfigureAwait(false));
            // On an engine, the cluster's subnet must not overlap another network's; a compose project gets
            // the subnet derived from its name unless -Subnet is given.
            string? subnet = output == null ? await ClusterSubnet.ChooseAsync(DockerEngine, Name, count + 1, Subnet, cancellationToken).ConfigureAwait(false) : Subnet;
            var spec = new EcpClusterSpec
            {
                Name = Name,
                Image = Image,
                ApplicationServerCount = count,
                LicenseKeyPath = await ResolveFileSystemPathAsync(LicenseKeyPath, nameof(LicenseKeyPath)).ConfigureAwait(false),
                CertificateSet = CertificateSet,
                Database = Database,
                Namespace = Namespace,
                GlobalMappings = GlobalMapping,
                Subnet = subnet,
                DurablePath = DurablePath == null ? null : await ResolveFileSystemPathAsync(DurablePath, nameof(DurablePath)).ConfigureAwait(false),
                PublishPort = PublishPort == 0 ? (int?)null : PublishPort,
                ClusterFolder = folder,
                StopTimeoutSeconds = StopTimeout,
            };
            DeploymentPlan plan = EcpClusterPlanner.Plan(spec);

            if (output != null && kubernetes)
            {
                var options = new KubernetesOptions { StorageClass = StorageClass, DataStorageSize = DataStorageSize, CompatibilityVersion = CompatibilityVersion };
                string compatibility = KubernetesProjectWriter.CheckTarget(plan, options, Force.IsPresent);
                string files = string.Join(", ", KubernetesProjectWriter.Targets(plan).Select(f => "'" + f + "'"));
                string kubernetesWhat = $"Write the InterSystems Kubernetes Operator files of ECP cluster '{Name}' (IrisCluster with 1 data node and {count} compute node(s), image {Image}, compatibilityVersion {compatibility}): {files}"
                    + (plan.Certificates.MustGenerate ? $", and a new certificate set in '{plan.Certificates.GeneratePath}'." : ".");
                if (await ShouldProcessAsync(kubernetesWhat, kubernetesWhat + " Continue?", "New-IrisEcpCluster").ConfigureAwait(false))
                {
                    Emit(await KubernetesProjectWriter.WriteAsync(plan, options, Force.IsPresent, Reporter, cancellationToken).ConfigureAwait(false));
                }

                return;
            }

            if (output != null)
            {
                ComposeProjectWriter.CheckTarget(plan, Force.IsPresent);
                string what = $"Write the compose project of ECP cluster '{Name}' (1 data server, {count} application server(s), image {Image}) to '{output}'.";
                if (await ShouldProcessAsync(what, what + " Continue?", "New-IrisEcpCluster").ConfigureAwait(false))
                {
                    Emit(await ComposeProjectWriter.WriteAsync(plan, Force.IsPresent, Reporter, cancellationToken).ConfigureAwait(false));
                }

                return;
            }

            var deployer = new EcpClusterDeployer(DockerEngine, Reporter) { HealthTimeout = TimeSpan.FromSeconds(HealthTimeout) };
            IrisEcpCluster? existing = await deployer.CheckExistingAsync(plan, cancellationToken).ConfigureAwait(false);
            if (existing != null)
            {
                Verbose($"The ECP cluster '{Name}' already exists with these arguments; nothing was changed.");
                Emit(existing);
                return;
            }

            await deployer.CheckImagesAsync(plan, cancellationToken).ConfigureAwait(false);
            string description = Describe(plan);
            if (await ShouldProcessAsync(description, description + " Continue?", "New-IrisEcpCluster").ConfigureAwait(false))
            {
                Emit(await deployer.DeployAsync(plan, cancellationToken).ConfigureAwait(false));
            }
        }

        private string Describe(DeploymentPlan plan)
        {
            // Bind-mounted durable folders are the only host paths given to the IRIS user: say so before it happens.
            string storage = DurablePath == null
                ? "one named volume per node"
                : "the host folders " + string.Join(", ", plan.DurableFolders.Select(f => "'" + f + "'")) + $" (given to the IRIS user, uid {IrisContainer.Uid}, so that IRIS can write them; Remove-IrisEcpCluster -RemoveData deletes them)";
            string certificates = plan.Certificates.MustGenerate ? $"a new certificate set in '{plan.Certificates.GeneratePath}'" : $"the certificates with CA '{plan.Certificates.AuthorityCertificatePath}'";
            return $"Create ECP cluster '{plan.ClusterName}' on the Docker engine at {DockerEngine.Endpoint}: network '{plan.Network.Name}' ({plan.Network.Subnet}), containers " +
                string.Join(", ", plan.Containers.Select(c => $"{c.Name} ({c.Role}, {c.IPv4Address})")) +
                $" from image '{plan.Containers[0].Image}', durable %SYS on {storage}, {certificates}, configuration files in '{plan.ClusterFolder}' (copied for the IRIS user into TLS and license volumes; the host files stay yours).";
        }
    }
}
