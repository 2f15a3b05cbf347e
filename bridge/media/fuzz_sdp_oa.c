/* SPDX-License-Identifier: MIT */
/*
 * fuzz_sdp_oa.c — libFuzzer target of offer/answer: every input is
 * answered as an offer on a span of each law, then again as a re-offer of
 * the session it made, and processed as the answer to our offer and to a
 * re-offer. The checks are the module's contracts: an accepted result
 * names a served stream and a written answer, a refused one 488 with
 * cause 65 and Warning 304/305, or cause 31 and Warning 399.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sdp_oa.h"

static void check_result(const struct cwm_sdp_oa_result *res)
{
	if (res->accepted) {
		if (res->sip_status || res->cause || res->warning)
			abort();
		if (res->media.ptime < 10 || res->media.ptime > 30 || res->media.pt < 0 ||
		    res->media.pt > 127 || (res->media.family != 4 && res->media.family != 6))
			abort();
	} else if (res->sip_status != 488 || !res->warning_text ||
	           res->cause != (res->warning == 399 ? 31 : 65)) {
		abort();
	}
}

static void answer_twice(const char *sdp, size_t size, enum cwm_sdp_oa_law law)
{
	struct cwm_sdp_oa_config config = {
		.law = law, .address = "192.0.2.10", .port = 20000, .session_id = 1,
	};
	struct cwm_sdp_oa *oa;
	struct cwm_sdp_oa_result res;
	char buf[16384];
	size_t len;
	int pass;

	if (cwm_sdp_oa_new(&config, &oa) != 0)
		abort();
	for (pass = 0; pass < 2; pass++) {
		if (cwm_sdp_oa_answer(oa, sdp, size, buf, sizeof(buf), &len, &res) != 0)
			abort();
		check_result(&res);
		if (res.accepted && (len == 0 || strlen(buf) != len))
			abort();
	}
	/* Our re-offer after that, and the input as its answer. */
	if (cwm_sdp_oa_offer(oa, CWM_SDP_OA_SENDONLY, buf, sizeof(buf), &len) != 0)
		abort();
	if (cwm_sdp_oa_process_answer(oa, sdp, size, &res) != 0)
		abort();
	check_result(&res);
	cwm_sdp_oa_free(oa);
}

static void process_as_answer(const char *sdp, size_t size)
{
	struct cwm_sdp_oa_config config = {
		.law = CWM_SDP_OA_ULAW, .offer_both_laws = 1, .address = "2001:db8::10",
		.port = 30000, .session_id = 2,
	};
	struct cwm_sdp_oa *oa;
	struct cwm_sdp_oa_result res;
	char buf[4096];
	size_t len;

	if (cwm_sdp_oa_new(&config, &oa) != 0)
		abort();
	if (cwm_sdp_oa_offer(oa, CWM_SDP_OA_SENDRECV, buf, sizeof(buf), &len) != 0)
		abort();
	if (cwm_sdp_oa_process_answer(oa, sdp, size, &res) != 0)
		abort();
	check_result(&res);
	cwm_sdp_oa_free(oa);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *sdp = (const char *)data;

	if (size > 65536)
		return 0;
	answer_twice(sdp, size, CWM_SDP_OA_ALAW);
	answer_twice(sdp, size, CWM_SDP_OA_ULAW);
	process_as_answer(sdp, size);
	return 0;
}
