using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using IrisOps.Core.Certificates;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Ecp
{
    /// <summary>Specs and certificate sets for planner and renderer tests; no engine, no key generation.</summary>
    internal static class EcpTestSupport
    {
        /// <summary>The non-empty lines of a text, without carriage returns.</summary>
        public static string[] Lines(string text) =>
            text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();

        /// <summary>The planner's refusal of <paramref name="spec"/>.</summary>
        public static IrisOpsException Fails(EcpClusterSpec spec) => Assert.Throws<IrisOpsException>(() => EcpClusterPlanner.Plan(spec));

        public static EcpClusterSpec Spec(TempFolder folder, string name = "ecp", int applicationServers = 3)
        {
            string license = folder.Combine("iris.key");
            if (!File.Exists(license))
            {
                File.WriteAllText(license, "[ConfigFile]\nFileType=License 2.0\n");
            }

            return new EcpClusterSpec
            {
                Name = name,
                Image = "irisops-standin:v1",
                ApplicationServerCount = applicationServers,
                LicenseKeyPath = license,
                ClusterFolder = folder.Combine("cluster"),
            };
        }

        /// <summary>
        /// A certificate set whose files exist: real certificates (the planner reads each subject) issued by one
        /// test CA with <paramref name="subject"/> fields; keys and the CA are placeholders the planner only copies.
        /// </summary>
        public static IrisCertificateSet CertificateSet(TempFolder folder, string? dataServer, params string[] applicationServers) =>
            CertificateSet(folder, new SubjectFields(), dataServer, applicationServers);

        public static IrisCertificateSet CertificateSet(TempFolder folder, SubjectFields subject, string? dataServer, params string[] applicationServers)
        {
            string path = folder.Combine("set");
            Directory.CreateDirectory(path);
            string Write(string file)
            {
                string full = Path.Combine(path, file);
                File.WriteAllBytes(full, file.EndsWith(".cer", System.StringComparison.Ordinal) && file != "ca.cer"
                    ? TestCertificates.Pem(CertificateSetGenerator.SubjectName(file.Substring(0, file.Length - 4), subject))
                    : Encoding.UTF8.GetBytes(file));
                return full;
            }

            var certificates = new List<IrisCertificate>();
            foreach (string host in (dataServer == null ? new string[0] : new[] { dataServer }).Concat(applicationServers))
            {
                certificates.Add(new IrisCertificate
                {
                    HostName = host,
                    Role = host == dataServer ? CertificateRole.DataServer : CertificateRole.ApplicationServer,
                    Subject = "CN=" + host,
                    CertificatePath = Write(host + ".cer"),
                    KeyPath = Write(host + ".key"),
                });
            }

            return new IrisCertificateSet
            {
                Path = path,
                Authority = new IrisCertificateAuthority { CertificatePath = Write("ca.cer"), KeyPath = Write("ca.key") },
                Certificates = certificates,
            };
        }

        public static string MergeText(DeploymentPlan plan, string hostName)
        {
            ContainerPlan container = plan.Containers.Single(c => c.HostName == hostName);
            PlannedFile file = plan.Files.Single(f => f.Path == container.MergeFilePath);
            return Encoding.UTF8.GetString(file.Content!);
        }
    }
}
