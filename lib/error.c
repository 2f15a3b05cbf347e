/* SPDX-License-Identifier: MIT */
/*
 * error.c — error texts and diagnostics.
 */
#include <stdio.h>

#include <causeway/common.h>

const char *cw_strerror(int err)
{
	switch (err) {
	case CW_OK:
		return "success";
	case CW_EINVAL:
		return "invalid argument";
	case CW_ERANGE:
		return "value out of range";
	case CW_ENOMEM:
		return "out of memory";
	case CW_ENOENT:
		return "unknown name";
	case CW_ESYNTAX:
		return "syntax error";
	case CW_EDUPLICATE:
		return "duplicate";
	case CW_ENOSPC:
		return "buffer too small";
	case CW_ELIMIT:
		return "size limit reached";
	case CW_EMISSING:
		return "missing required item";
	}
	return "unknown error";
}

size_t cw_diag_format(const cw_diag *diag, char *buf, size_t len)
{
	int n;

	if (!diag)
		n = snprintf(buf, len, "(no diagnostic)");
	else if (diag->line && diag->column)
		n = snprintf(buf, len, "%s:%u:%u: %s", diag->file, diag->line, diag->column,
		             diag->message);
	else if (diag->line)
		n = snprintf(buf, len, "%s:%u: %s", diag->file, diag->line, diag->message);
	else
		n = snprintf(buf, len, "%s: %s", diag->file, diag->message);
	return n < 0 ? 0 : (size_t)n;
}
