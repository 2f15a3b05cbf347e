/* SPDX-License-Identifier: MIT */
/* rules.h — causeway-pstn-sim's behaviour per called number (format: README.md). */
#ifndef SIM_RULES_H
#define SIM_RULES_H

#include <stddef.h>
#include <stdio.h>

#include "play.h"
#include "q931.h" /* CWI_Q931_NEW_NUMBER_MAX */

enum sim_action {
	SIM_ANSWER = 1,             /* answer DELAY_MS */
	SIM_ALERT_ANSWER,           /* alert DELAY_MS then answer DELAY_MS */
	/* CAUSE below is "CAUSE [location LOC] [diagnostic DIGITS]" (diagnostic: cause 22) */
	SIM_REJECT,                 /* reject CAUSE [after-alert DELAY_MS] */
	SIM_PROGRESS_CLEAR,         /* progress-then-clear CAUSE DELAY_MS */
	SIM_TALK_CLEAR,             /* talk SECONDS then clear CAUSE */
	SIM_DISCONNECT_INBAND       /* disconnect-inband CAUSE HOLD_MS */
};

struct sim_rule {
	char key[40];       /* called number, or its prefix when prefix = 1 */
	int prefix;         /* key was written NUMBER* */
	int is_default;     /* key was "default" */
	enum sim_action action;
	int cause;          /* 1..127 for REJECT, PROGRESS_CLEAR, TALK_CLEAR */
	int location;       /* 0..15, or -1 = what libpri sends (1, LPN) */
	char diagnostic[CWI_Q931_NEW_NUMBER_MAX + 1]; /* cause 22's new number, "" = none
	                                                (Q.850 Table 2) */
	int alert;          /* REJECT: alert first (after-alert) */
	long delay1_ms;     /* answer / alert / reject / progress delay, talk time, or how long
	                       a DISCONNECT with PI 8 waits for the peer's RELEASE */
	long delay2_ms;     /* ALERT_ANSWER: from ALERTING to CONNECT */
	/* "connected [+]DIGITS [restricted]": the Connected number of its CONNECT (Q.951 §3,
	   COLP), "" = none; '+' makes it international */
	char connected[32];
	int connected_intl;
	int connected_restricted;
	struct sim_play early; /* B-channel before the answer ("early PLAY"), silence by default */
	struct sim_play play;  /* B-channel after the answer ("play PLAY"), silence by default */
	int line;           /* line in the rules file */
};

struct sim_rules {
	struct sim_rule *rules;
	size_t n;
	char file[256];
};

/*
 * sim_rules_load() - parse path. On error, prints "FILE:LINE: message" into
 * err and returns -1 (rules untouched); 0 on success.
 */
int sim_rules_load(struct sim_rules *rules, const char *path, char *err, size_t errlen);

/* sim_rules_match() - exact key, then the longest prefix, then default; NULL when none. */
const struct sim_rule *sim_rules_match(const struct sim_rules *rules, const char *called);

void sim_rules_free(struct sim_rules *rules);

/* sim_action_name() - "answer", "alert-answer", "reject", "progress-then-clear", "talk",
 * "disconnect-inband". */
const char *sim_action_name(enum sim_action a);

#endif
