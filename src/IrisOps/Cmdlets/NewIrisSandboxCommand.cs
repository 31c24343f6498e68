using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;
using IrisOps.Core.Sandboxes;
using IrisOps.Infrastructure;

namespace IrisOps.Cmdlets
{
    /// <summary>
    /// New-IrisSandbox: one IRIS container per owner (or -Count), each on its own network, created in parallel
    /// (at most -ThrottleLimit at once) once every pipeline row has been read and checked.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "IrisSandbox", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IrisSandbox))]
    public sealed class NewIrisSandboxCommand : IrisDockerCmdlet
    {
        private readonly List<SandboxSpec> specs = new List<SandboxSpec>();
        private readonly Dictionary<string, SandboxTemplate> templates = new Dictionary<string, SandboxTemplate>(StringComparer.Ordinal);

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Owner { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ImageCompleter))]
        public string? Image { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateNotNull]
        public object? Template { get; set; }

        [Parameter]
        public TimeSpan Lifetime { get; set; }

        [Parameter]
        public SandboxState State { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? LicenseKeyPath { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? MergeFile { get; set; }

        [Parameter]
        [ValidateNotNull]
        public object? Memory { get; set; }

        [Parameter]
        [ValidateRange(0.01, 256)]
        public double Cpu { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? PublishAddress { get; set; }

        /// <summary>Fixed host ports for one sandbox: the superserver's, then the web port's.</summary>
        [Parameter]
        [ValidateCount(1, 2)]
        [ValidateRange(1, 65535)]
        public int[]? PublishPort { get; set; }

        [Parameter]
        [ValidateRange(1, 100)]
        public int Count { get; set; } = 1;

        [Parameter]
        [ValidateRange(1, 100)]
        public int MaxPerOwner { get; set; }

        [Parameter]
        [ValidateNotNull]
        public Hashtable? Label { get; set; }

        [Parameter]
        [ValidateRange(1, 32)]
        public int ThrottleLimit { get; set; } = IrisDefaults.SandboxThrottleLimit;

        [Parameter]
        [ValidateRange(1, 86400)]
        public int HealthTimeout { get; set; } = IrisDefaults.HealthTimeoutSeconds;

        /// <summary>Each row is checked as it comes (a bad owner is that row's error); nothing is created before every row is read.</summary>
        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            var request = new SandboxRequest
            {
                Owner = Owner,
                Template = await TemplateAsync().ConfigureAwait(false),
                Image = Image,
                Lifetime = Invocation.IsBound(nameof(Lifetime)) ? Lifetime : (TimeSpan?)null,
                State = Invocation.IsBound(nameof(State)) ? State : (SandboxState?)null,
                MemoryBytes = Memory == null ? (long?)null : SandboxValues.Memory(PowerShellValues.ToPlain(Memory)!, "-Memory", "-Memory"),
                Cpu = Invocation.IsBound(nameof(Cpu)) ? Cpu : (double?)null,
                MergeFile = MergeFile == null ? null : await ResolveFileSystemPathAsync(MergeFile, nameof(MergeFile)).ConfigureAwait(false),
                LicenseKeyPath = LicenseKeyPath == null ? null : await ResolveFileSystemPathAsync(LicenseKeyPath, nameof(LicenseKeyPath)).ConfigureAwait(false),
                PublishAddress = PublishAddress,
                PublishPort = PublishPort,
                Count = Count,
                MaxPerOwner = Invocation.IsBound(nameof(MaxPerOwner)) ? MaxPerOwner : (int?)null,
                Labels = (Label ?? new Hashtable()).Cast<DictionaryEntry>().ToDictionary(
                    e => Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? string.Empty,
                    e => Convert.ToString(PowerShellValues.ToPlain(e.Value), CultureInfo.InvariantCulture) ?? string.Empty,
                    StringComparer.Ordinal),
            };
            specs.Add(SandboxSpecResolver.Resolve(request));
        }

        protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
        {
            try
            {
                await CreateAllAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                ReleaseEngine();
            }
        }

        private async Task CreateAllAsync(CancellationToken cancellationToken)
        {
            if (specs.Count == 0)
            {
                return;
            }

            var creator = new SandboxCreator(DockerEngine, Reporter) { HealthTimeout = TimeSpan.FromSeconds(HealthTimeout) };
            foreach (string image in specs.Select(s => s.Image).Distinct(StringComparer.Ordinal))
            {
                await creator.CheckImageAsync(image, cancellationToken).ConfigureAwait(false);
            }

            // Numbers and limits are decided one row after the other, so two rows of one owner never take the same name.
            ISandboxClock clock = SandboxClockHook.Clock;
            var approved = new List<SandboxPlan>();
            foreach (SandboxSpec spec in specs)
            {
                IReadOnlyList<SandboxPlan> plans;
                try
                {
                    plans = await creator.PlanAsync(spec, clock.UtcNow, cancellationToken).ConfigureAwait(false);
                }
                catch (IrisOpsException error)
                {
                    Error(error, spec.Owner);
                    continue;
                }

                foreach (SandboxPlan plan in plans)
                {
                    string what = plan.Describe();
                    if (await ShouldProcessAsync(what, what + " Continue?", "New-IrisSandbox").ConfigureAwait(false))
                    {
                        approved.Add(plan);
                    }
                }
            }

            await CreateInParallelAsync(creator, approved, clock, cancellationToken).ConfigureAwait(false);
        }

        private async Task CreateInParallelAsync(SandboxCreator creator, IReadOnlyList<SandboxPlan> plans, ISandboxClock clock, CancellationToken cancellationToken)
        {
            int done = 0;
            using (var slots = new SemaphoreSlim(ThrottleLimit))
            {
                Reporter.Progress("New-IrisSandbox", $"Creating {plans.Count} sandbox(es), {ThrottleLimit} at a time", 0);
                await Task.WhenAll(plans.Select(async plan =>
                {
                    await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                    try
                    {
                        Verbose($"Creating sandbox {plan.Name} for owner '{plan.Owner}'.");
                        Emit(await creator.CreateAsync(plan, clock, cancellationToken).ConfigureAwait(false));
                    }
                    catch (IrisOpsException error)
                    {
                        Error(error, plan.Name);
                    }
                    finally
                    {
                        slots.Release();
                        int finished = Interlocked.Increment(ref done);
                        Reporter.Progress("New-IrisSandbox", $"{finished} of {plans.Count} sandbox(es) done ({plan.Name})", 100 * finished / Math.Max(1, plans.Count));
                    }
                })).ConfigureAwait(false);
            }
        }

        private async Task<SandboxTemplate?> TemplateAsync()
        {
            object? value = Template is PSObject wrapped ? wrapped.BaseObject : Template;
            switch (value)
            {
                case null:
                    return null;
                case SandboxTemplate template:
                    return template;
                case IDictionary _:
                    return SandboxTemplateArgument.FromHashtable(value, await ResolveFileSystemPathAsync(".", nameof(Template)).ConfigureAwait(false));
                default:
                    string path = await ResolveFileSystemPathAsync(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, nameof(Template)).ConfigureAwait(false);
                    if (!templates.TryGetValue(path, out SandboxTemplate? loaded))
                    {
                        loaded = SandboxTemplateArgument.FromFile(path);
                        templates[path] = loaded;
                    }

                    return loaded;
            }
        }
    }
}
