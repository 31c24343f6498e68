using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Sandboxes
{
    /// <summary>
    /// Applies a template and the defaults to a request. A template fixes what it gives: a parameter that says
    /// something else is refused rather than silently winning or losing. Reads the file system (do the license
    /// and the merge file exist) but changes nothing.
    /// </summary>
    public static class SandboxSpecResolver
    {
        /// <summary>Ports are published on the loopback address unless an address is asked for explicitly.</summary>
        public const string DefaultPublishAddress = "127.0.0.1";

        public static SandboxSpec Resolve(SandboxRequest request)
        {
            SandboxTemplate? template = request.Template;
            string owner = SandboxNames.NormalizeOwner(request.Owner);
            string? image = Fixed(template?.Image, request.Image, "Image", template);
            if (string.IsNullOrWhiteSpace(image))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "SandboxImageMissing",
                    "No image was given: pass -Image, or a -Template that names one.", owner);
            }

            TimeSpan? asked = Fixed(template?.Lifetime, request.Lifetime, "Lifetime", template);
            TimeSpan maxLifetime = template?.MaxLifetime ?? (asked > IrisDefaults.SandboxMaxLifetime ? asked.Value : IrisDefaults.SandboxMaxLifetime);
            TimeSpan lifetime = asked ?? (IrisDefaults.SandboxLifetime < maxLifetime ? IrisDefaults.SandboxLifetime : maxLifetime);
            if (lifetime > maxLifetime)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "SandboxLifetimeTooLong",
                    $"-Lifetime {lifetime} is longer than the template's MaxLifetime {maxLifetime}; ask for at most {maxLifetime}.", owner);
            }

            bool relaunch = template?.AllowRelaunch ?? true;
            int count = request.Count;
            int maxPerOwner = Fixed(template?.MaxPerOwner, request.MaxPerOwner, "MaxPerOwner", template) ?? Math.Max(1, count);
            string address = request.PublishAddress ?? DefaultPublishAddress;
            if (!IrisNames.TryParseIpAddress(address, out _))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "InvalidPublishAddress",
                    $"-PublishAddress '{address}' is not an IP address; give 127.0.0.1 (the default), a host address, or 0.0.0.0 for every address.", address);
            }

            IReadOnlyList<int> ports = request.PublishPort ?? Array.Empty<int>();
            if (ports.Count > 2 || ports.Any(p => p < 1 || p > 65535) || ports.Distinct().Count() != ports.Count)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "InvalidPublishPort",
                    $"-PublishPort {string.Join(", ", ports)} is not one or two different host ports (1-65535): the superserver's, then the web port's.", owner);
            }

            if (ports.Count > 0 && count != 1)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "PublishPortNeedsOneSandbox",
                    $"-PublishPort fixes host ports, which only one sandbox can have; with -Count {count}, leave it out and the engine chooses a free port for each.", owner);
            }

            var spec = new SandboxSpec
            {
                Owner = owner,
                Image = image!,
                TemplateName = template?.Name ?? string.Empty,
                Lifetime = lifetime,
                MaxLifetime = maxLifetime,
                AllowRelaunch = relaunch,
                State = Fixed(template?.State, request.State, "State", template) ?? SandboxState.Fresh,
                OnExpiry = template?.OnExpiry ?? (relaunch ? SandboxExpiryAction.Stop : SandboxExpiryAction.Remove),
                MemoryBytes = Fixed(template?.MemoryBytes, request.MemoryBytes, "Memory", template),
                Cpu = Fixed(template?.Cpu, request.Cpu, "Cpu", template),
                MergeFile = Fixed(template?.MergeFile, request.MergeFile, "MergeFile", template),
                LicenseKeyPath = request.LicenseKeyPath,
                PublishAddress = address,
                SuperserverHostPort = ports.Count > 0 ? ports[0] : 0,
                WebHostPort = ports.Count > 1 ? ports[1] : 0,
                Count = count,
                MaxPerOwner = maxPerOwner,
                Labels = CheckLabels(request.Labels),
            };

            if (count < 1 || count > maxPerOwner)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "SandboxCountAboveLimit",
                    $"-Count {count} is more than the {maxPerOwner} sandbox(es) allowed per owner; ask for fewer or raise -MaxPerOwner (when no template fixes it).", owner);
            }

            if (spec.LicenseKeyPath != null && !File.Exists(spec.LicenseKeyPath))
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "LicenseKeyNotFound",
                    $"-LicenseKeyPath '{spec.LicenseKeyPath}' is not a file; give the iris.key from the WRC.", spec.LicenseKeyPath);
            }

            if (spec.MergeFile != null && !File.Exists(spec.MergeFile))
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "SandboxMergeFileNotFound",
                    $"The merge file '{spec.MergeFile}' does not exist; give the path of a merge file (Automating Configuration of InterSystems IRIS with Configuration Merge).", spec.MergeFile);
            }

            return spec;
        }

        // A template's value is fixed; a parameter may repeat it but not change it.
        private static T? Fixed<T>(T? fromTemplate, T? fromRequest, string key, SandboxTemplate? template)
            where T : struct
        {
            if (fromTemplate.HasValue && fromRequest.HasValue && !fromTemplate.Value.Equals(fromRequest.Value))
            {
                throw Conflict(key, fromTemplate.Value, fromRequest.Value, template!);
            }

            return fromTemplate ?? fromRequest;
        }

        private static string? Fixed(string? fromTemplate, string? fromRequest, string key, SandboxTemplate? template)
        {
            if (fromTemplate != null && fromRequest != null && !string.Equals(fromTemplate, fromRequest, StringComparison.Ordinal))
            {
                throw Conflict(key, fromTemplate, fromRequest, template!);
            }

            return fromTemplate ?? fromRequest;
        }

        private static IrisOpsException Conflict(string key, object fromTemplate, object fromRequest, SandboxTemplate template) =>
            new IrisOpsException(IrisErrorKind.InvalidArgument, "SandboxTemplateConflict",
                $"The template '{template.Name}' fixes {key} to '{fromTemplate}'; -{key} '{fromRequest}' would change it. Leave -{key} out, or use another template.", key);

        private static Dictionary<string, string> CheckLabels(IDictionary<string, string> labels)
        {
            foreach (string key in labels.Keys.Where(k => k.StartsWith("irisops.sandbox", StringComparison.OrdinalIgnoreCase) || k.Length == 0))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "SandboxLabelReserved",
                    $"The label '{key}' is reserved for IrisOps's own sandbox labels; choose another name.", key);
            }

            return new Dictionary<string, string>(labels, StringComparer.Ordinal);
        }
    }
}
