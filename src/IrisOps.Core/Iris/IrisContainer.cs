using System;
using System.Collections.Generic;

namespace IrisOps.Core.Iris
{
    /// <summary>
    /// The contract of an InterSystems IRIS container image, written once: the variables the image reads, where it
    /// installs, the instance name, the user that owns durable %SYS, the marker of a running instance and the
    /// command lines IrisOps runs inside. Source: Running InterSystems Products in Containers.
    /// </summary>
    public static class IrisContainer
    {
        /// <summary>The durable %SYS directory: the instance's data lives there instead of inside the container.</summary>
        public const string DataDirectoryVariable = "ISC_DATA_DIRECTORY";

        /// <summary>The path of ONE merge file applied at every start (Automating Configuration with Configuration Merge).</summary>
        public const string MergeFileVariable = "ISC_CPF_MERGE_FILE";

        /// <summary>Set by the image to its install directory.</summary>
        public const string InstallDirectoryVariable = "ISC_PACKAGE_INSTALLDIR";

        /// <summary>Where InterSystems images install IRIS when <see cref="InstallDirectoryVariable"/> says nothing else.</summary>
        public const string DefaultInstallDirectory = "/usr/irissys";

        /// <summary>The instance name in every InterSystems image.</summary>
        public const string InstanceName = "IRIS";

        /// <summary>
        /// The working directory of InterSystems images, owned by irisowner, which also holds the instance registry
        /// (WorkingDirectory/irissys; Running InterSystems Products in Containers, "Ownership and Directories"):
        /// durable storage is never mounted there, or it would keep the registry of the first image.
        /// </summary>
        public const string WorkingDirectory = "/home/irisowner";

        /// <summary>The IRIS container user (irisowner), which must own durable %SYS.</summary>
        public const int Uid = 51773;

        /// <summary>The group of <see cref="Uid"/>.</summary>
        public const int Gid = 51773;

        /// <summary>The owner argument of chown for durable storage.</summary>
        public const string UserAndGroup = "51773:51773";

        /// <summary>
        /// The file an instance keeps in its manager's directory while it is up: the System Administration Guide
        /// ("iris.ids File") describes it as the flag that the instance is running; iris stop deletes it, so after
        /// a stop it is left behind only by a shutdown that was not clean. With durable %SYS the manager's
        /// directory is ISC_DATA_DIRECTORY/mgr.
        /// </summary>
        public const string InstanceRunningMarker = "mgr/iris.ids";

        /// <summary>The path of <see cref="InstanceRunningMarker"/> under a durable data directory.</summary>
        public static string RunningMarkerPath(string dataDirectory) => dataDirectory.TrimEnd('/') + "/" + InstanceRunningMarker;

        /// <summary>The install directory an image declares in its environment, or <see cref="DefaultInstallDirectory"/>.</summary>
        public static string InstallDirectory(IEnumerable<string>? imageEnvironment)
        {
            IDictionary<string, string> variables = EnvironmentVariables.Parse(imageEnvironment);
            return variables.TryGetValue(InstallDirectoryVariable, out string? directory) ? directory : DefaultInstallDirectory;
        }

        /// <summary>`iris session IRIS -U &lt;namespace&gt;`: a terminal session that reads ObjectScript from standard input.</summary>
        public static List<string> SessionCommand(string ns) => new List<string> { "iris", "session", InstanceName, "-U", ns };

        /// <summary><see cref="SessionCommand"/> as one line, for messages and plans.</summary>
        public static string SessionCommandLine(string ns) => string.Join(" ", SessionCommand(ns));

        /// <summary>`iris merge IRIS &lt;file&gt;` as one line, for messages.</summary>
        public static string MergeCommandLine(string file) => "iris merge " + InstanceName + " " + file;
    }
}
