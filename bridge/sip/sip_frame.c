/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_frame.c — stream framing by Content-Length (RFC 3261
 * §18.3), see sip_frame.h.
 */
#include "common/error.h"
#include "sip_frame.h"

#include <causeway/common.h>

#include "transport.h"

#include <string.h>
#include <strings.h>

size_t cws_frame_keepalive_len(const char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && (buf[n] == '\r' || buf[n] == '\n'))
		n++;
	return n;
}

/* Case-insensitive match of a header name at the start of a line. */
static int hdr_is(const char *line, size_t n, const char *name)
{
	size_t k = strlen(name);
	size_t i = k;
	if (n < k || strncasecmp(line, name, k) != 0)
		return 0;
	while (i < n && (line[i] == ' ' || line[i] == '\t'))
		i++;
	return i < n && line[i] == ':';
}

int cws_frame_message(const char *b, size_t n, size_t *ret_len)
{
	size_t i, hend = 0, lines = 0;
	long clen = -1;

	*ret_len = 0;
	for (i = 0; i + 3 < n; i++) {
		if (b[i] == '\r' && b[i + 1] == '\n') {
			lines++;
			if (b[i + 2] == '\r' && b[i + 3] == '\n') {
				hend = i + 4;
				break;
			}
		}
	}
	if (hend == 0)
		return (n >= CWS_TP_MAX_MSG || lines > CWS_TP_MAX_HEADERS) ? CWCOM_ESYNTAX : 0;
	if (lines > CWS_TP_MAX_HEADERS)
		return CWCOM_ESYNTAX;
	/* find Content-Length (or l) in the header section */
	for (i = 0; i < hend;) {
		size_t e = i;
		while (e + 1 < hend && !(b[e] == '\r' && b[e + 1] == '\n'))
			e++;
		if (hdr_is(b + i, e - i, "content-length") || hdr_is(b + i, e - i, "l")) {
			const char *p = memchr(b + i, ':', e - i);
			long v = 0;
			int digits = 0;
			p++;
			while (p < b + e && (*p == ' ' || *p == '\t'))
				p++;
			while (p < b + e && *p >= '0' && *p <= '9') {
				v = v * 10 + (*p - '0');
				digits++;
				if (v > CWS_TP_MAX_MSG)
					return CWCOM_ESYNTAX;
				p++;
			}
			while (p < b + e && (*p == ' ' || *p == '\t'))
				p++;
			if (!digits || p != b + e)
				return CWCOM_ESYNTAX;
			if (clen >= 0 && clen != v)
				return CWCOM_ESYNTAX;
			clen = v;
		}
		i = e + 2;
	}
	if (clen < 0)
		clen = 0; /* RFC 3261 §18.3 requires it on streams; be lenient: no body */
	if (hend + (size_t)clen > CWS_TP_MAX_MSG)
		return CWCOM_ESYNTAX;
	if (n >= hend + (size_t)clen)
		*ret_len = hend + (size_t)clen;
	return 0;
}
