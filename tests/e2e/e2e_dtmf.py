#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-dtmf-*: DTMF and fax tones across the gateway, SIPp (signalling) <-> causeway-bridge <->
causeway-pstn-sim with `--audio`. The SIP side's RTP is the test's own UDP socket, named as the
media port in SIPp's SDP: it learns the bridge's RTP address from the first packet the bridge
sends there (symmetric RTP, RFC 4961), sends RTP and RFC 4733 events from it, and decodes what
arrives (PCMA, telephone-event as payload type 101).

usage: e2e_dtmf.py MODE CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM [--causeway CLI]

MODE:
  sip-to-isdn  SIPp calls the E1 span offering PCMA and telephone-event; the test sends the
               digits 3690*# as RFC 4733 events (RFC 4733 §2.5.1: one timestamp per event,
               the marker on the first packet, the duration growing, three end packets):
               the simulator's report must name them, detected in-band on the B-channel.
  isdn-to-sip  the simulator answers with `play dtmf 159#`: the test must receive RFC 4733
               events for 1, 5, 9 and # (codes 1 5 9 11, each ended), and the PCMA audio it
               receives must hold no in-band digit (the bridge mutes the tone it sends as
               events). The same call offered without telephone-event: no events, and the
               digits 159# are in the audio (in-band DTMF simply passes).
  fax          the simulator answers with `play ced`: the bridge logs the switch to
               passthrough once (`ced tone from ISDN`) and the 2100 Hz reaches the test's
               socket; the test sends 2100 Hz toward a call whose B-channel is silent: the
               bridge logs `ced tone from SIP` and the simulator measures 2100 Hz.
  inband       `[sip] dtmf = inband`: an offer with telephone-event is answered PCMA alone,
               and the simulator's `play dtmf 159#` reaches the test in-band, no event.

Exit 77 when sipp is missing. Each check fails on a bridge that does not join DTMF and fax
tones to the voice path: no digit on the B-channel, no event toward SIP (the in-band tone
instead), no passthrough line."""
import os
import random
import re
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_media as M  # noqa: E402  (takes --causeway out of sys.argv)
import e2e_common as E  # noqa: E402
import g711_tone as G  # noqa: E402

PCMA, TE = 8, 101
EVENT_CODES = "0123456789*#ABCD"  # RFC 4733 §3.2: events 0-15
ROWS, COLS = (697, 770, 852, 941), (1209, 1336, 1477, 1633)
KEYS = ("123A", "456B", "789C", "*0#D")

RULES = """4930101 answer 0
4930159 answer 0 play dtmf 159# delay 500
4930130 answer 0 play ced
default answer 0
"""


def media(port, events=True):
    """Our SDP's m= section: PCMA (and telephone-event 101) at the test's own port."""
    if not events:
        return M.media_lines("PCMA", str(port))
    return ("      m=audio %d RTP/AVP 8 101\n      a=rtpmap:8 PCMA/8000\n"
            "      a=rtpmap:101 telephone-event/8000\n      a=fmtp:101 0-15\n      a=ptime:20"
            % port)


class Rtp:
    """The SIP phone's media: one UDP socket, one 20 ms tick at a time."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]
        self.peer = None
        self.packets = []  # (pt, marker, ts, payload) as received
        self.seq = random.randrange(65536)
        self.ts = random.randrange(1 << 32)
        self.ssrc = random.randrange(1 << 32)

    def poll(self):
        while True:
            try:
                data, addr = self.sock.recvfrom(2048)
            except BlockingIOError:
                return
            if len(data) < 12 or data[0] >> 6 != 2:
                continue
            self.peer = self.peer or addr
            self.packets.append((data[1] & 0x7F, bool(data[1] & 0x80),
                                 struct.unpack("!I", data[4:8])[0], data[12:]))

    def send(self, pt, payload, ts, marker=False):
        hdr = struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, self.seq,
                          ts & 0xFFFFFFFF, self.ssrc)
        self.seq = (self.seq + 1) & 0xFFFF
        self.sock.sendto(hdr + payload, self.peer)

    def audio(self, pt):
        return b"".join(p[3] for p in self.packets if p[0] == pt)

    def events(self):
        """The RFC 4733 events received, in order: [(code, ended, final duration)], one per
        event timestamp (updates and the redundant end packets are one event, §2.5.2)."""
        out, index = [], {}
        for pt, _, ts, pl in self.packets:
            if pt != TE or len(pl) < 4:
                continue
            code, ended, dur = pl[0], bool(pl[1] & 0x80), (pl[2] << 8) | pl[3]
            if ts not in index:
                index[ts] = len(out)
                out.append([code, False, 0])
            e = out[index[ts]]
            e[1] = e[1] or ended
            e[2] = max(e[2], dur)
        return [tuple(e) for e in out]


def digit_events(digits, on=5, off=5):
    """The phone's RFC 4733 schedule, one entry per 20 ms tick: (None) audio, or (code, tick
    of the event, ticks so far, end). Each digit: `on` ticks with the duration growing by 160
    (the marker on the first), its end packet three times (§2.5.1.4), then `off` ticks of
    audio."""
    ticks = [None] * 10
    for d in digits:
        code = EVENT_CODES.index(d)
        ticks += [(code, i + 1, False) for i in range(on)] + [(code, on, True)] * 3
        ticks += [None] * off
    return ticks + [None] * 10


def goertzel(samples, freq):
    return G.goertzel_power(samples, freq)


def dtmf_digits(codes):
    """The DTMF digits in A-law codes: blocks of 205 samples (Goertzel bins of 39 Hz), a key
    where the strongest row and column each stand 6 dB above the rest of their group and the
    pair above -35 dBm0 or so; a key held over blocks is one digit, a block without a key
    separates two."""
    samples = [G.alaw_decode(c) for c in codes]
    out, last, n = [], None, 205
    floor = n * n * (32768 * 10 ** ((-35 - 3.14) / 20)) ** 2 / 4
    for i in range(0, len(samples) - n + 1, n):
        block = samples[i:i + n]
        rows = sorted(((goertzel(block, f), k) for k, f in enumerate(ROWS)), reverse=True)
        cols = sorted(((goertzel(block, f), k) for k, f in enumerate(COLS)), reverse=True)
        key = None
        if rows[0][0] > floor and cols[0][0] > floor and \
                rows[0][0] > 4 * rows[1][0] and cols[0][0] > 4 * cols[1][0]:
            key = KEYS[rows[0][1]][cols[0][1]]
        if key and key != last:
            out.append(key)
        last = key
    return "".join(out)


def tone_alaw(freq, ticks, dbm0=-12.0):
    """ticks 20 ms frames of a freq Hz sine in A-law, continuous across frames."""
    codes = G.tone_codes(freq, ticks * 0.02, "alaw", dbm0)
    return [codes[i * 160:(i + 1) * 160] for i in range(ticks)]


def call(s, errors, label, called, rtp, events=True, send=None, seconds=3.0):
    """SIPp calls `called` with its SDP's media at the test's socket, stays seconds after the
    ACK, hangs up. Meanwhile the socket is read, and once the bridge's RTP arrived the test
    sends one packet per 20 ms from send: a list of ticks, each None (an A-law silence frame),
    bytes (an A-law frame) or an event tuple of digit_events(). A SIPp failure goes into
    errors."""
    scen = M.UAC.replace("{media}", media(rtp.port, events)).replace("{play}", "").replace(
        '<pause milliseconds="3000"/>', '<pause milliseconds="%d"/>' % int(seconds * 1000))
    s.env.write(label + ".xml", scen)
    p = s.env.spawn(label, [s.sipp, "-sf", s.env.path(label + ".xml"), "-s", called,
                            "-i", "127.0.0.1", "-p", str(E.free_port()), "-m", "1", "-nostdin",
                            "-timeout", "30s", "-trace_msg", "-message_file",
                            s.env.path(label + "-msg.log"), "127.0.0.1:%d" % s.port])
    s.ncalls += 1
    silence = bytes([0xD5]) * 160
    k, next_t, event_ts = 0, None, None
    deadline = time.monotonic() + 40
    while p.poll() is None and time.monotonic() < deadline:
        rtp.poll()
        now = time.monotonic()
        if rtp.peer and send is not None and k < len(send):
            next_t = next_t or now
            while k < len(send) and now >= next_t:
                tick = send[k]
                if isinstance(tick, tuple):  # RFC 4733 §2.5.1: the event's timestamp stays
                    code, n, end = tick
                    if n == 1 and not end:
                        event_ts = rtp.ts
                    rtp.send(TE, bytes([code, (0x80 if end else 0) | 10]) +
                             struct.pack("!H", 160 * n), event_ts, marker=(n == 1 and not end))
                    if end and (k + 1 == len(send) or send[k + 1] != tick):
                        rtp.ts = event_ts + 160 * n  # the audio goes on after the event
                else:
                    rtp.send(PCMA, tick or silence, rtp.ts)
                    rtp.ts += 160
                k += 1
                next_t += 0.02
        time.sleep(0.005)
    rtp.poll()
    if p.wait(timeout=10) != 0:
        errors.append("%s: sipp exit status %s" % (label, p.returncode))


def started(env, sip=""):
    """The simulator with RULES and the bridge (sip: lines added to its [sip])."""
    s = M.Setup(env)
    s.start(rules=RULES, sip=sip)
    return s


def logged(env, pattern):
    """The bridge logs a call's media line at its end, which may come after the simulator's
    report: wait for it."""
    return E.wait_until(lambda: re.search(pattern, env.read("bridge.log")), 10)


def mode_sip_to_isdn(env):
    s, errors = started(env), []
    rtp = Rtp()
    digits = "3690*#"
    call(s, errors, "uac-events", "4930101", rtp, send=digit_events(digits), seconds=4.0)
    c = s.sim_report("4930101", "in", 1)
    heard = ((c or {}).get("audio") or {}).get("dtmf")
    if heard != digits:
        errors.append("the B-channel's in-band digits: %r, want %r (the RFC 4733 events the "
                      "test sent)" % (heard, digits))
    else:
        print("RFC 4733 events %s -> in-band on the B-channel: the simulator heard %s"
              % (digits, heard))
    if not logged(env, r"call \d+: media rtp .* dtmf_played=%d\b" % len(digits)):
        errors.append("bridge log: no `media rtp ... dtmf_played=%d` line" % len(digits))
    return s.finish(errors)


def mode_isdn_to_sip(env):
    s, errors = started(env), []
    # telephone-event negotiated: the digits as events, the tone muted
    rtp = Rtp()
    call(s, errors, "uac-events", "4930159", rtp, send=[None] * 200)
    ev = rtp.events()
    got = [EVENT_CODES[e[0]] if e[0] < 16 else "?" for e in ev]
    if "".join(got) != "159#":
        errors.append("RFC 4733 events received: %r, want 1 5 9 # (codes 1 5 9 11)" % (ev,))
    elif not all(e[1] for e in ev):
        errors.append("RFC 4733 events without an end packet: %r" % (ev,))
    else:
        print("RFC 4733 events received: %s (code, ended, duration)" % (ev,))
    audio = rtp.audio(PCMA)
    inband = dtmf_digits(audio)
    if inband:
        errors.append("the audio toward SIP holds the in-band digits %r (%d octets of PCMA): "
                      "the tone sent as events must be muted" % (inband, len(audio)))
    elif len(audio) < 8000:
        errors.append("only %d octets of PCMA audio received with the events" % len(audio))
    else:
        print("no in-band digit in %d octets of PCMA" % len(audio))
    if not logged(env, r"call \d+: media rtp .* dtmf_heard=4\b"):
        errors.append("bridge log: no `media rtp ... dtmf_heard=4` line")
    # no telephone-event: in-band DTMF simply passes
    inband_call(s, errors, "uac-inband", events=False)
    return s.finish(errors)


def inband_call(s, errors, label, events):
    """A call to the simulator's `play dtmf 159#` that must carry the digits in-band: no event
    toward SIP, 159# in the PCMA. events: our offer names telephone-event."""
    rtp = Rtp()
    call(s, errors, label, "4930159", rtp, events=events, send=[None] * 200)
    if rtp.events():
        errors.append("%s: events sent though not agreed: %r" % (label, rtp.events()))
    inband = dtmf_digits(rtp.audio(PCMA))
    if inband != "159#":
        errors.append("%s: the audio holds the digits %r, want 159# in-band" % (label, inband))
    else:
        print("%s: the digits %s in-band in the audio, no event" % (label, inband))
    return s.env.read(label + "-msg.log")


def mode_inband(env):
    """`[sip] dtmf = inband`: an offer with telephone-event is answered without it, and the
    digits stay in the audio."""
    s, errors = started(env, "dtmf = inband\n"), []
    text = inband_call(s, errors, "uac-inband", events=True)
    sdp = M.answer_sdp(text, 200)
    if not re.search(r"^m=audio [1-9]\d* RTP/AVP 8\s*$", sdp, re.M) or \
            "telephone-event" in sdp:
        errors.append("dtmf = inband: the 200's SDP must answer PCMA alone:\n%s" % sdp)
    return s.finish(errors)


def mode_fax(env):
    s, errors = started(env), []
    # the network's fax answers: CED from the B-channel
    rtp = Rtp()
    call(s, errors, "uac-ced", "4930130", rtp, send=[None] * 200, seconds=3.5)
    log = env.read("bridge.log")
    lines = re.findall(r"call \d+: \S+ tone from \w+: fax/modem passthrough", log)
    if len(lines) != 1 or "ced tone from ISDN" not in lines[0]:
        errors.append("bridge log: the passthrough lines %r, want one `ced tone from ISDN`"
                      % lines)
    hz = G.dominant_tone(rtp.audio(PCMA), "alaw")
    if hz != 2100:
        errors.append("the audio toward SIP: tone %r, want CED's 2100 Hz" % hz)
    elif lines:
        print("CED from ISDN: %r, 2100 Hz in the audio toward SIP" % lines)
    # the SIP side's fax answers: 2100 Hz from RTP toward a silent B-channel
    rtp = Rtp()
    call(s, errors, "uac-ans", "4930101", rtp, send=[None] * 10 + tone_alaw(2100, 125),
         seconds=3.5)
    lines = re.findall(r"call \d+: \S+ tone from \w+: fax/modem passthrough",
                       env.read("bridge.log"))
    if len(lines) != 2 or "ced tone from SIP" not in lines[1]:
        errors.append("bridge log: the passthrough lines %r, want `ced tone from SIP` second"
                      % lines)
    M.check_tone(errors, "2100 Hz from SIP in passthrough", s.sim_report("4930101", "in", 1),
                 2100)
    return s.finish(errors)


MODES = {"sip-to-isdn": mode_sip_to_isdn, "isdn-to-sip": mode_isdn_to_sip, "fax": mode_fax,
         "inband": mode_inband}

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in MODES:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-dtmf-" + sys.argv[1], MODES[sys.argv[1]]))
