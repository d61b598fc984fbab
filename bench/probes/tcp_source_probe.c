/* tcp_source_probe.c — a benchmark-only Wireshark plugin that measures what
 * the two ways of learning a frame's TCP flags and sequence number cost
 * tshark, with nothing else around them (bench/tcp-source-cost).
 *
 * TLSA_TCP_PROBE (read when the plugin registers) picks one:
 *   post  a post-dissector that wants no field (what any post-dissector costs)
 *   want  a post-dissector that wants TCP's protocol item and reads the flags
 *         and sequence number from its bytes (tlsalerts on Wireshark 4.6,
 *         where a post-dissector sees only the items it wants)
 *   fields a post-dissector that wants the fields tcp.flags and tcp.seq_raw
 *         (what tlsalerts did before it read TCP's item)
 *   tap   a listener of Wireshark's "tcp" tap, which hands over the parsed
 *         header (struct tcpheader) of every TCP frame without a tree field
 *   unset: registers nothing.
 * With TLSA_TCP_PROBE_REPORT set it prints at exit how many TCP headers it
 * read ("tcp_source_probe: MODE read N"): bench/tcp-source-cost --smoke
 * checks that against tshark's own count.
 * Never installed; not part of the tlsalerts plugin.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/tap.h>
#include <epan/dissectors/packet-tcp.h>
#include <ws_symbol_export.h>
#include <ws_version.h>

#include "ws_compat.h" /* the plugin's version shims (plugin/) */

WS_DLL_PUBLIC_DEF const char plugin_version[] = "0.0.0";
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;
TLSA_PLUGIN_DESCRIBE(WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER)

WS_DLL_PUBLIC void plugin_register(void);

static int proto_probe = -1;
static const char *mode;
static volatile unsigned long sink; /* what was read, so that nothing is optimised away */
static unsigned long headers_read;

static int hf_flags = -1, hf_seq_raw = -1;

static int dissect_probe(tvbuff_t *tvb _U_, packet_info *pinfo _U_, proto_tree *tree, void *data _U_)
{
    if (!tree)
        return 0;
    if (strcmp(mode, "fields") == 0) {
        GPtrArray *flags = proto_get_finfo_ptr_array(tree, hf_flags);
        GPtrArray *seq = proto_get_finfo_ptr_array(tree, hf_seq_raw);
        if (flags && flags->len && seq && seq->len) {
            /* From the items' bytes: field_info's value changed type in 4.4. */
            const field_info *f = (const field_info *)g_ptr_array_index(flags, flags->len - 1);
            const field_info *q = (const field_info *)g_ptr_array_index(seq, seq->len - 1);
            if (f->ds_tvb && q->ds_tvb && tvb_bytes_exist(f->ds_tvb, f->start, 2) &&
                tvb_bytes_exist(q->ds_tvb, q->start, 4))
            {
                sink += tvb_get_ntohs(f->ds_tvb, f->start) ^ tvb_get_ntohl(q->ds_tvb, q->start);
                headers_read++;
            }
        }
        return 0;
    }
    if (strcmp(mode, "want") != 0)
        return 0;
    GPtrArray *items = proto_get_finfo_ptr_array(tree, proto_get_id_by_filter_name("tcp"));
    if (items && items->len) {
        const field_info *fi = (const field_info *)g_ptr_array_index(items, items->len - 1);
        if (fi->ds_tvb && tvb_bytes_exist(fi->ds_tvb, fi->start, 14)) {
            sink += tvb_get_ntohl(fi->ds_tvb, fi->start + 4) ^ (tvb_get_ntohs(fi->ds_tvb, fi->start + 12) & 0x0fffu);
            headers_read++;
        }
    }
    return 0;
}

static tap_packet_status tcp_packet(void *tapdata _U_, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                    const void *data, tap_flags_t flags _U_)
{
    const struct tcpheader *th = (const struct tcpheader *)data;
    sink += th->th_rawseq ^ th->th_flags;
    headers_read++;
    return TAP_PACKET_DONT_REDRAW;
}

static void report(void)
{
    if (getenv("TLSA_TCP_PROBE_REPORT"))
        fprintf(stderr, "tcp_source_probe: %s read %lu\n", mode, headers_read);
}

static void register_probe(void)
{
    register_shutdown_routine(report);
    proto_probe = proto_register_protocol("TCP source probe (benchmark)", "tcpsourceprobe", "tcpsourceprobe");
}

static void handoff_probe(void)
{
    if (strcmp(mode, "tap") == 0) {
        static int listener;
        GString *error = register_tap_listener("tcp", &listener, NULL, TL_REQUIRES_NOTHING, NULL, tcp_packet,
                                               NULL, NULL);
        if (error) {
            fprintf(stderr, "tcp_source_probe: %s\n", error->str);
            exit(2);
        }
        return;
    }
    dissector_handle_t handle = create_dissector_handle(dissect_probe, proto_probe);
    register_postdissector(handle);
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
    if (strcmp(mode, "want") == 0) {
        int tcp = proto_get_id_by_filter_name("tcp");
        g_array_append_val(wanted, tcp);
    } else if (strcmp(mode, "fields") == 0) {
        hf_flags = proto_registrar_get_id_byname("tcp.flags");
        hf_seq_raw = proto_registrar_get_id_byname("tcp.seq_raw");
        g_array_append_val(wanted, hf_flags);
        g_array_append_val(wanted, hf_seq_raw);
    }
    if (wanted->len)
        set_postdissector_wanted_hfids(handle, wanted);
    else
        g_array_free(wanted, TRUE);
}

void plugin_register(void)
{
    mode = getenv("TLSA_TCP_PROBE");
    if (!mode || (strcmp(mode, "post") != 0 && strcmp(mode, "want") != 0 && strcmp(mode, "fields") != 0 &&
                  strcmp(mode, "tap") != 0))
        return;
    static proto_plugin plug = { .register_protoinfo = register_probe, .register_handoff = handoff_probe };
    proto_register_plugin(&plug);
}
