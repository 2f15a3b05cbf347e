/* SPDX-License-Identifier: MIT */
/*
 * test_golden.c — golden files for tests: compare, show the diff, or rewrite.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_golden.h"

int golden_update_mode(void)
{
	const char *v = getenv("CW_GOLDEN_UPDATE");

	return v && v[0] && strcmp(v, "0") != 0;
}

static int write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");
	int ok;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	ok = fwrite(text, 1, len, f) == len;
	if (fclose(f) != 0)
		ok = 0;
	if (!ok)
		fprintf(stderr, "%s: write failed\n", path);
	return ok ? 0 : -1;
}

int golden_read_file(const char *path, char **ret_buf, size_t *ret_len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (!f)
		return -1;
	do {
		if (cap - len < 4096) {
			char *nbuf = realloc(buf, cap + 65536);

			if (!nbuf) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nbuf;
			cap += 65536;
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
	} while (got > 0);
	fclose(f);
	buf[len] = '\0';
	*ret_buf = buf;
	*ret_len = len;
	return 0;
}

int golden_check(const char *dir, const char *got_dir, const char *name, const char *text,
                 size_t len)
{
	char golden[4096], got[4096], cmd[8400];
	char *want = NULL;
	size_t want_len = 0;
	int same;

	snprintf(golden, sizeof(golden), "%s/%s", dir, name);
	if (golden_update_mode())
		return write_file(golden, text, len);
	if (golden_read_file(golden, &want, &want_len) != 0) {
		fprintf(stderr, "%s: %s (CW_GOLDEN_UPDATE=1 writes it)\n", golden, strerror(errno));
		return -1;
	}
	same = want_len == len && memcmp(want, text, len) == 0;
	free(want);
	if (same)
		return 0;
	snprintf(got, sizeof(got), "%s/%s.got", got_dir, name);
	if (write_file(got, text, len) != 0)
		return -1;
	fprintf(stderr, "%s differs from what the test produced (%s); CW_GOLDEN_UPDATE=1 rewrites it\n",
	        golden, got);
	snprintf(cmd, sizeof(cmd), "diff -u '%s' '%s' >&2", golden, got);
	if (system(cmd) == -1)
		fprintf(stderr, "diff: %s\n", strerror(errno));
	return -1;
}
