/* SPDX-License-Identifier: MIT */
/*
 * cli.h — declarations shared by the files of the causeway command-line
 * tool. The tool is a thin layer over the public API of libcauseway: it
 * parses arguments, reads override files (the library does no I/O), calls
 * the library and prints exact, stable text or JSON.
 *
 * Exit status: 0 success; 1 "a difference was found" (diff) or "a value
 * had an error" (reason); 2 usage error or bad input. Every error is one
 * line on stderr, prefixed "causeway: ".
 */
#ifndef CW_CLI_H
#define CW_CLI_H

#include <stddef.h>
#include <stdio.h>

#include <causeway/causeway.h>

#define CLI_EXIT_OK 0
#define CLI_EXIT_FOUND 1
#define CLI_EXIT_USAGE 2

#define CLI_OVERRIDE_MAX (1024u * 1024u) /* largest override file read: 1 MiB */
#define CLI_RULE_MAX 512                 /* buffer for cw_rule_describe() */
#define CLI_REASON_MAX 1024              /* buffer for cw_reason_format() */

/* ---- main.c ---- */

/* cli_usage() - the whole usage text. */
void cli_usage(FILE *f);
/* cli_command_usage() - the usage text of one command (the whole text if unknown). */
void cli_command_usage(FILE *f, const char *command);

/* ---- args.c ---- */

#if defined(__GNUC__)
#define CLI_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CLI_PRINTF(a, b)
#endif

/* cli_error() - print "causeway: MESSAGE\n" on stderr. */
void cli_error(const char *fmt, ...) CLI_PRINTF(1, 2);

/*
 * cli_printable() - s made safe to quote in a one-line message: control
 * characters become '?', long strings are cut with "...". Returns buf.
 */
const char *cli_printable(const char *s, char *buf, size_t len);

/*
 * cli_parse_number() - strict decimal: one or more ASCII digits, nothing
 * else (no sign, no space). Returns 0 and *ret, -1 if s is not a number,
 * -2 if it is one but outside min..max.
 */
int cli_parse_number(const char *s, long min, long max, long *ret);

/*
 * cli_parse_ranged() - cli_parse_number() with the error message:
 * 'WHAT N out of range (MIN-MAX)' or 'WHAT "S" is not a number (MIN-MAX)'.
 * Returns 0 or CLI_EXIT_USAGE (message printed).
 */
int cli_parse_ranged(const char *what, const char *s, long min, long max, long *ret);

/* Options known to the parser; each command allows a subset. */
enum cli_option_bit {
	CLI_O_PROFILE = 1u << 0,    /* --profile P */
	CLI_O_OVERRIDES = 1u << 1,  /* --overrides F */
	CLI_O_LOCATION = 1u << 2,   /* --location L */
	CLI_O_DIAGNOSTIC = 1u << 3, /* --diagnostic DIGITS */
	CLI_O_REASON = 1u << 4,     /* --reason VALUE (may repeat) */
	CLI_O_WARNING = 1u << 5,    /* --warning CODE */
	CLI_O_JSON = 1u << 6,       /* --json */
	CLI_O_FORMAT = 1u << 7,     /* --format F */
	CLI_O_BASE = 1u << 8        /* --base P */
};

typedef struct cli_opts {
	const char *profile;
	const char *overrides;
	const char *location;
	const char *diagnostic;
	const char *warning;
	const char *format;
	const char *base;
	int json;
	int help;              /* -h or --help was given */
	const char **reasons;  /* --reason values in order (heap; cli_opts_free) */
	size_t nreasons;
	char **pos;            /* positional arguments (point into argv) */
	size_t npos;
} cli_opts;

/*
 * cli_opts_parse() - parse argv[1..argc-1] (argv[0] is the command name).
 * Options may come before or after positional arguments, as "--name value"
 * or "--name=value"; "--" ends the options. An option not in allowed, a
 * missing value or a repeated option (other than --reason) is an error.
 * Returns 0 or CLI_EXIT_USAGE (message printed). Reorders argv.
 */
int cli_opts_parse(int argc, char **argv, unsigned allowed, cli_opts *ret);
void cli_opts_free(cli_opts *opts);

/*
 * cli_expect_args() - check the number of positional arguments; on error
 * prints 'missing ARG argument' or 'unexpected argument "X"'.
 * Returns 0 or CLI_EXIT_USAGE.
 */
int cli_expect_args(const cli_opts *opts, size_t min, size_t max, const char *what);

/*
 * cli_profile_load() - the built-in profile name (NULL: the default) with
 * the override file overrides (NULL: none) read and overlaid on it.
 * *ret_owned is the profile to free with cw_profile_free() (may be NULL).
 * Returns 0 or CLI_EXIT_USAGE (message printed).
 */
int cli_profile_load(const char *name, const char *overrides, const cw_profile **ret,
                     cw_profile **ret_owned);

/*
 * cli_profile_builtin() - a built-in profile by name, with the error
 * 'unknown profile "X" (known: ...)'. Returns 0 or CLI_EXIT_USAGE.
 */
int cli_profile_builtin(const char *name, const cw_profile **ret);

/* cli_status_phrase() - the reason phrase of a status; "" if out of range. */
const char *cli_status_phrase(int status);
/* cli_cause_name() - the Q.850 name of a cause; "" if out of range. */
const char *cli_cause_name(int cause);
/* cli_rule_text() - cw_rule_describe() into buf, or "-" for no rule. Returns buf. */
const char *cli_rule_text(const cw_rule *rule, char *buf, size_t len);

/* cli_out_check() - report a write error on stdout. Returns 0 or CLI_EXIT_USAGE. */
int cli_out_check(void);

/* ---- commands: argv[0] is the command name; each returns the exit status ---- */

int cmd_cause2sip(int argc, char **argv);  /* cmd_map.c */
int cmd_sip2cause(int argc, char **argv);  /* cmd_map.c */
int cmd_reason(int argc, char **argv);     /* cmd_reason.c */
int cmd_explain(int argc, char **argv);    /* cmd_explain.c */
int cmd_table(int argc, char **argv);      /* cmd_table.c */
int cmd_diff(int argc, char **argv);       /* cmd_table.c */
int cmd_roundtrip(int argc, char **argv);  /* cmd_table.c */
#ifdef CW_HAVE_AUDIT
int cmd_audit(int argc, char **argv);      /* cmd_audit.c (needs jansson) */
#endif

#endif /* CW_CLI_H */
