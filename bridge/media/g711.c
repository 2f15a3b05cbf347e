/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/g711.c — G.711 by segment arithmetic (ITU-T G.711 §2): a
 * code is a sign bit, a 3-bit segment and a 4-bit step inside the segment.
 * Decoding returns the middle of the step's interval (the decision value of
 * Tables 1b/2b), encoding the step whose interval holds the sample.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "g711.h"

#define ALAW_EVEN_BITS 0x55 /* G.711 §2: the even bits of A-law are inverted on the line */
#define ULAW_BIAS 0x84      /* 33 in the 14-bit scale, << 2: µ-law's segment offset */
#define ULAW_CLIP 32635

int16_t cwm_g711_alaw_to_linear(uint8_t code)
{
	int v = code ^ ALAW_EVEN_BITS;
	int seg = (v & 0x70) >> 4;
	int mag = (v & 0x0f) << 4;

	mag += 8; /* the middle of the step */
	if (seg != 0)
		mag = (mag + 0x100) << (seg - 1);
	return (int16_t)((v & 0x80) ? mag : -mag);
}

int16_t cwm_g711_ulaw_to_linear(uint8_t code)
{
	int v = ~code & 0xff;
	int mag = (((v & 0x0f) << 3) + ULAW_BIAS) << ((v & 0x70) >> 4);

	return (int16_t)((v & 0x80) ? ULAW_BIAS - mag : mag - ULAW_BIAS);
}

/* The segment of a magnitude: the position of its highest bit above the
 * first segment's, 0..7. */
static int segment_of(int mag, int first_bit)
{
	int seg = 0;

	for (mag >>= first_bit; mag > 1 && seg < 7; mag >>= 1)
		seg++;
	return seg;
}

uint8_t cwm_g711_linear_to_alaw(int16_t sample)
{
	int mag = sample >= 0 ? sample : -(int)sample - 1;
	int sign = sample >= 0 ? 0x80 : 0x00;
	int seg, code;

	if (mag > 0x7fff)
		mag = 0x7fff;
	if (mag < 0x100) {
		code = mag >> 4;
	} else {
		seg = segment_of(mag, 7);
		code = (seg << 4) | ((mag >> (seg + 3)) & 0x0f);
	}
	return (uint8_t)((code | sign) ^ ALAW_EVEN_BITS);
}

uint8_t cwm_g711_linear_to_ulaw(int16_t sample)
{
	int mag = sample >= 0 ? sample : -(int)sample;
	int sign = sample >= 0 ? 0x00 : 0x80;
	int seg;

	if (mag > ULAW_CLIP)
		mag = ULAW_CLIP;
	mag += ULAW_BIAS;
	seg = segment_of(mag, 7);
	return (uint8_t)(~(sign | (seg << 4) | ((mag >> (seg + 3)) & 0x0f)) & 0xff);
}

/*
 * One law to the other: the code of the other law whose decoded value is
 * nearest (ties to the same sign, then the smaller magnitude), as G.711 §3 and its Tables 3/4
 * ask. Re-encoding the linear value instead lands one step off for 16 A-law
 * codes, as the two laws' intervals do not nest. Built once, on first use.
 */
static uint8_t a_to_u[256], u_to_a[256];
static int tables_built;

static uint8_t nearest(int16_t value, int16_t (*decode)(uint8_t))
{
	int best = 0, best_err = 1 << 30, best_v = 0;

	for (int c = 0; c < 256; c++) {
		int v = decode((uint8_t)c), err = v > value ? v - value : value - v;
		bool same_sign = (v >= 0) == (value >= 0), best_same = (best_v >= 0) == (value >= 0);

		if (err < best_err ||
		    (err == best_err && (same_sign && !best_same ? true
		                         : same_sign == best_same ? abs(v) < abs(best_v) : false))) {
			best = c;
			best_err = err;
			best_v = v;
		}
	}
	return (uint8_t)best;
}

static void build_tables(void)
{
	for (int c = 0; c < 256; c++) {
		a_to_u[c] = nearest(cwm_g711_alaw_to_linear((uint8_t)c), cwm_g711_ulaw_to_linear);
		u_to_a[c] = nearest(cwm_g711_ulaw_to_linear((uint8_t)c), cwm_g711_alaw_to_linear);
	}
	tables_built = 1;
}

uint8_t cwm_g711_alaw_to_ulaw(uint8_t code)
{
	if (!tables_built)
		build_tables();
	return a_to_u[code];
}

uint8_t cwm_g711_ulaw_to_alaw(uint8_t code)
{
	if (!tables_built)
		build_tables();
	return u_to_a[code];
}

void cwm_g711_decode(enum cwm_g711_law law, const uint8_t *codes, int16_t *pcm, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pcm[i] = law == CWM_G711_ALAW ? cwm_g711_alaw_to_linear(codes[i])
		                             : cwm_g711_ulaw_to_linear(codes[i]);
}

void cwm_g711_encode(enum cwm_g711_law law, const int16_t *pcm, uint8_t *codes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		codes[i] = law == CWM_G711_ALAW ? cwm_g711_linear_to_alaw(pcm[i])
		                               : cwm_g711_linear_to_ulaw(pcm[i]);
}
