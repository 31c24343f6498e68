namespace IrisOps.Core.Kubernetes
{
    /// <summary>One rendered file of the Kubernetes output.</summary>
    public sealed class KubernetesManifest
    {
        public KubernetesManifest(string fileName, string text, bool holdsKeyMaterial)
        {
            FileName = fileName;
            Text = text;
            HoldsKeyMaterial = holdsKeyMaterial;
        }

        public string FileName { get; }

        public string Text { get; }

        /// <summary>A Secret with the license or a private key: written readable by its owner only.</summary>
        public bool HoldsKeyMaterial { get; }
    }
}
