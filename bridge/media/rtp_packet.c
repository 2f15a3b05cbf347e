/* SPDX-License-Identifier: MIT */
/* bridge/media/rtp_packet.c — the RTP fixed header (RFC 3550 §5.1). */
#include <errno.h>

#include "rtp_packet.h"

int cwm_rtp_header_parse(const uint8_t *buf, size_t len, struct cwm_rtp_header *out)
{
	size_t off, pad = 0;
	unsigned csrc;

	if (len < CWM_RTP_HEADER_LEN || (buf[0] >> 6) != CWM_RTP_VERSION)
		return -EBADMSG;
	/* RFC 3550 §A.1 / RFC 5761 §4: 72..76 with the marker set are RTCP SR..APP. */
	if ((buf[1] & 0x7f) >= 72 && (buf[1] & 0x7f) <= 76 && (buf[1] & 0x80))
		return -EBADMSG;
	csrc = buf[0] & 0x0f;
	off = CWM_RTP_HEADER_LEN + 4u * csrc;
	if (off > len)
		return -EBADMSG;
	if (buf[0] & 0x10) { /* §5.3.1: the extension's length in 32-bit words */
		if (off + 4 > len)
			return -EBADMSG;
		off += 4 + 4u * cwm_rtp_get16(buf + off + 2);
		if (off > len)
			return -EBADMSG;
	}
	if (buf[0] & 0x20) { /* §5.1: the last octet counts the padding, itself included */
		pad = buf[len - 1];
		if (pad == 0 || off + pad > len)
			return -EBADMSG;
	}
	out->marker = buf[1] >> 7;
	out->payload_type = buf[1] & 0x7f;
	out->seq = cwm_rtp_get16(buf + 2);
	out->timestamp = cwm_rtp_get32(buf + 4);
	out->ssrc = cwm_rtp_get32(buf + 8);
	out->payload = buf + off;
	out->payload_len = len - off - pad;
	return 0;
}

void cwm_rtp_header_write(const struct cwm_rtp_header *h, uint8_t buf[CWM_RTP_HEADER_LEN])
{
	buf[0] = CWM_RTP_VERSION << 6;
	buf[1] = (uint8_t)((h->marker ? 0x80 : 0) | (h->payload_type & 0x7f));
	cwm_rtp_put16(buf + 2, h->seq);
	cwm_rtp_put32(buf + 4, h->timestamp);
	cwm_rtp_put32(buf + 8, h->ssrc);
}
