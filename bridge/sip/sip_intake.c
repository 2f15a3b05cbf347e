/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_intake.c — the verdict on one received message (see
 * sip_intake.h): parse, the checks left to the transaction user, the
 * salvaged 400. Nothing here sends, keeps state or reads a clock.
 */
#include "session_timer.h"
#include "sip_intake.h"

#include <errno.h>
#include <causeway/common.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int is_token_char(int ch)
{
	return isalnum(ch) || (ch && strchr("-.!%*_+`'~", ch) != NULL);
}

static int hdr_name_is(const char *l, size_t n, const char *full, const char *compact)
{
	size_t i = 0;
	while (i < n && l[i] != ':' && l[i] != ' ' && l[i] != '\t')
		i++;
	if ((strlen(full) == i && strncasecmp(l, full, i) == 0) ||
	    (compact && strlen(compact) == i && strncasecmp(l, compact, i) == 0)) {
		while (i < n && (l[i] == ' ' || l[i] == '\t'))
			i++;
		return i < n && l[i] == ':';
	}
	return 0;
}

/* The request line's method: its length when buf starts with TOKEN SP, else 0. */
static size_t method_len(const char *buf, size_t len)
{
	size_t n = 0;

	while (n < len && is_token_char((unsigned char)buf[n]))
		n++;
	return n > 0 && n < len && buf[n] == ' ' ? n : 0;
}

/* The value of a header line l (n bytes, name checked): what follows its ':'. */
static const char *line_value(const char *l, size_t n, size_t *vlen)
{
	const char *c = memchr(l, ':', n);

	*vlen = c ? n - (size_t)(c + 1 - l) : 0;
	return c ? c + 1 : l + n;
}

/* A To value with a tag parameter (RFC 3261 §19.3): after the '>' of a name-addr, else
 * anywhere after the addr-spec. */
static int has_tag(const char *v, size_t n)
{
	const char *gt = memchr(v, '>', n);
	size_t i = gt ? (size_t)(gt - v) : 0;

	for (; i + 4 < n; i++)
		if (v[i] == ';') {
			size_t k = i + 1;

			while (k < n && (v[k] == ' ' || v[k] == '\t'))
				k++;
			if (k + 3 < n && strncasecmp(v + k, "tag", 3) == 0) {
				k += 3;
				while (k < n && (v[k] == ' ' || v[k] == '\t'))
					k++;
				if (k < n && v[k] == '=')
					return 1;
			}
		}
	return 0;
}

/*
 * A response built from the request's lines, without a parse (RFC 3261 §8.2.6.2): the
 * status line, the Via, From, To, Call-ID and CSeq lines as they came, extra (whole
 * lines, or NULL), Content-Length 0. to_tag: appended to a To line without a tag; then a
 * folded To line or a To with a tag fails it (-1). -1 too without a Via; else 0 and
 * *out (malloc'd, *out_len bytes).
 */
static int raw_reply(const char *buf, size_t len, const char *status_line, const char *to_tag,
                     const char *extra, char **out_ret, size_t *out_len)
{
	char *out;
	size_t o = 0, i = 0, cap = len + 256 + (extra ? strlen(extra) : 0);
	int have_via = 0, copying = 0, in_to = 0;

	out = malloc(cap);
	if (out == NULL)
		return -1;
	o += (size_t)snprintf(out, cap, "%s\r\n", status_line);
	/* skip the request line */
	while (i < len && buf[i] != '\n')
		i++;
	i++;
	while (i < len) {
		size_t s = i, e;
		while (i < len && buf[i] != '\n')
			i++;
		e = i;
		i++;
		if (e > s && buf[e - 1] == '\r')
			e--;
		if (e == s)
			break; /* end of headers */
		if (buf[s] == ' ' || buf[s] == '\t') {
			/* continuation of the previous line */
			if (in_to && to_tag)
				goto fail;
		} else {
			copying = hdr_name_is(buf + s, e - s, "via", "v") ||
			          hdr_name_is(buf + s, e - s, "from", "f") ||
			          hdr_name_is(buf + s, e - s, "to", "t") ||
			          hdr_name_is(buf + s, e - s, "call-id", "i") ||
			          hdr_name_is(buf + s, e - s, "cseq", NULL);
			in_to = hdr_name_is(buf + s, e - s, "to", "t");
			if (copying && hdr_name_is(buf + s, e - s, "via", "v"))
				have_via = 1;
		}
		if (copying && memchr(buf + s, 0, e - s) == NULL && o + (e - s) + 64 < cap) {
			memcpy(out + o, buf + s, e - s);
			o += e - s;
			if (in_to && to_tag) {
				size_t vlen;
				const char *v = line_value(buf + s, e - s, &vlen);

				if (has_tag(v, vlen) || o + strlen(to_tag) + 64 >= cap)
					goto fail;
				o += (size_t)snprintf(out + o, cap - o, ";tag=%s", to_tag);
			}
			out[o++] = '\r';
			out[o++] = '\n';
		}
	}
	if (!have_via)
		goto fail;
	if (extra && o + strlen(extra) + 32 < cap)
		o += (size_t)snprintf(out + o, cap - o, "%s", extra);
	o += (size_t)snprintf(out + o, cap - o, "Content-Length: 0\r\n\r\n");
	*out_ret = out;
	*out_len = o;
	return 0;
fail:
	free(out);
	return -1;
}

/* RFC 3261 §8.2: a request osip_parse() refused still gets its 400 when a
   request line (TOKEN SP ..., not ACK) and a Via can be found; the response
   copies the Via, From, To, Call-ID and CSeq lines as they came. */
static void salvage_400(const char *buf, size_t len, struct cws_intake *v)
{
	size_t mlen = method_len(buf, len);

	/* never answer ACK or a response */
	if (mlen == 0 || (mlen == 3 && strncmp(buf, "ACK", 3) == 0) ||
	    (mlen >= 4 && strncmp(buf, "SIP/", 4) == 0))
		return;
	if (raw_reply(buf, len, "SIP/2.0 400 Bad Request", NULL, NULL, &v->reply,
	              &v->reply_len) == 0)
		v->kind = CWS_INTAKE_SALVAGE;
}

int cws_intake_shed(const char *buf, size_t len, unsigned retry_after_s, char **reply,
                    size_t *reply_len)
{
	char extra[48] = "";

	if (buf == NULL || reply == NULL || reply_len == NULL)
		return -EINVAL;
	*reply = NULL;
	*reply_len = 0;
	if (method_len(buf, len) != 6 || strncmp(buf, "INVITE", 6) != 0)
		return 0;
	if (retry_after_s > 0) /* RFC 3261 §21.5.4, §20.33 */
		(void)snprintf(extra, sizeof(extra), "Retry-After: %u\r\n", retry_after_s);
	return raw_reply(buf, len, "SIP/2.0 503 Service Unavailable", CWS_INTAKE_SHED_TAG,
	                 extra[0] ? extra : NULL, reply, reply_len) == 0 ? 1 : 0;
}

/*
 * Checks osip_parse() leaves to us. Returns 0 to go on, -1 to drop, or a
 * status to answer statelessly (hname/hval: an extra header).
 */
static int validate_request(osip_message_t *m, const char *buf, size_t len,
                            enum cws_proto proto, const char **hname, const char **hval)
{
	const char *p;
	osip_header_t *h = NULL;
	char *num;

	*hname = *hval = NULL;
	if (osip_list_size(&m->vias) <= 0 || m->sip_method == NULL)
		return -1;
	if (m->req_uri == NULL || m->from == NULL || m->to == NULL || m->call_id == NULL ||
	    m->call_id->number == NULL || m->cseq == NULL || m->cseq->method == NULL ||
	    m->cseq->number == NULL || m->from->url == NULL || m->to->url == NULL)
		return strcmp(m->sip_method, "ACK") == 0 ? -1 : 400;
	if (m->sip_version == NULL || strcmp(m->sip_version, "SIP/2.0") != 0)
		return strcmp(m->sip_method, "ACK") == 0 ? -1 : 505;
	if (strcmp(m->cseq->method, m->sip_method) != 0)
		return strcmp(m->sip_method, "ACK") == 0 ? -1 : 400;
	num = m->cseq->number;
	if (*num == 0 || strlen(num) > 10 || strspn(num, "0123456789") != strlen(num) ||
	    strtoull(num, NULL, 10) > 2147483647ULL)
		return strcmp(m->sip_method, "ACK") == 0 ? -1 : 400;
	/* UDP: a Content-Length larger than what arrived (RFC 3261 §18.3) */
	if (proto == CWS_UDP && m->content_length && m->content_length->value) {
		const char *e = NULL;
		for (size_t i = 0; i + 3 < len; i++)
			if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') {
				e = buf + i + 4;
				break;
			}
		if (e) {
			unsigned long long cl = strtoull(m->content_length->value, NULL, 10);
			if (cl > (unsigned long long)(buf + len - e))
				return strcmp(m->sip_method, "ACK") == 0 ? -1 : 400;
		}
	}
	if (strcmp(m->sip_method, "ACK") == 0 || strcmp(m->sip_method, "CANCEL") == 0)
		return 0;
	/* RFC 3261 §16.3 item 2, §20.22: a request with Max-Forwards 0 goes no further (the
	   gateway would forward it into the PSTN); OPTIONS may be answered by its last hop. */
	if (osip_message_get_max_forwards(m, 0, &h) >= 0 && h && h->hvalue) {
		const char *v = h->hvalue;
		char *end;
		unsigned long hops;

		while (*v == ' ' || *v == '\t')
			v++;
		hops = strtoul(v, &end, 10);
		while (*end == ' ' || *end == '\t')
			end++;
		if (*v >= '0' && *v <= '9' && *end == '\0' && hops == 0 &&
		    strcmp(m->sip_method, "OPTIONS") != 0)
			return 483;
		h = NULL;
	}
	p = m->req_uri->scheme;
	if (p == NULL || (strcasecmp(p, "sip") != 0 && strcasecmp(p, "sips") != 0 && strcasecmp(p, "tel") != 0))
		return 416;
	/* Require: we support one extension, timer (RFC 4028); any other: 420 (RFC 3261
	   §8.2.2.3) */
	for (int pos = 0; (pos = osip_message_header_get_byname(m, "require", pos, &h)) >= 0; pos++) {
		if (h && h->hvalue && !cws_option_tags_only(h->hvalue, "timer")) {
			*hname = "Unsupported";
			*hval = h->hvalue;
			return 420;
		}
	}
	h = NULL;
	/* INVITE bodies we understand (RFC 3261 §8.2.3) */
	if (strcmp(m->sip_method, "INVITE") == 0 && m->content_type && m->content_type->type &&
	    osip_list_size(&m->bodies) > 0) {
		const char *t = m->content_type->type, *s = m->content_type->subtype;
		if (!((strcasecmp(t, "application") == 0 && s && strcasecmp(s, "sdp") == 0) ||
		      (strcasecmp(t, "multipart") == 0))) {
			*hname = "Accept";
			*hval = "application/sdp";
			return 415;
		}
	}
	return 0;
}

/* RFC 3261 §8.1.3.3: a response lacking a mandatory header is discarded. */
static int response_is_whole(const osip_message_t *m)
{
	return osip_list_size(&m->vias) > 0 && m->cseq != NULL && m->cseq->method != NULL &&
	       m->call_id != NULL && m->call_id->number != NULL && m->from != NULL && m->to != NULL;
}

/* The first match of needle (nlen bytes, starting with a letter) in hay (hlen bytes),
   case-insensitive, or NULL. */
static const char *find_nocase(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	const int first = tolower((unsigned char)needle[0]);

	for (size_t i = 0; i + nlen <= hlen; i++)
		if ((hay[i] | 0x20) == first && strncasecmp(hay + i, needle, nlen) == 0)
			return hay + i;
	return NULL;
}

/* Where a boundary stands in buf (the same bytes at the same offsets as in copy, but for
   the letters mark_multipart() changed): the original of v, the text the parser read from
   copy, when every place v occurs in copy has the same original; else NULL. Malloc'd. */
static char *original_of(const char *buf, const char *copy, size_t len, const char *v)
{
	size_t n = strlen(v);
	const char *at = NULL, *p = copy, *end = copy + len;
	char *out;

	while (n > 0 && p + n <= end && (p = memmem(p, (size_t)(end - p), v, n)) != NULL) {
		if (at && memcmp(buf + (at - copy), buf + (p - copy), n) != 0)
			return NULL;
		if (!at)
			at = p;
		p++;
	}
	if (!at)
		return NULL;
	out = malloc(n + 1);
	if (out) {
		memcpy(out, buf + (at - copy), n);
		out[n] = '\0';
	}
	return out;
}

/* copy (len bytes) with every "multipart", in any case, made "multipar_": the parser then
   takes the message's type for one of a single body and reads no part. */
static void mark_multipart(char *copy, size_t len)
{
	char *p = copy;
	const char *m;

	while ((m = find_nocase(p, len - (size_t)(p - copy), "multipart", 9)) != NULL) {
		p = copy + (m - copy) + 8;
		*p++ = '_';
	}
}

/*
 * The delimiter of a multipart message's parts as libosip2 seeks them: "\n--" and the
 * "boundary" parameter of its Content-Type, one pair of quotes taken off (a lone '"'
 * too). The parser itself reads it, from a copy in which the type is no longer
 * "multipart" (mark_multipart()), so that it parses no part: where its headers end, how
 * it reads the parameter, are then its own. *multipart: 1 when the parser would take
 * the message as multipart. NULL when it would not, or has no boundary; a boundary that
 * held the word and cannot be told back is refused (*multipart 1, NULL). Else malloc'd.
 */
static char *multipart_delimiter(const char *buf, size_t len, int *multipart)
{
	char name[] = "boundary"; /* the parser takes no const */
	osip_message_t *m = NULL;
	osip_generic_param_t *b = NULL;
	char *copy, *v = NULL, *out = NULL;

	*multipart = 0;
	copy = malloc(len + 1);
	if (copy == NULL)
		return NULL;
	memcpy(copy, buf, len);
	copy[len] = '\0';
	mark_multipart(copy, len);
	if (osip_message_init(&m) == 0)
		(void)osip_message_parse(m, copy, len); /* the headers are in even when it fails */
	if (m && m->content_type && m->content_type->type &&
	    strcasecmp(m->content_type->type, "multipar_") == 0) {
		*multipart = 1;
		if (osip_generic_param_get_byname(&m->content_type->gen_params, name, &b) == 0 &&
		    b && b->gvalue && b->gvalue[0])
			v = find_nocase(b->gvalue, strlen(b->gvalue), "multipar_", 9)
			            ? original_of(buf, copy, len, b->gvalue)
			            : strdup(b->gvalue);
		else
			*multipart = 0; /* the parser refuses it whole, before any part */
	}
	if (v) {
		size_t n = strlen(v);
		const char *from = v;

		if (v[0] == '"' && v[n - 1] == '"') {
			from++;
			n = n >= 2 ? n - 2 : 0;
		}
		out = malloc(n + 4);
		if (out) {
			memcpy(out, "\n--", 3);
			memcpy(out + 3, from, n);
			out[n + 3] = '\0';
		}
		free(v);
	}
	osip_message_free(m);
	free(copy);
	return out;
}

/*
 * A multipart body with a part that names its Content-Type twice: one entity, one
 * Content-Type (RFC 2045 §5, RFC 2046 §5.1.1: a body part is an entity with its own
 * header fields; RFC 3261 §7.3.1: a header field that is not a comma-separated list
 * appears once). libosip2 5.3 keeps the second and loses the first without freeing it
 * (osip_body_set_contenttype()), so such a message is refused before osip_parse() sees
 * it: left to the parser, every copy would leak a little memory for good.
 *
 * The parts are cut where libosip2 cuts them, at each delimiter, case and all (a cut the
 * parser does not make could split one of its parts in two), and a part counts when
 * "content-type", in any case, occurs twice anywhere in it (its headers, its body, the
 * rest of its delimiter line): that covers every way the parser can meet two, and no
 * body the bridge takes (SDP, ISUP) holds the words.
 */
static int multipart_part_typed_twice(const char *buf, size_t len)
{
	static const char ct[] = "content-type";
	const size_t ctlen = sizeof(ct) - 1;
	const char *cut, *end = buf + len;
	char *delim;
	size_t dlen;
	int twice = 0, multipart;

	if (find_nocase(buf, len, "multipart", 9) == NULL)
		return 0;
	delim = multipart_delimiter(buf, len, &multipart);
	if (delim == NULL)
		return multipart; /* 1: a boundary not to be told back, or out of memory */
	dlen = strlen(delim);
	for (cut = memmem(buf, len, delim, dlen); cut && !twice;) {
		const char *part = cut + dlen, *next = NULL, *first;

		if (part < end)
			next = memmem(part, (size_t)(end - part), delim, dlen);
		if (next == NULL)
			next = end;
		first = find_nocase(part, (size_t)(next - part), ct, ctlen);
		twice = first && find_nocase(first + ctlen, (size_t)(next - first - ctlen), ct,
		                             ctlen) != NULL;
		cut = next < end ? next : NULL;
	}
	free(delim);
	return twice;
}

void cws_intake_init(void)
{
	static int parser_ready;

	if (!parser_ready) {
		parser_init();
		parser_ready = 1;
	}
}

int cws_intake_check(const char *buf, size_t len, enum cws_proto proto,
                        struct cws_intake *ret)
{
	osip_event_t *evt;
	osip_message_t *m;
	int st;

	if (ret == NULL)
		return -EINVAL;
	memset(ret, 0, sizeof(*ret));
	ret->kind = CWS_INTAKE_DROP;
	if (buf == NULL)
		return -EINVAL;
	if (multipart_part_typed_twice(buf, len)) {
		salvage_400(buf, len, ret);
		return 0;
	}
	evt = osip_parse(buf, len);
	if (evt == NULL || evt->sip == NULL) {
		if (evt)
			osip_event_free(evt);
		salvage_400(buf, len, ret);
		return 0;
	}
	m = evt->sip;
	if (!MSG_IS_REQUEST(m)) {
		if (response_is_whole(m)) {
			ret->kind = CWS_INTAKE_ACCEPT;
			ret->event = evt;
		} else {
			osip_event_free(evt);
		}
		return 0;
	}
	st = validate_request(m, buf, len, proto, &ret->hname, &ret->hval);
	if (st < 0) {
		osip_event_free(evt);
		ret->hname = ret->hval = NULL;
		return 0;
	}
	ret->kind = st == 0 ? CWS_INTAKE_ACCEPT : CWS_INTAKE_ANSWER;
	ret->status = st;
	ret->event = evt;
	return 0;
}

void cws_intake_clear(struct cws_intake *verdict)
{
	if (verdict == NULL)
		return;
	if (verdict->event)
		osip_event_free(verdict->event);
	free(verdict->reply);
	memset(verdict, 0, sizeof(*verdict));
	verdict->kind = CWS_INTAKE_DROP;
}
