/* SPDX-License-Identifier: MIT */
/*
 * log.c — "causeway-bridge: LEVEL: TEXT", one line per message on stderr
 * (README.md "Command line": foreground, systemd style; tests wait on these lines).
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "log.h"

enum cw_bridge_log_level cwb_log_level = CW_BRIDGE_LOG_NOTICE;

void cwb_log(enum cw_bridge_log_level level, const char *fmt, ...)
{
	char line[1024];
	const char *name = cw_bridge_log_level_name(level);
	va_list ap;
	int n, m;

	if (level > cwb_log_level)
		return;
	n = snprintf(line, sizeof(line), "causeway-bridge: %s: ", name ? name : "info");
	if (n < 0)
		return;
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
