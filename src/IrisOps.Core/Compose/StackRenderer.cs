using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IrisOps.Core.Ecp;
using IrisOps.Core.Iris;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace IrisOps.Core.Compose
{
    /// <summary>
    /// Renders a plan shaped for Swarm (<see cref="EcpOrchestrator.Swarm"/>) as a stack file for
    /// <c>docker stack deploy -c</c>: one single-replica service per node, named by its host name, with a stable
    /// host name and that name as its alias on an overlay network; DNS round robin (dnsrr) instead of a virtual
    /// IP, so a name resolves to the task itself; TLS files and the license as Swarm secrets and the merge file
    /// as a config, each owned by the IRIS user and named by a hash of its content (Swarm objects cannot
    /// change); updates stop the old task before the new one starts on the same durable %SYS, and pause on a
    /// failure instead of rolling back (a rollback would put the old image on data the new one already
    /// upgraded). Host paths are absolute: the stack is read by the Docker client, not relative to the file.
    /// The durable volumes get their owner from a replicated job (<see cref="ComposeRenderer.PrepareServiceName"/>,
    /// root, the documented chown): a stack cannot order services, so a node whose task starts before the job
    /// has run fails on its root-owned volume (ERROR #5001) and Swarm starts it again until the job is done.
    /// </summary>
    public static class StackRenderer
    {
        /// <summary>The compose file format version docker stack deploy needs (3.8: init, secret and config modes).</summary>
        public const string FileVersion = "3.8";

        private const string NetworkKey = "cluster";

        /// <summary>
        /// <paramref name="contentHash"/> gives the hash of a host file as written (hex); it names the file's
        /// secret or config.
        /// </summary>
        public static string Render(DeploymentPlan plan, Func<string, string> contentHash)
        {
            if (plan.Orchestrator != EcpOrchestrator.Swarm)
            {
                throw new ArgumentException("The plan is not shaped for Swarm.", nameof(plan));
            }

            var secrets = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var configs = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var services = new YamlMappingNode { { ComposeRenderer.PrepareServiceName, PrepareJob(plan) } };
            foreach (ContainerPlan container in plan.Containers)
            {
                services.Add(ComposeRenderer.ServiceName(plan, container), Service(plan, container, contentHash, secrets, configs));
            }

            var root = new YamlMappingNode
            {
                { "version", YamlNodes.Scalar(FileVersion, ScalarStyle.DoubleQuoted) },
                { "services", services },
                { "networks", Network(plan) },
            };
            var volumes = new YamlMappingNode();
            foreach (VolumePlan volume in plan.Volumes)
            {
                volumes.Add(volume.Name, new YamlMappingNode { { "name", YamlNodes.Scalar(volume.Name) }, { "labels", YamlNodes.Labels(volume.Labels) } });
            }

            root.Add("volumes", volumes);
            root.Add("secrets", Objects(plan, secrets));
            root.Add("configs", Objects(plan, configs));
            return "# Written by IrisOps New-IrisEcpCluster -OutputPath -Format Stack. Start it on a swarm manager with: docker stack deploy -c <this file> " + plan.ClusterName + "\n"
                + "# The job " + ComposeRenderer.PrepareServiceName + " gives each durable volume to the IRIS user (uid 51773) once; until it has run, the nodes fail to start and Swarm restarts them.\n"
                + YamlNodes.Save(root);
        }

        // See PreparePlanner.SwarmPlan: the documented chown of each durable volume's root, as root, run once.
        private static YamlMappingNode PrepareJob(DeploymentPlan plan) => new YamlMappingNode
        {
            { "image", YamlNodes.Scalar(plan.Prepare.Image) },
            { "user", YamlNodes.Scalar("0:0", ScalarStyle.DoubleQuoted) },
            { "entrypoint", YamlNodes.Sequence(plan.Prepare.Command) },
            { "volumes", new YamlSequenceNode(plan.Prepare.Mounts.Select(m => (YamlNode)ComposeRenderer.Mount(m, path => path))) },
            { "healthcheck", new YamlMappingNode { { "disable", YamlNodes.Scalar("true", ScalarStyle.Plain) } } },
            // Without a network the stack would create a default one that no IrisOps label names.
            { "networks", YamlNodes.Sequence(new[] { NetworkKey }) },
            { "labels", YamlNodes.Labels(plan.Prepare.Labels) },
            {
                "deploy", new YamlMappingNode
                {
                    { "mode", YamlNodes.Scalar("replicated-job") },
                    { "restart_policy", new YamlMappingNode { { "condition", YamlNodes.Scalar("none") } } },
                    { "labels", YamlNodes.Labels(plan.Prepare.Labels) },
                }
            },
        };

        private static YamlMappingNode Service(DeploymentPlan plan, ContainerPlan container, Func<string, string> contentHash, IDictionary<string, string> secrets, IDictionary<string, string> configs)
        {
            var service = new YamlMappingNode
            {
                { "image", YamlNodes.Scalar(container.Image) },
                { "hostname", YamlNodes.Scalar(container.HostName) },
                { "init", YamlNodes.Scalar("true", ScalarStyle.Plain) },
                { "stop_grace_period", YamlNodes.Scalar(container.StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture) + "s") },
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
            service.Add("volumes", new YamlSequenceNode(container.Mounts.Select(m => (YamlNode)ComposeRenderer.Mount(m, path => path))));

            var secretMounts = new YamlSequenceNode();
            var configMounts = new YamlSequenceNode();
            foreach (FileMountPlan file in container.Files)
            {
                string name = file.ObjectName(plan.ClusterName, contentHash);
                (file.Secret ? secrets : configs)[name] = file.HostPath;
                (file.Secret ? secretMounts : configMounts).Add(new YamlMappingNode
                {
                    { "source", YamlNodes.Scalar(name) },
                    { "target", YamlNodes.Scalar(file.Target) },
                    { "uid", YamlNodes.Scalar(IrisContainer.Uid.ToString(CultureInfo.InvariantCulture), ScalarStyle.DoubleQuoted) },
                    { "gid", YamlNodes.Scalar(IrisContainer.Gid.ToString(CultureInfo.InvariantCulture), ScalarStyle.DoubleQuoted) },
                    // Decimal: 256 is 0400 (owner read), 292 is 0444; YAML readers differ on octal literals.
                    { "mode", YamlNodes.Scalar(file.Mode.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain) },
                });
            }

            service.Add("secrets", secretMounts);
            service.Add("configs", configMounts);
            service.Add("networks", new YamlMappingNode { { NetworkKey, new YamlMappingNode { { "aliases", YamlNodes.Sequence(container.Aliases) } } } });

            if (container.Ports.Count > 0)
            {
                // Swarm's routing mesh needs IPVS; host mode publishes on the node running the task, on every
                // address (a swarm cannot bind one address).
                service.Add("ports", new YamlSequenceNode(container.Ports.Select(p => (YamlNode)new YamlMappingNode
                {
                    { "target", YamlNodes.Scalar(p.ContainerPort.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain) },
                    { "published", YamlNodes.Scalar(p.HostPort.ToString(CultureInfo.InvariantCulture), ScalarStyle.Plain) },
                    { "protocol", YamlNodes.Scalar("tcp") },
                    { "mode", YamlNodes.Scalar("host") },
                })));
            }

            service.Add("labels", YamlNodes.Labels(container.Labels));
            service.Add("deploy", new YamlMappingNode
            {
                { "mode", YamlNodes.Scalar("replicated") },
                { "replicas", YamlNodes.Scalar("1", ScalarStyle.Plain) },
                { "endpoint_mode", YamlNodes.Scalar("dnsrr") },
                { "update_config", UpdateConfig() },
                { "restart_policy", new YamlMappingNode { { "condition", YamlNodes.Scalar("any") } } },
                { "labels", YamlNodes.Labels(container.Labels) },
            });
            return service;
        }

        // Two tasks on one durable %SYS must never run at once: stop-first. A failed update pauses, so IrisOps
        // (or a person) restores the data before the old image runs again.
        private static YamlMappingNode UpdateConfig() => new YamlMappingNode
        {
            { "parallelism", YamlNodes.Scalar("1", ScalarStyle.Plain) },
            { "order", YamlNodes.Scalar("stop-first") },
            { "failure_action", YamlNodes.Scalar("pause") },
        };

        private static YamlMappingNode Network(DeploymentPlan plan)
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
                    { "config", new YamlSequenceNode(new YamlMappingNode { { "subnet", YamlNodes.Scalar(plan.Network.Subnet, ScalarStyle.DoubleQuoted) } }) },
                });
            }

            return new YamlMappingNode { { NetworkKey, network } };
        }

        private static YamlMappingNode Objects(DeploymentPlan plan, IDictionary<string, string> files)
        {
            var node = new YamlMappingNode();
            foreach (KeyValuePair<string, string> file in files)
            {
                node.Add(file.Key, new YamlMappingNode
                {
                    { "name", YamlNodes.Scalar(file.Key) },
                    { "file", YamlNodes.Scalar(file.Value) },
                    { "labels", YamlNodes.Labels(plan.Network.Labels) },
                });
            }

            return node;
        }
    }
}
