/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_uac_auth.c — an outgoing INVITE answered 401 or 407
 * (RFC 3261 §22.2, §22.3): the same request again with the credentials for
 * every realm that challenged it (bridge/auth does the digest), CSeq + 1,
 * the same Call-ID, From tag and To (no tag), a new branch (§8.1.3.5: a new
 * transaction). The 401/407 itself was ACKed by its ICT (§17.1.1.3).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "sip_internal.h"

int cws_uac_auth_new(const char *user, const char *password, struct cws_uac_auth **ret)
{
	struct cws_uac_auth *a;

	*ret = NULL;
	if (!user)
		return 0;
	if (!password || !*user || strlen(user) > CWA_VALUE_MAX || strlen(password) > CWA_VALUE_MAX)
		return -EINVAL;
	a = calloc(1, sizeof(*a));
	if (!a)
		return -ENOMEM;
	cwa_uac_state_init(&a->state);
	memcpy(a->user, user, strlen(user) + 1);
	memcpy(a->password, password, strlen(password) + 1);
	*ret = a;
	return 0;
}

void cws_uac_auth_free(struct cws_uac_auth *a)
{
	if (!a)
		return;
	explicit_bzero(a, sizeof(*a));
	free(a);
}

/* The challenge values of a 401 (WWW-Authenticate) or a 407 (Proxy-Authenticate),
   as libosip2 writes them again; n at most max. Free with free_values(). */
static size_t challenge_values(osip_message_t *resp, int proxy, char **out, size_t max)
{
	osip_www_authenticate_t *wa;
	size_t n = 0;

	for (int pos = 0; n < max; pos++) {
		wa = NULL;
		if ((proxy ? osip_message_get_proxy_authenticate(resp, pos, &wa)
		           : osip_message_get_www_authenticate(resp, pos, &wa)) < 0 || !wa)
			break;
		out[n] = NULL;
		if (osip_www_authenticate_to_str(wa, &out[n]) == 0 && out[n])
			n++;
	}
	return n;
}

static void free_values(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		osip_free(v[i]);
}

/* RFC 7616 §3.4: a client nonce, 128 random bits in hex. */
static int make_cnonce(char out[33])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), GRND_NONBLOCK) != (ssize_t)sizeof(b))
		return -EIO;
	for (size_t i = 0; i < sizeof(b); i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
	return 0;
}

int cws_uac_auth_challenged(struct cws_uac_auth *a, osip_message_t *resp)
{
	char *vals[CWA_CHALLENGES_MAX];
	int proxy = resp->status_code == 407, rc;
	size_t n = challenge_values(resp, proxy, vals, CWA_CHALLENGES_MAX);

	rc = cwa_uac_state_challenged(&a->state, proxy, (const char *const *)vals, n);
	free_values(vals, n);
	return rc;
}

int cws_uac_auth_add(struct cws_uac_auth *a, osip_message_t *req)
{
	struct cwa_uac_input in;
	char cnonce[33], buf[2048], *uri = NULL;
	int proxy, rc = 0;

	if (osip_uri_to_str(req->req_uri, &uri) != 0 || !uri)
		return -ENOMEM;
	if (make_cnonce(cnonce) != 0) {
		osip_free(uri);
		return -EIO;
	}
	memset(&in, 0, sizeof(in));
	in.username = a->user;
	in.password = a->password;
	in.method = req->sip_method;
	in.uri = uri; /* RFC 3261 §22.4: digest-uri = the Request-URI */
	in.cnonce = cnonce;
	for (size_t i = 0; rc == 0 && i < cwa_uac_state_count(&a->state); i++) {
		rc = cwa_uac_state_answer(&a->state, i, &in, &proxy, buf, sizeof(buf), NULL);
		if (rc == 0)
			rc = proxy ? osip_message_set_proxy_authorization(req, buf)
			           : osip_message_set_authorization(req, buf);
	}
	osip_free(uri);
	return rc;
}

osip_message_t *cws_uac_auth_request(cws *sip, struct cws_call *c, osip_message_t *req,
                                     osip_message_t *resp, char **branch)
{
	char num[24];
	osip_message_t *m = NULL;
	osip_via_t *via;
	int rc;

	*branch = NULL;
	if (!c->auth || !req || !req->cseq || !req->cseq->number ||
	    cws_uac_auth_challenged(c->auth, resp) != 0 || osip_message_clone(req, &m) != 0)
		return NULL;
	/* a new transaction: our Via with a new branch (RFC 3261 §8.1.1.7) */
	while ((via = osip_list_get(&m->vias, 0)) != NULL) {
		osip_list_remove(&m->vias, 0);
		osip_via_free(via);
	}
	cws_add_via(sip, m, c->proto, branch);
	/* RFC 3261 §8.1.3.5: CSeq + 1 */
	snprintf(num, sizeof(num), "%u", (unsigned)strtoul(req->cseq->number, NULL, 10) + 1u);
	osip_free(m->cseq->number);
	m->cseq->number = osip_strdup(num);
	osip_list_special_free(&m->authorizations, (void (*)(void *))osip_authorization_free);
	osip_list_special_free(&m->proxy_authorizations,
	                       (void (*)(void *))osip_proxy_authorization_free);
	rc = *branch && m->cseq->number ? cws_uac_auth_add(c->auth, m) : -ENOMEM;
	if (rc != 0) {
		osip_free(*branch);
		*branch = NULL;
		osip_message_free(m);
		return NULL;
	}
	osip_message_force_update(m);
	return m;
}
