using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IrisOps.Core.Docker;
using IrisOps.Core.Ecp;
using IrisOps.Core.Errors;
using IrisOps.Core.Upgrade;

namespace IrisOps.Infrastructure
{
    public enum IrisTargetKind
    {
        /// <summary>A name given as text: a cluster name or a container name, as the cmdlet takes it.</summary>
        Name,
        Cluster,
        Node,
    }

    /// <summary>
    /// What a cmdlet works on, given in any shape users have: a name, a cluster or node object from
    /// New-/Get-IrisEcpCluster, an upgrade result, and the same objects after serialization (Import-Clixml,
    /// remoting, jobs), which keep their properties but not their type. One type for every cmdlet that takes a
    /// target, bound through <see cref="IrisTargetTransformationAttribute"/>.
    /// </summary>
    public sealed class IrisTarget
    {
        private IrisTarget(IrisTargetKind kind, string name)
        {
            Kind = kind;
            Name = name;
        }

        public IrisTargetKind Kind { get; private set; }

        /// <summary>The cluster name for a cluster; the container name for a node; the text for a name.</summary>
        public string Name { get; private set; }

        /// <summary>The cluster a node belongs to, if any.</summary>
        public string? Cluster { get; private set; }

        /// <summary>A node's role, when it is known.</summary>
        public EcpRole? Role { get; private set; }

        /// <summary>The cluster's namespace (for a cluster).</summary>
        public string? Namespace { get; private set; }

        /// <summary>The Docker engine the object came from, when it says.</summary>
        public string? DockerHost { get; private set; }

        /// <summary>A cluster's nodes, data server first.</summary>
        public IReadOnlyList<IrisTarget> Nodes { get; private set; } = Array.Empty<IrisTarget>();

        /// <summary>A cluster's data server node, if it has one.</summary>
        public IrisTarget? DataServer => Nodes.FirstOrDefault(n => n.Role == EcpRole.Data);

        /// <summary>The cluster this target names or belongs to: a cluster's own name, a node's cluster, or the text.</summary>
        public string? ClusterName => Kind == IrisTargetKind.Node ? Cluster : Name;

        public override string ToString() => Name;

        public static IrisTarget FromName(string name)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "InvalidTargetName", "A target name is empty.", name);
            }

            return new IrisTarget(IrisTargetKind.Name, name.Trim());
        }

        /// <summary>Any supported object, live or deserialized; throws UnsupportedInputObject for anything else.</summary>
        public static IrisTarget From(object? item)
        {
            object? value = item is PSObject wrapped ? wrapped.BaseObject : item;
            switch (value)
            {
                case string text:
                    return FromName(text);
                case IrisEcpCluster cluster:
                    return new IrisTarget(IrisTargetKind.Cluster, cluster.Name)
                    {
                        Namespace = cluster.Namespace,
                        DockerHost = cluster.DockerHost,
                        Nodes = cluster.Nodes.Select(FromNode).ToList(),
                    };
                case IrisEcpNode node:
                    return FromNode(node);
                case IrisUpgradeResult result:
                    return new IrisTarget(IrisTargetKind.Node, result.Node) { Cluster = result.Cluster, Role = RoleOf(result.Role.ToString(), result.Cluster) };
                case ContainerDetails details:
                    return FromName(details.Name);
                case ContainerSummary summary:
                    return FromName(summary.Name);
            }

            if (item != null)
            {
                IrisTarget? restored = FromProperties(PSObject.AsPSObject(item));
                if (restored != null)
                {
                    return restored;
                }
            }

            throw new IrisOpsException(IrisErrorKind.InvalidArgument, "UnsupportedInputObject",
                $"Give a name, a cluster or node object (New-IrisEcpCluster, Get-IrisEcpCluster, also after Export-Clixml/Import-Clixml) or an upgrade result, not {Describe(item)}.", item);
        }

        // What the refused object is, in the words of a script author: its properties, not a .NET type name.
        private static string Describe(object? item)
        {
            if (item == null)
            {
                return "nothing (null)";
            }

            var properties = PSObject.AsPSObject(item).Properties.Select(p => p.Name).Take(6).ToList();
            return properties.Count == 0 ? "'" + item + "'" : "an object with the properties " + string.Join(", ", properties);
        }

        private static IrisTarget FromNode(IrisEcpNode node) =>
            new IrisTarget(IrisTargetKind.Node, node.Name) { Cluster = node.Cluster, Role = node.Role, DockerHost = node.DockerHost };

        // A deserialized object keeps its properties: tell the shapes apart by the properties each one has.
        private static IrisTarget? FromProperties(PSObject input)
        {
            string? Text(PSObject source, string name) => source.Properties[name]?.Value?.ToString();
            PSObject? Child(PSObject source, string name) => source.Properties[name]?.Value is object child ? PSObject.AsPSObject(child) : null;

            // Serialized shallower than the nodes (PSSerializer's default depth), a node is only its name.
            string? NodeName(PSObject node) => node.BaseObject as string ?? Text(node, "Name");

            string? name = Text(input, "Name");
            if (name != null && input.Properties["DataServer"] != null && input.Properties["ApplicationServers"] != null)
            {
                // The cluster says which node is which: its DataServer is the data server, whatever the node's own Role says.
                var nodes = new List<IrisTarget>();
                PSObject? data = Child(input, "DataServer");
                if (data != null && NodeName(data) is string dataName)
                {
                    nodes.Add(new IrisTarget(IrisTargetKind.Node, dataName) { Cluster = name, Role = EcpRole.Data, DockerHost = Text(data, "DockerHost") });
                }

                object? apps = input.Properties["ApplicationServers"]?.Value;
                foreach (object? app in (apps is PSObject wrapped ? wrapped.BaseObject : apps) as IEnumerable ?? Array.Empty<object>())
                {
                    if (app != null && NodeName(PSObject.AsPSObject(app)) is string appName)
                    {
                        nodes.Add(new IrisTarget(IrisTargetKind.Node, appName) { Cluster = name, Role = EcpRole.App, DockerHost = Text(PSObject.AsPSObject(app), "DockerHost") });
                    }
                }

                return new IrisTarget(IrisTargetKind.Cluster, name) { Namespace = Text(input, "Namespace"), DockerHost = Text(input, "DockerHost"), Nodes = nodes };
            }

            if (name != null && input.Properties["Role"] != null)
            {
                return new IrisTarget(IrisTargetKind.Node, name) { Cluster = Text(input, "Cluster"), Role = RoleOf(Text(input, "Role"), Text(input, "Cluster")), DockerHost = Text(input, "DockerHost") };
            }

            string? node = Text(input, "Node");
            if (node != null && input.Properties["FromImage"] != null)
            {
                return new IrisTarget(IrisTargetKind.Node, node) { Cluster = Text(input, "Cluster"), Role = RoleOf(Text(input, "Role"), Text(input, "Cluster")) };
            }

            return null;
        }

        private static EcpRole? RoleOf(string? role, string? cluster) =>
            cluster == null ? (EcpRole?)null : string.Equals(role, "Data", StringComparison.OrdinalIgnoreCase) ? EcpRole.Data : EcpRole.App;
    }

    /// <summary>Turns whatever a user gives (names, live or deserialized objects, arrays of them) into <see cref="IrisTarget"/>s.</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class IrisTargetTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object? value = inputData is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : inputData;
            var items = value is IEnumerable list && !(value is string) && !(value is IDictionary) ? list.Cast<object?>() : new[] { inputData };
            try
            {
                return items.Where(i => i != null).Select(IrisTarget.From).ToArray();
            }
            catch (IrisOpsException ex)
            {
                throw new ArgumentTransformationMetadataException(ex.Message, ex);
            }
        }
    }

    /// <summary>The parameter-set names every cmdlet that takes a target uses: by name, or by object.</summary>
    public static class TargetParameterSets
    {
        public const string Name = "Name";
        public const string InputObject = "InputObject";
    }
}
