using System;
using System.Collections.Generic;

namespace IrisOps.Core.Certificates
{
    /// <summary>One node certificate (leaf) and the files that hold it.</summary>
    public sealed class IrisCertificate
    {
        public string HostName { get; internal set; } = string.Empty;

        public CertificateRole Role { get; internal set; }

        public string Subject { get; internal set; } = string.Empty;

        public string Issuer { get; internal set; } = string.Empty;

        public IReadOnlyList<string> SubjectAlternativeNames { get; internal set; } = Array.Empty<string>();

        public string Thumbprint { get; internal set; } = string.Empty;

        public string SerialNumber { get; internal set; } = string.Empty;

        public DateTime NotBefore { get; internal set; }

        public DateTime NotAfter { get; internal set; }

        public KeyAlgorithm KeyAlgorithm { get; internal set; }

        public string CertificatePath { get; internal set; } = string.Empty;

        public string KeyPath { get; internal set; } = string.Empty;

        /// <summary>The PKCS#12 file, or null when -IncludePfx was not given.</summary>
        public string? PfxPath { get; internal set; }

        public bool KeyEncrypted { get; internal set; }

        public override string ToString() => HostName;
    }
}
