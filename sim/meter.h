/* SPDX-License-Identifier: MIT */
/*
 * meter.h — what a B-channel carried: the dominant tone among a set of
 * candidate frequencies and its level in dBm0, by Goertzel (spandsp's
 * goertzel.h, in tone_detect.h) over 100 ms blocks. Blocks quieter than
 * SIM_METER_FLOOR_DBM0 (silence, a cadence's off time) do not count.
 * Also the DTMF digits in it, in order (spandsp's dtmf_rx).
 */
#ifndef SIM_METER_H
#define SIM_METER_H

#include <stdint.h>

#include <spandsp.h>

#define SIM_METER_BLOCK 800          /* samples: 100 ms, bins 10 Hz wide */
#define SIM_METER_FLOOR_DBM0 (-50.0)
#define SIM_METER_CANDIDATES 14
#define SIM_METER_DTMF_MAX 64        /* digits kept; more are not */

/* The candidate frequencies, Hz (tones of ITU-T E.180 and test tones of O.6 / G.712). */
extern const int sim_meter_candidates[SIM_METER_CANDIDATES];

struct sim_meter {
	goertzel_state_t g[SIM_METER_CANDIDATES];
	int in_block;                   /* samples of the current block so far */
	double block_energy;            /* sum of x^2 of the current block */
	double acc[SIM_METER_CANDIDATES]; /* Goertzel powers summed over the loud blocks */
	long loud_blocks;
	dtmf_rx_state_t *dtmf;          /* NULL when it could not be allocated */
	char digits[SIM_METER_DTMF_MAX + 1];
};

/* sim_meter_init() - an empty meter (sim_meter_release() frees its DTMF receiver). */
void sim_meter_init(struct sim_meter *m);
void sim_meter_release(struct sim_meter *m);

/* sim_meter_feed() - n samples of linear audio. */
void sim_meter_feed(struct sim_meter *m, const int16_t *amp, int n);

/*
 * sim_meter_result() - the dominant candidate (Hz) and its mean level over
 * the loud blocks (dBm0): 0, or -1 when no block was louder than the floor.
 */
int sim_meter_result(const struct sim_meter *m, int *ret_hz, double *ret_dbm0);

/* sim_meter_dtmf() - the DTMF digits heard so far, "" for none. */
const char *sim_meter_dtmf(const struct sim_meter *m);

/* sim_power_dbm0() - the mean power of n samples in dBm0 (-99 for digital silence). */
double sim_power_dbm0(const int16_t *amp, int n);

#endif
