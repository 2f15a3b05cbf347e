/* SPDX-License-Identifier: MIT */
/*
 * main.c — causeway-bridge: options, configuration, signals, pidfile,
 * exit codes (README.md "Command line").
 *
 *   0  after SIGTERM/SIGINT, calls cleared first
 *   1  a runtime failure (bind, epoll, a span that cannot be created)
 *   2  a usage or configuration error (FILE:LINE)
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <causeway/version.h>

#include "calls.h"
#include "common/error.h"
#include "cdr.h"
#include "isdn.h"
#include "log.h"
#include "loop.h"
#include "media.h"
#include "resources.h"
#include "sipside.h"

#define DEFAULT_CONFIG "/etc/causeway/causeway-bridge.conf"

/* LeakSanitizer: libpri 1.6 cannot free a struct pri (docs/libpri.md
 * §5); they are kept reachable (bridge/pri, cwi_span_free()), this covers libpri's own. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libpri.so\n";
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: causeway-bridge [-c|--config FILE] [--check-config] [--log-level LEVEL]\n"
	        "                       [--log-timestamps auto|yes|no] [--version] [--help]\n"
	        "  -c, --config FILE   configuration (default " DEFAULT_CONFIG ")\n"
	        "  --check-config      print the effective configuration and exit (0, or 2 with\n"
	        "                      FILE:LINE: error: ...); nothing is opened or bound\n"
	        "  --log-level LEVEL   error, warning, notice, info, debug (overrides the file)\n"
	        "  --log-timestamps auto|yes|no\n"
	        "                      prefix of each log line: yes an RFC 3339 UTC time, no\n"
	        "                      none, auto (default) <N> priorities when stderr is the\n"
	        "                      journal, else the time\n"
	        "  --version           print the version and exit\n"
	        "  --help              print this help and exit\n");
}

static int parse_level(const char *s, enum cwcfg_log_level *ret)
{
	int l;

	for (l = CWCFG_LOG_ERROR; l <= CWCFG_LOG_DEBUG; l++) {
		const char *n = cwcfg_log_level_name((enum cwcfg_log_level)l);

		if (n && strcmp(n, s) == 0) {
			*ret = (enum cwcfg_log_level)l;
			return 0;
		}
	}
	return -1;
}

static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fprintf(f, "%ld\n", (long)getpid());
	return fclose(f) == 0 ? 0 : -1;
}

/* Everything opened after the configuration; returns the exit status. */
static int run(const struct cwcfg_config *cfg)
{
	struct cwb d;
	int rc = 1, pid_written = 0, r;

	memset(&d, 0, sizeof(d));
	d.cfg = cfg;
	d.sdp_session = (uint64_t)time(NULL);
	r = cwb_resources_new(cfg, &d.res);
	if (r < 0) {
		cwb_error("cannot set up the resources: %s", cwcom_strerror(r));
		return 1;
	}
	if (cwb_loop_open(&d) != 0)
		goto out;
	if (cwb_media_start(&d) != 0)
		goto out;
	if (cwb_sip_start(&d) != 0)
		goto out;
	if (cfg->general.cdr_file) {
		r = cwcdr_file_open(cfg->general.cdr_file, &d.cdr);
		if (r < 0) {
			cwb_error("%s:%u: cannot open cdr_file %s: %s", cfg->file,
			          cfg->general.cdr_file_line, cfg->general.cdr_file, strerror(-r));
			goto out;
		}
	}
	if (cwb_isdn_start(&d) != 0)
		goto out;
	if (cfg->general.pidfile) {
		if (write_pidfile(cfg->general.pidfile) < 0) {
			cwb_error("%s:%u: cannot write pidfile %s: %s", cfg->file,
			          cfg->general.pidfile_line, cfg->general.pidfile, strerror(errno));
			goto out;
		}
		pid_written = 1;
	}
	cwb_check_ready(&d);
	rc = cwb_run(&d);
out:
	cwb_calls_free_all(&d, d.now_ms);
	cwb_media_free(&d);
	cwcdr_file_close(d.cdr);
	cwb_sip_free(&d);
	cwb_isdn_free(&d);
	cwb_loop_close(&d);
	cwb_resources_free(d.res);
	if (pid_written)
		(void)unlink(cfg->general.pidfile);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'C' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "log-timestamps", required_argument, NULL, 'T' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = DEFAULT_CONFIG;
	struct cwcfg_config *cfg = NULL;
	enum cwcfg_log_level level = CWCFG_LOG_NOTICE;
	enum cwb_log_stamp stamps = CWB_LOG_STAMP_AUTO;
	int check = 0, have_level = 0, opt, rc;
	cw_diag diag;
	size_t i;

	while ((opt = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			path = optarg;
			break;
		case 'C':
			check = 1;
			break;
		case 'L':
			if (parse_level(optarg, &level) < 0) {
				fprintf(stderr, "causeway-bridge: error: --log-level: '%s' is not one of "
				                "error, warning, notice, info, debug\n", optarg);
				return 2;
			}
			have_level = 1;
			break;
		case 'T':
			if (cwb_log_stamp_mode(optarg, &stamps) < 0) {
				fprintf(stderr, "causeway-bridge: error: --log-timestamps: '%s' is not one "
				                "of auto, yes, no\n", optarg);
				return 2;
			}
			break;
		case 'V':
			printf("causeway-bridge %s (libcauseway %s)\n", CW_VERSION_STRING, cw_version());
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	/* `--check-config FILE` is accepted too (bridge/config/README.md). */
	if (check && optind == argc - 1)
		path = argv[optind++];
	if (optind != argc) {
		fprintf(stderr, "causeway-bridge: error: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	if (check)
		return cwcfg_config_check(path, stdout, stderr);

	memset(&diag, 0, sizeof(diag));
	if (cwcfg_config_load(path, &cfg, &diag) < 0) {
		if (diag.line && diag.column)
			fprintf(stderr, "%s:%u:%u: error: %s\n", diag.file, diag.line, diag.column,
			        diag.message);
		else if (diag.line)
			fprintf(stderr, "%s:%u: error: %s\n", diag.file, diag.line, diag.message);
		else
			fprintf(stderr, "%s: error: %s\n", diag.file, diag.message);
		return 2;
	}
	cwb_log_level = have_level ? level : cfg->general.log_level;
	(void)cwb_log_setup(stamps);
	for (i = 0; i < cfg->n_warnings; i++)
		cwb_warning("%s:%u: %s", cfg->file, cfg->warnings[i].line, cfg->warnings[i].message);
	rc = run(cfg);
	cwcfg_config_free(cfg);
	return rc;
}
