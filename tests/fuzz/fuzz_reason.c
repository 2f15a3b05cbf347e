/* SPDX-License-Identifier: MIT */
/*
 * fuzz_reason.c — libFuzzer target for the Reason header parser and
 * formatter (lib/reason.c).
 *
 * The input is parsed once whole and once line by line (each '\n'-ended
 * piece is one cw_reason_list_parse() call, as for repeated header lines),
 * with small capacities so the "list full" and "text buffer full" paths
 * run. Every result is checked against the contract in reason.h, and every
 * usable value is formatted with cw_reason_format() and parsed again: the
 * protocol, cause and location must survive, and so must the text (byte
 * for byte, except that bytes which are not UTF-8 may become SP).
 * Any violation calls abort().
 */
#include <causeway/q850.h>
#include <causeway/reason.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int condition)
{
	if (!condition)
		abort();
}

static int span_inside(cw_str span, const char *base, size_t len)
{
	if (span.len == 0)
		return 1;
	return span.ptr >= base && span.len <= len && (size_t)(span.ptr - base) <= len - span.len;
}

static int cause_fits(enum cw_reason_protocol protocol, int cause)
{
	if (cause == -1)
		return 1;
	switch (protocol) {
	case CW_REASON_Q850:
		return cause >= 1 && cause <= 127;
	case CW_REASON_SIP:
		return cause >= 100 && cause <= 699;
	case CW_REASON_PREEMPTION:
	case CW_REASON_OTHER:
		break;
	}
	return cause >= 0;
}

static int same_protocol(const cw_reason *a, const cw_reason *b)
{
	if (a->protocol != b->protocol)
		return 0;
	if (a->protocol != CW_REASON_OTHER)
		return 1;
	if (a->protocol_token.len != b->protocol_token.len)
		return 0;
	for (size_t i = 0; i < a->protocol_token.len; i++) {
		unsigned char x = (unsigned char)a->protocol_token.ptr[i];
		unsigned char y = (unsigned char)b->protocol_token.ptr[i];

		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y + 32);
		if (x != y)
			return 0;
	}
	return 1;
}

/* The contract of reason.h, value by value. */
static void check_value(const cw_reason_list *list, size_t index, const char *in, size_t len)
{
	const cw_reason *r = &list->values[index];
	int earlier_usable = 0;

	require(span_inside(r->error_at, in, len));
	require(span_inside(r->protocol_token, in, len));
	require(r->location >= CW_LOCATION_UNKNOWN && r->location <= 15);
	require(r->nparams <= CW_REASON_MAX_PARAMS);
	if (r->error) {
		require(r->error == CW_ESYNTAX || r->error == CW_ERANGE);
		require(r->error_at.len > 0);
		require(r->flags == 0 && r->nparams == 0 && !r->has_text && r->cause == -1);
		return;
	}
	require(r->protocol_token.len > 0);
	require(cause_fits(r->protocol, r->cause));
	require(r->location == CW_LOCATION_UNKNOWN || r->protocol == CW_REASON_Q850);
	for (size_t i = 0; i < r->nparams; i++) {
		require(r->params[i].name.len > 0 && span_inside(r->params[i].name, in, len));
		require(span_inside(r->params[i].value, in, len));
	}
	if (r->has_text) {
		require(r->text.ptr != NULL && r->text.ptr[r->text.len] == '\0');
		require(memchr(r->text.ptr, '\0', r->text.len) == NULL);
		for (size_t i = 0; i < r->text.len; i++)
			require(r->text.ptr[i] != '\r' && r->text.ptr[i] != '\n');
		if (r->text.len)
			require(span_inside(r->text, list->text, list->text_used));
	}
	for (size_t i = 0; i < index; i++) {
		if (list->values[i].error == 0 && same_protocol(&list->values[i], r))
			earlier_usable = 1;
	}
	require(earlier_usable == !!(r->flags & CW_REASON_F_DUPLICATE));
}

static void check_list(const cw_reason_list *list, const char *in, size_t len)
{
	static const enum cw_reason_protocol protocols[] = { CW_REASON_OTHER, CW_REASON_SIP,
		                                              CW_REASON_Q850, CW_REASON_PREEMPTION };

	require(list->count <= list->capacity && list->count <= list->seen);
	require(list->text_used <= list->text_capacity);
	for (size_t i = 0; i < list->count; i++)
		check_value(list, i, in, len);
	for (size_t p = 0; p < sizeof(protocols) / sizeof(protocols[0]); p++) {
		const cw_reason *found = cw_reason_list_find(list, protocols[p]);
		const cw_reason *first = NULL;

		for (size_t i = 0; i < list->count && !first; i++) {
			const cw_reason *r = &list->values[i];

			if (r->error == 0 && !(r->flags & CW_REASON_F_DUPLICATE) && r->protocol == protocols[p])
				first = r;
		}
		require(found == first);
	}
}

/* format -> parse must give back what was formatted. */
static void check_round_trip(const cw_reason *r)
{
	char line[512], text[256];
	cw_reason again_values[2];
	cw_reason_list again;
	const cw_reason *a = &again_values[0];
	size_t line_len = 0;

	if (r->error || r->protocol == CW_REASON_OTHER || r->cause < 0)
		return; /* cw_reason_format() needs a known protocol and a cause */
	require(cw_reason_format(line, sizeof(line), r->protocol, r->cause,
	                         r->has_text ? r->text.ptr : NULL, r->location, &line_len) == 0);
	require(line_len == strlen(line));

	cw_reason_list_init(&again, again_values, 2, text, sizeof(text));
	require(cw_reason_list_parse(&again, line, line_len) == 0);
	require(again.count == 1 && again.seen == 1);
	require(a->error == 0 && a->flags == 0);
	require(a->protocol == r->protocol);
	require(a->cause == r->cause);
	require(a->location == r->location);
	require(a->has_text == r->has_text);
	if (r->has_text) {
		require(a->text.len == r->text.len);
		for (size_t i = 0; i < r->text.len; i++) {
			unsigned char was = (unsigned char)r->text.ptr[i];
			unsigned char is = (unsigned char)a->text.ptr[i];

			require(is == was || (was >= 0x80 && is == ' '));
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	cw_reason values[4];
	char text[64];
	cw_reason_list list;
	int location;

	/* the whole input as one header line */
	cw_reason_list_init(&list, values, 4, text, sizeof(text));
	require(cw_reason_list_parse(&list, in, size) == 0);
	check_list(&list, in, size);
	for (size_t i = 0; i < list.count; i++)
		check_round_trip(&values[i]);

	/* line by line into one list (repeated header lines), tighter buffers */
	cw_reason_list_init(&list, values, 3, text, 16);
	for (const char *p = in, *end = in + size; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *stop = nl ? nl + 1 : end;

		require(cw_reason_list_parse(&list, p, (size_t)(stop - p)) == 0);
		check_list(&list, in, size);
		p = stop;
	}
	for (size_t i = 0; i < list.count; i++)
		check_round_trip(&values[i]);

	/* the location names */
	if (cw_location_from_name(in, size, &location) == 0)
		require(location >= 0 && location <= 15 && cw_location_name(location) != NULL);
	return 0;
}
