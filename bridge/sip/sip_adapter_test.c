/* SPDX-License-Identifier: MIT */
/*
 * sip-adapter-test — a tiny UAS/UAC on the SIP adapter, for the SIPp
 * scenarios in scenarios/. Tests only.
 *
 *   UAS: sip-adapter-test [--addr A] [--port P] [--ring] [--answer STATUS]
 *            [--answer-delay-ms N] [--shards N] [--tcp-idle-ms N] [-v]
 *        answers every INVITE (180 first with --ring) with STATUS (default
 *        200); errors carry  Reason: Q.850;cause=17;text="User busy".
 *        --answer 0: never answer (wait for CANCEL, then 487).
 *   UAC: sip-adapter-test --call URI [--from N] [--to N] [--hold-ms N]
 *        places one call; BYE after --hold-ms once answered; exits 0 when
 *        the BYE got a 2xx, 1 otherwise.
 *
 * Prints "PORT <n>" on stdout once bound. SIGTERM/SIGINT: free everything
 * and exit 0.
 */
#include "sip.h"

#include <causeway/reason.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

static const char SDP[] =
	"v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
	"m=audio 40000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n";

struct pending {
	cws_call *call;
	long long at;
	int status;
};

static struct {
	int verbose;
	int ring;
	int answer;
	int answer_delay_ms;
	int hold_ms;
	const char *call_uri;
	const char *from, *to;
	char reason[128];
	struct pending pend[4096];
	size_t npend;
	int uac_done, uac_rc;
	cws_call *uac;
	long long bye_at;
} g = {.answer = 200, .hold_ms = 100, .uac_rc = 1, .bye_at = -1};

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void forget(cws_call *c)
{
	for (size_t i = 0; i < g.npend; i++)
		if (g.pend[i].call == c)
			g.pend[i].call = NULL;
}

static void answer(cws_call *c, int status)
{
	struct cws_response_opts o;
	memset(&o, 0, sizeof(o));
	if (status >= 200 && status < 300)
		o.sdp = SDP;
	if (status >= 300)
		o.reason = g.reason;
	if (cws_call_respond(c, status, &o) != 0 && g.verbose)
		fprintf(stderr, "respond %d failed\n", status);
	if (status >= 300) {
		forget(c);
		cws_call_release(c);
	}
}

static void log_reasons(const struct cws_call_event *ev)
{
	for (size_t i = 0; i < ev->nreasons; i++) {
		cw_reason vals[4];
		char text[256];
		cw_reason_list list;
		const cw_reason *q;
		cw_reason_list_init(&list, vals, 4, text, sizeof(text));
		cw_reason_list_parse(&list, ev->reasons[i], strlen(ev->reasons[i]));
		q = cw_reason_list_find(&list, CW_REASON_Q850);
		fprintf(stderr, "  Reason: %s%s\n", ev->reasons[i], q ? " (Q.850 ok)" : "");
	}
}

static void on_event(void *user, const struct cws_call_event *ev)
{
	(void)user;
	if (g.verbose) {
		fprintf(stderr, "event %d call %s status %d\n", (int)ev->type,
		        cws_call_id(ev->call) ? cws_call_id(ev->call) : "-", ev->status);
		log_reasons(ev);
	}
	switch (ev->type) {
	case CWS_EV_INVITE:
		if (g.ring)
			cws_call_respond(ev->call, 180, NULL);
		if (g.answer == 0)
			return;
		if (g.answer_delay_ms > 0 && g.npend < sizeof(g.pend) / sizeof(g.pend[0])) {
			g.pend[g.npend].call = ev->call;
			g.pend[g.npend].at = now_ms() + g.answer_delay_ms;
			g.pend[g.npend].status = g.answer;
			g.npend++;
			return;
		}
		answer(ev->call, g.answer);
		return;
	case CWS_EV_CANCEL:
		answer(ev->call, 487);
		return;
	case CWS_EV_BYE:
		forget(ev->call);
		cws_call_release(ev->call);
		if (ev->call == g.uac) {
			g.uac = NULL;
			g.uac_done = 1;
			g.uac_rc = 0;
		}
		return;
	case CWS_EV_ANSWERED:
		if (ev->call == g.uac)
			g.bye_at = now_ms() + g.hold_ms;
		return;
	case CWS_EV_FAILED:
	case CWS_EV_TIMEOUT:
	case CWS_EV_TRANSPORT_ERROR:
		if (ev->type == CWS_EV_TRANSPORT_ERROR)
			fprintf(stderr, "transport error: %s\n", ev->error ? ev->error : "-");
		if (ev->call == g.uac) {
			cws_call_release(ev->call);
			g.uac = NULL;
			g.uac_done = 1;
		}
		return;
	case CWS_EV_BYE_DONE:
		if (ev->call == g.uac) {
			cws_call_release(ev->call);
			g.uac = NULL;
			g.uac_done = 1;
			g.uac_rc = ev->status >= 200 && ev->status < 300 ? 0 : 1;
		}
		return;
	default:
		return;
	}
}

int main(int argc, char **argv)
{
	struct cws_config cfg;
	struct cws_tls_options tls;
	cws *sip = NULL;
	int ep, sfd, rc;
	sigset_t mask;
	struct epoll_event ev;

	/* block first: every later thread inherits the mask */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	memset(&cfg, 0, sizeof(cfg));
	memset(&tls, 0, sizeof(tls));
	cfg.address = "127.0.0.1";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "-v") == 0) {
			g.verbose = 1;
		} else if (strcmp(a, "--ring") == 0) {
			g.ring = 1;
		} else if (strcmp(a, "--tls-verify-client") == 0) {
			tls.verify_client = 1;
		} else if (v == NULL) {
			fprintf(stderr, "missing value for %s\n", a);
			return 2;
		} else if (strcmp(a, "--addr") == 0) {
			cfg.address = v, i++;
		} else if (strcmp(a, "--port") == 0) {
			cfg.port = (unsigned)atoi(v), i++;
		} else if (strcmp(a, "--shards") == 0) {
			cfg.shards = (unsigned)atoi(v), i++;
		} else if (strcmp(a, "--tcp-idle-ms") == 0) {
			cfg.tcp_idle_ms = (unsigned)atoi(v), i++;
		} else if (strcmp(a, "--answer") == 0) {
			g.answer = atoi(v), i++;
		} else if (strcmp(a, "--answer-delay-ms") == 0) {
			g.answer_delay_ms = atoi(v), i++;
		} else if (strcmp(a, "--call") == 0) {
			g.call_uri = v, i++;
		} else if (strcmp(a, "--from") == 0) {
			g.from = v, i++;
		} else if (strcmp(a, "--to") == 0) {
			g.to = v, i++;
		} else if (strcmp(a, "--hold-ms") == 0) {
			g.hold_ms = atoi(v), i++;
		} else if (strcmp(a, "--tls-cert") == 0) {  /* with --tls-key: serve TLS too */
			tls.certificate = v, i++;
		} else if (strcmp(a, "--tls-key") == 0) {
			tls.private_key = v, i++;
		} else if (strcmp(a, "--tls-ca") == 0) {
			tls.ca_file = v, i++;
		} else if (strcmp(a, "--tls-port") == 0) {
			tls.port = (unsigned)atoi(v), i++;
		} else {
			fprintf(stderr, "unknown option %s\n", a);
			return 2;
		}
	}
	if (cw_reason_format(g.reason, sizeof(g.reason), CW_REASON_Q850, 17, "User busy", -1, NULL) != 0)
		return 2;
	cfg.on_event = on_event;
	if (tls.certificate) {
		cfg.transports = CWS_TRANSPORT_UDP | CWS_TRANSPORT_TCP | CWS_TRANSPORT_TLS;
		cfg.tls = &tls;
	}
	rc = cws_new(&sip, &cfg);
	if (rc != 0) {
		fprintf(stderr, "cws_new: %d (%s)\n", rc, strerror(errno));
		return 2;
	}
	printf("PORT %u\n", cws_port(sip));
	if (tls.certificate)
		printf("TLS_PORT %u\n", cws_tls_port(sip));
	fflush(stdout);

	sfd = signalfd(-1, &mask, SFD_CLOEXEC);
	ep = epoll_create1(EPOLL_CLOEXEC);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.fd = cws_fd(sip);
	epoll_ctl(ep, EPOLL_CTL_ADD, cws_fd(sip), &ev);
	ev.data.fd = sfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);

	if (g.call_uri) {
		struct cws_invite_opts o;
		memset(&o, 0, sizeof(o));
		o.target = g.call_uri;
		o.from_user = g.from;
		o.to_user = g.to;
		o.sdp = SDP;
		if (cws_call_invite(sip, &g.uac, &o) != 0) {
			fprintf(stderr, "invite failed\n");
			cws_free(sip);
			return 2;
		}
		cws_process(sip);
	}

	for (;;) {
		struct epoll_event evs[8];
		long long now = now_ms();
		int t = cws_next_timeout_ms(sip), n;
		size_t k = 0;
		for (size_t i = 0; i < g.npend; i++) {
			if (g.pend[i].call && (t < 0 || g.pend[i].at - now < t))
				t = g.pend[i].at - now < 0 ? 0 : (int)(g.pend[i].at - now);
		}
		if (g.bye_at >= 0 && (t < 0 || g.bye_at - now < t))
			t = g.bye_at - now < 0 ? 0 : (int)(g.bye_at - now);
		n = epoll_wait(ep, evs, 8, t);
		if (n < 0 && errno != EINTR)
			break;
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == sfd)
				goto out;
			cws_on_readable(sip);
		}
		cws_on_timeout(sip);
		now = now_ms();
		for (size_t i = 0; i < g.npend; i++) {
			if (g.pend[i].call && g.pend[i].at <= now) {
				cws_call *c = g.pend[i].call;
				g.pend[i].call = NULL;
				answer(c, g.pend[i].status);
			}
		}
		for (size_t i = 0; i < g.npend; i++)
			if (g.pend[i].call)
				g.pend[k++] = g.pend[i];
		g.npend = k;
		if (g.bye_at >= 0 && g.bye_at <= now && g.uac) {
			g.bye_at = -1;
			if (cws_call_bye(g.uac, NULL) != 0) {
				g.uac_done = 1;
			}
		}
		cws_process(sip);
		if (g.call_uri && g.uac_done)
			break;
	}
out:
	cws_free(sip);
	close(ep);
	close(sfd);
	return g.call_uri ? g.uac_rc : 0;
}
