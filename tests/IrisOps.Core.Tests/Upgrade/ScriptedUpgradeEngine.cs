using System;
using System.Collections.Generic;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Core.Errors;
using IrisOps.Tests.Docker;

namespace IrisOps.Tests.Upgrade
{
    /// <summary>
    /// An engine that models just what an image upgrade does: containers with a state and a durable mount whose
    /// files live in memory (shared by every container that mounts it, as a volume is), images, the archive API,
    /// and the restore helper's "empty the mount". Every call is logged as "verb container[ detail]"; one call can
    /// be scripted to fail or to cancel the caller's token.
    /// </summary>
    public sealed class ScriptedUpgradeEngine : UnsupportedDockerEngine
    {
        public const string OldImage = "app:1";
        public const string NewImage = "app:2";
        public const string DurableTarget = "/dur";
        private readonly Dictionary<string, FakeContainer> containers = new Dictionary<string, FakeContainer>(StringComparer.Ordinal);
        private readonly Dictionary<string, Dictionary<string, byte[]>> volumes = new Dictionary<string, Dictionary<string, byte[]>>(StringComparer.Ordinal);
        private readonly Dictionary<string, ImageDetails> images = new Dictionary<string, ImageDetails>(StringComparer.Ordinal);
        private int nextId;
        private readonly List<(string Call, Exception? Error, CancellationTokenSource? Cancel)> scripted = new List<(string, Exception?, CancellationTokenSource?)>();

        public ScriptedUpgradeEngine()
        {
            AddImage(OldImage, "sha256:old");
            AddImage(NewImage, "sha256:new");
        }

        public List<string> Calls { get; } = new List<string>();

        /// <summary>The calls that change something, in order (what a rollback is judged by).</summary>
        public IEnumerable<string> Changes => Calls.Where(IsChange);

        public static bool IsChange(string call) => call.Split(' ')[0] is "stop" or "start" or "rename" or "create" or "remove" or "copy-to";

        /// <summary>Health of containers created from the new image.</summary>
        public bool NewImageHealthy { get; set; } = true;

        public string NewContainerLog { get; set; } = "new instance started\nsomething went wrong";

        /// <summary>The exit code docker stop leaves (iris-main's is not documented; a clean shutdown may still exit non-zero).</summary>
        public long StopExitCode { get; set; }

        public ImageDetails AddImage(string name, string id)
        {
            var image = new ImageDetails { Id = id, RepoTags = new List<string> { name }, Environment = new List<string> { "ISC_PACKAGE_INSTALLDIR=/usr/irissys" } };
            images[name] = image;
            images[id] = image;
            return image;
        }

        /// <summary>A running (or stopped) node on durable %SYS: ISC_DATA_DIRECTORY=/dur/iconfig on the volume "{name}-durable".</summary>
        public void AddNode(string name, bool running = true, bool durable = true, IDictionary<string, string>? labels = null)
        {
            var spec = new ContainerSpec { Name = name, Image = OldImage };
            if (durable)
            {
                spec.Environment["ISC_DATA_DIRECTORY"] = DurableTarget + "/iconfig";
                spec.Mounts.Add(new MountSpec { Kind = MountKind.Volume, Source = name + "-durable", Target = DurableTarget });
                volumes[name + "-durable"] = new Dictionary<string, byte[]>(StringComparer.Ordinal)
                {
                    ["dur/iconfig/iris.cpf"] = Encoding.UTF8.GetBytes("[Databases]\nUSER=/dur/iconfig/mgr/user/\n"),
                    ["dur/iconfig/mgr/IRIS.DAT"] = Encoding.UTF8.GetBytes("old data of " + name),
                };
            }

            foreach (KeyValuePair<string, string> label in labels ?? new Dictionary<string, string>())
            {
                spec.Labels[label.Key] = label.Value;
            }

            containers[name] = new FakeContainer("id-" + name, "sha256:old", spec) { Running = running, Health = running ? "healthy" : "none" };
        }

        public FakeContainer? Container(string name) => containers.TryGetValue(name, out FakeContainer? container) ? container : null;

        public IReadOnlyDictionary<string, byte[]> Durable(string node) => volumes[node + "-durable"];

        public void PutDurableFile(string node, string path, string text) => volumes[node + "-durable"][path] = Encoding.UTF8.GetBytes(text);

        /// <summary>The next call logged as <paramref name="call"/> throws <paramref name="error"/> (once; several may be scripted).</summary>
        public void FailOn(string call, Exception? error = null) =>
            scripted.Add((call, error ?? new IrisOpsException(IrisErrorKind.InvalidOperation, "FakeFailure", "boom", call), null));

        /// <summary>The next call logged as <paramref name="call"/> cancels <paramref name="source"/> and then observes it, as the real engine does.</summary>
        public void CancelOn(string call, CancellationTokenSource source) => scripted.Add((call, null, source));

        private void Log(string call, CancellationToken cancellationToken)
        {
            Calls.Add(call);
            int index = scripted.FindIndex(s => s.Call == call);
            if (index < 0)
            {
                return;
            }

            (string _, Exception? error, CancellationTokenSource? cancel) = scripted[index];
            scripted.RemoveAt(index);
            if (cancel != null)
            {
                cancel.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
                throw new InvalidOperationException("The scripted cancellation was not given the caller's token: " + call);
            }

            throw error!;
        }

        private FakeContainer Get(string name) => Container(name)
            ?? throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "DockerObjectNotFound", $"No such container: {name}", name);

        /// <summary>
        /// An inspection; the first one after a start is where the engine's health check gives its verdict (the
        /// container reports "starting" until then), logged as "health container" so a test can fail or cancel it.
        /// </summary>
        public override Task<ContainerDetails?> InspectContainerAsync(string nameOrId, CancellationToken cancellationToken)
        {
            Log("inspect " + nameOrId, cancellationToken);
            FakeContainer? container = Container(nameOrId);
            if (container != null && container.Running && container.Health == "starting")
            {
                Log("health " + nameOrId, cancellationToken);
                container.Health = container.HealthAfterStart;
            }

            return Task.FromResult(container?.Details());
        }

        // Not logged: a listing changes nothing.
        public override Task<IList<ContainerSummary>> ListContainersAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken)
        {
            IList<ContainerSummary> found = containers.Values
                .Where(c => labels.All(label => c.Spec.Labels.TryGetValue(label.Key, out string? value) && (label.Value == null || label.Value == value)))
                .Select(c => new ContainerSummary { Id = c.Id, Name = c.Name, State = c.Running ? "running" : "exited", Labels = new Dictionary<string, string>(c.Spec.Labels, StringComparer.Ordinal) })
                .ToList();
            return Task.FromResult(found);
        }

        public override Task<ImageDetails?> InspectImageAsync(string nameOrId, CancellationToken cancellationToken)
        {
            Log("inspect-image " + nameOrId, cancellationToken);
            return Task.FromResult(images.TryGetValue(nameOrId, out ImageDetails? image) ? image : null);
        }

        public override Task<ExecResult> ExecAsync(string nameOrId, ExecRequest request, CancellationToken cancellationToken)
        {
            Log("exec " + nameOrId + " " + request.Command[0], cancellationToken);
            return Task.FromResult(request.Command[0] == "du" ? new ExecResult { StandardOutput = "8\t/dur\n" } : new ExecResult { StandardOutput = "script ran" });
        }

        public override Task<bool> StopContainerAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Log("stop " + nameOrId, cancellationToken);
            FakeContainer container = Get(nameOrId);
            bool was = container.Running;
            container.Running = false;
            container.Health = "none";
            container.ExitCode = StopExitCode;
            return Task.FromResult(was);
        }

        public override Task RenameContainerAsync(string nameOrId, string newName, CancellationToken cancellationToken)
        {
            Log("rename " + nameOrId + " " + newName, cancellationToken);
            FakeContainer container = Get(nameOrId);
            if (containers.ContainsKey(newName))
            {
                throw new IrisOpsException(IrisErrorKind.ResourceExists, "DockerConflict", $"The name {newName} is in use.", newName);
            }

            containers.Remove(nameOrId);
            container.Name = newName;
            containers[newName] = container;
            return Task.CompletedTask;
        }

        public override Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
        {
            Log("create " + spec.Name, cancellationToken);
            if (containers.ContainsKey(spec.Name))
            {
                throw new IrisOpsException(IrisErrorKind.ResourceExists, "DockerConflict", $"The name {spec.Name} is in use.", spec.Name);
            }

            ImageDetails image = images.TryGetValue(spec.Image, out ImageDetails? found) ? found
                : throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "DockerObjectNotFound", $"No such image: {spec.Image}", spec.Image);
            var container = new FakeContainer("id-new-" + ++nextId, image.Id, spec);
            containers[spec.Name] = container;
            return Task.FromResult(container.Id);
        }

        public override Task StartContainerAsync(string nameOrId, CancellationToken cancellationToken)
        {
            Log("start " + nameOrId, cancellationToken);
            FakeContainer container = Get(nameOrId);
            container.Running = true;
            bool isNew = container.ImageId == "sha256:new";
            container.Health = "starting";
            container.HealthAfterStart = isNew && !NewImageHealthy ? "unhealthy" : "healthy";
            if (container.Spec.Labels.ContainsKey("irisops.upgrade.helper"))
            {
                // The restore helper's command: empty the mount, then exit 0.
                VolumeOf(container).Clear();
                container.Running = false;
            }
            else if (isNew)
            {
                // The new version converts the durable data on its first start.
                VolumeOf(container)["dur/iconfig/mgr/IRIS.DAT"] = Encoding.UTF8.GetBytes("converted by the new version");
            }

            return Task.CompletedTask;
        }

        public override Task<long> WaitContainerAsync(string nameOrId, TimeSpan timeout, CancellationToken cancellationToken)
        {
            Log("wait " + nameOrId, cancellationToken);
            return Task.FromResult(0L);
        }

        public override Task<string> GetContainerLogsAsync(string nameOrId, int tailLines, CancellationToken cancellationToken)
        {
            Log("logs " + nameOrId, cancellationToken);
            return Task.FromResult(Get(nameOrId).ImageId == "sha256:new" ? NewContainerLog : string.Empty);
        }

        public override Task<bool> RemoveContainerAsync(string nameOrId, bool force, bool removeAnonymousVolumes, CancellationToken cancellationToken)
        {
            Log("remove " + nameOrId, cancellationToken);
            return Task.FromResult(containers.Remove(nameOrId));
        }

        public override Task CopyFromContainerAsync(string nameOrId, string path, Stream destination, CancellationToken cancellationToken)
        {
            Log("copy-from " + nameOrId + " " + path, cancellationToken);
            FakeContainer container = Get(nameOrId);
            Dictionary<string, byte[]>? volume = container.Spec.Mounts.Count == 0 ? null : VolumeOf(container);
            string relative = path.TrimStart('/');
            if (volume != null && path == DurableTarget)
            {
                WriteArchive(volume, destination);
                return Task.CompletedTask;
            }

            if (volume != null && volume.TryGetValue(relative, out byte[]? content))
            {
                WriteArchive(new Dictionary<string, byte[]> { [Path.GetFileName(relative)] = content }, destination, withRoot: false);
                return Task.CompletedTask;
            }

            throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "DockerObjectNotFound", $"Could not find the file {path} in container {nameOrId}", nameOrId);
        }

        public override Task CopyToContainerAsync(string nameOrId, string path, Stream tarArchive, CancellationToken cancellationToken)
        {
            Log("copy-to " + nameOrId + " " + path, cancellationToken);
            Dictionary<string, byte[]> volume = VolumeOf(Get(nameOrId));
            using var reader = new TarReader(tarArchive, leaveOpen: true);
            while (reader.GetNextEntry(copyData: true) is TarEntry entry)
            {
                if (entry.EntryType == TarEntryType.RegularFile && entry.DataStream != null)
                {
                    using var copy = new MemoryStream();
                    entry.DataStream.CopyTo(copy);
                    volume[entry.Name] = copy.ToArray();
                }
            }

            return Task.CompletedTask;
        }

        private Dictionary<string, byte[]> VolumeOf(FakeContainer container) => volumes[container.Spec.Mounts.Single(m => m.Target == DurableTarget).Source];

        // What docker cp sends for a directory: the directory itself ("dur/"), then its files, in a fixed order.
        private static void WriteArchive(IDictionary<string, byte[]> files, Stream destination, bool withRoot = true)
        {
            using var buffer = new MemoryStream();
            using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
            {
                if (withRoot)
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "dur/") { Mode = (UnixFileMode)Convert.ToInt32("755", 8), Uid = 51773, Gid = 51773 });
                }

                foreach (KeyValuePair<string, byte[]> file in files.OrderBy(f => f.Key, StringComparer.Ordinal))
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, file.Key)
                    {
                        Mode = (UnixFileMode)Convert.ToInt32("640", 8),
                        Uid = 51773,
                        Gid = 51773,
                        DataStream = new MemoryStream(file.Value),
                    });
                }
            }

            buffer.Position = 0;
            buffer.CopyTo(destination);
        }

        public sealed class FakeContainer
        {
            public FakeContainer(string id, string imageId, ContainerSpec spec)
            {
                Id = id;
                ImageId = imageId;
                Spec = spec;
                Name = spec.Name;
            }

            public string Id { get; }
            public string Name { get; set; }
            public string ImageId { get; }
            public ContainerSpec Spec { get; }
            public bool Running { get; set; }
            public string Health { get; set; } = "none";

            /// <summary>What the health check says at the first inspection after a start.</summary>
            public string HealthAfterStart { get; set; } = "healthy";
            public long ExitCode { get; set; }

            public ContainerDetails Details() => new ContainerDetails
            {
                Id = Id,
                Name = Name,
                ImageId = ImageId,
                // A snapshot, as the engine's inspect is: the caller must not see later renames.
                Spec = new ContainerSpec
                {
                    Name = Name,
                    Image = Spec.Image,
                    Environment = new Dictionary<string, string>(Spec.Environment, StringComparer.Ordinal),
                    Labels = new Dictionary<string, string>(Spec.Labels, StringComparer.Ordinal),
                    Mounts = Spec.Mounts.Select(m => new MountSpec { Kind = m.Kind, Source = m.Source, Target = m.Target, ReadOnly = m.ReadOnly }).ToList(),
                },
                State = new ContainerStateInfo { Running = Running, Status = Running ? "running" : "exited", ExitCode = ExitCode, Health = Health },
            };
        }
    }
}
