using System;
using System.Collections.Generic;
using System.Linq;

namespace IrisOps.Core.Common
{
    /// <summary>"Did you mean ...?" for names the user typed: the closest known names within a few edits.</summary>
    internal static class Spelling
    {
        public static string? Suggest(string typed, IEnumerable<string> known)
        {
            List<string> candidates = known.ToList();
            string? sameLetters = candidates.FirstOrDefault(name => string.Equals(name, typed, StringComparison.OrdinalIgnoreCase));
            if (sameLetters != null)
            {
                return sameLetters;
            }

            int limit = Math.Min(3, Math.Max(1, typed.Length / 3));
            string lower = typed.ToLowerInvariant();
            var close = candidates
                .Select(name => (Name: name, Distance: Distance(lower, name.ToLowerInvariant())))
                .Where(candidate => candidate.Distance <= limit)
                .ToList();
            if (close.Count == 0)
            {
                return null;
            }

            // Equally close names are all offered: ModifySevice may be ModifyService or ModifyDevice.
            int best = close.Min(candidate => candidate.Distance);
            return string.Join(" or ", close.Where(c => c.Distance == best).Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal).Take(3));
        }

        /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
        public static int Distance(string a, string b)
        {
            var d = new int[a.Length + 1, b.Length + 1];
            for (int i = 0; i <= a.Length; i++)
            {
                d[i, 0] = i;
            }

            for (int j = 0; j <= b.Length; j++)
            {
                d[0, j] = j;
            }

            for (int i = 1; i <= a.Length; i++)
            {
                for (int j = 1; j <= b.Length; j++)
                {
                    int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                    d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                    if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    {
                        d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                    }
                }
            }

            return d[a.Length, b.Length];
        }
    }
}
