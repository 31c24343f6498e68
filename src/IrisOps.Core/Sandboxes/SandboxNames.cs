using System;
using System.Globalization;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Sandboxes
{
    /// <summary>
    /// Owner names and the Docker names derived from them. A sandbox is sandbox-&lt;owner&gt;-&lt;n&gt;: the
    /// number after the last hyphen has no hyphen itself, so two different (owner, n) pairs never give the same
    /// name ("ann" 21 is sandbox-ann-21, "ann-2" 1 is sandbox-ann-2-1). Its network and volumes add a fixed suffix.
    /// </summary>
    public static class SandboxNames
    {
        public const string Prefix = "sandbox-";

        /// <summary>The owner as stored: lowercase, checked against <see cref="IrisNames.OwnerRule"/>; wildcards are refused.</summary>
        public static string NormalizeOwner(string? owner)
        {
            string lower = (owner ?? string.Empty).ToLowerInvariant();
            if (!IrisNames.IsOwnerName(lower))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "InvalidSandboxOwner",
                    $"The owner '{owner}' is not a sandbox owner name ({IrisNames.OwnerRule}); wildcards are not accepted. Use a short user name such as 'ann' or 'ann-smith'.", owner);
            }

            return lower;
        }

        public static string Container(string owner, int index) => Prefix + owner + "-" + index.ToString(CultureInfo.InvariantCulture);

        public static string Network(string sandbox) => sandbox + "-net";

        public static string DataVolume(string sandbox) => sandbox + "-data";

        public static string LicenseVolume(string sandbox) => sandbox + "-license";

        /// <summary>The number of a sandbox of this owner, or null when the name is not one of the owner's.</summary>
        public static int? IndexOf(string owner, string sandbox)
        {
            string start = Prefix + owner + "-";
            if (!sandbox.StartsWith(start, StringComparison.Ordinal))
            {
                return null;
            }

            string rest = sandbox.Substring(start.Length);
            return rest.Length > 0 && rest.Length < 6 && int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index > 0 && rest[0] != '0'
                ? index
                : (int?)null;
        }
    }
}
