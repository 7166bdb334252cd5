/* ProcessPrng for wine 8 (Debian 12), which lacks bcryptprimitives.dll: Rust's standard
 * library takes its random numbers from it on Windows 10 and later. Built by
 * scripts/windows-tests and found through WINEPATH only while the tests run under wine; a real
 * Windows has its own. Fills the buffer from RtlGenRandom (advapi32's SystemFunction036). */
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
