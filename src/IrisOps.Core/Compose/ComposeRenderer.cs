using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IrisOps.Core.Compose
{
    /// <summary>
    /// Renders a deployment plan as docker-compose.yml: deterministic (same plan, same bytes), block style,
    /// port mappings quoted, and valid for both docker-compose v1 (1.27+) and the compose v2 plugin. Every
    /// scalar goes through YamlDotNet's emitter, which quotes what would otherwise change meaning, and values
    /// are checked for control characters first, so no input can add a key or a line to the file.
    /// </summary>
    public static class ComposeRenderer
    {
        /// <summary>The service that makes named durable volumes writable by the IRIS user before IRIS starts.</summary>
        public const string PrepareServiceName = "prepare-durable";

        public static string Render(DeploymentPlan plan, Func<string, string> hostPathInProject)
        {
            var services = new YamlMappingNode { { PrepareServiceName, PrepareService(plan, hostPathInProject) } };
            foreach (ContainerPlan container in plan.Containers)
            {
                services.Add(ServiceName(plan, container), Service(plan, container, hostPathInProject));
            }

            var root = new YamlMappingNode
            {
                { "services", services },
                { "networks", Networks(plan) },
            };
            if (plan.Volumes.Count > 0)
            {
                var volumes = new YamlMappingNode();
                foreach (VolumePlan volume in plan.Volumes)
                {
                    volumes.Add(volume.Name, new YamlMappingNode { { "name", Scalar(volume.Name) }, { "labels", Labels(volume.Labels) } });
                }

                root.Add("volumes", volumes);
            }

            var stream = new YamlStream(new YamlDocument(root));
            using (var writer = new StringWriter())
            {
                writer.NewLine = "\n";
                stream.Save(writer, assignAnchors: false);
                string text = writer.ToString();

                // YamlDotNet ends a document with "...": harmless, but not what people expect in a compose file.
                if (text.EndsWith("...\n", StringComparison.Ordinal))
                {
                    text = text.Substring(0, text.Length - 4);
                }

                // The same start command the project object's StartCommand and README.txt give.
                return $"# Written by IrisOps New-IrisEcpCluster -OutputPath. Start it from this folder with: {ComposeProjectWriter.StartCommandFor(plan)}\n" + text;
            }
        }

        /// <summary>The compose service name of a node: its host name (unique within the cluster).</summary>
        public static string ServiceName(DeploymentPlan plan, ContainerPlan container) => container.HostName;

        private static YamlMappingNode Service(DeploymentPlan plan, ContainerPlan container, Func<string, string> hostPath)
        {
            var service = new YamlMappingNode
            {
                { "image", Scalar(container.Image) },
                { "container_name", Scalar(container.Name) },
                { "hostname", Scalar(container.HostName) },
                { "init", Scalar("true", ScalarStyle.Plain) },
                { "restart", Scalar(container.RestartPolicy) },
                { "stop_grace_period", Scalar(container.StopTimeoutSeconds + "s") },
            };

            if (container.Command.Count > 0)
            {
                service.Add("command", Sequence(container.Command));
            }

            var environment = new YamlMappingNode();
            foreach (KeyValuePair<string, string> variable in container.Environment)
            {
                environment.Add(variable.Key, Scalar(variable.Value, ScalarStyle.DoubleQuoted));
            }

            service.Add("environment", environment);

            var volumes = new YamlSequenceNode();
            foreach (MountPlan mount in container.Mounts)
            {
                volumes.Add(Mount(mount, hostPath));
            }

            service.Add("volumes", volumes);

            var attachment = new YamlMappingNode { { "aliases", Sequence(container.Aliases) } };
            if (container.IPv4Address != null)
            {
                attachment.Add("ipv4_address", Scalar(container.IPv4Address));
            }

            service.Add("networks", new YamlMappingNode { { "cluster", attachment } });

            if (container.Ports.Count > 0)
            {
                service.Add("ports", new YamlSequenceNode(container.Ports.Select(p => (YamlNode)Scalar(p.ToString(), ScalarStyle.DoubleQuoted))));
            }

            service.Add("labels", Labels(container.Labels));

            var dependsOn = new YamlMappingNode { { PrepareServiceName, new YamlMappingNode { { "condition", Scalar("service_completed_successfully") } } } };

            if (container.Role == EcpRole.App)
            {
                ContainerPlan data = plan.Containers.First(c => c.Role == EcpRole.Data);
                dependsOn.Add(ServiceName(plan, data), new YamlMappingNode { { "condition", Scalar("service_healthy") } });
            }

            service.Add("depends_on", dependsOn);

            return service;
        }

        // See PreparePlan: chown of durable storage and mounted files, as root, before any node starts.
        private static YamlMappingNode PrepareService(DeploymentPlan plan, Func<string, string> hostPath)
        {
            var volumes = new YamlSequenceNode();
            foreach (MountPlan mount in plan.Prepare.Mounts)
            {
                volumes.Add(Mount(mount, hostPath));
            }

            return new YamlMappingNode
            {
                { "image", Scalar(plan.Prepare.Image) },
                { "user", Scalar("0:0", ScalarStyle.DoubleQuoted) },
                { "entrypoint", Sequence(plan.Prepare.Command) },
                { "volumes", volumes },
                { "network_mode", Scalar("none") },
                { "labels", Labels(plan.Prepare.Labels) },
            };
        }

        private static YamlMappingNode Mount(MountPlan mount, Func<string, string> hostPath)
        {
            var entry = new YamlMappingNode
            {
                { "type", Scalar(mount.Kind == MountKind.Bind ? "bind" : "volume") },
                { "source", Scalar(mount.Kind == MountKind.Bind ? hostPath(mount.Source) : mount.Source) },
                { "target", Scalar(mount.Target) },
            };
            if (mount.ReadOnly)
            {
                entry.Add("read_only", Scalar("true", ScalarStyle.Plain));
            }

            return entry;
        }

        private static YamlMappingNode Networks(DeploymentPlan plan)
        {
            var network = new YamlMappingNode
            {
                { "name", Scalar(plan.Network.Name) },
                { "driver", Scalar("bridge") },
                { "labels", Labels(plan.Network.Labels) },
            };
            if (plan.Network.Subnet != null)
            {
                network.Add("ipam", new YamlMappingNode
                {
                    { "driver", Scalar("default") },
                    { "config", new YamlSequenceNode(new YamlMappingNode { { "subnet", Scalar(plan.Network.Subnet, ScalarStyle.DoubleQuoted) } }) },
                });
            }

            return new YamlMappingNode { { "cluster", network } };
        }

        private static YamlMappingNode Labels(IReadOnlyDictionary<string, string> labels)
        {
            var node = new YamlMappingNode();
            foreach (KeyValuePair<string, string> label in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                node.Add(label.Key, Scalar(label.Value, ScalarStyle.DoubleQuoted));
            }

            return node;
        }

        // Quoted, so no item can be read as a number, a boolean or YAML 1.1's base-60 "51773:51773".
        private static YamlSequenceNode Sequence(IEnumerable<string> items) =>
            new YamlSequenceNode(items.Select(i => (YamlNode)Scalar(i, ScalarStyle.DoubleQuoted)));

        private static YamlScalarNode Scalar(string value, ScalarStyle style = ScalarStyle.Any)
        {
            foreach (char c in value)
            {
                if (char.IsControl(c))
                {
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, "ComposeValueHasControlCharacter",
                        "A value for the compose file contains a line break or another control character; it was refused so it cannot add lines to the file.", value);
                }
            }

            return new YamlScalarNode(value) { Style = style };
        }
    }
}
