/* SPDX-License-Identifier: MIT */
/* bridge/media/test_g711.c — G.711 codes against values worked out by hand
 * from G.711 Tables 1b/2b, and the round trips. */
#include <stdlib.h>

#include "check.h"
#include "g711.h"

static void test_known_values(void)
{
	/* µ-law: 0xFF and 0x7F are +0 and -0; 0x80 / 0x00 the extremes (Table 2b: 8031 << 2 ...). */
	CHECK_INT(cwm_g711_ulaw_to_linear(0xff), 0);
	CHECK_INT(cwm_g711_ulaw_to_linear(0x7f), 0);
	CHECK_INT(cwm_g711_ulaw_to_linear(0x80), 32124);
	CHECK_INT(cwm_g711_ulaw_to_linear(0x00), -32124);
	CHECK_INT(cwm_g711_ulaw_to_linear(0xfe), 8);   /* step 1 of segment 0: 2 in 14 bits */
	/* A-law: 0xD5 / 0x55 are +8 / -8 (the middle of the first step), 0xAA / 0x2A the extremes. */
	CHECK_INT(cwm_g711_alaw_to_linear(0xd5), 8);
	CHECK_INT(cwm_g711_alaw_to_linear(0x55), -8);
	CHECK_INT(cwm_g711_alaw_to_linear(0xaa), 32256);
	CHECK_INT(cwm_g711_alaw_to_linear(0x2a), -32256);
	CHECK_INT(cwm_g711_linear_to_ulaw(0), 0xff);
	CHECK_INT(cwm_g711_linear_to_alaw(0), 0xd5);
	CHECK_INT(cwm_g711_linear_to_ulaw(32767), 0x80);
	CHECK_INT(cwm_g711_linear_to_ulaw(-32768), 0x00);
	CHECK_INT(cwm_g711_linear_to_alaw(32767), 0xaa);
	CHECK_INT(cwm_g711_linear_to_alaw(-32768), 0x2a);
	/* Segment edges: A-law 256 is the first value of segment 1 (code 0x10 ^ 0xD5). */
	CHECK_INT(cwm_g711_linear_to_alaw(256), 0x10 ^ 0xd5);
	CHECK_INT(cwm_g711_linear_to_alaw(255), 0x0f ^ 0xd5);
}

static void test_round_trips(void)
{
	int bad_a = 0, bad_u = 0, bad_au = 0, bad_order = 0, exact_au = 0;

	for (int c = 0; c < 256; c++) {
		if (cwm_g711_linear_to_alaw(cwm_g711_alaw_to_linear((uint8_t)c)) != c)
			bad_a++;
		/* -0 (0x7F) comes back as +0 (0xFF): the one µ-law code that does not */
		if (c != 0x7f && cwm_g711_linear_to_ulaw(cwm_g711_ulaw_to_linear((uint8_t)c)) != c)
			bad_u++;
		/* A -> µ -> A: exact, or the neighbouring step where the two laws'
		 * values sit at equal distance (16 codes) */
		int back = cwm_g711_ulaw_to_alaw(cwm_g711_alaw_to_ulaw((uint8_t)c));

		if (back != c && abs(cwm_g711_alaw_to_linear((uint8_t)back) -
		                     cwm_g711_alaw_to_linear((uint8_t)c)) > 256)
			bad_au++;
		exact_au += back == c;
	}
	CHECK_INT(bad_a, 0);
	CHECK_INT(bad_u, 0);
	CHECK_INT(bad_au, 0);
	CHECK_INT(exact_au, 240);
	/* nearest: no µ-law code is nearer an A-law value than the one chosen */
	int not_nearest = 0;

	for (int c = 0; c < 256; c++) {
		int a = cwm_g711_alaw_to_linear((uint8_t)c);
		int got = abs(cwm_g711_ulaw_to_linear(cwm_g711_alaw_to_ulaw((uint8_t)c)) - a);

		for (int u = 0; u < 256; u++)
			not_nearest += abs(cwm_g711_ulaw_to_linear((uint8_t)u) - a) < got;
	}
	CHECK_INT(not_nearest, 0);
	/* +0 in µ-law is +8 in A-law, not -8 */
	CHECK_INT(cwm_g711_ulaw_to_alaw(0xff), 0xd5);
	CHECK_INT(cwm_g711_linear_to_ulaw(cwm_g711_ulaw_to_linear(0x7f)), 0xff);
	/* Decoding is monotonic over the linear range, encoding within half a step. */
	for (int v = -32768; v < 32767; v++) {
		int16_t a = cwm_g711_alaw_to_linear(cwm_g711_linear_to_alaw((int16_t)v));
		int16_t u = cwm_g711_ulaw_to_linear(cwm_g711_linear_to_ulaw((int16_t)v));
		int mag = abs(v);
		/* the step at this level: A-law 16 << (segment - 1), µ-law similar */
		int step = mag < 512 ? 16 : 16 << (31 - __builtin_clz((unsigned)mag) - 8);

		if (abs(a - v) > step || abs(u - v) > step + 8 * (mag > 32124))
			bad_order++;
	}
	CHECK_INT(bad_order, 0);
}

static void test_buffers(void)
{
	int16_t pcm[4] = { 0, 1000, -1000, 32000 }, back[4];
	uint8_t codes[4];

	cwm_g711_encode(CWM_G711_ALAW, pcm, codes, 4);
	cwm_g711_decode(CWM_G711_ALAW, codes, back, 4);
	CHECK_INT(codes[0], 0xd5);
	CHECK(abs(back[1] - 1000) <= 32 && abs(back[2] + 1000) <= 32 && abs(back[3] - 32000) <= 1024);
	cwm_g711_encode(CWM_G711_ULAW, pcm, codes, 4);
	cwm_g711_decode(CWM_G711_ULAW, codes, back, 4);
	CHECK_INT(codes[0], 0xff);
	CHECK(abs(back[1] - 1000) <= 32 && abs(back[2] + 1000) <= 32 && abs(back[3] - 32000) <= 1024);
}

int main(void)
{
	test_known_values();
	test_round_trips();
	test_buffers();
	return check_done();
}
