using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// What a cmdlet's worker may know about its invocation, copied on the pipeline thread when a phase begins
    /// (MyInvocation and session state may only be read there). Immutable, so any thread can read it.
    /// </summary>
    public sealed class InvocationSnapshot
    {
        public static readonly InvocationSnapshot Empty = new InvocationSnapshot(string.Empty, false, new HashSet<string>(StringComparer.OrdinalIgnoreCase), false, false);

        private readonly ISet<string> bound;

        private InvocationSnapshot(string commandName, bool expectingInput, ISet<string> bound, bool whatIf, bool debug)
        {
            Debug = debug;
            CommandName = commandName;
            ExpectingInput = expectingInput;
            this.bound = bound;
            WhatIf = whatIf;
        }

        public string CommandName { get; }

        /// <summary>Input comes from the pipeline (InvocationInfo.ExpectingInput).</summary>
        public bool ExpectingInput { get; }

        /// <summary>-WhatIf was given, or $WhatIfPreference is set (about_Preference_Variables).</summary>
        public bool WhatIf { get; }

        /// <summary>Debug messages are shown: -Debug was given, or $DebugPreference is neither SilentlyContinue nor Ignore.</summary>
        public bool Debug { get; }

        /// <summary>Whether the parameter was bound when the phase began (in BeginProcessing: on the command line).</summary>
        public bool IsBound(string parameterName) => bound.Contains(parameterName);

        internal static InvocationSnapshot Take(PSCmdlet cmdlet)
        {
            InvocationInfo invocation = cmdlet.MyInvocation;
            var bound = new HashSet<string>(invocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
            bool whatIf = invocation.BoundParameters.TryGetValue("WhatIf", out object? given)
                ? LanguagePrimitives.IsTrue(given)
                : LanguagePrimitives.IsTrue(cmdlet.GetVariableValue("WhatIfPreference"));
            bool debug = invocation.BoundParameters.TryGetValue("Debug", out object? debugGiven)
                ? LanguagePrimitives.IsTrue(debugGiven)
                : !(cmdlet.GetVariableValue("DebugPreference") is ActionPreference preference) || (preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore);
            return new InvocationSnapshot(invocation.MyCommand?.Name ?? string.Empty, invocation.ExpectingInput, bound, whatIf, debug);
        }
    }
}
