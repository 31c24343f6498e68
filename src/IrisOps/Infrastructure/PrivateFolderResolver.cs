#if NETFRAMEWORK
using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// Windows PowerShell 5.1 has no AssemblyLoadContext. IrisOps.Core and its dependencies sit in 'lib' beside
    /// IrisOps.dll, out of the probing path, and this resolver loads them with Assembly.LoadFile: a distinct
    /// load that does not unify with a copy another module loaded from elsewhere.
    /// </summary>
    internal static class PrivateFolderResolver
    {
        private static readonly object Sync = new object();
        private static readonly Dictionary<string, Assembly> Loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        private static readonly string Folder = Path.Combine(Path.GetDirectoryName(typeof(PrivateFolderResolver).Assembly.Location) ?? ".", "lib");
        private static bool registered;

        public static void Register()
        {
            lock (Sync)
            {
                if (!registered)
                {
                    AppDomain.CurrentDomain.AssemblyResolve += Resolve;
                    registered = true;
                }
            }
        }

        public static void Unregister()
        {
            lock (Sync)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
                registered = false;
            }
        }

        private static Assembly? Resolve(object sender, ResolveEventArgs args)
        {
            string name = new AssemblyName(args.Name).Name;
            string candidate = Path.Combine(Folder, name + ".dll");
            lock (Sync)
            {
                if (Loaded.TryGetValue(name, out Assembly existing))
                {
                    return existing;
                }

                if (!File.Exists(candidate))
                {
                    return null;
                }

                Assembly assembly = Assembly.LoadFile(candidate);
                Loaded[name] = assembly;
                return assembly;
            }
        }
    }
}
#endif
