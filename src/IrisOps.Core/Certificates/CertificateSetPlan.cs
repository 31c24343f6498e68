using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace IrisOps.Core.Certificates
{
    /// <summary>One node certificate to be issued.</summary>
    public sealed class PlannedCertificate
    {
        internal PlannedCertificate(string hostName, CertificateRole role, IReadOnlyList<string> names)
        {
            HostName = hostName;
            Role = role;
            SubjectAlternativeNames = names;
        }

        public string HostName { get; }

        public CertificateRole Role { get; }

        public IReadOnlyList<string> SubjectAlternativeNames { get; }
    }

    /// <summary>
    /// A validated request, with the exact files it will write. Producing a plan changes nothing, so
    /// -WhatIf can show it and every input error surfaces before any key is generated.
    /// </summary>
    public sealed class CertificateSetPlan
    {
        internal CertificateSetPlan(CertificateSetRequest request, string directory, bool createsDirectory, string? authorityDirectory,
            IReadOnlyList<PlannedCertificate> certificates, IReadOnlyList<string> files, IReadOnlyList<string> overwrites)
        {
            Request = request;
            Directory = directory;
            CreatesDirectory = createsDirectory;
            AuthorityDirectory = authorityDirectory;
            Certificates = certificates;
            Files = files;
            Overwrites = overwrites;
        }

        public CertificateSetRequest Request { get; }

        /// <summary>The full path of the output folder.</summary>
        public string Directory { get; }

        public bool CreatesDirectory { get; }

        /// <summary>The folder of the existing CA, or null when a new CA is created.</summary>
        public string? AuthorityDirectory { get; }

        public IReadOnlyList<PlannedCertificate> Certificates { get; }

        /// <summary>Every file that will be written, full paths.</summary>
        public IReadOnlyList<string> Files { get; }

        /// <summary>The subset of <see cref="Files"/> that exists and will be replaced (only with -Force).</summary>
        public IReadOnlyList<string> Overwrites { get; }

        /// <summary>A one-paragraph account of what will happen, for -WhatIf and -Confirm.</summary>
        public string Describe()
        {
            var text = new StringBuilder();
            text.Append(AuthorityDirectory == null
                ? "Create a new certificate authority"
                : $"Use the certificate authority in '{AuthorityDirectory}'");
            text.Append($" and issue {Certificates.Count} {Request.KeyAlgorithm} certificate(s) (");
            text.Append(string.Join(", ", Certificates.Select(c => $"{c.HostName}: {c.Role}")));
            text.Append($"); {(CreatesDirectory ? "create" : "write to")} '{Directory}' the files ");
            text.Append(string.Join(", ", Files.Select(System.IO.Path.GetFileName)));
            if (Overwrites.Count > 0)
            {
                text.Append("; replacing the existing ").Append(string.Join(", ", Overwrites.Select(System.IO.Path.GetFileName)));
            }

            return text.Append('.').ToString();
        }
    }
}
