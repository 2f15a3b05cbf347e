/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/tone_check.h — the tone checks of the loopback test and the
 * SIPp echo probe: a sine frame of the tone, and the share of a signal's
 * power at one frequency (a Goertzel filter). Header-only; 8000 samples/s.
 */
#ifndef BRIDGE_MEDIA_TONE_CHECK_H
#define BRIDGE_MEDIA_TONE_CHECK_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

/* n samples of freq at amplitude amp, going on from *phase (in samples). */
static inline void tone_fill(int16_t *x, size_t n, double freq, double amp, unsigned *phase)
{
	for (size_t i = 0; i < n; i++, (*phase)++)
		x[i] = (int16_t)(amp * sin(2 * M_PI * freq * *phase / 8000));
}

/* The power at freq over n samples, relative to the signal's power: 1 for a
 * pure tone at freq, near 0 for one far from it. */
static inline double tone_share(const int16_t *x, size_t n, double freq)
{
	double k = 2 * cos(2 * M_PI * freq / 8000), s1 = 0, s2 = 0, energy = 0;

	for (size_t i = 0; i < n; i++) {
		double s = x[i] + k * s1 - s2;

		s2 = s1;
		s1 = s;
		energy += (double)x[i] * x[i];
	}
	double power = s1 * s1 + s2 * s2 - k * s1 * s2; /* |X(f)|^2 */

	return energy > 0 ? 2 * power / ((double)n * energy) : 0;
}

#endif /* BRIDGE_MEDIA_TONE_CHECK_H */
