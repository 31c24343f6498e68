// net472 only (the csproj leaves NetFramework/ out of net10.0). Some shared test files carry
// 'using System.Formats.Tar;' although the net472 build uses no tar type from them; .NET Framework has no such
// namespace, so this empty declaration lets those files compile unchanged. Tests that really write tar
// archives are left out of net472 (NetFrameworkSkippedFile in the csproj).
namespace System.Formats.Tar
{
    internal static class NetFrameworkHasNoTar
    {
    }
}
