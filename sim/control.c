/* SPDX-License-Identifier: MIT */
/*
 * control.c — causeway-pstn-sim's control socket (control.h): the command
 * lines, their checks and replies; the calls themselves are calls.c's.
 */
#include "control.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <causeway/q850.h>

#include "bearer.h"

#define NAME_MAX_SENT 15 /* calling name on command: 15 characters (the NI2 / ANSI T1.641 limit) */
#define MAX_TOKENS 16

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void ctl_reply(struct sim_ctl_client *cl, const char *fmt, ...)
{
	char line[SIM_CTL_LINE];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	(void)send(cl->fd, line, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static int valid_number(const char *s)
{
	if (!*s || strlen(s) >= 64)
		return 0;
	for (; *s; s++)
		if (!strchr("0123456789*#+", *s))
			return 0;
	return 1;
}

/* Q.931 §4.5.10 octet 3a, as libpri's callerpres: presentation (bits 7-6) | screening (2-1). */
struct call_opts {
	int restriction; /* PRI_PRES_ALLOWED, PRI_PRES_RESTRICTED or PRI_PRES_UNAVAILABLE */
	int screening;   /* PRI_PRES_USER_NUMBER_UNSCREENED .. PRI_PRES_NETWORK_NUMBER, -1 = default */
	int bearer;
	const char *name; /* NULL = none */
	int complete;     /* Sending complete on the SETUP */
	const char *more; /* overlap: digits after SETUP ACKNOWLEDGE, NULL = none */
	long every_ms;
	int channel;      /* the B-channel asked for, 0 = the lowest free one */
	int collide;      /* hold the SETUP until the peer's next SETUP (glare) */
	struct sim_redirecting redirecting; /* "redirecting NUMBER [reason WORD] [count N]" */
};

#define CALL_USAGE "error usage: call CALLED CALLING [presentation allowed|restricted|unavailable]" \
	" [screening unscreened|passed|failed|network] [name NAME] [bearer " SIM_BEARER_WORDS "]" \
	" [complete yes|no] [more DIGITS] [every MS] [channel N] [collide yes|no]" \
	" [redirecting NUMBER [reason WORD|0-15] [count N] [redirecting-presentation allowed|restricted]]"

/* A calling name on command: one token (no spaces) of 1..15 printable ASCII characters. */
static int valid_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > NAME_MAX_SENT)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

/* A B-channel number on command, of the span's switch type (T1 1..23, E1 1..31 but 16);
   0 when it is not one. */
static int channel_arg(const struct sim_calls *calls, const char *v)
{
	char *end;
	long ch = strtol(v, &end, 10);

	if (!*v || *end || ch < 1 || ch > SIM_MAX_CHANNEL ||
	    !cwi_span_bchannel_valid(calls->switchtype, (int)ch))
		return 0;
	return (int)ch;
}

/* "channel N": 1 when key is it (o->channel set, or -1 after an error reply), else 0. */
static int call_opt_channel(const struct sim_calls *calls, struct sim_ctl_client *cl,
                            const char *key, const char *v, struct call_opts *o)
{
	if (strcmp(key, "channel") != 0)
		return 0;
	o->channel = channel_arg(calls, v);
	if (!o->channel) {
		ctl_reply(cl, "error channel N: %s", cwi_span_bchannel_range(calls->switchtype));
		o->channel = -1;
	}
	return 1;
}

/*
 * "redirecting NUMBER", "reason WORD", "count N", "redirecting-presentation allowed|restricted"
 * (Q.952 §4.1.2): 1 when key is one of them (-1 after an error reply), else 0.
 */
static int call_opt_redirecting(struct sim_ctl_client *cl, const char *key, const char *v,
                                struct call_opts *o)
{
	struct sim_redirecting *r = &o->redirecting;
	char *end;
	long n;

	if (strcmp(key, "redirecting") == 0) {
		if (!valid_number(v) || strchr(v, '+')) {
			ctl_reply(cl, "error redirecting NUMBER: 1..63 of 0-9 * #");
			return -1;
		}
		r->present = 1;
		snprintf(r->number, sizeof(r->number), "%s", v);
		if (r->count < 1)
			r->count = 1;
		return 1;
	}
	if (strcmp(key, "reason") == 0) {
		r->reason = sim_redirect_reason_code(v);
		if (r->reason < 0) {
			ctl_reply(cl, "error reason: unknown, busy, no-reply, deflection, dte-out-of-order, "
			          "forwarded-by-dte, unconditional or 0..15");
			return -1;
		}
		return 1;
	}
	if (strcmp(key, "count") == 0) {
		n = strtol(v, &end, 10);
		if (!*v || *end || n < 1 || n > 15) {
			ctl_reply(cl, "error count N: 1..15");
			return -1;
		}
		r->count = (int)n;
		return 1;
	}
	if (strcmp(key, "redirecting-presentation") == 0) {
		if (strcmp(v, "allowed") && strcmp(v, "restricted")) {
			ctl_reply(cl, "error redirecting-presentation allowed|restricted");
			return -1;
		}
		r->presentation = strcmp(v, "allowed") ? PRI_PRES_RESTRICTED : PRI_PRES_ALLOWED;
		return 1;
	}
	return 0;
}

/* "KEY VALUE" pairs after CALLED CALLING. 0, or -1 after an error reply. */
static int call_opts_parse(const struct sim_calls *calls, struct sim_ctl_client *cl, char **tok,
                           int ntok, struct call_opts *o)
{
	static const struct {
		const char *key, *value;
		int v;
	} words[] = {
		{ "presentation", "allowed", PRI_PRES_ALLOWED },
		{ "presentation", "restricted", PRI_PRES_RESTRICTED },
		{ "presentation", "unavailable", PRI_PRES_UNAVAILABLE },
		{ "screening", "unscreened", PRI_PRES_USER_NUMBER_UNSCREENED },
		{ "screening", "passed", PRI_PRES_USER_NUMBER_PASSED_SCREEN },
		{ "screening", "failed", PRI_PRES_USER_NUMBER_FAILED_SCREEN },
		{ "screening", "network", PRI_PRES_NETWORK_NUMBER },
		{ "complete", "yes", 1 },
		{ "complete", "no", 0 },
		{ "collide", "yes", 1 },
		{ "collide", "no", 0 },
	};
	size_t w;
	int i;

	for (i = 3; i < ntok; i += 2) {
		const char *v = i + 1 < ntok ? tok[i + 1] : "";

		if (strcmp(tok[i], "more") == 0) {
			/* overlap sending: implies a SETUP without Sending complete */
			if (!valid_number(v) || strlen(v) >= 32 || strchr(v, '+')) {
				ctl_reply(cl, "error more DIGITS: 1..31 of 0-9 * #");
				return -1;
			}
			o->more = v;
			o->complete = 0;
			continue;
		}
		if (strcmp(tok[i], "every") == 0) {
			char *end;
			long ms = strtol(v, &end, 10);

			if (!*v || *end || ms < 0 || ms > 60000) {
				ctl_reply(cl, "error every MS: 0..60000");
				return -1;
			}
			o->every_ms = ms;
			continue;
		}
		if (call_opt_channel(calls, cl, tok[i], v, o) != 0) {
			if (o->channel < 0)
				return -1;
			continue;
		}
		if (strcmp(tok[i], "bearer") == 0) {
			if (sim_bearer_from_name(v, &o->bearer) < 0) {
				ctl_reply(cl, "error bearer " SIM_BEARER_WORDS);
				return -1;
			}
			continue;
		}
		switch (call_opt_redirecting(cl, tok[i], v, o)) {
		case 1:
			continue;
		case -1:
			return -1;
		default:
			break;
		}
		if (strcmp(tok[i], "name") == 0) {
			if (!valid_name(v)) {
				ctl_reply(cl, "error name must be 1..%d printable ASCII characters, "
				          "one word", NAME_MAX_SENT);
				return -1;
			}
			o->name = v;
			continue;
		}
		for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
			if (strcmp(tok[i], words[w].key) == 0 && strcmp(v, words[w].value) == 0)
				break;
		if (w == sizeof(words) / sizeof(words[0])) {
			ctl_reply(cl, "error unknown option '%s %s'", tok[i], v);
			return -1;
		}
		if (strcmp(words[w].key, "collide") == 0)
			o->collide = words[w].v;
		else if (words[w].key[0] == 'c')
			o->complete = words[w].v;
		else if (words[w].key[0] == 'p')
			o->restriction = words[w].v;
		else
			o->screening = words[w].v;
	}
	return 0;
}

/* The reply to a refused sim_calls_originate(). */
static const char *originate_error(int err)
{
	switch (err) {
	case -ENETDOWN: return "error D-channel down";
	case -EBUSY: return "error no channel or call reference free";
	case -ENFILE: return "error too many calls";
	case -ENOMEM: return "error out of memory";
	default: return "error pri_setup failed";
	}
}

static void ctl_call(struct sim_control *ctl, struct sim_ctl_client *cl, char **tok, int ntok)
{
	struct call_opts o = { PRI_PRES_ALLOWED, -1, PRI_TRANS_CAP_SPEECH, NULL, 1, NULL, 200, 0, 0,
		               { 0, "", PRI_PRES_ALLOWED, PRI_REDIR_UNKNOWN, 0 } };
	struct sim_origination orig;
	int rc, cref = 0, channel = 0;

	if (ntok < 3 || !valid_number(tok[1]) || !valid_number(tok[2])) {
		ctl_reply(cl, CALL_USAGE);
		return;
	}
	if (call_opts_parse(ctl->calls, cl, tok, ntok, &o) < 0)
		return;
	/* Screening as before (user-provided, not screened) unless given; "not available"
	   goes with "network provided" (Q.931 §4.5.10; libpri's PRES_NUMBER_NOT_AVAILABLE). */
	if (o.screening < 0)
		o.screening = o.restriction == PRI_PRES_UNAVAILABLE ? PRI_PRES_NETWORK_NUMBER :
		              PRI_PRES_USER_NUMBER_UNSCREENED;
	orig.called = tok[1];
	/* Q.931 §4.5.10: with "not available" the IE carries no digits */
	orig.calling = o.restriction == PRI_PRES_UNAVAILABLE ? "" : tok[2];
	orig.presentation = o.restriction | o.screening;
	orig.bearer = o.bearer;
	orig.name = o.name;
	orig.complete = o.complete;
	orig.more = o.more;
	orig.every_ms = o.every_ms;
	orig.channel = o.channel;
	if ((o.redirecting.reason || o.redirecting.count > 1 || o.redirecting.presentation) &&
	    !o.redirecting.present) {
		ctl_reply(cl, "error reason, count and redirecting-presentation go with redirecting NUMBER");
		return;
	}
	orig.redirecting = &o.redirecting;
	if (o.collide) {
		sim_calls_collide(ctl->calls, &orig);
		ctl_reply(cl, "ok collide channel %d", o.channel);
		return;
	}
	rc = sim_calls_originate(ctl->calls, &orig, &cref, &channel);
	if (rc < 0) {
		ctl_reply(cl, "%s", originate_error(rc));
		return;
	}
	ctl_reply(cl, "ok cref %d channel %d", cref, channel);
}

static void ctl_hangup(struct sim_control *ctl, struct sim_ctl_client *cl, char **tok, int ntok)
{
	uint8_t scratch[CWI_Q931_CAUSE_IE_MAX];
	const char *diag = NULL;
	struct sim_call *c;
	char *end;
	long cref, cause;
	int loc = -1, i = 3;

	if (i + 1 < ntok && strcmp(tok[i], "location") == 0)
		i += 2;
	if (i + 1 < ntok && strcmp(tok[i], "diagnostic") == 0) {
		diag = tok[i + 1];
		i += 2;
	}
	if (ntok < 3 || i != ntok) {
		ctl_reply(cl, "error usage: hangup CREF CAUSE [location LOC] [diagnostic DIGITS]");
		return;
	}
	cref = strtol(tok[1], &end, 10);
	if (*end || !(c = sim_call_by_cref(ctl->calls, (int)cref))) {
		ctl_reply(cl, "error no call with cref '%s'", tok[1]);
		return;
	}
	cause = strtol(tok[2], &end, 10);
	if (*end || cause < 1 || cause > 127) {
		ctl_reply(cl, "error cause '%s' not in 1..127", tok[2]);
		return;
	}
	if (ntok > 3 && strcmp(tok[3], "location") == 0 &&
	    cw_location_from_name(tok[4], strlen(tok[4]), &loc) != 0) {
		ctl_reply(cl, "error unknown location '%s'", tok[4]);
		return;
	}
	/* Q.850 Table 2: the new number is cause 22's diagnostic */
	if (diag && cause != 22) {
		ctl_reply(cl, "error diagnostic DIGITS (the new number) goes with cause 22 only");
		return;
	}
	if (diag && cwi_q931_diag_encode_new_number(diag, scratch, sizeof(scratch)) < 0) {
		ctl_reply(cl, "error diagnostic '%s' is not 1..%d digits (0-9, *, #)", diag,
		          CWI_Q931_NEW_NUMBER_MAX);
		return;
	}
	if (sim_call_clear(ctl->calls, c, (int)cause, loc, diag) < 0) {
		ctl_reply(cl, "error cannot set the diagnostic");
		return;
	}
	ctl_reply(cl, "ok");
}

/* restart CHANNEL: RESTART for one B-channel (Q.931 §5.5.1). */
static void ctl_restart(struct sim_control *ctl, struct sim_ctl_client *cl, char **tok, int ntok)
{
	int ch = ntok == 2 ? channel_arg(ctl->calls, tok[1]) : 0, rc;

	if (!ch) {
		ctl_reply(cl, "error usage: restart CHANNEL (%s)",
		          cwi_span_bchannel_range(ctl->calls->switchtype));
		return;
	}
	rc = sim_calls_restart(ctl->calls, ch);
	if (rc == -ENETDOWN)
		ctl_reply(cl, "error D-channel down");
	else if (rc < 0)
		ctl_reply(cl, "error pri_reset failed");
	else
		ctl_reply(cl, "ok");
}

/* service CHANNEL in|out: SERVICE for one B-channel (ANSI T1.607 maintenance). */
static void ctl_service(struct sim_control *ctl, struct sim_ctl_client *cl, char **tok, int ntok)
{
	int ch = ntok == 3 ? channel_arg(ctl->calls, tok[1]) : 0, rc;

	if (!ch || (strcmp(tok[2], "in") != 0 && strcmp(tok[2], "out") != 0)) {
		ctl_reply(cl, "error usage: service CHANNEL in|out");
		return;
	}
	rc = sim_calls_service(ctl->calls, ch, strcmp(tok[2], "in") == 0);
	if (rc == -ENOTSUP)
		ctl_reply(cl, "error SERVICE needs switchtype ni2, dms100, 4ess or 5ess");
	else if (rc == -ENETDOWN)
		ctl_reply(cl, "error D-channel down");
	else if (rc < 0)
		ctl_reply(cl, "error pri_maintenance_service failed");
	else
		ctl_reply(cl, "ok");
}

/* drop rx|tx|both on|off: span frames discarded, the socket open (Q.921 §5.6 fault). */
static void ctl_drop(struct sim_control *ctl, struct sim_ctl_client *cl, char **tok, int ntok)
{
	int rx, tx, on;

	if (ntok != 3 || (strcmp(tok[2], "on") != 0 && strcmp(tok[2], "off") != 0) ||
	    (strcmp(tok[1], "rx") != 0 && strcmp(tok[1], "tx") != 0 && strcmp(tok[1], "both") != 0)) {
		ctl_reply(cl, "error usage: drop rx|tx|both on|off");
		return;
	}
	on = strcmp(tok[2], "on") == 0;
	rx = strcmp(tok[1], "tx") == 0 ? -1 : on;
	tx = strcmp(tok[1], "rx") == 0 ? -1 : on;
	sim_calls_drop(ctl->calls, rx, tx);
	ctl_reply(cl, "ok");
}

static void ctl_line(struct sim_control *ctl, struct sim_ctl_client *cl, char *line)
{
	char *tok[MAX_TOKENS], *save = NULL, *t;
	int ntok = 0;

	for (t = strtok_r(line, " \t\r", &save); t && ntok < MAX_TOKENS;
	     t = strtok_r(NULL, " \t\r", &save))
		tok[ntok++] = t;
	if (ntok == 0)
		return;
	if (strcmp(tok[0], "call") == 0) {
		ctl_call(ctl, cl, tok, ntok);
	} else if (strcmp(tok[0], "hangup") == 0) {
		ctl_hangup(ctl, cl, tok, ntok);
	} else if (strcmp(tok[0], "drop") == 0) {
		ctl_drop(ctl, cl, tok, ntok);
	} else if (strcmp(tok[0], "restart") == 0) {
		ctl_restart(ctl, cl, tok, ntok);
	} else if (strcmp(tok[0], "service") == 0) {
		ctl_service(ctl, cl, tok, ntok);
	} else if (strcmp(tok[0], "status") == 0) {
		ctl_reply(cl, "ok dchan %s calls %d", ctl->calls->up ? "up" : "down",
		          sim_calls_count(ctl->calls));
	} else {
		ctl_reply(cl, "error unknown command '%s' (call, drop, hangup, restart, service, status)",
		          tok[0]);
	}
}

static void ctl_read(struct sim_control *ctl, struct sim_ctl_client *cl)
{
	ssize_t n = recv(cl->fd, cl->buf + cl->len, sizeof(cl->buf) - 1 - cl->len, MSG_DONTWAIT);
	char *nl;

	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		close(cl->fd);
		cl->fd = -1;
		cl->len = 0;
		return;
	}
	cl->len += (size_t)n;
	cl->buf[cl->len] = '\0';
	while ((nl = strchr(cl->buf, '\n')) != NULL) {
		size_t used = (size_t)(nl - cl->buf) + 1;

		*nl = '\0';
		ctl_line(ctl, cl, cl->buf);
		memmove(cl->buf, cl->buf + used, cl->len - used + 1);
		cl->len -= used;
	}
	if (cl->len == sizeof(cl->buf) - 1) {
		ctl_reply(cl, "error line too long");
		cl->len = 0;
	}
}

void sim_control_init(struct sim_control *ctl, struct sim_calls *calls)
{
	int i;

	memset(ctl, 0, sizeof(*ctl));
	ctl->listen_fd = -1;
	ctl->calls = calls;
	for (i = 0; i < SIM_CTL_CLIENTS; i++)
		ctl->clients[i].fd = -1;
}

int sim_control_listen(struct sim_control *ctl, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		(void)unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 || listen(fd, 4) < 0) {
		int r = -errno;

		close(fd);
		return r;
	}
	ctl->listen_fd = fd;
	ctl->path = path;
	return 0;
}

void sim_control_pollfds(const struct sim_control *ctl, struct pollfd *pfd)
{
	int i;

	pfd[0] = (struct pollfd){ .fd = ctl->listen_fd, .events = POLLIN };
	for (i = 0; i < SIM_CTL_CLIENTS; i++)
		pfd[1 + i] = (struct pollfd){ .fd = ctl->clients[i].fd, .events = POLLIN };
}

void sim_control_on_poll(struct sim_control *ctl, const struct pollfd *pfd)
{
	int i;

	if (ctl->listen_fd >= 0 && (pfd[0].revents & POLLIN)) {
		int fd = accept4(ctl->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);

		for (i = 0; fd >= 0 && i < SIM_CTL_CLIENTS; i++) {
			if (ctl->clients[i].fd < 0) {
				ctl->clients[i].fd = fd;
				ctl->clients[i].len = 0;
				fd = -1;
			}
		}
		if (fd >= 0)
			close(fd); /* too many control clients */
	}
	/* a client accepted just now has no revents yet: its slot was -1 in pfd */
	for (i = 0; i < SIM_CTL_CLIENTS; i++)
		if (ctl->clients[i].fd >= 0 && pfd[1 + i].fd == ctl->clients[i].fd &&
		    pfd[1 + i].revents)
			ctl_read(ctl, &ctl->clients[i]);
}

void sim_control_close(struct sim_control *ctl)
{
	int i;

	for (i = 0; i < SIM_CTL_CLIENTS; i++)
		if (ctl->clients[i].fd >= 0)
			close(ctl->clients[i].fd);
	if (ctl->listen_fd >= 0) {
		close(ctl->listen_fd);
		if (ctl->path)
			unlink(ctl->path);
	}
}
