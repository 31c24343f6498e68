using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;
using System.Threading.Tasks;
using IrisOps.Core.Errors;
using IrisOps.Infrastructure;
using Xunit;

namespace IrisOps.Tests.Infrastructure
{
    /// <summary>Writes from many worker threads at once; records the thread each write really ran on.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "EmitFromWorkers")]
    public sealed class EmitFromWorkersCommand : IrisCmdlet
    {
        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            {
                Reporter.Progress("Test", "item " + i, i * 5);
                Reporter.Verbose("verbose " + i);
                Emit(i);
            }))).ConfigureAwait(false);
        }
    }

    [Cmdlet(VerbsDiagnostic.Test, "Failure")]
    public sealed class FailureCommand : IrisCmdlet
    {
        [Parameter(ValueFromPipeline = true)]
        public string? Item { get; set; }

        [Parameter]
        public SwitchParameter InBegin { get; set; }

        private static IrisOpsException Problem() =>
            new IrisOpsException(IrisErrorKind.ObjectNotFound, "ThingMissing", "The thing is missing; create it first.", "thing");

        protected override Task BeginProcessingAsync(CancellationToken cancellationToken) =>
            InBegin ? throw Problem() : Task.CompletedTask;

        protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            if (Item == "bad")
            {
                throw Problem();
            }

            Emit(Item);
            return Task.CompletedTask;
        }
    }

    [Cmdlet(VerbsDiagnostic.Test, "Stoppable")]
    public sealed class StoppableCommand : IrisCmdlet
    {
        public static readonly ManualResetEventSlim Started = new ManualResetEventSlim();
        public static volatile bool RolledBack;

        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            try
            {
                Started.Set();
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                RolledBack = true;
            }
        }
    }

    [Cmdlet(VerbsDiagnostic.Test, "Confirmation", SupportsShouldProcess = true)]
    public sealed class ConfirmationCommand : IrisCmdlet
    {
        protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
        {
            bool go = await ShouldProcessAsync("the target", "change it").ConfigureAwait(false);
            Emit(go ? "changed" : "not changed");
        }
    }

    public class IrisCmdletTests
    {
        private static PowerShell Shell(params (string Name, Type Type)[] cmdlets)
        {
            InitialSessionState state = InitialSessionState.CreateDefault2();
            foreach (var (name, type) in cmdlets)
            {
                state.Commands.Add(new SessionStateCmdletEntry(name, type, null));
            }

            return PowerShell.Create(state);
        }

        [Fact]
        public void Writes_from_worker_threads_reach_the_pipeline_in_full()
        {
            using PowerShell ps = Shell(("Test-EmitFromWorkers", typeof(EmitFromWorkersCommand)));
            ps.AddCommand("Test-EmitFromWorkers").AddParameter("Verbose");
            var output = ps.Invoke();

            Assert.Equal(Enumerable.Range(0, 20), output.Select(o => (int)o.BaseObject).OrderBy(i => i));
            Assert.Equal(20, ps.Streams.Verbose.Count);
            Assert.True(ps.Streams.Progress.Count >= 20);
            Assert.False(ps.HadErrors);
        }

        [Fact]
        public void An_exception_in_begin_becomes_a_terminating_error_with_its_category_and_id()
        {
            using PowerShell ps = Shell(("Test-Failure", typeof(FailureCommand)));
            ps.AddCommand("Test-Failure").AddParameter("InBegin");
            var thrown = Assert.Throws<CmdletInvocationException>(() => ps.Invoke());
            ErrorRecord record = thrown.ErrorRecord;
            Assert.Equal(ErrorCategory.ObjectNotFound, record.CategoryInfo.Category);
            Assert.StartsWith("ThingMissing", record.FullyQualifiedErrorId);
            Assert.Equal("thing", record.TargetObject);
            Assert.Equal("The thing is missing; create it first.", record.Exception.Message);
        }

        [Fact]
        public void A_failed_pipeline_record_is_a_non_terminating_error_and_the_next_record_goes_on()
        {
            using PowerShell ps = Shell(("Test-Failure", typeof(FailureCommand)));
            ps.AddCommand("Test-Failure");
            var output = ps.Invoke(new[] { "one", "bad", "two" });
            Assert.Equal(new object[] { "one", "two" }, output.Select(o => o.BaseObject));
            ErrorRecord record = ps.Streams.Error.Single();
            Assert.Equal(ErrorCategory.ObjectNotFound, record.CategoryInfo.Category);
            Assert.StartsWith("ThingMissing", record.FullyQualifiedErrorId);
        }

        [Fact]
        public void ErrorAction_Stop_turns_a_record_error_into_a_stop()
        {
            using PowerShell ps = Shell(("Test-Failure", typeof(FailureCommand)));
            ps.AddCommand("Test-Failure").AddParameter("ErrorAction", ActionPreference.Stop);
            Assert.ThrowsAny<RuntimeException>(() => ps.Invoke(new[] { "bad", "never" }));
        }

        [Fact]
        public void Stopping_the_pipeline_cancels_the_work_and_waits_for_its_rollback()
        {
            StoppableCommand.Started.Reset();
            StoppableCommand.RolledBack = false;
            using PowerShell ps = Shell(("Test-Stoppable", typeof(StoppableCommand)));
            ps.AddCommand("Test-Stoppable");
            IAsyncResult running = ps.BeginInvoke();
            Assert.True(StoppableCommand.Started.Wait(TimeSpan.FromSeconds(30)));

            ps.Stop();

            Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
            Assert.True(StoppableCommand.RolledBack);
            Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        }

        [Fact]
        public void ShouldProcess_from_a_worker_thread_honours_WhatIf()
        {
            using PowerShell ps = Shell(("Test-Confirmation", typeof(ConfirmationCommand)));
            ps.AddCommand("Test-Confirmation").AddParameter("WhatIf");
            Assert.Equal("not changed", ps.Invoke().Single().BaseObject);

            ps.Commands.Clear();
            ps.AddCommand("Test-Confirmation").AddParameter("Confirm", false);
            Assert.Equal("changed", ps.Invoke().Single().BaseObject);
        }
    }
}
