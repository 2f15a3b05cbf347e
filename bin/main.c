/* SPDX-License-Identifier: MIT */
/*
 * main.c — the causeway command-line tool: dispatch and usage.
 */
#include <string.h>

#include "cli.h"

typedef struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *usage; /* the lines of "causeway --help" for this command */
} command;

static const command commands[] = {
	{ "cause2sip", cmd_cause2sip,
	  "  causeway cause2sip [--profile P] [--overrides F] [--location L]\n"
	  "                     [--diagnostic DIGITS] [--json] CAUSE\n"
	  "      The SIP final response for a received Q.850 cause 1-127\n"
	  "      (RFC 3398 §7.2.4.1). Prints \"STATUS PHRASE\", or \"none\" for a cause\n"
	  "      that clears by BYE/CANCEL. --location: an RFC 8606 name (U, LPN, LN,\n"
	  "      TN, RLN, RPN, INTL, BI, LOC-n) or 0-15. --diagnostic: the new number\n"
	  "      carried with cause 22 (1-32 of 0-9 * #).\n"
	  "      --json keys: cause name status phrase action location retry_after\n"
	  "      contact reason rule rule_file rule_line.\n" },
	{ "sip2cause", cmd_sip2cause,
	  "  causeway sip2cause [--profile P] [--overrides F] [--reason VALUE]...\n"
	  "                     [--warning CODE] [--json] STATUS\n"
	  "      The Q.850 cause for a SIP status 100-699, or for a BYE or CANCEL\n"
	  "      request (RFC 3398 §8.2.6.1, §7.2.3). Prints \"CAUSE NAME\", or \"none\".\n"
	  "      --reason: a received Reason header value (repeat for several lines);\n"
	  "      --warning: the Warning code 100-999 of the response.\n"
	  "      --json keys: status event cause name action location phrase reason\n"
	  "      from_reason rule rule_file rule_line location_rule.\n" },
	{ "reason", cmd_reason,
	  "  causeway reason [--json] VALUE...\n"
	  "      Parse Reason header values (RFC 3326, RFC 8606); each VALUE is one\n"
	  "      header line. One line per value:\n"
	  "        PROTOCOL [cause=N] [location=NAME] [text=\"...\"] [params=\"...\"] [FLAG...]\n"
	  "        error: MESSAGE at \"RAW\"\n"
	  "      Quoted fields escape \" and \\ with a backslash, other control\n"
	  "      characters and non-UTF-8 bytes as \\xHH. params: the other parameters\n"
	  "      as on the wire, joined by ';'. FLAGs: duplicate bad-location\n"
	  "      ignored-location params-truncated text-truncated duplicate-param.\n"
	  "      --json: an array, one object per value (protocol cause text location\n"
	  "      params flags, or error raw). Exit status 1 if any value had an error.\n" },
	{ "explain", cmd_explain,
	  "  causeway explain [--profile P] [--overrides F] [--json] CODE\n"
	  "      What a SIP status (CODE = 100-699) or a Q.850 cause (CODE = q850:N,\n"
	  "      0-127) means: class, definition, disposition, meaning, what to check\n"
	  "      and how the profile maps it, as \"LABEL: VALUE\" lines.\n" },
	{ "table", cmd_table,
	  "  causeway table [--profile P] [--overrides F] [--format csv|json|md]\n"
	  "      The effective table, both directions, one row per input, with the\n"
	  "      rule that decided it. Columns: direction (cause2sip|sip2cause), input\n"
	  "      (\"21\", \"21 location=U\", \"22 diagnostic\", \"488 warning=304\", \"BYE\",\n"
	  "      \"CANCEL reason=200\"), output, action, location (sip2cause), rule.\n"
	  "      Default format csv (RFC 4180 quoting, a header line, LF line ends).\n" },
	{ "diff", cmd_diff,
	  "  causeway diff [--base P] [--format text|csv|json|md] A B\n"
	  "      The inputs where two profiles differ in output, action or location.\n"
	  "      A and B: a profile name, or an override file (a name containing '/'\n"
	  "      or ending in .map, or an existing file that is not a profile name)\n"
	  "      laid over rfc3398 or --base P. One line per input:\n"
	  "        DIRECTION INPUT: RESULT_A (RULE_A) -> RESULT_B (RULE_B)\n"
	  "      RESULT is the output, then \" [ACTION]\" unless the action is respond,\n"
	  "      clear, release or none, then \" location=NAME\" for sip2cause.\n"
	  "      Exit status 0 if the tables are the same, 1 if they differ.\n" },
	{ "roundtrip", cmd_roundtrip,
	  "  causeway roundtrip [--profile P] [--overrides F]\n"
	  "      Causes whose cause -> status -> cause does not come back (causes\n"
	  "      answered with a response), then registered final statuses whose\n"
	  "      status -> cause (with its location) -> status does not, then a\n"
	  "      summary line:\n"
	  "        cause C -> STATUS PHRASE -> CAUSE' NAME'\n"
	  "        status S -> CAUSE NAME location=L -> STATUS' PHRASE'\n"
	  "        causes: N of M do not come back; statuses: N of M do not come back\n" },
#ifdef CW_HAVE_AUDIT
	{ "audit", cmd_audit,
	  "  causeway audit [--profile P] [--overrides F] [--json] CDRFILE\n"
	  "      Audit a CDR file (docs/cdr.md; CDRFILE - reads standard input):\n"
	  "      counts by SIP status and Q.850 cause (by class and by code),\n"
	  "      time to final response p50 p90 p99 max (nearest rank), attempts\n"
	  "      and errors per route, and every call whose cause/status pair\n"
	  "      disagrees with the profile:\n"
	  "        disagree FILE:LINE CALL DIRECTION: INPUT -> SEEN, expected EXPECTED\n"
	  "          | rule RULE | recorded RULE\n"
	  "      A malformed line is listed (malformed FILE:LINE: MESSAGE) and skipped.\n"
	  "      --json: one object. Exit status 0 if every call agrees, 1 if one\n"
	  "      disagrees, 2 if a line is malformed.\n" },
#endif
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

void cli_usage(FILE *f)
{
	fputs("usage: causeway COMMAND [OPTIONS] ARGS\n"
	      "       causeway --help | help [COMMAND] | --version\n"
	      "\n"
	      "Q.850 cause <-> SIP status interworking (RFC 3398, RFC 3326, RFC 8606).\n"
	      "\n",
	      f);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		fputs(commands[i].usage, f);
		fputc('\n', f);
	}
	fputs("Common options:\n"
	      "  --profile P    a built-in profile: rfc3398 (default), rfc4497, asterisk,\n"
	      "                 freeswitch\n"
	      "  --overrides F  a site override file (tables/README.md) laid over the profile\n"
	      "  --             end of options\n"
	      "Options may come before or after the arguments, as --name VALUE or\n"
	      "--name=VALUE.\n"
	      "\n"
	      "Exit status: 0 success; 1 diff found differences, reason found a bad\n"
	      "value, or audit found a disagreeing call; 2 bad input or usage (one\n"
	      "line on stderr).\n",
	      f);
}

void cli_command_usage(FILE *f, const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, name) == 0) {
			fputs("usage:\n", f);
			fputs(commands[i].usage, f);
			return;
		}
	}
	cli_usage(f);
}

int main(int argc, char **argv)
{
	char p[128];
	const char *name;

	if (argc < 2) {
		cli_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		cli_usage(stdout);
		return cli_out_check();
	}
	if (strcmp(name, "help") == 0) {
		if (argc > 3) {
			cli_error("unexpected argument \"%s\"", cli_printable(argv[3], p, sizeof(p)));
			return CLI_EXIT_USAGE;
		}
		if (argc == 3) {
			size_t i;

			for (i = 0; i < NCOMMANDS && strcmp(commands[i].name, argv[2]) != 0; i++)
				;
			if (i == NCOMMANDS) {
				cli_error("unknown command \"%s\"", cli_printable(argv[2], p, sizeof(p)));
				return CLI_EXIT_USAGE;
			}
			cli_command_usage(stdout, argv[2]);
		} else {
			cli_usage(stdout);
		}
		return cli_out_check();
	}
	if (strcmp(name, "--version") == 0) {
		if (argc > 2) {
			cli_error("unexpected argument \"%s\"", cli_printable(argv[2], p, sizeof(p)));
			return CLI_EXIT_USAGE;
		}
		printf("causeway %s\n", CW_VERSION_STRING);
		return cli_out_check();
	}
	if (name[0] == '-') {
		cli_error("unknown option %s", cli_printable(name, p, sizeof(p)));
		return CLI_EXIT_USAGE;
	}
	for (size_t i = 0; i < NCOMMANDS; i++) {
		if (strcmp(commands[i].name, name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	}
#ifndef CW_HAVE_AUDIT
	if (strcmp(name, "audit") == 0) {
		cli_error("audit is not available: causeway was built without jansson");
		return CLI_EXIT_USAGE;
	}
#endif
	cli_error("unknown command \"%s\" (try causeway --help)", cli_printable(name, p, sizeof(p)));
	return CLI_EXIT_USAGE;
}
