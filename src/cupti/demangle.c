/* C++ demangling through the Itanium C++ ABI's __cxa_demangle, which
 * libstdc++ exports with C linkage: no C++ source is needed. */
#include <stdlib.h>
#include <string.h>
#include "cupti_internal.h"

/* From the C++ ABI (cxxabi.h declares it extern "C"). */
extern char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

char *bsp_demangle(const char *mangled)
{
    if (!mangled)
        mangled = "";
    if (strncmp(mangled, "_Z", 2) == 0) {
        int status = -1;
        char *d = __cxa_demangle(mangled, NULL, NULL, &status);
        if (d && status == 0)
            return d;
        free(d);
    }
    return strdup(mangled);
}
