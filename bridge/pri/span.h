/* SPDX-License-Identifier: MIT */
/*
 * span.h — the span adapter: one libpri `struct pri` (pri_new_cb) over a
 * D-channel source, for the bridge and the simulator alike. libpri stays
 * behind it: the events come as struct cwi_pri_event and calls are driven
 * through pri_call.h. span_impl.h, private to bridge/pri and the simulator (a
 * libpri program), adds libpri's own events and struct pri.
 *
 * Driving it (docs/libpri.md §6): poll cwi_span_fd() for input and call
 * cwi_span_on_readable(); sleep at most cwi_span_next_timeout_ms(); after each
 * wake-up call cwi_span_run_timers(). Every libpri event goes to the event
 * callback, translated (pri_event.c); the struct is the span's own until the
 * callback returns.
 *
 * Single-threaded: libpri has no locks, and its error/message hooks are
 * process-global (routed here through pri_get_userdata()).
 */
#ifndef BRIDGE_PRI_SPAN_H
#define BRIDGE_PRI_SPAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>

#include "pri_call.h"
#include "dchan.h"
#include "q931.h"

struct cwi_span;

/* Which side of the user-network interface the span is (Q.931 §5). */
enum cwi_span_node { CWI_SPAN_NETWORK = 0, CWI_SPAN_CPE = 1 };

typedef void (*cwi_span_event_cb)(struct cwi_span *span, const struct cwi_pri_event *ev, void *arg);

/* Direction of an observed message. */
enum cwi_span_dir { CWI_SPAN_RX = 0, CWI_SPAN_TX = 1 };

/*
 * Observer of every Q.931 message on the span (SAPI 0, I or UI frame):
 * received ones before libpri processes them, sent ones after the Cause
 * location rewrite. cref is in libpri's form (the events' cref fields):
 * the 15-bit CRV, plus 0x8000 when this side originated the call; -1 for
 * the dummy call reference. Q.921 retransmissions are seen again.
 */
typedef void (*cwi_span_msg_cb)(struct cwi_span *span, enum cwi_span_dir dir, int cref,
                               const struct cwi_q931_info *info, void *arg);

/* The D-channel source reported EOF/ENODEV; it has been closed already. */
typedef void (*cwi_span_lost_cb)(struct cwi_span *span, void *arg);

/* libpri's error (is_error 1) and message (0, debug dumps) text, one piece at a time. */
typedef void (*cwi_span_log_cb)(struct cwi_span *span, int is_error, const char *text, void *arg);

/*
 * cwi_switchtype_from_name() - chan_dahdi switchtype words: euroisdn, ni2,
 * dms100, 4ess, 5ess, qsig, ni1 (and national = ni2), as the switch type
 * cwi_span_new() takes. 0 or -1.
 */
int cwi_switchtype_from_name(const char *name, int *ret_switchtype);

/*
 * cwi_span_new() - create a span; source
 * (may be NULL: frames are then dropped as on a dead line, and Q.921 T200
 * retries) is owned by the span from now on, also on failure; tap, when
 * non-NULL, gets a pcap header now and every frame later (one FILE per
 * span, owned by the caller). pri_hangup_fix is enabled, so a hangup before
 * answer sends DISCONNECT, not RELEASE COMPLETE (docs/libpri.md §2).
 * Returns 0 or -errno; *ret untouched on failure.
 */
int cwi_span_new(struct cwi_span **ret, const char *name, enum cwi_span_node node, int switchtype,
                struct cwi_dchan *source, FILE *tap, cwi_span_event_cb cb, void *arg);

struct cwcap;

/*
 * cwi_span_new_captured() - cwi_span_new() without a tap, every frame of
 * the span (from libpri's first SABME on, both directions) going into the
 * shared capture cap (bridge/capture) as span number `number` (1..65535).
 * cap NULL: as cwi_span_new() with tap NULL.
 */
int cwi_span_new_captured(struct cwi_span **ret, const char *name, enum cwi_span_node node,
                         int switchtype, struct cwi_dchan *source, struct cwcap *cap,
                         unsigned number, cwi_span_event_cb cb, void *arg);

/*
 * cwi_span_free() - close the source and free the adapter. libpri 1.6 cannot
 * free a struct pri (no pri_destroy): it is detached (its callbacks become
 * no-ops) and kept reachable to the end (docs/libpri.md §5). Prefer keeping
 * spans for the life of the process.
 */
void cwi_span_free(struct cwi_span *span);

void cwi_span_set_msg_cb(struct cwi_span *span, cwi_span_msg_cb cb);
void cwi_span_set_lost_cb(struct cwi_span *span, cwi_span_lost_cb cb);
void cwi_span_set_log_cb(struct cwi_span *span, cwi_span_log_cb cb);

const char *cwi_span_name(const struct cwi_span *span);

/* cwi_span_fd() - the source's fd to poll, -1 without a source. */
int cwi_span_fd(const struct cwi_span *span);

/*
 * cwi_span_on_readable() - read and process the frames that are waiting (at
 * most 64 per call; level-triggered polling brings the rest), delivering
 * every event. Returns 0, or -1 when the source was lost (EOF): the lost
 * callback has then been called and the source closed. Never spins on EOF.
 */
int cwi_span_on_readable(struct cwi_span *span);

/*
 * cwi_span_next_timeout_ms() - milliseconds until libpri's next timer,
 * rounded up, 0 when due, -1 when none. now is a gettimeofday() time (NULL:
 * read it): pri_schedule_next() returns an absolute wall-clock timeval.
 */
int cwi_span_next_timeout_ms(struct cwi_span *span, const struct timeval *now);

/* cwi_span_run_timers() - run every due libpri timer, delivering each event. */
void cwi_span_run_timers(struct cwi_span *span);

/*
 * cwi_span_set_source() - put a new source under the same struct pri
 * (reconnect: docs/libpri.md §2), closing the old one. Layer 2
 * re-establishes at the next T200 tick.
 */
void cwi_span_set_source(struct cwi_span *span, struct cwi_dchan *source);

/*
 * cwi_span_set_cause_location() - rewrite the location of every Cause IE sent
 * for cref (libpri form) to location 0..15 from now on; -1 stops it.
 * libpri always sends 1 (LPN) and has no API for it (docs/libpri.md §4). 0 or -1 (full).
 */
int cwi_span_set_cause_location(struct cwi_span *span, int cref, int location);

/*
 * cwi_span_received_cause() - the last Cause IE received for cref, decoded
 * from the wire (libpri does not expose the location). 0, or -1 when none.
 */
int cwi_span_received_cause(const struct cwi_span *span, int cref, int *ret_cause,
                           int *ret_location, int *ret_coding);

/*
 * cwi_span_received_progress() - the Progress indicator descriptions (bit n =
 * description n, Q.931 §4.5.23) of the last message received for cref:
 * libpri does not report them with a DISCONNECT (pri_event_hangup has no
 * progressmask). 0 when none or nothing is known.
 */
unsigned cwi_span_received_progress(const struct cwi_span *span, int cref);

/*
 * cwi_span_received_diagnostic() - the diagnostic octets of the last Cause IE
 * received for cref (Q.850 §2.2.8), at most len copied. Returns how many, 0
 * when none.
 */
size_t cwi_span_received_diagnostic(const struct cwi_span *span, int cref, uint8_t *buf,
                                   size_t len);

/*
 * cwi_span_set_disconnect_progress() - add a Progress indicator (location
 * 0..15, description 1..127; Q.931 §5.3.4.1: 8 = in-band information) to the
 * next DISCONNECT sent for cref that has none: libpri's pri_hangup() cannot
 * (docs/libpri.md §2). description 0 stops it. 0 or -1 (bad argument).
 */
int cwi_span_set_disconnect_progress(struct cwi_span *span, int cref, int location,
                                    int description);

/*
 * cwi_span_set_cause_diagnostic() - append diag[0..n) (Q.850 §2.2.8) to the
 * first Cause IE of every DISCONNECT, RELEASE and RELEASE COMPLETE sent for
 * cref from now on, when that IE carries cause value cause and no diagnostic
 * yet: libpri cannot send a diagnostic (docs/libpri.md §4). For cause
 * 22 diag is the new number (cwi_q931_diag_encode_new_number()). n = 0 stops
 * it. 0, or -1 (bad argument, n > CWI_Q931_CAUSE_IE_MAX - 4).
 */
int cwi_span_set_cause_diagnostic(struct cwi_span *span, int cref, int cause, const uint8_t *diag,
                                 size_t n);

/* cwi_span_forget_cref() - drop what is stored for cref (a new call reuses it). */
void cwi_span_forget_cref(struct cwi_span *span, int cref);

/* The span's layer 2 and Q.931 timers and counters (Q.921 §5.9, Q.931 Table 9-1). */
enum cwi_span_timer {
	CWI_SPAN_T200, CWI_SPAN_T203, CWI_SPAN_T303, CWI_SPAN_T305, CWI_SPAN_T308,
	CWI_SPAN_T309, CWI_SPAN_T313, CWI_SPAN_T316, CWI_SPAN_N200, CWI_SPAN_K,
};

/* cwi_span_set_timer() - a timer in ms (N200 and k: counts). 0, or -1 (libpri refused it). */
int cwi_span_set_timer(struct cwi_span *span, enum cwi_span_timer timer, int value);

#endif
