/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/linger.c — the records of server transactions that only absorb
 * retransmissions (linger.h): one allocation each (key, destination and
 * response in one block), a hash table on the key and a list by deadline.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "linger.h"

enum { K_BRANCH, K_HOST, K_PORT, K_METHOD, K_CALL_ID, K_CSEQ, K_DEST_HOST, K_COUNT };

struct cws_linger_entry {
	struct cws_linger_entry *hnext;          /* same bucket */
	struct cws_linger_entry *older, *newer;  /* by deadline */
	long long expires_ms;
	uint32_t hash;
	int status, proto, sock, port;
	size_t resp_len, size;
	const char *field[K_COUNT];
	const char *resp;
	char data[];                              /* the fields, NUL-ended, then resp */
};

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

static void key_fields(const struct cws_linger_key *k, const char *out[K_DEST_HOST])
{
	out[K_BRANCH] = or_empty(k->branch);
	out[K_HOST] = or_empty(k->host);
	out[K_PORT] = or_empty(k->port);
	out[K_METHOD] = or_empty(k->method);
	out[K_CALL_ID] = or_empty(k->call_id);
	out[K_CSEQ] = or_empty(k->cseq);
}

/* FNV-1a over the branch and the Call-ID: what differs between transactions. */
static uint32_t key_hash(const char *const f[K_DEST_HOST])
{
	uint32_t h = 2166136261u;

	for (const char *s = f[K_BRANCH]; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	for (const char *s = f[K_CALL_ID]; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* RFC 3261 §17.2.3: branch and method exactly, sent-by's host without case. */
static int same_key(const struct cws_linger_entry *e, uint32_t hash,
                    const char *const f[K_DEST_HOST])
{
	return e->hash == hash && strcmp(e->field[K_BRANCH], f[K_BRANCH]) == 0 &&
	       strcasecmp(e->field[K_HOST], f[K_HOST]) == 0 &&
	       strcmp(e->field[K_PORT], f[K_PORT]) == 0 &&
	       strcmp(e->field[K_METHOD], f[K_METHOD]) == 0 &&
	       strcmp(e->field[K_CALL_ID], f[K_CALL_ID]) == 0 &&
	       strcmp(e->field[K_CSEQ], f[K_CSEQ]) == 0;
}

int cws_linger_init(struct cws_linger *t, unsigned nbuckets)
{
	if (t == NULL || nbuckets == 0 || nbuckets > (1u << 20))
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	t->buckets = calloc(nbuckets, sizeof(*t->buckets));
	if (t->buckets == NULL)
		return -ENOMEM;
	t->nbuckets = nbuckets;
	return 0;
}

static void unlink_entry(struct cws_linger *t, struct cws_linger_entry *e)
{
	struct cws_linger_entry **p = &t->buckets[e->hash % t->nbuckets];

	while (*p != e)
		p = &(*p)->hnext;
	*p = e->hnext;
	if (e->older)
		e->older->newer = e->newer;
	else
		t->oldest = e->newer;
	if (e->newer)
		e->newer->older = e->older;
	else
		t->newest = e->older;
	t->count--;
	t->bytes -= e->size;
	free(e);
}

void cws_linger_free(struct cws_linger *t)
{
	if (t == NULL || t->buckets == NULL)
		return;
	while (t->oldest)
		unlink_entry(t, t->oldest);
	free(t->buckets);
	t->buckets = NULL;
}

static struct cws_linger_entry *find(const struct cws_linger *t, uint32_t hash,
                                     const char *const f[K_DEST_HOST])
{
	struct cws_linger_entry *e = t->buckets[hash % t->nbuckets];

	while (e && !same_key(e, hash, f))
		e = e->hnext;
	return e;
}

/* Into the deadline list, from the newest end (deadlines mostly come in order). */
static void link_by_deadline(struct cws_linger *t, struct cws_linger_entry *e)
{
	struct cws_linger_entry *after = t->newest;

	while (after && after->expires_ms > e->expires_ms)
		after = after->older;
	e->older = after;
	e->newer = after ? after->newer : t->oldest;
	if (e->newer)
		e->newer->older = e;
	else
		t->newest = e;
	if (after)
		after->newer = e;
	else
		t->oldest = e;
}

int cws_linger_add(struct cws_linger *t, const struct cws_linger_key *key, int status,
                   const char *resp, size_t len, const struct cws_linger_dest *dest,
                   long long expires_ms)
{
	const char *f[K_COUNT];
	size_t flen[K_COUNT], size = sizeof(struct cws_linger_entry) + len;
	struct cws_linger_entry *e, *old;
	uint32_t hash;
	char *p;

	if (t == NULL || t->buckets == NULL || key == NULL || dest == NULL ||
	    (resp == NULL && len > 0))
		return -EINVAL;
	key_fields(key, f);
	f[K_DEST_HOST] = or_empty(dest->host);
	for (int i = 0; i < K_COUNT; i++) {
		flen[i] = strlen(f[i]) + 1;
		size += flen[i];
	}
	hash = key_hash(f);
	e = malloc(size);
	if (e == NULL)
		return -ENOMEM;
	old = find(t, hash, f);
	if (old)
		unlink_entry(t, old);
	memset(e, 0, sizeof(*e));
	p = e->data;
	for (int i = 0; i < K_COUNT; i++) {
		memcpy(p, f[i], flen[i]);
		e->field[i] = p;
		p += flen[i];
	}
	if (len > 0)
		memcpy(p, resp, len);
	e->resp = p;
	e->resp_len = len;
	e->size = size;
	e->hash = hash;
	e->status = status;
	e->proto = dest->proto;
	e->sock = dest->sock;
	e->port = dest->port;
	e->expires_ms = expires_ms;
	e->hnext = t->buckets[hash % t->nbuckets];
	t->buckets[hash % t->nbuckets] = e;
	link_by_deadline(t, e);
	t->count++;
	t->bytes += size;
	return 0;
}

const struct cws_linger_entry *cws_linger_match(const struct cws_linger *t,
                                                const struct cws_linger_key *key,
                                                long long now_ms)
{
	const char *f[K_COUNT];
	const struct cws_linger_entry *e;

	if (t == NULL || t->buckets == NULL || t->count == 0 || key == NULL)
		return NULL;
	key_fields(key, f);
	e = find(t, key_hash(f), f);
	return e && e->expires_ms > now_ms ? e : NULL;
}

const char *cws_linger_response(const struct cws_linger_entry *e, size_t *ret_len)
{
	*ret_len = e->resp_len;
	return e->resp;
}

int cws_linger_status(const struct cws_linger_entry *e)
{
	return e->status;
}

const char *cws_linger_method(const struct cws_linger_entry *e)
{
	return e->field[K_METHOD];
}

void cws_linger_dest_of(const struct cws_linger_entry *e, struct cws_linger_dest *ret)
{
	ret->proto = e->proto;
	ret->sock = e->sock;
	ret->host = e->field[K_DEST_HOST];
	ret->port = e->port;
}

size_t cws_linger_expire(struct cws_linger *t, long long now_ms)
{
	size_t n = 0;

	while (t && t->oldest && t->oldest->expires_ms <= now_ms) {
		unlink_entry(t, t->oldest);
		n++;
	}
	return n;
}

long long cws_linger_next(const struct cws_linger *t)
{
	return t && t->oldest ? t->oldest->expires_ms : -1;
}
