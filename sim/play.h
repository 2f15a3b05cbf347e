/* SPDX-License-Identifier: MIT */
/*
 * play.h — what the simulator plays on a call's B-channel (README.md
 * "B-channel audio"): silence, a tone with a cadence (spandsp's tone_gen),
 * a WAV file (looped), what it receives (echo), a DTMF digit string played
 * once (spandsp's dtmf_tx), or a fax answer tone, CED (spandsp's
 * modem_connect_tones_tx).
 */
#ifndef SIM_PLAY_H
#define SIM_PLAY_H

#include <stddef.h>
#include <stdint.h>

#include <spandsp.h>

enum sim_play_kind {
	SIM_PLAY_SILENCE = 0, SIM_PLAY_TONE, SIM_PLAY_WAV, SIM_PLAY_ECHO, SIM_PLAY_DTMF, SIM_PLAY_CED
};

#define SIM_PLAY_DIGITS_MAX 32

/* One PLAY of a rule. */
struct sim_play {
	enum sim_play_kind kind;
	int freq[2];        /* TONE: Hz; freq[1] 0 = a single tone */
	int level;          /* TONE, DTMF: dBm0 per frequency */
	int on_ms, off_ms;  /* TONE: cadence, off_ms 0 = continuous; DTMF: each digit's tone and pause */
	int delay_ms;       /* DTMF: silence before the first digit */
	char digits[SIM_PLAY_DIGITS_MAX + 1]; /* DTMF: 0-9 * # A-D */
	int16_t *wav;       /* WAV: the file's samples, linear, 8 kHz (owned by the rules) */
	size_t wav_len;
};

/* A PLAY running on one channel. */
struct sim_player {
	const struct sim_play *play;
	tone_gen_descriptor_t *desc;
	tone_gen_state_t *tone;
	dtmf_tx_state_t *dtmf;
	modem_connect_tones_tx_state_t *ced;
	size_t wav_pos;     /* WAV: the next sample; DTMF: samples of the delay played */
};

/* sim_player_start() - start p from its beginning (stops what ran). 0, or -1 out of memory. */
int sim_player_start(struct sim_player *pl, const struct sim_play *p);

/*
 * sim_player_frame() - the next n samples of a TONE, WAV, DTMF, CED or
 * SILENCE player into out (ECHO is the caller's: it plays received octets
 * back). DTMF and CED play once, then silence.
 */
void sim_player_frame(struct sim_player *pl, int16_t *out, int n);

/* sim_player_stop() - free the generator; the player plays silence after it. */
void sim_player_stop(struct sim_player *pl);

/*
 * sim_wav_load() - an 8 kHz mono WAV file, 16-bit PCM, A-law or µ-law, as
 * linear samples (*ret malloc'ed). 0, or -1 with the reason in err.
 */
int sim_wav_load(const char *path, int16_t **ret, size_t *ret_len, char *err, size_t errlen);

#endif
