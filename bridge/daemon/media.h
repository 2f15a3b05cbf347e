/* SPDX-License-Identifier: MIT */
/*
 * media.h — the voice path of the calls: per call one RTP/RTCP session from
 * [sip] rtp_ports (bridge/media rtp_session.h), its offer/answer
 * (bridge/media sdp_oa.h), and the call's B-channel audio (bridge/pri
 * bchan.h, from [span N] audio). The B-channel is the clock: every 20 ms
 * frame it delivers is sent toward SIP (when the session allows sending)
 * and answered with one frame from the playout buffer, so the TDM side gets
 * exactly 8000 samples/s; A-law <-> µ-law conversion follows from decoding
 * with one law and encoding with the other. Every fd is non-blocking and
 * watched through the loop's fd_ops; nothing here blocks or reads the clock.
 */
#ifndef CWB_MEDIA_H
#define CWB_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "daemon.h"
#include "sdp_oa.h"

#define CWB_MEDIA_SDP_MAX 2048

struct cwb_media;
struct cwb_media_call;

/*
 * cwb_media_start() - the port range, the c= address (d->media_addr: [sip]
 * media_address, the bind address, or for a wildcard bind the address of
 * the interface toward the default route) and every span's audio source.
 * 0, or 1 after logging why (exit status 1).
 */
int cwb_media_start(struct cwb *d);
void cwb_media_free(struct cwb *d);

/* cwb_media_call_new() - a session for a call on span (its law): the RTP
 * port pair is taken now; call_id and peer (the call's SIP peer, read at each line, kept
 * not copied: it outlives the session; NULL none) name it in the log (cwb_log_call()).
 * 0, -EADDRINUSE (no free pair), -errno. */
int cwb_media_call_new(struct cwb *d, long span, unsigned long call_id, const char *peer,
                       uint64_t session_id, struct cwb_media_call **ret);
/* cwb_media_call_free() - RTCP BYE, sockets closed, the B-channel's audio
 * stopped. NULL is a no-op. */
void cwb_media_call_free(struct cwb_media_call *mc);

/* cwb_media_call_bind() - the call's B-channel is (span, channel) now
 * (channel 0: none): its audio is stopped on the old one, started on it. */
void cwb_media_call_bind(struct cwb_media_call *mc, long span, int channel);

/*
 * cwb_media_call_answer() - the offer sdp[0..len) (RFC 3264 §6, §8 when a
 * session exists): result as cwm_sdp_oa_answer(). When accepted the answer
 * is the call's description (cwb_media_call_sdp()) and the session takes
 * the codec, direction and remote address. 0 or a negative error.
 */
int cwb_media_call_answer(struct cwb_media_call *mc, const char *sdp, size_t len,
                          struct cwm_sdp_oa_result *result);
/* cwb_media_call_offer() - a new offer (RFC 3264 §5) becomes the call's
 * description; one to a new target (fresh=1) starts a new negotiation. */
int cwb_media_call_offer(struct cwb_media_call *mc, int fresh);
/* cwb_media_call_take_answer() - the answer to our pending offer; as
 * cwm_sdp_oa_process_answer(); CWCOM_ESTATE when no offer is pending. */
int cwb_media_call_take_answer(struct cwb_media_call *mc, const char *sdp, size_t len,
                               struct cwm_sdp_oa_result *result);
/* cwb_media_call_set_digital() - the call's bearer is unrestricted digital (1) or not:
 * the next fresh offer (cwb_media_call_offer(mc, 1)) is clearmode only (RFC 4040). */
void cwb_media_call_set_digital(struct cwb_media_call *mc, int digital);
/* cwb_media_call_clearmode() - 1 when the session agreed is clearmode: the B-channel's
 * octets pass unconverted (no law conversion, DTMF or tone handling). */
int cwb_media_call_clearmode(const struct cwb_media_call *mc);
/* cwb_media_call_sdp() - the last description written (NUL terminated), NULL when none. */
const char *cwb_media_call_sdp(const struct cwb_media_call *mc);
/* cwb_media_call_connect() - the answer went out (183 or 200 with SDP): audio of the
 * B-channel may now be sent toward SIP (early media, RFC 3398 §7.2.2). */
void cwb_media_call_connect(struct cwb_media_call *mc);

#endif /* CWB_MEDIA_H */
