/* SPDX-License-Identifier: MIT */
/*
 * fuzz_identity.c — libFuzzer target for the caller identity parsers
 * (identity.c): the input, split at its first two NUL bytes into a
 * P-Asserted-Identity value, a Privacy value and a From display-name /
 * user, goes through both directions of the mapping. Invariants: outputs
 * are NUL-terminated inside their buffers, numbers are digits only, names
 * printable ASCII, and the party passes the core's own checks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "identity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_digits(const char *s, size_t n)
{
	if (!memchr(s, '\0', n))
		abort();
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			abort();
}

static void check_name(const char *s, size_t n)
{
	if (!memchr(s, '\0', n))
		abort();
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3), *parts[3];
	char digits[CWC_CALL_NUMBER_MAX], name[CWC_CALL_NAME_MAX];
	struct cwc_call_party p;
	struct cwb_sip_identity o;
	struct cwb_sip_caller in;
	size_t k = 0;
	int intl;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	parts[0] = buf;
	for (size_t i = 0; i < size && k < 2; i++)
		if (buf[i] == '\0')
			parts[++k] = buf + i + 1;
	while (k < 2)
		parts[++k] = buf + size + 1;

	if (cwb_pai_parse(parts[0], digits, sizeof(digits), &intl, name, sizeof(name)) == 0) {
		check_digits(digits, sizeof(digits));
		if (!digits[0] || (intl != 0 && intl != 1))
			abort();
		check_name(name, sizeof(name));
	}
	(void)cwb_privacy_parse((const char *const *)&parts[1], 1);
	cwb_display_clean(parts[2], name, sizeof(name));
	check_name(name, sizeof(name));

	for (int trusted = 0; trusted < 2; trusted++) {
		const char *pai[1] = { parts[0] }, *privacy[1] = { parts[1] };
		memset(&in, 0, sizeof(in));
		in.from_display = parts[2];
		in.from_user = parts[2];
		in.from_host = parts[1];
		in.pai = pai;
		in.npai = 1;
		in.privacy = privacy;
		in.nprivacy = 1;
		in.trusted = trusted;
		memset(&p, 0x7f, sizeof(p));
		(void)cwb_identity_from_sip(&in, &p);
		check_digits(p.digits, sizeof(p.digits));
		check_name(p.name, sizeof(p.name));
		if (p.presentation < 0 || p.presentation > 2 || p.screening < 0 || p.screening > 3 ||
		    (p.ton != 0 && p.ton != 1) || p.npi != 1)
			abort();
		cwb_identity_to_sip(&p, trusted, &o);
		if (!memchr(o.from_user, '\0', sizeof(o.from_user)) ||
		    !memchr(o.pai_user, '\0', sizeof(o.pai_user)))
			abort();
		check_name(o.from_display, sizeof(o.from_display));
		check_name(o.pai_display, sizeof(o.pai_display));
		if (o.pai_user[0] && !trusted)
			abort(); /* RFC 3325 §5: never outside the trust domain */
	}
	free(buf);
	return 0;
}
