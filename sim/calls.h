/* SPDX-License-Identifier: MIT */
/*
 * calls.h — causeway-pstn-sim's calls: the span, the rules applied to each
 * incoming call, calls originated on command, the libpri events, and the
 * report line when a call ends (report.h).
 *
 * One thread (libpri is not thread-safe, docs/libpri.md §6): the main
 * loop polls cwi_span_fd(), sleeps at most sim_calls_next_timeout_ms() and
 * then calls sim_calls_run_due().
 */
#ifndef SIM_CALLS_H
#define SIM_CALLS_H

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "audio.h"
#include "span_impl.h" /* the simulator drives libpri itself */
#include "rules.h"

#define SIM_MAX_CALLS 64
#define SIM_MAX_MSGS 48
/* timeslots 1..31; which are B-channels depends on the switch type's trunk, T1 or E1
   (cwi_span_bchannel_valid(); docs/libpri.md §5) */
#define SIM_MAX_CHANNEL 31
#define SIM_MSG_TRUNCATED 0x1ff /* in sim_call.msgs: more messages than were kept */

enum sim_stage {
	SIM_ST_NONE = 0,
	SIM_ST_ALERT,    /* send ALERTING at the deadline */
	SIM_ST_ANSWER,   /* send CONNECT at the deadline */
	SIM_ST_CLEAR,    /* send DISCONNECT (cause, location) at the deadline */
	SIM_ST_DIGIT,    /* overlap sending: the next digit in an INFORMATION at the deadline */
	SIM_ST_T302      /* overlap receiving: T302 ran out, the rules take the number as it is */
};

#define SIM_MAX_INFOS 32 /* INFORMATION messages kept per call in overlap receiving */

/* A Redirecting number (Q.952 §4.1.2), sent or received. */
struct sim_redirecting {
	int present;
	char number[64];
	int presentation; /* libpri's PRI_PRES_ALLOWED / PRI_PRES_RESTRICTED / PRI_PRES_UNAVAILABLE */
	int reason;       /* PRI_REDIR_* (octet 3b) */
	int count;        /* redirections so far (libpri: 1 unless Q.SIG carries a counter) */
};

/* sim_redirect_reason_code() - PRI_REDIR_* of a command word ("busy", "unconditional", ...)
 * or of a number 0..15; -1 if neither. sim_redirect_reason_name() - the word of a code
 * ("unknown" for one without a word). */
int sim_redirect_reason_code(const char *word);
const char *sim_redirect_reason_name(int reason);

struct sim_call {
	int used;
	int cref;            /* libpri form: CRV | 0x8000 when we originated */
	q931_call *call;
	int out;             /* originated by the simulator */
	int channel;
	int have_ring;
	char called[64], calling[64];
	int presentation;    /* received / sent calling number presentation and screening
	                        (Q.931 §4.5.10 octet 3a: PRI_PRES_* | PRI_PRES_NUMBER_TYPE bits) */
	char calling_name[128]; /* received / sent calling name, "" = none */
	int bearer;          /* the SETUP's transfer capability (PRI_TRANS_CAP_*), received or
	                        sent; -1 = none seen */
	struct sim_redirecting redirecting; /* received / sent Redirecting number */
	char connected_name[64]; /* the connected name the CONNECT carried to our SETUP */
	int layer1;          /* the SETUP's user information layer 1 (Q.931 §4.5.5 octet 5):
	                        PRI_LAYER_1_ALAW / _ULAW, 0 = another or none */
	const struct sim_rule *rule;
	enum sim_stage stage;
	int64_t deadline;
	char more[32];       /* overlap sending (Q.931 §5.1.3): digits still to send after
	                        SETUP ACKNOWLEDGE, one INFORMATION each, every_ms apart */
	int more_pos;
	long every_ms;
	/* overlap receiving (Q.931 §5.2.4, --overlap): the SETUP's own digits, and those of
	   each INFORMATION as received; called is the whole number */
	int overlap;             /* SETUP ACKNOWLEDGE sent, digits being collected */
	char called_setup[64];
	char infos[SIM_MAX_INFOS][32];
	int n_infos;
	int clear_cause, clear_location;
	const char *clear_diag;  /* cause 22's new number for the clearing, NULL = none */
	uint16_t msgs[SIM_MAX_MSGS]; /* (tx << 8) | message type, or SIM_MSG_TRUNCATED */
	uint8_t msgs_pi[SIM_MAX_MSGS]; /* the message's first progress description, 0 = none */
	int n_msgs;
	int cause_rx, loc_rx, coding_rx;
	int cause_tx, loc_tx;
	char diag_tx[CWI_Q931_DIAG_MAX]; /* the first sent clearing cause's new number, "" = none */
	int answered;
	/* the Connected number of the CONNECT received (Q.951 §3), "" = none; its ton and
	   octet 3a as libpri's presentation (PRI_PRES_* | PRI_PRES_NUMBER_TYPE bits) */
	char connected[64];
	int connected_ton, connected_pres;
	int64_t t_setup, t_answer, t_end;
	int64_t t_setup_wall_us;       /* the SETUP on the real-time clock, us since the epoch */
	struct sim_audio_result audio; /* what the B-channel carried, filled when the call ends */
};

/* How the span is made when the first peer connects (the command line's words). */
struct sim_span_opts {
	int node, switchtype;   /* PRI_NETWORK / PRI_CPE, PRI_SWITCH_* */
	FILE *tap;              /* pcap of the D-channel, NULL = none */
	const char *const *timers; /* "NAME=VALUE" for pri_set_timer() */
	int n_timers;
};

/* A calling party for sim_calls_originate() (Q.931 §4.5.10 octet 3a as libpri's callerpres). */
struct sim_origination {
	const char *called, *calling;
	int presentation;       /* PRI_PRES_ALLOWED | PRI_PRES_USER_NUMBER_UNSCREENED etc. */
	int bearer;             /* PRI_TRANS_CAP_*: speech, 3.1 kHz audio, digital, ... */
	const char *name;       /* NULL = none */
	int complete;           /* the SETUP carries Sending complete (Q.931 §4.5.27) */
	const char *more;       /* NULL, or digits sent after SETUP ACKNOWLEDGE (overlap) */
	long every_ms;          /* between those INFORMATION messages */
	int channel;            /* the B-channel asked for, 0: the lowest free one */
	const struct sim_redirecting *redirecting; /* NULL or !present: none */
};

/* A SETUP held until the peer's next SETUP arrives (a call collision, "glare"): its
 * origination with the strings it points to. */
struct sim_collision {
	struct sim_origination o;
	char called[64], calling[64], name[16], more[32];
	struct sim_redirecting redirecting;
};

struct sim_calls {
	struct cwi_span *span;   /* NULL until the first peer connects */
	int up;                 /* the D-channel is up */
	struct sim_call calls[SIM_MAX_CALLS];
	int chan_busy[SIM_MAX_CHANNEL + 1];
	int switchtype;          /* PRI_SWITCH_*, from sim_calls_attach() */
	struct sim_collision collide; /* a SETUP held for the peer's next SETUP ... */
	int collide_armed;            /* ... while this is 1 */
	const struct sim_rules *rules;
	FILE *report;
	int64_t t0;             /* the start, on the monotonic clock: the report's times */
	int debug;
	struct sim_audio *audio; /* the B-channels, NULL = no audio socket */
	enum cwi_bchan_law law;  /* the B-channels' G.711 law, for the Bearer capability */
	const char *connected_name; /* --connected-name: sent with each CONNECT, NULL = none */
	int drop_rx, drop_tx;    /* span frames discarded (fault injection), kept across peers */
	long overlap_t302_ms;    /* --overlap: network-side overlap receiving with this T302 (ms);
	                            0 = off, every SETUP taken en bloc */
};

/* sim_mono_ms() - now on the monotonic clock, in ms. */
static inline int64_t sim_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* sim_wall_us() - now on the real-time clock, in us since the epoch: what another
 * program's RFC 3339 stamps are compared with. */
static inline int64_t sim_wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* sim_calls_init() - no span, no calls; the report's clock starts now. */
void sim_calls_init(struct sim_calls *s, const struct sim_rules *rules, FILE *report, int debug);

/*
 * sim_calls_attach() - a peer connected on d (owned from now on): the first
 * one creates the span with o, a later one (the bridge reconnecting) gets
 * the same struct pri and is reported as "reconnected". 0, or -1 when the
 * span cannot be created.
 */
int sim_calls_attach(struct sim_calls *s, struct cwi_dchan *d, const struct sim_span_opts *o);

/* sim_calls_next_timeout_ms() - ms until libpri's or a call's next deadline, -1 = none. */
int sim_calls_next_timeout_ms(struct sim_calls *s, int64_t now);

/* sim_calls_run_due() - the calls' stages that are due, then libpri's timers. */
void sim_calls_run_due(struct sim_calls *s, int64_t now);

/* sim_calls_count() - the calls in progress. */
int sim_calls_count(const struct sim_calls *s);

/* sim_calls_end_all() - report every call still up with this end ("shutdown"). */
void sim_calls_end_all(struct sim_calls *s, const char *end);

/* sim_call_by_cref() - the call with this libpri-form cref, NULL when none. */
struct sim_call *sim_call_by_cref(struct sim_calls *s, int cref);

/*
 * sim_calls_originate() - a SETUP on a free B-channel (exclusive): o->channel, or the lowest
 * free one. 0 with *ret_cref and *ret_channel, or -ENETDOWN (D-channel down), -EBUSY (no
 * channel or call reference free, or o->channel busy), -ENFILE (too many calls), -ENOMEM,
 * -EIO (libpri refused the SETUP).
 */
int sim_calls_originate(struct sim_calls *s, const struct sim_origination *o, int *ret_cref,
                        int *ret_channel);

/*
 * sim_call_clear() - clear c with cause (location >= 0: rewritten on the
 * wire). diag, when non-NULL, is cause 22's new number (Q.850 Table 2):
 * libpri sends no diagnostic, so the span adapter adds it to the Cause IE
 * of the clearing messages. 0, or -1 when the diagnostic cannot be coded
 * (nothing sent then).
 */
int sim_call_clear(struct sim_calls *s, struct sim_call *c, int cause, int location,
                   const char *diag);

/*
 * sim_calls_restart() - RESTART for channel (Q.931 §5.5.1, libpri's pri_reset()): the call
 * on it, if any, is forgotten without a message and reported with "end":"restart"; the
 * peer's RESTART ACKNOWLEDGE is reported (sim_report_channel). 0, -ENETDOWN (D-channel
 * down), -EIO (libpri refused).
 */
int sim_calls_restart(struct sim_calls *s, int channel);

/*
 * sim_calls_service() - SERVICE for channel (ANSI T1.607 maintenance, libpri's
 * pri_maintenance_service()): in service or out of service. The peer's SERVICE
 * ACKNOWLEDGE is reported. 0, -ENETDOWN, -ENOTSUP (a switch type without SERVICE:
 * libpri has it for ni2, dms100, 4ess, 5ess), -EIO.
 */
int sim_calls_service(struct sim_calls *s, int channel, int in_service);

/*
 * sim_calls_drop() - from now on discard the span's received (rx) and/or sent (tx) frames,
 * the socket left open: a line losing frames with both ends alive, for the peer's Q.921
 * T200/N200/T203 to notice (Q.921 §5.6). Each flag is 1 (drop), 0 (pass) or -1 (unchanged).
 * Reported as {"event":"drop","rx":"on"|"off","tx":"on"|"off","t_ms":T}.
 */
void sim_calls_drop(struct sim_calls *s, int rx, int tx);

/*
 * sim_calls_collide() - hold o (copied) until the peer's next SETUP arrives, then send it
 * before that SETUP is handled, as if both had crossed on the line (glare, Q.931
 * §5.2.3.1): with o->channel the peer's channel, the peer's SETUP then finds it taken and
 * gets cause 44. One at a time: a second one replaces the first.
 */
void sim_calls_collide(struct sim_calls *s, const struct sim_origination *o);

#endif /* SIM_CALLS_H */
