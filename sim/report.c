/* SPDX-License-Identifier: MIT */
/*
 * report.c — causeway-pstn-sim's JSON lines (report.h, README.md "Report").
 *
 * Each line is written into one buffer and then to the report in one
 * piece. Strings are JSON_STRINGS_OCTETS: numbers and names are IA5 off the
 * wire (Q.931 §4.5.8, §4.5.10, Display), every byte outside printable ASCII
 * is kept as its own \u00XX.
 */
#include "report.h"

#include <string.h>

#include <causeway/q850.h>

#include "bearer.h"
#include "calls.h"
#include "json.h"

/* Far more than the longest call line: 47 messages, names of 127 bytes all escaped. */
#define REPORT_LINE_MAX 16384

static void line_begin(json_w *w, char *buf, size_t size)
{
	json_init_buf(w, buf, size);
	json_set_strings(w, JSON_STRINGS_OCTETS);
	json_obj_begin(w);
}

static void line_end(json_w *w, FILE *f, const char *buf)
{
	json_obj_end(w);
	json_newline(w);
	if (json_error(w) != 0) {
		fprintf(stderr, "causeway-pstn-sim: report line lost: %s\n",
		        json_strerror(json_error(w)));
		return;
	}
	fwrite(buf, 1, json_length(w), f);
	fflush(f);
}

void sim_report_dchan(FILE *f, const char *state, int64_t t_ms)
{
	char buf[128];
	json_w w;

	line_begin(&w, buf, sizeof(buf));
	json_key(&w, "event");
	json_str(&w, "dchan");
	json_key(&w, "state");
	json_str(&w, state);
	json_key(&w, "t_ms");
	json_int(&w, t_ms);
	line_end(&w, f, buf);
}

void sim_report_drop(FILE *f, int rx, int tx, int64_t t_ms)
{
	char buf[128];
	json_w w;

	line_begin(&w, buf, sizeof(buf));
	json_key(&w, "event");
	json_str(&w, "drop");
	json_key(&w, "rx");
	json_str(&w, rx ? "on" : "off");
	json_key(&w, "tx");
	json_str(&w, tx ? "on" : "off");
	json_key(&w, "t_ms");
	json_int(&w, t_ms);
	line_end(&w, f, buf);
}

void sim_report_channel(FILE *f, const char *event, int channel, const char *status,
                        int64_t t_ms)
{
	char buf[160];
	json_w w;

	line_begin(&w, buf, sizeof(buf));
	json_key(&w, "event");
	json_str(&w, event);
	json_key(&w, "channel");
	json_int(&w, channel);
	if (status) {
		json_key(&w, "status");
		json_str(&w, status);
	}
	json_key(&w, "t_ms");
	json_int(&w, t_ms);
	line_end(&w, f, buf);
}

/* Q.931 §4.5.10 octet 3a bits 7-6 (libpri's PRI_PRES_RESTRICTION). */
static const char *presentation_name(int pres)
{
	switch (pres & PRI_PRES_RESTRICTION) {
	case PRI_PRES_ALLOWED: return "allowed";
	case PRI_PRES_RESTRICTED: return "restricted";
	default: return "unavailable";
	}
}

/* Q.931 §4.5.10 octet 3a bits 2-1 (libpri's PRI_PRES_NUMBER_TYPE). */
static const char *screening_name(int pres)
{
	switch (pres & PRI_PRES_NUMBER_TYPE) {
	case PRI_PRES_USER_NUMBER_UNSCREENED: return "unscreened";
	case PRI_PRES_USER_NUMBER_PASSED_SCREEN: return "passed";
	case PRI_PRES_USER_NUMBER_FAILED_SCREEN: return "failed";
	default: return "network";
	}
}

static void put_str_or_null(json_w *w, const char *key, const char *s)
{
	json_key(w, key);
	json_str(w, s[0] != '\0' ? s : NULL);
}

static void put_int_or_null(json_w *w, const char *key, int present, int64_t v)
{
	json_key(w, key);
	if (present)
		json_int(w, v);
	else
		json_null(w);
}

/* A location by its RFC 8606 name, null when there is none. */
static void put_location(json_w *w, const char *key, int present, int loc)
{
	json_key(w, key);
	json_str(w, present && loc >= 0 ? cw_location_name(loc) : NULL);
}

/* "<SETUP", ">CALL PROCEEDING": the direction, then the message's name. */
static void msg_text(char *buf, size_t size, uint16_t msg)
{
	snprintf(buf, size, "%c%s", (msg >> 8) ? '>' : '<', cwi_q931_msg_name(msg & 0xff));
}

static void put_messages(json_w *w, const struct sim_call *c)
{
	char m[48];
	int i;

	json_key(w, "messages");
	json_arr_begin(w);
	for (i = 0; i < c->n_msgs; i++) {
		if (c->msgs[i] == SIM_MSG_TRUNCATED)
			snprintf(m, sizeof(m), "...");
		else
			msg_text(m, sizeof(m), c->msgs[i]);
		json_str(w, m);
	}
	json_arr_end(w);
}

/* Overlap receiving (--overlap): the SETUP's digits and each INFORMATION's, as received. */
static void put_overlap(json_w *w, const struct sim_call *c)
{
	int i;

	json_key(w, "called_setup");
	json_str(w, c->called_setup);
	json_key(w, "information");
	json_arr_begin(w);
	for (i = 0; i < c->n_infos; i++)
		json_str(w, c->infos[i]);
	json_arr_end(w);
}

/* The messages that carried a Progress indicator, with its description. */
static void put_progress(json_w *w, const struct sim_call *c)
{
	char m[48];
	size_t n;
	int i;

	json_key(w, "progress");
	json_arr_begin(w);
	for (i = 0; i < c->n_msgs; i++) {
		if (c->msgs[i] == SIM_MSG_TRUNCATED || !c->msgs_pi[i])
			continue;
		msg_text(m, sizeof(m), c->msgs[i]);
		n = strlen(m);
		snprintf(m + n, sizeof(m) - n, " %d", c->msgs_pi[i]);
		json_str(w, m);
	}
	json_arr_end(w);
}

/* "audio": what the B-channel carried, null without an audio socket (README "Report"). */
static void put_audio(json_w *w, const struct sim_audio_result *a)
{
	json_key(w, "audio");
	if (!a->valid) {
		json_null(w);
		return;
	}
	json_obj_begin(w);
	json_key(w, "frames_received");
	json_int(w, (int64_t)a->frames_received);
	json_key(w, "frames_sent");
	json_int(w, (int64_t)a->frames_sent);
	json_key(w, "gaps");
	json_int(w, (int64_t)a->gaps);
	put_int_or_null(w, "tone_hz", a->has_tone, a->tone_hz);
	json_key(w, "level_dbm0");
	if (a->has_tone)
		json_double(w, (double)(long)(a->level_dbm0 * 10.0 + (a->level_dbm0 < 0 ? -0.5 : 0.5)) /
		               10.0);
	else
		json_null(w);
	json_key(w, "dtmf");
	json_str(w, a->dtmf);
	json_obj_end(w);
}

/* The Connected number of the CONNECT received (Q.951 §3), null when none. */
static void put_connected(json_w *w, const struct sim_call *c)
{
	json_key(w, "connected");
	if (!c->connected[0]) {
		json_null(w);
		return;
	}
	json_obj_begin(w);
	json_key(w, "number");
	json_str(w, c->connected);
	json_key(w, "ton");
	json_int(w, c->connected_ton);
	json_key(w, "presentation");
	json_str(w, presentation_name(c->connected_pres));
	json_key(w, "screening");
	json_str(w, screening_name(c->connected_pres));
	json_obj_end(w);
}

void sim_report_call(FILE *f, const struct sim_call *c, const char *end)
{
	static char buf[REPORT_LINE_MAX];
	json_w w;

	line_begin(&w, buf, sizeof(buf));
	json_key(&w, "event");
	json_str(&w, "call");
	json_key(&w, "direction");
	json_str(&w, c->out ? "out" : "in");
	json_key(&w, "called");
	json_str(&w, c->called);
	json_key(&w, "calling");
	json_str(&w, c->calling);
	json_key(&w, "presentation");
	json_str(&w, presentation_name(c->presentation));
	json_key(&w, "screening");
	json_str(&w, screening_name(c->presentation));
	put_str_or_null(&w, "calling_name", c->calling_name);
	put_str_or_null(&w, "bearer", c->bearer >= 0 ? sim_bearer_name(c->bearer) : "");
	json_key(&w, "redirecting");
	if (c->redirecting.present) {
		json_obj_begin(&w);
		json_key(&w, "number");
		json_str(&w, c->redirecting.number);
		json_key(&w, "presentation");
		json_str(&w, presentation_name(c->redirecting.presentation));
		json_key(&w, "reason");
		json_str(&w, sim_redirect_reason_name(c->redirecting.reason));
		json_key(&w, "reason_code");
		json_int(&w, c->redirecting.reason);
		json_key(&w, "count");
		json_int(&w, c->redirecting.count);
		json_obj_end(&w);
	} else {
		json_str(&w, NULL);
	}
	put_str_or_null(&w, "connected_name", c->connected_name);
	put_str_or_null(&w, "law", c->layer1 == PRI_LAYER_1_ULAW ? "ulaw" :
	                           c->layer1 == PRI_LAYER_1_ALAW ? "alaw" : "");
	json_key(&w, "cref");
	json_int(&w, c->cref);
	json_key(&w, "channel");
	json_int(&w, c->channel);
	json_key(&w, "rule");
	if (c->rule) {
		json_obj_begin(&w);
		json_key(&w, "line");
		json_int(&w, c->rule->line);
		json_key(&w, "action");
		json_str(&w, sim_action_name(c->rule->action));
		json_obj_end(&w);
	} else {
		json_null(&w);
	}
	put_messages(&w, c);
	put_overlap(&w, c);
	put_progress(&w, c);
	put_int_or_null(&w, "cause_received", c->cause_rx > 0, c->cause_rx);
	put_location(&w, "location_received", c->cause_rx > 0, c->loc_rx);
	put_int_or_null(&w, "cause_sent", c->cause_tx > 0, c->cause_tx);
	put_location(&w, "location_sent", c->cause_tx > 0, c->loc_tx);
	put_str_or_null(&w, "diagnostic_sent", c->diag_tx);
	put_connected(&w, c);
	json_key(&w, "answered");
	json_bool(&w, c->answered);
	put_int_or_null(&w, "t_setup_ms", 1, c->t_setup);
	put_int_or_null(&w, "t_answer_ms", c->answered, c->t_answer);
	put_int_or_null(&w, "t_end_ms", 1, c->t_end);
	put_int_or_null(&w, "t_setup_wall_us", 1, c->t_setup_wall_us);
	put_audio(&w, &c->audio);
	json_key(&w, "end");
	json_str(&w, end);
	line_end(&w, f, buf);
}
