/* SPDX-License-Identifier: MIT */
/*
 * bridge/sip/sip_frame.h — framing SIP messages on a byte stream (TCP,
 * RFC 3261 §18.3): the header section ends at the first empty line, the
 * body is Content-Length (or compact "l") bytes. Pure: a buffer in, a
 * length out; no socket, no state. Internal to the SIP adapter; fuzzed by
 * fuzz-sip-intake.
 */
#ifndef BRIDGE_SIP_FRAME_H
#define BRIDGE_SIP_FRAME_H

#include <stddef.h>

/* The CR and LF bytes at the start of buf: keep-alives sent between
   messages (RFC 5626 §3.5.1), to be skipped. */
size_t cws_frame_keepalive_len(const char *buf, size_t len);

/*
 * cws_frame_message() - the length of the message at the start of buf
 * (keep-alives already skipped) into *ret_len, or 0 there when more
 * bytes are needed. Errors: CWCOM_ESYNTAX when the stream cannot be framed and
 * its connection must close: no header end within CWS_TP_MAX_MSG bytes,
 * more than CWS_TP_MAX_HEADERS header lines, a Content-Length that is
 * not a number, is given twice with different values, or makes the message
 * larger than CWS_TP_MAX_MSG. A missing Content-Length counts as 0.
 */
int cws_frame_message(const char *buf, size_t len, size_t *ret_len);

#endif
