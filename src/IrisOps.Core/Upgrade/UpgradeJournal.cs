using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using IrisOps.Core.Docker;

namespace IrisOps.Core.Upgrade
{
    /// <summary>
    /// The record of one node's upgrade, kept next to its backup (upgrade-journal.json) and rewritten at every step,
    /// so that a run interrupted by a dying process or a restarting Docker engine can be told apart, step by step,
    /// from a finished one (<see cref="InterruptedUpgrade"/>). Written to a temporary file and renamed over the old
    /// one, so a reader sees either the previous record or the new one.
    /// </summary>
    public sealed class UpgradeJournal
    {
        public const string FileName = "upgrade-journal.json";

        /// <summary>The step that makes the new instance touch the durable data: once begun, a rollback must restore.</summary>
        public const string StartStep = "start the new container";

        public string Node { get; set; } = string.Empty;
        public string FromImage { get; set; } = string.Empty;
        public string ToImage { get; set; } = string.Empty;
        public string OldContainerId { get; set; } = string.Empty;
        public string OldImageId { get; set; } = string.Empty;
        public bool WasRunning { get; set; }
        public string MountKind { get; set; } = string.Empty;
        public string MountSource { get; set; } = string.Empty;
        public string MountTarget { get; set; } = string.Empty;
        public string Folder { get; set; } = string.Empty;

        /// <summary>True once the backup was taken and verified (false with -SkipBackup).</summary>
        public bool BackupVerified { get; set; }

        /// <summary>The steps begun, in order; the last one may not have finished.</summary>
        public List<string> Begun { get; } = new List<string>();

        /// <summary>The steps finished, in order.</summary>
        public List<string> Finished { get; } = new List<string>();

        /// <summary>Null while the run is under way; "upgraded", "rolled back" or "failed" once it ended.</summary>
        public string? Outcome { get; set; }

        public DateTime UpdatedUtc { get; set; }

        public string Path => System.IO.Path.Combine(Folder, FileName);

        public MountSpec Mount => new MountSpec { Kind = (MountKind)Enum.Parse(typeof(MountKind), MountKind), Source = MountSource, Target = MountTarget };

        public bool NewInstanceMayHaveRun => Begun.Contains(StartStep);

        public string LastStep => Begun.Count == 0 ? "(none)" : Begun[Begun.Count - 1] + (Finished.LastOrDefault() == Begun[Begun.Count - 1] ? " (finished)" : " (begun, not finished)");

        public void Save()
        {
            UpdatedUtc = DateTime.UtcNow;
            Directory.CreateDirectory(Folder);
            string temporary = Path + ".tmp";
            File.WriteAllText(temporary, ToJson(), new UTF8Encoding(false));
            if (File.Exists(Path))
            {
                File.Replace(temporary, Path, null);
            }
            else
            {
                File.Move(temporary, Path);
            }
        }

        public string ToJson()
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
                {
                    json.WriteStartObject();
                    json.WriteString("node", Node);
                    json.WriteString("fromImage", FromImage);
                    json.WriteString("toImage", ToImage);
                    json.WriteString("oldContainerId", OldContainerId);
                    json.WriteString("oldImageId", OldImageId);
                    json.WriteBoolean("wasRunning", WasRunning);
                    json.WriteString("mountKind", MountKind);
                    json.WriteString("mountSource", MountSource);
                    json.WriteString("mountTarget", MountTarget);
                    json.WriteBoolean("backupVerified", BackupVerified);
                    WriteList(json, "begun", Begun);
                    WriteList(json, "finished", Finished);
                    if (Outcome == null) json.WriteNull("outcome"); else json.WriteString("outcome", Outcome);
                    json.WriteString("updatedUtc", UpdatedUtc.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
                    json.WriteEndObject();
                }

                return Encoding.UTF8.GetString(buffer.ToArray());
            }
        }

        /// <summary>Reads a journal; null when the file is not one (it is then ignored as not ours).</summary>
        public static UpgradeJournal? Load(string path)
        {
            try
            {
                using (JsonDocument document = JsonDocument.Parse(File.ReadAllText(path, Encoding.UTF8)))
                {
                    JsonElement root = document.RootElement;
                    var journal = new UpgradeJournal
                    {
                        Node = root.GetProperty("node").GetString() ?? string.Empty,
                        FromImage = root.GetProperty("fromImage").GetString() ?? string.Empty,
                        ToImage = root.GetProperty("toImage").GetString() ?? string.Empty,
                        OldContainerId = root.GetProperty("oldContainerId").GetString() ?? string.Empty,
                        OldImageId = root.GetProperty("oldImageId").GetString() ?? string.Empty,
                        WasRunning = root.GetProperty("wasRunning").GetBoolean(),
                        MountKind = root.GetProperty("mountKind").GetString() ?? string.Empty,
                        MountSource = root.GetProperty("mountSource").GetString() ?? string.Empty,
                        MountTarget = root.GetProperty("mountTarget").GetString() ?? string.Empty,
                        BackupVerified = root.GetProperty("backupVerified").GetBoolean(),
                        Outcome = root.GetProperty("outcome").ValueKind == JsonValueKind.Null ? null : root.GetProperty("outcome").GetString(),
                        Folder = System.IO.Path.GetDirectoryName(path) ?? string.Empty,
                    };
                    journal.Begun.AddRange(root.GetProperty("begun").EnumerateArray().Select(e => e.GetString() ?? string.Empty));
                    journal.Finished.AddRange(root.GetProperty("finished").EnumerateArray().Select(e => e.GetString() ?? string.Empty));
                    return journal;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>The newest journal of <paramref name="node"/> under the backup path whose run did not end (or ended not fully rolled back), or null.</summary>
        public static UpgradeJournal? FindUnfinished(string backupPath, string node)
        {
            string root = System.IO.Path.Combine(backupPath, node);
            if (!Directory.Exists(root))
            {
                return null;
            }

            return Directory.GetDirectories(root)
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .Select(d => System.IO.Path.Combine(d, FileName))
                .Where(File.Exists)
                .Select(Load)
                .FirstOrDefault(j => j != null && (j.Outcome == null || j.Outcome == "failed") && j.Node == node);
        }

        private static void WriteList(Utf8JsonWriter json, string name, IEnumerable<string> items)
        {
            json.WriteStartArray(name);
            foreach (string item in items)
            {
                json.WriteStringValue(item);
            }

            json.WriteEndArray();
        }
    }
}
