/* SPDX-License-Identifier: MIT */
/*
 * test_log.c — the prefix of the log lines (log.c): "<N>" syslog
 * priorities when $JOURNAL_STREAM names stderr, an RFC 3339 UTC time with
 * milliseconds otherwise (microseconds with --log-timestamps=us), nothing
 * with --log-timestamps=no; the
 * "causeway-bridge: LEVEL: TEXT" part unchanged after it; a call's line
 * (cwb_log_call()), "call ID: TEXT [sip PEER]".
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../tests/unit/check.h"
#include "log.h"

static char path[4096];

static int cleared(void)
{
	return ftruncate(STDERR_FILENO, 0) == 0 && lseek(STDERR_FILENO, 0, SEEK_SET) == 0;
}

/* What was written since cleared(), read back from the file stderr points to. */
static void read_back(char *out, size_t size)
{
	FILE *f;
	size_t n;

	f = fopen(path, "r");
	n = f ? fread(out, 1, size - 1, f) : 0;
	out[n] = '\0';
	if (f)
		fclose(f);
}

/* The one line cwb_log() writes. */
static void logged(enum cwcfg_log_level level, const char *text, char *out, size_t size)
{
	out[0] = '\0';
	if (!cleared())
		return;
	cwb_log(level, "%s", text);
	read_back(out, size);
}

/* The one line cwb_log_call() writes for call 7 with peer. */
static void logged_call(const char *peer, const char *text, char *out, size_t size)
{
	out[0] = '\0';
	if (!cleared())
		return;
	cwb_log_call(CWCFG_LOG_INFO, 7, peer, "%s", text);
	read_back(out, size);
}

/* RFC 3339 §5.6 full-date "T" partial-time with 3 or 6 fraction digits, "Z ". */
static int is_rfc3339_shape(const char *s, const char *shape)
{
	for (size_t i = 0; shape[i]; i++) {
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return 0;
	}
	return 1;
}

static int is_rfc3339_ms(const char *s)
{
	return is_rfc3339_shape(s, "dddd-dd-ddTdd:dd:dd.dddZ ");
}

static int is_rfc3339_us(const char *s)
{
	return is_rfc3339_shape(s, "dddd-dd-ddTdd:dd:dd.ddddddZ ");
}

static void set_journal_stream(const char *value)
{
	char buf[64];
	struct stat st;

	if (value) {
		setenv("JOURNAL_STREAM", value, 1);
		return;
	}
	if (fstat(STDERR_FILENO, &st) < 0)
		return;
	snprintf(buf, sizeof(buf), "%llu:%llu", (unsigned long long)st.st_dev,
	         (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", buf, 1);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	char line[1200];
	int fd, saved = dup(STDERR_FILENO);

	snprintf(path, sizeof(path), "%s/cw-test-log.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);

	if (!CHECK(fd >= 0 && saved >= 0) || !CHECK(dup2(fd, STDERR_FILENO) == STDERR_FILENO))
		return check_done();
	cwb_log_level = CWCFG_LOG_DEBUG;

	{
		enum cwb_log_stamp m = CWB_LOG_STAMP_NO;

		CHECK_INT(cwb_log_stamp_mode("auto", &m), 0);
		CHECK_INT(m, CWB_LOG_STAMP_AUTO);
		CHECK_INT(cwb_log_stamp_mode("yes", &m), 0);
		CHECK_INT(m, CWB_LOG_STAMP_YES);
		CHECK_INT(cwb_log_stamp_mode("us", &m), 0);
		CHECK_INT(m, CWB_LOG_STAMP_US);
		CHECK_INT(cwb_log_stamp_mode("no", &m), 0);
		CHECK_INT(m, CWB_LOG_STAMP_NO);
		CHECK_INT(cwb_log_stamp_mode("always", &m), -1);
		CHECK_INT(m, CWB_LOG_STAMP_NO);
	}

	/* no: the line as it always was */
	CHECK_INT(cwb_log_setup(CWB_LOG_STAMP_NO), CWB_LOG_PREFIX_NONE);
	logged(CWCFG_LOG_NOTICE, "ready", line, sizeof(line));
	CHECK_STR(line, "causeway-bridge: notice: ready\n");

	/* yes: the time, even on the journal */
	set_journal_stream(NULL);
	CHECK_INT(cwb_log_setup(CWB_LOG_STAMP_YES), CWB_LOG_PREFIX_TIME);
	logged(CWCFG_LOG_WARNING, "span 1: D-channel down", line, sizeof(line));
	CHECK(is_rfc3339_ms(line));
	CHECK_STR(line + 25, "causeway-bridge: warning: span 1: D-channel down\n");

	/* us: the time to the microsecond, even on the journal */
	CHECK_INT(cwb_log_setup(CWB_LOG_STAMP_US), CWB_LOG_PREFIX_TIME_US);
	logged(CWCFG_LOG_INFO, "call 3: identity source=from", line, sizeof(line));
	CHECK(is_rfc3339_us(line));
	CHECK(!is_rfc3339_ms(line));
	CHECK_STR(line + 28, "causeway-bridge: info: call 3: identity source=from\n");

	/* auto on the journal (sd-daemon.h SD_ERR .. SD_DEBUG): no time, the journal stamps it */
	CHECK_INT(cwb_log_setup(CWB_LOG_STAMP_AUTO), CWB_LOG_PREFIX_PRIORITY);
	logged(CWCFG_LOG_ERROR, "x", line, sizeof(line));
	CHECK_STR(line, "<3>causeway-bridge: error: x\n");
	logged(CWCFG_LOG_WARNING, "x", line, sizeof(line));
	CHECK_STR(line, "<4>causeway-bridge: warning: x\n");
	logged(CWCFG_LOG_NOTICE, "x", line, sizeof(line));
	CHECK_STR(line, "<5>causeway-bridge: notice: x\n");
	logged(CWCFG_LOG_INFO, "x", line, sizeof(line));
	CHECK_STR(line, "<6>causeway-bridge: info: x\n");
	logged(CWCFG_LOG_DEBUG, "x", line, sizeof(line));
	CHECK_STR(line, "<7>causeway-bridge: debug: x\n");

	/* auto elsewhere: $JOURNAL_STREAM of another stream (a child whose stderr
	 * was redirected), a malformed one, none */
	set_journal_stream("1:2");
	CHECK_INT(cwb_log_setup(CWB_LOG_STAMP_AUTO), CWB_LOG_PREFIX_TIME);
	set_journal_stream("12345");
	CHECK_INT(cwb_log_setup(CWB_LOG_STAMP_AUTO), CWB_LOG_PREFIX_TIME);
	unsetenv("JOURNAL_STREAM");
	CHECK_INT(cwb_log_setup(CWB_LOG_STAMP_AUTO), CWB_LOG_PREFIX_TIME);
	logged(CWCFG_LOG_NOTICE, "ready", line, sizeof(line));
	CHECK(is_rfc3339_ms(line));
	CHECK_STR(line + 25, "causeway-bridge: notice: ready\n");

	/* a line too long is cut, still one line with its newline */
	{
		char text[1500];

		memset(text, 'a', sizeof(text) - 1);
		text[sizeof(text) - 1] = '\0';
		logged(CWCFG_LOG_NOTICE, text, line, sizeof(line));
		CHECK_INT(strlen(line), 1023);
		CHECK(line[1022] == '\n');
		CHECK(is_rfc3339_ms(line));
	}

	/* a call's line: the SIP peer after the text, none while there is none */
	CHECK_INT(cwb_log_setup(CWB_LOG_STAMP_NO), CWB_LOG_PREFIX_NONE);
	logged_call("192.0.2.7:5062/udp", "end dir=sip", line, sizeof(line));
	CHECK_STR(line, "causeway-bridge: info: call 7: end dir=sip [sip 192.0.2.7:5062/udp]\n");
	logged_call("", "SETUP on span 1", line, sizeof(line));
	CHECK_STR(line, "causeway-bridge: info: call 7: SETUP on span 1\n");
	logged_call(NULL, "SETUP on span 1", line, sizeof(line));
	CHECK_STR(line, "causeway-bridge: info: call 7: SETUP on span 1\n");
	/* ... a text too long is cut before the peer, which stays */
	{
		char text[1500];
		size_t n;

		memset(text, 'a', sizeof(text) - 1);
		text[sizeof(text) - 1] = '\0';
		logged_call("[2001:db8::7]:5060/tcp", text, line, sizeof(line));
		n = strlen(line);
		CHECK(n < 1024 && n > 800);
		CHECK(n > 31 && strcmp(line + n - 31, "a [sip [2001:db8::7]:5060/tcp]\n") == 0);
	}

	/* below the level: nothing */
	cwb_log_level = CWCFG_LOG_NOTICE;
	logged(CWCFG_LOG_INFO, "hidden", line, sizeof(line));
	CHECK_STR(line, "");

	dup2(saved, STDERR_FILENO);
	close(saved);
	close(fd);
	unlink(path);
	return check_done();
}
