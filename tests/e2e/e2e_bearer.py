#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-bearer-*: the SETUP's bearer capability (Q.931 §4.5.5) against the SDP (RFC 4040
clearmode), through the bridge and the simulator (bridge/config/README.md `digital`).

usage: e2e_bearer.py CASE CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM [--causeway CLI]

  digital-to-sip  the simulator's SETUP with bearer digital (unrestricted digital
                  information): the INVITE a SIPp UAS receives offers only
                  `m=audio PORT RTP/AVP 97` with `a=rtpmap:97 CLEARMODE/8000`; the UAS
                  answers clearmode, the call is answered (report bearer "digital").
  clearmode-to-isdn  a SIPp INVITE offering clearmode only: the simulator receives a SETUP
                  with bearer digital (its report; on the wire, tshark on its tap when
                  installed: information transfer capability 0x08, no user information
                  layer 1), answers, and the 200 to SIPp answers `RTP/AVP 97`
                  CLEARMODE/8000; then a G.711 offer gives a speech SETUP (0x00, G.711).
  refused         SETUPs with bearer restricted (restricted digital) and video: refused
                  with cause 65 (bearer capability not implemented, Q.850), no INVITE; and
                  an INVITE offering neither G.711 nor clearmode: 488, Warning 305, no SETUP.
  digital-no      [span 1] digital = no: a SETUP with bearer digital is refused with cause 58
                  (bearer capability not presently available), no INVITE; a clearmode INVITE
                  gets 503 with Reason Q.850;cause=58 (RFC 3398 §8.2.6.1), no SETUP; a
                  speech SETUP still reaches SIP.

Each case checks the simulator's report, SIPp's trace, the bridge's log and the CDR's bearer
(docs/cdr.md), then stops the bridge (exit 0, one CDR line per call, `causeway audit` clean).
Exit 77 without sipp."""
import os
import re
import shutil
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
import e2e_channels as C  # noqa: E402
from harness import parse_trace  # noqa: E402

CLEARMODE = "m=audio [media_port] RTP/AVP 97\na=rtpmap:97 CLEARMODE/8000"
G711 = "m=audio [media_port] RTP/AVP 8\na=rtpmap:8 PCMA/8000"
G729 = "m=audio [media_port] RTP/AVP 18\na=rtpmap:18 G729/8000"
NO_FINAL_ERROR = 699  # uac_media.xml's @STATUS@ when the call is to be answered

ROUTES = C.TO_PSTN + C.TO_SIP


def start(env, sim, bridge, extra=""):
    """The simulator (answering every call, its D-channel in span1.pcap) and the bridge with
    one E1 span (extra: more of its keys) and both routes; (bridge process, SIP port, the UAS
    port of [route to-sip])."""
    uas, port = E.free_port(), E.free_port()
    env.sim = E.start_sim(env, sim, "span1", "default answer 100\n",
                          ("--tap", env.path("span1.pcap")))
    text = C.conf(env, port, [("euroisdn", "1-15,17-31", "pstn", extra)],
                  ROUTES.format(uas=uas))
    return E.start_bridge(env, bridge, text), port, uas


def uac_media(env, sipp, port, label, media, status=NO_FINAL_ERROR):
    """A SIPp UAC offering media; answered (ACK, BYE) or refused with status."""
    return C.uac(env, sipp, port, label, "uac_media.xml",
                 {"MEDIA": media, "STATUS": status, "HOLD": 200})


def sdp_of(trace, pred):
    """The body of the first message in trace matching pred, or None."""
    for m in parse_trace(trace):
        if pred(m):
            return m.body
    return None


def is_clearmode_only(sdp):
    """RFC 4040 §5: one audio line, the one format 97, CLEARMODE/8000; no G.711."""
    return bool(sdp and re.search(r"^m=audio \d+ RTP/AVP 97\s*$", sdp, re.M) and
                re.search(r"^a=rtpmap:97 CLEARMODE/8000\s*$", sdp, re.M) and
                not re.search(r"PCM[AU]", sdp))


def setup_bearers(env):
    """[(information transfer capability, user information layer 1 or "")] of each SETUP
    on the wire (Q.931 §4.5.5 octets 3 and 5), decoded by tshark from the simulator's tap,
    complete once the simulator is stopped (by pid); None without tshark."""
    tshark = shutil.which("tshark")
    if not tshark:
        return None
    env.sim.send_signal(signal.SIGTERM)
    env.sim.wait(timeout=15)
    r = subprocess.run([tshark, "-r", env.path("span1.pcap"), "-Y", "q931.message_type == 0x05", "-T", "fields",
                        "-e", "q931.information_transfer_capability", "-e", "q931.uil1"],
                       capture_output=True, text=True, timeout=60)
    return [tuple((l.split("\t") + [""])[:2]) for l in r.stdout.splitlines() if l.strip()]


def cdr_bearers(errors, env, want):
    """The CDR lines' bearer members (docs/cdr.md), in the order the calls ended."""
    E.wait_until(lambda: len(E.cdr_lines(env)) >= len(want), 15)
    got = [l.get("bearer") for l in E.cdr_lines(env)]
    if got != want:
        errors.append("CDR bearer %r, want %r" % (got, want))


def sim_call(env, line):
    """A `call` command; its cref."""
    m = re.match(r"ok cref (\d+)", C.sim_ok(env, line))
    return m.group(1)


def wait_calls(env, direction, n):
    """The simulator's report has n calls of direction ("in": from the bridge)."""
    def count():
        return len([c for c in E.sim_calls(env, "span1") if c["direction"] == direction])
    E.wait_until(lambda: count() >= n, 15)
    return [c for c in E.sim_calls(env, "span1") if c["direction"] == direction]


def check_refused(errors, call, bearer, cause):
    if call.get("bearer") != bearer:
        errors.append("report: bearer %r, want %r" % (call.get("bearer"), bearer))
    if call.get("cause_received") != cause or call.get("answered"):
        errors.append("SETUP bearer %s: cause_received %r answered %r, want cause %d"
                      % (bearer, call.get("cause_received"), call.get("answered"), cause))


def no_invite(errors, env, what):
    if re.search(r"INVITE sips?:", env.read("bridge.log")) or os.path.exists(env.path("uas-msg.log")):
        errors.append("%s: an INVITE went to SIP" % what)


def case_digital_to_sip(env, sipp, sim, bridge):
    errors = []
    bridge_p, port, uas = start(env, sim, bridge)
    u = C.start_uas(env, sipp, "uas_media_answer.xml", {"MEDIA": CLEARMODE}, uas, port)
    if not u:
        return ["the SIPp UAS did not bind"], bridge_p, 0
    cref = sim_call(env, "call 4930555 4930999 bearer digital")
    if not E.wait_until(lambda: os.path.exists(env.path("uas.sync")), 20):
        return errors + ["the digital call was not answered"], bridge_p, 1
    offer = sdp_of(env.path("uas-msg.log"), lambda m: m.dir == "recv" and m.method == "INVITE")
    if not is_clearmode_only(offer):
        errors.append("INVITE of a digital SETUP: SDP %r, want clearmode only (RTP/AVP 97, "
                      "CLEARMODE/8000)" % offer)
    C.need_log(errors, env, r"media CLEARMODE pt 97", "of the clearmode session")
    C.sim_ok(env, "hangup %s 16" % cref)
    if C.wait_proc(u) != 0:
        errors.append("SIPp UAS: no BYE after the ISDN clearing (exit %s)" % u.returncode)
    calls = wait_calls(env, "out", 1)
    if not calls or calls[0].get("bearer") != "digital" or not calls[0].get("answered"):
        errors.append("report: %r, want one answered call with bearer digital" % calls)
    cdr_bearers(errors, env, ["digital"])
    return errors, bridge_p, 1


def case_clearmode_to_isdn(env, sipp, sim, bridge):
    errors = []
    bridge_p, port, _ = start(env, sim, bridge)
    p, trace = uac_media(env, sipp, port, "uac-clear", CLEARMODE)
    if C.wait_proc(p) != 0:
        errors.append("clearmode INVITE: SIPp exit %s, want an answered call" % p.returncode)
    answer = sdp_of(trace, lambda m: m.dir == "recv" and m.status == 200 and
                    m.cseq_method == "INVITE")
    if not is_clearmode_only(answer):
        errors.append("200 to a clearmode offer: SDP %r, want clearmode only" % answer)
    calls = wait_calls(env, "in", 1)
    if not calls or calls[0].get("bearer") != "digital" or not calls[0].get("answered"):
        errors.append("report: %r, want one answered SETUP with bearer digital" % calls)
    # G.711 offered: speech, as before (RFC 3398 §7.2.1)
    p, _ = uac_media(env, sipp, port, "uac-g711", G711)
    if C.wait_proc(p) != 0:
        errors.append("G.711 INVITE: SIPp exit %s, want an answered call" % p.returncode)
    calls = wait_calls(env, "in", 2)
    if len(calls) < 2 or calls[1].get("bearer") != "speech":
        errors.append("report: %r, want a second SETUP with bearer speech" % calls)
    cdr_bearers(errors, env, ["digital", "speech"])
    wire = setup_bearers(env)
    if wire is None:
        print("note: no tshark: the SETUPs' Bearer capability is not decoded from the wire")
    elif len(wire) != 2 or int(wire[0][0], 0) != 0x08 or wire[0][1] or \
            int(wire[1][0], 0) != 0x00 or int(wire[1][1] or "0", 0) != 0x03:
        # 0x08 unrestricted digital without octet 5; 0x00 speech with G.711 A-law (0x03)
        errors.append("SETUPs on the wire: (capability, layer 1) %r, want [(0x08, none), "
                      "(0x00, 0x03)]" % wire)
    return errors, bridge_p, 2


def case_refused(env, sipp, sim, bridge):
    errors = []
    bridge_p, port, _ = start(env, sim, bridge)
    for n, bearer in enumerate(("restricted", "video"), 1):
        sim_call(env, "call 4930555 4930999 bearer %s" % bearer)
        calls = wait_calls(env, "out", n)
        if len(calls) < n:
            errors.append("SETUP bearer %s: no call in the report" % bearer)
            continue
        check_refused(errors, calls[n - 1], bearer, 65)
    no_invite(errors, env, "restricted digital or video")
    # RFC 3398 §8.2.6.1: no audio codec the gateway serves, 488 + Warning 305 (cause 65)
    p, trace = uac_media(env, sipp, port, "uac-g729", G729, 488)
    if C.wait_proc(p) != 0:
        errors.append("G.729 INVITE: SIPp exit %s, want 488" % p.returncode)
    warning = [m.hdr("warning") for m in parse_trace(trace) if m.dir == "recv" and m.status == 488]
    if not warning or not (warning[0] or "").startswith("305 "):
        errors.append("488 Warning %r, want 305" % warning)
    if C.calls_in(env):
        errors.append("a SETUP reached the simulator for a G.729 offer")
    return errors, bridge_p, 3


def case_digital_no(env, sipp, sim, bridge):
    errors = []
    bridge_p, port, uas = start(env, sim, bridge, "digital = no\n")
    sim_call(env, "call 4930555 4930999 bearer digital")
    calls = wait_calls(env, "out", 1)
    if calls:
        check_refused(errors, calls[0], "digital", 58)
    else:
        errors.append("SETUP bearer digital: no call in the report")
    no_invite(errors, env, "digital = no")
    p, trace = uac_media(env, sipp, port, "uac-clear", CLEARMODE, 503)
    if C.wait_proc(p) != 0:
        errors.append("clearmode INVITE: SIPp exit %s, want 503" % p.returncode)
    r = C.reason_of(trace, status=503)
    if r is None or not r.startswith("Q.850;cause=58"):
        errors.append("503 Reason %r, want Q.850;cause=58" % r)
    if C.calls_in(env):
        errors.append("a SETUP reached the simulator for clearmode with digital = no")
    # speech is not affected
    u = C.start_uas(env, sipp, "uas_media_answer.xml", {"MEDIA": G711}, uas, port)
    if not u:
        return errors + ["the SIPp UAS did not bind"], bridge_p, 2
    cref = sim_call(env, "call 4930555 4930999 bearer speech")
    if not E.wait_until(lambda: os.path.exists(env.path("uas.sync")), 20):
        return errors + ["the speech call was not answered"], bridge_p, 3
    C.sim_ok(env, "hangup %s 16" % cref)
    if C.wait_proc(u) != 0:
        errors.append("SIPp UAS: no BYE after the ISDN clearing (exit %s)" % u.returncode)
    wait_calls(env, "out", 2)
    return errors, bridge_p, 3


CASES = {"digital-to-sip": case_digital_to_sip, "clearmode-to-isdn": case_clearmode_to_isdn,
         "refused": case_refused, "digital-no": case_digital_no}
CAUSEWAY = C.CAUSEWAY  # e2e_channels took --causeway out of sys.argv at import


if __name__ == "__main__":
    sys.exit(E.run_cases("e2e-bearer-", CASES, CAUSEWAY, __doc__))
