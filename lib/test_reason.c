/* SPDX-License-Identifier: MIT */
/*
 * test_reason.c — the Reason header parser and formatter (lib/reason.c)
 * and the location / coding-standard names (lib/location.c).
 *
 * The vectors come from RFC 3326 §2, RFC 4411 §5, RFC 8606 §3/§5 and the
 * RFC 3261 §25.1 grammar; each table row says which clause it tests.
 */
#include <causeway/q850.h>
#include <causeway/reason.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/unit/check.h"

/* A string literal with its length: NUL bytes inside it are data. */
#define S(lit) lit, sizeof(lit) - 1
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define NO_CAUSE (-1)
#define NO_LOC CW_LOCATION_UNKNOWN
#define OK 0

static char text_buf[4096];
static cw_reason values[16];

static int span_equals(cw_str span, const char *want)
{
	return span.len == strlen(want) && (span.len == 0 || memcmp(span.ptr, want, span.len) == 0);
}

#define CHECK_SPAN(span, want) check_span((span), (want), #span, __FILE__, __LINE__)

static int check_span(cw_str span, const char *want, const char *what, const char *file, int line)
{
	char got[256];
	size_t n = span.len < sizeof(got) - 1 ? span.len : sizeof(got) - 1;

	if (span_equals(span, want))
		return check_one(1, what, file, line);
	if (n)
		memcpy(got, span.ptr, n);
	got[n] = '\0';
	fprintf(stderr, "%s:%d: FAILED: %s is \"%s\" (%zu bytes), want \"%s\"\n", file, line, what,
	        got, span.len, want);
	return check_one(0, what, file, line);
}

static void parse_into(cw_reason_list *list, const char *input, size_t len)
{
	CHECK_INT(cw_reason_list_parse(list, input, len), 0);
}

/* ---- One value per line ---- */

struct value_vector {
	const char *what;
	const char *input;
	size_t len;
	int error;
	enum cw_reason_protocol protocol;
	int cause;
	int location;
	const char *text; /* NULL: no text= */
	unsigned flags;
};

static const struct value_vector value_vectors[] = {
	/* RFC 3326 §2, the four examples verbatim */
	{ "RFC 3326 §2 example 1", S("SIP ;cause=200 ;text=\"Call completed elsewhere\""), OK,
	  CW_REASON_SIP, 200, NO_LOC, "Call completed elsewhere", 0 },
	{ "RFC 3326 §2 example 2", S("Q.850 ;cause=16 ;text=\"Terminated\""), OK, CW_REASON_Q850, 16,
	  NO_LOC, "Terminated", 0 },
	{ "RFC 3326 §2 example 3", S("SIP ;cause=600 ;text=\"Busy Everywhere\""), OK, CW_REASON_SIP,
	  600, NO_LOC, "Busy Everywhere", 0 },
	{ "RFC 3326 §2 example 4", S("SIP ;cause=580 ;text=\"Precondition Failure\""), OK,
	  CW_REASON_SIP, 580, NO_LOC, "Precondition Failure", 0 },
	/* RFC 8606 §5, folded as in the RFC */
	{ "RFC 8606 §5 example (folded)",
	  S("Q.850;cause=1;text=\"Unallocated (unassigned) number\";\r\n     location=LN"), OK,
	  CW_REASON_Q850, 1, CW_LOC_LN, "Unallocated (unassigned) number", 0 },
	/* RFC 4411 §5 */
	{ "RFC 4411 preemption cause 1", S("preemption ;cause=1 ;text=\"UA Preemption\""), OK,
	  CW_REASON_PREEMPTION, 1, NO_LOC, "UA Preemption", 0 },
	{ "RFC 4411 preemption cause 2, IANA spelling",
	  S("Preemption ;cause=2 ;text=\"Reserved Resources Preempted\""), OK, CW_REASON_PREEMPTION,
	  2, NO_LOC, "Reserved Resources Preempted", 0 },
	/* RFC 3261 §7.3.1 / RFC 5234 §2.3: names are case-insensitive */
	{ "lower-case protocol, upper-case param", S("q.850;CAUSE=16"), OK, CW_REASON_Q850, 16,
	  NO_LOC, NULL, 0 },
	{ "mixed-case SIP and Text", S("sIp;Cause=487;TEXT=\"Request Terminated\""), OK,
	  CW_REASON_SIP, 487, NO_LOC, "Request Terminated", 0 },
	{ "location name case-insensitive", S("Q.850;cause=16;location=ln"), OK, CW_REASON_Q850, 16,
	  CW_LOC_LN, NULL, 0 },
	/* RFC 3261 §25.1 SEMI / EQUAL / LWS */
	{ "SWS around ; and =", S("Q.850 ; cause = 16 ;\ttext = \"x\""), OK, CW_REASON_Q850, 16,
	  NO_LOC, "x", 0 },
	{ "fold before ;", S("Q.850\r\n ;cause=16"), OK, CW_REASON_Q850, 16, NO_LOC, NULL, 0 },
	{ "fold after =", S("Q.850;cause=\r\n\t16"), OK, CW_REASON_Q850, 16, NO_LOC, NULL, 0 },
	{ "leading LWS (HCOLON SWS)", S("  \r\n Q.850;cause=16"), OK, CW_REASON_Q850, 16, NO_LOC,
	  NULL, 0 },
	{ "header line terminator accepted", S("SIP;cause=200\r\n"), OK, CW_REASON_SIP, 200, NO_LOC,
	  NULL, 0 },
	{ "CRLF without SP/HTAB is not a fold", S("Q.850\r\n;cause=16"), CW_ESYNTAX, CW_REASON_Q850,
	  NO_CAUSE, NO_LOC, NULL, 0 },
	/* quoted-string and quoted-pair, RFC 3261 §25.1 */
	{ "quoted-pairs unescaped", S("Q.850;cause=16;text=\"a \\\"b\\\" \\\\ c\""), OK,
	  CW_REASON_Q850, 16, NO_LOC, "a \"b\" \\ c", 0 },
	{ "comma inside quotes", S("Q.850;cause=16;text=\"a, b\""), OK, CW_REASON_Q850, 16, NO_LOC,
	  "a, b", 0 },
	{ "fold inside quotes is one SP", S("Q.850;cause=16;text=\"a\r\n   b\""), OK, CW_REASON_Q850,
	  16, NO_LOC, "a b", 0 },
	{ "empty text", S("Q.850;cause=16;text=\"\""), OK, CW_REASON_Q850, 16, NO_LOC, "", 0 },
	{ "UTF8-NONASCII in text", S("Q.850;cause=1;text=\"Num\xc3\xa9ro inconnu\""), OK,
	  CW_REASON_Q850, 1, NO_LOC, "Num\xc3\xa9ro inconnu", 0 },
	{ "quoted-pair %x01 unescaped to SP", S("Q.850;cause=16;text=\"a\\\x01z\""), OK,
	  CW_REASON_Q850, 16, NO_LOC, "a z", 0 },
	{ "quoted-pair \\LF is not a quoted-pair", S("Q.850;cause=16;text=\"a\\\nb\""), CW_ESYNTAX,
	  CW_REASON_Q850, NO_CAUSE, NO_LOC, NULL, 0 },
	{ "text must be a quoted-string", S("Q.850;cause=16;text=Terminated"), CW_ESYNTAX,
	  CW_REASON_Q850, NO_CAUSE, NO_LOC, NULL, 0 },
	{ "NUL inside quotes", S("Q.850;cause=16;text=\"a\0b\""), CW_ESYNTAX, CW_REASON_Q850,
	  NO_CAUSE, NO_LOC, NULL, 0 },
	{ "NUL outside quotes", S("Q.850;cause=16\0"), CW_ESYNTAX, CW_REASON_Q850, NO_CAUSE, NO_LOC,
	  NULL, 0 },
	{ "NUL inside the protocol", S("Q.8\0" "50;cause=16"), CW_ESYNTAX, CW_REASON_OTHER, NO_CAUSE,
	  NO_LOC, NULL, 0 },
	{ "bare CR inside quotes", S("Q.850;cause=16;text=\"a\rb\""), CW_ESYNTAX, CW_REASON_Q850,
	  NO_CAUSE, NO_LOC, NULL, 0 },
	{ "bare LF inside quotes", S("Q.850;cause=16;text=\"a\nb\""), CW_ESYNTAX, CW_REASON_Q850,
	  NO_CAUSE, NO_LOC, NULL, 0 },
	{ "unbalanced quote", S("Q.850;cause=16;text=\"Terminated"), CW_ESYNTAX, CW_REASON_Q850,
	  NO_CAUSE, NO_LOC, NULL, 0 },
	/* cause = 1*DIGIT, ranges per protocol */
	{ "Q.850 cause 1 (lowest)", S("Q.850;cause=1"), OK, CW_REASON_Q850, 1, NO_LOC, NULL, 0 },
	{ "Q.850 cause 127 (highest)", S("Q.850;cause=127"), OK, CW_REASON_Q850, 127, NO_LOC, NULL,
	  0 },
	{ "Q.850 cause 0", S("Q.850;cause=0"), CW_ERANGE, CW_REASON_Q850, NO_CAUSE, NO_LOC, NULL, 0 },
	{ "Q.850 cause 128", S("Q.850;cause=128"), CW_ERANGE, CW_REASON_Q850, NO_CAUSE, NO_LOC, NULL,
	  0 },
	{ "SIP cause 100 (lowest)", S("SIP;cause=100"), OK, CW_REASON_SIP, 100, NO_LOC, NULL, 0 },
	{ "SIP cause 699 (highest)", S("SIP;cause=699"), OK, CW_REASON_SIP, 699, NO_LOC, NULL, 0 },
	{ "SIP cause 99", S("SIP;cause=99"), CW_ERANGE, CW_REASON_SIP, NO_CAUSE, NO_LOC, NULL, 0 },
	{ "SIP cause 700", S("SIP;cause=700"), CW_ERANGE, CW_REASON_SIP, NO_CAUSE, NO_LOC, NULL, 0 },
	{ "leading zeros", S("Q.850;cause=016"), OK, CW_REASON_Q850, 16, NO_LOC, NULL, 0 },
	{ "huge cause", S("Q.850;cause=99999999999999999999"), CW_ERANGE, CW_REASON_Q850, NO_CAUSE,
	  NO_LOC, NULL, 0 },
	{ "huge preemption cause", S("preemption;cause=99999999999999999999"), CW_ERANGE,
	  CW_REASON_PREEMPTION, NO_CAUSE, NO_LOC, NULL, 0 },
	{ "10-digit preemption cause", S("preemption;cause=1000000000"), CW_ERANGE,
	  CW_REASON_PREEMPTION, NO_CAUSE, NO_LOC, NULL, 0 },
	{ "cause just above INT_MAX", S("X-Vendor;cause=2147483648"), CW_ERANGE, CW_REASON_OTHER,
	  NO_CAUSE, NO_LOC, NULL, 0 },
	{ "9-digit preemption cause", S("preemption;cause=999999999"), OK, CW_REASON_PREEMPTION,
	  999999999, NO_LOC, NULL, 0 },
	{ "cause not digits", S("Q.850;cause=1a"), CW_ESYNTAX, CW_REASON_Q850, NO_CAUSE, NO_LOC, NULL,
	  0 },
	{ "quoted cause", S("Q.850;cause=\"16\""), CW_ESYNTAX, CW_REASON_Q850, NO_CAUSE, NO_LOC, NULL,
	  0 },
	{ "cause without value", S("Q.850;cause"), CW_ESYNTAX, CW_REASON_Q850, NO_CAUSE, NO_LOC, NULL,
	  0 },
	{ "cause with empty value", S("Q.850;cause="), CW_ESYNTAX, CW_REASON_Q850, NO_CAUSE, NO_LOC,
	  NULL, 0 },
	{ "negative cause", S("Q.850;cause=-16"), CW_ESYNTAX, CW_REASON_Q850, NO_CAUSE, NO_LOC, NULL,
	  0 },
	{ "no cause at all (grammar allows it)", S("Q.850;text=\"x\""), OK, CW_REASON_Q850, NO_CAUSE,
	  NO_LOC, "x", 0 },
	/* protocol = "SIP" / "Q.850" / token */
	{ "unknown protocol kept", S("X-Vendor;cause=3"), OK, CW_REASON_OTHER, 3, NO_LOC, NULL, 0 },
	{ "missing protocol", S(";cause=16"), CW_ESYNTAX, CW_REASON_OTHER, NO_CAUSE, NO_LOC, NULL, 0 },
	{ "garbage", S("@@@ ???"), CW_ESYNTAX, CW_REASON_OTHER, NO_CAUSE, NO_LOC, NULL, 0 },
	{ "two tokens", S("Q.850 16"), CW_ESYNTAX, CW_REASON_Q850, NO_CAUSE, NO_LOC, NULL, 0 },
	{ "empty parameter", S("Q.850;;cause=16"), CW_ESYNTAX, CW_REASON_Q850, NO_CAUSE, NO_LOC, NULL,
	  0 },
	/* RFC 8606 §3 location */
	{ "location on SIP ignored", S("SIP;cause=480;location=LN"), OK, CW_REASON_SIP, 480, NO_LOC,
	  NULL, CW_REASON_F_IGNORED_LOCATION },
	{ "location on preemption ignored", S("preemption;cause=1;location=U"), OK,
	  CW_REASON_PREEMPTION, 1, NO_LOC, NULL, CW_REASON_F_IGNORED_LOCATION },
	{ "unknown location name", S("Q.850;cause=16;location=XX"), OK, CW_REASON_Q850, 16, NO_LOC,
	  NULL, CW_REASON_F_BAD_LOCATION },
	{ "numeric location is not an RFC 8606 name", S("Q.850;cause=16;location=2"), OK,
	  CW_REASON_Q850, 16, NO_LOC, NULL, CW_REASON_F_BAD_LOCATION },
	{ "location without value", S("Q.850;cause=16;location"), OK, CW_REASON_Q850, 16, NO_LOC,
	  NULL, CW_REASON_F_BAD_LOCATION },
	{ "location before cause", S("Q.850;location=BI;cause=31"), OK, CW_REASON_Q850, 31,
	  CW_LOC_BI, NULL, 0 },
	/* RFC 3261 §7.3.1: a parameter at most once */
	{ "cause twice: first kept", S("Q.850;cause=16;cause=17"), OK, CW_REASON_Q850, 16, NO_LOC,
	  NULL, CW_REASON_F_DUPLICATE_PARAM },
	{ "text twice, other case: first kept", S("Q.850;cause=16;text=\"a\";TEXT=\"b\""), OK,
	  CW_REASON_Q850, 16, NO_LOC, "a", CW_REASON_F_DUPLICATE_PARAM },
	{ "location twice: first kept", S("Q.850;cause=16;location=U;location=TN"), OK,
	  CW_REASON_Q850, 16, CW_LOC_U, NULL, CW_REASON_F_DUPLICATE_PARAM },
	{ "unknown param twice", S("Q.850;cause=16;foo=1;FOO=2"), OK, CW_REASON_Q850, 16, NO_LOC,
	  NULL, CW_REASON_F_DUPLICATE_PARAM },
};

static void test_value_vectors(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(value_vectors); i++) {
		const struct value_vector *v = &value_vectors[i];
		cw_reason_list list;
		const cw_reason *r = &values[0];

		cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
		parse_into(&list, v->input, v->len);
		if (!CHECK_INT(list.count, 1) || !CHECK_INT(list.seen, 1)) {
			fprintf(stderr, "  in vector \"%s\"\n", v->what);
			continue;
		}
		if (!CHECK_INT(r->error, v->error) || !CHECK_INT(r->protocol, v->protocol) ||
		    !CHECK_INT(r->cause, v->cause) || !CHECK_INT(r->location, v->location) ||
		    !CHECK_INT(r->has_text, v->text != NULL) || !CHECK_INT(r->flags, v->flags))
			fprintf(stderr, "  in vector \"%s\"\n", v->what);
		if (v->text && !CHECK_SPAN(r->text, v->text))
			fprintf(stderr, "  in vector \"%s\"\n", v->what);
		if (v->text) /* a NUL follows the unescaped text */
			CHECK(r->text.ptr[r->text.len] == '\0');
		if (v->error) {
			/* error_at is the raw value, trailing white space trimmed */
			CHECK(r->error_at.ptr == v->input);
			CHECK(r->error_at.len > 0 && r->error_at.len <= v->len);
			CHECK(r->text.len == 0 && r->nparams == 0 && r->flags == 0);
			CHECK(cw_reason_list_find(&list, v->protocol) == NULL);
		} else {
			CHECK(cw_reason_list_find(&list, v->protocol) == r);
		}
	}
}

/* ---- Several values: one line, several lines ---- */

struct want_value {
	int error;
	enum cw_reason_protocol protocol;
	int cause;
	unsigned flags;
};

struct list_vector {
	const char *what;
	const char *lines[3]; /* NULL-terminated; each one parse call */
	size_t capacity;
	size_t seen, count;
	struct want_value want[4];
};

#define DUP CW_REASON_F_DUPLICATE

static const struct list_vector list_vectors[] = {
	{ "two values on one line",
	  { "SIP ;cause=200 ;text=\"Call completed elsewhere\", Q.850 ;cause=16 ;text=\"Terminated\"" },
	  16, 2, 2, { { OK, CW_REASON_SIP, 200, 0 }, { OK, CW_REASON_Q850, 16, 0 } } },
	{ "the same two values as two lines",
	  { "SIP ;cause=200 ;text=\"Call completed elsewhere\"", "Q.850 ;cause=16 ;text=\"Terminated\"" },
	  16, 2, 2, { { OK, CW_REASON_SIP, 200, 0 }, { OK, CW_REASON_Q850, 16, 0 } } },
	{ "COMMA with SWS and a fold", { "SIP;cause=200 \r\n , \r\n\tQ.850;cause=16" }, 16, 2, 2,
	  { { OK, CW_REASON_SIP, 200, 0 }, { OK, CW_REASON_Q850, 16, 0 } } },
	{ "RFC 3326 §2: same protocol twice, first wins", { "Q.850;cause=16, Q.850;cause=17" }, 16, 2,
	  2, { { OK, CW_REASON_Q850, 16, 0 }, { OK, CW_REASON_Q850, 17, DUP } } },
	{ "same protocol on two lines", { "Q.850;cause=16", "q.850;cause=17" }, 16, 2, 2,
	  { { OK, CW_REASON_Q850, 16, 0 }, { OK, CW_REASON_Q850, 17, DUP } } },
	{ "other protocol tokens compared case-insensitively",
	  { "X-A;cause=1, x-a;cause=2, X-B;cause=3" }, 16, 3, 3,
	  { { OK, CW_REASON_OTHER, 1, 0 }, { OK, CW_REASON_OTHER, 2, DUP },
	    { OK, CW_REASON_OTHER, 3, 0 } } },
	{ "an unusable value does not make a duplicate", { "Q.850;cause=999, Q.850;cause=16" }, 16, 2,
	  2, { { CW_ERANGE, CW_REASON_Q850, -1, 0 }, { OK, CW_REASON_Q850, 16, 0 } } },
	{ "bad value between two good ones",
	  { "SIP;cause=200, Q.850;cause=abc;text=\"x\", preemption;cause=1" }, 16, 3, 3,
	  { { OK, CW_REASON_SIP, 200, 0 }, { CW_ESYNTAX, CW_REASON_Q850, -1, 0 },
	    { OK, CW_REASON_PREEMPTION, 1, 0 } } },
	{ "unbalanced quote swallows the rest of the line",
	  { "SIP;cause=200, Q.850;cause=16;text=\"oops, preemption;cause=1" }, 16, 2, 2,
	  { { OK, CW_REASON_SIP, 200, 0 }, { CW_ESYNTAX, CW_REASON_Q850, -1, 0 } } },
	{ "the next line is read again after an unbalanced quote",
	  { "Q.850;cause=16;text=\"oops, SIP;cause=200", "Q.850;cause=17" }, 16, 2, 2,
	  { { CW_ESYNTAX, CW_REASON_Q850, -1, 0 }, { OK, CW_REASON_Q850, 17, 0 } } },
	{ "empty elements skipped", { ",, SIP;cause=200 ,, ,Q.850;cause=16,", "", "  ,  " }, 16, 2, 2,
	  { { OK, CW_REASON_SIP, 200, 0 }, { OK, CW_REASON_Q850, 16, 0 } } },
	{ "values beyond the capacity counted, not stored",
	  { "SIP;cause=200, Q.850;cause=16, preemption;cause=1" }, 1, 3, 1,
	  { { OK, CW_REASON_SIP, 200, 0 } } },
	{ "capacity 0", { "SIP;cause=200, Q.850;cause=16" }, 0, 2, 0, { { 0 } } },
};

static void test_list_vectors(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(list_vectors); i++) {
		const struct list_vector *v = &list_vectors[i];
		cw_reason_list list;
		int ok = 1;

		cw_reason_list_init(&list, values, v->capacity, text_buf, sizeof(text_buf));
		for (size_t l = 0; l < ARRAY_SIZE(v->lines) && v->lines[l]; l++)
			parse_into(&list, v->lines[l], strlen(v->lines[l]));
		ok &= CHECK_INT(list.seen, v->seen);
		ok &= CHECK_INT(list.count, v->count);
		for (size_t k = 0; k < list.count && k < v->count; k++) {
			ok &= CHECK_INT(values[k].error, v->want[k].error);
			ok &= CHECK_INT(values[k].protocol, v->want[k].protocol);
			ok &= CHECK_INT(values[k].cause, v->want[k].cause);
			ok &= CHECK_INT(values[k].flags, v->want[k].flags);
		}
		if (!ok)
			fprintf(stderr, "  in vector \"%s\"\n", v->what);
	}
}

/* Details the tables do not show: spans, find(), the text buffer. */
static void test_spans_and_find(void)
{
	static const char line[] = "SIP;cause=200, Q.850;text=\"x\";cause=abc , Q.850;cause=16, "
	                           "Q.850;cause=17;text=\"second\", X-Vendor;cause=3";
	cw_reason_list list;
	const cw_reason *r;

	cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
	parse_into(&list, line, strlen(line));
	CHECK_INT(list.count, 5);
	CHECK_SPAN(values[1].error_at, "Q.850;text=\"x\";cause=abc");
	CHECK_SPAN(values[1].protocol_token, "Q.850");
	r = cw_reason_list_find(&list, CW_REASON_Q850);
	CHECK(r == &values[2]);
	CHECK(r && r->cause == 16);
	CHECK(values[3].flags & CW_REASON_F_DUPLICATE);
	CHECK(cw_reason_list_find(&list, CW_REASON_PREEMPTION) == NULL);
	r = cw_reason_list_find(&list, CW_REASON_OTHER);
	CHECK(r == &values[4]);
	CHECK(r && span_equals(r->protocol_token, "X-Vendor"));
	/* the failed value's text was rolled back: only "second\0" is used */
	CHECK_INT(list.text_used, 7);
	CHECK_SPAN(values[3].text, "second");
	CHECK(cw_reason_list_find(NULL, CW_REASON_SIP) == NULL);

	/* unbalanced quote: the bad value runs to the end of the line */
	{
		static const char bad[] = "SIP;cause=200, Q.850;cause=16;text=\"oops, preemption;cause=1 ";

		cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
		parse_into(&list, bad, strlen(bad));
		CHECK_SPAN(values[1].error_at, "Q.850;cause=16;text=\"oops, preemption;cause=1");
		CHECK(cw_reason_list_find(&list, CW_REASON_SIP) == &values[0]);
	}
	/* a bare LF is not LWS: it is a bad value of its own, and its raw text */
	{
		static const char lf[] = "SIP;cause=200,\n,Q.850;cause=16 \r\n ";

		cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
		parse_into(&list, lf, strlen(lf));
		CHECK_INT(list.count, 3);
		CHECK_INT(values[1].error, CW_ESYNTAX);
		CHECK_SPAN(values[1].error_at, "\n");
		CHECK_INT(values[2].error, 0);
		CHECK_INT(values[2].cause, 16);
	}
	/* trailing LWS, folds included, is not part of error_at */
	{
		static const char lws[] = "SIP;cause=abc \r\n\t , Q.850;cause=16";

		cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
		parse_into(&list, lws, strlen(lws));
		CHECK_SPAN(values[0].error_at, "SIP;cause=abc");
		CHECK_INT(values[1].cause, 16);
	}
	/* NUL inside quotes: the value ends at the comma after the closing quote */
	{
		static const char nul[] = "Q.850;cause=16;text=\"a\0, b\", SIP;cause=200";

		cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
		parse_into(&list, nul, sizeof(nul) - 1);
		CHECK_INT(list.count, 2);
		CHECK_INT(values[0].error, CW_ESYNTAX);
		CHECK_INT(values[0].error_at.len, 27);
		CHECK_INT(values[1].error, 0);
		CHECK_INT(values[1].cause, 200);
	}
}

/* reason-extension = generic-param (RFC 3326 §2, RFC 3261 §25.1). */
static void test_extension_params(void)
{
	static const char line[] =
	    "SIP;cause=200;foo;Bar=baz;qs=\"a, \\\"b\\\"\";host=gw1.example.com;v6=[2001:db8::1];"
	    "ip=192.0.2.1";
	static const struct {
		const char *name, *value;
	} want[] = {
		{ "foo", NULL },       { "Bar", "baz" },
		{ "qs", "\"a, \\\"b\\\"\"" }, { "host", "gw1.example.com" },
		{ "v6", "[2001:db8::1]" }, { "ip", "192.0.2.1" },
	};
	cw_reason_list list;
	const cw_reason *r = &values[0];

	cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
	parse_into(&list, line, strlen(line));
	CHECK_INT(r->error, 0);
	CHECK_INT(r->cause, 200);
	CHECK_INT(r->flags, 0);
	if (CHECK_INT(r->nparams, ARRAY_SIZE(want))) {
		for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
			CHECK_SPAN(r->params[i].name, want[i].name);
			if (want[i].value)
				CHECK_SPAN(r->params[i].value, want[i].value);
			else
				CHECK(r->params[i].value.ptr == NULL && r->params[i].value.len == 0);
		}
	}

	/* more than CW_REASON_MAX_PARAMS: the first ones kept, flagged */
	{
		static const char many[] = "Q.850;cause=16;a=1;b=2;c=3;d=4;e=5;f=6;g=7;h=8;i=9;j=10";

		cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
		parse_into(&list, many, strlen(many));
		CHECK_INT(r->error, 0);
		CHECK_INT(r->nparams, CW_REASON_MAX_PARAMS);
		CHECK_INT(r->flags, CW_REASON_F_PARAMS_TRUNCATED);
		CHECK_SPAN(r->params[7].name, "h");
	}

	/* a generic-param value must be token / host / quoted-string */
	{
		static const char *const bad[] = {
			"Q.850;cause=16;foo=", "Q.850;cause=16;foo=[]", "Q.850;cause=16;foo=[x]",
			"Q.850;cause=16;foo=\"a", "Q.850;cause=16;foo=a b", "Q.850;cause=16;=x",
		};

		for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
			cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf,
			                    sizeof(text_buf));
			parse_into(&list, bad[i], strlen(bad[i]));
			if (!CHECK_INT(r->error, CW_ESYNTAX))
				fprintf(stderr, "  for \"%s\"\n", bad[i]);
		}
	}
}

/* The caller's text buffer runs out: text cut, value still usable. */
static void test_text_truncation(void)
{
	static const char line[] = "Q.850;cause=16;text=\"Normal call clearing\", SIP;cause=200;text=\"x\"";
	char small[8];
	cw_reason_list list;

	cw_reason_list_init(&list, values, ARRAY_SIZE(values), small, sizeof(small));
	parse_into(&list, line, strlen(line));
	CHECK_INT(list.count, 2);
	CHECK_INT(values[0].error, 0);
	CHECK_INT(values[0].cause, 16);
	CHECK_INT(values[0].flags, CW_REASON_F_TEXT_TRUNCATED);
	CHECK_SPAN(values[0].text, "Normal ");
	CHECK_INT(list.text_used, 8);
	CHECK_INT(values[1].error, 0);
	CHECK_INT(values[1].has_text, 1);
	CHECK_INT(values[1].text.len, 0);
	CHECK_INT(values[1].flags, CW_REASON_F_TEXT_TRUNCATED);

	/* never a UTF-8 sequence cut in half (RFC 3629) */
	{
		static const char utf8[] = "Q.850;cause=1;text=\"ab\xc3\xa9\"";

		cw_reason_list_init(&list, values, ARRAY_SIZE(values), small, 4);
		parse_into(&list, utf8, strlen(utf8));
		CHECK_SPAN(values[0].text, "ab");
		CHECK_INT(values[0].flags, CW_REASON_F_TEXT_TRUNCATED);
	}
	{
		static const char euro[] = "Q.850;cause=1;text=\"a\xe2\x82\xac\"";

		cw_reason_list_init(&list, values, ARRAY_SIZE(values), small, 4);
		parse_into(&list, euro, strlen(euro));
		CHECK_SPAN(values[0].text, "a");
		CHECK_INT(values[0].flags, CW_REASON_F_TEXT_TRUNCATED);
	}
	/* no text buffer at all */
	cw_reason_list_init(&list, values, ARRAY_SIZE(values), NULL, 0);
	parse_into(&list, line, strlen(line));
	CHECK_INT(values[0].error, 0);
	CHECK_INT(values[0].has_text, 1);
	CHECK_INT(values[0].text.len, 0);
	CHECK_INT(values[0].flags, CW_REASON_F_TEXT_TRUNCATED);
	/* empty text fits a buffer that only has room for the NUL */
	{
		static const char empty[] = "Q.850;cause=1;text=\"\"";

		cw_reason_list_init(&list, values, ARRAY_SIZE(values), small, 1);
		parse_into(&list, empty, strlen(empty));
		CHECK_INT(values[0].flags, 0);
		CHECK_INT(values[0].text.len, 0);
		CHECK_INT(list.text_used, 1);
	}
}

/* ---- Volume ---- */

static void test_many_values(void)
{
	static const char one[] = "Q.850;cause=16;text=\"Normal call clearing\",";
	const size_t n = 10000, one_len = sizeof(one) - 1;
	char *line = malloc(n * one_len);
	cw_reason_list list;

	if (!CHECK(line != NULL))
		return;
	for (size_t i = 0; i < n; i++)
		memcpy(line + i * one_len, one, one_len);
	cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
	parse_into(&list, line, n * one_len);
	CHECK_INT(list.seen, 10000);
	CHECK_INT(list.count, 16);
	CHECK_INT(values[0].flags, 0);
	CHECK_INT(values[15].flags, CW_REASON_F_DUPLICATE);
	CHECK(cw_reason_list_find(&list, CW_REASON_Q850) == &values[0]);
	free(line);
}

/* Every span a parse returns lies inside the input or the text buffer. */
static int spans_inside(const cw_reason_list *list, const char *in, size_t len)
{
	for (size_t i = 0; i < list->count; i++) {
		const cw_reason *r = &list->values[i];
		const cw_str in_spans[] = { r->error_at, r->protocol_token };

		for (size_t k = 0; k < ARRAY_SIZE(in_spans); k++) {
			if (in_spans[k].len && (in_spans[k].ptr < in || in_spans[k].ptr + in_spans[k].len > in + len))
				return 0;
		}
		if (r->text.len &&
		    (r->text.ptr < list->text || r->text.ptr + r->text.len > list->text + list->text_capacity))
			return 0;
	}
	return list->count <= list->capacity && list->text_used <= list->text_capacity;
}

static void test_garbage_mib(void)
{
	const size_t len = 1u << 20;
	char *line = malloc(len);
	unsigned long state = 12345;
	cw_reason_list list;

	if (!CHECK(line != NULL))
		return;
	/* random bytes: commas, quotes, NULs, CRLFs all appear */
	for (size_t i = 0; i < len; i++) {
		state = state * 1103515245ul + 12345ul;
		line[i] = (char)(state >> 16);
	}
	cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
	parse_into(&list, line, len);
	CHECK(list.seen >= 1);
	CHECK(spans_inside(&list, line, len));

	/* the same size with no comma: one bad value spanning it all */
	memset(line, '@', len);
	cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
	parse_into(&list, line, len);
	CHECK_INT(list.seen, 1);
	CHECK_INT(values[0].error, CW_ESYNTAX);
	CHECK_INT(values[0].error_at.len, len);

	/* one MiB of a single unterminated quoted string after a good value */
	memset(line, 'x', len);
	memcpy(line, "SIP;cause=200,Q.850;text=\"", 26);
	cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
	parse_into(&list, line, len);
	CHECK_INT(list.count, 2);
	CHECK_INT(values[0].error, 0);
	CHECK_INT(values[1].error, CW_ESYNTAX);
	CHECK_INT(list.text_used, 0);
	free(line);
}

/* ---- Locations, RFC 8606 Figure 1 / Q.850 §2.2.3 ---- */

static const struct {
	int location;
	const char *name, *description;
} location_vectors[] = {
	{ 0, "U", "user" },
	{ 1, "LPN", "private network serving the local user" },
	{ 2, "LN", "public network serving the local user" },
	{ 3, "TN", "transit network" },
	{ 4, "RLN", "public network serving the remote user" },
	{ 5, "RPN", "private network serving the remote user" },
	{ 6, "LOC-6", "spare" },
	{ 7, "INTL", "international network" },
	{ 8, "LOC-8", "spare" },
	{ 9, "LOC-9", "spare" },
	{ 10, "BI", "network beyond interworking point" },
	{ 11, "LOC-11", "spare" },
	{ 12, "LOC-12", "reserved for national use" },
	{ 13, "LOC-13", "reserved for national use" },
	{ 14, "LOC-14", "reserved for national use" },
	{ 15, "LOC-15", "reserved for national use" },
};

static void test_locations(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(location_vectors); i++) {
		int loc = location_vectors[i].location, got = -1;
		const char *name = location_vectors[i].name;
		char lower[16], line[64], decimal[4];
		size_t n = strlen(name);
		cw_reason_list list;

		CHECK_STR(cw_location_name(loc), name);
		CHECK_STR(cw_location_description(loc), location_vectors[i].description);
		CHECK_INT(cw_location_from_name(name, n, &got), 0);
		CHECK_INT(got, loc);
		for (size_t k = 0; k <= n; k++)
			lower[k] = (char)((name[k] >= 'A' && name[k] <= 'Z') ? name[k] + 32 : name[k]);
		got = -1;
		CHECK_INT(cw_location_from_name(lower, n, &got), 0);
		CHECK_INT(got, loc);
		snprintf(decimal, sizeof(decimal), "%d", loc);
		got = -1;
		CHECK_INT(cw_location_from_name(decimal, strlen(decimal), &got), 0);
		CHECK_INT(got, loc);

		/* the wire name parses, in any case */
		snprintf(line, sizeof(line), "Q.850;cause=16;location=%s", lower);
		cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
		parse_into(&list, line, strlen(line));
		CHECK_INT(values[0].location, loc);
		CHECK_INT(values[0].flags, 0);

		/* format -> parse keeps it */
		CHECK_INT(cw_reason_format(line, sizeof(line), CW_REASON_Q850, 16, NULL, loc, NULL), 0);
		cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
		parse_into(&list, line, strlen(line));
		CHECK_INT(values[0].location, loc);
	}
	{
		static const char *const unknown[] = { "", "X", "LOC-5", "LOC-16", "16", "007", "-1",
			                               "LNX", "L", "U " };
		for (size_t i = 0; i < ARRAY_SIZE(unknown); i++) {
			int got = 99;

			if (!CHECK_INT(cw_location_from_name(unknown[i], strlen(unknown[i]), &got),
			               CW_ENOENT))
				fprintf(stderr, "  for \"%s\"\n", unknown[i]);
			CHECK_INT(got, 99);
		}
	}
	{
		int got = 99;

		CHECK_INT(cw_location_from_name("07", 2, &got), 0);
		CHECK_INT(got, 7);
		CHECK_INT(cw_location_from_name("TNx", 2, &got), 0); /* len counts, not the NUL */
		CHECK_INT(got, 3);
		CHECK_INT(cw_location_from_name(NULL, 0, &got), CW_EINVAL);
		CHECK_INT(cw_location_from_name("U", 1, NULL), CW_EINVAL);
	}
	CHECK(cw_location_name(-1) == NULL);
	CHECK(cw_location_name(16) == NULL);
	CHECK(cw_location_description(16) == NULL);

	/* Q.850 §2.2.2 coding standards */
	CHECK_STR(cw_coding_standard_name(CW_CODING_ITU), "itu-t");
	CHECK_STR(cw_coding_standard_name(CW_CODING_ISO), "iso-iec");
	CHECK_STR(cw_coding_standard_name(CW_CODING_NATIONAL), "national");
	CHECK_STR(cw_coding_standard_name(CW_CODING_NETWORK), "network");
	CHECK(cw_coding_standard_name(4) == NULL);
	CHECK(cw_coding_standard_name(-1) == NULL);
}

/* ---- cw_reason_format() ---- */

struct format_vector {
	const char *what;
	enum cw_reason_protocol protocol;
	int cause;
	const char *text;
	int location;
	int result;
	const char *want;
};

static const struct format_vector format_vectors[] = {
	{ "Q.850 with text and location", CW_REASON_Q850, 16, "Normal call clearing", CW_LOC_U, OK,
	  "Q.850;cause=16;text=\"Normal call clearing\";location=U" },
	{ "quote and backslash as quoted-pairs", CW_REASON_Q850, 1, "say \"no\" \\ bye", CW_LOC_LN,
	  OK, "Q.850;cause=1;text=\"say \\\"no\\\" \\\\ bye\";location=LN" },
	{ "CR, LF and controls become SP, HTAB stays", CW_REASON_Q850, 16, "a\r\nb\x01\tc",
	  NO_LOC, OK, "Q.850;cause=16;text=\"a  b \tc\"" },
	{ "valid UTF-8 kept", CW_REASON_Q850, 1, "Num\xc3\xa9ro \xe2\x82\xac \xf0\x9f\x93\x9e",
	  NO_LOC, OK, "Q.850;cause=1;text=\"Num\xc3\xa9ro \xe2\x82\xac \xf0\x9f\x93\x9e\"" },
	{ "invalid UTF-8 becomes SP", CW_REASON_Q850, 1, "a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d\xc3",
	  NO_LOC, OK, "Q.850;cause=1;text=\"a b  c   d \"" },
	{ "UTF-8 edges (RFC 3629 §4)", CW_REASON_Q850, 1,
	  "\xe0\xa4\x85|\xf4\x8f\xbf\xbf|\xf4\x90\x80\x80|\xe2\x82X|\xe0\x80\x80", NO_LOC, OK,
	  "Q.850;cause=1;text=\"\xe0\xa4\x85|\xf4\x8f\xbf\xbf|    |  X|   \"" },
	{ "SIP, no text", CW_REASON_SIP, 200, NULL, NO_LOC, OK, "SIP;cause=200" },
	{ "SIP: location not written", CW_REASON_SIP, 480, "Temporarily Unavailable", CW_LOC_LN, OK,
	  "SIP;cause=480;text=\"Temporarily Unavailable\"" },
	{ "preemption", CW_REASON_PREEMPTION, 1, "UA Preemption", NO_LOC, OK,
	  "preemption;cause=1;text=\"UA Preemption\"" },
	{ "location 16 not written", CW_REASON_Q850, 16, NULL, 16, OK, "Q.850;cause=16" },
	{ "empty text", CW_REASON_Q850, 127, "", CW_LOC_BI, OK,
	  "Q.850;cause=127;text=\"\";location=BI" },
	{ "Q.850 cause 0", CW_REASON_Q850, 0, NULL, NO_LOC, CW_ERANGE, NULL },
	{ "Q.850 cause 128", CW_REASON_Q850, 128, NULL, NO_LOC, CW_ERANGE, NULL },
	{ "SIP cause 99", CW_REASON_SIP, 99, NULL, NO_LOC, CW_ERANGE, NULL },
	{ "SIP cause 700", CW_REASON_SIP, 700, NULL, NO_LOC, CW_ERANGE, NULL },
	{ "preemption cause -1", CW_REASON_PREEMPTION, -1, NULL, NO_LOC, CW_ERANGE, NULL },
	{ "protocol other", CW_REASON_OTHER, 1, NULL, NO_LOC, CW_EINVAL, NULL },
	{ "protocol out of the enum", (enum cw_reason_protocol)9, 1, NULL, NO_LOC, CW_EINVAL, NULL },
};

static void test_format_vectors(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(format_vectors); i++) {
		const struct format_vector *v = &format_vectors[i];
		char buf[256];
		size_t len = 12345;
		int rc;

		memset(buf, 'Z', sizeof(buf));
		rc = cw_reason_format(buf, sizeof(buf), v->protocol, v->cause, v->text, v->location,
		                      &len);
		if (!CHECK_INT(rc, v->result)) {
			fprintf(stderr, "  in vector \"%s\"\n", v->what);
			continue;
		}
		if (v->want) {
			if (!CHECK_STR(buf, v->want))
				fprintf(stderr, "  in vector \"%s\"\n", v->what);
			CHECK_INT(len, strlen(v->want));
		} else {
			CHECK_INT(len, 12345); /* not written on failure */
		}
	}
	{
		char buf[8];

		CHECK_INT(cw_reason_format(NULL, 10, CW_REASON_SIP, 200, NULL, -1, NULL), CW_EINVAL);
		CHECK_INT(cw_reason_format(buf, 0, CW_REASON_SIP, 200, NULL, -1, NULL), CW_ENOSPC);
	}
}

/* CW_ENOSPC at every length short of the need; nothing written past len. */
static void test_format_enospc(void)
{
	static const char want[] = "Q.850;cause=16;text=\"a \\\"b\\\"\";location=TN";
	char buf[sizeof(want) + 8];
	size_t need = sizeof(want) - 1;

	for (size_t len = 1; len <= need; len++) {
		memset(buf, 'Z', sizeof(buf));
		if (!CHECK_INT(cw_reason_format(buf, len, CW_REASON_Q850, 16, "a \"b\"", CW_LOC_TN,
		                                NULL),
		               CW_ENOSPC))
			fprintf(stderr, "  at len %zu\n", len);
		CHECK(buf[0] == '\0');
		for (size_t k = len; k < sizeof(buf); k++)
			CHECK(buf[k] == 'Z');
	}
	memset(buf, 'Z', sizeof(buf));
	CHECK_INT(cw_reason_format(buf, need + 1, CW_REASON_Q850, 16, "a \"b\"", CW_LOC_TN, NULL), 0);
	CHECK_STR(buf, want);
	CHECK(buf[need + 1] == 'Z');
}

/* format -> parse: what was written is what is read. */
static void test_format_parse_round_trip(void)
{
	static const struct {
		enum cw_reason_protocol protocol;
		int cause;
		const char *text;
		int location;
	} trips[] = {
		{ CW_REASON_Q850, 16, "Normal call clearing", CW_LOC_U },
		{ CW_REASON_Q850, 1, "say \"no\", \\ then, go", CW_LOC_BI },
		{ CW_REASON_Q850, 127, NULL, 15 },
		{ CW_REASON_SIP, 200, "Call completed elsewhere", NO_LOC },
		{ CW_REASON_SIP, 699, "", NO_LOC },
		{ CW_REASON_PREEMPTION, 4, "Non-IP Preemption", NO_LOC },
		{ CW_REASON_Q850, 34, "Num\xc3\xa9ro \ttab", CW_LOC_INTL },
	};

	for (size_t i = 0; i < ARRAY_SIZE(trips); i++) {
		char line[256];
		cw_reason_list list;
		const cw_reason *r = &values[0];

		CHECK_INT(cw_reason_format(line, sizeof(line), trips[i].protocol, trips[i].cause,
		                           trips[i].text, trips[i].location, NULL),
		          0);
		cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
		parse_into(&list, line, strlen(line));
		CHECK_INT(list.count, 1);
		CHECK_INT(r->error, 0);
		CHECK_INT(r->protocol, trips[i].protocol);
		CHECK_INT(r->cause, trips[i].cause);
		CHECK_INT(r->location, trips[i].location);
		CHECK_INT(r->has_text, trips[i].text != NULL);
		if (trips[i].text)
			CHECK_SPAN(r->text, trips[i].text);
		CHECK_INT(r->flags, 0);
	}
}

static void test_misc_api(void)
{
	cw_reason_list list;

	CHECK_STR(cw_reason_protocol_name(CW_REASON_SIP), "SIP");
	CHECK_STR(cw_reason_protocol_name(CW_REASON_Q850), "Q.850");
	CHECK_STR(cw_reason_protocol_name(CW_REASON_PREEMPTION), "preemption");
	CHECK_STR(cw_reason_protocol_name(CW_REASON_OTHER), "other");

	cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
	CHECK_INT(cw_reason_list_parse(NULL, "SIP", 3), CW_EINVAL);
	CHECK_INT(cw_reason_list_parse(&list, NULL, 0), CW_EINVAL);
	CHECK_INT(list.seen, 0);
	cw_reason_list_init(NULL, values, 1, NULL, 0); /* does nothing */

	/* no values array: values are counted only */
	cw_reason_list_init(&list, NULL, 4, NULL, 0);
	parse_into(&list, "SIP;cause=200", 13);
	CHECK_INT(list.seen, 1);
	CHECK_INT(list.count, 0);
	CHECK(cw_reason_list_find(&list, CW_REASON_SIP) == NULL);

	/* the input is read only up to len */
	cw_reason_list_init(&list, values, ARRAY_SIZE(values), text_buf, sizeof(text_buf));
	parse_into(&list, "SIP;cause=200garbage", 13);
	CHECK_INT(values[0].error, 0);
	CHECK_INT(values[0].cause, 200);
}

int main(void)
{
	test_value_vectors();
	test_list_vectors();
	test_spans_and_find();
	test_extension_params();
	test_text_truncation();
	test_many_values();
	test_garbage_mib();
	test_locations();
	test_format_vectors();
	test_format_enospc();
	test_format_parse_round_trip();
	test_misc_api();
	return check_done();
}
