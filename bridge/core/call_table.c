/* SPDX-License-Identifier: MIT */
/*
 * call_table.c — cw-call-table: prints the transition table the call state
 * machine runs (cwc_call_rows[] after macro expansion, in lookup order) as
 * Markdown: one section per state, one line per row with its guard, action,
 * next state, the timers running in the next state, the cause the row sends
 * (struct cwc_fsm_cause) and the clause. call-table.md in this folder is its output; the test
 * bridge-core-call-table fails when the two differ.
 *
 *   cw-call-table [-o FILE]     (stdout without -o)
 */
#include <stdio.h>
#include <string.h>

#include "call_internal.h"

/* Markdown cell text: '|' would end the cell. */
static void put_cell(FILE *out, const char *text)
{
	fputs(" ", out);
	for (const char *p = text; *p; p++) {
		if (*p == '|')
			fputc('\\', out);
		fputc(*p, out);
	}
	fputs(" |", out);
}

static void put_code_cell(FILE *out, const char *name)
{
	if (!name) {
		put_cell(out, "");
		return;
	}
	fprintf(out, " `%s` |", name);
}

/* "T310, INTERWORK" for a timer mask, "" for none. */
static void timers_text(unsigned mask, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int t = 0; t < CWC_TIMER_COUNT && used < len; t++) {
		if (!(mask & (1u << t)))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "",
		                         cwc_call_timer_name((enum cwc_call_timer)t));
	}
}

/* What runs after the row: the next state's timers; SAME keeps those running; a row
   naming its own state starts them afresh. */
static void next_timers_text(const struct cwc_call_row *row, int state, char *buf, size_t len)
{
	char names[128];

	if (row->next == CWC_CS_SAME && row->restart) {
		timers_text(row->restart, names, sizeof(names));
		snprintf(buf, len, "(kept; %s afresh)", names);
		return;
	}
	if (row->next == CWC_CS_SAME) {
		snprintf(buf, len, "%s", state == CWC_CS_ANY ? "(unchanged)" : "(kept)");
		return;
	}
	timers_text(cwc_call_state_timers((enum cwc_call_state)row->next), names, sizeof(names));
	if (row->restart) {
		char again[64];

		timers_text(row->restart, again, sizeof(again));
		snprintf(buf, len, "%.60s (%.60s afresh)", names, again);
		return;
	}
	if (row->next == state && names[0])
		snprintf(buf, len, "%s (afresh)", names);
	else
		snprintf(buf, len, "%s", names[0] ? names : "none");
}

/* The cause column: where the row's cause comes from, its number when the row fixes one
   (or the default when the source has none), and why. */
static const struct {
	const char *from;  /* before the number, or before ": why" */
	int numbered;      /* the row's .cause is printed */
} cause_sources[CWC_FSM_CAUSE_COUNT] = {
	[CWC_FSM_CAUSE_NONE] = { NULL, 0 },
	[CWC_FSM_CAUSE_FIXED] = { "", 1 },
	[CWC_FSM_CAUSE_EVENT] = { "event's, else ", 1 },
	[CWC_FSM_CAUSE_REJECT] = { "event's `reject_cause`", 0 },
	[CWC_FSM_CAUSE_SIP] = { "mapped from SIP", 0 },
	[CWC_FSM_CAUSE_EARLY] = { "kept (early release), else ", 1 },
	[CWC_FSM_CAUSE_RETRY] = { "kept (SETUP retry), else ", 1 },
	[CWC_FSM_CAUSE_PENDING] = { "kept (BYE)", 0 },
};

static void cause_text(const struct cwc_fsm_cause *c, char *buf, size_t len)
{
	if ((unsigned)c->src >= CWC_FSM_CAUSE_COUNT) {
		snprintf(buf, len, "(unknown cause source %d)", (int)c->src);
	} else if (!cause_sources[c->src].from) {
		buf[0] = '\0';
	} else if (cause_sources[c->src].numbered) {
		snprintf(buf, len, "%s**%d**: %s", cause_sources[c->src].from, c->cause, c->clause);
	} else {
		snprintf(buf, len, "%s: %s", cause_sources[c->src].from, c->clause);
	}
}

static const char *next_name(int next)
{
	return next == CWC_CS_SAME ? "SAME" : cwc_call_state_name((enum cwc_call_state)next);
}

static void put_row(FILE *out, size_t index, const struct cwc_call_row *row, int state)
{
	char timers[160], cause[512];

	next_timers_text(row, state, timers, sizeof(timers));
	cause_text(&row->cause, cause, sizeof(cause));
	fprintf(out, "| %zu |", index);
	put_code_cell(out, cwc_call_event_name(row->event));
	put_code_cell(out, row->guard_name);
	put_code_cell(out, row->action_name);
	put_code_cell(out, next_name(row->next));
	put_cell(out, timers);
	put_cell(out, cause);
	put_cell(out, row->clause);
	fputc('\n', out);
}

static void put_header(FILE *out)
{
	fputs("| row | event | guard | action | next | timers in next | cause | clause |\n", out);
	fputs("|---|---|---|---|---|---|---|---|\n", out);
}

static void put_state(FILE *out, int state)
{
	char timers[128];

	if (state == CWC_CS_ANY) {
		fputs("\n## Any live state (not NULL, not DONE)\n\n", out);
		fputs("Tried before the rows of the state itself.\n\n", out);
	} else {
		enum cwc_call_state s = (enum cwc_call_state)state;

		timers_text(cwc_call_state_timers(s), timers, sizeof(timers));
		fprintf(out, "\n## %s\n\n%s", cwc_call_state_name(s), cwc_call_state_q931(s));
		if (cwc_call_state_rfc3398(s) && cwc_call_state_rfc3398(s)[0])
			fprintf(out, "; RFC 3398 \"%s\"", cwc_call_state_rfc3398(s));
		fprintf(out, ". Timers: %s.\n\n", timers[0] ? timers : "none");
	}
	put_header(out);
	for (size_t i = 0; i < cwc_call_nrows; i++)
		if (cwc_call_rows[i].state == state)
			put_row(out, i, &cwc_call_rows[i], state);
}

static void put_table(FILE *out)
{
	fputs("<!-- Generated by cw-call-table from bridge/core/call_fsm.c: do not edit.\n"
	      "     Regenerate: meson compile -C BUILD update-call-table -->\n", out);
	fputs("# The call state machine, row by row\n\n", out);
	fprintf(out, "The %zu rows of `cwc_call_rows[]` (call_fsm.c) after macro expansion. In a state, "
	        "on an event, the first row whose guard holds wins (rows are listed in lookup order; "
	        "`row` is the index `cwc_call_last_row()` reports); an event no row takes is "
	        "refused (`CWC_CALL_ESTATE`). The engine stops the timers of the old state and starts "
	        "those of the next one: \"timers in next\" is what runs after the row, \"(kept)\" "
	        "for a row that stays (SAME), \"(afresh)\" for a row that re-enters its own state, "
	        "\"(kept; T afresh)\" for a row that stays and starts timer T again. "
	        "\"cause\" is the cause the row sends or keeps: a fixed one in bold, or where it "
	        "comes from (the event, the SIP mapping of the profile, a cause kept earlier) with "
	        "the default in bold; empty: the row sends none.\n\n",
	        cwc_call_nrows);
	fputs("## Timers\n\n| timer | default | clause |\n|---|---|---|\n", out);
	for (int t = 0; t < CWC_TIMER_COUNT; t++) {
		const struct cwc_call_timer_info *ti = &cwc_call_timers[t];

		fprintf(out, "| %s | %llu ms |", ti->name, (unsigned long long)ti->default_ms);
		put_cell(out, ti->clause);
		fputc('\n', out);
	}
	put_state(out, CWC_CS_ANY);
	for (int s = 0; s < CWC_CS_COUNT; s++) {
		int has_rows = 0;

		for (size_t i = 0; i < cwc_call_nrows && !has_rows; i++)
			has_rows = cwc_call_rows[i].state == s;
		if (has_rows)
			put_state(out, s);
	}
}

int main(int argc, char **argv)
{
	FILE *out = stdout;

	if (argc == 3 && strcmp(argv[1], "-o") == 0) {
		out = fopen(argv[2], "w");
		if (!out) {
			perror(argv[2]);
			return 1;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: %s [-o FILE]\n", argv[0]);
		return 2;
	}
	put_table(out);
	if (out != stdout ? fclose(out) != 0 : fflush(out) != 0) {
		perror("cw-call-table");
		return 1;
	}
	return 0;
}
