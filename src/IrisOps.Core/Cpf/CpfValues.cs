using System;
using System.Collections;
using System.Globalization;
using System.Linq;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Cpf
{
    /// <summary>Turns plain .NET values into CPF value text: invariant numbers, booleans as 1/0, lists comma-joined.</summary>
    public static class CpfValues
    {
        public static string ToText(object? value)
        {
            switch (value)
            {
                case null:
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, "CpfValueNull", "A CPF value cannot be null; give \"\" for an empty string.");
                case string text:
                    return text;
                case bool flag:
                    return flag ? "1" : "0";
                case char c:
                    return c.ToString();
                case Enum e:
                    return e.ToString();
                case IFormattable formattable when IsNumber(value):
                    return formattable.ToString(null, CultureInfo.InvariantCulture);
                case IDictionary _:
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, "CpfValueType",
                        "A table of keys and values cannot be written as one CPF value; give a string, a number, a boolean or a list of those.", value);
                case IEnumerable list:
                    // IRIS lists are comma-separated (Roles="%SQL,%DB_USER"); the writer quotes the result.
                    return string.Join(",", list.Cast<object?>().Select(ToText));
                default:
                    throw new IrisOpsException(IrisErrorKind.InvalidArgument, "CpfValueType",
                        $"A value of type {value.GetType().FullName} cannot be written to a CPF; give a string, a number, a boolean or a list of those.", value);
            }
        }

        private static bool IsNumber(object value) =>
            value is byte || value is sbyte || value is short || value is ushort || value is int || value is uint
            || value is long || value is ulong || value is float || value is double || value is decimal;
    }
}
