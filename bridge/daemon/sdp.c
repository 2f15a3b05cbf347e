/* SPDX-License-Identifier: MIT */
/*
 * sdp.c — the B-channel's session description (RFC 4566, RFC 3551).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <causeway/common.h>

#include "sdp.h"

unsigned cwb_sdp_port(size_t span_index, int channel)
{
	return CWB_SDP_BASE_PORT + 64u * (unsigned)span_index + 2u * (unsigned)channel;
}

int cwb_sdp_media_address(const char *bind, char *out, size_t len)
{
	const char *a;
	size_t n;

	if (!bind || !out)
		return -EINVAL;
	if (strcmp(bind, "0.0.0.0") == 0)
		a = "127.0.0.1";
	else if (strcmp(bind, "::") == 0 || strcmp(bind, "0:0:0:0:0:0:0:0") == 0)
		a = "::1";
	else
		a = bind;
	n = strlen(a);
	if (n + 1 > len)
		return -ENOSPC;
	memcpy(out, a, n + 1);
	return 0;
}

int cwb_sdp_format(char *buf, size_t len, const char *address, unsigned port, int alaw,
                   uint64_t session_id, unsigned version, size_t *ret_len)
{
	/* RFC 4566 §5.7: addrtype IP6 for an IPv6 literal. */
	const char *family = strchr(address ? address : "", ':') ? "IP6" : "IP4";
	int pt = alaw ? 8 : 0;
	int n;

	if (!buf || !address || !*address || port == 0 || port > 65535)
		return -EINVAL;
	n = snprintf(buf, len,
	             "v=0\r\n"
	             "o=causeway %" PRIu64 " %u IN %s %s\r\n"
	             "s=causeway\r\n"
	             "c=IN %s %s\r\n"
	             "t=0 0\r\n"
	             "m=audio %u RTP/AVP %d\r\n"
	             "a=rtpmap:%d %s/8000\r\n"
	             "a=ptime:20\r\n"
	             "a=sendrecv\r\n",
	             session_id, version, family, address, family, address, port, pt, pt,
	             alaw ? "PCMA" : "PCMU");
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	if (ret_len)
		*ret_len = (size_t)n;
	return 0;
}
