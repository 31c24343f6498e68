namespace IrisOps.Core.Sandboxes
{
    /// <summary>What survives a reset or a removal of a sandbox.</summary>
    public enum SandboxState
    {
        /// <summary>Everything lives in the container: a reset or a removal returns to the image's original state.</summary>
        Fresh,

        /// <summary>
        /// Durable %SYS on a volume of its own (Running InterSystems Products in Containers, "Durable %SYS for
        /// Persistent Instance Data"): the instance's data survives a reset and a removal unless it is discarded.
        /// </summary>
        Preserved,
    }

    /// <summary>What the reaper does with a sandbox once it has expired.</summary>
    public enum SandboxExpiryAction
    {
        /// <summary>Stop the container; it can be started again when relaunch is allowed.</summary>
        Stop,

        /// <summary>Remove the container and network (preserved data is kept).</summary>
        Remove,
    }
}
