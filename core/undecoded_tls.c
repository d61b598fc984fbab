/* undecoded_tls.c — TLS that Wireshark did not decode as TLS (see the header).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "undecoded_tls.h"

#include <string.h>

#include "frame_decision.h"
#include "number_text.h"

bool tlsa_looks_like_client_hello(const uint8_t *b, size_t len)
{
    /* Stricter than frame_decision's test for a ClientHello begun on a TLS
     * conversation: this one runs on any TCP payload. */
    if (len < 11 || !tlsa_payload_starts_client_hello(b, (unsigned)len) || b[10] > 4)
        return false;
    unsigned record = (unsigned)b[3] << 8 | b[4];
    unsigned message = (unsigned)b[6] << 16 | (unsigned)b[7] << 8 | b[8];
    /* A record holds at most 2^14 bytes of plaintext; the smallest
     * ClientHello (version, random, empty session id, one suite, one
     * compression method) is 38 bytes; a ClientHello is at most 2^16 + a
     * little (its extensions block has a 16-bit length). A ClientHello
     * fragmented over records is longer than its first record. */
    return record >= 4 + 38 && record <= 16384 && message >= 38 && message <= 65536 + 1024;
}

void tlsa_undecoded_reset(tlsa_undecoded_t *u)
{
    memset(u, 0, sizeof *u);
}

bool tlsa_undecoded_add(tlsa_undecoded_t *u, uint16_t port)
{
    u->total++;
    if (port == 0) {
        u->other_ports++;
        return false;
    }
    unsigned i = 0;
    while (i < u->n_ports && u->ports[i].port < port)
        i++;
    if (i < u->n_ports && u->ports[i].port == port) {
        u->ports[i].client_hellos++;
        return true;
    }
    if (u->n_ports == TLSA_UNDECODED_PORTS) {
        u->other_ports++;
        return false;
    }
    memmove(&u->ports[i + 1], &u->ports[i], (u->n_ports - i) * sizeof u->ports[0]);
    u->ports[i].port = port;
    u->ports[i].client_hellos = 1;
    u->n_ports++;
    return true;
}

void tlsa_undecoded_add_record(tlsa_undecoded_t *u, const tlsa_record_t *rec)
{
    if (rec->kind == TLSA_REC_UNDECODED_TLS && tlsa_record_counts(rec))
        tlsa_undecoded_add(u, rec->port);
}

static void append_uint(GString *out, uint64_t value)
{
    char num[TLSA_UINT_TEXT_MAX];
    g_string_append_len(out, num, (gssize)tlsa_uint_text(num, value));
}

void tlsa_undecoded_decode_as(uint16_t port, GString *out)
{
    g_string_append(out, "tcp.port==");
    append_uint(out, port);
    g_string_append(out, ",tls");
}

void tlsa_undecoded_options(const tlsa_undecoded_t *u, GString *out)
{
    for (unsigned i = 0; i < u->n_ports; i++) {
        if (i)
            g_string_append_c(out, ' ');
        g_string_append(out, "-d ");
        tlsa_undecoded_decode_as(u->ports[i].port, out);
    }
}

const char *tlsa_undecoded_note(const tlsa_undecoded_t *u, GString *out)
{
    if (!u->total)
        return NULL;
    append_uint(out, u->total);
    g_string_append(out, u->total == 1 ? " TLS ClientHello was" : " TLS ClientHellos were");
    g_string_append(out, " not decoded as TLS (TCP port");
    if (u->n_ports > 1)
        g_string_append_c(out, 's');
    for (unsigned i = 0; i < u->n_ports; i++) {
        g_string_append(out, i ? ", " : " ");
        append_uint(out, u->ports[i].port);
        g_string_append(out, ": ");
        append_uint(out, u->ports[i].client_hellos);
    }
    if (u->other_ports) {
        g_string_append(out, ", other ports: ");
        append_uint(out, u->other_ports);
    }
    g_string_append(out, "): another dissector took the port or a STARTTLS was not followed; run again with ");
    tlsa_undecoded_options(u, out);
    return out->str;
}
