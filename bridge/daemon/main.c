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
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <causeway/version.h>

#include "calls.h"
#include "capture/capture.h"
#include "common/error.h"
#include "cdr.h"
#include "config_ref.h"
#include "isdn.h"
#include "log.h"
#include "loop.h"
#include "media.h"
#include "resources.h"
#include "scrape.h"
#include "sipside.h"

#define DEFAULT_CONFIG "/etc/causeway/causeway-bridge.conf"

/* LeakSanitizer: libpri 1.6 cannot free a struct pri (docs/libpri.md
 * §5); they are kept reachable (bridge/pri, cwi_span_free()), this covers libpri's own. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libpri.so\n";
}

/* A capture write failed: told once, the calls go on (bridge/capture). */
static void on_capture_error(void *user, const char *path, const char *what, int err)
{
	(void)user;
	cwb_error("capture %s: %s failed: %s: capture stopped until SIGHUP", path, what,
	          strerror(err));
}

/* [general] capture (the file) and capture_hep (the HEP3 collector). 0 or 1. */
static int capture_open(struct cwb *d)
{
	const struct cwcfg_general *g = &d->cfg->general;
	int r = cwcap_open(&d->cap, g->capture, g->capture_max_bytes, on_capture_error, NULL);

	if (r < 0) {
		cwb_error("%s:%u: cannot open capture %s: %s", d->cfg->file, g->capture_line,
		          g->capture, r == -EINVAL ? "not a Linux cooked (SLL) pcap file" : strerror(-r));
		return 1;
	}
	if (g->capture_hep) {
		struct addrinfo hints, *ai = NULL;
		char host[64];
		const char *colon = strrchr(g->capture_hep, ':');
		size_t n = (size_t)(colon - g->capture_hep);

		/* the config checked ADDR:PORT or [ADDR6]:PORT */
		if (g->capture_hep[0] == '[') {
			snprintf(host, sizeof(host), "%.*s", (int)(n - 2), g->capture_hep + 1);
		} else {
			snprintf(host, sizeof(host), "%.*s", (int)n, g->capture_hep);
		}
		memset(&hints, 0, sizeof(hints));
		hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
		hints.ai_socktype = SOCK_DGRAM;
		r = getaddrinfo(host, colon + 1, &hints, &ai) != 0 || !ai ? -EINVAL
		    : cwcap_hep_start(d->cap, ai->ai_addr, ai->ai_addrlen);
		if (ai)
			freeaddrinfo(ai);
		if (r < 0) {
			cwb_error("%s:%u: cannot send HEP to %s: %s", d->cfg->file, g->capture_hep_line,
			          g->capture_hep, strerror(-r));
			return 1;
		}
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: causeway-bridge [-c|--config FILE] [--check-config] [--log-level LEVEL]\n"
	        "                       [--log-timestamps auto|yes|no|us] [--version] [--help]\n"
	        "  -c, --config FILE   configuration (default " DEFAULT_CONFIG ")\n"
	        "  --check-config      print the effective configuration and exit (0, or 2 with\n"
	        "                      FILE:LINE: error: ...); nothing is opened or bound\n"
	        "  --log-level LEVEL   error, warning, notice, info, debug (overrides the file)\n"
	        "  --log-timestamps auto|yes|no|us\n"
	        "                      prefix of each log line: yes an RFC 3339 UTC time, us\n"
	        "                      the same to the microsecond, no none, auto (default)\n"
	        "                      <N> priorities when stderr is the journal, else the time\n"
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

/* Everything opened after the configuration (owned from now on: a SIGHUP replaces it,
 * README.md "Reload"); returns the exit status. */
static int run(struct cwcfg_config *config, int log_level_fixed)
{
	struct cwb d;
	const struct cwcfg_config *cfg = config;
	char pidfile[CWCFG_MAX_PATH + 1] = "";
	int rc = 1, pid_written = 0, r;

	memset(&d, 0, sizeof(d));
	if (cwb_config_ref_new(config, &d.cfg_ref) < 0) {
		cwb_error("out of memory");
		return 1;
	}
	d.cfg = cfg;
	d.log_level_fixed = log_level_fixed;
	d.sdp_session = (uint64_t)time(NULL);
	r = cwb_resources_new(cfg, &d.res);
	if (r < 0) {
		cwb_error("cannot set up the resources: %s", cwcom_strerror(r));
		return 1;
	}
	if (cwb_loop_open(&d) != 0)
		goto out;
	if (cwb_scrape_start(&d) != 0)
		goto out;
	if ((cfg->general.capture || cfg->general.capture_hep) && capture_open(&d) != 0)
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
		/* the running one: a reload keeps it (a restart changes it) */
		snprintf(pidfile, sizeof(pidfile), "%s", cfg->general.pidfile);
	}
	cwb_check_ready(&d);
	rc = cwb_run(&d);
out:
	cwb_calls_free_all(&d, d.now_ms);
	cwcom_heap_free(&d.timers);
	cwcom_ptrmap_free(&d.calls_by_q);
	cwb_media_free(&d);
	cwcdr_file_close(d.cdr);
	cwb_sip_free(&d);
	cwb_isdn_free(&d);
	cwb_scrape_free(&d);
	cwcap_close(d.cap);
	cwb_loop_close(&d);
	cwb_resources_free(d.res);
	cwb_config_ref_drop(d.cfg_ref);
	if (pid_written)
		(void)unlink(pidfile);
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
				                "of auto, yes, no, us\n", optarg);
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
		char text[CW_DIAG_FILE_MAX + CW_DIAG_MESSAGE_MAX + 32];

		cwb_config_diag_text(&diag, text, sizeof(text));
		fprintf(stderr, "%s\n", text);
		return 2;
	}
	cwb_log_level = have_level ? level : cfg->general.log_level;
	(void)cwb_log_setup(stamps);
	for (i = 0; i < cfg->n_warnings; i++)
		cwb_warning("%s:%u: %s", cfg->file, cfg->warnings[i].line, cfg->warnings[i].message);
	rc = run(cfg, have_level);
	return rc;
}
