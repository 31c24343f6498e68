using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// One input row of the default-settings cmdlets, read from the whole pipeline object (a CSV line, a
    /// hashtable, an IrisDefaultSetting): the documented ValueFromPipeline binding hands the cmdlet the object,
    /// and a property is given for this row exactly when the object has it. The names are the parameter names or
    /// the short names of the %Export XML (production, item, class, setting, value, description).
    /// </summary>
    public sealed class SettingRow
    {
        private readonly object? source;

        private SettingRow(object? source)
        {
            this.source = source;
        }

        internal static SettingRow From(PSObject? input) => new SettingRow(input?.BaseObject is IDictionary dictionary ? (object)dictionary : input);

        /// <summary>The property's text, or null when the row does not have it.</summary>
        public string? Text(string name, string shortName)
        {
            object? value = Value(name, shortName, out bool found);
            if (!found)
            {
                return null;
            }

            value = value is PSObject wrapped ? wrapped.BaseObject : value;
            return value == null ? string.Empty : Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        }

        /// <summary>The property as a boolean (true/false, 1/0, yes/no; empty is false), or null when the row does not have it.</summary>
        public bool? Flag(string name)
        {
            object? value = Value(name, name, out bool found);
            return found ? BooleanText.Parse(value) : (bool?)null;
        }

        /// <summary>The property's value as it is (a hashtable stays a hashtable), or null when the row does not have it.</summary>
        public object? Raw(string name, out bool found)
        {
            object? value = Value(name, name, out found);
            return value is PSObject wrapped ? wrapped.BaseObject : value;
        }

        /// <summary>Every property of the row (or key of a hashtable row), in order.</summary>
        public IEnumerable<KeyValuePair<string, object?>> Properties()
        {
            if (source is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    yield return new KeyValuePair<string, object?>(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, entry.Value);
                }
            }
            else if (source is PSObject row)
            {
                foreach (PSPropertyInfo property in row.Properties)
                {
                    object? value;
                    try
                    {
                        value = property.Value;
                    }
                    catch (GetValueException)
                    {
                        continue; // a property whose getter throws is not row data
                    }

                    yield return new KeyValuePair<string, object?>(property.Name, value);
                }
            }
        }

        private object? Value(string name, string shortName, out bool found)
        {
            found = false;
            if (source is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    string key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                    if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) || string.Equals(key, shortName, StringComparison.OrdinalIgnoreCase))
                    {
                        found = true;
                        return entry.Value;
                    }
                }

                return null;
            }

            if (source is PSObject row)
            {
                PSPropertyInfo? property = row.Properties[name] ?? row.Properties[shortName];
                if (property != null)
                {
                    found = true;
                    return property.Value;
                }
            }

            return null;
        }
    }

    /// <summary>Booleans as CSV files and people write them: true/false, 1/0, yes/no; an empty cell is false.</summary>
    internal static class BooleanText
    {
        public static bool Parse(object? input)
        {
            object? value = input is PSObject wrapped ? wrapped.BaseObject : input;
            switch (value)
            {
                case null:
                    return false;
                case bool flag:
                    return flag;
                case SwitchParameter switchParameter:
                    return switchParameter.IsPresent;
                case int number:
                    return number != 0;
                case long number:
                    return number != 0;
                case string text:
                    switch (text.Trim().ToLowerInvariant())
                    {
                        case "true":
                        case "$true":
                        case "1":
                        case "yes":
                        case "y":
                            return true;
                        case "false":
                        case "$false":
                        case "0":
                        case "no":
                        case "n":
                        case "":
                            return false;
                    }

                    throw new FormatException($"'{text}' is not true or false; use true, false, 1, 0, yes or no.");
                default:
                    throw new FormatException($"a {value.GetType().Name} is not true or false; use true, false, 1, 0, yes or no.");
            }
        }
    }
}
