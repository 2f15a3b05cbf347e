/* SPDX-License-Identifier: MIT */
/*
 * cmd_reason.c — "causeway reason VALUE...": parse Reason header field
 * values (RFC 3326 §2, RFC 8606 location, RFC 4411 preemption) and print
 * what libcauseway read. Each VALUE is one header line (several
 * comma-separated values allowed); several VALUEs are several lines of
 * one message, so a protocol repeated across them is flagged duplicate.
 *
 * Text output, one line per value:
 *   PROTOCOL [cause=N] [location=NAME] [text="..."] [params="..."] [FLAG...]
 *   error: MESSAGE at "RAW"
 * PROTOCOL is SIP, Q.850, preemption, or another token as written. text
 * and params are quoted: '"' and '\' are backslash-escaped, control
 * characters and bytes that are not UTF-8 are written \xHH. params are the
 * unknown parameters as on the wire, NAME[=VALUE] joined by ';'. FLAGs:
 * duplicate, bad-location, ignored-location, params-truncated,
 * text-truncated, duplicate-param.
 * Exit status: 0 if every value parsed, 1 if any had an error, 2 on usage.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "json.h"

static const struct {
	unsigned flag;
	const char *word;
} reason_flags[] = {
	{ CW_REASON_F_DUPLICATE, "duplicate" },
	{ CW_REASON_F_BAD_LOCATION, "bad-location" },
	{ CW_REASON_F_IGNORED_LOCATION, "ignored-location" },
	{ CW_REASON_F_PARAMS_TRUNCATED, "params-truncated" },
	{ CW_REASON_F_TEXT_TRUNCATED, "text-truncated" },
	{ CW_REASON_F_DUPLICATE_PARAM, "duplicate-param" },
};

#define NFLAGS (sizeof(reason_flags) / sizeof(reason_flags[0]))

/* The escaped body of a quoted field (without the quotes). */
static void put_escaped(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t k;

		if (p[i] == '"' || p[i] == '\\') {
			fputc('\\', f);
			fputc(p[i], f);
			i++;
			continue;
		}
		if (p[i] < 0x20 || p[i] == 0x7f) {
			fprintf(f, "\\x%02X", (unsigned)p[i]);
			i++;
			continue;
		}
		k = utf8_valid_len(p + i, n - i);
		if (k == 0) {
			fprintf(f, "\\x%02X", (unsigned)p[i]);
			i++;
			continue;
		}
		fwrite(p + i, 1, k, f);
		i += k;
	}
}

static void put_quoted(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	put_escaped(f, s, n);
	fputc('"', f);
}

static const char *protocol_text(const cw_reason *r, char *buf, size_t len)
{
	if (r->protocol != CW_REASON_OTHER)
		return cw_reason_protocol_name(r->protocol);
	if (r->protocol_token.len + 1 > len)
		return cw_reason_protocol_name(r->protocol);
	memcpy(buf, r->protocol_token.ptr, r->protocol_token.len);
	buf[r->protocol_token.len] = '\0';
	return buf;
}

static int has_location(const cw_reason *r)
{
	return r->location >= 0 && r->location <= 15 &&
	       (r->flags & (CW_REASON_F_IGNORED_LOCATION | CW_REASON_F_BAD_LOCATION)) == 0;
}

static void print_text(const cw_reason *r)
{
	char proto[256];

	if (r->error != 0) {
		printf("error: %s at ", cw_strerror(r->error));
		put_quoted(stdout, r->error_at.ptr, r->error_at.len);
		putchar('\n');
		return;
	}
	fputs(protocol_text(r, proto, sizeof(proto)), stdout);
	if (r->cause >= 0)
		printf(" cause=%d", r->cause);
	if (has_location(r))
		printf(" location=%s", cw_location_name(r->location));
	if (r->has_text) {
		fputs(" text=", stdout);
		put_quoted(stdout, r->text.ptr, r->text.len);
	}
	if (r->nparams > 0) {
		fputs(" params=\"", stdout);
		for (size_t i = 0; i < r->nparams && i < CW_REASON_MAX_PARAMS; i++) {
			const cw_reason_param *pr = &r->params[i];

			if (i > 0)
				fputc(';', stdout);
			put_escaped(stdout, pr->name.ptr, pr->name.len);
			if (pr->value.ptr != NULL) {
				fputc('=', stdout);
				put_escaped(stdout, pr->value.ptr, pr->value.len);
			}
		}
		fputc('"', stdout);
	}
	for (size_t i = 0; i < NFLAGS; i++) {
		if (r->flags & reason_flags[i].flag)
			printf(" %s", reason_flags[i].word);
	}
	putchar('\n');
}

static void print_json(json_w *w, const cw_reason *r)
{
	char proto[256];

	json_obj_begin(w);
	if (r->error != 0) {
		json_key(w, "error");
		json_str(w, cw_strerror(r->error));
		json_key(w, "raw");
		json_strn(w, r->error_at.ptr ? r->error_at.ptr : "", r->error_at.len);
		json_obj_end(w);
		return;
	}
	json_key(w, "protocol");
	json_str(w, protocol_text(r, proto, sizeof(proto)));
	json_key(w, "cause");
	if (r->cause >= 0)
		json_int(w, r->cause);
	else
		json_null(w);
	json_key(w, "text");
	if (r->has_text)
		json_strn(w, r->text.ptr ? r->text.ptr : "", r->text.len);
	else
		json_null(w);
	json_key(w, "location");
	json_str(w, has_location(r) ? cw_location_name(r->location) : NULL);
	json_key(w, "params");
	json_obj_begin(w);
	for (size_t i = 0; i < r->nparams && i < CW_REASON_MAX_PARAMS; i++) {
		const cw_reason_param *pr = &r->params[i];
		char name[256];
		size_t j, n = pr->name.len < sizeof(name) ? pr->name.len : sizeof(name) - 1;

		memcpy(name, pr->name.ptr, n);
		name[n] = '\0';
		/* A JSON object must not repeat a name: keep the first (RFC 3261 §7.3.1). */
		for (j = 0; j < i; j++) {
			if (r->params[j].name.len == pr->name.len &&
			    strncasecmp(r->params[j].name.ptr, pr->name.ptr, pr->name.len) == 0)
				break;
		}
		if (j < i)
			continue;
		json_key(w, name);
		if (pr->value.ptr != NULL)
			json_strn(w, pr->value.ptr, pr->value.len);
		else
			json_null(w);
	}
	json_obj_end(w);
	json_key(w, "flags");
	json_arr_begin(w);
	for (size_t i = 0; i < NFLAGS; i++) {
		if (r->flags & reason_flags[i].flag)
			json_str(w, reason_flags[i].word);
	}
	json_arr_end(w);
	json_obj_end(w);
}

/* A header line that gave no value at all (e.g. empty) is reported as an error. */
static void print_empty(json_w *w, int json, const char *line)
{
	if (json) {
		json_obj_begin(w);
		json_key(w, "error");
		json_str(w, cw_strerror(CW_ESYNTAX));
		json_key(w, "raw");
		json_str(w, line);
		json_obj_end(w);
	} else {
		printf("error: %s at ", cw_strerror(CW_ESYNTAX));
		put_quoted(stdout, line, strlen(line));
		putchar('\n');
	}
}

int cmd_reason(int argc, char **argv)
{
	cli_opts o;
	cw_reason_list list;
	cw_reason *values;
	char *text;
	size_t nvalues = 0, ntext = 1;
	int errors = 0;
	json_w w;
	int rc;

	rc = cli_opts_parse(argc, argv, CLI_O_JSON, &o);
	if (rc != 0)
		return rc;
	if (o.help) {
		cli_command_usage(stdout, argv[0]);
		return CLI_EXIT_OK;
	}
	if (cli_expect_args(&o, 1, (size_t)argc, "VALUE") != 0)
		return CLI_EXIT_USAGE;

	/* Room for every value (at most one per comma, plus one) and all text. */
	for (size_t i = 0; i < o.npos; i++) {
		const char *s = o.pos[i];

		nvalues++;
		for (; *s != '\0'; s++) {
			if (*s == ',')
				nvalues++;
		}
		ntext += (size_t)(s - o.pos[i]) + 1;
	}
	values = calloc(nvalues, sizeof(*values));
	text = malloc(ntext);
	if (values == NULL || text == NULL) {
		free(values);
		free(text);
		cli_error("out of memory");
		return CLI_EXIT_USAGE;
	}
	cw_reason_list_init(&list, values, nvalues, text, ntext);

	json_init(&w, stdout);
	json_lines(&w);
	if (o.json)
		json_arr_begin(&w);
	for (size_t i = 0; i < o.npos; i++) {
		size_t first = list.count, seen = list.seen;

		if (cw_reason_list_parse(&list, o.pos[i], strlen(o.pos[i])) != 0) {
			print_empty(&w, o.json, o.pos[i]);
			errors++;
			continue;
		}
		if (list.seen == seen) {
			print_empty(&w, o.json, o.pos[i]);
			errors++;
		}
		for (size_t k = first; k < list.count; k++) {
			if (values[k].error != 0)
				errors++;
			if (o.json)
				print_json(&w, &values[k]);
			else
				print_text(&values[k]);
		}
	}
	if (o.json) {
		json_arr_end(&w);
		json_newline(&w);
	}
	free(values);
	free(text);
	if (list.seen > list.count) {
		cli_error("%zu Reason values not stored: %s", list.seen - list.count,
		          cw_strerror(CW_ELIMIT));
		return CLI_EXIT_USAGE;
	}
	rc = cli_out_check();
	if (rc != 0)
		return rc;
	return errors ? CLI_EXIT_FOUND : CLI_EXIT_OK;
}
