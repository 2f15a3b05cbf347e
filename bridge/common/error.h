/* SPDX-License-Identifier: MIT */
/*
 * bridge/common/error.h — the error codes of causeway-bridge.
 *
 * A bridge function returns 0 on success or a negative int: either a
 * negative errno value (-EINVAL, -ENOMEM, -EIO...: the system's words,
 * used wherever one fits) or one of the codes below, for conditions errno
 * has no word for. The codes sit far below every errno value, so one int
 * carries both and cw_bridge_strerror() tells them apart.
 *
 * libcauseway's CW_E* codes (-1..-9, read with cw_strerror()) are not
 * bridge codes: they overlap -EPERM..-EBADF. README.md says how a module
 * moves from them to these.
 */
#ifndef CW_BRIDGE_COMMON_ERROR_H
#define CW_BRIDGE_COMMON_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

enum cw_bridge_error {
	CW_BRIDGE_ESTATE = -1000,  /* the event is not permitted in the current state (bridge/core) */
	CW_BRIDGE_ESYNTAX = -1001, /* malformed text: a configuration line, a message, a command */
	CW_BRIDGE_EDUPLICATE = -1002, /* the same key, section or name given twice */
	CW_BRIDGE_ELIMIT = -1003,  /* a size limit of the bridge was reached (a table, a field) */
};
/* The range of the codes above, for walks and range checks. */
#define CW_BRIDGE_E_FIRST CW_BRIDGE_ESTATE
#define CW_BRIDGE_E_LAST CW_BRIDGE_ELIMIT

/*
 * cw_bridge_strerror() - text for a bridge error: each code above has its
 * own; a negative errno value gives strerror()'s text; 0 gives "success";
 * anything else "unknown error N". Never NULL. The text is static for the
 * codes above and for 0; otherwise it lives in a static buffer that the
 * next call overwrites (the daemon is one thread).
 */
const char *cw_bridge_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif /* CW_BRIDGE_COMMON_ERROR_H */
