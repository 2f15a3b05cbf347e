/* SPDX-License-Identifier: MIT */
/*
 * span.h — the span adapter: one libpri `struct pri` (pri_new_cb) over a
 * D-channel source, for the bridge and the simulator alike. libpri stays
 * behind it: the events come as struct cw_pri_event and calls are driven
 * through pri_call.h. span_impl.h, private to bridge/pri and the simulator (a
 * libpri program), adds libpri's own events and struct pri.
 *
 * Driving it (docs/libpri.md §6): poll cw_span_fd() for input and call
 * cw_span_on_readable(); sleep at most cw_span_next_timeout_ms(); after each
 * wake-up call cw_span_run_timers(). Every libpri event goes to the event
 * callback, translated (pri_event.c); the struct is the span's own until the
 * callback returns.
 *
 * Single-threaded: libpri has no locks, and its error/message hooks are
 * process-global (routed here through pri_get_userdata()).
 */
#ifndef CW_PRI_SPAN_H
#define CW_PRI_SPAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/time.h>

#include "pri_call.h"
#include "dchan.h"
#include "q931.h"

struct cw_span;

/* Which side of the user-network interface the span is (Q.931 §5). */
enum cw_span_node { CW_SPAN_NETWORK = 0, CW_SPAN_CPE = 1 };

typedef void (*cw_span_event_cb)(struct cw_span *span, const struct cw_pri_event *ev, void *arg);

/* Direction of an observed message. */
enum cw_span_dir { CW_SPAN_RX = 0, CW_SPAN_TX = 1 };

/*
 * Observer of every Q.931 message on the span (SAPI 0, I or UI frame):
 * received ones before libpri processes them, sent ones after the Cause
 * location rewrite. cref is in libpri's form (the events' cref fields):
 * the 15-bit CRV, plus 0x8000 when this side originated the call; -1 for
 * the dummy call reference. Q.921 retransmissions are seen again.
 */
typedef void (*cw_span_msg_cb)(struct cw_span *span, enum cw_span_dir dir, int cref,
                               const struct cw_q931_info *info, void *arg);

/* The D-channel source reported EOF/ENODEV; it has been closed already. */
typedef void (*cw_span_lost_cb)(struct cw_span *span, void *arg);

/* libpri's error (is_error 1) and message (0, debug dumps) text, one piece at a time. */
typedef void (*cw_span_log_cb)(struct cw_span *span, int is_error, const char *text, void *arg);

/*
 * cw_switchtype_from_name() - chan_dahdi switchtype words: euroisdn, ni2,
 * dms100, 4ess, 5ess, qsig, ni1 (and national = ni2), as the switch type
 * cw_span_new() takes. 0 or -1.
 */
int cw_switchtype_from_name(const char *name, int *ret_switchtype);

/*
 * cw_span_new() - create a span; source
 * (may be NULL: frames are then dropped as on a dead line, and Q.921 T200
 * retries) is owned by the span from now on, also on failure; tap, when
 * non-NULL, gets a pcap header now and every frame later (one FILE per
 * span, owned by the caller). pri_hangup_fix is enabled, so a hangup before
 * answer sends DISCONNECT, not RELEASE COMPLETE (docs/libpri.md §2).
 * Returns 0 or -errno; *ret untouched on failure.
 */
int cw_span_new(struct cw_span **ret, const char *name, enum cw_span_node node, int switchtype,
                struct cw_dchan *source, FILE *tap, cw_span_event_cb cb, void *arg);

/*
 * cw_span_free() - close the source and free the adapter. libpri 1.6 cannot
 * free a struct pri (no pri_destroy): it is detached (its callbacks become
 * no-ops) and kept reachable to the end (docs/libpri.md §5). Prefer keeping
 * spans for the life of the process.
 */
void cw_span_free(struct cw_span *span);

void cw_span_set_msg_cb(struct cw_span *span, cw_span_msg_cb cb);
void cw_span_set_lost_cb(struct cw_span *span, cw_span_lost_cb cb);
void cw_span_set_log_cb(struct cw_span *span, cw_span_log_cb cb);

const char *cw_span_name(const struct cw_span *span);

/* cw_span_fd() - the source's fd to poll, -1 without a source. */
int cw_span_fd(const struct cw_span *span);

/*
 * cw_span_on_readable() - read and process the frames that are waiting (at
 * most 64 per call; level-triggered polling brings the rest), delivering
 * every event. Returns 0, or -1 when the source was lost (EOF): the lost
 * callback has then been called and the source closed. Never spins on EOF.
 */
int cw_span_on_readable(struct cw_span *span);

/*
 * cw_span_next_timeout_ms() - milliseconds until libpri's next timer,
 * rounded up, 0 when due, -1 when none. now is a gettimeofday() time (NULL:
 * read it): pri_schedule_next() returns an absolute wall-clock timeval.
 */
int cw_span_next_timeout_ms(struct cw_span *span, const struct timeval *now);

/* cw_span_run_timers() - run every due libpri timer, delivering each event. */
void cw_span_run_timers(struct cw_span *span);

/*
 * cw_span_set_source() - put a new source under the same struct pri
 * (reconnect: docs/libpri.md §2), closing the old one. Layer 2
 * re-establishes at the next T200 tick.
 */
void cw_span_set_source(struct cw_span *span, struct cw_dchan *source);

/*
 * cw_span_set_cause_location() - rewrite the location of every Cause IE sent
 * for cref (libpri form) to location 0..15 from now on; -1 stops it.
 * libpri always sends 1 (LPN) and has no API for it (docs/libpri.md §4). 0 or -1 (full).
 */
int cw_span_set_cause_location(struct cw_span *span, int cref, int location);

/*
 * cw_span_received_cause() - the last Cause IE received for cref, decoded
 * from the wire (libpri does not expose the location). 0, or -1 when none.
 */
int cw_span_received_cause(const struct cw_span *span, int cref, int *ret_cause,
                           int *ret_location, int *ret_coding);

/*
 * cw_span_received_progress() - the Progress indicator descriptions (bit n =
 * description n, Q.931 §4.5.23) of the last message received for cref:
 * libpri does not report them with a DISCONNECT (pri_event_hangup has no
 * progressmask). 0 when none or nothing is known.
 */
unsigned cw_span_received_progress(const struct cw_span *span, int cref);

/*
 * cw_span_received_diagnostic() - the diagnostic octets of the last Cause IE
 * received for cref (Q.850 §2.2.8), at most len copied. Returns how many, 0
 * when none.
 */
size_t cw_span_received_diagnostic(const struct cw_span *span, int cref, uint8_t *buf,
                                   size_t len);

/*
 * cw_span_set_disconnect_progress() - add a Progress indicator (location
 * 0..15, description 1..127; Q.931 §5.3.4.1: 8 = in-band information) to the
 * next DISCONNECT sent for cref that has none: libpri's pri_hangup() cannot
 * (docs/libpri.md §2). description 0 stops it. 0 or -1 (bad argument).
 */
int cw_span_set_disconnect_progress(struct cw_span *span, int cref, int location,
                                    int description);

/*
 * cw_span_set_cause_diagnostic() - append diag[0..n) (Q.850 §2.2.8) to the
 * first Cause IE of every DISCONNECT, RELEASE and RELEASE COMPLETE sent for
 * cref from now on, when that IE carries cause value cause and no diagnostic
 * yet: libpri cannot send a diagnostic (docs/libpri.md §4). For cause
 * 22 diag is the new number (cw_q931_diag_encode_new_number()). n = 0 stops
 * it. 0, or -1 (bad argument, n > CW_Q931_CAUSE_IE_MAX - 4).
 */
int cw_span_set_cause_diagnostic(struct cw_span *span, int cref, int cause, const uint8_t *diag,
                                 size_t n);

/* cw_span_forget_cref() - drop what is stored for cref (a new call reuses it). */
void cw_span_forget_cref(struct cw_span *span, int cref);

/* The span's layer 2 and Q.931 timers and counters (Q.921 §5.9, Q.931 Table 9-1). */
enum cw_span_timer {
	CW_SPAN_T200, CW_SPAN_T203, CW_SPAN_T303, CW_SPAN_T305, CW_SPAN_T308,
	CW_SPAN_T309, CW_SPAN_T313, CW_SPAN_T316, CW_SPAN_N200, CW_SPAN_K,
};

/* cw_span_set_timer() - a timer in ms (N200 and k: counts). 0, or -1 (libpri refused it). */
int cw_span_set_timer(struct cw_span *span, enum cw_span_timer timer, int value);

#endif
