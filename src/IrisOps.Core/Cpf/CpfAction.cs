using System;
using System.Collections.Generic;
using System.Linq;

namespace IrisOps.Core.Cpf
{
    /// <summary>
    /// An [Actions] line, ActionName:Property=Value,Property=Value, such as
    /// CreateDatabase:Name=APPDATA,Directory=/durable/appdata. Properties keep their order.
    /// </summary>
    public sealed class CpfAction : CpfItem
    {
        private string action;

        public CpfAction(string action)
        {
            this.action = action ?? throw new ArgumentNullException(nameof(action));
        }

        public CpfAction(string action, IEnumerable<CpfProperty> properties)
            : this(action)
        {
            foreach (CpfProperty property in properties)
            {
                Properties.Add(new CpfProperty(property.Name, property.Value));
            }
        }

        public CpfAction(string action, params (string Name, string Value)[] properties)
            : this(action)
        {
            foreach (var (name, value) in properties)
            {
                Properties.Add(name, value);
            }
        }

        /// <summary>The action name, e.g. CreateDatabase.</summary>
        public string Action
        {
            get => action;
            set => action = value ?? throw new ArgumentNullException(nameof(value));
        }

        /// <summary>Always "Actions": actions only live in the [Actions] section.</summary>
        public string Section => CpfSectionNames.Actions;

        public CpfPropertyList Properties { get; } = new CpfPropertyList();

        /// <summary>A property value by name (case-insensitive); null when absent. Setting null removes it.</summary>
        public string? this[string property]
        {
            get => Properties[property];
            set => Properties[property] = value;
        }

        public override CpfItem Clone() => new CpfAction(Action, Properties) { Source = Source };

        /// <summary>The line as the writer would format it (without the writer's checks).</summary>
        public override string ToString() =>
            Action + ":" + string.Join(",", Properties.Select(p => p.Name + "=" + CpfWriter.FormatActionValue(p.Value)));
    }
}
