using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Common;
using IrisOps.Core.Cpf;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Upgrade
{
    /// <summary>The new image's iris.cpf as read by <see cref="CodeDatabaseProbe.ReadImageCpfAsync"/>, or why it could not be read.</summary>
    public sealed class ImageCpf
    {
        public ImageCpf(CpfDocument? document, string? error)
        {
            Document = document;
            Error = error;
        }

        public CpfDocument? Document { get; }

        public string? Error { get; }
    }

    /// <summary>
    /// Looks for the code-database trap (see <see cref="CodeDatabaseTrap"/>) on the nodes of a run: reads the new
    /// image's iris.cpf once, from a container created from the image and never started, then each node's
    /// durable iris.cpf, and compares their [Databases]. What it finds becomes a warning, or with -Strict a
    /// preflight problem of the node.
    /// </summary>
    public sealed class CodeDatabaseProbe
    {
        /// <summary>The label of the short-lived containers an upgrade creates (probe, restore helper).</summary>
        public const string HelperLabel = "irisops.upgrade.helper";
        private readonly IDockerEngine engine;

        public CodeDatabaseProbe(IDockerEngine engine) => this.engine = engine;

        public TimeSpan CleanupTimeout { get; set; } = IrisDefaults.CleanupTimeout;

        public async Task<ImageCpf> ReadImageCpfAsync(ImageDetails newImage, string imageName, CancellationToken cancellationToken)
        {
            string installDir = IrisContainer.InstallDirectory(newImage.Environment);

            string probe = "irisops-probe-" + Guid.NewGuid().ToString("N").Substring(0, 10);
            try
            {
                await engine.CreateContainerAsync(new ContainerSpec
                {
                    Name = probe,
                    Image = newImage.Id,
                    Labels = new Dictionary<string, string> { [HelperLabel] = "probe" },
                }, cancellationToken).ConfigureAwait(false);
                byte[] text = await new ContainerFileReader(engine).ReadAsync(probe, installDir.TrimEnd('/') + "/iris.cpf", cancellationToken).ConfigureAwait(false);
                return new ImageCpf(CpfParser.Parse(text, imageName + ":" + installDir + "/iris.cpf"), null);
            }
            catch (Exception ex) when (ex is IrisOpsException || ex is CpfSyntaxException || ex is InvalidDataException)
            {
                return new ImageCpf(null, ex.Message);
            }
            finally
            {
                // The caller may have cancelled: the probe container goes all the same.
                using (var cleanup = new CancellationTokenSource(CleanupTimeout))
                {
                    await Cleanup.Quietly(() => engine.RemoveContainerAsync(probe, true, true, cleanup.Token)).ConfigureAwait(false);
                }
            }
        }

        /// <summary>Adds the node's findings to its warnings, or with -Strict to its problems.</summary>
        public async Task CheckAsync(NodeInspection node, ImageCpf imageCpf, ImageUpgradeOptions options, CancellationToken cancellationToken)
        {
            if (node.Container == null || node.DataDirectory == null || node.DurableMount == null)
            {
                return;
            }

            CpfDocument durable;
            string durablePath = node.DataDirectory.TrimEnd('/') + "/iris.cpf";
            try
            {
                byte[] text = await new ContainerFileReader(engine).ReadAsync(node.Target.Container, durablePath, cancellationToken).ConfigureAwait(false);
                durable = CpfParser.Parse(text, node.Target.Container + ":" + durablePath);
            }
            catch (Exception ex) when (ex is IrisOpsException || ex is CpfSyntaxException || ex is InvalidDataException)
            {
                node.Warnings.Add($"Could not read the durable iris.cpf of '{node.Target.Container}' to check for the code-database trap: {ex.Message}");
                return;
            }

            if (imageCpf.Document == null)
            {
                node.Warnings.Add($"Could not read the iris.cpf of image '{options.Image}' to check for the code-database trap: {imageCpf.Error}");
                return;
            }

            foreach (CodeDatabaseFinding finding in CodeDatabaseTrap.Find(durable, imageCpf.Document, new[] { node.DurableMount.Target, node.DataDirectory }, options.LayoutCodeDatabases))
            {
                string message = $"Code-database trap on '{node.Target.Container}': {finding}. Keep code databases read-only inside the image and data on durable storage (see about_IrisOps).";
                if (options.Strict)
                {
                    node.Problems.Add(new PreflightProblem("CodeDatabaseTrap", IrisErrorKind.InvalidOperation, message + " Refused because of -Strict."));
                }
                else
                {
                    node.Warnings.Add(message);
                }
            }
        }
    }
}
