using System;
using System.Collections.Generic;

namespace IrisOps.Core.Certificates
{
    /// <summary>The TLS material of one ECP cluster, as written by New-IrisCertificateSet.</summary>
    public sealed class IrisCertificateSet
    {
        public string Path { get; internal set; } = string.Empty;

        public IrisCertificateAuthority Authority { get; internal set; } = new IrisCertificateAuthority();

        public IReadOnlyList<IrisCertificate> Certificates { get; internal set; } = Array.Empty<IrisCertificate>();

        public override string ToString() => Path;
    }
}
