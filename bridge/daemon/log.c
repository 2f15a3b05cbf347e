/* SPDX-License-Identifier: MIT */
/*
 * log.c — "causeway-bridge: LEVEL: TEXT", one line per message on stderr
 * (README.md "Command line": foreground, systemd style; tests wait on these lines),
 * after a prefix: "<N>" (the syslog priority, sd-daemon(3)) when stderr is the
 * journal, which stamps the time itself; else an RFC 3339 UTC time with
 * milliseconds, "2026-12-02T13:05:07.123Z ", or microseconds with
 * --log-timestamps us. README.md "Logs".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

enum cwcfg_log_level cwb_log_level = CWCFG_LOG_NOTICE;

static enum cwb_log_prefix log_prefix = CWB_LOG_PREFIX_NONE;

int cwb_log_stamp_mode(const char *word, enum cwb_log_stamp *ret)
{
	static const char *const words[] = { "auto", "yes", "no", "us" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(word, words[i]) == 0) {
			*ret = (enum cwb_log_stamp)i;
			return 0;
		}
	return -1;
}

/* systemd.exec(5) $JOURNAL_STREAM: "DEV:INODE" of the stream connected to the
 * journal; it names stderr only if stderr still is that stream. */
static int stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char end;

	if (!env || sscanf(env, "%llu:%llu%c", &dev, &ino, &end) != 2)
		return 0;
	if (fstat(STDERR_FILENO, &st) < 0)
		return 0;
	return (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

enum cwb_log_prefix cwb_log_setup(enum cwb_log_stamp mode)
{
	switch (mode) {
	case CWB_LOG_STAMP_YES:
		log_prefix = CWB_LOG_PREFIX_TIME;
		break;
	case CWB_LOG_STAMP_NO:
		log_prefix = CWB_LOG_PREFIX_NONE;
		break;
	case CWB_LOG_STAMP_US:
		log_prefix = CWB_LOG_PREFIX_TIME_US;
		break;
	case CWB_LOG_STAMP_AUTO:
	default:
		log_prefix = stderr_is_journal() ? CWB_LOG_PREFIX_PRIORITY : CWB_LOG_PREFIX_TIME;
		break;
	}
	return log_prefix;
}

/* RFC 5424 §6.2.1 severities, as sd-daemon.h's SD_ERR .. SD_DEBUG. */
static int syslog_priority(enum cwcfg_log_level level)
{
	switch (level) {
	case CWCFG_LOG_ERROR:
		return 3;
	case CWCFG_LOG_WARNING:
		return 4;
	case CWCFG_LOG_NOTICE:
		return 5;
	case CWCFG_LOG_INFO:
		return 6;
	case CWCFG_LOG_DEBUG:
	default:
		return 7;
	}
}

/* RFC 3339 §5.6 date-time in UTC with milliseconds (or microseconds: §5.6
 * time-secfrac is one or more digits), then a space. */
static int time_prefix(char *buf, size_t size, int micro)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	if (clock_gettime(CLOCK_REALTIME, &ts) < 0 || !gmtime_r(&ts.tv_sec, &tm))
		return 0;
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	if (n == 0)
		return 0;
	if (micro)
		return (int)n + snprintf(buf + n, size - n, ".%06ldZ ", ts.tv_nsec / 1000L);
	return (int)n + snprintf(buf + n, size - n, ".%03ldZ ", ts.tv_nsec / 1000000L);
}

static int line_prefix(enum cwcfg_log_level level, char *buf, size_t size)
{
	switch (log_prefix) {
	case CWB_LOG_PREFIX_PRIORITY:
		return snprintf(buf, size, "<%d>", syslog_priority(level));
	case CWB_LOG_PREFIX_TIME:
		return time_prefix(buf, size, 0);
	case CWB_LOG_PREFIX_TIME_US:
		return time_prefix(buf, size, 1);
	case CWB_LOG_PREFIX_NONE:
	default:
		return 0;
	}
}

void cwb_log(enum cwcfg_log_level level, const char *fmt, ...)
{
	char line[1024];
	const char *name = cwcfg_log_level_name(level);
	va_list ap;
	int n, m;

	if (level > cwb_log_level)
		return;
	n = line_prefix(level, line, 64);
	if (n < 0 || n >= 64)
		n = 0;
	m = snprintf(line + n, sizeof(line) - (size_t)n, "causeway-bridge: %s: ",
	             name ? name : "info");
	if (m < 0)
		return;
	n += m;
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	/* One write() per line: lines of concurrent writers never interleave. */
	(void)!write(STDERR_FILENO, line, (size_t)n);
}

void cwb_log_callv(enum cwcfg_log_level level, unsigned long id, const char *peer,
                   const char *fmt, va_list ap)
{
	/* room for cwb_log()'s prefix and "causeway-bridge: LEVEL: " in its 1024 */
	char text[896], suffix[128];
	int n, m, s = 0;

	if (level > cwb_log_level)
		return;
	if (peer && peer[0]) {
		s = snprintf(suffix, sizeof(suffix), " [sip %s]", peer);
		if (s < 0 || (size_t)s >= sizeof(suffix))
			s = 0;
	}
	suffix[s] = '\0';
	n = snprintf(text, sizeof(text), "call %lu: ", id);
	if (n < 0)
		return;
	m = vsnprintf(text + n, sizeof(text) - (size_t)n - (size_t)s, fmt, ap);
	if (m < 0)
		return;
	cwb_log(level, "%s%s", text, suffix);
}

void cwb_log_call(enum cwcfg_log_level level, unsigned long id, const char *peer,
                  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cwb_log_callv(level, id, peer, fmt, ap);
	va_end(ap);
}
