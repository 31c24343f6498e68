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
                    volumes.Add(volume.Name, new YamlMappingNode { { "name", YamlNodes.Scalar(volume.Name) }, { "labels", YamlNodes.Labels(volume.Labels) } });
                }

                root.Add("volumes", volumes);
            }

            // The same start command the project object's StartCommand and README.txt give.
            return $"# Written by IrisOps New-IrisEcpCluster -OutputPath. Start it from this folder with: {ComposeProjectWriter.StartCommandFor(plan)}\n" + YamlNodes.Save(root);
        }

        /// <summary>The compose service name of a node: its host name (unique within the cluster).</summary>
        public static string ServiceName(DeploymentPlan plan, ContainerPlan container) => container.HostName;

        private static YamlMappingNode Service(DeploymentPlan plan, ContainerPlan container, Func<string, string> hostPath)
        {
            var service = new YamlMappingNode
            {
                { "image", YamlNodes.Scalar(container.Image) },
                { "container_name", YamlNodes.Scalar(container.Name) },
                { "hostname", YamlNodes.Scalar(container.HostName) },
                { "init", YamlNodes.Scalar("true", ScalarStyle.Plain) },
                { "restart", YamlNodes.Scalar(container.RestartPolicy) },
                { "stop_grace_period", YamlNodes.Scalar(container.StopTimeoutSeconds + "s") },
            };

            if (container.Command.Count > 0)
            {
                service.Add("command", YamlNodes.Sequence(container.Command));
            }

            var environment = new YamlMappingNode();
            foreach (KeyValuePair<string, string> variable in container.Environment)
            {
                environment.Add(variable.Key, YamlNodes.Scalar(variable.Value, ScalarStyle.DoubleQuoted));
            }

            service.Add("environment", environment);

            var volumes = new YamlSequenceNode();
            foreach (MountPlan mount in container.Mounts)
            {
                volumes.Add(Mount(mount, hostPath));
            }

            service.Add("volumes", volumes);

            var attachment = new YamlMappingNode { { "aliases", YamlNodes.Sequence(container.Aliases) } };
            if (container.IPv4Address != null)
            {
                attachment.Add("ipv4_address", YamlNodes.Scalar(container.IPv4Address));
            }

            service.Add("networks", new YamlMappingNode { { "cluster", attachment } });

            if (container.Ports.Count > 0)
            {
                service.Add("ports", new YamlSequenceNode(container.Ports.Select(p => (YamlNode)YamlNodes.Scalar(p.ToString(), ScalarStyle.DoubleQuoted))));
            }

            service.Add("labels", YamlNodes.Labels(container.Labels));

            var dependsOn = new YamlMappingNode { { PrepareServiceName, new YamlMappingNode { { "condition", YamlNodes.Scalar("service_completed_successfully") } } } };

            if (container.Role == EcpRole.App)
            {
                ContainerPlan data = plan.Containers.First(c => c.Role == EcpRole.Data);
                dependsOn.Add(ServiceName(plan, data), new YamlMappingNode { { "condition", YamlNodes.Scalar("service_healthy") } });
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
                { "image", YamlNodes.Scalar(plan.Prepare.Image) },
                { "user", YamlNodes.Scalar("0:0", ScalarStyle.DoubleQuoted) },
                { "entrypoint", YamlNodes.Sequence(plan.Prepare.Command) },
                { "volumes", volumes },
                { "network_mode", YamlNodes.Scalar("none") },
                { "labels", YamlNodes.Labels(plan.Prepare.Labels) },
            };
        }

        internal static YamlMappingNode Mount(MountPlan mount, Func<string, string> hostPath)
        {
            var entry = new YamlMappingNode
            {
                { "type", YamlNodes.Scalar(mount.Kind == MountKind.Bind ? "bind" : "volume") },
                { "source", YamlNodes.Scalar(mount.Kind == MountKind.Bind ? hostPath(mount.Source) : mount.Source) },
                { "target", YamlNodes.Scalar(mount.Target) },
            };
            if (mount.ReadOnly)
            {
                entry.Add("read_only", YamlNodes.Scalar("true", ScalarStyle.Plain));
            }

            return entry;
        }

        private static YamlMappingNode Networks(DeploymentPlan plan)
        {
            var network = new YamlMappingNode
            {
                { "name", YamlNodes.Scalar(plan.Network.Name) },
                { "driver", YamlNodes.Scalar(plan.Network.Driver) },
                { "labels", YamlNodes.Labels(plan.Network.Labels) },
            };
            if (plan.Network.Subnet != null)
            {
                network.Add("ipam", new YamlMappingNode
                {
                    { "driver", YamlNodes.Scalar("default") },
                    { "config", new YamlSequenceNode(new YamlMappingNode { { "subnet", YamlNodes.Scalar(plan.Network.Subnet, ScalarStyle.DoubleQuoted) } }) },
                });
            }

            return new YamlMappingNode { { "cluster", network } };
        }
    }
}
