/* SPDX-License-Identifier: MIT */
/*
 * span.c — libpri over a D-channel source through pri_new_cb().
 *
 * Why pri_new_cb and not pri_new (docs/libpri.md §1): pri_new's own
 * read treats EOF as "no data" (a level-triggered loop spins at 100 % CPU),
 * its write has no MSG_NOSIGNAL, and only our own callbacks can tell "frame
 * consumed, no event" from "no data", tap the frames, read the Cause
 * location and rewrite it, and swap the fd under the same struct pri.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capture/capture.h"
#include "span_impl.h"
#include "tap.h"

#define SPAN_CREF_SLOTS 128 /* > 30 B-channels of an E1 with room for CRV reuse */
#define SPAN_MAX_FRAMES_PER_READABLE 64
#define SPAN_MAX_TIMER_EVENTS 4096
#define SPAN_FRAME_MAX 1100 /* libpri reads into a 1024-byte buffer (pri_check_event) */

struct cref_slot {
	int cref;        /* libpri form; -1 = free */
	int tx_location; /* location to write into sent Cause IEs, -1 = leave libpri's */
	int rx_valid;
	int rx_cause, rx_location, rx_coding;
	unsigned rx_progress;  /* PI descriptions of the last message received */
	size_t rx_diag_len;    /* diagnostic of the last Cause IE received */
	uint8_t rx_diag[CWI_Q931_DIAG_MAX];
	int tx_pi_location, tx_pi_description; /* PI to add to a DISCONNECT, 0 = none */
	int tx_diag_cause;     /* the cause value the diagnostic goes with */
	size_t tx_diag_len;    /* diagnostic to add to a sent Cause IE, 0 = none */
	uint8_t tx_diag[CWI_Q931_CAUSE_IE_MAX - 4];
	unsigned long used; /* LRU stamp */
};

struct cwi_span {
	struct pri *pri;
	struct cwi_dchan *src;
	FILE *tap;
	cwcap *cap;      /* the shared capture, NULL if none */
	unsigned cap_number;
	int node;
	char name[64];
	cwi_span_event_cb cb;        /* bridge/pri's events (cwi_span_new) */
	cwi_span_libpri_cb libpri_cb; /* or libpri's own (cwi_span_new_libpri) */
	cwi_span_msg_cb msg_cb;
	cwi_span_lost_cb lost_cb;
	cwi_span_log_cb log_cb;
	void *arg;
	int got_data; /* set by the read callback: pri_check_event() returned NULL after a frame */
	int lost;     /* the read callback saw EOF */
	int drop_rx, drop_tx; /* fault injection: frames discarded, the socket stays open */
	unsigned long stamp;
	struct cref_slot slots[SPAN_CREF_SLOTS];
};

int cwi_switchtype_from_name(const char *name, int *ret_switchtype)
{
	/* chan_dahdi.conf "switchtype" words (chan_dahdi.conf.sample). */
	static const struct {
		const char *name;
		int sw;
	} words[] = {
		{ "euroisdn", PRI_SWITCH_EUROISDN_E1 },
		{ "ni2", PRI_SWITCH_NI2 },
		{ "national", PRI_SWITCH_NI2 },
		{ "ni1", PRI_SWITCH_NI1 },
		{ "dms100", PRI_SWITCH_DMS100 },
		{ "4ess", PRI_SWITCH_ATT4ESS },
		{ "5ess", PRI_SWITCH_LUCENT5E },
		{ "qsig", PRI_SWITCH_QSIG },
	};
	size_t i;

	if (!name || !ret_switchtype)
		return -1;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcasecmp(name, words[i].name) == 0) {
			*ret_switchtype = words[i].sw;
			return 0;
		}
	}
	return -1;
}

static int slot_index(const struct cwi_span *span, int cref)
{
	int i;

	for (i = 0; i < SPAN_CREF_SLOTS; i++)
		if (span->slots[i].cref == cref)
			return i;
	return -1;
}

static struct cref_slot *slot_find(struct cwi_span *span, int cref)
{
	int i = slot_index(span, cref);

	return i < 0 ? NULL : &span->slots[i];
}

/* Finds or takes a slot for cref, evicting the least recently used one. */
static struct cref_slot *slot_get(struct cwi_span *span, int cref)
{
	struct cref_slot *s = slot_find(span, cref), *victim = &span->slots[0];
	size_t i;

	if (!s) {
		for (i = 0; i < SPAN_CREF_SLOTS; i++) {
			if (span->slots[i].cref < 0) {
				victim = &span->slots[i];
				break;
			}
			if (span->slots[i].used < victim->used)
				victim = &span->slots[i];
		}
		s = victim;
		s->cref = cref;
		s->tx_location = -1;
		s->rx_valid = 0;
		s->rx_progress = 0;
		s->rx_diag_len = 0;
		s->tx_pi_description = 0;
		s->tx_diag_len = 0;
	}
	s->used = ++span->stamp;
	return s;
}

/*
 * libpri's form of a call reference (q931.c keeps 0x8000 on calls this side
 * originated). Q.931 §4.3: the flag is 0 in messages sent by the side that
 * allocated the CRV, 1 in messages sent to it.
 */
static int cref_of(enum cwi_span_dir dir, const struct cwi_q931_info *info)
{
	int ours;

	if (info->crlen == 0)
		return -1; /* dummy call reference */
	ours = dir == CWI_SPAN_TX ? !info->flag : info->flag;
	return (int)info->crv | (ours ? 0x8000 : 0);
}

/* Taps, decodes and reports one frame (2 FCS bytes at its end). With cap > 0 (a
   sent frame, buffer of cap octets) it may rewrite it; returns the new length. */
static size_t span_observe(struct cwi_span *span, enum cwi_span_dir dir, uint8_t *frame, size_t len,
                           size_t cap)
{
	int rewrite = cap > 0;
	struct cwi_q931_info info;
	int off, cref;
	size_t flen = len >= 2 ? len - 2 : 0; /* strip libpri's 2 FCS bytes */

	off = cwi_q921_payload(frame, flen);
	if (off >= 0 && cwi_q931_decode(frame + off, flen - (size_t)off, &info) == 0) {
		cref = cref_of(dir, &info);
		if (cref >= 0) {
			struct cref_slot *s = slot_find(span, cref);

			if (dir == CWI_SPAN_TX && rewrite && s && s->tx_location >= 0 && info.n_causes) {
				cwi_q931_rewrite_cause_location(frame + off, flen - (size_t)off,
				                               s->tx_location);
				(void)cwi_q931_decode(frame + off, flen - (size_t)off, &info);
			}
			if (dir == CWI_SPAN_TX && rewrite && s && s->tx_pi_description > 0 &&
			    info.msgtype == CWI_Q931_DISCONNECT && !info.has_progress) {
				/* Q.931 §5.3.4.1: DISCONNECT with PI 8; libpri cannot add it */
				int n = cwi_q931_add_progress(frame + off, flen - (size_t)off, len - flen,
				                             cap - (size_t)off, s->tx_pi_location,
				                             s->tx_pi_description);

				if (n > 0) {
					flen = (size_t)off + (size_t)n;
					len = flen + 2;
					(void)cwi_q931_decode(frame + off, flen - (size_t)off, &info);
				}
				/* kept: a Q.921 retransmission of libpri's frame needs it again */
			}
			if (dir == CWI_SPAN_TX && rewrite && s && s->tx_diag_len > 0 && info.has_cause &&
			    info.cause_value == s->tx_diag_cause && info.cause_diag_len == 0 &&
			    (info.msgtype == CWI_Q931_DISCONNECT || info.msgtype == CWI_Q931_RELEASE ||
			     info.msgtype == CWI_Q931_RELEASE_COMPLETE)) {
				/* Q.850 §2.2.8: the diagnostic libpri cannot send (e.g. cause 22's
				   new number), grown into the Cause IE within the frame buffer */
				int n = cwi_q931_add_cause_diagnostic(frame + off, flen - (size_t)off,
				                                     len - flen, cap - (size_t)off,
				                                     s->tx_diag_cause, s->tx_diag,
				                                     s->tx_diag_len);

				if (n > 0) {
					flen = (size_t)off + (size_t)n;
					len = flen + 2;
					(void)cwi_q931_decode(frame + off, flen - (size_t)off, &info);
				}
			}
			if (dir == CWI_SPAN_RX) {
				s = slot_find(span, cref);
				if (s)
					s->rx_progress = info.progress_mask;
			}
			if (dir == CWI_SPAN_RX && info.has_cause) {
				s = slot_get(span, cref);
				s->rx_valid = 1;
				s->rx_cause = info.cause_value;
				s->rx_location = info.cause_location;
				s->rx_coding = info.cause_coding;
				s->rx_progress = info.progress_mask;
				s->rx_diag_len = info.cause_diag_len;
				memcpy(s->rx_diag, info.cause_diag, info.cause_diag_len);
			}
		}
		if (span->msg_cb)
			span->msg_cb(span, dir, cref, &info, span->arg);
	}
	if (span->tap)
		(void)cwi_tap_write_frame(span->tap, NULL, dir == CWI_SPAN_TX,
		                         span->node == PRI_NETWORK, frame, flen);
	cwcap_lapd(span->cap, span->cap_number, dir == CWI_SPAN_TX, frame, flen);
	return len;
}

/* pri_io_cb read: one frame with its 2 FCS bytes, or 0 for "nothing". */
static int span_read(struct pri *pri, void *buf, int buflen)
{
	struct cwi_span *span = pri_get_userdata(pri);
	ssize_t n;

	if (!span || !span->src || span->lost || buflen <= 0)
		return 0;
	n = cwi_dchan_read(span->src, buf, (size_t)buflen);
	if (n == CWI_DCHAN_LOST) {
		span->lost = 1; /* libpri cannot be told; the caller is (cwi_span_on_readable) */
		return 0;
	}
	if (n <= 0)
		return 0;
	span->got_data = 1;
	if (span->drop_rx)
		return 0; /* read and discarded: a lost frame, Q.921 T200/N200 decide (Q.921 §5.6) */
	(void)span_observe(span, CWI_SPAN_RX, buf, (size_t)n, 0);
	return (int)n;
}

/* pri_io_cb write: must return exactly buflen, or libpri logs "Short write"
 * and keeps the I-frame queued for T200 retransmission. */
static int span_write(struct pri *pri, void *buf, int buflen)
{
	struct cwi_span *span = pri_get_userdata(pri);
	uint8_t copy[SPAN_FRAME_MAX];
	size_t len;

	if (!span || buflen <= 0)
		return buflen;
	if ((size_t)buflen > sizeof(copy))
		return 0; /* larger than any Q.921 frame libpri builds */
	/* Rewrite a copy: libpri keeps the original for retransmission, which
	 * comes through here again and is rewritten the same way. No FCS to fix:
	 * libpri computes none (docs/libpri.md §1) and DAHDI computes its own (docs/dahdi.md §1.2). */
	memcpy(copy, buf, (size_t)buflen);
	len = span_observe(span, CWI_SPAN_TX, copy, (size_t)buflen, sizeof(copy));
	if (!span->src || span->lost || span->drop_tx)
		return buflen; /* a dead line: the frame is gone, Q.921 recovers */
	/* libpri is told its own length: the added IE is ours */
	return cwi_dchan_write(span->src, copy, len) == 0 ? buflen : 0;
}

/* libpri's error and message hooks are process-wide (docs/libpri.md §6). */
static void span_log(struct pri *pri, int is_error, const char *s)
{
	struct cwi_span *span = pri ? pri_get_userdata(pri) : NULL;

	if (span && span->log_cb) {
		span->log_cb(span, is_error, s, span->arg);
		return;
	}
	if (is_error)
		fprintf(stderr, "%s: libpri: %s", span ? span->name : "(span?)", s);
}

static void span_pri_error(struct pri *pri, char *s)
{
	span_log(pri, 1, s);
}

static void span_pri_message(struct pri *pri, char *s)
{
	span_log(pri, 0, s);
}

struct span_capture {
	cwcap *cap;
	unsigned number;
};

int cwi_span_service_messages(int switchtype)
{
	return switchtype == PRI_SWITCH_NI2 || switchtype == PRI_SWITCH_DMS100 ||
	       switchtype == PRI_SWITCH_LUCENT5E || switchtype == PRI_SWITCH_ATT4ESS;
}

/* EuroISDN and QSIG run on E1 here, every other switch type on T1 (as
 * cwi_bchan_law_for_switchtype()). */
static int switchtype_is_e1(int switchtype)
{
	return switchtype == PRI_SWITCH_EUROISDN_E1 || switchtype == PRI_SWITCH_QSIG;
}

int cwi_span_bchannel_max(int switchtype)
{
	return switchtype_is_e1(switchtype) ? 31 : 23;
}

int cwi_span_bchannel_valid(int switchtype, int channel)
{
	if (channel < 1 || channel > cwi_span_bchannel_max(switchtype))
		return 0;
	return !switchtype_is_e1(switchtype) || channel != 16;
}

const char *cwi_span_bchannel_range(int switchtype)
{
	return switchtype_is_e1(switchtype) ? "1..31, not 16" : "1..23";
}

static int span_create(struct cwi_span **ret, const char *name, int node, int switchtype,
                       struct cwi_dchan *source, FILE *tap, const struct span_capture *cap,
                       cwi_span_event_cb cb, cwi_span_libpri_cb libpri_cb, void *arg)
{
	static int hooks_installed;
	struct cwi_span *span;
	size_t i;

	if (!ret || (node != PRI_CPE && node != PRI_NETWORK) || (!cb && !libpri_cb)) {
		cwi_dchan_free(source);
		return -EINVAL;
	}
	span = calloc(1, sizeof(*span));
	if (!span) {
		cwi_dchan_free(source);
		return -ENOMEM;
	}
	snprintf(span->name, sizeof(span->name), "%s", name ? name : "span");
	span->src = source;
	span->tap = tap;
	if (cap) {
		span->cap = cap->cap;
		span->cap_number = cap->number;
	}
	span->node = node;
	span->cb = cb;
	span->libpri_cb = libpri_cb;
	span->arg = arg;
	for (i = 0; i < SPAN_CREF_SLOTS; i++)
		span->slots[i].cref = -1;
	if (!hooks_installed) {
		pri_set_error(span_pri_error);
		pri_set_message(span_pri_message);
		hooks_installed = 1;
	}
	if (tap)
		(void)cwi_tap_write_header(tap);
	/* PRI, point-to-point, TEI 0. libpri sends SABME from inside pri_new_cb
	 * (q921_start), through span_write: the source must be ready now. */
	span->pri = pri_new_cb(cwi_dchan_fd(source), node, switchtype, span_read, span_write, span);
	if (!span->pri) {
		cwi_dchan_free(source);
		free(span);
		return -ENOMEM;
	}
	/* DISCONNECT (not RELEASE COMPLETE) for a hangup before answer, so the
	 * peer gets HANGUP_REQ with our cause (docs/libpri.md §2). */
	pri_hangup_fix_enable(span->pri, 1);
	/* SERVICE / SERVICE ACKNOWLEDGE (ANSI T1.607 maintenance, B-channels in and out of
	 * service) on the switch types whose Change status IE libpri decodes; without this
	 * libpri answers a SERVICE by echoing it as an acknowledgement and reports nothing. */
	if (cwi_span_service_messages(switchtype))
		pri_set_service_message_support(span->pri, 1);
	/* QSIG names (ECMA-164 / ISO 11572 callingName, connectedName) are ROSE operations in
	 * a Facility IE, not a Display IE: libpri encodes them only with facilities enabled. */
	if (switchtype == PRI_SWITCH_QSIG)
		pri_facility_enable(span->pri);
	*ret = span;
	return 0;
}

/* bridge/pri's events (not libpri's): a tap, a capture, or neither. */
static int span_new_events(struct cwi_span **ret, const char *name, enum cwi_span_node node,
                           int switchtype, struct cwi_dchan *source, FILE *tap,
                           const struct span_capture *cap, cwi_span_event_cb cb, void *arg)
{
	int pri_node = node == CWI_SPAN_NETWORK ? PRI_NETWORK : node == CWI_SPAN_CPE ? PRI_CPE : -1;

	if (!cb) {
		cwi_dchan_free(source);
		return -EINVAL;
	}
	return span_create(ret, name, pri_node, switchtype, source, tap, cap, cb, NULL, arg);
}

int cwi_span_new(struct cwi_span **ret, const char *name, enum cwi_span_node node, int switchtype,
                struct cwi_dchan *source, FILE *tap, cwi_span_event_cb cb, void *arg)
{
	return span_new_events(ret, name, node, switchtype, source, tap, NULL, cb, arg);
}

int cwi_span_new_captured(struct cwi_span **ret, const char *name, enum cwi_span_node node,
                         int switchtype, struct cwi_dchan *source, struct cwcap *cap,
                         unsigned number, cwi_span_event_cb cb, void *arg)
{
	struct span_capture c = { cap, number };

	return span_new_events(ret, name, node, switchtype, source, NULL, &c, cb, arg);
}

int cwi_span_new_libpri(struct cwi_span **ret, const char *name, int node, int switchtype,
                       struct cwi_dchan *source, FILE *tap, cwi_span_libpri_cb cb, void *arg)
{
	if (!cb) {
		cwi_dchan_free(source);
		return -EINVAL;
	}
	return span_create(ret, name, node, switchtype, source, tap, NULL, NULL, cb, arg);
}

/* libpri 1.6 cannot free a struct pri (docs/libpri.md §5): the one of a freed
 * span stays reachable from this list to the end, so LeakSanitizer sees no
 * leak. volatile: the store must survive dead-store elimination (nothing reads it). */
struct kept_pri {
	struct kept_pri *next;
	struct pri *pri;
};
static struct kept_pri *volatile kept_pris;

static void keep_pri(struct pri *pri)
{
	struct kept_pri *k = malloc(sizeof(*k));

	if (!k)
		return; /* it only leaks */
	k->pri = pri;
	k->next = kept_pris;
	kept_pris = k;
}

void cwi_span_free(struct cwi_span *span)
{
	if (!span)
		return;
	/* No pri_destroy in libpri 1.6: detach so a stray timer does nothing. */
	pri_set_userdata(span->pri, NULL);
	keep_pri(span->pri);
	cwi_dchan_free(span->src);
	free(span);
}

void cwi_span_set_msg_cb(struct cwi_span *span, cwi_span_msg_cb cb)
{
	span->msg_cb = cb;
}

void cwi_span_set_lost_cb(struct cwi_span *span, cwi_span_lost_cb cb)
{
	span->lost_cb = cb;
}

void cwi_span_set_log_cb(struct cwi_span *span, cwi_span_log_cb cb)
{
	span->log_cb = cb;
}

struct pri *cwi_span_pri(const struct cwi_span *span)
{
	return span->pri;
}

const char *cwi_span_name(const struct cwi_span *span)
{
	return span->name;
}

int cwi_span_node(const struct cwi_span *span)
{
	return span->node;
}

/* One libpri event to the span's callback, translated unless it wants libpri's. */
static void span_deliver(struct cwi_span *span, pri_event *ev)
{
	struct cwi_pri_event out;

	if (span->libpri_cb) {
		span->libpri_cb(span, ev, span->arg);
		return;
	}
	cwi_pri_event_from_libpri(ev, &out);
	span->cb(span, &out, span->arg);
}

void cwi_span_drop_frames(struct cwi_span *span, int rx, int tx)
{
	span->drop_rx = rx != 0;
	span->drop_tx = tx != 0;
}

int cwi_span_fd(const struct cwi_span *span)
{
	return span->src && !span->lost ? cwi_dchan_fd(span->src) : -1;
}

static void span_lost(struct cwi_span *span)
{
	/* The caller may remove the fd from its poll set in the callback; the
	 * source is closed after it returns. Layer 2 stays "up" in libpri until
	 * T203 + N200 x T200 expire: libpri has no API to declare it down. */
	if (span->lost_cb)
		span->lost_cb(span, span->arg);
	cwi_dchan_free(span->src);
	span->src = NULL;
}

int cwi_span_on_readable(struct cwi_span *span)
{
	int i;

	if (!span->src || span->lost)
		return span->lost ? -1 : 0;
	/* pri_check_event() reads one frame and returns at most one event; NULL
	 * means "no data" or "no event": only got_data tells them apart. */
	for (i = 0; i < SPAN_MAX_FRAMES_PER_READABLE; i++) {
		pri_event *ev;

		span->got_data = 0;
		ev = pri_check_event(span->pri);
		if (ev)
			span_deliver(span, ev);
		if (span->lost) {
			span_lost(span);
			return -1;
		}
		if (!span->got_data || !span->src)
			break;
	}
	return 0;
}

int cwi_span_next_timeout_ms(struct cwi_span *span, const struct timeval *now)
{
	struct timeval tnow, *next = pri_schedule_next(span->pri);
	long long us;

	if (!next)
		return -1;
	if (!now) {
		gettimeofday(&tnow, NULL); /* libpri's timers are on gettimeofday(), not monotonic */
		now = &tnow;
	}
	us = (long long)(next->tv_sec - now->tv_sec) * 1000000LL + (next->tv_usec - now->tv_usec);
	if (us <= 0)
		return 0;
	us = (us + 999) / 1000;
	return us > INT_MAX ? INT_MAX : (int)us;
}

void cwi_span_run_timers(struct cwi_span *span)
{
	int i;

	/* pri_schedule_run() stops at the first timer that yields an event (one
	 * per call when a link loss clears calls): loop until it returns NULL. */
	for (i = 0; i < SPAN_MAX_TIMER_EVENTS; i++) {
		pri_event *ev = pri_schedule_run(span->pri);

		if (!ev)
			break;
		span_deliver(span, ev);
	}
}

void cwi_span_set_source(struct cwi_span *span, struct cwi_dchan *source)
{
	cwi_dchan_free(span->src);
	span->src = source;
	span->lost = 0;
}

int cwi_span_set_cause_location(struct cwi_span *span, int cref, int location)
{
	struct cref_slot *s;

	if (cref < 0 || location < -1 || location > 15)
		return -1;
	s = location < 0 ? slot_find(span, cref) : slot_get(span, cref);
	if (s)
		s->tx_location = location;
	return 0;
}

int cwi_span_received_cause(const struct cwi_span *span, int cref, int *ret_cause,
                           int *ret_location, int *ret_coding)
{
	int i = slot_index(span, cref);
	const struct cref_slot *s = i < 0 ? NULL : &span->slots[i];

	if (!s || !s->rx_valid)
		return -1;
	if (ret_cause)
		*ret_cause = s->rx_cause;
	if (ret_location)
		*ret_location = s->rx_location;
	if (ret_coding)
		*ret_coding = s->rx_coding;
	return 0;
}

unsigned cwi_span_received_progress(const struct cwi_span *span, int cref)
{
	int i = slot_index(span, cref);

	return i < 0 ? 0 : span->slots[i].rx_progress;
}

size_t cwi_span_received_diagnostic(const struct cwi_span *span, int cref, uint8_t *buf,
                                   size_t len)
{
	int i = slot_index(span, cref);
	size_t n;

	if (i < 0 || !span->slots[i].rx_valid || !buf)
		return 0;
	n = span->slots[i].rx_diag_len < len ? span->slots[i].rx_diag_len : len;
	memcpy(buf, span->slots[i].rx_diag, n);
	return n;
}

int cwi_span_set_disconnect_progress(struct cwi_span *span, int cref, int location,
                                    int description)
{
	struct cref_slot *s;

	if (cref < 0 || location < 0 || location > 15 || description < 0 || description > 127)
		return -1;
	s = description == 0 ? slot_find(span, cref) : slot_get(span, cref);
	if (s) {
		s->tx_pi_location = location;
		s->tx_pi_description = description;
	}
	return 0;
}

int cwi_span_set_cause_diagnostic(struct cwi_span *span, int cref, int cause, const uint8_t *diag,
                                 size_t n)
{
	struct cref_slot *s;

	if (cref < 0 || (n > 0 && (!diag || cause < 1 || cause > 127)) ||
	    n > sizeof(s->tx_diag))
		return -1;
	s = n == 0 ? slot_find(span, cref) : slot_get(span, cref);
	if (s) {
		s->tx_diag_cause = cause;
		s->tx_diag_len = n;
		if (n)
			memcpy(s->tx_diag, diag, n);
	}
	return 0;
}

void cwi_span_forget_cref(struct cwi_span *span, int cref)
{
	struct cref_slot *s = slot_find(span, cref);

	if (s)
		s->cref = -1;
}

int cwi_span_set_timer(struct cwi_span *span, enum cwi_span_timer timer, int value)
{
	static const int pri_timer[] = {
		[CWI_SPAN_T200] = PRI_TIMER_T200, [CWI_SPAN_T203] = PRI_TIMER_T203,
		[CWI_SPAN_T303] = PRI_TIMER_T303, [CWI_SPAN_T305] = PRI_TIMER_T305,
		[CWI_SPAN_T308] = PRI_TIMER_T308, [CWI_SPAN_T309] = PRI_TIMER_T309,
		[CWI_SPAN_T313] = PRI_TIMER_T313, [CWI_SPAN_T316] = PRI_TIMER_T316,
		[CWI_SPAN_N200] = PRI_TIMER_N200, [CWI_SPAN_K] = PRI_TIMER_K,
	};

	if ((unsigned)timer >= sizeof(pri_timer) / sizeof(pri_timer[0]))
		return -1;
	return pri_set_timer(span->pri, pri_timer[timer], value) == 0 ? 0 : -1;
}

const char *cwi_span_event_name(int e)
{
	static const char *const names[] = {
		[PRI_EVENT_DCHAN_UP] = "DCHAN_UP",
		[PRI_EVENT_DCHAN_DOWN] = "DCHAN_DOWN",
		[PRI_EVENT_RESTART] = "RESTART",
		[PRI_EVENT_CONFIG_ERR] = "CONFIG_ERR",
		[PRI_EVENT_RING] = "RING",
		[PRI_EVENT_HANGUP] = "HANGUP",
		[PRI_EVENT_RINGING] = "RINGING",
		[PRI_EVENT_ANSWER] = "ANSWER",
		[PRI_EVENT_HANGUP_ACK] = "HANGUP_ACK",
		[PRI_EVENT_RESTART_ACK] = "RESTART_ACK",
		[PRI_EVENT_FACILITY] = "FACILITY",
		[PRI_EVENT_INFO_RECEIVED] = "INFO_RECEIVED",
		[PRI_EVENT_PROCEEDING] = "PROCEEDING",
		[PRI_EVENT_SETUP_ACK] = "SETUP_ACK",
		[PRI_EVENT_HANGUP_REQ] = "HANGUP_REQ",
		[PRI_EVENT_NOTIFY] = "NOTIFY",
		[PRI_EVENT_PROGRESS] = "PROGRESS",
		[PRI_EVENT_KEYPAD_DIGIT] = "KEYPAD_DIGIT",
		[PRI_EVENT_SERVICE] = "SERVICE",
		[PRI_EVENT_SERVICE_ACK] = "SERVICE_ACK",
		[PRI_EVENT_HOLD] = "HOLD",
		[PRI_EVENT_HOLD_ACK] = "HOLD_ACK",
		[PRI_EVENT_HOLD_REJ] = "HOLD_REJ",
		[PRI_EVENT_RETRIEVE] = "RETRIEVE",
		[PRI_EVENT_RETRIEVE_ACK] = "RETRIEVE_ACK",
		[PRI_EVENT_RETRIEVE_REJ] = "RETRIEVE_REJ",
		[PRI_EVENT_CONNECT_ACK] = "CONNECT_ACK",
	};

	if (e < 0 || (size_t)e >= sizeof(names) / sizeof(names[0]) || !names[e])
		return "UNKNOWN";
	return names[e];
}
