namespace IrisOps.Core.Ecp
{
    /// <summary>One check of one node, as Test-IrisEcpCluster reports it.</summary>
    public sealed class IrisEcpCheck
    {
        public string Cluster { get; internal set; } = string.Empty;

        public string Node { get; internal set; } = string.Empty;

        public string Check { get; internal set; } = string.Empty;

        public bool Passed { get; internal set; }

        public string Detail { get; internal set; } = string.Empty;
    }
}
