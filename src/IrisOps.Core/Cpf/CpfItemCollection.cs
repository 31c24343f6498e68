using System;
using System.Collections.ObjectModel;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Cpf
{
    /// <summary>
    /// The items of a section block or of the preamble. It keeps the model valid as it is edited: actions only
    /// in [Actions], Key=Value entries only in other sections, only comments and blank lines before the first
    /// section, and every item in one place at a time.
    /// </summary>
    public sealed class CpfItemCollection : Collection<CpfItem>
    {
        private readonly CpfSection? section;

        internal CpfItemCollection(CpfSection? section)
        {
            this.section = section;
        }

        protected override void InsertItem(int index, CpfItem item)
        {
            Adopt(item);
            base.InsertItem(index, item);
        }

        protected override void SetItem(int index, CpfItem item)
        {
            CpfItem previous = this[index];
            if (ReferenceEquals(previous, item))
            {
                return;
            }

            Adopt(item);
            Release(previous);
            base.SetItem(index, item);
        }

        protected override void RemoveItem(int index)
        {
            Release(this[index]);
            base.RemoveItem(index);
        }

        protected override void ClearItems()
        {
            foreach (CpfItem item in this)
            {
                Release(item);
            }

            base.ClearItems();
        }

        private void Adopt(CpfItem item)
        {
            if (item == null)
            {
                throw new ArgumentNullException(nameof(item));
            }

            if (item.Attached)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidOperation, "CpfItemInUse",
                    $"'{item}' already belongs to a section; add a copy made with Clone() instead.", item);
            }

            if (section == null && (item is CpfEntry || item is CpfAction))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "CpfItemOutsideSection",
                    $"'{item}' must be in a section; only comments and blank lines come before the first section.", item);
            }

            if (section != null && section.IsActions && item is CpfEntry entry)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "CpfEntryInActions",
                    $"'{entry}' is a Key=Value entry; [Actions] only holds ActionName:Property=Value lines.", item);
            }

            if (section != null && !section.IsActions && item is CpfAction action)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "CpfActionOutsideActions",
                    $"The action {action.Action} belongs in [Actions], not in [{section.Name}].", item);
            }

            item.Owner = section;
            item.Attached = true;
        }

        private static void Release(CpfItem item)
        {
            item.Owner = null;
            item.Attached = false;
        }
    }
}
