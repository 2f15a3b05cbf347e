/* SPDX-License-Identifier: MIT */
/*
 * reason.c — the SIP Reason header field: parser and formatter.
 *
 *   Reason        = "Reason" HCOLON reason-value *(COMMA reason-value)  RFC 3326 §2
 *   reason-value  = protocol *(SEMI reason-params)
 *   reason-params = protocol-cause / reason-text / reason-extension
 *   reason-extension =/ isup-cause-location                             RFC 8606 Figure 1
 *
 * with the RFC 3261 §25.1 rules for token, quoted-string, generic-param,
 * SEMI / EQUAL / COMMA and SWS / LWS (folded lines included).
 *
 * The parser makes a single pass over the input with table-driven
 * character classes, never allocates, never reads past len and never
 * writes past the caller's arrays. Everything it returns points into the
 * input or into the caller's text buffer.
 *
 * Decisions not fixed by the RFCs (the tests pin each of them):
 *  - Empty list elements (",,", a leading or trailing comma, an empty or
 *    all-whitespace line) are skipped silently and are not counted in
 *    list->seen: RFC 3261 §7.3.1 lists are often sloppy, and an empty
 *    element carries nothing that could be reported.
 *  - One line terminator (CRLF or LF) at the very end of the input is
 *    accepted, for callers that pass the whole header line.
 *  - Bytes %x80-FF inside a quoted-string are accepted without checking
 *    that they form UTF-8 (RFC 3261 UTF8-NONASCII): legacy gateways send
 *    Latin-1 text, and the text is informational (RFC 3326 §2: "free to
 *    ignore"). Control characters other than HTAB are rejected as the
 *    grammar says; a control character that arrives as a quoted-pair
 *    (legal, RFC 3261 §25.1) is unescaped to a space, so the unescaped
 *    text never holds NUL, CR or LF.
 *  - A fold (CRLF 1*WSP) inside a quoted-string is unescaped to one SP
 *    (RFC 3261 §7.3.1: folded white space has the semantics of SP).
 *  - cause accepts at most 9 digits, leading zeros included (RFC 3326
 *    puts no bound on 1*DIGIT; 9 digits always fit an int): more is
 *    CW_ERANGE.
 *  - A repeated parameter (RFC 3261 §7.3.1 forbids it) is only checked
 *    as a generic-param and otherwise ignored; the first one counts.
 *  - location= takes the RFC 8606 names only: a number is not a
 *    location name on the wire (cw_location_from_name() accepts both).
 *  - A value with an error keeps protocol and protocol_token when they
 *    could be read (for diagnostics); its other fields are reset.
 *
 * Cost: linear in len, plus the duplicate check, which compares each
 * stored value with the values stored before it (O(capacity) per stored
 * value; values beyond the capacity are skipped by a fast scan only).
 */
#include <causeway/q850.h>
#include <causeway/reason.h>

#include <string.h>

/* ---- Character classes, RFC 3261 §25.1 ---- */

enum char_class_bit {
	CC_TOKEN = 0x01,  /* token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" */
	CC_WSP = 0x02,    /* WSP: SP / HTAB */
	CC_QDTEXT = 0x04, /* copied as is inside a quoted-string: WSP / %x21 / %x23-5B / %x5D-7E / %x80-FF */
	CC_QPAIR = 0x08,  /* may follow "\" in a quoted-pair: %x00-09 / %x0B-0C / %x0E-7F */
	CC_IPV6 = 0x10    /* inside an IPv6reference "[...]": HEXDIG / ":" / "." (RFC 3261 §25.1 host) */
};

#define T CC_TOKEN
#define W CC_WSP
#define Q CC_QDTEXT
#define P CC_QPAIR
#define H CC_IPV6
static const unsigned char char_class[256] = {
	/* 0x00 */ P, P, P, P, P, P, P, P,
	/* 0x08 */ P, W|Q|P, 0, P, P, 0, P, P, /* HTAB; LF and CR are nothing */
	/* 0x10 */ P, P, P, P, P, P, P, P, P, P, P, P, P, P, P, P,
	/* 0x20 */ W|Q|P, T|Q|P, P, Q|P, Q|P, T|Q|P, Q|P, T|Q|P, /* SP ! " # $ % & ' */
	/* 0x28 */ Q|P, Q|P, T|Q|P, T|Q|P, Q|P, T|Q|P, T|Q|P|H, Q|P, /* ( ) * + , - . / */
	/* 0x30 */ T|Q|P|H, T|Q|P|H, T|Q|P|H, T|Q|P|H, T|Q|P|H, T|Q|P|H, T|Q|P|H, T|Q|P|H, /* 0-7 */
	/* 0x38 */ T|Q|P|H, T|Q|P|H, Q|P|H, Q|P, Q|P, Q|P, Q|P, Q|P, /* 8 9 : ; < = > ? */
	/* 0x40 */ Q|P, T|Q|P|H, T|Q|P|H, T|Q|P|H, T|Q|P|H, T|Q|P|H, T|Q|P|H, T|Q|P,
	/* 0x48 */ T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P,
	/* 0x50 */ T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P,
	/* 0x58 */ T|Q|P, T|Q|P, T|Q|P, Q|P, P, Q|P, Q|P, T|Q|P, /* X Y Z [ \ ] ^ _ */
	/* 0x60 */ T|Q|P, T|Q|P|H, T|Q|P|H, T|Q|P|H, T|Q|P|H, T|Q|P|H, T|Q|P|H, T|Q|P,
	/* 0x68 */ T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P,
	/* 0x70 */ T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P, T|Q|P,
	/* 0x78 */ T|Q|P, T|Q|P, T|Q|P, Q|P, Q|P, Q|P, T|Q|P, P, /* x y z { | } ~ DEL */
	/* 0x80 */ Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q,
	/* 0x90 */ Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q,
	/* 0xa0 */ Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q,
	/* 0xb0 */ Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q,
	/* 0xc0 */ Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q,
	/* 0xd0 */ Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q,
	/* 0xe0 */ Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q,
	/* 0xf0 */ Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q, Q,
};
#undef T
#undef W
#undef Q
#undef P
#undef H

static int has_class(char c, unsigned bits)
{
	return (char_class[(unsigned char)c] & bits) != 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A control character other than HTAB: never passed on in unescaped text. */
static int is_control(unsigned char c)
{
	return (c < 0x20 && c != '\t') || c == 0x7f;
}

static unsigned char ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/* Case-insensitive comparison (RFC 3261 §7.3.1, RFC 5234 §2.3). */
static int equals_nocase(const char *a, size_t a_len, const char *b, size_t b_len)
{
	size_t i;

	if (a_len != b_len)
		return 0;
	for (i = 0; i < a_len; i++) {
		if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i]))
			return 0;
	}
	return 1;
}

static int span_is(cw_str span, const char *lower_literal, size_t literal_len)
{
	return equals_nocase(span.ptr, span.len, lower_literal, literal_len);
}

#define SPAN_IS(span, literal) span_is((span), (literal), sizeof(literal) - 1)

/* ---- Lexical scanners: each takes [p, end) and returns where it stopped ---- */

/* A fold: CRLF followed by SP or HTAB (RFC 3261 §25.1 LWS). */
static int is_fold(const char *p, const char *end)
{
	return end - p >= 3 && p[0] == '\r' && p[1] == '\n' && has_class(p[2], CC_WSP);
}

/*
 * SWS = [LWS], LWS = [*WSP CRLF] 1*WSP (RFC 3261 §25.1). Consecutive
 * folds are accepted too.
 */
static const char *skip_sws(const char *p, const char *end)
{
	for (;;) {
		while (p < end && has_class(*p, CC_WSP))
			p++;
		if (!is_fold(p, end))
			return p;
		p += 3;
	}
}

static const char *scan_token(const char *p, const char *end)
{
	while (p < end && has_class(*p, CC_TOKEN))
		p++;
	return p;
}

/*
 * The end of the value starting at p: the next comma outside a quoted
 * string, or end. Inside quotes "\" hides the next byte. This is the
 * recovery rule for malformed values, so an unbalanced quote swallows the
 * rest of the line; it also skips values beyond the list's capacity.
 */
static const char *find_value_end(const char *p, const char *end)
{
	int quoted = 0;

	for (; p < end; p++) {
		if (quoted) {
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == '"')
				quoted = 0;
		} else if (*p == '"') {
			quoted = 1;
		} else if (*p == ',') {
			return p;
		}
	}
	return end;
}

/* ---- Unescaped text, written into the caller's buffer ---- */

struct text_sink {
	char *buf;       /* NULL: validate only */
	size_t capacity; /* bytes for text, a NUL follows them */
	size_t len;
	int truncated;
};

static void sink_append(struct text_sink *sink, const char *bytes, size_t n)
{
	size_t room = sink->buf ? sink->capacity - sink->len : 0;

	if (n > room) {
		n = room;
		sink->truncated = 1;
	}
	if (n) {
		memcpy(sink->buf + sink->len, bytes, n);
		sink->len += n;
	}
}

/*
 * After a cut, drop a trailing UTF-8 sequence left incomplete (RFC 3629
 * §3), so truncation never splits a character.
 */
static void sink_trim_partial_utf8(struct text_sink *sink)
{
	size_t i = sink->len, back = 0, need;
	unsigned char lead;

	while (i > 0 && back < 4 && ((unsigned char)sink->buf[i - 1] & 0xc0) == 0x80) {
		i--;
		back++;
	}
	if (i == 0)
		return;
	lead = (unsigned char)sink->buf[i - 1];
	if (lead < 0xc0)
		return;
	need = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : 1;
	if (back < need)
		sink->len = i - 1;
}

/*
 * quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE
 * qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
 * quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)      (RFC 3261 §25.1)
 * p is at the opening DQUOTE. Returns the byte after the closing DQUOTE,
 * or NULL if the string is malformed or unterminated.
 */
static const char *scan_quoted_string(const char *p, const char *end, struct text_sink *sink)
{
	p++;
	for (;;) {
		const char *run = p;
		char c;

		while (p < end && has_class(*p, CC_QDTEXT))
			p++;
		sink_append(sink, run, (size_t)(p - run));
		if (p == end)
			return NULL;
		c = *p;
		if (c == '"')
			return p + 1;
		if (c == '\\') {
			if (p + 1 == end || !has_class(p[1], CC_QPAIR))
				return NULL;
			sink_append(sink, is_control((unsigned char)p[1]) ? " " : p + 1, 1);
			p += 2;
		} else if (is_fold(p, end)) {
			sink_append(sink, " ", 1);
			p = skip_sws(p, end);
		} else {
			return NULL; /* NUL, bare CR or LF, another control character */
		}
	}
}

/*
 * gen-value = token / host / quoted-string (RFC 3261 §25.1); a hostname or
 * IPv4address is a token, an IPv6reference is "[" HEXDIG / ":" / "." "]".
 * Returns the end of the value, or NULL if there is none.
 */
static const char *scan_gen_value(const char *p, const char *end, struct text_sink *sink)
{
	const char *start = p;

	if (p < end && *p == '"')
		return scan_quoted_string(p, end, sink);
	if (p < end && *p == '[') {
		p++;
		while (p < end && has_class(*p, CC_IPV6))
			p++;
		if (p == end || *p != ']' || p == start + 1)
			return NULL;
		return p + 1;
	}
	p = scan_token(p, end);
	return p == start ? NULL : p;
}

/* ---- One reason-value ---- */

struct value_state {
	cw_reason *r;
	struct text_sink sink;
	int seen_location; /* location= met (its value may have been ignored) */
};

static enum cw_reason_protocol protocol_from_token(cw_str token)
{
	if (SPAN_IS(token, "q.850"))
		return CW_REASON_Q850;
	if (SPAN_IS(token, "sip"))
		return CW_REASON_SIP;
	if (SPAN_IS(token, "preemption"))
		return CW_REASON_PREEMPTION;
	return CW_REASON_OTHER;
}

/* cause = 1*DIGIT (RFC 3326 §2), at most 9 digits here. */
static int parse_cause_digits(cw_str value, int *ret_cause)
{
	int cause = 0;
	size_t i;

	if (value.len == 0)
		return CW_ESYNTAX;
	for (i = 0; i < value.len; i++) {
		if (!is_digit(value.ptr[i]))
			return CW_ESYNTAX;
	}
	if (value.len > 9)
		return CW_ERANGE;
	for (i = 0; i < value.len; i++)
		cause = cause * 10 + (value.ptr[i] - '0');
	*ret_cause = cause;
	return 0;
}

/* Q.850 1..127 (Q.850 §2.2.5), SIP 100..699 (RFC 3261 §21), others any. */
static int cause_in_range(enum cw_reason_protocol protocol, int cause)
{
	switch (protocol) {
	case CW_REASON_Q850:
		return cause >= CW_Q850_CAUSE_MIN && cause <= CW_Q850_CAUSE_MAX;
	case CW_REASON_SIP:
		return cause >= 100 && cause <= 699;
	case CW_REASON_PREEMPTION:
	case CW_REASON_OTHER:
		break;
	}
	return cause >= 0;
}

static int apply_cause(cw_reason *r, cw_str value)
{
	int cause, err;

	err = parse_cause_digits(value, &cause);
	if (err)
		return err;
	if (!cause_in_range(r->protocol, cause))
		return CW_ERANGE;
	r->cause = cause;
	return 0;
}

/* isup-location-value: the 16 RFC 8606 Figure 1 names, case-insensitive. */
static int location_from_wire_name(cw_str value)
{
	int loc;

	for (loc = 0; loc <= 15; loc++) {
		const char *name = cw_location_name(loc);

		if (name && equals_nocase(value.ptr, value.len, name, strlen(name)))
			return loc;
	}
	return CW_LOCATION_UNKNOWN;
}

/* RFC 8606 §3: location belongs to Q.850; "Other values MUST be ignored". */
static void apply_location(cw_reason *r, cw_str value)
{
	if (r->protocol != CW_REASON_Q850) {
		r->flags |= CW_REASON_F_IGNORED_LOCATION;
		return;
	}
	r->location = location_from_wire_name(value);
	if (r->location == CW_LOCATION_UNKNOWN)
		r->flags |= CW_REASON_F_BAD_LOCATION;
}

/* reason-extension = generic-param: kept, up to CW_REASON_MAX_PARAMS. */
static void keep_extension(cw_reason *r, cw_str name, cw_str value)
{
	size_t i;

	for (i = 0; i < r->nparams; i++) {
		if (equals_nocase(r->params[i].name.ptr, r->params[i].name.len, name.ptr, name.len)) {
			r->flags |= CW_REASON_F_DUPLICATE_PARAM;
			return;
		}
	}
	if (r->nparams == CW_REASON_MAX_PARAMS) {
		r->flags |= CW_REASON_F_PARAMS_TRUNCATED;
		return;
	}
	r->params[r->nparams].name = name;
	r->params[r->nparams].value = value;
	r->nparams++;
}

enum param_kind { PARAM_CAUSE, PARAM_TEXT, PARAM_LOCATION, PARAM_EXTENSION };

static enum param_kind param_kind_of(cw_str name)
{
	if (SPAN_IS(name, "cause"))
		return PARAM_CAUSE;
	if (SPAN_IS(name, "text"))
		return PARAM_TEXT;
	if (SPAN_IS(name, "location"))
		return PARAM_LOCATION;
	return PARAM_EXTENSION;
}

/* RFC 3261 §7.3.1: a parameter name appears at most once; the first counts. */
static int is_repeat(const struct value_state *st, enum param_kind kind)
{
	switch (kind) {
	case PARAM_CAUSE:
		return st->r->cause >= 0;
	case PARAM_TEXT:
		return st->r->has_text;
	case PARAM_LOCATION:
		return st->seen_location;
	case PARAM_EXTENSION:
		break;
	}
	return 0; /* keep_extension() checks the kept ones */
}

/* Finish the text of reason-text: NUL after it, account for it. */
static void commit_text(cw_reason *r, struct text_sink *sink)
{
	r->has_text = 1;
	if (sink->truncated)
		r->flags |= CW_REASON_F_TEXT_TRUNCATED;
	if (!sink->buf) { /* no room at all in the caller's buffer */
		r->text.ptr = "";
		r->text.len = 0;
		return;
	}
	if (sink->truncated) {
		sink_trim_partial_utf8(sink);
	}
	sink->buf[sink->len] = '\0';
	r->text.ptr = sink->buf;
	r->text.len = sink->len;
}

/*
 * One reason-params after SEMI: name [EQUAL gen-value]. p is at the name.
 * Returns 0 and sets *ret_p past the parameter, or an error code.
 */
static int parse_param(struct value_state *st, const char *p, const char *end, const char **ret_p)
{
	cw_reason *r = st->r;
	cw_str name, value = { NULL, 0 };
	enum param_kind kind;
	const char *q;
	int repeat, err = 0;

	name.ptr = p;
	p = scan_token(p, end);
	name.len = (size_t)(p - name.ptr);
	if (name.len == 0)
		return CW_ESYNTAX;
	kind = param_kind_of(name);
	repeat = is_repeat(st, kind);

	q = skip_sws(p, end);
	if (q < end && *q == '=') {
		struct text_sink none = { NULL, 0, 0, 0 };
		struct text_sink *sink = (kind == PARAM_TEXT && !repeat) ? &st->sink : &none;

		value.ptr = skip_sws(q + 1, end);
		p = scan_gen_value(value.ptr, end, sink);
		if (!p)
			return CW_ESYNTAX;
		value.len = (size_t)(p - value.ptr);
	}
	*ret_p = p;

	if (repeat) {
		r->flags |= CW_REASON_F_DUPLICATE_PARAM;
		return 0;
	}
	switch (kind) {
	case PARAM_CAUSE: /* protocol-cause = "cause" EQUAL cause */
		err = apply_cause(r, value);
		break;
	case PARAM_TEXT: /* reason-text = "text" EQUAL quoted-string */
		if (value.len == 0 || value.ptr[0] != '"')
			return CW_ESYNTAX;
		commit_text(r, &st->sink);
		break;
	case PARAM_LOCATION: /* RFC 8606 isup-cause-location */
		st->seen_location = 1;
		apply_location(r, value);
		break;
	case PARAM_EXTENSION:
		keep_extension(r, name, value);
		break;
	}
	return err;
}

static void reset_value(cw_reason *r)
{
	r->error = 0;
	r->error_at.ptr = NULL;
	r->error_at.len = 0;
	r->protocol = CW_REASON_OTHER;
	r->protocol_token.ptr = NULL;
	r->protocol_token.len = 0;
	r->cause = -1;
	r->location = CW_LOCATION_UNKNOWN;
	r->has_text = 0;
	r->text.ptr = NULL;
	r->text.len = 0;
	r->flags = 0;
	r->nparams = 0;
}

/*
 * reason-value = protocol *(SEMI reason-params), p at the protocol token.
 * Returns 0 and sets *ret_end to the top-level comma or end, or an error.
 */
static int parse_value(struct value_state *st, const char *p, const char *end, const char **ret_end)
{
	cw_reason *r = st->r;
	int err;

	r->protocol_token.ptr = p;
	p = scan_token(p, end);
	r->protocol_token.len = (size_t)(p - r->protocol_token.ptr);
	if (r->protocol_token.len == 0)
		return CW_ESYNTAX; /* no protocol */
	r->protocol = protocol_from_token(r->protocol_token);

	for (;;) {
		p = skip_sws(p, end);
		if (p == end || *p == ',')
			break;
		if (*p != ';')
			return CW_ESYNTAX;
		err = parse_param(st, skip_sws(p + 1, end), end, &p);
		if (err)
			return err;
	}
	*ret_end = p;
	return 0;
}

/*
 * A value's raw text, without the trailing LWS before its comma. The
 * value never starts with LWS (skip_sws() ran), so this is never empty;
 * bare CR and LF are garbage and stay in it.
 */
static cw_str raw_span(const char *start, const char *stop)
{
	cw_str raw;

	for (;;) {
		const char *s = stop;

		while (s > start && has_class(s[-1], CC_WSP))
			s--;
		if (s == stop)
			break;
		stop = s;
		if (stop - start >= 2 && stop[-2] == '\r' && stop[-1] == '\n')
			stop -= 2; /* the CRLF of a fold */
	}
	raw.ptr = start;
	raw.len = (size_t)(stop - start);
	return raw;
}

static int same_protocol(const cw_reason *a, const cw_reason *b)
{
	if (a->protocol != b->protocol)
		return 0;
	if (a->protocol != CW_REASON_OTHER)
		return 1;
	return equals_nocase(a->protocol_token.ptr, a->protocol_token.len, b->protocol_token.ptr,
	                     b->protocol_token.len);
}

/* RFC 3326 §2: all values "MUST have different protocol values". */
static int protocol_seen_before(const cw_reason_list *list, const cw_reason *r)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		if (list->values[i].error == 0 && same_protocol(&list->values[i], r))
			return 1;
	}
	return 0;
}

/* Parse the value at start into the next free slot; returns its end. */
static const char *parse_and_store(cw_reason_list *list, const char *start, const char *end)
{
	struct value_state st;
	const char *value_end = end;
	cw_reason *r = &list->values[list->count];
	int err;

	st.r = r;
	st.seen_location = 0;
	st.sink.buf = NULL;
	st.sink.capacity = 0;
	st.sink.len = 0;
	st.sink.truncated = 0;
	if (list->text && list->text_used < list->text_capacity) {
		st.sink.buf = list->text + list->text_used;
		st.sink.capacity = list->text_capacity - list->text_used - 1; /* room for the NUL */
	}

	reset_value(r);
	err = parse_value(&st, start, end, &value_end);
	if (err) {
		enum cw_reason_protocol protocol = r->protocol;
		cw_str token = r->protocol_token;

		value_end = find_value_end(start, end);
		reset_value(r);
		r->protocol = protocol;
		r->protocol_token = token;
		r->error = err;
		r->error_at = raw_span(start, value_end);
	} else {
		if (r->has_text && st.sink.buf)
			list->text_used += r->text.len + 1;
		if (protocol_seen_before(list, r))
			r->flags |= CW_REASON_F_DUPLICATE;
	}
	list->count++;
	return value_end;
}

/* ---- Public API ---- */

void cw_reason_list_init(cw_reason_list *list, cw_reason *values, size_t capacity, char *text,
                         size_t text_capacity)
{
	if (!list)
		return;
	list->values = values;
	list->capacity = values ? capacity : 0;
	list->count = 0;
	list->seen = 0;
	list->text = text;
	list->text_capacity = text ? text_capacity : 0;
	list->text_used = 0;
}

int cw_reason_list_parse(cw_reason_list *list, const char *value, size_t len)
{
	const char *p = value, *end;

	if (!list || !value)
		return CW_EINVAL;
	/* One line terminator at the very end is the header line's own. */
	end = value + len;
	if (end > p && end[-1] == '\n') {
		end--;
		if (end > p && end[-1] == '\r')
			end--;
	}

	for (;;) {
		p = skip_sws(p, end);
		if (p == end)
			break;
		if (*p == ',') { /* an empty element: skipped, see the top of the file */
			p++;
			continue;
		}
		list->seen++;
		if (list->values && list->count < list->capacity)
			p = parse_and_store(list, p, end);
		else
			p = find_value_end(p, end);
		if (p < end)
			p++; /* the comma */
	}
	return 0;
}

const cw_reason *cw_reason_list_find(const cw_reason_list *list, enum cw_reason_protocol protocol)
{
	size_t i;

	if (!list || !list->values)
		return NULL;
	for (i = 0; i < list->count; i++) {
		const cw_reason *r = &list->values[i];

		if (r->error == 0 && !(r->flags & CW_REASON_F_DUPLICATE) && r->protocol == protocol)
			return r;
	}
	return NULL;
}

const char *cw_reason_protocol_name(enum cw_reason_protocol protocol)
{
	switch (protocol) {
	case CW_REASON_SIP:
		return "SIP";
	case CW_REASON_Q850:
		return "Q.850";
	case CW_REASON_PREEMPTION:
		return "preemption"; /* RFC 4411 §5 */
	case CW_REASON_OTHER:
		break;
	}
	return "other";
}

/* ---- Formatting ---- */

struct out {
	char *buf;
	size_t room; /* bytes left before the byte reserved for the NUL */
	size_t len;
	int overflow;
};

static void out_bytes(struct out *o, const char *s, size_t n)
{
	if (n > o->room) {
		o->overflow = 1;
		o->room = 0;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->room -= n;
}

static void out_string(struct out *o, const char *s)
{
	out_bytes(o, s, strlen(s));
}

static void out_decimal(struct out *o, int n)
{
	char digits[16];
	size_t i = sizeof(digits);
	unsigned v = (unsigned)n;

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	out_bytes(o, digits + i, sizeof(digits) - i);
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629 §4, no
 * overlongs, no surrogates, nothing above U+10FFFF), or 0. s[0] >= 0x80.
 */
static size_t utf8_sequence_length(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (s[1] < lo || s[1] > hi)
		return 0; /* also stops at the NUL terminator */
	for (i = 2; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	}
	return n;
}

/*
 * quoted-string (RFC 3261 §25.1): DQUOTE and "\" become quoted-pairs;
 * control characters other than HTAB (CR, LF, ...) and bytes that are not
 * well-formed UTF-8 become SP, so the result is always valid qdtext.
 */
static void out_quoted_text(struct out *o, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;

	out_bytes(o, "\"", 1);
	while (*s && !o->overflow) {
		const unsigned char *run = s;

		while (*s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\')
			s++;
		out_bytes(o, (const char *)run, (size_t)(s - run));
		if (!*s)
			break;
		if (*s == '"' || *s == '\\') {
			char pair[2] = { '\\', (char)*s };

			out_bytes(o, pair, 2);
			s++;
		} else if (*s >= 0x80) {
			size_t n = utf8_sequence_length(s);

			if (n) {
				out_bytes(o, (const char *)s, n);
				s += n;
			} else {
				out_bytes(o, " ", 1);
				s++;
			}
		} else {
			/* A control character: HTAB is LWS and stays, the rest become SP. */
			out_bytes(o, *s == '\t' ? "\t" : " ", 1);
			s++;
		}
	}
	out_bytes(o, "\"", 1);
}

int cw_reason_format(char *buf, size_t len, enum cw_reason_protocol protocol, int cause,
                     const char *text, int location, size_t *ret_len)
{
	struct out o;

	if (!buf)
		return CW_EINVAL;
	if (protocol != CW_REASON_SIP && protocol != CW_REASON_Q850 &&
	    protocol != CW_REASON_PREEMPTION)
		return CW_EINVAL;
	if (cause < 0 || !cause_in_range(protocol, cause) || cause > 999999999)
		return CW_ERANGE;
	if (len == 0)
		return CW_ENOSPC;

	o.buf = buf;
	o.room = len - 1;
	o.len = 0;
	o.overflow = 0;
	out_string(&o, cw_reason_protocol_name(protocol));
	out_string(&o, ";cause=");
	out_decimal(&o, cause);
	if (text) {
		out_string(&o, ";text=");
		out_quoted_text(&o, text);
	}
	/* RFC 8606 §3: location only with a Q.850 cause. */
	if (protocol == CW_REASON_Q850 && location >= 0 && location <= 15) {
		out_string(&o, ";location=");
		out_string(&o, cw_location_name(location));
	}
	if (o.overflow) {
		buf[0] = '\0';
		return CW_ENOSPC;
	}
	buf[o.len] = '\0';
	if (ret_len)
		*ret_len = o.len;
	return 0;
}
