/* SPDX-License-Identifier: MIT */
/*
 * replay.c — runs a libFuzzer target without libFuzzer: every argument is
 * a file (or a directory of files, one level deep) whose bytes are passed
 * to LLVMFuzzerTestOneInput() once. Link it with any fuzz target so its
 * corpus replays as an ordinary test under gcc and the sanitizers.
 *
 * Exit status 0 when every input ran (a crash or abort() in the target is
 * the failure), 1 when a file could not be read.
 */
#if !defined(_GNU_SOURCE) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L /* opendir(), stat() */
#endif

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads all of path into a malloc'd buffer (never NULL on success, even when empty). */
static int read_file(const char *path, uint8_t **ret_data, size_t *ret_size)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t size = 0, capacity = 0;

	if (!f)
		return -1;
	for (;;) {
		size_t n;

		if (size == capacity) {
			uint8_t *bigger;

			capacity = capacity ? capacity * 2 : 4096;
			bigger = realloc(data, capacity);
			if (!bigger) {
				free(data);
				fclose(f);
				return -1;
			}
			data = bigger;
		}
		n = fread(data + size, 1, capacity - size, f);
		size += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		free(data);
		fclose(f);
		return -1;
	}
	fclose(f);
	*ret_data = data;
	*ret_size = size;
	return 0;
}

static int replay_file(const char *path)
{
	uint8_t *data;
	size_t size;

	if (read_file(path, &data, &size) != 0) {
		fprintf(stderr, "replay: cannot read %s\n", path);
		return -1;
	}
	/* An exact-size copy, so ASan sees reads past the end of the input. */
	{
		uint8_t *exact = malloc(size ? size : 1);

		if (!exact) {
			free(data);
			return -1;
		}
		if (size)
			memcpy(exact, data, size);
		free(data);
		LLVMFuzzerTestOneInput(exact, size);
		free(exact);
	}
	return 0;
}

static int replay_directory(const char *path, unsigned *count)
{
	DIR *dir = opendir(path);
	struct dirent *entry;
	int failed = 0;

	if (!dir) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return -1;
	}
	while ((entry = readdir(dir)) != NULL) {
		char child[4096];
		struct stat st;

		if (entry->d_name[0] == '.')
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", path, entry->d_name) >= (int)sizeof(child))
			continue;
		if (stat(child, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (replay_file(child) != 0)
			failed = 1;
		else
			(*count)++;
	}
	closedir(dir);
	return failed ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned count = 0;
	int failed = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (replay_directory(argv[i], &count) != 0)
				failed = 1;
		} else if (replay_file(argv[i]) != 0) {
			failed = 1;
		} else {
			count++;
		}
	}
	printf("replayed %u inputs%s\n", count, failed ? ", some unreadable" : "");
	return failed ? 1 : 0;
}
