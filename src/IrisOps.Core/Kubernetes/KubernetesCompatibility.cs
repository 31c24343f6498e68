using System.Text.RegularExpressions;
using IrisOps.Core.Errors;

namespace IrisOps.Core.Kubernetes
{
    /// <summary>
    /// The compatibilityVersion of an IrisCluster: the operator configures the nodes for that release, and when it is
    /// left out the operator assumes its own default release (Using the InterSystems Kubernetes Operator, "topology:
    /// data"), so a newer image can fail on a setting the older release does not know. IrisOps therefore always
    /// writes it: from the image's version tag (2025.3, 2024.1.0.263.0, 2024.1.1.380.0-linux-amd64), or as given.
    /// </summary>
    public static class KubernetesCompatibility
    {
        private static readonly Regex ReleaseTag = new Regex(@"^(?<year>20[0-9]{2})\.(?<minor>[0-9]{1,2})(\.(?<patch>[0-9]{1,3}))?([.\-].*)?$", RegexOptions.CultureInvariant);

        private static readonly Regex Given = new Regex(@"^20[0-9]{2}\.[0-9]{1,2}\.[0-9]{1,3}$", RegexOptions.CultureInvariant);

        /// <summary>The given version, or the one the image tag names; refuses when neither is there.</summary>
        public static string Resolve(string image, string? given)
        {
            if (given != null)
            {
                CheckGiven(given);
                return given;
            }

            string? derived = FromImage(image);
            if (derived == null)
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "CompatibilityVersionUnknown",
                    $"The tag of image '{image}' does not name an IRIS release (such as 2025.3 or 2024.1.0.263.0), so the IrisCluster's compatibilityVersion cannot be taken from it. Give -CompatibilityVersion (for example 2025.3.0), or use an image tag with the release.", image);
            }

            return derived;
        }

        /// <summary>year.minor.patch from the image's tag, or null when the tag names no release.</summary>
        public static string? FromImage(string image)
        {
            string reference = image;
            int digest = reference.IndexOf('@');
            if (digest >= 0)
            {
                reference = reference.Substring(0, digest);
            }

            int slash = reference.LastIndexOf('/');
            int colon = reference.LastIndexOf(':');
            if (colon <= slash)
            {
                return null;
            }

            Match match = ReleaseTag.Match(reference.Substring(colon + 1));
            if (!match.Success)
            {
                return null;
            }

            string patch = match.Groups["patch"].Success ? match.Groups["patch"].Value : "0";
            return match.Groups["year"].Value + "." + match.Groups["minor"].Value + "." + patch;
        }

        internal static void CheckGiven(string version)
        {
            if (!Given.IsMatch(version))
            {
                throw new IrisOpsException(IrisErrorKind.InvalidArgument, "InvalidCompatibilityVersion",
                    $"-CompatibilityVersion '{version}' is not an IRIS release in the form year.minor.patch, such as 2025.3.0.", version);
            }
        }
    }
}
