using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Cpf
{
    /// <summary>
    /// A CPF or CPF merge file as an ordered model: comments before the first section, then section blocks in
    /// file order (repeats allowed), each with its entries, actions, comments and blank lines. Built by
    /// <see cref="CpfParser"/> or in code, written by <see cref="CpfWriter"/>; every part of IrisOps that emits
    /// CPF text goes through this model.
    /// </summary>
    public sealed class CpfDocument
    {
        public CpfDocument()
        {
            Preamble = new CpfItemCollection(null);
        }

        /// <summary>The file it was read from; null when built in code.</summary>
        public string? Path { get; set; }

        /// <summary>Comments and blank lines before the first section header.</summary>
        public CpfItemCollection Preamble { get; }

        /// <summary>The section blocks in file order. A name can repeat; see <see cref="Resolve"/>.</summary>
        public Collection<CpfSection> Sections { get; } = new Collection<CpfSection>();

        /// <summary>Every [Actions] line, in file order.</summary>
        public IReadOnlyList<CpfAction> Actions => Sections.SelectMany(s => s.Items.OfType<CpfAction>()).ToList();

        /// <summary>Every Key=Value line of the plain sections, in file order (repeats included).</summary>
        public IReadOnlyList<CpfEntry> Entries => Sections.SelectMany(s => s.Items.OfType<CpfEntry>()).ToList();

        /// <summary>The value IRIS would use for a key: the last occurrence in any block of the section; null if unset.</summary>
        public string? Get(string section, string key) => FindLastEntry(CpfSectionNames.Canonical(section), key)?.Value;

        /// <summary>
        /// Sets a key: changes the occurrence that wins today (the last one), or adds the key to the last block of
        /// the section, adding the section at the end when the document has none.
        /// </summary>
        public CpfEntry Set(string section, string key, string value)
        {
            string name = CpfSectionNames.Canonical(section);
            if (CpfSectionNames.IsActions(name))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "CpfEntryInActions",
                    "[Actions] holds actions, not Key=Value entries; use AddAction.", section);
            }

            CpfEntry? existing = FindLastEntry(name, key);
            if (existing != null)
            {
                existing.Value = value;
                return existing;
            }

            var entry = new CpfEntry(key, value);
            GetOrAddSection(name).AddInOrder(entry);
            return entry;
        }

        /// <summary>Sets a key from a number or boolean, written the way IRIS expects (invariant culture, 1/0).</summary>
        public CpfEntry Set(string section, string key, object value) => Set(section, key, CpfValues.ToText(value));

        /// <summary>Adds a section block at the end.</summary>
        public CpfSection AddSection(string name)
        {
            var section = new CpfSection(name);
            Sections.Add(section);
            return section;
        }

        /// <summary>The last block with this name, or a new block at the end.</summary>
        public CpfSection GetOrAddSection(string name)
        {
            string canonical = CpfSectionNames.Canonical(name);
            return Sections.LastOrDefault(s => s.Name == canonical) ?? AddSection(canonical);
        }

        /// <summary>Adds an action to the last [Actions] block: AddAction("CreateDatabase", ("Name", "APPDATA"), ("Directory", "/d")).</summary>
        public CpfAction AddAction(string action, params (string Name, string Value)[] properties) => AddAction(new CpfAction(action, properties));

        /// <summary>Adds an action whose properties come from a dictionary, in its order (use an ordered dictionary).</summary>
        public CpfAction AddAction(string action, IDictionary properties)
        {
            var item = new CpfAction(action);
            foreach (DictionaryEntry property in properties)
            {
                item.Properties.Add(Convert.ToString(property.Key, CultureInfo.InvariantCulture) ?? string.Empty, CpfValues.ToText(property.Value));
            }

            return AddAction(item);
        }

        public CpfAction AddAction(CpfAction action)
        {
            GetOrAddSection(CpfSectionNames.Actions).AddInOrder(action);
            return action;
        }

        /// <summary>Removes an entry, action or comment wherever it is.</summary>
        public bool Remove(CpfItem item)
        {
            if (Preamble.Remove(item))
            {
                return true;
            }

            return Sections.Any(section => section.Items.Remove(item));
        }

        /// <summary>Appends copies of another document's lines: its preamble, then its section blocks.</summary>
        public void Append(CpfDocument other)
        {
            foreach (CpfItem item in other.Preamble)
            {
                if (Sections.Count == 0)
                {
                    Preamble.Add(item.Clone());
                }
                else
                {
                    Sections[Sections.Count - 1].Items.Add(item.Clone());
                }
            }

            foreach (CpfSection section in other.Sections)
            {
                Sections.Add(section.Clone());
            }
        }

        /// <summary>What IRIS would apply: for each key the last value, and every action.</summary>
        public CpfResolvedView Resolve() => new CpfResolvedView(this);

        public CpfDocument Clone()
        {
            var copy = new CpfDocument { Path = Path };
            copy.Append(this);
            return copy;
        }

        public override string ToString()
        {
            string origin = Path ?? "CPF document";
            return $"{origin}: {Sections.Count} section block(s), {Entries.Count} entr{(Entries.Count == 1 ? "y" : "ies")}, {Actions.Count} action(s)";
        }

        private CpfEntry? FindLastEntry(string canonicalSection, string key)
        {
            for (int i = Sections.Count - 1; i >= 0; i--)
            {
                if (Sections[i].Name == canonicalSection)
                {
                    CpfEntry? entry = Sections[i].FindEntry(key);
                    if (entry != null)
                    {
                        return entry;
                    }
                }
            }

            return null;
        }
    }
}
