using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Reflection;

namespace IrisOps.Infrastructure
{
    /// <summary>
    /// Makes the module's output types nameable in scripts ([IrisOps.Core.Ecp.IrisEcpCluster], -is, typed
    /// parameters) and shown by their names in Get-Member. On PowerShell 7 they live in the module's own load
    /// context, where PowerShell's type lookup does not search, so each is registered under its full name as a
    /// type accelerator when the module is imported and removed again with the module. The types are found
    /// from the cmdlets' [OutputType] and parameters and the public properties of those, so a new output type
    /// needs nothing here.
    /// </summary>
    internal static class OutputTypeNames
    {
        private static readonly Type? Accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
        private static readonly object Gate = new object();
        private static readonly List<Type> Registered = new List<Type>();

        public static void Register()
        {
            MethodInfo? add = Accelerators?.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null);
            if (add == null)
            {
                return; // a PowerShell without the accelerator table: the types keep their assembly-qualified names
            }

            lock (Gate)
            {
                foreach (Type type in Discover())
                {
                    add.Invoke(null, new object[] { type.FullName!, type });
                    if (!Registered.Contains(type))
                    {
                        Registered.Add(type);
                    }
                }
            }
        }

        public static void Unregister()
        {
            MethodInfo? remove = Accelerators?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null);
            PropertyInfo? table = Accelerators?.GetProperty("Get", BindingFlags.Public | BindingFlags.Static);
            if (remove == null || table == null)
            {
                return;
            }

            lock (Gate)
            {
                var current = (IDictionary)table.GetValue(null)!;
                foreach (Type type in Registered)
                {
                    // Only our own entry: another module may have registered the name since.
                    if (ReferenceEquals(current[type.FullName!], type))
                    {
                        remove.Invoke(null, new object[] { type.FullName! });
                    }
                }

                Registered.Clear();
            }
        }

        /// <summary>The public IrisOps.Core types that cmdlets emit or take, and the types of their public properties.</summary>
        internal static IReadOnlyList<Type> Discover()
        {
            Assembly core = typeof(IrisOps.Core.Errors.IrisOpsException).Assembly;
            var found = new List<Type>();
            var pending = new Queue<Type>();
            foreach (Type cmdlet in typeof(OutputTypeNames).Assembly.GetTypes().Where(t => typeof(Cmdlet).IsAssignableFrom(t) && !t.IsAbstract))
            {
                foreach (OutputTypeAttribute output in cmdlet.GetCustomAttributes<OutputTypeAttribute>())
                {
                    foreach (PSTypeName name in output.Type.Where(n => n.Type != null))
                    {
                        pending.Enqueue(name.Type!);
                    }
                }

                foreach (PropertyInfo parameter in cmdlet.GetProperties().Where(p => p.GetCustomAttributes<ParameterAttribute>().Any()))
                {
                    pending.Enqueue(parameter.PropertyType);
                }
            }

            while (pending.Count > 0)
            {
                foreach (Type type in Unwrap(pending.Dequeue()))
                {
                    if (type.Assembly != core || !type.IsPublic || found.Contains(type))
                    {
                        continue;
                    }

                    found.Add(type);
                    foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    {
                        pending.Enqueue(property.PropertyType);
                    }
                }
            }

            return found;
        }

        // Element types of arrays, generic collections and nullables.
        private static IEnumerable<Type> Unwrap(Type type)
        {
            if (type.IsArray)
            {
                return Unwrap(type.GetElementType()!);
            }

            if (type.IsGenericType)
            {
                return type.GetGenericArguments().SelectMany(Unwrap);
            }

            return new[] { type };
        }
    }
}
