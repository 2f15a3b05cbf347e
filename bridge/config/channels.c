/* SPDX-License-Identifier: MIT */
/*
 * channels.c — chan_dahdi channel lists ("1-15,17-31") of Q.931 channel
 * numbers, parsed into a bit set and formatted back.
 */
#include <errno.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>

#include "common/error.h"
#include "config.h"

__attribute__((format(printf, 3, 4)))
static void msgf(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!msg || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
}

static int channel_number(const char **sp, unsigned *ret)
{
	const char *s = *sp;
	unsigned v = 0;

	if (!isdigit((unsigned char)*s))
		return CWCOM_ESYNTAX;
	while (isdigit((unsigned char)*s)) {
		if (v < 1000)
			v = v * 10 + (unsigned)(*s - '0');
		s++;
	}
	*sp = s;
	*ret = v;
	return 0;
}

int cwcfg_channels_parse(const char *text, unsigned long *ret_set, char *msg, size_t msg_len)
{
	unsigned long set = 0;
	const char *s = text;

	if (!text || !ret_set)
		return -EINVAL;
	for (;;) {
		unsigned lo, hi, c;

		while (*s == ' ' || *s == '\t')
			s++;
		if (channel_number(&s, &lo) < 0) {
			msgf(msg, msg_len, "'%s': expected a channel number at '%s'", text, s);
			return CWCOM_ESYNTAX;
		}
		hi = lo;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '-') {
			s++;
			while (*s == ' ' || *s == '\t')
				s++;
			if (channel_number(&s, &hi) < 0) {
				msgf(msg, msg_len, "'%s': expected a channel number at '%s'", text, s);
				return CWCOM_ESYNTAX;
			}
			while (*s == ' ' || *s == '\t')
				s++;
		}
		if (lo < 1 || lo > CWCFG_MAX_CHANNEL || hi < 1 || hi > CWCFG_MAX_CHANNEL) {
			unsigned bad = lo < 1 || lo > CWCFG_MAX_CHANNEL ? lo : hi;
			msgf(msg, msg_len, "channel %u is out of range 1-%d", bad, CWCFG_MAX_CHANNEL);
			return -ERANGE;
		}
		if (hi < lo) {
			msgf(msg, msg_len, "range %u-%u is descending", lo, hi);
			return CWCOM_ESYNTAX;
		}
		for (c = lo; c <= hi; c++) {
			if (set & (1UL << c)) {
				msgf(msg, msg_len, "channel %u is listed twice", c);
				return CWCOM_EDUPLICATE;
			}
			set |= 1UL << c;
		}
		if (*s == '\0')
			break;
		if (*s != ',') {
			msgf(msg, msg_len, "'%s': expected ',' at '%s'", text, s);
			return CWCOM_ESYNTAX;
		}
		s++;
	}
	*ret_set = set;
	return 0;
}

size_t cwcfg_channels_format(unsigned long set, char *buf, size_t len)
{
	size_t used = 0;
	unsigned c = 1;

	if (len)
		buf[0] = '\0';
	while (c <= CWCFG_MAX_CHANNEL) {
		unsigned hi;
		int n;

		if (!(set & (1UL << c))) {
			c++;
			continue;
		}
		hi = c;
		while (hi + 1 <= CWCFG_MAX_CHANNEL && (set & (1UL << (hi + 1))))
			hi++;
		if (hi == c)
			n = snprintf(buf + (used < len ? used : len), used < len ? len - used : 0, "%s%u",
			             used ? "," : "", c);
		else
			n = snprintf(buf + (used < len ? used : len), used < len ? len - used : 0,
			             "%s%u-%u", used ? "," : "", c, hi);
		used += n > 0 ? (size_t)n : 0;
		c = hi + 1;
	}
	return used;
}
