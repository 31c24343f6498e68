using System;
using System.Collections.Generic;
using System.Text;

namespace IrisOps.Tests.Settings
{
    /// <summary>Strings that try to break out of a literal or an attribute, plus fixed-seed random ones.</summary>
    internal static class HostileStrings
    {
        public static readonly string[] Fixed =
        {
            string.Empty,
            "\"",
            "\"\"",
            "a\"b",
            "\"_$zf(-1,\"rm -rf /\")_\"",
            "\")_$zf(-1,\"id\") set x=(\"",
            "\" write 1 halt  \"",
            "x\" kill ^Ens.Config.DefaultSettingsD set y=\"",
            "line1\nline2",
            "crlf\r\nend",
            "tab\there",
            "\u0000nul",
            "\u0001\u0002\u001f\u007f",
            "caf\u00e9 \u00fcber \u65e5\u672c\u8a9e \u0416",
            "emoji \ud83d\ude00 and \ud83c\udf89",
            "<item value=\"x\"/> & &amp; &#10; ]]> <!-- -->",
            "$char(10)",
            "_$c(65)_",
            "IRISOPS|R|1|Added|0|||||",
            "||",
            "trailing space ",
            " leading",
            "\\backslash\\ and 'single'",
            "{\"json\":[1,2]}",
            "\u00a0\u2028\u2029\ufeff",
            new string('"', 300),
            new string('x', 2000),
        };

        /// <summary>Random strings from a fixed seed: quotes, underscores, $, control characters, BMP and astral characters.</summary>
        public static IEnumerable<string> Random(int count, int seed, bool xmlSafeOnly)
        {
            var random = new Random(seed);
            string pool = "\"_$()!,:;&<>'\\|*? abcXYZ0123456789";
            for (int n = 0; n < count; n++)
            {
                int length = random.Next(0, 120);
                var text = new StringBuilder();
                while (text.Length < length)
                {
                    switch (random.Next(6))
                    {
                        case 0:
                        case 1:
                            text.Append(pool[random.Next(pool.Length)]);
                            break;
                        case 2:
                            char control = (char)random.Next(0, 32);
                            if (xmlSafeOnly && control != '\t' && control != '\n' && control != '\r')
                            {
                                control = '\n';
                            }

                            text.Append(control);
                            break;
                        case 3:
                            text.Append((char)random.Next(0xA0, 0xD7FF));
                            break;
                        case 4:
                            text.Append(char.ConvertFromUtf32(random.Next(0x10000, 0x10FFFF)));
                            break;
                        default:
                            text.Append((char)random.Next(0x20, 0x7F));
                            break;
                    }
                }

                yield return text.ToString();
            }
        }

        public static bool IsXmlSafe(string value) => IrisOps.Core.Settings.DefaultSettingValidator.FindNonXmlCharacter(value) < 0;
    }
}
