using System;
using System.Collections.Generic;

namespace IrisOps.Core.Certificates
{
    /// <summary>Key types for the CA and the node certificates. RSA 2048 is what IRIS installations use.</summary>
    public enum KeyAlgorithm
    {
        Rsa2048,
        Rsa3072,
        Rsa4096,
        EcdsaP256,
        EcdsaP384,
    }

    /// <summary>What a node certificate is for: the data server is the TLS server of ECP, application servers are its clients.</summary>
    public enum CertificateRole
    {
        DataServer,
        ApplicationServer,
    }

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

    /// <summary>The TLS material of one ECP cluster, as written by New-IrisCertificateSet.</summary>
    public sealed class IrisCertificateSet
    {
        public string Path { get; internal set; } = string.Empty;

        public IrisCertificateAuthority Authority { get; internal set; } = new IrisCertificateAuthority();

        public IReadOnlyList<IrisCertificate> Certificates { get; internal set; } = Array.Empty<IrisCertificate>();

        public override string ToString() => Path;
    }
}
