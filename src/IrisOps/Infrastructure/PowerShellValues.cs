using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.Management.Automation;
using IrisOps.Core.Errors;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// PowerShell objects stop here: PSObject wrappers, [pscustomobject] and hashtables become plain .NET values
    /// (ordered dictionaries, lists, strings, numbers, booleans) that IrisOps.Core understands.
    /// </summary>
    internal static class PowerShellValues
    {
        private const int MaximumDepth = 32;

        /// <summary>A plain copy of a value: dictionaries and custom objects become OrderedDictionary, lists List.</summary>
        public static object? ToPlain(object? value) => ToPlain(value, 0);

        /// <summary>The properties of an input object, in order, with plain values.</summary>
        public static List<KeyValuePair<string, object?>> ToPropertyBag(PSObject input)
        {
            var bag = new List<KeyValuePair<string, object?>>();
            if (input.BaseObject is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    bag.Add(new KeyValuePair<string, object?>(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty, ToPlain(entry.Value, 1)));
                }

                return bag;
            }

            foreach (PSPropertyInfo property in input.Properties)
            {
                bag.Add(new KeyValuePair<string, object?>(property.Name, ToPlain(ReadProperty(property), 1)));
            }

            return bag;
        }

        private static object? ToPlain(object? value, int depth)
        {
            if (depth > MaximumDepth)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "InputTooDeep", $"The input is nested deeper than {MaximumDepth} levels; does an object refer to itself?");
            }

            if (value is PSObject wrapped)
            {
                if (wrapped.BaseObject is PSCustomObject)
                {
                    var properties = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
                    foreach (PSPropertyInfo property in wrapped.Properties)
                    {
                        properties[property.Name] = ToPlain(ReadProperty(property), depth + 1);
                    }

                    return properties;
                }

                value = wrapped.BaseObject;
            }

            switch (value)
            {
                case null:
                    return null;
                case string _:
                    return value;
                case IDictionary dictionary:
                    var copy = new OrderedDictionary();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        copy[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty] = ToPlain(entry.Value, depth + 1);
                    }

                    return copy;
                case IEnumerable items:
                    var list = new List<object?>();
                    foreach (object? item in items)
                    {
                        list.Add(ToPlain(item, depth + 1));
                    }

                    return list;
                default:
                    return value;
            }
        }

        private static object? ReadProperty(PSPropertyInfo property)
        {
            try
            {
                return property.Value;
            }
            catch (GetValueException ex)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "InputPropertyUnreadable", $"The property {property.Name} cannot be read: {ex.Message}", property.Name, ex);
            }
        }
    }
}
