/* SPDX-License-Identifier: MIT */
/* rules.c — the rules file of causeway-pstn-sim (see README.md). */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/q850.h>

#include "rules.h"

#define MAX_TOKENS 32
#define MAX_DELAY_MS 3600000L /* one hour */

struct parse {
	const char *file;
	int line;
	char *err;
	size_t errlen;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(p->err, p->errlen, "%s:%d: ", p->file, p->line);
	if (n < 0 || (size_t)n >= p->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int parse_long(struct parse *p, const char *s, long lo, long hi, const char *what, long *ret)
{
	char *end;
	long v;

	if (!s)
		return fail(p, "%s missing", what);
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < lo || v > hi)
		return fail(p, "%s '%s' is not a number in %ld..%ld", what, s, lo, hi);
	*ret = v;
	return 0;
}

static int parse_cause(struct parse *p, const char *s, int *ret)
{
	long v;

	/* Q.850 §2.2.5: cause values are 7 bits; 0 is not a valid cause. */
	if (parse_long(p, s, 1, 127, "cause", &v) < 0)
		return -1;
	*ret = (int)v;
	return 0;
}

static int parse_location(struct parse *p, const char *s, int *ret)
{
	int loc;

	if (!s)
		return fail(p, "location name missing");
	/* RFC 8606 names (U, LPN, LN, TN, RLN, RPN, INTL, BI, LOC-n) or 0..15. */
	if (cw_location_from_name(s, strlen(s), &loc) != 0)
		return fail(p, "unknown location '%s' (U, LPN, LN, TN, RLN, RPN, INTL, BI)", s);
	*ret = loc;
	return 0;
}

static int parse_seconds(struct parse *p, const char *s, long *ret_ms)
{
	char *end;
	double v;

	if (!s)
		return fail(p, "talk time missing");
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !(v >= 0) || v > MAX_DELAY_MS / 1000.0)
		return fail(p, "talk time '%s' is not a number of seconds in 0..3600", s);
	*ret_ms = (long)(v * 1000.0 + 0.5);
	return 0;
}

static int valid_key(const char *k, int *ret_prefix)
{
	size_t n = strlen(k), i;

	*ret_prefix = 0;
	if (n && k[n - 1] == '*') {
		*ret_prefix = 1;
		n--;
	}
	if (n == 0 && !*ret_prefix)
		return 0;
	/* Called party number digits (Q.931 §4.5.8: IA5 0-9, *, #, and + in E.164 text). */
	for (i = 0; i < n; i++)
		if (!strchr("0123456789#+", k[i]))
			return 0;
	return 1;
}

/* Optional "location LOC" at tok[*i]. */
static int opt_location(struct parse *p, char **tok, int ntok, int *i, int *ret)
{
	*ret = -1;
	if (*i < ntok && strcmp(tok[*i], "location") == 0) {
		if (parse_location(p, *i + 1 < ntok ? tok[*i + 1] : NULL, ret) < 0)
			return -1;
		*i += 2;
	}
	return 0;
}

/*
 * Optional "diagnostic DIGITS" at tok[*i], after cause: the new number of
 * cause 22 (Q.850 Table 2, "number changed": the diagnostic is the new
 * destination in the format of the Called party number IE, Q.931 §4.5.8).
 */
static int opt_diagnostic(struct parse *p, char **tok, int ntok, int *i, int cause, char *ret,
                          size_t size)
{
	const char *d;
	size_t n, k;

	ret[0] = '\0';
	if (*i >= ntok || strcmp(tok[*i], "diagnostic") != 0)
		return 0;
	d = *i + 1 < ntok ? tok[*i + 1] : NULL;
	if (!d)
		return fail(p, "diagnostic digits missing");
	if (cause != 22)
		return fail(p, "diagnostic DIGITS (the new number) goes with cause 22 only, not %d", cause);
	n = strlen(d);
	for (k = 0; k < n; k++)
		if (!strchr("0123456789*#", d[k]))
			break;
	if (n == 0 || k < n || n > CWI_Q931_NEW_NUMBER_MAX || n >= size)
		return fail(p, "diagnostic '%s' is not 1..%d digits (0-9, *, #)", d,
		            CWI_Q931_NEW_NUMBER_MAX);
	memcpy(ret, d, n + 1);
	*i += 2;
	return 0;
}

/* "CAUSE [location LOC] [diagnostic DIGITS]" at tok[*i]: cause, location, diagnostic. */
static int cause_options(struct parse *p, char **tok, int ntok, int *i, struct sim_rule *r)
{
	if (parse_cause(p, *i < ntok ? tok[*i] : NULL, &r->cause) < 0)
		return -1;
	(*i)++;
	if (opt_location(p, tok, ntok, i, &r->location) < 0)
		return -1;
	return opt_diagnostic(p, tok, ntok, i, r->cause, r->diagnostic, sizeof(r->diagnostic));
}

/* "CAUSE [location LOC] [diagnostic DIGITS] DELAY_MS" at tok[*i]. */
static int cause_location_delay(struct parse *p, char **tok, int ntok, int *i, struct sim_rule *r,
                                const char *what)
{
	if (cause_options(p, tok, ntok, i, r) < 0)
		return -1;
	if (parse_long(p, *i < ntok ? tok[*i] : NULL, 0, MAX_DELAY_MS, what, &r->delay1_ms) < 0)
		return -1;
	(*i)++;
	return 0;
}

/* A tone's frequencies: FREQ or FREQ+FREQ (Hz, 50..3950: inside the G.712 band). */
static int parse_freqs(struct parse *p, const char *s, int *f)
{
	char buf[32], *plus;
	long v;

	if (!s || strlen(s) >= sizeof(buf))
		return fail(p, "tone frequency missing");
	memcpy(buf, s, strlen(s) + 1);
	plus = strchr(buf, '+');
	if (plus)
		*plus++ = '\0';
	if (parse_long(p, buf, 50, 3950, "tone frequency", &v) < 0)
		return -1;
	f[0] = (int)v;
	f[1] = 0;
	if (plus) {
		if (parse_long(p, plus, 50, 3950, "second tone frequency", &v) < 0)
			return -1;
		f[1] = (int)v;
	}
	return 0;
}

/* An optional "WORD VALUE" at tok[*i] into *out: 0 (given or not), -1 (a bad value). */
static int opt_value(struct parse *p, char **tok, int ntok, int *i, const char *word, long lo,
                     long hi, const char *what, int *out)
{
	long v;

	if (*i >= ntok || strcmp(tok[*i], word) != 0)
		return 0;
	if (parse_long(p, *i + 1 < ntok ? tok[*i + 1] : NULL, lo, hi, what, &v) < 0)
		return -1;
	*out = (int)v;
	*i += 2;
	return 0;
}

/* An optional "WORD ON_MS OFF_MS" at tok[*i] into pl's on_ms and off_ms (ON_MS from
 * min_on, OFF_MS from min_off, both up to max): 0, or -1 for a bad value. */
static int opt_on_off(struct parse *p, char **tok, int ntok, int *i, const char *word, long min_on,
                      long min_off, long max, const char *what, struct sim_play *pl)
{
	char name[32];
	long on, off;

	if (*i >= ntok || strcmp(tok[*i], word) != 0)
		return 0;
	snprintf(name, sizeof(name), "%s on time", what);
	if (parse_long(p, *i + 1 < ntok ? tok[*i + 1] : NULL, min_on, max, name, &on) < 0)
		return -1;
	snprintf(name, sizeof(name), "%s off time", what);
	if (parse_long(p, *i + 2 < ntok ? tok[*i + 2] : NULL, min_off, max, name, &off) < 0)
		return -1;
	pl->on_ms = (int)on;
	pl->off_ms = (int)off;
	*i += 3;
	return 0;
}

/* "tone FREQ[+FREQ] [level DBM0] [cadence ON_MS OFF_MS]" after the word tone, at tok[*i]. */
static int parse_tone(struct parse *p, char **tok, int ntok, int *i, struct sim_play *pl)
{
	pl->kind = SIM_PLAY_TONE;
	pl->level = -10;
	if (parse_freqs(p, *i < ntok ? tok[*i] : NULL, pl->freq) < 0)
		return -1;
	(*i)++;
	if (opt_value(p, tok, ntok, i, "level", -60, 3, "tone level (dBm0)", &pl->level) < 0)
		return -1;
	return opt_on_off(p, tok, ntok, i, "cadence", 20, 0, 60000, "cadence", pl);
}

/* "dtmf DIGITS [level DBM0] [timing ON_MS OFF_MS] [delay MS]" after the word dtmf. */
static int parse_dtmf(struct parse *p, char **tok, int ntok, int *i, struct sim_play *pl)
{
	const char *d = *i < ntok ? tok[*i] : NULL;

	*pl = (struct sim_play){ .kind = SIM_PLAY_DTMF, .level = -10, .on_ms = 100, .off_ms = 100 };
	if (!d || !*d || strlen(d) > SIM_PLAY_DIGITS_MAX ||
	    strspn(d, "0123456789*#ABCD") != strlen(d))
		return fail(p, "DTMF digits '%s' (1 to %d of 0-9 * # A-D)", d ? d : "",
		            SIM_PLAY_DIGITS_MAX);
	memcpy(pl->digits, d, strlen(d) + 1);
	(*i)++;
	if (opt_value(p, tok, ntok, i, "level", -40, 0, "DTMF level (dBm0)", &pl->level) < 0)
		return -1;
	/* ITU-T Q.24: a receiver takes 40 ms of tone and 40 ms of pause */
	if (opt_on_off(p, tok, ntok, i, "timing", 20, 20, 10000, "DTMF", pl) < 0)
		return -1;
	return opt_value(p, tok, ntok, i, "delay", 0, 60000, "DTMF delay", &pl->delay_ms);
}

/* A WAV path relative to the rules file's folder, unless absolute. */
static int load_wav(struct parse *p, const char *name, struct sim_play *pl)
{
	char path[512], err[384];
	const char *slash = strrchr(p->file, '/');
	int n;

	if (!name)
		return fail(p, "WAV file name missing");
	if (name[0] == '/' || !slash)
		n = snprintf(path, sizeof(path), "%s", name);
	else
		n = snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - p->file), p->file, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return fail(p, "WAV file name too long");
	if (sim_wav_load(path, &pl->wav, &pl->wav_len, err, sizeof(err)) < 0)
		return fail(p, "%s", err);
	pl->kind = SIM_PLAY_WAV;
	return 0;
}

#define PLAY_WORDS "silence, echo, ringback, tone FREQ, wav FILE, dtmf DIGITS, ced"

/* PLAY at tok[*i]: silence, echo, ringback, tone ..., wav FILE, dtmf DIGITS ..., ced
 * (README.md "B-channel audio"). */
static int parse_play(struct parse *p, char **tok, int ntok, int *i, struct sim_play *pl)
{
	const char *w = *i < ntok ? tok[*i] : NULL;

	memset(pl, 0, sizeof(*pl));
	if (!w)
		return fail(p, "PLAY missing (" PLAY_WORDS ")");
	(*i)++;
	if (strcmp(w, "silence") == 0) {
		pl->kind = SIM_PLAY_SILENCE;
	} else if (strcmp(w, "echo") == 0) {
		pl->kind = SIM_PLAY_ECHO;
	} else if (strcmp(w, "ringback") == 0) {
		/* ETSI ES 201 970 / ITU-T E.180: 425 Hz, 1 s on, 4 s off */
		*pl = (struct sim_play){ .kind = SIM_PLAY_TONE, .freq = { 425, 0 }, .level = -10,
		                         .on_ms = 1000, .off_ms = 4000 };
	} else if (strcmp(w, "tone") == 0) {
		return parse_tone(p, tok, ntok, i, pl);
	} else if (strcmp(w, "dtmf") == 0) {
		return parse_dtmf(p, tok, ntok, i, pl);
	} else if (strcmp(w, "ced") == 0) {
		pl->kind = SIM_PLAY_CED;
	} else if (strcmp(w, "wav") == 0) {
		if (load_wav(p, *i < ntok ? tok[*i] : NULL, pl) < 0)
			return -1;
		(*i)++;
	} else {
		return fail(p, "unknown PLAY '%s' (" PLAY_WORDS ")", w);
	}
	return 0;
}

/* "[connected [+]DIGITS [restricted]]" after the action (Q.951 §3: COLP). */
static int connected_option(struct parse *p, char **tok, int ntok, int *i, struct sim_rule *r)
{
	const char *d;
	size_t k;

	if (*i >= ntok || strcmp(tok[*i], "connected") != 0)
		return 0;
	if (r->action == SIM_REJECT || r->action == SIM_PROGRESS_CLEAR ||
	    r->action == SIM_DISCONNECT_INBAND)
		return fail(p, "connected goes with a rule that answers (answer, alert, talk)");
	(*i)++;
	d = *i < ntok ? tok[*i] : NULL;
	if (d && d[0] == '+') {
		r->connected_intl = 1;
		d++;
	}
	if (!d || !d[0] || strlen(d) >= sizeof(r->connected))
		return fail(p, "connected needs [+]DIGITS, 1..%zu digits", sizeof(r->connected) - 1);
	for (k = 0; d[k]; k++)
		if (d[k] < '0' || d[k] > '9')
			return fail(p, "connected number '%s' is not [+]DIGITS", tok[*i]);
	memcpy(r->connected, d, strlen(d) + 1);
	(*i)++;
	if (*i < ntok && strcmp(tok[*i], "restricted") == 0) {
		r->connected_restricted = 1;
		(*i)++;
	}
	return 0;
}

/* "[early PLAY] [play PLAY]" after the action. */
static int audio_options(struct parse *p, char **tok, int ntok, int *i, struct sim_rule *r)
{
	if (*i < ntok && strcmp(tok[*i], "early") == 0) {
		(*i)++;
		if (parse_play(p, tok, ntok, i, &r->early) < 0)
			return -1;
	}
	if (*i < ntok && strcmp(tok[*i], "play") == 0) {
		(*i)++;
		if (parse_play(p, tok, ntok, i, &r->play) < 0)
			return -1;
	}
	return 0;
}

static void rule_free(struct sim_rule *r)
{
	free(r->early.wav);
	free(r->play.wav);
	r->early.wav = r->play.wav = NULL;
}

static int parse_rule(struct parse *p, char **tok, int ntok, struct sim_rule *r)
{
	const char *a;
	int i = 2;

	memset(r, 0, sizeof(*r));
	r->line = p->line;
	r->location = -1;
	if (strlen(tok[0]) >= sizeof(r->key))
		return fail(p, "number '%s' too long", tok[0]);
	if (strcmp(tok[0], "default") == 0) {
		r->is_default = 1;
	} else if (!valid_key(tok[0], &r->prefix)) {
		return fail(p, "'%s' is not a called number, NUMBER* or default", tok[0]);
	}
	memcpy(r->key, tok[0], strlen(tok[0]) + 1);
	if (r->prefix)
		r->key[strlen(r->key) - 1] = '\0';
	if (ntok < 2)
		return fail(p, "action missing after '%s'", tok[0]);
	a = tok[1];
	if (strcmp(a, "answer") == 0) {
		r->action = SIM_ANSWER;
		if (parse_long(p, i < ntok ? tok[i] : NULL, 0, MAX_DELAY_MS, "answer delay", &r->delay1_ms) < 0)
			return -1;
		i++;
	} else if (strcmp(a, "alert") == 0) {
		r->action = SIM_ALERT_ANSWER;
		if (parse_long(p, i < ntok ? tok[i] : NULL, 0, MAX_DELAY_MS, "alert delay", &r->delay1_ms) < 0)
			return -1;
		i++;
		if (i + 1 >= ntok || strcmp(tok[i], "then") != 0 || strcmp(tok[i + 1], "answer") != 0)
			return fail(p, "expected 'alert DELAY_MS then answer DELAY_MS'");
		i += 2;
		if (parse_long(p, i < ntok ? tok[i] : NULL, 0, MAX_DELAY_MS, "answer delay", &r->delay2_ms) < 0)
			return -1;
		i++;
	} else if (strcmp(a, "reject") == 0) {
		r->action = SIM_REJECT;
		if (cause_options(p, tok, ntok, &i, r) < 0)
			return -1;
		if (i < ntok && strcmp(tok[i], "after-alert") == 0) {
			r->alert = 1;
			if (parse_long(p, i + 1 < ntok ? tok[i + 1] : NULL, 0, MAX_DELAY_MS,
			               "after-alert delay", &r->delay1_ms) < 0)
				return -1;
			i += 2;
		}
	} else if (strcmp(a, "progress-then-clear") == 0) {
		r->action = SIM_PROGRESS_CLEAR;
		if (cause_location_delay(p, tok, ntok, &i, r, "clear delay") < 0)
			return -1;
	} else if (strcmp(a, "disconnect-inband") == 0) {
		r->action = SIM_DISCONNECT_INBAND;
		if (cause_location_delay(p, tok, ntok, &i, r, "hold time") < 0)
			return -1;
	} else if (strcmp(a, "talk") == 0) {
		r->action = SIM_TALK_CLEAR;
		if (parse_seconds(p, i < ntok ? tok[i] : NULL, &r->delay1_ms) < 0)
			return -1;
		i++;
		if (i + 1 >= ntok || strcmp(tok[i], "then") != 0 || strcmp(tok[i + 1], "clear") != 0)
			return fail(p, "expected 'talk SECONDS then clear CAUSE [location LOC]'");
		i += 2;
		if (cause_options(p, tok, ntok, &i, r) < 0)
			return -1;
	} else {
		return fail(p, "unknown action '%s' (answer, alert, reject, progress-then-clear, talk, disconnect-inband)", a);
	}
	if (connected_option(p, tok, ntok, &i, r) < 0 || audio_options(p, tok, ntok, &i, r) < 0)
		return -1;
	if (i < ntok)
		return fail(p, "unexpected '%s'", tok[i]);
	return 0;
}

int sim_rules_load(struct sim_rules *rules, const char *path, char *err, size_t errlen)
{
	struct parse p = { .file = path, .line = 0, .err = err, .errlen = errlen };
	struct sim_rules out = { 0 };
	char buf[1024];
	FILE *f = fopen(path, "r");
	size_t cap = 0, i;

	if (!f) {
		snprintf(err, errlen, "%s:0: cannot open: %s", path, strerror(errno));
		return -1;
	}
	snprintf(out.file, sizeof(out.file), "%s", path);
	while (fgets(buf, sizeof(buf), f)) {
		char *tok[MAX_TOKENS], *save = NULL, *t, *hash;
		int ntok = 0;
		struct sim_rule r;

		p.line++;
		if (!strchr(buf, '\n') && !feof(f)) {
			fail(&p, "line longer than %zu characters", sizeof(buf) - 2);
			goto error;
		}
		hash = strchr(buf, '#');
		/* '#' starts a comment only at the start of a word ('#' is a digit of a called number too). */
		while (hash && hash != buf && hash[-1] != ' ' && hash[-1] != '\t')
			hash = strchr(hash + 1, '#');
		if (hash)
			*hash = '\0';
		for (t = strtok_r(buf, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
			if (ntok == MAX_TOKENS) {
				fail(&p, "too many words");
				goto error;
			}
			tok[ntok++] = t;
		}
		if (ntok == 0)
			continue;
		if (parse_rule(&p, tok, ntok, &r) < 0) {
			rule_free(&r);
			goto error;
		}
		for (i = 0; i < out.n; i++) {
			if (out.rules[i].prefix == r.prefix && out.rules[i].is_default == r.is_default &&
			    strcmp(out.rules[i].key, r.key) == 0) {
				fail(&p, "'%s' already has a rule at line %d", tok[0], out.rules[i].line);
				rule_free(&r);
				goto error;
			}
		}
		if (out.n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct sim_rule *nr = realloc(out.rules, ncap * sizeof(*nr));

			if (!nr) {
				fail(&p, "out of memory");
				rule_free(&r);
				goto error;
			}
			out.rules = nr;
			cap = ncap;
		}
		out.rules[out.n++] = r;
	}
	if (ferror(f)) {
		fail(&p, "read error");
		goto error;
	}
	fclose(f);
	sim_rules_free(rules);
	*rules = out;
	return 0;
error:
	fclose(f);
	sim_rules_free(&out);
	return -1;
}

const struct sim_rule *sim_rules_match(const struct sim_rules *rules, const char *called)
{
	const struct sim_rule *best = NULL, *def = NULL;
	size_t i, best_len = 0;

	for (i = 0; i < rules->n; i++) {
		const struct sim_rule *r = &rules->rules[i];
		size_t kl = strlen(r->key);

		if (r->is_default) {
			def = r;
		} else if (!r->prefix) {
			if (strcmp(r->key, called) == 0)
				return r;
		} else if (strncmp(r->key, called, kl) == 0 && (!best || kl > best_len)) {
			best = r;
			best_len = kl;
		}
	}
	return best ? best : def;
}

void sim_rules_free(struct sim_rules *rules)
{
	size_t i;

	for (i = 0; i < rules->n; i++)
		rule_free(&rules->rules[i]);
	free(rules->rules);
	rules->rules = NULL;
	rules->n = 0;
}

const char *sim_action_name(enum sim_action a)
{
	switch (a) {
	case SIM_ANSWER: return "answer";
	case SIM_ALERT_ANSWER: return "alert-answer";
	case SIM_REJECT: return "reject";
	case SIM_PROGRESS_CLEAR: return "progress-then-clear";
	case SIM_TALK_CLEAR: return "talk";
	case SIM_DISCONNECT_INBAND: return "disconnect-inband";
	}
	return "?";
}
