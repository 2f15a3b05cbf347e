/* SPDX-License-Identifier: MIT */
/*
 * causeway/common.h — export macro, error codes, string spans, diagnostics.
 *
 * Every function of libcauseway that can fail returns an int: 0 on
 * success, a negative CW_E* code on failure. Out-parameters are never
 * written on failure.
 */
#ifndef CAUSEWAY_COMMON_H
#define CAUSEWAY_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(CW_BUILDING_LIBRARY) && defined(__GNUC__)
#define CW_EXTERN __attribute__((visibility("default")))
#else
#define CW_EXTERN
#endif

/*
 * Error codes. Numbers are stable: never renumbered, never reused.
 */
enum cw_error {
	CW_OK = 0,
	CW_EINVAL = -1,     /* invalid argument (NULL, wrong kind) */
	CW_ERANGE = -2,     /* a number outside its permitted range */
	CW_ENOMEM = -3,     /* out of memory */
	CW_ENOENT = -4,     /* unknown name: profile, location, keyword */
	CW_ESYNTAX = -5,    /* malformed text */
	CW_EDUPLICATE = -6, /* the same key twice */
	CW_ENOSPC = -7,     /* the caller's buffer is too small */
	CW_ELIMIT = -8,     /* a size limit was reached */
	CW_EMISSING = -9    /* a required row or field is missing */
};

/*
 * cw_strerror() - text for an error code; never NULL. Unknown codes give
 * "unknown error".
 */
CW_EXTERN const char *cw_strerror(int err);

/*
 * A read-only span of bytes, not NUL-terminated. Points into memory owned
 * by someone else (the input, or a caller buffer): see each use.
 */
typedef struct cw_str {
	const char *ptr;
	size_t len;
} cw_str;

/*
 * Where and why a text (a map file, an override file) was rejected.
 * Filled by the loaders on failure; plain data, caller-owned.
 * file is the name the caller passed (truncated to fit), line and column
 * are 1-based (0 = not applicable).
 */
#define CW_DIAG_FILE_MAX 256
#define CW_DIAG_MESSAGE_MAX 256
typedef struct cw_diag {
	int code;                          /* the CW_E* code returned */
	unsigned line;
	unsigned column;
	char file[CW_DIAG_FILE_MAX];
	char message[CW_DIAG_MESSAGE_MAX]; /* one line, no trailing newline */
} cw_diag;

/*
 * cw_diag_format() - "FILE:LINE:COL: MESSAGE" into buf (NUL-terminated,
 * truncated to len). Returns the length it would have written.
 */
CW_EXTERN size_t cw_diag_format(const cw_diag *diag, char *buf, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* CAUSEWAY_COMMON_H */
