/* SPDX-License-Identifier: MIT */
/*
 * log.h — the log lines of causeway-bridge (README "Log lines"): one
 * "causeway-bridge: LEVEL: TEXT" line on stderr per call of cwb_log(),
 * after the prefix cwb_log_setup() chose (README "Logs").
 */
#ifndef CWB_LOG_H
#define CWB_LOG_H

#include <stdarg.h>

#include "config.h"

extern enum cwcfg_log_level cwb_log_level;

/* --log-timestamps: auto (the journal gets priorities, anything else times), yes, no,
 * us (the time with microseconds). */
enum cwb_log_stamp {
	CWB_LOG_STAMP_AUTO = 0,
	CWB_LOG_STAMP_YES = 1,
	CWB_LOG_STAMP_NO = 2,
	CWB_LOG_STAMP_US = 3
};

/* What goes before "causeway-bridge: ": nothing, "<N>" (syslog priority, for the
 * journal, sd-daemon(3)), "2026-12-02T13:05:07.123Z " (RFC 3339, UTC), or
 * "2026-12-02T13:05:07.123456Z " (the same to the microsecond). */
enum cwb_log_prefix {
	CWB_LOG_PREFIX_NONE = 0,
	CWB_LOG_PREFIX_PRIORITY,
	CWB_LOG_PREFIX_TIME,
	CWB_LOG_PREFIX_TIME_US
};

/* cwb_log_stamp_mode() - "auto", "yes", "no", "us" -> *ret; 0, or -1 for another word. */
int cwb_log_stamp_mode(const char *word, enum cwb_log_stamp *ret);
/* cwb_log_setup() - choose the prefix of every line from now on (auto: "<N>" when
 * $JOURNAL_STREAM names stderr, else the time); returns the choice. */
enum cwb_log_prefix cwb_log_setup(enum cwb_log_stamp mode);

#if defined(__GNUC__)
#define CWB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CWB_PRINTF(a, b)
#endif

/* cwb_log() - "causeway-bridge: LEVEL: TEXT" on stderr, one write per line. */
void cwb_log(enum cwcfg_log_level level, const char *fmt, ...) CWB_PRINTF(2, 3);

/*
 * cwb_log_call() - a line of call id (README "Log lines"): "call ID: TEXT [sip PEER]",
 * PEER the call's SIP peer, "ADDR:PORT/TRANSPORT"; NULL or "": no suffix (no SIP peer
 * yet). TEXT is cut, never the suffix, when the line is too long.
 */
void cwb_log_call(enum cwcfg_log_level level, unsigned long id, const char *peer,
                  const char *fmt, ...) CWB_PRINTF(4, 5);
/* cwb_log_callv() - cwb_log_call() with a va_list. */
void cwb_log_callv(enum cwcfg_log_level level, unsigned long id, const char *peer,
                   const char *fmt, va_list ap) CWB_PRINTF(4, 0);

#define cwb_error(...) cwb_log(CWCFG_LOG_ERROR, __VA_ARGS__)
#define cwb_warning(...) cwb_log(CWCFG_LOG_WARNING, __VA_ARGS__)
#define cwb_notice(...) cwb_log(CWCFG_LOG_NOTICE, __VA_ARGS__)
#define cwb_info(...) cwb_log(CWCFG_LOG_INFO, __VA_ARGS__)
#define cwb_debug(...) cwb_log(CWCFG_LOG_DEBUG, __VA_ARGS__)

#endif /* CWB_LOG_H */
