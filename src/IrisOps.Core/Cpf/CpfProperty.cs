using System;
using System.Collections.ObjectModel;
using System.Linq;

namespace IrisOps.Core.Cpf
{
    /// <summary>One Property=Value of an [Actions] line. The value is unquoted: the writer adds quotes when needed.</summary>
    public sealed class CpfProperty
    {
        private string value;

        public CpfProperty(string name, string value)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            this.value = value ?? throw new ArgumentNullException(nameof(value));
        }

        public string Name { get; }

        public string Value
        {
            get => value;
            set => this.value = value ?? throw new ArgumentNullException(nameof(value));
        }

        public override string ToString() => Name + "=" + Value;
    }

    /// <summary>
    /// The ordered properties of an action. Look-ups by name ignore case, as PowerShell users expect; the
    /// names keep the spelling they were given, which is what IRIS sees.
    /// </summary>
    public sealed class CpfPropertyList : Collection<CpfProperty>
    {
        /// <summary>The value of a property, or null when the action does not have it.</summary>
        public string? this[string name]
        {
            get => Find(name)?.Value;
            set
            {
                if (value == null)
                {
                    Remove(name);
                }
                else
                {
                    Set(name, value);
                }
            }
        }

        public CpfProperty? Find(string name) => this.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

        public bool Contains(string name) => Find(name) != null;

        /// <summary>Changes the value of an existing property, or adds the property at the end.</summary>
        public CpfProperty Set(string name, string value)
        {
            CpfProperty? existing = Find(name);
            if (existing != null)
            {
                existing.Value = value;
                return existing;
            }

            var property = new CpfProperty(name, value);
            Add(property);
            return property;
        }

        public void Add(string name, string value) => Add(new CpfProperty(name, value));

        public bool Remove(string name)
        {
            CpfProperty? existing = Find(name);
            return existing != null && Remove(existing);
        }

        protected override void InsertItem(int index, CpfProperty item)
        {
            base.InsertItem(index, item ?? throw new ArgumentNullException(nameof(item)));
        }

        protected override void SetItem(int index, CpfProperty item)
        {
            base.SetItem(index, item ?? throw new ArgumentNullException(nameof(item)));
        }
    }
}
