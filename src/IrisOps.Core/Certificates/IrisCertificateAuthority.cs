using System;

namespace IrisOps.Core.Certificates
{
    /// <summary>The certificate authority of a set: the CA every node trusts.</summary>
    public sealed class IrisCertificateAuthority
    {
        public string Subject { get; internal set; } = string.Empty;

        public string Thumbprint { get; internal set; } = string.Empty;

        public DateTime NotAfter { get; internal set; }

        public string CertificatePath { get; internal set; } = string.Empty;

        /// <summary>Where the CA key lives; with -CertificateAuthorityPath it stays in that folder.</summary>
        public string KeyPath { get; internal set; } = string.Empty;

        public KeyAlgorithm KeyAlgorithm { get; internal set; }

        public override string ToString() => Subject;
    }
}
