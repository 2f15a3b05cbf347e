/* SPDX-License-Identifier: MIT */
/*
 * args.c — argument parsing, strict number parsing, error messages and
 * profile loading (including reading override files) for the causeway CLI.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("causeway: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *cli_printable(const char *s, char *buf, size_t len)
{
	size_t i, n;

	if (len == 0)
		return "";
	if (s == NULL)
		s = "(null)";
	n = strlen(s);
	for (i = 0; i < n && i + 1 < len; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	buf[i] = '\0';
	if (i < n && len >= 4)
		memcpy(buf + len - 4, "...", 4);
	return buf;
}

int cli_parse_number(const char *s, long min, long max, long *ret)
{
	long v = 0;
	size_t i;

	if (s == NULL || s[0] == '\0')
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
	}
	for (i = 0; s[i] != '\0'; i++) {
		if (v > max)
			return -2; /* stop before any overflow; leading zeros are fine */
		v = v * 10 + (s[i] - '0');
	}
	if (v < min || v > max)
		return -2;
	*ret = v;
	return 0;
}

int cli_parse_ranged(const char *what, const char *s, long min, long max, long *ret)
{
	char p[128];
	int rc = cli_parse_number(s, min, max, ret);

	if (rc == 0)
		return 0;
	if (rc == -2)
		cli_error("%s %s out of range (%ld-%ld)", what, cli_printable(s, p, sizeof(p)), min,
		          max);
	else
		cli_error("%s \"%s\" is not a number (%ld-%ld)", what,
		          cli_printable(s, p, sizeof(p)), min, max);
	return CLI_EXIT_USAGE;
}

/* ---- options ---- */

struct cli_option_def {
	const char *name;
	unsigned bit;
	int has_arg;
};

static const struct cli_option_def cli_option_defs[] = {
	{ "profile", CLI_O_PROFILE, 1 },
	{ "overrides", CLI_O_OVERRIDES, 1 },
	{ "location", CLI_O_LOCATION, 1 },
	{ "diagnostic", CLI_O_DIAGNOSTIC, 1 },
	{ "reason", CLI_O_REASON, 1 },
	{ "warning", CLI_O_WARNING, 1 },
	{ "json", CLI_O_JSON, 0 },
	{ "format", CLI_O_FORMAT, 1 },
	{ "base", CLI_O_BASE, 1 },
};

static const char **cli_opt_slot(cli_opts *o, unsigned bit)
{
	switch (bit) {
	case CLI_O_PROFILE:
		return &o->profile;
	case CLI_O_OVERRIDES:
		return &o->overrides;
	case CLI_O_LOCATION:
		return &o->location;
	case CLI_O_DIAGNOSTIC:
		return &o->diagnostic;
	case CLI_O_WARNING:
		return &o->warning;
	case CLI_O_FORMAT:
		return &o->format;
	case CLI_O_BASE:
		return &o->base;
	default:
		return NULL;
	}
}

static int cli_opt_one(cli_opts *o, int argc, char **argv, int *i, unsigned allowed,
                       unsigned *seen)
{
	char p[128];
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t nlen = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct cli_option_def *def = NULL;
	const char *value = NULL;
	char name[64];

	for (size_t k = 0; k < sizeof(cli_option_defs) / sizeof(cli_option_defs[0]); k++) {
		if (strlen(cli_option_defs[k].name) == nlen &&
		    memcmp(cli_option_defs[k].name, arg, nlen) == 0) {
			def = &cli_option_defs[k];
			break;
		}
	}
	if (nlen == 4 && memcmp(arg, "help", 4) == 0 && eq == NULL) {
		o->help = 1;
		return 0;
	}
	if (nlen >= sizeof(name))
		nlen = sizeof(name) - 1;
	memcpy(name, arg, nlen);
	name[nlen] = '\0';
	if (def == NULL) {
		cli_error("unknown option --%s", cli_printable(name, p, sizeof(p)));
		return CLI_EXIT_USAGE;
	}
	if ((allowed & def->bit) == 0) {
		cli_error("option --%s is not valid for %s", def->name, argv[0]);
		return CLI_EXIT_USAGE;
	}
	if (def->has_arg) {
		if (eq != NULL) {
			value = eq + 1;
		} else if (*i + 1 < argc) {
			value = argv[++*i];
		} else {
			cli_error("option --%s needs a value", def->name);
			return CLI_EXIT_USAGE;
		}
	} else if (eq != NULL) {
		cli_error("option --%s takes no value", def->name);
		return CLI_EXIT_USAGE;
	}
	if (def->bit == CLI_O_REASON) {
		if (o->reasons == NULL) {
			o->reasons = calloc((size_t)argc, sizeof(*o->reasons));
			if (o->reasons == NULL) {
				cli_error("out of memory");
				return CLI_EXIT_USAGE;
			}
		}
		o->reasons[o->nreasons++] = value;
		return 0;
	}
	if (*seen & def->bit) {
		cli_error("option --%s given more than once", def->name);
		return CLI_EXIT_USAGE;
	}
	*seen |= def->bit;
	if (def->bit == CLI_O_JSON)
		o->json = 1;
	else
		*cli_opt_slot(o, def->bit) = value;
	return 0;
}

int cli_opts_parse(int argc, char **argv, unsigned allowed, cli_opts *ret)
{
	char p[128];
	unsigned seen = 0;
	int only_pos = 0;
	int w = 1;

	memset(ret, 0, sizeof(*ret));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (only_pos || a[0] != '-' || a[1] == '\0') {
			argv[w++] = argv[i]; /* w <= i: compacting in place is safe */
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0) {
			ret->help = 1;
			continue;
		}
		if (a[1] != '-') {
			cli_error("unknown option %s", cli_printable(a, p, sizeof(p)));
			cli_opts_free(ret);
			return CLI_EXIT_USAGE;
		}
		if (cli_opt_one(ret, argc, argv, &i, allowed, &seen) != 0) {
			cli_opts_free(ret);
			return CLI_EXIT_USAGE;
		}
	}
	ret->pos = argv + 1;
	ret->npos = (size_t)(w - 1);
	return 0;
}

void cli_opts_free(cli_opts *opts)
{
	free(opts->reasons);
	opts->reasons = NULL;
	opts->nreasons = 0;
}

int cli_expect_args(const cli_opts *opts, size_t min, size_t max, const char *what)
{
	char p[128];

	if (opts->npos < min) {
		cli_error("missing %s argument", what);
		return CLI_EXIT_USAGE;
	}
	if (opts->npos > max) {
		cli_error("unexpected argument \"%s\"", cli_printable(opts->pos[max], p, sizeof(p)));
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/* ---- profiles ---- */

int cli_profile_builtin(const char *name, const cw_profile **ret)
{
	char p[128];
	char known[256];
	size_t used = 0;

	if (name != NULL && cw_profile_get(name, ret) == 0)
		return 0;
	known[0] = '\0';
	for (size_t i = 0; i < cw_profile_builtin_count(); i++) {
		const char *n = cw_profile_name(cw_profile_builtin_at(i));
		int k;

		if (n == NULL)
			continue;
		k = snprintf(known + used, sizeof(known) - used, "%s%s", used ? ", " : "", n);
		if (k < 0 || (size_t)k >= sizeof(known) - used)
			break;
		used += (size_t)k;
	}
	cli_error("unknown profile \"%s\" (known: %s)", cli_printable(name, p, sizeof(p)), known);
	return CLI_EXIT_USAGE;
}

/* Read a whole override file; the library does no I/O. */
static int cli_read_file(const char *path, char **ret_text, size_t *ret_len)
{
	char p[256];
	char *buf;
	size_t len = 0;
	FILE *f;
	int err;

	f = fopen(path, "rb");
	if (f == NULL) {
		err = errno;
		cli_error("cannot read override file \"%s\": %s", cli_printable(path, p, sizeof(p)),
		          strerror(err));
		return CLI_EXIT_USAGE;
	}
	buf = malloc(CLI_OVERRIDE_MAX + 1);
	if (buf == NULL) {
		fclose(f);
		cli_error("out of memory");
		return CLI_EXIT_USAGE;
	}
	for (;;) {
		size_t n = fread(buf + len, 1, CLI_OVERRIDE_MAX + 1 - len, f);

		len += n;
		if (n == 0 || len > CLI_OVERRIDE_MAX)
			break;
	}
	if (ferror(f)) {
		err = errno;
		fclose(f);
		free(buf);
		cli_error("cannot read override file \"%s\": %s", cli_printable(path, p, sizeof(p)),
		          strerror(err));
		return CLI_EXIT_USAGE;
	}
	fclose(f);
	if (len > CLI_OVERRIDE_MAX) {
		free(buf);
		cli_error("override file \"%s\" is larger than 1 MiB",
		          cli_printable(path, p, sizeof(p)));
		return CLI_EXIT_USAGE;
	}
	*ret_text = buf;
	*ret_len = len;
	return 0;
}

int cli_profile_load(const char *name, const char *overrides, const cw_profile **ret,
                     cw_profile **ret_owned)
{
	char p[256];
	const cw_profile *base;
	cw_profile *owned = NULL;
	cw_diag diag;
	char *text;
	size_t len;
	int rc;

	if (cli_profile_builtin(name ? name : CW_PROFILE_DEFAULT, &base) != 0)
		return CLI_EXIT_USAGE;
	if (overrides == NULL) {
		*ret = base;
		*ret_owned = NULL;
		return 0;
	}
	if (cli_read_file(overrides, &text, &len) != 0)
		return CLI_EXIT_USAGE;
	memset(&diag, 0, sizeof(diag));
	rc = cw_profile_overlay(&owned, base, overrides, text, len, &diag);
	free(text);
	if (rc != 0) {
		char msg[CW_DIAG_FILE_MAX + CW_DIAG_MESSAGE_MAX + 64];
		char safe[sizeof(msg)];

		if (diag.message[0] != '\0') {
			cw_diag_format(&diag, msg, sizeof(msg));
			cli_error("%s", cli_printable(msg, safe, sizeof(safe)));
		} else {
			cli_error("override file \"%s\": %s", cli_printable(overrides, p, sizeof(p)),
			          cw_strerror(rc));
		}
		return CLI_EXIT_USAGE;
	}
	*ret = owned;
	*ret_owned = owned;
	return 0;
}

/* ---- small lookups ---- */

const char *cli_status_phrase(int status)
{
	const cw_sip_status_info *info;

	if (cw_sip_status_info_get(status, &info) != 0 || info->phrase == NULL)
		return "";
	return info->phrase;
}

const char *cli_cause_name(int cause)
{
	const cw_q850_info *info;

	if (cw_q850_info_get(cause, &info) != 0 || info->name == NULL)
		return "";
	return info->name;
}

const char *cli_rule_text(const cw_rule *rule, char *buf, size_t len)
{
	if (len == 0)
		return "";
	if (rule == NULL) {
		snprintf(buf, len, "-");
		return buf;
	}
	cw_rule_describe(rule, buf, len);
	return buf;
}

int cli_out_check(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int err = errno;

		cli_error("cannot write to standard output: %s", strerror(err));
		return CLI_EXIT_USAGE;
	}
	return 0;
}
