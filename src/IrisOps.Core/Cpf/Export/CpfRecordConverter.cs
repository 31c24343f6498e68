using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Cpf.Export
{
    /// <summary>
    /// Turns a flat property bag (what a PowerShell object becomes in the cmdlet layer) into a CPF line:
    /// <c>Action = 'CreateDatabase'; Name = 'APPDATA'; Directory = '...'</c> is an [Actions] line whose other
    /// properties become action properties in order; <c>Section = 'config'; Name = 'MaxServerConn'; Value = 3</c>
    /// is a section entry. A null property is left out; lists become comma lists.
    /// </summary>
    public static class CpfRecordConverter
    {
        public const string InvalidInputId = "InvalidCpfInput";

        public static CpfItem FromProperties(IReadOnlyList<KeyValuePair<string, object?>> properties, CpfSource source)
        {
            KeyValuePair<string, object?>? action = Find(properties, "Action");
            KeyValuePair<string, object?>? section = Find(properties, "Section");
            if (action != null && section != null)
            {
                throw Error(source, "has both an Action and a Section property; an [Actions] line has Action, a section entry has Section, Name and Value.");
            }

            if (action != null)
            {
                return ToAction(action.Value.Value, properties.Where(p => !Is(p.Key, "Action")), source);
            }

            if (section != null)
            {
                return ToEntry(section.Value.Value, properties, source);
            }

            string names = properties.Count == 0 ? "no properties"
                : "the properties " + string.Join(", ", properties.Take(8).Select(p => p.Key)) + (properties.Count > 8 ? ", ..." : string.Empty);
            throw Error(source, $"has {names}. Give an Action property for an [Actions] line (e.g. Action='CreateDatabase'; Name='APPDATA'; Directory='...'), or Section, Name and Value for a section entry.");
        }

        private static CpfAction ToAction(object? name, IEnumerable<KeyValuePair<string, object?>> properties, CpfSource source)
        {
            if (!(name is string text) || text.Length == 0)
            {
                throw Error(source, "needs the action name as a string in Action, e.g. Action='CreateDatabase'.");
            }

            var action = new CpfAction(text) { Source = source };
            foreach (KeyValuePair<string, object?> property in properties)
            {
                if (property.Value != null)
                {
                    action.Properties.Add(property.Key, Text(property.Value, property.Key, source));
                }
            }

            return action;
        }

        private static CpfEntry ToEntry(object? section, IReadOnlyList<KeyValuePair<string, object?>> properties, CpfSource source)
        {
            KeyValuePair<string, object?>? extra = properties.Cast<KeyValuePair<string, object?>?>()
                .FirstOrDefault(p => !Is(p!.Value.Key, "Section") && !Is(p.Value.Key, "Name") && !Is(p.Value.Key, "Value"));
            if (extra != null)
            {
                throw Error(source, $"has the property {extra.Value.Key}; a section entry has only Section, Name and Value.");
            }

            if (!(section is string sectionName) || sectionName.Length == 0)
            {
                throw Error(source, "needs the section name as a string in Section, e.g. Section='config'.");
            }

            if (CpfSectionNames.IsActions(sectionName))
            {
                throw Error(source, "has Section='Actions'; give [Actions] lines as objects with an Action property instead.");
            }

            object? name = Find(properties, "Name")?.Value;
            if (!(name is string key) || key.Length == 0)
            {
                throw Error(source, "needs the key as a string in Name, e.g. Name='MaxServerConn'.");
            }

            object? value = Find(properties, "Value")?.Value;
            if (value == null)
            {
                throw Error(source, $"needs a Value for {key}; give \"\" for an empty string.");
            }

            return new CpfEntry(sectionName, key, Text(value, "Value", source)) { Source = source };
        }

        private static string Text(object value, string property, CpfSource source)
        {
            try
            {
                return CpfValues.ToText(value);
            }
            catch (IrisOpsException ex)
            {
                throw Error(source, $"property {property}: {ex.Message}");
            }
        }

        private static KeyValuePair<string, object?>? Find(IReadOnlyList<KeyValuePair<string, object?>> properties, string name) =>
            properties.Where(p => Is(p.Key, name)).Cast<KeyValuePair<string, object?>?>().FirstOrDefault();

        private static bool Is(string key, string name) => string.Equals(key, name, StringComparison.OrdinalIgnoreCase);

        private static IrisOpsException Error(CpfSource source, string problem) =>
            new IrisOpsException(IrisErrorKind.InvalidArgument, InvalidInputId, $"{source}: the object {problem}", source.Name);
    }
}
