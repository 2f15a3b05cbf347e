/* SPDX-License-Identifier: MIT */
/*
 * q931.c — bounded Q.921/Q.931 frame walker: find the Cause IE to read its
 * location (libpri keeps it private) or to rewrite it (libpri always sends
 * location 1, LPN; docs/libpri.md §4), grow a diagnostic into it
 * (libpri sends none), and code / decode cause 22's new number (Q.850).
 */
#include <string.h>

#include "q931.h"

int cwi_q921_payload(const uint8_t *frame, size_t len)
{
	if (!frame || len < 3)
		return -1;
	/*
	 * Q.921 §3.2: address field of 2 octets. Octet 1 = SAPI (bits 8-3), C/R,
	 * EA0 = 0; octet 2 = TEI (bits 8-2), EA1 = 1.
	 */
	if ((frame[0] & 0x01) != 0 || (frame[1] & 0x01) != 1)
		return -1;
	if ((frame[0] >> 2) != 0) /* Q.921 §3.3.3: SAPI 0 = call control */
		return -1;
	/* Q.921 §3.6.2 / Table 5: I frame when bit 1 of the control field is 0,
	 * 2 control octets (modulo 128). */
	if ((frame[2] & 0x01) == 0)
		return len > 4 ? 4 : -1;
	/* UI frame: 000P0011, 1 control octet (used for broadcast SETUP on BRI). */
	if ((frame[2] & 0xef) == 0x03)
		return len > 3 ? 3 : -1;
	return -1;
}

/*
 * Walks msg: fills info (when non-NULL) and rewrites Cause locations (when
 * location >= 0); ret_cause_pos (when non-NULL) gets the offset of the Cause
 * IE decoded into info (len when none). Returns the number of Cause IEs
 * rewritten, or -1 when msg is not a Q.931 message with a complete header.
 */
static int q931_walk(uint8_t *wmsg, const uint8_t *msg, size_t len, struct cwi_q931_info *info,
                     int location, size_t *ret_cause_pos)
{
	struct cwi_q931_info local = { 0 };
	size_t pos, i, cause_pos;
	unsigned codeset = 0, locked = 0;
	int rewritten = 0, shift_once = 0;

	if (!msg || len < 3)
		return -1;
	/* Q.931 §4.2: protocol discriminator. */
	if (msg[0] != CWI_Q931_PD)
		return -1;
	/* Q.931 §4.3: octet 2 bits 4-1 = length of the call reference value;
	 * bits 8-5 are spare (0). PRI uses 2 octets, BRI 1, dummy CR 0. */
	if ((msg[1] & 0xf0) != 0)
		return -1;
	local.crlen = msg[1] & 0x0f;
	if (local.crlen > 2)
		return -1;
	pos = 2;
	cause_pos = len;
	if (len < pos + local.crlen + 1)
		return -1;
	if (local.crlen > 0) {
		local.flag = (msg[pos] & 0x80) != 0; /* Q.931 §4.3: flag in bit 8 of the first octet */
		local.crv = msg[pos] & 0x7f;
		for (i = 1; i < local.crlen; i++)
			local.crv = (local.crv << 8) | msg[pos + i];
	}
	pos += local.crlen;
	/* Q.931 §4.4: message type, bit 8 = 0; 0x00 = escape to a national type. */
	local.msgtype = msg[pos++];
	if (local.msgtype & 0x80)
		return -1;
	if (local.msgtype == 0) {
		if (pos >= len)
			return -1;
		local.msgtype = 0x100 | msg[pos++];
	}

	/* Q.931 §4.5: the information elements. */
	while (pos < len) {
		uint8_t id = msg[pos];
		unsigned cs = shift_once ? codeset : locked;
		size_t ielen;
		const uint8_t *v;

		if (shift_once)
			shift_once = 0;
		if (id & 0x80) {
			/* Q.931 §4.5.1: single-octet IE. 1001 x ccc = shift (§4.5.2/4.5.3):
			 * x = 1 non-locking (next IE only), x = 0 locking. */
			if ((id & 0xf0) == 0x90) {
				if (id & 0x08) {
					codeset = id & 0x07;
					shift_once = 1;
				} else {
					locked = id & 0x07;
				}
			}
			pos++;
			continue;
		}
		/* Variable-length IE: identifier, length, contents. */
		if (len - pos < 2)
			break;
		ielen = msg[pos + 1];
		if (ielen > len - pos - 2)
			break; /* truncated or hostile length: stop */
		v = msg + pos + 2;
		if (cs == 0 && id == CWI_Q931_IE_CAUSE) {
			local.n_causes++;
			/* Q.850 §2.1: octet 3 = ext, coding standard (bits 7-6), spare,
			 * location (bits 4-1); octet 3a (recommendation) present when the
			 * ext bit of octet 3 is 0; octet 4 = ext, cause value (bits 7-1). */
			if (ielen >= 2 && !local.has_cause) {
				size_t o4 = (v[0] & 0x80) ? 1 : 2;

				if (ielen > o4) {
					local.has_cause = 1;
					cause_pos = pos;
					local.cause_coding = (v[0] >> 5) & 0x03;
					local.cause_location = v[0] & 0x0f;
					local.cause_value = v[o4] & 0x7f;
					/* Q.850 §2.2.8: octets 5 on are the diagnostic */
					local.cause_diag_len = (unsigned)(ielen - o4 - 1);
					if (local.cause_diag_len > CWI_Q931_DIAG_MAX)
						local.cause_diag_len = CWI_Q931_DIAG_MAX;
					for (i = 0; i < local.cause_diag_len; i++)
						local.cause_diag[i] = v[o4 + 1 + i];
				}
			}
			if (wmsg && location >= 0 && ielen >= 1) {
				wmsg[pos + 2] = (uint8_t)((v[0] & 0xf0) | (unsigned)location);
				rewritten++;
			}
		}
		if (cs == 0 && id == CWI_Q931_IE_CALLING_NUMBER && ielen >= 1 && !local.has_calling) {
			/* Q.931 §4.5.10: octet 3 = ext, type of number, numbering plan;
			 * octet 3a (ext of octet 3 = 0) = ext, presentation (bits 7-6),
			 * spare, screening (bits 2-1); absent: allowed, not screened */
			local.has_calling = 1;
			local.calling_pres = !(v[0] & 0x80) && ielen >= 2 ? v[1] & 0x63 : 0;
		}
		if (cs == 0 && id == CWI_Q931_IE_DISPLAY && !local.has_display) {
			/* Q.931 §4.5.16: IA5 characters; ANSI T1.607 puts a display type
			 * octet with bit 8 set in front (libpri for NI2, DMS100, 4ESS, 5ESS) */
			size_t k = 0, j = ielen >= 1 && (v[0] & 0x80) ? 1 : 0;

			local.has_display = 1;
			for (; j < ielen && k < CWI_Q931_DISPLAY_MAX && v[j]; j++)
				local.display[k++] = (char)v[j];
			local.display[k] = '\0';
		}
		if (cs == 0 && id == CWI_Q931_IE_PROGRESS && ielen >= 2) {
			/* Q.931 §4.5.23: octet 3 = ext, coding standard, spare, location;
			 * octet 4 = ext, progress description (bits 7-1) */
			int desc = v[1] & 0x7f;

			if (!local.has_progress) {
				local.has_progress = 1;
				local.progress_location = v[0] & 0x0f;
				local.progress_description = desc;
			}
			if (desc < 32)
				local.progress_mask |= 1u << desc;
		}
		pos += 2 + ielen;
	}
	if (info)
		*info = local;
	if (ret_cause_pos)
		*ret_cause_pos = cause_pos;
	return rewritten;
}

int cwi_q931_decode(const uint8_t *msg, size_t len, struct cwi_q931_info *ret_info)
{
	struct cwi_q931_info info;

	if (!ret_info || q931_walk(NULL, msg, len, &info, -1, NULL) < 0)
		return -1;
	*ret_info = info;
	return 0;
}

int cwi_q931_rewrite_cause_location(uint8_t *msg, size_t len, int location)
{
	int n;

	if (location < 0 || location > 15)
		return -1;
	n = q931_walk(msg, msg, len, NULL, location, NULL);
	return n < 0 ? 0 : n;
}

int cwi_q931_add_progress(uint8_t *msg, size_t len, size_t tail, size_t cap, int location,
                         int description)
{
	struct cwi_q931_info info;
	size_t pos, i;

	if (!msg || location < 0 || location > 15 || description < 1 || description > 127 ||
	    cwi_q931_decode(msg, len, &info) != 0)
		return -1;
	if (info.has_progress)
		return 0;
	if (len + tail + 4 > cap || len + 4 < len)
		return -1;
	pos = 2 + info.crlen + 1 + (info.msgtype > 0xff ? 1 : 0);
	/* Q.931 §4.5.1: codeset 0 IEs in ascending order; stop before the first
	 * identifier above the Progress indicator's (shifts are 0x9x: above too). */
	while (pos < len && msg[pos] < CWI_Q931_IE_PROGRESS) {
		if (len - pos < 2 || msg[pos + 1] > len - pos - 2)
			return -1; /* truncated before the place: leave it alone */
		pos += 2 + (size_t)msg[pos + 1];
	}
	for (i = len + tail; i > pos; i--)
		msg[i - 1 + 4] = msg[i - 1];
	msg[pos] = CWI_Q931_IE_PROGRESS;
	msg[pos + 1] = 2;
	msg[pos + 2] = (uint8_t)(0x80 | (unsigned)location); /* ext 1, CCITT, spare 0 */
	msg[pos + 3] = (uint8_t)(0x80 | (unsigned)description);
	return (int)(len + 4);
}

int cwi_q931_add_cause_diagnostic(uint8_t *msg, size_t len, size_t tail, size_t cap, int cause,
                                 const uint8_t *diag, size_t n)
{
	struct cwi_q931_info info;
	size_t pos, at, i;

	if (!msg || !diag || n == 0 || cause < 1 || cause > 127 ||
	    q931_walk(NULL, msg, len, &info, -1, &pos) < 0)
		return -1;
	/* Q.850 §2.2.8: the diagnostic follows octet 4 of the first Cause IE */
	if (!info.has_cause || info.cause_value != cause || info.cause_diag_len > 0)
		return 0;
	/* Q.931 Table 4-3: the whole Cause IE is at most 32 octets */
	if (n > CWI_Q931_CAUSE_IE_MAX - 2 || (size_t)msg[pos + 1] + n > CWI_Q931_CAUSE_IE_MAX - 2)
		return -1;
	if (len + tail < len || len + tail + n < len + tail || len + tail + n > cap)
		return -1;
	at = pos + 2 + msg[pos + 1]; /* the end of the Cause IE: the walk checked it fits */
	for (i = len + tail; i > at; i--)
		msg[i - 1 + n] = msg[i - 1];
	memcpy(msg + at, diag, n);
	msg[pos + 1] = (uint8_t)(msg[pos + 1] + n);
	return (int)(len + n);
}

/* Q.931 §4.5.8: number digits are IA5 characters; a new number uses 0-9, * and #. */
static int is_number_digit(uint8_t c)
{
	return (c >= '0' && c <= '9') || c == '*' || c == '#';
}

int cwi_q931_diag_encode_new_number(const char *digits, uint8_t *buf, size_t cap)
{
	size_t k, i;

	if (!digits || !buf)
		return -1;
	k = strnlen(digits, CWI_Q931_NEW_NUMBER_MAX + 1);
	if (k == 0 || k > CWI_Q931_NEW_NUMBER_MAX || k + 3 > cap)
		return -1;
	for (i = 0; i < k; i++)
		if (!is_number_digit((uint8_t)digits[i]))
			return -1;
	/* Q.850 Table 2, cause 22: the Called party number IE (Q.931 §4.5.8) as a whole */
	buf[0] = CWI_Q931_IE_CALLED_NUMBER;
	buf[1] = (uint8_t)(k + 1);
	buf[2] = 0x81; /* ext 1, type of number 000 unknown, numbering plan 0001 E.164 */
	memcpy(buf + 3, digits, k);
	return (int)(k + 3);
}

int cwi_q931_diag_new_number(const uint8_t *diag, size_t n, char *out, size_t outlen)
{
	size_t i = 0, end = n, k;

	if (!diag || !out || outlen == 0)
		return -1;
	if (n >= 2 && diag[0] == CWI_Q931_IE_CALLED_NUMBER) {
		/* the whole IE: identifier, length, contents; its length bounds the number */
		if (diag[1] > n - 2)
			return -1; /* truncated: a cut number is a wrong number */
		i = 2;
		end = 2 + (size_t)diag[1];
	}
	/* Q.931 §4.5.8: octet 3 has ext = 1. An octet 3a in front of it (Calling party
	   number style, ext = 0 before it) is tolerated; nothing more. */
	if (i < end && !(diag[i] & 0x80))
		i++;
	if (i >= end || !(diag[i] & 0x80))
		return -1;
	i++;
	k = end - i;
	if (k == 0 || k >= outlen)
		return -1; /* no digits, or longer than out: refused, not cut */
	for (; i < end; i++)
		if (!is_number_digit(diag[i]))
			return -1;
	memcpy(out, diag + end - k, k);
	out[k] = '\0';
	return 0;
}

const char *cwi_q931_msg_name(int msgtype)
{
	/* Q.931 §4.4, Table 4-2. */
	switch (msgtype) {
	case 0x01: return "ALERTING";
	case 0x02: return "CALL PROCEEDING";
	case 0x03: return "PROGRESS";
	case 0x05: return "SETUP";
	case 0x07: return "CONNECT";
	case 0x0d: return "SETUP ACKNOWLEDGE";
	case 0x0f: return "CONNECT ACKNOWLEDGE";
	case 0x20: return "USER INFORMATION";
	case 0x24: return "HOLD";
	case 0x31: return "RETRIEVE";
	case 0x45: return "DISCONNECT";
	case 0x46: return "RESTART";
	case 0x4d: return "RELEASE";
	case 0x4e: return "RESTART ACKNOWLEDGE";
	case 0x5a: return "RELEASE COMPLETE";
	case 0x60: return "SEGMENT";
	case 0x62: return "FACILITY";
	case 0x6e: return "NOTIFY";
	case 0x75: return "STATUS ENQUIRY";
	case 0x79: return "CONGESTION CONTROL";
	case 0x7b: return "INFORMATION";
	case 0x7d: return "STATUS";
	default: return "UNKNOWN";
	}
}
