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
}
