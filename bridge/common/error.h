/* SPDX-License-Identifier: MIT */
/*
 * bridge/common/error.h — the error codes of causeway-bridge.
 *
 * A bridge function returns 0 on success or a negative int: either a
 * negative errno value (-EINVAL, -ENOMEM, -EIO...: the system's words,
 * used wherever one fits) or one of the codes below, for conditions errno
 * has no word for. The codes sit far below every errno value, so one int
 * carries both and cwcom_strerror() tells them apart.
 *
 * libcauseway's CW_E* codes (-1..-9, read with cw_strerror()) are not
 * bridge codes: they overlap -EPERM..-EBADF. README.md says how a module
 * moves from them to these.
 */
#ifndef BRIDGE_COMMON_ERROR_H
#define BRIDGE_COMMON_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

enum cwcom_error {
	CWCOM_ESTATE = -1000,  /* the event is not permitted in the current state (bridge/core) */
	CWCOM_ESYNTAX = -1001, /* malformed text: a configuration line, a message, a command */
	CWCOM_EDUPLICATE = -1002, /* the same key, section or name given twice */
	CWCOM_ELIMIT = -1003,  /* a size limit of the bridge was reached (a table, a field) */
	CWCOM_EMISSING = -1004, /* a required key or field is missing */
	CWCOM_ESCHEME = -1005, /* not Digest authentication (bridge/auth, RFC 3261 §22.4) */
	CWCOM_EALGORITHM = -1006, /* a digest algorithm the bridge does not compute (bridge/auth) */
};
/* The range of the codes above, for walks and range checks. */
#define CWCOM_E_FIRST CWCOM_ESTATE
#define CWCOM_E_LAST CWCOM_EALGORITHM

/*
 * cwcom_strerror() - text for a bridge error: each code above has its
 * own; a negative errno value gives strerror()'s text; 0 gives "success";
 * anything else "unknown error N". Never NULL. The text is static for the
 * codes above and for 0; otherwise it lives in a static buffer that the
 * next call overwrites (the daemon is one thread).
 */
const char *cwcom_strerror(int err);

/*
 * cwcom_from_cw() - the bridge value of a libcauseway result: 0 stays 0,
 * each CW_E* code becomes its negative errno value or bridge code
 * (CW_EINVAL -> -EINVAL, CW_ESYNTAX -> CWCOM_ESYNTAX...), a positive
 * value passes unchanged (a count or a length) and any other negative
 * value becomes -EINVAL. A module calls it where it receives the result of
 * a cw_* function that it passes on.
 */
int cwcom_from_cw(int cw_error);

#ifdef __cplusplus
}
#endif

#endif /* BRIDGE_COMMON_ERROR_H */
