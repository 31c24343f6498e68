using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using IrisOps.Core.Errors;
using Xunit;

namespace IrisOps.Tests.Errors
{
    /// <summary>
    /// Every error id IrisOps raises with a fixed kind, and the kind (hence the PowerShell ErrorCategory) it must
    /// have. A new id, or an id raised with another kind, fails here until this table says so: the category is a
    /// decision about the cause (a bad argument, a missing object, a busy resource, a timeout), made once.
    /// </summary>
    public sealed class ErrorCategoryTableTests
    {
        private static readonly Dictionary<string, IrisErrorKind[]> Expected = new Dictionary<string, IrisErrorKind[]>(StringComparer.Ordinal)
        {
            ["AuthorityExpired"] = new[] { IrisErrorKind.InvalidData },
            ["AuthorityFileMissing"] = new[] { IrisErrorKind.ObjectNotFound },
            ["AuthorityKeyMismatch"] = new[] { IrisErrorKind.InvalidData },
            ["AuthorityKeyPassword"] = new[] { IrisErrorKind.InvalidArgument },
            ["AuthorityUnreadable"] = new[] { IrisErrorKind.InvalidData },
            ["BackupArchiveDamaged"] = new[] { IrisErrorKind.InvalidData },
            ["BackupVerificationFailed"] = new[] { IrisErrorKind.WriteError },
            ["BackupWriteFailed"] = new[] { IrisErrorKind.WriteError },
            ["CertificateFileMissing"] = new[] { IrisErrorKind.ObjectNotFound },
            ["CertificateFilesExist"] = new[] { IrisErrorKind.ResourceExists },
            ["CertificateKeyMismatch"] = new[] { IrisErrorKind.InvalidData },
            ["CertificateKeyMissing"] = new[] { IrisErrorKind.ObjectNotFound },
            ["CertificateKeyUnreadable"] = new[] { IrisErrorKind.InvalidData },
            ["CertificateNotFromAuthority"] = new[] { IrisErrorKind.InvalidData },
            ["CertificatePurposeMissing"] = new[] { IrisErrorKind.InvalidData },
            ["CertificateSetEmpty"] = new[] { IrisErrorKind.InvalidData },
            ["CertificateSetNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["CertificateSetUnreadable"] = new[] { IrisErrorKind.ResourceUnavailable, IrisErrorKind.PermissionDenied },
            ["CertificateUnreadable"] = new[] { IrisErrorKind.InvalidData },
            ["ClusterExistsWithOtherArguments"] = new[] { IrisErrorKind.ResourceExists },
            ["ClusterExistsWithOtherImage"] = new[] { IrisErrorKind.ResourceExists },
            ["ClusterHasNoDataServer"] = new[] { IrisErrorKind.InvalidArgument },
            ["ClusterNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["CompatibilityVersionUnknown"] = new[] { IrisErrorKind.InvalidArgument },
            ["ComposeFileExists"] = new[] { IrisErrorKind.ResourceExists },
            ["ComposeValueHasControlCharacter"] = new[] { IrisErrorKind.InvalidArgument },
            ["ComputeNodesDiffer"] = new[] { IrisErrorKind.InvalidOperation },
            ["ContainerImageMissing"] = new[] { IrisErrorKind.InvalidArgument },
            ["ContainerNameInUse"] = new[] { IrisErrorKind.ResourceExists },
            ["ContainerNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["ContainerNotRunning"] = new[] { IrisErrorKind.InvalidOperation },
            ["CpfActionOutsideActions"] = new[] { IrisErrorKind.InvalidArgument },
            ["CpfEntryInActions"] = new[] { IrisErrorKind.InvalidArgument },
            ["CpfFileNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["CpfFileNotReadable"] = new[] { IrisErrorKind.PermissionDenied, IrisErrorKind.ResourceUnavailable },
            ["CpfItemInUse"] = new[] { IrisErrorKind.InvalidOperation },
            ["CpfItemOutsideSection"] = new[] { IrisErrorKind.InvalidArgument },
            ["CpfPathIsFolder"] = new[] { IrisErrorKind.InvalidArgument },
            ["CpfSectionNameEmpty"] = new[] { IrisErrorKind.InvalidArgument },
            ["CpfValueNull"] = new[] { IrisErrorKind.InvalidArgument },
            ["CpfValueType"] = new[] { IrisErrorKind.InvalidArgument },
            ["DefaultSettingFailed"] = new[] { IrisErrorKind.InvalidOperation },
            ["DefaultSettingReadBackDiffers"] = new[] { IrisErrorKind.InvalidData },
            ["DockerCallFailed"] = new[] { IrisErrorKind.NotSpecified },
            ["DockerConfigUnreadable"] = new[] { IrisErrorKind.InvalidData },
            ["DockerContextNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["DockerContextUnreadable"] = new[] { IrisErrorKind.InvalidData },
            ["DockerContextWithoutHost"] = new[] { IrisErrorKind.InvalidData },
            ["DockerEngineUnreachable"] = new[] { IrisErrorKind.ConnectionError },
            ["DockerHostInvalid"] = new[] { IrisErrorKind.InvalidArgument },
            ["DockerOperationTimeout"] = new[] { IrisErrorKind.OperationTimeout },
            ["DockerSshEndpointNotSupported"] = new[] { IrisErrorKind.InvalidArgument },
            ["DockerTlsCertificateMissing"] = new[] { IrisErrorKind.InvalidArgument },
            ["DockerTlsCertificateUnreadable"] = new[] { IrisErrorKind.InvalidData },
            ["DuplicateTarget"] = new[] { IrisErrorKind.InvalidArgument },
            ["ExecCommandMissing"] = new[] { IrisErrorKind.InvalidArgument },
            ["ExecExitCodeUnknown"] = new[] { IrisErrorKind.OperationTimeout },
            ["ExportFolderNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["ExportPathIsFolder"] = new[] { IrisErrorKind.InvalidArgument },
            ["FileExists"] = new[] { IrisErrorKind.ResourceExists },
            ["FormatNeedsOutputPath"] = new[] { IrisErrorKind.InvalidArgument },
            ["ImageNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["InputPropertyUnreadable"] = new[] { IrisErrorKind.InvalidArgument },
            ["InputTooDeep"] = new[] { IrisErrorKind.InvalidArgument },
            ["InvalidCompatibilityVersion"] = new[] { IrisErrorKind.InvalidArgument },
            ["InvalidDataStorageSize"] = new[] { IrisErrorKind.InvalidArgument },
            ["InvalidNamespace"] = new[] { IrisErrorKind.InvalidArgument },
            ["InvalidStorageClass"] = new[] { IrisErrorKind.InvalidArgument },
            ["InvalidTargetName"] = new[] { IrisErrorKind.InvalidArgument },
            ["KubernetesFilesExist"] = new[] { IrisErrorKind.ResourceExists },
            ["KubernetesValueHasControlCharacter"] = new[] { IrisErrorKind.InvalidArgument },
            ["LayoutFileNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["LayoutFileNotReadable"] = new[] { IrisErrorKind.ResourceUnavailable },
            ["LicenseKeyNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["ListDefaultSettingsFailed"] = new[] { IrisErrorKind.InvalidOperation },
            ["ListProductionItemsFailed"] = new[] { IrisErrorKind.InvalidOperation },
            ["MergeFileFolderNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["MergeFileNotWritten"] = new[] { IrisErrorKind.InvalidArgument },
            ["MergeFilePathIsFolder"] = new[] { IrisErrorKind.InvalidArgument },
            ["NamespaceNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["NamespaceNotInteroperability"] = new[] { IrisErrorKind.InvalidOperation },
            ["NetworkExists"] = new[] { IrisErrorKind.ResourceExists },
            ["NetworkNameInUse"] = new[] { IrisErrorKind.ResourceExists },
            ["NewTaskFailed"] = new[] { IrisErrorKind.InvalidResult },
            ["NoFreeSubnet"] = new[] { IrisErrorKind.ResourceUnavailable },
            ["NoTarget"] = new[] { IrisErrorKind.InvalidArgument },
            ["NotAClusterNode"] = new[] { IrisErrorKind.InvalidArgument },
            ["NotAnAuthority"] = new[] { IrisErrorKind.InvalidData },
            ["NotSwarmManager"] = new[] { IrisErrorKind.InvalidOperation },
            ["NothingToExport"] = new[] { IrisErrorKind.InvalidArgument },
            ["OrchestratorWithOutputPath"] = new[] { IrisErrorKind.InvalidArgument },
            ["PublishPortNeedsOneSandbox"] = new[] { IrisErrorKind.InvalidArgument },
            ["PathIsFile"] = new[] { IrisErrorKind.InvalidArgument },
            ["PathNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["PathRequired"] = new[] { IrisErrorKind.InvalidArgument },
            ["PostUpgradeScriptFailed"] = new[] { IrisErrorKind.InvalidOperation },
            ["PostUpgradeScriptNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["PrepareOwnershipFailed"] = new[] { IrisErrorKind.InvalidOperation },
            ["PrepareOwnershipTimeout"] = new[] { IrisErrorKind.OperationTimeout },
            ["ProductionItemFailed"] = new[] { IrisErrorKind.InvalidOperation },
            ["ProductionItemReadBackDiffers"] = new[] { IrisErrorKind.InvalidData },
            ["RestartPolicyInvalid"] = new[] { IrisErrorKind.InvalidArgument },
            ["RestoreFailed"] = new[] { IrisErrorKind.InvalidOperation },
            ["RestoreNotIdentical"] = new[] { IrisErrorKind.InvalidData },
            ["ResumeAndRollBack"] = new[] { IrisErrorKind.InvalidArgument },
            ["RollBackFailed"] = new[] { IrisErrorKind.InvalidOperation },
            ["SessionLoginRequired"] = new[] { IrisErrorKind.PermissionDenied },
            ["SettingsFileNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["SettingsFileNotReadable"] = new[] { IrisErrorKind.PermissionDenied, IrisErrorKind.ResourceUnavailable },
            ["SettingsPathIsFolder"] = new[] { IrisErrorKind.InvalidArgument },
            ["StopFailed"] = new[] { IrisErrorKind.InvalidOperation },
            ["SubjectNotAuthorizable"] = new[] { IrisErrorKind.InvalidArgument },
            ["SubnetInUse"] = new[] { IrisErrorKind.ResourceExists },
            ["SwarmHealthTimeout"] = new[] { IrisErrorKind.OperationTimeout },
            ["SwarmStopTimeout"] = new[] { IrisErrorKind.OperationTimeout },
            ["SwarmObjectExists"] = new[] { IrisErrorKind.ResourceExists },
            ["SwarmTaskFailed"] = new[] { IrisErrorKind.InvalidOperation },
            ["TargetsOnSeveralDockerHosts"] = new[] { IrisErrorKind.InvalidArgument },
            ["UncleanShutdown"] = new[] { IrisErrorKind.InvalidOperation },
            ["UnsupportedInputObject"] = new[] { IrisErrorKind.InvalidArgument },
            ["UpdateProductionFailed"] = new[] { IrisErrorKind.InvalidOperation },
            ["UpdateProductionNoAnswer"] = new[] { IrisErrorKind.InvalidData },
            ["VolumeExists"] = new[] { IrisErrorKind.ResourceExists },
            ["VolumeNameInUse"] = new[] { IrisErrorKind.ResourceExists },
            // Sandboxes
            ["InvalidPublishPort"] = new[] { IrisErrorKind.InvalidArgument },
            ["InvalidPublishAddress"] = new[] { IrisErrorKind.InvalidArgument },
            ["InvalidSandboxOwner"] = new[] { IrisErrorKind.InvalidArgument },
            ["InvalidSandboxTemplate"] = new[] { IrisErrorKind.InvalidData },
            ["SandboxCountAboveLimit"] = new[] { IrisErrorKind.InvalidArgument },
            ["SandboxExtendBeyondLimit"] = new[] { IrisErrorKind.InvalidArgument },
            ["SandboxExtendInvalid"] = new[] { IrisErrorKind.InvalidArgument },
            ["SandboxImageMissing"] = new[] { IrisErrorKind.InvalidArgument },
            ["SandboxLabelReserved"] = new[] { IrisErrorKind.InvalidArgument },
            ["SandboxLifetimeTooLong"] = new[] { IrisErrorKind.InvalidArgument },
            ["SandboxLimitReached"] = new[] { IrisErrorKind.InvalidOperation },
            ["SandboxMergeFileNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["SandboxNameInUse"] = new[] { IrisErrorKind.ResourceExists },
            ["SandboxNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
            ["SandboxRelaunchRefused"] = new[] { IrisErrorKind.InvalidOperation },
            ["SandboxTargetMissing"] = new[] { IrisErrorKind.InvalidArgument },
            ["SandboxTemplateConflict"] = new[] { IrisErrorKind.InvalidArgument },
            ["SandboxTemplateFileType"] = new[] { IrisErrorKind.InvalidArgument },
            ["SandboxTemplateNotFound"] = new[] { IrisErrorKind.ObjectNotFound },
        };

        private static readonly Regex Raise = new Regex(@"new IrisOpsException\(\s*IrisErrorKind\.(?<kind>\w+),\s*""(?<id>\w+)""", RegexOptions.CultureInvariant);

        [Fact]
        public void Every_error_id_in_the_source_has_the_kind_the_table_gives()
        {
            List<(string Id, IrisErrorKind Kind, string File)> raised = Raised().ToList();
            Assert.NotEmpty(raised);
            foreach ((string id, IrisErrorKind kind, string file) in raised)
            {
                Assert.True(Expected.TryGetValue(id, out IrisErrorKind[]? kinds), $"{file} raises the error id {id}, which the table of error categories does not list: add it with the kind it must have.");
                Assert.True(kinds!.Contains(kind), $"{file} raises {id} as {kind}; the table says {string.Join(" or ", kinds!)}.");
            }

            foreach (string id in Expected.Keys)
            {
                Assert.True(raised.Any(r => r.Id == id), $"The table lists {id}, which no source file raises any more: remove it.");
            }
        }

        private static IEnumerable<(string, IrisErrorKind, string)> Raised()
        {
            string src = Path.Combine(RepositoryRoot(), "src");
            foreach (string file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar)))
            {
                foreach (Match match in Raise.Matches(File.ReadAllText(file)))
                {
                    yield return (match.Groups["id"].Value, (IrisErrorKind)Enum.Parse(typeof(IrisErrorKind), match.Groups["kind"].Value), Path.GetFileName(file));
                }
            }
        }

        private static string RepositoryRoot()
        {
            for (DirectoryInfo? folder = new DirectoryInfo(AppContext.BaseDirectory); folder != null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "IrisOps.sln")))
                {
                    return folder.FullName;
                }
            }

            throw new InvalidOperationException("The test runs outside the repository: IrisOps.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
