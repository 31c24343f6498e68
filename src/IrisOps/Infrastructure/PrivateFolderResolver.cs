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
    /// AssemblyResolve is process-wide, so the resolver answers only requests made by the module's own
    /// assemblies (IrisOps.dll and what it loaded from 'lib', IrisOps.Core.dll first); any other request, such
    /// as another module asking for its own YamlDotNet or BouncyCastle, gets null and never our copy.
    /// </summary>
    internal static class PrivateFolderResolver
    {
        private static readonly object Sync = new object();
        private static readonly Assembly Self = typeof(PrivateFolderResolver).Assembly;
        private static readonly Dictionary<string, Assembly> Loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        private static readonly HashSet<Assembly> Ours = new HashSet<Assembly> { Self };
        private static readonly string Folder = Path.Combine(Path.GetDirectoryName(Self.Location) ?? ".", "lib");
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

        private static Assembly? Resolve(object sender, ResolveEventArgs args) => Resolve(args.Name, args.RequestingAssembly, Folder);

        /// <summary>
        /// The assembly <paramref name="name"/> from <paramref name="folder"/> when <paramref name="requestingAssembly"/>
        /// is one of the module's own, otherwise null (also when the runtime does not say who asked).
        /// </summary>
        internal static Assembly? Resolve(string name, Assembly? requestingAssembly, string folder)
        {
            string? simpleName = new AssemblyName(name).Name;
            if (requestingAssembly == null || string.IsNullOrEmpty(simpleName))
            {
                return null;
            }

            lock (Sync)
            {
                if (!Ours.Contains(requestingAssembly))
                {
                    return null;
                }

                if (Loaded.TryGetValue(simpleName, out Assembly existing))
                {
                    return existing;
                }

                string candidate = Path.Combine(folder, simpleName + ".dll");
                if (!File.Exists(candidate))
                {
                    return null;
                }

                // Loaded from our private folder, so its own requests (Docker.DotNet asking for System.Text.Json,
                // say) are ours too.
                Assembly assembly = Assembly.LoadFile(candidate);
                Loaded[simpleName] = assembly;
                Ours.Add(assembly);
                return assembly;
            }
        }
    }
}
#endif
