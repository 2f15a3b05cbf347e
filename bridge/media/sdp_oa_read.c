/* SPDX-License-Identifier: MIT */
/*
 * sdp_oa_read.c — a session description, parsed by libosip2's
 * sdp_message_parse(), read into the fixed fields offer/answer looks at.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <osipparser2/osip_port.h>
#include <osipparser2/sdp_message.h>

#include "common/error.h"
#include "sdp_oa_internal.h"

enum cwm_sdp_oa_direction sdp_oa_reverse(enum cwm_sdp_oa_direction d)
{
	return (enum cwm_sdp_oa_direction)(((d & 1) << 1) | ((d & 2) >> 1));
}

/* A decimal number of at most 5 digits and at most max, whole string. */
static int read_number(const char *s, unsigned max, unsigned *ret)
{
	unsigned long v = 0;
	size_t i;

	if (!s || !*s || strlen(s) > 5)
		return -1;
	for (i = 0; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*ret = (unsigned)v;
	return 0;
}

static int copy_token(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n == 0 || n >= cap)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

/* The value of attribute `field` in list (media or session level), or NULL. */
static const char *find_attribute(osip_list_t *list, const char *field, int *ret_found)
{
	osip_list_iterator_t it;
	sdp_attribute_t *a = osip_list_get_first(list, &it);

	for (; a; a = osip_list_get_next(&it)) {
		if (a->a_att_field && strcasecmp(a->a_att_field, field) == 0) {
			if (ret_found)
				*ret_found = 1;
			return a->a_att_value;
		}
	}
	return NULL;
}

/* a=ptime / a=maxptime (RFC 4566 §6): the media's, else the session's. 0 absent. */
static unsigned read_packet_time(sdp_media_t *m, sdp_message_t *sdp, const char *field)
{
	const char *v = find_attribute(&m->a_attributes, field, NULL);
	unsigned ms;

	if (!v)
		v = find_attribute(&sdp->a_attributes, field, NULL);
	if (!v || read_number(v, 10000, &ms) != 0)
		return 0;
	return ms;
}

/* RFC 4566 §6 (RFC 3264 §5.1): the media's direction attribute, else the session's. */
static enum cwm_sdp_oa_direction read_direction(osip_list_t *media, osip_list_t *session)
{
	static const struct {
		const char *name;
		enum cwm_sdp_oa_direction d;
	} names[] = {
		{ "sendrecv", CWM_SDP_OA_SENDRECV },
		{ "sendonly", CWM_SDP_OA_SENDONLY },
		{ "recvonly", CWM_SDP_OA_RECVONLY },
		{ "inactive", CWM_SDP_OA_INACTIVE },
	};
	osip_list_t *lists[2] = { media, session };
	size_t l, i;

	for (l = 0; l < 2; l++) {
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			int found = 0;

			find_attribute(lists[l], names[i].name, &found);
			if (found)
				return names[i].d;
		}
	}
	return CWM_SDP_OA_SENDRECV;
}

/*
 * a=rtpmap:PT NAME/RATE[/CHANNELS] (RFC 4566 §6) for pt: 1 with the
 * encoding written to name when one is there, else 0.
 */
static int find_rtpmap(sdp_media_t *m, unsigned pt, char *name, size_t cap,
                       unsigned *ret_rate, unsigned *ret_channels)
{
	osip_list_iterator_t it;
	sdp_attribute_t *a = osip_list_get_first(&m->a_attributes, &it);

	for (; a; a = osip_list_get_next(&it)) {
		const char *v = a->a_att_value, *slash, *rate, *ch;
		char num[8];
		unsigned got;
		size_t n;

		if (!a->a_att_field || strcasecmp(a->a_att_field, "rtpmap") != 0 || !v)
			continue;
		n = strcspn(v, " ");
		if (n == 0 || n >= sizeof(num))
			continue;
		memcpy(num, v, n);
		num[n] = '\0';
		if (read_number(num, 127, &got) != 0 || got != pt)
			continue;
		v += n + strspn(v + n, " ");
		slash = strchr(v, '/');
		if (!slash || (size_t)(slash - v) >= cap)
			return 0;
		memcpy(name, v, (size_t)(slash - v));
		name[slash - v] = '\0';
		rate = slash + 1;
		ch = strchr(rate, '/');
		n = ch ? (size_t)(ch - rate) : strlen(rate);
		if (n == 0 || n >= sizeof(num))
			return 0;
		memcpy(num, rate, n);
		num[n] = '\0';
		if (read_number(num, 999999, ret_rate) != 0)
			return 0;
		*ret_channels = 1;
		if (ch && read_number(ch + 1, 255, ret_channels) != 0)
			return 0;
		return 1;
	}
	return 0;
}

/*
 * RFC 4733 §2.4.1: a=fmtp:PT with a list of events and ranges ("0-15",
 * "0-11,16"); no fmtp means 0-15. The events 0-15 of the list, or 0 when
 * the list does not parse.
 */
static uint16_t read_events(sdp_media_t *m, unsigned pt)
{
	osip_list_iterator_t it;
	sdp_attribute_t *a = osip_list_get_first(&m->a_attributes, &it);

	for (; a; a = osip_list_get_next(&it)) {
		const char *v = a->a_att_value;
		char *end;
		uint16_t mask = 0;

		if (!a->a_att_field || strcasecmp(a->a_att_field, "fmtp") != 0 || !v)
			continue;
		if (strtoul(v, &end, 10) != pt || end == v || *end != ' ')
			continue;
		v = end + strspn(end, " ");
		for (;;) {
			unsigned long lo, hi;

			if (*v < '0' || *v > '9')
				return 0;
			lo = strtoul(v, &end, 10);
			hi = lo;
			if (*end == '-') {
				v = end + 1;
				if (*v < '0' || *v > '9')
					return 0;
				hi = strtoul(v, &end, 10);
			}
			if (hi < lo || hi > 255)
				return 0;
			for (; lo <= hi && lo < 16; lo++)
				mask |= (uint16_t)(1u << lo);
			if (*end == '\0')
				return mask;
			if (*end != ',')
				return 0;
			v = end + 1;
		}
	}
	return SDP_OA_TE_ALL;
}

/* What the line's formats offer: each law's first PT, clearmode, telephone-event. */
static void read_formats(sdp_media_t *m, struct sdp_oa_line *line)
{
	osip_list_iterator_t it;
	const char *fmt = osip_list_get_first(&m->m_payloads, &it);

	line->pcma_pt = line->pcmu_pt = line->first_law = line->te_pt = line->clear_pt = -1;
	line->te_events = 0;
	for (; fmt; fmt = osip_list_get_next(&it)) {
		char name[32];
		unsigned pt, rate = 0, channels = 1;

		if (read_number(fmt, 127, &pt) != 0)
			continue;
		if (!find_rtpmap(m, pt, name, sizeof(name), &rate, &channels)) {
			/* RFC 3551 §6, table 4: the static G.711 types. */
			if (pt != 0 && pt != 8)
				continue;
			strcpy(name, pt == 8 ? "PCMA" : "PCMU");
			rate = 8000;
		}
		if (rate != 8000 || channels != 1)
			continue;
		if (strcasecmp(name, "PCMA") == 0 && line->pcma_pt < 0) {
			line->pcma_pt = (int)pt;
			if (line->first_law < 0)
				line->first_law = CWM_SDP_OA_ALAW;
		} else if (strcasecmp(name, "PCMU") == 0 && line->pcmu_pt < 0) {
			line->pcmu_pt = (int)pt;
			if (line->first_law < 0)
				line->first_law = CWM_SDP_OA_ULAW;
		} else if (strcasecmp(name, "CLEARMODE") == 0 && line->clear_pt < 0 && pt >= 96) {
			line->clear_pt = (int)pt; /* RFC 4040 §3: a dynamic type, CLEARMODE/8000 */
		} else if (strcasecmp(name, "telephone-event") == 0 && line->te_pt < 0) {
			uint16_t events = read_events(m, pt);

			if (events) {
				line->te_pt = (int)pt;
				line->te_events = events;
			}
		}
	}
}

/* RFC 1035 §2.3.1 letters, digits, hyphens and dots, with a letter somewhere. */
static int is_hostname(const char *s)
{
	int letter = 0;
	size_t i;

	for (i = 0; s[i]; i++) {
		char ch = s[i];

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
			letter = 1;
		else if (!(ch >= '0' && ch <= '9') && ch != '-' && ch != '.')
			return 0;
	}
	return i > 0 && letter && s[0] != '.' && s[0] != '-';
}

/* RFC 4566 §5.7: IN IP4/IP6 and a literal or a host name (not resolved here). */
static void read_connection(const sdp_connection_t *c, struct sdp_oa_conn *conn)
{
	unsigned char bin[16];

	memset(conn, 0, sizeof(*conn));
	if (!c)
		return;
	conn->present = 1;
	if (!c->c_nettype || strcasecmp(c->c_nettype, "IN") != 0 || !c->c_addrtype || !c->c_addr ||
	    strlen(c->c_addr) >= sizeof(conn->addr))
		return;
	if (strcasecmp(c->c_addrtype, "IP4") == 0 && inet_pton(AF_INET, c->c_addr, bin) == 1) {
		conn->family = 4;
		conn->multicast = (bin[0] & 0xf0) == 0xe0;
		conn->hold = !memcmp(bin, "\0\0\0\0", 4);
	} else if (strcasecmp(c->c_addrtype, "IP6") == 0 &&
	           inet_pton(AF_INET6, c->c_addr, bin) == 1) {
		static const unsigned char any[16];

		conn->family = 6;
		conn->multicast = bin[0] == 0xff;
		conn->hold = !memcmp(bin, any, 16);
	} else if (is_hostname(c->c_addr) &&
	           (strcasecmp(c->c_addrtype, "IP4") == 0 || strcasecmp(c->c_addrtype, "IP6") == 0)) {
		conn->family = strcasecmp(c->c_addrtype, "IP4") == 0 ? 4 : 6;
		conn->name = 1;
	} else {
		return;
	}
	if (c->c_addr_multicast_ttl || c->c_addr_multicast_int)
		conn->multicast = 1;
	strcpy(conn->addr, c->c_addr);
}

/* The format list as text, space separated. -1 when empty or too long. */
static int join_formats(sdp_media_t *m, char *out, size_t cap)
{
	osip_list_iterator_t it;
	const char *fmt = osip_list_get_first(&m->m_payloads, &it);
	size_t len = 0;

	for (; fmt; fmt = osip_list_get_next(&it)) {
		size_t n = strlen(fmt);

		if (n == 0 || len + n + 2 > cap)
			return -1;
		if (len)
			out[len++] = ' ';
		memcpy(out + len, fmt, n);
		len += n;
	}
	out[len] = '\0';
	return len ? 0 : -1;
}

static int read_message(sdp_message_t *sdp, struct sdp_oa_desc *desc, const char **ret_why)
{
	osip_list_iterator_t it;
	sdp_time_descr_t *t = osip_list_get_first(&sdp->t_descrs, &it);
	sdp_media_t *m;

	if (!t || copy_token(desc->t_start, sizeof(desc->t_start), t->t_start_time) != 0 ||
	    copy_token(desc->t_stop, sizeof(desc->t_stop), t->t_stop_time) != 0) {
		*ret_why = "no usable t= line (RFC 4566 §5.9)";
		return CWCOM_ESYNTAX;
	}
	for (m = osip_list_get_first(&sdp->m_medias, &it); m;
	     m = osip_list_get_next(&it)) {
		struct sdp_oa_line *line;

		if (desc->n_lines == SDP_OA_MAX_LINES) {
			*ret_why = "too many m= lines";
			return CWCOM_ESYNTAX;
		}
		line = &desc->lines[desc->n_lines++];
		if (copy_token(line->media, sizeof(line->media), m->m_media) != 0 ||
		    copy_token(line->proto, sizeof(line->proto), m->m_proto) != 0 ||
		    read_number(m->m_port, 65535, &line->port) != 0 ||
		    join_formats(m, line->fmts, sizeof(line->fmts)) != 0) {
			*ret_why = "malformed m= line (RFC 4566 §5.14)";
			return CWCOM_ESYNTAX;
		}
		read_formats(m, line);
		line->ptime = read_packet_time(m, sdp, "ptime");
		line->maxptime = read_packet_time(m, sdp, "maxptime");
		line->direction = read_direction(&m->a_attributes, &sdp->a_attributes);
		read_connection(osip_list_get(&m->c_connections, 0), &line->conn);
		if (!line->conn.present)
			read_connection(sdp->c_connection, &line->conn);
	}
	return 0;
}

int sdp_oa_read(const char *text, size_t len, struct sdp_oa_desc *desc, const char **ret_why)
{
	sdp_message_t *sdp = NULL;
	char *copy;
	int rc;

	memset(desc, 0, sizeof(*desc));
	*ret_why = "";
	if (memchr(text, '\0', len)) {
		*ret_why = "NUL in the session description";
		return CWCOM_ESYNTAX;
	}
	/*
	 * libosip2 5.3's sdp_message_parse() reads one byte past the NUL when
	 * the last line ends in a bare LF; a second NUL keeps that read inside
	 * the buffer (corpus/sdp-oa/regress-bare-lf-at-end).
	 */
	copy = malloc(len + 2);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, text, len);
	copy[len] = copy[len + 1] = '\0';
	if (sdp_message_init(&sdp) != 0) {
		free(copy);
		return -ENOMEM;
	}
	if (sdp_message_parse(sdp, copy) != 0) {
		*ret_why = "session description does not parse (RFC 4566 §5)";
		rc = CWCOM_ESYNTAX;
	} else {
		rc = read_message(sdp, desc, ret_why);
	}
	sdp_message_free(sdp);
	free(copy);
	return rc;
}
