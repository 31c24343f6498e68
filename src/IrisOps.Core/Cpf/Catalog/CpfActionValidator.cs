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
    /// required properties are errors (all of them reported at once, each with its file and line). A missing
    /// property that the synopsis lists without calling it required is reported as verbose output, except
    /// ModifySystem's Name=, which is a warning, and CreateDatabase's undocumented Resource= is a warning too. Warnings are given once per line read from a file: a document imported and then
    /// exported is not warned about twice.
    /// </summary>
    public static class CpfActionValidator
    {
        public const string UnknownActionId = "UnknownCpfAction";
        public const string MissingPropertyId = "MissingCpfActionProperty";

        public static void Validate(CpfDocument document, CpfValidationOptions? options, IOperationReporter reporter)
        {
            options = options ?? new CpfValidationOptions();
            var problems = new List<(string Id, string Message)>();
            var warnings = new List<(CpfSource? Source, string Message)>();
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

                string needs = Needs(definition);
                foreach (string required in definition.RequiredProperties)
                {
                    string? problem = CheckRequired(action, required, definition.MayBeEmpty.Contains(required), needs);
                    if (problem != null)
                    {
                        problems.Add((MissingPropertyId, $"{where}: {problem}"));
                    }
                }

                if (definition.Alternatives.Count > 0)
                {
                    string? problem = CheckAlternatives(action, definition, needs);
                    if (problem != null)
                    {
                        problems.Add((MissingPropertyId, $"{where}: {problem}"));
                    }
                }

                // Public templates routinely leave these out (CreateResource without PublicPermission), and so does the
                // layout renderer: a warning on every such line would drown the ones that matter.
                foreach (string listed in definition.ListedProperties.Where(p => !action.Properties.Contains(p)))
                {
                    reporter.Verbose($"{where}: {action.Action} has no {listed}. The Configuration Parameter File Reference lists it in the synopsis " +
                        $"({definition.Synopsis}) but does not call it required; the line is kept as written.");
                }

                // Whether IRIS applies ModifySystem without Name= is not documented; the synopsis writes Name=.
                if (action.Action == "ModifySystem" && !action.Properties.Contains("Name"))
                {
                    warnings.Add((action.Source, $"{where}: ModifySystem has no Name=. The Configuration Parameter File Reference writes it " +
                        "ModifySystem:Name=SYSTEM,...; whether IRIS applies the line without it is not documented. Add Name=SYSTEM."));
                }

                if ((action.Action == "CreateDatabase" || action.Action == "ModifyDatabase") && action.Properties.Find("Resource") is CpfProperty resource)
                {
                    warnings.Add((action.Source, $"{where}: {action.Action} sets Resource={resource.Value}; the documented property is ResourceName " +
                        $"(public templates write Resource=). It is kept as written; write ResourceName={resource.Value} to follow the documentation."));
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

            foreach (IGrouping<CpfSource?, string> line in warnings.GroupBy(w => w.Source, w => w.Message))
            {
                if (line.Key != null && line.Key.ValidationReported)
                {
                    continue;
                }

                foreach (string message in line)
                {
                    reporter.Warning(message);
                }

                if (line.Key != null)
                {
                    line.Key.ValidationReported = true;
                }
            }
        }

        private static string Needs(CpfActionDefinition definition)
        {
            var parts = new List<string>(definition.RequiredProperties);
            if (definition.Alternatives.Count > 0)
            {
                parts.Add(string.Join(" or ", definition.Alternatives.Select(a => string.Join(" with ", a))));
            }

            return string.Join(", ", parts);
        }

        private static string? CheckRequired(CpfAction action, string required, bool mayBeEmpty, string needs)
        {
            CpfProperty? property = action.Properties.Find(required);
            if (property == null)
            {
                return $"{action.Action} is missing {required} (it needs {needs}).";
            }

            if (!string.Equals(property.Name, required, StringComparison.Ordinal))
            {
                return $"{action.Action} has '{property.Name}'; write it as {required}, the property name IRIS knows.";
            }

            if (property.Value.Length == 0 && !mayBeEmpty)
            {
                return $"{action.Action} has an empty {required}; give it a value.";
            }

            return null;
        }

        private static string? CheckAlternatives(CpfAction action, CpfActionDefinition definition, string needs)
        {
            // The form the line started: the first alternative that has any of its properties.
            IReadOnlyList<string>? chosen = definition.Alternatives.FirstOrDefault(a => a.Any(p => action.Properties.Contains(p)));
            if (chosen == null)
            {
                return $"{action.Action} is missing {string.Join(" or ", definition.Alternatives.Select(a => string.Join(" and ", a)))} (it needs {needs}).";
            }

            foreach (string required in chosen)
            {
                string? problem = CheckRequired(action, required, mayBeEmpty: false, needs);
                if (problem != null)
                {
                    return problem;
                }
            }

            IReadOnlyList<string>? other = definition.Alternatives.FirstOrDefault(a => a != chosen && a.Any(p => action.Properties.Contains(p)));
            return other == null
                ? null
                : $"{action.Action} has both {string.Join(" and ", chosen.Where(action.Properties.Contains))} and {string.Join(" and ", other.Where(action.Properties.Contains))}; give one form (it needs {needs}).";
        }
    }
}
