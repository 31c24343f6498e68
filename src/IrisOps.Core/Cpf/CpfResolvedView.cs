using System;
using System.Collections.Generic;
using System.Linq;

namespace IrisOps.Core.Cpf
{
    /// <summary>
    /// A document as IRIS applies it: repeated sections are one section, and for a repeated key the last
    /// occurrence wins (keeping the position where the key first appeared). Actions are listed in file order;
    /// IRIS itself runs them in its own fixed order.
    /// </summary>
    public sealed class CpfResolvedView
    {
        private readonly List<string> sectionNames = new List<string>();
        private readonly Dictionary<string, Dictionary<string, CpfEntry>> winners = new Dictionary<string, Dictionary<string, CpfEntry>>(StringComparer.Ordinal);

        internal CpfResolvedView(CpfDocument document)
        {
            var order = new List<(string Section, string Key)>();
            foreach (CpfSection section in document.Sections.Where(s => !s.IsActions))
            {
                if (!winners.TryGetValue(section.Name, out Dictionary<string, CpfEntry>? keys))
                {
                    keys = new Dictionary<string, CpfEntry>(StringComparer.Ordinal);
                    winners.Add(section.Name, keys);
                    sectionNames.Add(section.Name);
                }

                foreach (CpfEntry entry in section.Items.OfType<CpfEntry>())
                {
                    if (!keys.ContainsKey(entry.Name))
                    {
                        order.Add((section.Name, entry.Name));
                    }

                    keys[entry.Name] = entry;
                }
            }

            Entries = order.Select(o => winners[o.Section][o.Key]).ToList();
            Actions = document.Actions;
        }

        /// <summary>The plain sections, each once, in the order they first appear.</summary>
        public IReadOnlyList<string> SectionNames => sectionNames;

        /// <summary>The winning entry of every key.</summary>
        public IReadOnlyList<CpfEntry> Entries { get; }

        public IReadOnlyList<CpfAction> Actions { get; }

        public string? Get(string section, string key) =>
            winners.TryGetValue(CpfSectionNames.Canonical(section), out Dictionary<string, CpfEntry>? keys) && keys.TryGetValue(key, out CpfEntry? entry)
                ? entry.Value
                : null;

        /// <summary>The winning values of one section, in first-appearance order.</summary>
        public IReadOnlyList<CpfEntry> GetSection(string section)
        {
            string name = CpfSectionNames.Canonical(section);
            return Entries.Where(e => e.Section == name).ToList();
        }
    }
}
