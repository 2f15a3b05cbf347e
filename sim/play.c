/* SPDX-License-Identifier: MIT */
/* play.c — tones, WAV files and silence for the B-channels (play.h). */
#include "play.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sim_player_start(struct sim_player *pl, const struct sim_play *p)
{
	sim_player_stop(pl);
	pl->play = p;
	pl->wav_pos = 0;
	if (p && p->kind == SIM_PLAY_DTMF) {
		pl->dtmf = dtmf_tx_init(NULL);
		if (!pl->dtmf) {
			sim_player_stop(pl);
			return -1;
		}
		dtmf_tx_set_level(pl->dtmf, p->level, 0);
		dtmf_tx_set_timing(pl->dtmf, p->on_ms, p->off_ms);
		dtmf_tx_put(pl->dtmf, p->digits, -1);
		return 0;
	}
	if (p && p->kind == SIM_PLAY_CED) {
		/* ITU-T T.30 CED = V.25 ANS: 2100 Hz after 0.2 s of silence, 2.6 s */
		pl->ced = modem_connect_tones_tx_init(NULL, MODEM_CONNECT_TONES_ANS);
		if (!pl->ced) {
			sim_player_stop(pl);
			return -1;
		}
		return 0;
	}
	if (!p || p->kind != SIM_PLAY_TONE)
		return 0;
	/* tone_gen: on, off (then a second on/off pair, unused), repeating; a
	 * continuous tone is one long "on" with no "off". */
	pl->desc = tone_gen_descriptor_init(NULL, p->freq[0], p->level, p->freq[1],
	                                    p->freq[1] ? p->level : 0,
	                                    p->off_ms ? p->on_ms : 1000, p->off_ms, 0, 0, 1);
	pl->tone = pl->desc ? tone_gen_init(NULL, pl->desc) : NULL;
	if (!pl->tone) {
		sim_player_stop(pl);
		return -1;
	}
	return 0;
}

void sim_player_frame(struct sim_player *pl, int16_t *out, int n)
{
	const struct sim_play *p = pl->play;
	int got = 0;

	if (p && p->kind == SIM_PLAY_TONE && pl->tone) {
		got = tone_gen(pl->tone, out, n);
	} else if (p && p->kind == SIM_PLAY_DTMF && pl->dtmf) {
		size_t delay = (size_t)p->delay_ms * 8;

		for (; got < n && pl->wav_pos < delay; got++, pl->wav_pos++)
			out[got] = 0;
		if (got < n) {
			int k = dtmf_tx(pl->dtmf, out + got, n - got);

			got += k > 0 ? k : 0;
		}
	} else if (p && p->kind == SIM_PLAY_CED && pl->ced) {
		int k = modem_connect_tones_tx(pl->ced, out, n);

		got = k > 0 ? k : 0;
	} else if (p && p->kind == SIM_PLAY_WAV && p->wav_len > 0) {
		for (; got < n; got++) {
			out[got] = p->wav[pl->wav_pos++];
			if (pl->wav_pos == p->wav_len)
				pl->wav_pos = 0; /* loop */
		}
	}
	if (got < n)
		memset(out + got, 0, (size_t)(n - got) * sizeof(*out));
}

void sim_player_stop(struct sim_player *pl)
{
	if (pl->tone)
		tone_gen_free(pl->tone);
	if (pl->desc)
		tone_gen_descriptor_free(pl->desc);
	if (pl->dtmf)
		dtmf_tx_free(pl->dtmf);
	if (pl->ced)
		modem_connect_tones_tx_free(pl->ced);
	pl->tone = NULL;
	pl->desc = NULL;
	pl->dtmf = NULL;
	pl->ced = NULL;
	pl->play = NULL;
}

static uint32_t le32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint16_t le16(const uint8_t *b)
{
	return (uint16_t)(b[0] | b[1] << 8);
}

#define WAV_PCM 1
#define WAV_ALAW 6
#define WAV_ULAW 7
#define WAV_MAX_BYTES (16u << 20)

/* The "data" chunk's samples as linear: 0, or -1 (out of memory). */
static int wav_decode(int format, const uint8_t *data, size_t len, int16_t **ret, size_t *ret_len)
{
	size_t n = format == WAV_PCM ? len / 2 : len, i;
	int16_t *s = malloc(n ? n * sizeof(*s) : 1);

	if (!s)
		return -1;
	for (i = 0; i < n; i++) {
		if (format == WAV_PCM)
			s[i] = (int16_t)le16(data + 2 * i);
		else
			s[i] = format == WAV_ALAW ? alaw_to_linear(data[i]) : ulaw_to_linear(data[i]);
	}
	*ret = s;
	*ret_len = n;
	return 0;
}

int sim_wav_load(const char *path, int16_t **ret, size_t *ret_len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len, pos = 12;
	int format = 0, r = -1;

	if (!f) {
		snprintf(err, errlen, "cannot open WAV file '%s'", path);
		return -1;
	}
	buf = malloc(WAV_MAX_BYTES);
	len = buf ? fread(buf, 1, WAV_MAX_BYTES, f) : 0;
	fclose(f);
	if (len < 12 || memcmp(buf, "RIFF", 4) != 0 || memcmp(buf + 8, "WAVE", 4) != 0) {
		snprintf(err, errlen, "'%s' is not a RIFF WAVE file", path);
		goto out;
	}
	/* RIFF chunks: id, little-endian size, body padded to an even size. */
	while (pos + 8 <= len) {
		uint32_t size = le32(buf + pos + 4);
		const uint8_t *body = buf + pos + 8;

		if (size > len - pos - 8)
			size = (uint32_t)(len - pos - 8);
		if (memcmp(buf + pos, "fmt ", 4) == 0 && size >= 16) {
			format = le16(body);
			if ((format != WAV_PCM && format != WAV_ALAW && format != WAV_ULAW) ||
			    le16(body + 2) != 1 || le32(body + 4) != 8000 ||
			    le16(body + 14) != (format == WAV_PCM ? 16 : 8)) {
				snprintf(err, errlen, "'%s' is not 8 kHz mono 16-bit PCM, A-law or µ-law",
				         path);
				goto out;
			}
		} else if (memcmp(buf + pos, "data", 4) == 0) {
			if (!format) {
				snprintf(err, errlen, "'%s': data before fmt", path);
				goto out;
			}
			if (wav_decode(format, body, size, ret, ret_len) < 0) {
				snprintf(err, errlen, "'%s': out of memory", path);
				goto out;
			}
			if (*ret_len == 0) {
				free(*ret);
				*ret = NULL;
				snprintf(err, errlen, "'%s': no samples", path);
				goto out;
			}
			r = 0;
			goto out;
		}
		pos += 8 + size + (size & 1);
	}
	snprintf(err, errlen, "'%s' has no fmt and data chunks", path);
out:
	free(buf);
	return r;
}
