/* sanitizer_probe.c — a test-only Wireshark plugin that proves the sanitizer
 * set-up catches faults in a plugin running inside the stock tshark.
 *
 * Built only with -DTLSALERTS_SANITIZE=ON, never installed. Loaded beside
 * tlsalerts.so by tests/fuzz/check-sanitizer. When the plugin loader calls
 * plugin_register(), the environment variable TLSALERTS_SANITIZER_PROBE says
 * what to do: "heap-overflow" reads one byte past a heap block (ASan must
 * stop the process), "wmem-overflow" does the same in a block of a
 * Wireshark memory pool (caught only when WIRESHARK_DEBUG_WMEM_OVERRIDE=simple
 * turns pools into plain malloc), "signed-overflow" overflows an int (UBSan
 * must stop it); unset, nothing. The probe registers nothing with Wireshark.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ws_symbol_export.h>
#include <wsutil/wmem/wmem.h>
#include <ws_version.h>

WS_DLL_PUBLIC_DEF const char plugin_version[] = "0.0.0";
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);

static volatile int probe_sink;

void plugin_register(void)
{
    const char *what = getenv("TLSALERTS_SANITIZER_PROBE");
    if (!what)
        return;
    if (strcmp(what, "heap-overflow") == 0) {
        size_t n = strlen(what); /* a size the compiler cannot know */
        volatile char *block = malloc(n);
        memcpy((char *)block, what, n);
        probe_sink = block[n]; /* one byte past the end */
        free((char *)block);
    } else if (strcmp(what, "wmem-overflow") == 0) {
        size_t n = strlen(what);
        wmem_allocator_t *pool = wmem_allocator_new(WMEM_ALLOCATOR_BLOCK);
        volatile char *block = wmem_alloc(pool, n);
        memcpy((char *)block, what, n);
        probe_sink = block[n];
        wmem_destroy_allocator(pool);
    } else if (strcmp(what, "signed-overflow") == 0) {
        volatile int n = INT_MAX;
        probe_sink = n + 1;
    }
    fprintf(stderr, "sanitizer_probe: %s survived\n", what);
}
