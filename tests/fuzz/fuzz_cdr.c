/* SPDX-License-Identifier: MIT */
/*
 * fuzz_cdr.c — libFuzzer target for the CDR line reader of "causeway
 * audit" (bin/cdr.c): any bytes are either rejected with a one-line
 * printable message, or give a record whose every field keeps the rules
 * of docs/cdr.md.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <causeway/causeway.h>

#include "cdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cause(const cdr_cause *c)
{
	if (!c->present)
		return;
	if (c->cause < 1 || c->cause > 127 || c->location < CW_LOCATION_UNKNOWN ||
	    c->location > 15 || cw_coding_standard_name(c->coding) == NULL)
		abort();
}

static void check_record(const cdr_record *r)
{
	if (r->answered != (r->t_answer != CDR_NULL) || r->t_end < r->t_start ||
	    (r->call_id_sip == NULL && r->cref_isdn == CDR_NULL) || r->profile == NULL)
		abort();
	if (r->sip_status != CDR_NULL &&
	    (r->sip_status < 200 || r->sip_status > 699 || (r->answered != (r->sip_status < 300))))
		abort();
	check_cause(&r->cause_sent);
	check_cause(&r->cause_received);
	for (size_t i = 0; i < r->nreasons_sent; i++)
		if (r->reasons_sent[i] == NULL)
			abort();
	for (size_t i = 0; i < r->nreasons_received; i++)
		if (r->reasons_received[i] == NULL)
			abort();
	for (size_t i = 0; i < r->nroutes; i++) {
		const cdr_route *rt = &r->routes[i];

		if ((rt->target == NULL) == (rt->span == CDR_NULL) ||
		    (rt->target != NULL && (rt->status < 200 || rt->status > 699)) ||
		    (rt->target == NULL && (rt->cause < 1 || rt->cause > 127)))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[CDR_ERROR_MAX];
	cdr_record rec;
	int rc;

	memset(err, 'x', sizeof(err));
	rc = cdr_parse((const char *)data, size, &rec, err, sizeof(err));
	if (rc != 0) {
		size_t n = strnlen(err, sizeof(err));

		if (n == 0 || n == sizeof(err) || rc >= 0)
			abort();
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)err[i] < 0x20 || (unsigned char)err[i] >= 0x7f)
				abort();
		return 0;
	}
	check_record(&rec);
	cdr_record_free(&rec);
	return 0;
}
