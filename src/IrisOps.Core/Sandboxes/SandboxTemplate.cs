using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using IrisOps.Core.Common;
using IrisOps.Core.Errors;
using IrisOps.Core.Iris;

namespace IrisOps.Core.Sandboxes
{
    /// <summary>
    /// The rules of a group of sandboxes as data (a training room, a field test): a flat map of the keys in
    /// <see cref="Keys"/>, from a hashtable, a .psd1 file or a YAML file. A key the template gives is fixed: a
    /// parameter may repeat it but not change it. A key it leaves out is up to the caller.
    /// </summary>
    public sealed class SandboxTemplate
    {
        /// <summary>The keys a template may hold.</summary>
        public static readonly IReadOnlyList<string> Keys = new[]
        {
            "Name", "Image", "Lifetime", "MaxLifetime", "AllowRelaunch", "State", "Memory", "Cpu", "MergeFile", "MaxPerOwner", "OnExpiry",
        };

        /// <summary>What the sandboxes are labelled with (irisops.sandbox.template) and selected by.</summary>
        public string Name { get; private set; } = string.Empty;

        public string? Image { get; private set; }

        public TimeSpan? Lifetime { get; private set; }

        /// <summary>The longest a sandbox may live from its creation (or relaunch), however often it is extended.</summary>
        public TimeSpan? MaxLifetime { get; private set; }

        /// <summary>Whether an expired sandbox may be started again (with a new lifetime).</summary>
        public bool? AllowRelaunch { get; private set; }

        public SandboxState? State { get; private set; }

        public long? MemoryBytes { get; private set; }

        public double? Cpu { get; private set; }

        /// <summary>A merge file on the host, full path (relative paths in a file are relative to the template's folder).</summary>
        public string? MergeFile { get; private set; }

        public int? MaxPerOwner { get; private set; }

        public SandboxExpiryAction? OnExpiry { get; private set; }

        /// <summary>
        /// A template from plain values (what a hashtable or a parsed .psd1 file becomes). <paramref name="source"/>
        /// names it in messages; <paramref name="defaultName"/> is used when it has no Name;
        /// <paramref name="baseFolder"/> resolves a relative MergeFile.
        /// </summary>
        public static SandboxTemplate FromDictionary(IDictionary values, string source, string defaultName, string baseFolder)
        {
            var template = new SandboxTemplate();
            foreach (DictionaryEntry entry in values)
            {
                string key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                string? known = Keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
                if (known == null)
                {
                    string? suggestion = Spelling.Suggest(key, Keys);
                    throw Invalid(source, suggestion != null
                        ? $"'{key}' is not a template key. Did you mean '{suggestion}'?"
                        : $"'{key}' is not a template key. Known keys: {string.Join(", ", Keys)}.");
                }

                if (entry.Value == null)
                {
                    continue;
                }

                template.Set(known, entry.Value, source, baseFolder);
            }

            template.Name = template.Name.Length > 0 ? template.Name : defaultName.ToLowerInvariant();
            if (!IrisNames.IsOwnerName(template.Name))
            {
                throw Invalid(source, $"Name '{template.Name}' must be {IrisNames.OwnerRule}.");
            }

            if (template.Lifetime.HasValue && template.MaxLifetime.HasValue && template.Lifetime > template.MaxLifetime)
            {
                throw Invalid(source, $"Lifetime ({template.Lifetime}) is longer than MaxLifetime ({template.MaxLifetime}).");
            }

            return template;
        }

        /// <summary>A YAML file of the same flat keys (name: class-a, lifetime: '08:00:00', ...).</summary>
        public static SandboxTemplate LoadYaml(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new IrisOpsException(IrisErrorKind.ObjectNotFound, "SandboxTemplateNotFound", $"The template file '{path}' does not exist.", path, ex);
            }

            return FromDictionary(SandboxTemplateYaml.Parse(text, path), path, Path.GetFileNameWithoutExtension(path), Path.GetDirectoryName(Path.GetFullPath(path))!);
        }

        private void Set(string key, object value, string source, string baseFolder)
        {
            string text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
            switch (key)
            {
                case "Name":
                    Name = text.ToLowerInvariant();
                    break;
                case "Image":
                    Image = text.Length > 0 ? text : throw Invalid(source, "Image is empty.");
                    break;
                case "Lifetime":
                    Lifetime = SandboxValues.Lifetime(value, "Lifetime", source);
                    break;
                case "MaxLifetime":
                    MaxLifetime = SandboxValues.Lifetime(value, "MaxLifetime", source);
                    break;
                case "AllowRelaunch":
                    AllowRelaunch = SandboxValues.Boolean(value, "AllowRelaunch", source);
                    break;
                case "State":
                    State = SandboxValues.Enum<SandboxState>(text, "State", source);
                    break;
                case "OnExpiry":
                    OnExpiry = SandboxValues.Enum<SandboxExpiryAction>(text, "OnExpiry", source);
                    break;
                case "Memory":
                    MemoryBytes = SandboxValues.Memory(value, "Memory", source);
                    break;
                case "Cpu":
                    Cpu = SandboxValues.Cpu(value, "Cpu", source);
                    break;
                case "MaxPerOwner":
                    MaxPerOwner = SandboxValues.PerOwner(value, "MaxPerOwner", source);
                    break;
                case "MergeFile":
                    MergeFile = Path.GetFullPath(Path.Combine(baseFolder, text));
                    break;
            }
        }

        internal static IrisOpsException Invalid(string source, string problem) =>
            new IrisOpsException(IrisErrorKind.InvalidData, "InvalidSandboxTemplate", $"Sandbox template {source}: {problem}", source);
    }
}
