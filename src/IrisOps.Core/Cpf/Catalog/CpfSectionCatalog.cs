using System;
using System.Collections.Generic;
using System.Linq;
using IrisOps.Core.Common;

namespace IrisOps.Core.Cpf.Catalog
{
    /// <summary>
    /// The sections of an iris.cpf and the keys of those whose keys are fixed, as the Configuration Parameter File
    /// Reference (IRIS 2026.1) lists them in its parameter pages and its sample CPF. Sections such as
    /// [Databases] or [Map.APP] hold names the user chooses, so only their section name is checked. Nothing
    /// here refuses a file: IRIS versions add and drop parameters, so an unknown section or key is a warning
    /// naming the line, and the text is kept as written.
    /// </summary>
    public static class CpfSectionCatalog
    {
        private static readonly HashSet<string> NamedEntrySections = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "Archives", "ComPorts", "Databases", "Devices", "DeviceSubTypes", "ECPServers", "Gateways", "LicenseServers",
            "MagTapes", "Mirrors", "Namespaces", "SqlSysDatatypes", "SqlUserDatatypes", "WorkQueues",
        };

        private static readonly Dictionary<string, HashSet<string>> FixedKeys = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase)
        {
            ["config"] = Keys("LibPath MaxServerConn MaxServers Path PythonPath PythonRuntimeLibrary PythonRuntimeLibraryVersion UUIDv1RandomMac bbsiz console errlog globals gmheap history ijcbuff ijcnum jrnbufs locksiz memlock netjob nlstab overview pijdir routines targwijsz udevtabsiz wijdir zfheap"),
            ["Startup"] = Keys("CallinHalt CallinStart CliSysName DBSizesAllowed DefaultPort DefaultPortBindAddress EnableSharding EnableVSSBackup EnsembleAutoStart ErrorPurge FIPSMode IPv6 JobHalt JobServers JobStart LicenseID MaxConsoleLogSize MaxIRISTempSizeAtStart PasswordHash ProcessHalt ProcessStart ShutdownTimeout SystemHalt SystemMode SystemPerformanceDailyReportsOn SystemPerformanceDailyReportsRetentionDays SystemStart TempDirectory TerminalPrompt WebServer WebServerName WebServerPort WebServerProtocol WebServerSSLConfiguration WebServerURLPrefix ZSTU"),
            ["Journal"] = Keys("AlternateDirectory ArchiveName BackupsBeforePurge CompressFiles CurrentDirectory DaysBeforePurge FileSizeLimit FreezeOnError JournalFilePrefix JournalcspSession PurgeArchive PurgeArchived"),
            ["ECP"] = Keys("ClientReconnectDuration ClientReconnectInterval ServerTroubleDuration"),
            ["Monitor"] = Keys("OTELInterval OTELLogLevel OTELLogs OTELMetrics SNMPEnabled"),
            ["SQL"] = Keys("ANSIPrecedence AdaptiveMode AllowRowIDUpdate AutoParallel AutoParallelThreshold AutoStatsForEfficientSamplingTableOnly AutoStatsForFixedStatsTable AutoStatsForRemoteGlobalTable BiasQueriesAsOutlier ClientMaxIdleTime Comment DDLDefineBitmapExtent DDLFinal DDLNo201 DDLNo30 DDLNo307 DDLNo311 DDLNo315 DDLNo324 DDLNo333 DDLSQLOnlyCompile DDLUseExtentSet DDLUseSequence DefaultSchema DelimitedIds DropDelete ECPSync ExtrinsicFunctions FastDistinct IdKey IdTrxFrom IdTrxTo LockThreshold LockTimeout No201 ODBCVarcharMaxlen ParameterSampling QueryProcedures RTPC ReferentialChecks SaveMAC TCPKeepAlive TODATEDefaultFormat TimePrecision"),
            ["Miscellaneous"] = Keys("AsyncDisconnectErr AsynchError BreakMode CollectResourceStats DisconnectErr FileMode GlobalKillEnabled IEEEError LicenseAltHeaders LineRecall ListFormat LogRollback MVDefined NodeNameInPid NullSubscripts OldZU5 OpenMode PopError RefInKind ScientificNotation SetZEOF ShutDownLogErrors StopID SwitchOSdir SynchCommit TelnetNUL TruncateOverflow Undefined UseNagleAlgorithm ViewPastData ZDateNull ZaMode"),
            ["IO"] = Keys("File MagTape Other Terminal"),
            ["Debug"] = Keys("dumpstyle semsperset"),
            ["Logging"] = Keys("ChildProcessLaunchCommand Enabled EventFilter Format Interval Level"),
            ["MirrorMember"] = Keys("AgentAddress AsyncMemberGUID AsyncMemberType AsyncUseSystemPurgeInterval JoinMirror SystemName ValidatedMember VirtualAddressInterface"),
            ["Telnet"] = Keys("DNSLookup Port"),
            ["ConfigFile"] = Keys("Product Version"),
            ["Cluster"] = Keys("CommIPAddress JoinCluster"),
            ["Conversions"] = Keys("LastConvertTime"),
        };

        /// <summary>Whether the reference has a section of this name (Map.X and MapMirrors.X for any X).</summary>
        public static bool IsKnownSection(string name) =>
            string.Equals(name, CpfSectionNames.Actions, StringComparison.Ordinal)
            || name.StartsWith(CpfSectionNames.MapPrefix, StringComparison.Ordinal)
            || name.StartsWith("MapMirrors.", StringComparison.Ordinal)
            || NamedEntrySections.Contains(name)
            || FixedKeys.ContainsKey(name);

        /// <summary>Whether the reference lists this key in this section; true for sections whose keys are names.</summary>
        public static bool IsKnownKey(string section, string key) =>
            !FixedKeys.TryGetValue(section, out HashSet<string>? keys) || keys.Contains(key);

        /// <summary>Warns, naming the file and line, about every section and key the reference does not list.</summary>
        public static void WarnAboutUnknownNames(CpfDocument document, IOperationReporter reporter)
        {
            foreach (CpfSection section in document.Sections.Where(s => !s.IsActions))
            {
                string where = section.Source?.ToString() ?? "[" + section.Name + "]";
                if (!IsKnownSection(section.Name))
                {
                    reporter.Warning($"{where}: the section [{section.Name}] is not in the Configuration Parameter File Reference; IRIS may not have it (check the name and your IRIS version). It is kept as written.");
                    continue;
                }

                foreach (CpfEntry entry in section.Items.OfType<CpfEntry>().Where(e => !IsKnownKey(section.Name, e.Name)))
                {
                    string at = entry.Source?.ToString() ?? where;
                    reporter.Warning($"{at}: [{section.Name}] {entry.Name} is not a parameter of [{section.Name}] in the Configuration Parameter File Reference; IRIS may not have it (check the spelling and your IRIS version). It is kept as written.");
                }
            }
        }

        private static HashSet<string> Keys(string list) =>
            new HashSet<string>(list.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);
    }
}
