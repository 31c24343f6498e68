using System;
using System.Runtime.InteropServices;
using System.Security;

namespace IrisOps.Core.Common
{
    /// <summary>
    /// Turns a SecureString into the char[] that crypto APIs want, for as short a time as possible.
    /// Callers clear the array with <see cref="Clear"/> in a finally block; no string copy is ever made.
    /// </summary>
    public static class SecretText
    {
        public static char[] ToChars(SecureString secret)
        {
            IntPtr buffer = IntPtr.Zero;
            try
            {
                buffer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                var chars = new char[secret.Length];
                Marshal.Copy(buffer, chars, 0, chars.Length);
                return chars;
            }
            finally
            {
                if (buffer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(buffer);
                }
            }
        }

        public static void Clear(char[]? chars)
        {
            if (chars != null)
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }
    }
}
