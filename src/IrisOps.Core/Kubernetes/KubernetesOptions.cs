using System.Text.RegularExpressions;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Kubernetes
{
    /// <summary>
    /// What the Kubernetes output needs beyond the deployment plan: the storage class and size of the data node's
    /// database volume (IrisCluster topology.data.storageDB) and, when the image tag does not name a release, the
    /// compatibilityVersion (Using the InterSystems Kubernetes Operator, "topology: data").
    /// </summary>
    public sealed class KubernetesOptions
    {
        /// <summary>Default size IrisOps requests for the data node's database volume.</summary>
        public const string DefaultDataStorageSize = "10Gi";

        // A Kubernetes resource quantity in the forms storage requests use: digits with an optional binary or
        // decimal suffix (Ki Mi Gi Ti Pi Ei, k M G T P E).
        private static readonly Regex Quantity = new Regex("^[1-9][0-9]{0,8}(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$", RegexOptions.CultureInvariant);

        // A DNS-1123 subdomain, the rule for a storage class name.
        private static readonly Regex StorageClassName = new Regex("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$", RegexOptions.CultureInvariant);

        /// <summary>The storage class of the data node's database volume; null to use the platform's default class.</summary>
        public string? StorageClass { get; set; }

        public string DataStorageSize { get; set; } = DefaultDataStorageSize;

        /// <summary>The IRIS release the operator configures the nodes for; null to take it from the image tag.</summary>
        public string? CompatibilityVersion { get; set; }

        /// <summary>Refuses values Kubernetes would refuse, before anything is rendered or written.</summary>
        public void Validate()
        {
            if (StorageClass != null && !StorageClassName.IsMatch(StorageClass))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "InvalidStorageClass",
                    $"-StorageClass '{StorageClass}' is not a Kubernetes storage class name: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.", StorageClass);
            }

            if (DataStorageSize == null || !Quantity.IsMatch(DataStorageSize))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "InvalidDataStorageSize",
                    $"-DataStorageSize '{DataStorageSize}' is not a storage size such as 10Gi or 500Mi.", DataStorageSize);
            }

            if (CompatibilityVersion != null)
            {
                KubernetesCompatibility.CheckGiven(CompatibilityVersion);
            }
        }
    }
}
