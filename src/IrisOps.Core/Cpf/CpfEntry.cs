using System;

namespace IrisOps.Core.Cpf
{
    /// <summary>
    /// A Key=Value line of a plain section such as [config]. The value is the text after the first '=' exactly
    /// as IRIS reads it: comma lists stay unquoted (globals=0,0,2048,0,0,0) and Key="" is the two characters
    /// IRIS reads as an empty string.
    /// </summary>
    public sealed class CpfEntry : CpfItem
    {
        private readonly string? detachedSection;
        private string value;

        public CpfEntry(string name, string value)
            : this(null, name, value)
        {
        }

        /// <summary>An entry that knows its section before it is added to a document, as pipeline input does.</summary>
        public CpfEntry(string? section, string name, string value)
        {
            detachedSection = section == null ? null : CpfSectionNames.Canonical(section);
            Name = name ?? throw new ArgumentNullException(nameof(name));
            this.value = value ?? throw new ArgumentNullException(nameof(value));
        }

        /// <summary>The section this entry belongs to, e.g. "config".</summary>
        public string? Section => Owner?.Name ?? detachedSection;

        public string Name { get; }

        public string Value
        {
            get => value;
            set => this.value = value ?? throw new ArgumentNullException(nameof(value));
        }

        public override CpfItem Clone() => new CpfEntry(Section, Name, Value) { Source = Source };

        public override string ToString() => Name + "=" + Value;
    }
}
