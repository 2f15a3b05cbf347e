/* SPDX-License-Identifier: MIT */
/*
 * admission.h — who may place a call through the gateway, decided for each
 * SIP request before a transaction or a call exists (bridge/config/README.md
 * "Admission"): the flood limits of the source ([sip] source_rate ...), the
 * route's allow blocks or digest users (auth), its deny prefixes; and the
 * refusal log line. Built on bridge/policy (limits, blocks, prefixes, the
 * line) and bridge/auth (the digest verifier, the users file). Takes now
 * as an argument, reads no clock.
 */
#ifndef CWB_ADMISSION_H
#define CWB_ADMISSION_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "refusal.h"

struct cwb_admission;

/* A request as the SIP leg received it (bridge/sip's cws_request_info). */
struct cwb_admission_request {
	const char *method;
	const char *request_uri;   /* INVITE: as received (digest uri=) */
	const char *ruri_user;     /* NULL when absent */
	int in_dialog;             /* To has a tag: no new call */
	const char *authorization; /* the Authorization value, NULL when absent */
	const char *src_ip;        /* the socket's peer */
	int src_port;
	const char *transport;     /* "udp", "tcp" */
};

/* The decision. */
struct cwb_admission_answer {
	int status;                /* 0: go on; 300..699: answer it; < 0: drop unanswered */
	char header_name[32];      /* "" or e.g. "Retry-After", "Reason", "WWW-Authenticate" */
	char header_value[512];
	char log_line[CWP_REFUSAL_LINE_MAX]; /* the refusal line, "" when nothing to log */
	const char *reason;        /* a refusal: the reason= word of the refusal line (static),
	                              also when no line is logged; NULL otherwise */
	int new_call;              /* 1: an admitted INVITE, counted as a call of src_ip until
	                              cwb_admission_call_end() */
};

/*
 * cwb_admission_new() - the limits of cfg->sip, the users file of every route
 * with auth (errors as "FILE:LINE: ..." into err), a verifier per such route
 * with a secret from getrandom(2). Returns 0, a negative errno value or a bridge code (err says why).
 */
int cwb_admission_new(struct cwb_admission **ret, const struct cwcfg_config *cfg, char *err,
                      size_t errlen);
/*
 * cwb_admission_reload() - the routes, users files and [sip] flood limits of cfg for every
 * request from now on (a SIGHUP); the sources' counts, tokens and blocks stay, and a route
 * of the same name and realm keeps its verifier (nonces given out stay good). On an error
 * (a users file, a limit the running table cannot take: err says why) nothing changes.
 * cfg must outlive a, or the next reload. Returns 0, a negative errno value or a bridge code.
 */
int cwb_admission_reload(struct cwb_admission *a, const struct cwcfg_config *cfg, char *err,
                         size_t errlen);
void cwb_admission_free(struct cwb_admission *a);

/* cwb_admission_check() - the decision for req at now (ms). Returns 0, -EINVAL. */
int cwb_admission_check(struct cwb_admission *a, const struct cwb_admission_request *req,
                        uint64_t now, struct cwb_admission_answer *ans);

/* cwb_admission_call_end() - a call counted by an answer's new_call has ended. */
void cwb_admission_call_end(struct cwb_admission *a, const char *src_ip, uint64_t now);

#endif /* CWB_ADMISSION_H */
