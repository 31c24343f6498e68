using System;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet.Handler.Abstractions;
using Docker.DotNet.X509;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Docker
{
    /// <summary>
    /// The client certificate and server validation for a TLS engine, from the files the endpoint resolution
    /// found (cert.pem, key.pem and ca.pem in DOCKER_CERT_PATH or the docker context's TLS folder).
    /// </summary>
    internal static class DockerTlsCredentials
    {
        internal static IAuthProvider Create(DockerEndpoint endpoint)
        {
            DockerTlsSettings tls = endpoint.Tls ?? throw new ArgumentException("The endpoint does not use TLS.", nameof(endpoint));
            if (tls.CertificateFile == null || tls.KeyFile == null)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "DockerTlsCertificateMissing",
                    $"TLS to the Docker engine at {endpoint.Host} needs a client certificate: cert.pem and key.pem were not found in '{tls.CertificateDirectory}' (set DOCKER_CERT_PATH to the folder that holds them).",
                    tls.CertificateDirectory);
            }

            try
            {
                X509Certificate2 certificate = DockerTlsCertificates.LoadCertificateFromPemFiles(tls.CertificateFile, tls.KeyFile);
                var credentials = new CertificateCredentials(certificate);
                if (!tls.Verify)
                {
                    credentials.ServerCertificateValidationCallback = (sender, serverCertificate, chain, errors) => true;
                }
                else if (tls.CaFile != null)
                {
                    credentials.ServerCertificateValidationCallback = DockerTlsCertificates.CreateCertificateAuthorityValidationCallback(
                        DockerTlsCertificates.LoadCertificateAuthorityFromPemFile(tls.CaFile));
                }

                return credentials;
            }
            catch (Exception ex) when (!(ex is IrisOpsException))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, "DockerTlsCertificateUnreadable",
                    $"Cannot load the Docker TLS files from '{tls.CertificateDirectory}': {DockerErrorMapping.RootCause(ex)}", tls.CertificateDirectory, ex);
            }
        }
    }
}
