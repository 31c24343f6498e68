using System;
using System.Globalization;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Sandboxes
{
    /// <summary>The value rules of sandbox settings, the same for a template and for parameters.</summary>
    public static class SandboxValues
    {
        /// <summary>The smallest memory limit the Docker engine accepts (docker run --memory: 6 MB).</summary>
        public const long MinimumMemoryBytes = 6L * 1024 * 1024;

        /// <summary>A lifetime: a TimeSpan or its text (08:00:00, 1.00:00:00), at least one second and at most 366 days.</summary>
        public static TimeSpan Lifetime(object value, string what, string source)
        {
            TimeSpan span;
            if (value is TimeSpan given)
            {
                span = given;
            }
            else if (!TimeSpan.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, out span))
            {
                throw SandboxTemplate.Invalid(source, $"{what} '{value}' is not a time span; write it as hours:minutes:seconds (08:00:00) or days.hours:minutes:seconds (2.00:00:00).");
            }

            if (span < TimeSpan.FromSeconds(1) || span > TimeSpan.FromDays(366))
            {
                throw SandboxTemplate.Invalid(source, $"{what} must be between 1 second and 366 days; {span} was given.");
            }

            return span;
        }

        public static bool Boolean(object value, string what, string source)
        {
            if (value is bool flag)
            {
                return flag;
            }

            switch ((Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty).Trim().ToLowerInvariant())
            {
                case "true":
                case "yes":
                    return true;
                case "false":
                case "no":
                    return false;
                default:
                    throw SandboxTemplate.Invalid(source, $"{what} must be true or false, not '{value}'.");
            }
        }

        public static T Enum<T>(string text, string what, string source)
            where T : struct
        {
            if (System.Enum.TryParse(text, ignoreCase: true, out T parsed) && System.Enum.IsDefined(typeof(T), parsed) && !int.TryParse(text, out _))
            {
                return parsed;
            }

            throw SandboxTemplate.Invalid(source, $"{what} must be one of {string.Join(", ", System.Enum.GetNames(typeof(T)))}, not '{text}'.");
        }

        /// <summary>Bytes as a number, or text with a unit as docker run --memory takes it (512m, 2g) or as PowerShell writes it (512MB, 2GB).</summary>
        public static long Memory(object value, string what, string source)
        {
            long bytes;
            if (value is long || value is int || value is double || value is decimal)
            {
                bytes = Convert.ToInt64(value, CultureInfo.InvariantCulture);
            }
            else
            {
                string text = (Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty).Trim().ToLowerInvariant();
                if (text.EndsWith("b", StringComparison.Ordinal) && text.Length > 1 && char.IsLetter(text[text.Length - 2]))
                {
                    text = text.Substring(0, text.Length - 1);
                }

                long unit = 1;
                char last = text.Length > 0 ? text[text.Length - 1] : ' ';
                switch (last)
                {
                    case 'k': unit = 1024; break;
                    case 'm': unit = 1024 * 1024; break;
                    case 'g': unit = 1024L * 1024 * 1024; break;
                }

                string number = unit == 1 ? text : text.Substring(0, text.Length - 1);
                if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count > long.MaxValue / unit)
                {
                    throw SandboxTemplate.Invalid(source, $"{what} '{value}' is not a memory size; write bytes or a size such as 512MB or 2GB.");
                }

                bytes = count * unit;
            }

            if (bytes < MinimumMemoryBytes)
            {
                throw SandboxTemplate.Invalid(source, $"{what} must be at least 6MB (the Docker engine's minimum); {bytes} bytes was given.");
            }

            return bytes;
        }

        /// <summary>CPUs as docker run --cpus takes them (0.5, 2), more than 0 and at most 256.</summary>
        public static double Cpu(object value, string what, string source)
        {
            if (!double.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out double cpus) || cpus <= 0 || cpus > 256)
            {
                throw SandboxTemplate.Invalid(source, $"{what} must be a number of CPUs above 0 and at most 256 (0.5, 2), not '{value}'.");
            }

            return cpus;
        }

        public static int PerOwner(object value, string what, string source)
        {
            if (!int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1 || count > 100)
            {
                throw SandboxTemplate.Invalid(source, $"{what} must be a whole number from 1 to 100, not '{value}'.");
            }

            return count;
        }

        /// <summary>docker run --cpus as the engine's NanoCPUs.</summary>
        public static long NanoCpus(double cpus) => (long)Math.Round(cpus * 1e9);
    }
}
