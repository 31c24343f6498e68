using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Cpf
{
    /// <summary>
    /// One [Section] header and the lines under it, up to the next header. A merge file may repeat a section:
    /// each repetition is its own block, and for a key set in several blocks the last one wins.
    /// </summary>
    public sealed class CpfSection
    {
        public CpfSection(string name)
        {
            if (string.IsNullOrEmpty(name))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "CpfSectionNameEmpty", "A section needs a name, e.g. config or Actions.", name);
            }

            Name = CpfSectionNames.Canonical(name);
            Items = new CpfItemCollection(this);
        }

        /// <summary>The canonical name, without brackets: config, Startup, Actions, Map.APP.</summary>
        public string Name { get; }

        public bool IsActions => Name == CpfSectionNames.Actions;

        /// <summary>Entries, actions, comments and blank lines, in file order.</summary>
        public CpfItemCollection Items { get; }

        public IReadOnlyList<CpfEntry> Entries => Items.OfType<CpfEntry>().ToList();

        public IReadOnlyList<CpfAction> Actions => Items.OfType<CpfAction>().ToList();

        /// <summary>Where the header was read from; null when built in code.</summary>
        public CpfSource? Source { get; set; }

        public int? Line => Source?.Line;

        /// <summary>The last entry with this key in this block, or null.</summary>
        public CpfEntry? FindEntry(string key) => Items.OfType<CpfEntry>().LastOrDefault(e => e.Name == key);

        /// <summary>
        /// Adds an item after the last entry or action, so it lands before the blank lines and comments that
        /// usually separate this block from the next header.
        /// </summary>
        public void AddInOrder(CpfItem item)
        {
            int index = Items.Count;
            while (index > 0 && (Items[index - 1] is CpfBlankLine || Items[index - 1] is CpfComment))
            {
                index--;
            }

            Items.Insert(index == 0 ? Items.Count : index, item);
        }

        public CpfSection Clone()
        {
            var copy = new CpfSection(Name) { Source = Source };
            foreach (CpfItem item in Items)
            {
                copy.Items.Add(item.Clone());
            }

            return copy;
        }

        public override string ToString() => "[" + Name + "]";
    }
}
