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

        /// <summary>A Swarm node's step that makes the new task touch the durable data (see <see cref="StartStep"/>).</summary>
        public const string SwarmUpdateStep = "update the service to the new image";

        /// <summary>The step that judges the old instance's shutdown by the instance-running marker.</summary>
        public const string CheckShutdownStep = "check the shutdown";

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

        /// <summary>The Swarm service the node's task belongs to; empty for a container on one engine.</summary>
        public string Service { get; set; } = string.Empty;

        /// <summary>The instance's durable data directory (ISC_DATA_DIRECTORY), where the instance-running marker lives.</summary>
        public string DataDirectory { get; set; } = string.Empty;

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

        public bool NewInstanceMayHaveRun => Begun.Contains(StartStep) || Begun.Contains(SwarmUpdateStep);

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
                    json.WriteString("service", Service);
                    json.WriteString("dataDirectory", DataDirectory);
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
                        // Absent from the journals of earlier versions, which only ran containers on one engine.
                        Service = root.TryGetProperty("service", out JsonElement service) ? service.GetString() ?? string.Empty : string.Empty,
                        DataDirectory = root.TryGetProperty("dataDirectory", out JsonElement data) ? data.GetString() ?? string.Empty : string.Empty,
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

        /// <summary>The newest journal of the container <paramref name="node"/> under the backup path when its run did not end (or ended not fully rolled back), or null.</summary>
        public static UpgradeJournal? FindUnfinished(string backupPath, string node) =>
            FindUnfinishedIn(backupPath, node, j => j.Node == node && j.Service.Length == 0, j => true);

        /// <summary>
        /// The same for a Swarm service, whose runs keep their backups under the service's name (its task containers
        /// come and go). A run that ended failed before a task of the new image could run (an unclean shutdown) left
        /// the data as the old instance did and said what to do, so it is not one to finish or undo.
        /// </summary>
        public static UpgradeJournal? FindUnfinishedOfService(string backupPath, string service) =>
            FindUnfinishedIn(backupPath, service, j => j.Service == service, j => j.NewInstanceMayHaveRun);

        // Only the newest run of the node counts: a later run that ended has dealt with an earlier one.
        private static UpgradeJournal? FindUnfinishedIn(string backupPath, string folder, Func<UpgradeJournal, bool> isOf, Func<UpgradeJournal, bool> failedCounts)
        {
            string root = System.IO.Path.Combine(backupPath, folder);
            if (!Directory.Exists(root))
            {
                return null;
            }

            return Directory.GetDirectories(root)
                .OrderByDescending(d => d, StringComparer.Ordinal)
                .Select(d => System.IO.Path.Combine(d, FileName))
                .Where(File.Exists)
                .Select(Load)
                .FirstOrDefault(j => j != null && isOf(j)) is UpgradeJournal newest && (newest.Outcome == null || (newest.Outcome == "failed" && failedCounts(newest)))
                ? newest
                : null;
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
