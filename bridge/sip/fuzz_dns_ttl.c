/* SPDX-License-Identifier: MIT */
/*
 * fuzz_dns_ttl.c — libFuzzer target for cws_dns_min_ttl() (rfc3263.c): any
 * bytes as a DNS message, asked for A, SRV and NAPTR. Held to rfc3263.h: 0
 * with a TTL below 2^31 (RFC 2181 §8), -ENOENT or -EINVAL, never a read past
 * the input (ASan). Any violation calls abort().
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rfc3263.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned types[] = { 1, 33, 35 };
	/* a copy of its own size, so ASan sees a read past the end */
	unsigned char *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		uint32_t ttl = 0xFFFFFFFFu;
		int r = cws_dns_min_ttl(buf, size, types[i], &ttl);

		if (r == 0 && ttl > 0x7FFFFFFFu)
			abort();
		if (r != 0 && r != -ENOENT && r != -EINVAL)
			abort();
		if (size < 12 && r != -EINVAL)
			abort();
	}
	free(buf);
	return 0;
}
