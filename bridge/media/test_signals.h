/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/test_signals.h — signals the DTMF and fax tone tests feed
 * in, at 8000 samples/s: a tone pair at two levels (spandsp tone_gen), a
 * speech-like signal and noise (spandsp awgn). Header-only.
 */
#ifndef BRIDGE_MEDIA_TEST_SIGNALS_H
#define BRIDGE_MEDIA_TEST_SIGNALS_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <spandsp.h>

#include "g711.h"

/* n samples of f1 at l1 dBm0 plus f2 at l2 dBm0 (f2 0: f1 alone), continuous. */
static inline void sig_pair(int16_t *x, size_t n, int f1, int l1, int f2, int l2)
{
	tone_gen_descriptor_t *td = tone_gen_descriptor_init(NULL, f1, l1, f2, l2, 60000, 0, 0, 0, 0);
	tone_gen_state_t *tg = tone_gen_init(NULL, td);
	size_t done = 0;

	while (done < n) {
		int k = tone_gen(tg, x + done, (int)(n - done > 8000 ? 8000 : n - done));

		if (k <= 0)
			break;
		done += (size_t)k;
	}
	memset(x + done, 0, (n - done) * sizeof(*x));
	tone_gen_free(tg);
	tone_gen_descriptor_free(td);
}

/*
 * A speech-like signal: a glottal pulse train (pitch gliding 90..250 Hz)
 * through two formant resonators that move every syllable (150 ms), a
 * syllabic envelope, fricative noise between syllables, at about -15 dBm0
 * while voiced. Deterministic for a seed.
 */
static inline void sig_speech(int16_t *x, size_t n, unsigned seed)
{
	static const double f1s[] = { 730, 270, 530, 660, 300, 640, 490, 400 };
	static const double f2s[] = { 1090, 2290, 1840, 1720, 870, 1190, 1350, 2000 };
	awgn_state_t *noise = awgn_init_dbm0(NULL, (int)seed + 1, -35.0f);
	double y1[2] = { 0 }, y2[2] = { 0 }, phase = 0;

	srand(seed);
	for (size_t i = 0; i < n; i++) {
		size_t syl = i / 1200, pos = i % 1200;
		unsigned v = (unsigned)((syl * 7 + seed) % 8);
		double pitch = 90 + 160 * (0.5 + 0.5 * sin(2 * M_PI * (double)i / 9000.0 + seed));
		double env = sin(M_PI * (double)pos / 1200.0);
		double e = 0;

		phase += pitch / 8000.0;
		if (phase >= 1) { /* one glottal pulse */
			phase -= 1;
			e = 4000 * env * env;
		}
		/* two resonators (bandwidth about 100 Hz) in cascade */
		double r = exp(-M_PI * 100 / 8000.0);
		double a1 = 2 * r * cos(2 * M_PI * f1s[v] / 8000.0), a2 = -r * r;
		double o1 = e + a1 * y1[0] + a2 * y1[1];
		double b1 = 2 * r * cos(2 * M_PI * f2s[v] / 8000.0);
		double o2 = o1 + b1 * y2[0] + a2 * y2[1];

		y1[1] = y1[0];
		y1[0] = o1;
		y2[1] = y2[0];
		y2[0] = o2;
		double s = o2 * 0.6 + (env < 0.3 ? 8 : 1) * awgn(noise);

		x[i] = (int16_t)(s > 32767 ? 32767 : s < -32768 ? -32768 : s);
	}
	awgn_free(noise);
}

/*
 * Talk-off bait: vowels whose two formants sit on a DTMF row and column
 * frequency (100 Hz wide, pitch gliding 40..160 Hz), about -19 dBm0. Its
 * strongest row and column bins look like a digit to a detector that
 * checks only those (the test shows it), not to one that also weighs the
 * rest of the signal's power and its harmonics.
 */
static inline void sig_vowels_on_dtmf(int16_t *x, size_t n, unsigned seed)
{
	static const double rows[] = { 697, 770, 852, 941 }, cols[] = { 1209, 1336, 1477, 1633 };
	awgn_state_t *noise = awgn_init_dbm0(NULL, (int)seed, -40.0f);
	double y1[2] = { 0 }, y2[2] = { 0 }, phase = 0;
	double r = exp(-M_PI * 100 / 8000.0), a2 = -r * r;

	for (size_t i = 0; i < n; i++) {
		size_t syl = i / 1600, pos = i % 1600;
		double pitch = 100 + 60 * sin(2 * M_PI * (double)i / 12000.0 + seed);
		double env = sin(M_PI * (double)pos / 1600.0), e = 0;
		double a1 = 2 * r * cos(2 * M_PI * rows[(syl + seed) % 4] / 8000.0);
		double b1 = 2 * r * cos(2 * M_PI * cols[(syl * 3 + seed) % 4] / 8000.0);

		phase += pitch / 8000.0;
		if (phase >= 1) {
			phase -= 1;
			e = 8000 * env;
		}
		double o1 = e + a1 * y1[0] + a2 * y1[1], o2 = e + b1 * y2[0] + a2 * y2[1];

		y1[1] = y1[0];
		y1[0] = o1;
		y2[1] = y2[0];
		y2[0] = o2;
		double v = 0.5 * o1 + 0.5 * o2 + awgn(noise);

		x[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
	}
	awgn_free(noise);
}

/* White noise at level dBm0. */
static inline void sig_noise(int16_t *x, size_t n, int seed, float level)
{
	awgn_state_t *a = awgn_init_dbm0(NULL, seed, level);

	for (size_t i = 0; i < n; i++)
		x[i] = awgn(a);
	awgn_free(a);
}

/* What a DTMF receiver heard: spandsp's digits report (dtmf_rx_init()'s
 * callback, user = the struct) appends to it. */
struct sig_heard {
	char digits[64];
};

static inline void sig_heard_digits(void *user, const char *digits, int len)
{
	struct sig_heard *h = user;
	size_t have = strlen(h->digits);

	for (int i = 0; i < len && have < sizeof(h->digits) - 1; i++)
		h->digits[have++] = digits[i];
	h->digits[have] = 0;
}

/* Through a G.711 law and back, as the B-channel carries it. */
static inline void sig_law(int16_t *x, size_t n, enum cwm_g711_law law)
{
	uint8_t c[160];

	for (size_t i = 0; i < n; i += 160) {
		size_t k = n - i < 160 ? n - i : 160;

		cwm_g711_encode(law, x + i, c, k);
		cwm_g711_decode(law, c, x + i, k);
	}
}

#endif /* BRIDGE_MEDIA_TEST_SIGNALS_H */
