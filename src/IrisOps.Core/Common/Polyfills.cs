#if NETFRAMEWORK
namespace System.Runtime.CompilerServices
{
    // Lets init-only setters compile for net472; the runtime never looks at this type.
    internal static class IsExternalInit
    {
    }
}
#endif
