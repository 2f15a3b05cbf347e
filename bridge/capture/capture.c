/* SPDX-License-Identifier: MIT */
/*
 * bridge/capture/capture.c — the pcap writer (capture.h): libpcap's
 * dumper on a dead LINKTYPE_LINUX_SLL handle, one flush per record,
 * rotation by size, per-connection TCP sequence numbers.
 */
#include <errno.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "capture.h"
#include "frame.h"
#include "hep.h"

#define CAP_SNAPLEN 262144      /* libpcap's MAXIMUM_SNAPLEN: any record fits */
#define CAP_TCP_SEGMENT 16384u  /* TCP payload per record */
#define CAP_PAYLOAD_MAX 65536u  /* the longest payload of one record */
#define CAP_PCAP_HDR 24u        /* the file header */
#define CAP_REC_HDR 16u         /* each record's header */

/* One TCP connection seen: the next sequence number of each direction. */
struct flow {
	struct sockaddr_storage local, remote;
	uint32_t seq_out, seq_in;
};

struct cwcap {
	char *path;
	uint64_t max_bytes;
	pcap_t *dead;
	pcap_dumper_t *dump;   /* NULL: stopped */
	uint64_t size;         /* bytes in the current file */
	cwcap_error_cb *on_error;
	void *user;
	uint16_t ip_id;
	struct flow *flows;
	size_t n_flows, cap_flows;
	uint8_t *rec;          /* CWCAP_HDR_MAX + CAP_PAYLOAD_MAX */
	int hep_fd;            /* -1: no HEP */
	struct sockaddr_storage hep_to;
	socklen_t hep_to_len;
	uint8_t *hep_buf;      /* CWCAP_HEP_MAX */
	unsigned long hep_dropped;
};

static int addr_len(const struct sockaddr *a)
{
	return a->sa_family == AF_INET6 ? (int)sizeof(struct sockaddr_in6)
	                                : (int)sizeof(struct sockaddr_in);
}

static int same_end(const struct sockaddr_storage *s, const struct sockaddr *a)
{
	if (s->ss_family != a->sa_family)
		return 0;
	if (a->sa_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)s, *y = (const void *)a;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	{
		const struct sockaddr_in6 *x = (const void *)s, *y = (const void *)a;
		return x->sin6_port == y->sin6_port &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
	}
}

static void stop(cwcap *cap, const char *what, int err)
{
	if (!cap->dump)
		return;
	pcap_dump_close(cap->dump);
	cap->dump = NULL;
	if (cap->on_error)
		cap->on_error(cap->user, cap->path, what, err);
}

/* Open cap->path: appending (a new or an existing file) or truncating (after rotation). */
static int open_file(cwcap *cap, int append)
{
	long long pos;

	errno = 0;
	cap->dump = append ? pcap_dump_open_append(cap->dead, cap->path)
	                   : pcap_dump_open(cap->dead, cap->path);
	if (!cap->dump)
		return errno ? -errno : -EINVAL;
	pos = pcap_dump_ftell64(cap->dump);
	cap->size = pos > 0 ? (uint64_t)pos : CAP_PCAP_HDR;
	if (pcap_dump_flush(cap->dump) != 0) {
		int e = errno ? errno : EIO;
		pcap_dump_close(cap->dump);
		cap->dump = NULL;
		return -e;
	}
	return 0;
}

int cwcap_open(cwcap **ret, const char *path, uint64_t max_bytes, cwcap_error_cb *on_error,
               void *user)
{
	cwcap *cap;
	int r;

	if (!ret || (path && !path[0]))
		return -EINVAL;
	cap = calloc(1, sizeof(*cap));
	if (!cap)
		return -ENOMEM;
	cap->hep_fd = -1;
	cap->path = path ? strdup(path) : NULL;
	cap->rec = malloc(CWCAP_HDR_MAX + CAP_PAYLOAD_MAX);
	cap->dead = pcap_open_dead(DLT_LINUX_SLL, CAP_SNAPLEN);
	if ((path && !cap->path) || !cap->rec || !cap->dead) {
		cwcap_close(cap);
		return -ENOMEM;
	}
	cap->max_bytes = max_bytes;
	cap->on_error = on_error;
	cap->user = user;
	r = path ? open_file(cap, 1) : 0;
	if (r < 0) {
		cwcap_close(cap);
		return r;
	}
	*ret = cap;
	return 0;
}

int cwcap_reopen(cwcap *cap)
{
	if (!cap || !cap->path)
		return 0;
	if (cap->dump) {
		pcap_dump_close(cap->dump);
		cap->dump = NULL;
	}
	return open_file(cap, 1);
}

void cwcap_close(cwcap *cap)
{
	if (!cap)
		return;
	if (cap->dump)
		pcap_dump_close(cap->dump);
	if (cap->dead)
		pcap_close(cap->dead);
	if (cap->hep_fd >= 0)
		close(cap->hep_fd);
	free(cap->hep_buf);
	free(cap->flows);
	free(cap->rec);
	free(cap->path);
	free(cap);
}

int cwcap_active(const cwcap *cap)
{
	return cap && cap->dump;
}

/* FILE -> FILE.1 -> … -> FILE.CWCAP_KEEP (dropped), then a new FILE. */
static int rotate(cwcap *cap)
{
	size_t n = strlen(cap->path) + 8;
	char *from = malloc(n), *to = malloc(n);
	int k, r = 0;

	if (!from || !to) {
		r = -ENOMEM;
		goto out;
	}
	pcap_dump_close(cap->dump);
	cap->dump = NULL;
	for (k = CWCAP_KEEP - 1; k >= 0 && r == 0; k--) {
		if (k)
			snprintf(from, n, "%s.%d", cap->path, k);
		else
			snprintf(from, n, "%s", cap->path);
		snprintf(to, n, "%s.%d", cap->path, k + 1);
		if (rename(from, to) != 0 && errno != ENOENT)
			r = -errno;
	}
	if (r == 0)
		r = open_file(cap, 0);
out:
	free(from);
	free(to);
	return r;
}

/* Write the record rec[0..len): rotate first if it would pass max_bytes. */
static void emit(cwcap *cap, size_t len)
{
	struct pcap_pkthdr h;
	uint64_t need = CAP_REC_HDR + len;

	if (cap->max_bytes && cap->size > CAP_PCAP_HDR && cap->size + need > cap->max_bytes) {
		int r = rotate(cap);
		if (r < 0) {
			if (cap->dump)
				stop(cap, "rotate", -r);
			else if (cap->on_error)
				cap->on_error(cap->user, cap->path, "rotate", -r);
			return;
		}
	}
	gettimeofday(&h.ts, NULL);
	h.caplen = h.len = (bpf_u_int32)len;
	errno = 0;
	pcap_dump((u_char *)cap->dump, &h, cap->rec);
	if (pcap_dump_flush(cap->dump) != 0 || ferror(pcap_dump_file(cap->dump))) {
		stop(cap, "write", errno ? errno : EIO);
		return;
	}
	cap->size += need;
}

/* Header + payload into cap->rec, then out. */
static void record(cwcap *cap, const struct cwcap_frame *f, const void *buf, size_t len)
{
	int n;

	if (len > CAP_PAYLOAD_MAX)
		return;
	n = cwcap_frame_header(cap->rec, CWCAP_HDR_MAX, f, buf, len);
	if (n < 0)
		return; /* not an IP pair, or no IP packet can hold it: not a record */
	if (len)
		memcpy(cap->rec + n, buf, len);
	cap->ip_id++;
	emit(cap, (size_t)n + len);
}

static void frame_ends(struct cwcap_frame *f, int sent, const struct sockaddr *local,
                       const struct sockaddr *remote)
{
	memset(f, 0, sizeof(*f));
	f->pkttype = sent ? CWCAP_PKT_OUTGOING : CWCAP_PKT_HOST;
	f->hatype = CWCAP_HATYPE_NONE;
	f->src = sent ? local : remote;
	f->dst = sent ? remote : local;
}

int cwcap_hep_start(cwcap *cap, const struct sockaddr *to, socklen_t len)
{
	if (!cap || !to || (to->sa_family != AF_INET && to->sa_family != AF_INET6) ||
	    len > sizeof(cap->hep_to) || cap->hep_fd >= 0)
		return -EINVAL;
	cap->hep_buf = malloc(CWCAP_HEP_MAX);
	if (!cap->hep_buf)
		return -ENOMEM;
	cap->hep_fd = socket(to->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (cap->hep_fd < 0) {
		int e = errno;
		free(cap->hep_buf);
		cap->hep_buf = NULL;
		return -e;
	}
	memcpy(&cap->hep_to, to, len);
	cap->hep_to_len = len;
	return 0;
}

unsigned long cwcap_hep_dropped(const cwcap *cap)
{
	return cap ? cap->hep_dropped : 0;
}

/* One SIP message to the HEP collector; never waits (a full socket buffer drops it). */
static void hep_send(cwcap *cap, int tcp, int sent, const struct sockaddr *local,
                     const struct sockaddr *remote, const void *buf, size_t len)
{
	struct cwcap_hep_msg m;
	struct timeval tv;
	int n;

	gettimeofday(&tv, NULL);
	memset(&m, 0, sizeof(m));
	m.src = sent ? local : remote;
	m.dst = sent ? remote : local;
	m.tcp = tcp;
	m.sec = (uint32_t)tv.tv_sec;
	m.usec = (uint32_t)tv.tv_usec;
	m.payload = buf;
	m.len = len;
	n = cwcap_hep_encode(cap->hep_buf, CWCAP_HEP_MAX, &m);
	if (n < 0 || sendto(cap->hep_fd, cap->hep_buf, (size_t)n, MSG_DONTWAIT | MSG_NOSIGNAL,
	                    (const struct sockaddr *)&cap->hep_to, cap->hep_to_len) != n)
		cap->hep_dropped++;
}

void cwcap_udp(cwcap *cap, int sent, const struct sockaddr *local,
               const struct sockaddr *remote, const void *buf, size_t len)
{
	struct cwcap_frame f;

	if (!cap || !local || !remote)
		return;
	if (cap->hep_fd >= 0 && len > 4) /* not the keep-alives */
		hep_send(cap, 0, sent, local, remote, buf, len);
	if (!cap->dump)
		return;
	frame_ends(&f, sent, local, remote);
	f.ip_id = cap->ip_id;
	record(cap, &f, buf, len);
}

void cwcap_tcp_message(cwcap *cap, int sent, const struct sockaddr *local,
                       const struct sockaddr *remote, const void *buf, size_t len)
{
	if (cap && cap->hep_fd >= 0 && local && remote)
		hep_send(cap, 1, sent, local, remote, buf, len);
}

static struct flow *flow_find(cwcap *cap, const struct sockaddr *local,
                              const struct sockaddr *remote)
{
	size_t i;

	for (i = 0; i < cap->n_flows; i++)
		if (same_end(&cap->flows[i].local, local) && same_end(&cap->flows[i].remote, remote))
			return &cap->flows[i];
	return NULL;
}

static struct flow *flow_get(cwcap *cap, const struct sockaddr *local,
                             const struct sockaddr *remote)
{
	struct flow *fl = flow_find(cap, local, remote);

	if (fl)
		return fl;
	if (cap->n_flows == cap->cap_flows) {
		size_t n = cap->cap_flows ? cap->cap_flows * 2 : 16;
		struct flow *t = realloc(cap->flows, n * sizeof(*t));
		if (!t)
			return NULL;
		cap->flows = t;
		cap->cap_flows = n;
	}
	fl = &cap->flows[cap->n_flows++];
	memset(fl, 0, sizeof(*fl));
	memcpy(&fl->local, local, (size_t)addr_len(local));
	memcpy(&fl->remote, remote, (size_t)addr_len(remote));
	fl->seq_out = 1;
	fl->seq_in = 1;
	return fl;
}

void cwcap_tcp(cwcap *cap, int sent, const struct sockaddr *local,
               const struct sockaddr *remote, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	struct flow *fl;

	if (!cap || !cap->dump || !local || !remote || (local->sa_family != AF_INET &&
	    local->sa_family != AF_INET6) || local->sa_family != remote->sa_family)
		return;
	fl = flow_get(cap, local, remote);
	if (!fl)
		return;
	while (len > 0 && cap->dump) {
		size_t n = len > CAP_TCP_SEGMENT ? CAP_TCP_SEGMENT : len;
		struct cwcap_frame f;
		uint32_t *mine = sent ? &fl->seq_out : &fl->seq_in;

		frame_ends(&f, sent, local, remote);
		f.tcp = 1;
		f.seq = *mine;
		f.ack = sent ? fl->seq_in : fl->seq_out;
		f.flags = CWCAP_TCP_ACK | CWCAP_TCP_PSH;
		f.ip_id = cap->ip_id;
		*mine += (uint32_t)n;
		record(cap, &f, p, n);
		p += n;
		len -= n;
	}
}

void cwcap_tcp_closed(cwcap *cap, const struct sockaddr *local, const struct sockaddr *remote)
{
	struct flow *fl;

	if (!cap || !local || !remote)
		return;
	fl = flow_find(cap, local, remote);
	if (fl)
		*fl = cap->flows[--cap->n_flows];
}

void cwcap_lapd(cwcap *cap, unsigned span, int sent, const void *frame, size_t len)
{
	struct sockaddr_storage bridge, peer;
	struct cwcap_frame f;
	uint8_t ll[2];

	if (!cap || !cap->dump || cwcap_frame_lapd_ends(span, &bridge, &peer) != 0)
		return;
	frame_ends(&f, sent, (const struct sockaddr *)&bridge, (const struct sockaddr *)&peer);
	f.hatype = CWCAP_HATYPE_LAPD;
	ll[0] = (uint8_t)(span >> 8);
	ll[1] = (uint8_t)span;
	f.lladdr = ll;
	f.lladdr_len = 2;
	f.ip_id = cap->ip_id;
	record(cap, &f, frame, len);
}
