/* SPDX-License-Identifier: MIT */
/*
 * test_golden.h — compare the text a test produced with its golden file
 * (DIR/NAME), the habit of libosmocore's tests/ *.ok and *.err files. With
 * CW_GOLDEN_UPDATE=1 in the environment the golden file is written instead.
 */
#ifndef BRIDGE_TEST_GOLDEN_H
#define BRIDGE_TEST_GOLDEN_H

#include <stddef.h>

/*
 * golden_read_file() - the whole file at path, NUL-terminated, in *ret_buf
 * (free() it) and its length in *ret_len: 0, or -1 with errno set.
 */
int golden_read_file(const char *path, char **ret_buf, size_t *ret_len);

/* golden_update_mode() - 1 when CW_GOLDEN_UPDATE is set and not "0". */
int golden_update_mode(void);

/*
 * golden_check() - 0 when DIR/NAME holds exactly text[0..len) (or, in update
 * mode, once it was written). Otherwise -1: the text goes to GOT_DIR/NAME.got
 * and `diff -u` of the two is printed on stderr.
 */
int golden_check(const char *dir, const char *got_dir, const char *name, const char *text,
                 size_t len);

#endif /* BRIDGE_TEST_GOLDEN_H */
