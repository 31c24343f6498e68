using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Common;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Cpf.Catalog
{
    public sealed class CpfValidationOptions
    {
        /// <summary>Accept action names the catalog does not know (newer IRIS versions add actions).</summary>
        public bool AllowUnknownAction { get; set; }
    }

    /// <summary>
    /// Checks the [Actions] lines of a document against <see cref="CpfActionCatalog"/>: unknown names and missing
    /// required properties are errors (all of them reported at once, each with its file and line), and
    /// CreateDatabase's undocumented Resource= gets a warning.
    /// </summary>
    public static class CpfActionValidator
    {
        public const string UnknownActionId = "UnknownCpfAction";
        public const string MissingPropertyId = "MissingCpfActionProperty";

        public static void Validate(CpfDocument document, CpfValidationOptions? options, IOperationReporter reporter)
        {
            options = options ?? new CpfValidationOptions();
            var problems = new List<(string Id, string Message)>();
            IReadOnlyList<CpfAction> actions = document.Actions;
            for (int i = 0; i < actions.Count; i++)
            {
                CpfAction action = actions[i];
                string where = action.Source?.ToString() ?? $"action {i + 1} ({action.Action})";
                CpfActionDefinition? definition = CpfActionCatalog.Find(action.Action);
                if (definition == null)
                {
                    if (options.AllowUnknownAction)
                    {
                        reporter.Verbose($"{where}: {action.Action} is not in the IrisOps action catalog; kept because of -AllowUnknownAction.");
                        continue;
                    }

                    string? suggestion = CpfActionCatalog.Suggest(action.Action);
                    string hint = suggestion == null ? string.Empty : $" Did you mean {suggestion}?";
                    problems.Add((UnknownActionId,
                        $"{where}: unknown action '{action.Action}'.{hint} IRIS fails or skips a merge action it does not know. If your IRIS version has this action, use -AllowUnknownAction."));
                    continue;
                }

                foreach (string required in definition.RequiredProperties)
                {
                    CpfProperty? property = action.Properties.Find(required);
                    if (property == null)
                    {
                        problems.Add((MissingPropertyId,
                            $"{where}: {action.Action} is missing {required} (it needs {string.Join(", ", definition.RequiredProperties)})."));
                    }
                    else if (!string.Equals(property.Name, required, StringComparison.Ordinal))
                    {
                        problems.Add((MissingPropertyId,
                            $"{where}: {action.Action} has '{property.Name}'; write it as {required}, the property name IRIS knows."));
                    }
                    else if (property.Value.Length == 0)
                    {
                        problems.Add((MissingPropertyId, $"{where}: {action.Action} has an empty {required}; give it a value."));
                    }
                }

                if ((action.Action == "CreateDatabase" || action.Action == "ModifyDatabase") && action.Properties.Find("Resource") is CpfProperty resource)
                {
                    reporter.Warning($"{where}: {action.Action} sets Resource={resource.Value}; the documented property is ResourceName " +
                        $"(public templates write Resource=). It is kept as written; write ResourceName={resource.Value} to follow the documentation.");
                }
            }

            if (problems.Count == 1)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidData, problems[0].Id, problems[0].Message, document.Path);
            }

            if (problems.Count > 1)
            {
                string message = $"{problems.Count} problems with the [Actions] lines:" + string.Concat(problems.Select(p => Environment.NewLine + "  " + p.Message));
                throw new IrisOpsException(IrisErrorKind.InvalidData, problems[0].Id, message, document.Path);
            }
        }
    }
}
