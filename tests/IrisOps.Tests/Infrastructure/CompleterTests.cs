using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Docker;
using IrisOps.Infrastructure;
using IrisOps.Tests.Docker;
using Xunit;

namespace IrisOps.Tests.Infrastructure
{
    /// <summary>Tab completion: each completer offers what the engine has, filtered by the typed prefix, and never hangs or throws.</summary>
    public sealed class CompleterTests
    {
        [Fact]
        public void Cluster_names_come_from_the_cluster_label_once_each_without_the_prepare_container()
        {
            var engine = new ListingEngine
            {
                Containers =
                {
                    Container("shop-data", "irisops-standin:v1", ("irisops.cluster", "shop"), ("irisops.role", "data")),
                    Container("shop-app-1", "irisops-standin:v1", ("irisops.cluster", "shop"), ("irisops.role", "app")),
                    Container("shop-prepare-1a2b3c", "irisops-standin:v1", ("irisops.cluster", "shop"), ("irisops.role", "prepare")),
                    Container("stock-data", "iris:2025.1", ("irisops.cluster", "stock"), ("irisops.role", "data")),
                },
            };
            List<CompletionResult> all = Complete(new ClusterNameCompleter(_ => engine), string.Empty);
            Assert.Equal(new[] { "shop", "stock" }, all.Select(r => r.CompletionText));
            Assert.Equal("shop: 2 node(s), irisops-standin:v1", all[0].ToolTip);
            Assert.Equal(new[] { "stock" }, Complete(new ClusterNameCompleter(_ => engine), "st").Select(r => r.CompletionText));
            Assert.All(engine.LabelFilters, f => Assert.Equal(new[] { "irisops.cluster" }, f.Keys));
        }

        [Fact]
        public void Images_are_local_tags_filtered_by_prefix()
        {
            var engine = new ListingEngine { Images = { "irisops-standin:v1", "irisops-standin:v2", "intersystems/iris:2025.1" } };
            Assert.Equal(new[] { "irisops-standin:v1", "irisops-standin:v2" }, Complete(new ImageCompleter(_ => engine), "irisops").Select(r => r.CompletionText));
            Assert.Equal(3, Complete(new ImageCompleter(_ => engine), string.Empty).Count);
        }

        [Fact]
        public void Containers_are_all_containers_for_updates_and_running_ones_for_sessions()
        {
            var engine = new ListingEngine
            {
                Containers = { Container("iris-a", "iris:1", state: "running"), Container("iris-b", "iris:1", state: "exited"), Container("odd name", "x", state: "running") },
            };
            Assert.Equal(new[] { "iris-a", "iris-b", "'odd name'" }, Complete(new ContainerCompleter(_ => engine), string.Empty).Select(r => r.CompletionText));
            Assert.Equal(new[] { "iris-a" }, Complete(new RunningContainerCompleter(_ => engine), "iris").Select(r => r.CompletionText));
        }

        [Fact]
        public void Passes_DockerHost_to_the_engine()
        {
            string? seen = null;
            var engine = new ListingEngine();
            Complete(new ImageCompleter(host => { seen = host; return engine; }), string.Empty, new Hashtable { ["DockerHost"] = "tcp://127.0.0.1:1" });
            Assert.Equal("tcp://127.0.0.1:1", seen);
        }

        [Fact]
        public void An_engine_that_fails_or_hangs_completes_nothing_within_the_budget()
        {
            Assert.Empty(Complete(new ClusterNameCompleter(_ => new ListingEngine { Fail = true }), string.Empty));
            Assert.Empty(Complete(new ImageCompleter(_ => throw new InvalidOperationException("no engine")), string.Empty));
            var watch = Stopwatch.StartNew();
            Assert.Empty(Complete(new ContainerCompleter(_ => new ListingEngine { Hang = true }), string.Empty));
            Assert.True(watch.Elapsed < EngineCompleter.Budget + TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        }

        private static List<CompletionResult> Complete(IArgumentCompleter completer, string word, IDictionary? bound = null) =>
            completer.CompleteArgument("Any-Command", "Name", word, null!, bound ?? new Hashtable()).ToList();

        private static ContainerSummary Container(string name, string image, params (string Key, string Value)[] labels) => Container(name, image, "running", labels);

        private static ContainerSummary Container(string name, string image, string state, params (string Key, string Value)[] labels) => new ContainerSummary
        {
            Name = name,
            Image = image,
            State = state,
            Status = state,
            Labels = labels.ToDictionary(l => l.Key, l => l.Value),
        };

        private sealed class ListingEngine : UnsupportedDockerEngine
        {
            public ListingEngine()
                : base(null)
            {
            }

            public List<ContainerSummary> Containers { get; } = new List<ContainerSummary>();
            public List<string> Images { get; } = new List<string>();
            public List<IDictionary<string, string?>> LabelFilters { get; } = new List<IDictionary<string, string?>>();
            public bool Fail { get; set; }
            public bool Hang { get; set; }

            public override void Dispose()
            {
            }

            public override async Task<IList<ContainerSummary>> ListContainersAsync(IDictionary<string, string?> labels, CancellationToken cancellationToken)
            {
                await Misbehave(cancellationToken).ConfigureAwait(false);
                LabelFilters.Add(labels);
                return Containers.Where(c => labels.All(l => c.Labels.TryGetValue(l.Key, out string? v) && (l.Value == null || v == l.Value))).ToList();
            }

            public override async Task<IList<string>> ListImageTagsAsync(CancellationToken cancellationToken)
            {
                await Misbehave(cancellationToken).ConfigureAwait(false);
                return Images;
            }

            private async Task Misbehave(CancellationToken cancellationToken)
            {
                if (Fail)
                {
                    throw new Core.Errors.IrisOpsException(Core.Errors.IrisErrorKind.ConnectionError, "DockerUnreachable", "no engine", null);
                }

                if (Hang)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
