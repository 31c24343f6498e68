using System;
using System.Collections.Generic;
using System.Security;

namespace IrisOps.Core.Certificates
{
    /// <summary>Subject fields shared by the CA and every node certificate.</summary>
    public sealed class SubjectFields
    {
        public string? Organization { get; set; }

        public string? OrganizationalUnit { get; set; }

        /// <summary>Two-letter ISO 3166 code, e.g. "US".</summary>
        public string? Country { get; set; }

        public string? State { get; set; }

        public string? Locality { get; set; }
    }

    /// <summary>Everything New-IrisCertificateSet was asked for.</summary>
    public sealed class CertificateSetRequest
    {
        public const int DefaultValidityDays = 730;

        /// <summary>The CA outlives its leaves: at least ten years, and at least twice the leaf validity.</summary>
        public const int MinimumAuthorityValidityDays = 3650;

        public string Path { get; set; } = string.Empty;

        public IReadOnlyList<string> DataServers { get; set; } = Array.Empty<string>();

        public IReadOnlyList<string> ApplicationServers { get; set; } = Array.Empty<string>();

        /// <summary>Extra DNS names or IP addresses added to every node certificate.</summary>
        public IReadOnlyList<string> SubjectAlternativeNames { get; set; } = Array.Empty<string>();

        public SubjectFields Subject { get; set; } = new SubjectFields();

        public string AuthorityName { get; set; } = "IrisOps ECP CA";

        public int ValidityDays { get; set; } = DefaultValidityDays;

        public KeyAlgorithm KeyAlgorithm { get; set; } = KeyAlgorithm.Rsa2048;

        /// <summary>When set, keys are written as encrypted PKCS#8 and the PFX files use it.</summary>
        public SecureString? KeyPassword { get; set; }

        public bool IncludePfx { get; set; }

        /// <summary>A folder holding ca.cer and ca.key: issue new leaves from that CA instead of creating one.</summary>
        public string? CertificateAuthorityPath { get; set; }

        public bool Force { get; set; }
    }
}
