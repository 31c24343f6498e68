using System.Text;

namespace IrisOps.Core.Common
{
    internal static class Hex
    {
        public static string Upper(byte[] bytes)
        {
            var text = new StringBuilder(bytes.Length * 2);
            foreach (byte b in bytes)
            {
                text.Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }

        public static string Lower(byte[] bytes) => Upper(bytes).ToLowerInvariant();
    }
}
