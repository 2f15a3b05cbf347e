/* SPDX-License-Identifier: MIT */
/*
 * uac_state.c — the UAC's memory of one request's challenges (RFC 3261
 * §22.2, §22.3): which realms were answered, with which challenge and how
 * many requests used its nonce; the credentials for every one of them on
 * each new request; and the rule that a realm answered once and
 * challenging again (the credentials were refused) ends the attempt.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"

void cwa_uac_state_init(struct cwa_uac_state *st)
{
	if (st)
		memset(st, 0, sizeof(*st));
}

static struct cwa_uac_realm *find_realm(struct cwa_uac_state *st, int proxy, const char *realm)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->realms[i].proxy == proxy && strcmp(st->realms[i].ch.realm, realm) == 0)
			return &st->realms[i];
	return NULL;
}

int cwa_uac_state_challenged(struct cwa_uac_state *st, int proxy, const char *const *values,
                             size_t nvalues)
{
	struct cwa_challenge list[CWA_CHALLENGES_MAX];
	const struct cwa_challenge *ch;
	struct cwa_uac_realm *r;
	int fresh = 0, refused = 0, full = 0;
	unsigned seen = 0; /* realms this response named already (bit per index) */
	size_t n;

	if (!st || (nvalues && !values))
		return -EINVAL;
	proxy = proxy != 0;
	for (size_t i = 0; i < nvalues; i++) {
		if (!values[i] ||
		    cwa_challenges_parse(values[i], strlen(values[i]), list, CWA_CHALLENGES_MAX, &n) != 0)
			continue;
		ch = cwa_challenge_pick(list, n);
		if (!ch)
			continue;
		r = find_realm(st, proxy, ch->realm);
		/* RFC 8760 §2.4: one challenge per algorithm, the preferred first: a later
		   one for a realm this response named already is an alternative, not asked */
		if (r && (seen & (1u << (r - st->realms))))
			continue;
		if (r) {
			seen |= 1u << (r - st->realms);
			/* RFC 7616 §3.3: stale=true, the password was right and the nonce
			   old: answer the new nonce (once); otherwise it was refused */
			if (ch->stale && !r->stale_used) {
				r->ch = *ch;
				r->nc = 0;
				r->stale_used = 1;
				fresh = 1;
			} else {
				refused = 1;
			}
			continue;
		}
		if (st->n >= CWA_UAC_REALMS_MAX) {
			full = 1;
			continue;
		}
		seen |= 1u << st->n;
		r = &st->realms[st->n++];
		memset(r, 0, sizeof(*r));
		r->proxy = proxy;
		r->ch = *ch;
		fresh = 1;
	}
	if (refused)
		return -EACCES;
	if (fresh)
		return 0;
	return full ? CWCOM_ELIMIT : -ENOENT;
}

size_t cwa_uac_state_count(const struct cwa_uac_state *st)
{
	return st ? st->n : 0;
}

int cwa_uac_state_answer(struct cwa_uac_state *st, size_t i, const struct cwa_uac_input *in,
                         int *proxy, char *buf, size_t size, size_t *len)
{
	struct cwa_uac_input use;
	struct cwa_uac_realm *r;
	int rc;

	if (!st || !in || i >= st->n)
		return -EINVAL;
	r = &st->realms[i];
	use = *in;
	use.nc = r->nc + 1; /* RFC 7616 §3.4: one more request with this nonce */
	rc = cwa_uac_authorization(&r->ch, &use, buf, size, len);
	if (rc == 0)
		r->nc = use.nc;
	if (proxy)
		*proxy = r->proxy;
	return rc;
}
