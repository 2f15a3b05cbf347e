/* SPDX-License-Identifier: MIT */
/*
 * bridge/media/g711.h — G.711 A-law and µ-law (ITU-T G.711 §2, Tables 1a/1b
 * and 2a/2b): a code to linear, linear to a code, and one law to the other.
 *
 * Linear samples are 16-bit two's complement (the 13-bit A-law and 14-bit
 * µ-law ranges shifted to the top of an int16_t). The codes are the
 * transmitted octets: A-law with its even bits inverted (G.711 §2 note),
 * µ-law with all bits inverted, as RTP carries them (RFC 3551 §4.5.14).
 */
#ifndef BRIDGE_MEDIA_G711_H
#define BRIDGE_MEDIA_G711_H

#include <stddef.h>
#include <stdint.h>

int16_t cwm_g711_alaw_to_linear(uint8_t code);
int16_t cwm_g711_ulaw_to_linear(uint8_t code);
uint8_t cwm_g711_linear_to_alaw(int16_t sample);
uint8_t cwm_g711_linear_to_ulaw(int16_t sample);

/* One law to the other: the code whose value is nearest the original's
 * (G.711 §3); A -> µ -> A gives every A-law code back. */
uint8_t cwm_g711_alaw_to_ulaw(uint8_t code);
uint8_t cwm_g711_ulaw_to_alaw(uint8_t code);

/* The RTP payload types of the two laws (RFC 3551 Table 4). */
enum cwm_g711_law {
	CWM_G711_ULAW = 0, /* PCMU */
	CWM_G711_ALAW = 8, /* PCMA */
};

/* n codes of law to n linear samples, and back. */
void cwm_g711_decode(enum cwm_g711_law law, const uint8_t *codes, int16_t *pcm, size_t n);
void cwm_g711_encode(enum cwm_g711_law law, const int16_t *pcm, uint8_t *codes, size_t n);

#endif /* BRIDGE_MEDIA_G711_H */
