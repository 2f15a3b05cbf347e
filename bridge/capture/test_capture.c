/* SPDX-License-Identifier: MIT */
/*
 * test_capture.c — capture-writer: records readable while the file is
 * open, TCP sequence numbers per connection, rotation at max_bytes
 * leaving valid files, reopen after a rename, a write error told once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "check.h"
#include "test_addr.h"

static char dir[] = "/tmp/cw-capture-XXXXXX";
static unsigned n_errors;
static int last_err;

static void on_error(void *user, const char *path, const char *what, int err)
{
	(void)user;
	(void)path;
	(void)what;
	n_errors++;
	last_err = err;
}

/* Records of a pcap file (-1 if it cannot be read); the TCP sequence
   number of record `which` (from 1) into *seq when not NULL. */
static int count(const char *path, int which, uint32_t *seq)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = 0, r;

	if (!p)
		return -1;
	if (pcap_datalink(p) != DLT_LINUX_SLL) {
		pcap_close(p);
		return -1;
	}
	while ((r = pcap_next_ex(p, &h, &d)) == 1) {
		n++;
		if (n == which && seq && h->caplen >= 16 + 20 + 8)
			*seq = (uint32_t)d[40] << 24 | (uint32_t)d[41] << 16 | (uint32_t)d[42] << 8 | d[43];
	}
	pcap_close(p);
	return r == PCAP_ERROR ? -1 : n;
}

static void path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", dir, name);
}

static void records(void)
{
	struct sockaddr_in l, r;
	char path[256];
	cwcap *cap = NULL;
	uint32_t s1 = 0, s2 = 0;
	const uint8_t frame[] = { 0x00, 0x01, 0x7f };

	path_of(path, sizeof(path), "a.pcap");
	v4(&l, "127.0.0.1", 5060);
	v4(&r, "127.0.0.2", 40000);
	CHECK_INT(cwcap_open(&cap, path, 0, on_error, NULL), 0);
	CHECK(cwcap_active(cap));
	cwcap_udp(cap, 0, (struct sockaddr *)&l, (struct sockaddr *)&r, "OPTIONS sip:x SIP/2.0", 21);
	cwcap_lapd(cap, 1, 1, frame, sizeof(frame));
	cwcap_tcp(cap, 1, (struct sockaddr *)&l, (struct sockaddr *)&r, "abcde", 5);
	cwcap_tcp(cap, 1, (struct sockaddr *)&l, (struct sockaddr *)&r, "fgh", 3);
	/* read while open: every record is flushed */
	CHECK_INT(count(path, 3, &s1), 4);
	CHECK_INT(count(path, 4, &s2), 4);
	CHECK_INT(s2 - s1, 5);
	/* a closed connection starts again */
	cwcap_tcp_closed(cap, (struct sockaddr *)&l, (struct sockaddr *)&r);
	cwcap_tcp(cap, 1, (struct sockaddr *)&l, (struct sockaddr *)&r, "x", 1);
	CHECK_INT(count(path, 5, &s2), 5);
	CHECK_INT(s2, s1);
	/* NULL is no capture; span 0 is no span */
	cwcap_udp(NULL, 0, (struct sockaddr *)&l, (struct sockaddr *)&r, "x", 1);
	cwcap_lapd(cap, 0, 1, frame, sizeof(frame));
	CHECK_INT(count(path, 0, NULL), 5);
	cwcap_close(cap);
	/* appended to, not truncated */
	CHECK_INT(cwcap_open(&cap, path, 0, on_error, NULL), 0);
	cwcap_lapd(cap, 2, 0, frame, sizeof(frame));
	CHECK_INT(count(path, 0, NULL), 6);
	cwcap_close(cap);
	CHECK_INT(n_errors, 0);
}

static void rotation(void)
{
	struct sockaddr_in l, r;
	char path[256], old[300];
	uint8_t payload[100];
	cwcap *cap = NULL;
	struct stat st;
	int i, total = 0;

	memset(payload, 'x', sizeof(payload));
	path_of(path, sizeof(path), "r.pcap");
	v4(&l, "127.0.0.1", 5060);
	v4(&r, "127.0.0.2", 5062);
	CHECK_INT(cwcap_open(&cap, path, 600, on_error, NULL), 0);
	for (i = 0; i < 40; i++)
		cwcap_udp(cap, i & 1, (struct sockaddr *)&l, (struct sockaddr *)&r, payload,
		          sizeof(payload));
	CHECK(cwcap_active(cap));
	for (i = 0; i <= CWCAP_KEEP; i++) {
		int n;
		if (i)
			snprintf(old, sizeof(old), "%s.%d", path, i);
		else
			snprintf(old, sizeof(old), "%s", path);
		n = count(old, 0, NULL);
		CHECK(n > 0);
		CHECK(stat(old, &st) == 0 && st.st_size <= 600);
		total += n > 0 ? n : 0;
	}
	snprintf(old, sizeof(old), "%s.%d", path, CWCAP_KEEP + 1);
	CHECK(access(old, F_OK) != 0);
	/* 600 bytes hold 24 + 3 records of 160: 40 records = 13 full files
	   and 1 record in the current one; 4 older files are kept */
	CHECK_INT(count(path, 0, NULL), 1);
	CHECK_INT(total, 1 + CWCAP_KEEP * 3);

	/* SIGHUP after logrotate moved the file: a new one */
	snprintf(old, sizeof(old), "%s.moved", path);
	CHECK(rename(path, old) == 0);
	CHECK_INT(cwcap_reopen(cap), 0);
	cwcap_udp(cap, 0, (struct sockaddr *)&l, (struct sockaddr *)&r, payload, 10);
	CHECK_INT(count(path, 0, NULL), 1);
	cwcap_close(cap);
	CHECK_INT(n_errors, 0);
}

static void write_error(void)
{
	struct sockaddr_in l, r;
	struct rlimit keep, small;
	uint8_t payload[2000];
	char path[256];
	cwcap *cap = NULL;
	int i;

	memset(payload, 'y', sizeof(payload));
	path_of(path, sizeof(path), "e.pcap");
	v4(&l, "127.0.0.1", 5060);
	v4(&r, "127.0.0.2", 5062);
	CHECK_INT(cwcap_open(&cap, path, 0, on_error, NULL), 0);
	/* the file may not grow past 8 KiB: the write fails with EFBIG */
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &keep);
	small = keep;
	small.rlim_cur = 8192;
	CHECK(setrlimit(RLIMIT_FSIZE, &small) == 0);
	for (i = 0; i < 10; i++)
		cwcap_udp(cap, 1, (struct sockaddr *)&l, (struct sockaddr *)&r, payload,
		          sizeof(payload));
	setrlimit(RLIMIT_FSIZE, &keep);
	CHECK_INT(n_errors, 1);
	CHECK_INT(last_err, EFBIG);
	CHECK(!cwcap_active(cap));
	/* stopped: nothing more is written, nothing more is told */
	cwcap_udp(cap, 1, (struct sockaddr *)&l, (struct sockaddr *)&r, payload, 10);
	CHECK_INT(n_errors, 1);
	/* a reopen starts again */
	CHECK_INT(cwcap_reopen(cap), 0);
	CHECK(cwcap_active(cap));
	cwcap_close(cap);

	/* a file that is not a pcap file is refused */
	{
		FILE *f;
		path_of(path, sizeof(path), "text.pcap");
		f = fopen(path, "w");
		fputs("not a capture file, only text\n", f);
		fclose(f);
		cap = NULL;
		CHECK(cwcap_open(&cap, path, 0, on_error, NULL) < 0);
		CHECK(cap == NULL);
	}
	/* neither is a folder that does not exist */
	CHECK_INT(cwcap_open(&cap, "/nonexistent-dir/x.pcap", 0, on_error, NULL), -ENOENT);
}

int main(void)
{
	char cmd[64];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	records();
	rotation();
	write_error();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	return check_done();
}
