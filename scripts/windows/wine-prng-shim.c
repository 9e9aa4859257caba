/* Test-only stand-in for Windows 10's bcryptprimitives.dll under Wine 8, which lacks it.
 *
 * Rust's standard library takes its random bytes from ProcessPrng, exported by
 * bcryptprimitives.dll since Windows 10; Debian 12's Wine 8 has no such DLL, so a Rust .exe
 * does not even start there. This DLL exports ProcessPrng over RtlGenRandom (advapi32's
 * SystemFunction036), which Wine has. scripts/test-windows.sh builds it and puts it beside the
 * executables it runs under Wine; the installer never carries it (real Windows has the DLL). */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
