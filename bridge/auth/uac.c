/* SPDX-License-Identifier: MIT */
/*
 * uac.c — the UAC side (RFC 3261 §22.2, §22.3; RFC 7616 §3.4): pick a
 * challenge and write the credentials that answer it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "auth_internal.h"

static int qop_usable(unsigned qop)
{
	return qop == 0 || (qop & CWA_QOP_AUTH);
}

const struct cwa_challenge *cwa_challenge_pick(const struct cwa_challenge *list, size_t n)
{
	for (size_t i = 0; list && i < n; i++)
		if (cwa_algorithm_name(list[i].algorithm) && qop_usable(list[i].qop))
			return &list[i];
	return NULL;
}

int cwa_uac_authorization(const struct cwa_challenge *ch, const struct cwa_uac_input *in,
                          char *buf, size_t size, size_t *len)
{
	struct cwa_response_input r;
	char ha1[CWA_HEX_MAX + 1], response[CWA_HEX_MAX + 1], nc[9];
	struct cwa_writer w;
	int use_qop, rc;

	if (!ch || !in || !in->username || !in->method || !in->uri || !buf ||
	    (!in->password && !in->ha1))
		return -EINVAL;
	if (!cwa_algorithm_name(ch->algorithm))
		return CWA_EALGORITHM;
	if (!qop_usable(ch->qop))
		return -ENOENT; /* only auth-int or unknown qop offered */
	use_qop = (ch->qop & CWA_QOP_AUTH) != 0;
	if (use_qop && (!in->cnonce || !*in->cnonce || in->nc == 0))
		return -EINVAL;
	if (in->password) {
		rc = cwa_ha1(ch->algorithm, in->username, ch->realm, in->password, ha1);
		if (rc)
			return rc;
	} else {
		if (strlen(in->ha1) != cwa_algorithm_hex_len(ch->algorithm))
			return -EINVAL;
		memcpy(ha1, in->ha1, strlen(in->ha1) + 1);
	}
	r = (struct cwa_response_input){
		.algorithm = ch->algorithm, .ha1 = ha1, .method = in->method, .uri = in->uri,
		.nonce = ch->nonce, .qop = use_qop ? "auth" : NULL, .nc = in->nc, .cnonce = in->cnonce,
	};
	rc = cwa_response(&r, response);
	if (rc)
		return rc;

	/* RFC 3261 §25.1 digest-response */
	cwa_writer_init(&w, buf, size);
	cwa_put(&w, "Digest ");
	cwa_put_quoted_param(&w, "username", in->username);
	cwa_put_quoted_param(&w, "realm", ch->realm);
	cwa_put_quoted_param(&w, "nonce", ch->nonce);
	cwa_put_quoted_param(&w, "uri", in->uri);
	cwa_put_quoted_param(&w, "response", response);
	cwa_put_token_param(&w, "algorithm", cwa_algorithm_name(ch->algorithm));
	if (use_qop) {
		snprintf(nc, sizeof(nc), "%08x", (unsigned)in->nc);
		cwa_put_quoted_param(&w, "cnonce", in->cnonce);
		cwa_put_token_param(&w, "qop", "auth");
		cwa_put_token_param(&w, "nc", nc);
	}
	if (ch->has_opaque)
		cwa_put_quoted_param(&w, "opaque", ch->opaque);
	return cwa_writer_finish(&w, len);
}
