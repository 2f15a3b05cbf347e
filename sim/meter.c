/* SPDX-License-Identifier: MIT */
/* meter.c — the dominant tone and its level, by Goertzel (meter.h). */
#include "meter.h"

#include <math.h>
#include <string.h>

const int sim_meter_candidates[SIM_METER_CANDIDATES] = {
	350, 400, 425, 440, 480, 620, 697, 941, 1004, 1209, 1400, 1633, 2100, 2600
};

/*
 * dBm0 of a sine from its Goertzel power over N samples: spandsp documents
 * goertzel_result() of a sine at x dBm0, tuned to its frequency, as
 * (N 32768 / sqrt 2 * 10^((x - 3.14) / 20))^2, +3.14 dBm0 being G.711's
 * full-scale sine (DBM0_MAX_SINE_POWER, G.711 §3 / O.6).
 */
static double sine_dbm0(double goertzel_power)
{
	double ref = SIM_METER_BLOCK * 32768.0 / M_SQRT2;

	return goertzel_power > 0 ? DBM0_MAX_SINE_POWER + 20.0 * log10(sqrt(goertzel_power) / ref)
	                          : -99.0;
}

/* spandsp's digit report, from within dtmf_rx(). */
static void on_digits(void *user, const char *digits, int len)
{
	struct sim_meter *m = user;
	size_t have = strlen(m->digits);

	for (int i = 0; i < len && have < SIM_METER_DTMF_MAX; i++)
		m->digits[have++] = digits[i];
	m->digits[have] = '\0';
}

void sim_meter_init(struct sim_meter *m)
{
	int i;

	memset(m, 0, sizeof(*m));
	/* ITU-T Q.24 receiver: spandsp's defaults (twist, reverse twist, level) */
	m->dtmf = dtmf_rx_init(NULL, on_digits, m);
	for (i = 0; i < SIM_METER_CANDIDATES; i++) {
		goertzel_descriptor_t d;

		make_goertzel_descriptor(&d, (float)sim_meter_candidates[i], SIM_METER_BLOCK);
		goertzel_init(&m->g[i], &d);
	}
}

void sim_meter_release(struct sim_meter *m)
{
	if (m->dtmf)
		dtmf_rx_free(m->dtmf);
	m->dtmf = NULL;
}

const char *sim_meter_dtmf(const struct sim_meter *m)
{
	return m->digits;
}

double sim_power_dbm0(const int16_t *amp, int n)
{
	double e = 0;
	int i;

	for (i = 0; i < n; i++)
		e += (double)amp[i] * amp[i];
	/* the full-scale sine's mean power is 32767^2 / 2 */
	return e > 0 && n > 0 ? DBM0_MAX_SINE_POWER + 10.0 * log10(e / n / (32767.0 * 32767.0 / 2))
	                      : -99.0;
}

/* A block is complete: its powers count when it was loud. */
static void end_block(struct sim_meter *m)
{
	double mean = m->block_energy / SIM_METER_BLOCK;
	int loud = mean > 0 && DBM0_MAX_SINE_POWER + 10.0 * log10(mean / (32767.0 * 32767.0 / 2)) >
	                       SIM_METER_FLOOR_DBM0;
	int i;

	for (i = 0; i < SIM_METER_CANDIDATES; i++) {
		float r = goertzel_result(&m->g[i]); /* also resets the filter */

		if (loud)
			m->acc[i] += r;
	}
	m->loud_blocks += loud;
	m->in_block = 0;
	m->block_energy = 0;
}

void sim_meter_feed(struct sim_meter *m, const int16_t *amp, int n)
{
	if (m->dtmf)
		dtmf_rx(m->dtmf, amp, n);
	while (n > 0) {
		int take = SIM_METER_BLOCK - m->in_block, i, k;

		if (take > n)
			take = n;
		for (k = 0; k < SIM_METER_CANDIDATES; k++)
			goertzel_update(&m->g[k], amp, take);
		for (i = 0; i < take; i++)
			m->block_energy += (double)amp[i] * amp[i];
		m->in_block += take;
		amp += take;
		n -= take;
		if (m->in_block == SIM_METER_BLOCK)
			end_block(m);
	}
}

int sim_meter_result(const struct sim_meter *m, int *ret_hz, double *ret_dbm0)
{
	int i, best = 0;

	if (m->loud_blocks == 0)
		return -1;
	for (i = 1; i < SIM_METER_CANDIDATES; i++)
		if (m->acc[i] > m->acc[best])
			best = i;
	*ret_hz = sim_meter_candidates[best];
	*ret_dbm0 = sine_dbm0(m->acc[best] / (double)m->loud_blocks);
	return 0;
}
