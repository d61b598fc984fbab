/* report_prom.c — `tshark -z tlsalerts,prom[,file=PATH][,interval=N][,filter]`:
 * the counters in the Prometheus text exposition format, printed at the end of
 * the run, or kept in a textfile for node_exporter's textfile collector and
 * rewritten every N seconds (default 15) while tshark captures, then once more
 * when it stops (tshark draws the listeners on a clean stop, SIGINT/SIGTERM).
 * Counting semantics: core/prom_counters.h; options: core/prom_options.h.
 *
 * Threads. Wireshark is single-threaded: taps, dissectors, wmem and the
 * conversations are touched only by tshark's main thread. Periodic writes
 * must also happen while no packet arrives, and tshark offers a plugin no
 * timer, so a GLib thread does the writing. It touches nothing of Wireshark's:
 *   - the main thread, in the tap callbacks, updates our counters under
 *     `lock` (records are read there, where their conversations are alive);
 *   - the writer thread, under the same lock, renders the counters into a
 *     string (tlsa_prom_counters_render() reads only the counters' own
 *     tables and the alert catalog's static names, built before the thread
 *     starts), then writes the file outside the lock with plain POSIX calls;
 *   - the thread blocks every signal, so tshark's SIGINT/SIGTERM handlers run
 *     on the main thread as tshark expects;
 *   - the draw callback (main thread) stops and joins the thread before the
 *     final write, and the finish callback frees everything after that.
 * Session resets (tshark -M) free every conversation: a cleanup routine,
 * called by epan before the file-scope memory goes (main thread, under the
 * lock), keeps by key the pending conversations that the companion carries
 * into the next session (core/conv_carry.h), settles the others and forgets
 * them all. The decision reads only the conversation's own state, so it does
 * not matter whether the companion's cleanup routine runs before or after.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "config_tlsalerts.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <epan/epan.h>
#include <epan/packet.h>
#include <epan/packet_info.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "alert_catalog.h"
#include "cli_args.h"
#include "prom_counters.h"
#include "prom_options.h"
#include "prom_textfile.h"
#include "stats_register.h"
#include "tap_record.h"
#include "conv_bound.h"
#include "ws_compat.h"

#define PROM_CLI "tlsalerts,prom"

typedef struct {
    GMutex lock;               /* guards counters and stop */
    GCond wake;
    tlsa_prom_counters_t counters;
    tlsa_prom_options_t options;
    gboolean stop;
    GThread *writer;
    struct frame_link *frames; /* tapdata of the "frame" listener */
    char *wireshark_version;
} prom_listener_t;

/* The "frame" listener's tapdata: Wireshark removes the two listeners one
 * after the other in either order, so each frees only its own data. */
typedef struct frame_link {
    prom_listener_t *listener; /* NULL once the tlsalerts listener is gone */
} frame_link_t;

/* Listeners alive now, for the session-reset cleanup routine (main thread only). */
static GSList *listeners;

static G_NORETURN void fail(const char *message)
{
    const char *program = g_get_prgname();
    fprintf(stderr, "%s: -z %s: %s\n", program ? program : "tshark", PROM_CLI, message);
    exit(1);
}

/* Renders the counters; call with the lock held. */
static GString *render_locked(prom_listener_t *l)
{
    tlsa_prom_info_t info = { TLSALERTS_VERSION, l->wireshark_version,
                              (double)(g_get_real_time() / 1000) / 1000.0 };
    GString *text = g_string_sized_new(4096);
    tlsa_prom_counters_render(&l->counters, &info, text);
    return text;
}

/* One textfile write; any thread. A failure is counted and reported, and the
 * previous file stays. */
static gboolean write_textfile(prom_listener_t *l)
{
    g_mutex_lock(&l->lock);
    GString *text = render_locked(l);
    g_mutex_unlock(&l->lock);
    char *err = NULL;
    gboolean ok = tlsa_textfile_replace(l->options.file, text->str, text->len, &err);
    g_string_free(text, TRUE);
    if (!ok) {
        g_mutex_lock(&l->lock);
        l->counters.write_errors++;
        g_mutex_unlock(&l->lock);
        fprintf(stderr, "tlsalerts: %s\n", err);
        g_free(err);
    }
    return ok;
}

static gpointer writer_main(gpointer data)
{
    prom_listener_t *l = (prom_listener_t *)data;
    for (;;) {
        gint64 deadline = g_get_monotonic_time() + (gint64)l->options.interval * G_TIME_SPAN_SECOND;
        g_mutex_lock(&l->lock);
        while (!l->stop && g_cond_wait_until(&l->wake, &l->lock, deadline))
            ; /* woken early (spuriously): wait again until the deadline */
        gboolean stop = l->stop;
        g_mutex_unlock(&l->lock);
        if (stop)
            return NULL;
        write_textfile(l);
    }
}

static void start_writer(prom_listener_t *l)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old); /* the thread inherits this mask */
    l->writer = g_thread_new("tlsalerts-prom", writer_main, l);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void stop_writer(prom_listener_t *l)
{
    if (!l->writer)
        return;
    g_mutex_lock(&l->lock);
    l->stop = TRUE;
    g_cond_signal(&l->wake);
    g_mutex_unlock(&l->lock);
    g_thread_join(l->writer);
    l->writer = NULL;
}

static tap_packet_status prom_packet(void *data, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                     const void *record, tap_flags_t flags _U_)
{
    prom_listener_t *l = (prom_listener_t *)data;
    const tlsa_tap_frame_t *frame = (const tlsa_tap_frame_t *)record;
    g_mutex_lock(&l->lock);
    for (guint32 i = 0; i < frame->count; i++)
        if (tlsa_record_counts(&frame->records[i]))
            tlsa_prom_counters_add_record(&l->counters, &frame->records[i]);
    g_mutex_unlock(&l->lock);
    return TAP_PACKET_DONT_REDRAW;
}

static tap_packet_status prom_frame(void *data, packet_info *pinfo, epan_dissect_t *edt _U_,
                                    const void *unused _U_, tap_flags_t flags _U_)
{
    prom_listener_t *l = ((frame_link_t *)data)->listener;
    if (!l)
        return TAP_PACKET_DONT_REDRAW;
    g_mutex_lock(&l->lock);
    tlsa_prom_counters_frame(&l->counters, (int64_t)pinfo->abs_ts.secs);
    g_mutex_unlock(&l->lock);
    return TAP_PACKET_DONT_REDRAW;
}

/* tshark draws once, at the end of the run (also after SIGINT/SIGTERM). */
static void prom_draw(void *data)
{
    prom_listener_t *l = (prom_listener_t *)data;
    stop_writer(l);
    g_mutex_lock(&l->lock);
    tlsa_prom_counters_settle_all(&l->counters);
    g_mutex_unlock(&l->lock);
    if (l->options.file) {
        write_textfile(l);
        return;
    }
    g_mutex_lock(&l->lock);
    GString *text = render_locked(l);
    g_mutex_unlock(&l->lock);
    fputs(text->str, stdout);
    fflush(stdout);
    g_string_free(text, TRUE);
}

static void frame_finish(void *data)
{
    frame_link_t *link = (frame_link_t *)data;
    if (link->listener)
        link->listener->frames = NULL;
    g_free(link);
}

static void prom_fold(void *data, const tlsa_conv_t *conv);

static void prom_finish(void *data)
{
    prom_listener_t *l = (prom_listener_t *)data;
    stop_writer(l);
    if (l->frames)
        l->frames->listener = NULL;
    listeners = g_slist_remove(listeners, l);
    tlsa_fold_unlisten(prom_fold, l);
    tlsa_prom_counters_free(&l->counters);
    tlsa_prom_options_clear(&l->options);
    g_mutex_clear(&l->lock);
    g_cond_clear(&l->wake);
    g_free(l->wireshark_version);
    g_free(l);
}

/* A conversation is folded (conv_bound.h): before it is freed. */
static void prom_fold(void *data, const tlsa_conv_t *conv)
{
    prom_listener_t *l = (prom_listener_t *)data;
    g_mutex_lock(&l->lock);
    tlsa_prom_counters_fold(&l->counters, conv);
    g_mutex_unlock(&l->lock);
}

/* epan cleanup (tshark -M session reset, a new file, the end): the
 * conversations the counters point to are about to be freed. */
static void prom_session_cleanup(void)
{
    for (GSList *it = listeners; it; it = it->next) {
        prom_listener_t *l = (prom_listener_t *)it->data;
        g_mutex_lock(&l->lock);
        tlsa_prom_counters_new_session(&l->counters);
        g_mutex_unlock(&l->lock);
    }
}

static tlsa_stat_tap_init_ret prom_start(const char *opt_arg, void *userdata _U_)
{
    prom_listener_t *l = g_new0(prom_listener_t, 1);
    char *err = NULL;
    if (!tlsa_prom_options_parse(opt_arg, PROM_CLI, &l->options, &err))
        fail(err);
    g_mutex_init(&l->lock);
    g_cond_init(&l->wake);
    tlsa_prom_counters_init(&l->counters);
    l->wireshark_version = g_strdup(epan_get_version());
    (void)tlsa_alert_label(0); /* builds the catalog's names now, before any thread reads them */

    if (l->options.file) {
        /* A path that cannot be written is an error now, not an empty dashboard later. */
        g_mutex_lock(&l->lock);
        GString *text = render_locked(l);
        g_mutex_unlock(&l->lock);
        if (!tlsa_textfile_replace(l->options.file, text->str, text->len, &err))
            fail(err);
        g_string_free(text, TRUE);
    }

    char *cli = l->options.filter ? g_strdup_printf("%s,%s", PROM_CLI, l->options.filter) : g_strdup(PROM_CLI);
    tlsa_cli_register_listener(cli, PROM_CLI, l, NULL, (gpointer)prom_packet, prom_draw, prom_finish);
    g_free(cli);
    l->frames = g_new0(frame_link_t, 1);
    l->frames->listener = l;
    GString *error = register_tap_listener("frame", l->frames, NULL, TL_REQUIRES_NOTHING, NULL,
                                           prom_frame, NULL, frame_finish);
    if (error)
        fail(error->str);
    listeners = g_slist_prepend(listeners, l);
    tlsa_fold_listen(prom_fold, l);
    if (l->options.file)
        start_writer(l);
    return TLSA_STAT_TAP_INIT_OK;
}

void tlsa_register_report_prom(void)
{
    static tap_param params[] = {
        { PARAM_FILTER, "filter", "Filter", NULL, TRUE },
    };
    static stat_tap_ui ui = {
        .group = REGISTER_STAT_GROUP_GENERIC,
        .title = NULL,
        .cli_string = PROM_CLI,
        .tap_init_cb = prom_start,
        .nparams = G_N_ELEMENTS(params),
        .params = params,
    };
    register_stat_tap_ui(&ui, NULL);
    register_cleanup_routine(prom_session_cleanup);
}
