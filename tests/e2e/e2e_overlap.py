#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-overlap-*: overlap dialling (Q.931 §5.2.4 overlap receiving; RFC 3578 §2; bridge/daemon
README "Overlap").

usage: e2e_overlap.py CASE CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM [--causeway CLI]

Span 1 has `overlap = yes` and `t302 = 1500`; [route berlin] (ISDN->SIP) matches 4930 with
`digits = 7-9`, [route out] (SIP->ISDN) matches 0301 with `digits = 7`. The simulator
originates with `call CALLED CALLING more DIGITS`: a SETUP without Sending complete, then
one INFORMATION per digit after SETUP ACKNOWLEDGE. A SIPp UAS answers every INVITE 486.

  digits       4930 + 12345: SETUP ACKNOWLEDGE, 5 INFORMATION; 493012345 has the route's
               9 digits: the INVITE (Request-URI user 493012345) goes out at the last digit
  hash         4930 + 123#: '#' ends the dialling: INVITE 4930123 at once
  complete     SETUP 4930 with Sending complete: 4 digits, the route wants 7: CALL
               PROCEEDING + DISCONNECT 28, no INVITE; then SETUP 4930123 with Sending
               complete: INVITE 4930123 without SETUP ACKNOWLEDGE
  t302-match   4930 + 123: 7 digits, more may come: nothing until T302 runs out, then
               INVITE 4930123
  t302-nomatch 4930 + 1: 5 digits: T302 runs out, DISCONNECT 28, no INVITE
  484          SIP INVITEs to 030 (a prefix of the route's match) and 03012 (5 digits of 7):
               484 Address Incomplete with Reason cause 28 (RFC 3398 §7.2.4.1), no SETUP;
               0301234 reaches the simulator

With `overlap_method = multiple-invite` (RFC 3578 §3) a scripted UAS (ScriptedUas, Python)
answers each INVITE by its Request-URI user instead of SIPp:

  multiple-invite       4930 + 12345: INVITE 4930123 at the 7th digit (the route's MIN), 484;
                        INVITE 49301234, left unanswered (100 only): the 9th digit CANCELs it
                        (§3.4) and INVITEs 493012345, the complete number, 486: CALL
                        PROCEEDING, DISCONNECT 17. The three INVITEs share Call-ID and From
                        tag, CSeq grows (§3.2)
  multiple-invite-t302  4930 + 123: INVITE 4930123, 484, no more digits: T302 runs out,
                        DISCONNECT 28 (no CALL PROCEEDING)

  sending      overlap sending (Q.931 §5.1.3) with `overlap_sending_digits = 4`: a SIP INVITE
               to 0301234 gives a SETUP with 0301 and no Sending complete; the simulator
               (--overlap 1000: SETUP ACKNOWLEDGE, digits collected until its T302) gets 2, 3
               and 4 in one INFORMATION each, then its rule for 0301234 clears with 17: 486
               (its default, cause 1, would be a 404)
  sending-multiple-invite
               RFC 3578 §3 from SIP (ScriptedUac, Python): INVITE 0301234 (enough for
               `digits = 7-9`): SETUP 0301, INFORMATION 2, 3, 4; INVITE 03012345 and
               030123456 with the same Call-ID and From tag, CSeq 2 and 3: each answers the
               one before 484 and adds one INFORMATION; the simulator's T302 (3000) decides
               on 030123456: 17, the last INVITE gets 486. One call, one CDR line
  sending-multiple-invite-overload
               the same on a span with one B-channel, the call's, and an episode of the
               early 503 (bridge/sip/README.md "Overload": the bridge stopped, INVITEs to
               0301999 queued, SIGCONT) between INVITEs 1 and 2: INVITEs 2 and 3 still join
               the call (bridge/config/README.md "Admission" step 5 refuses an INVITE that
               finds no channel, but not one an overlap call takes)

Each case checks the simulator's report (messages, cause) and SIPp's trace, then stops the
bridge (exit 0, one CDR line per call, `causeway audit` clean). Exit 77 without sipp."""
import os
import re
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
from harness import parse_trace, render_scenario  # noqa: E402

ROUTES = """overlap = yes
t302 = 1500

[route berlin]
match = 4930
target = sip:127.0.0.1:{uas};transport=udp
digits = 7-9

[route out]
match = 0301
group = pstn
allow = 127.0.0.1
digits = 7
"""

RULES = "default reject 17 location LN\n"

ACK_DIGITS = ["<SETUP ACKNOWLEDGE"]
CLEARED_BY_SIP = ["<CALL PROCEEDING", "<DISCONNECT", ">RELEASE", "<RELEASE COMPLETE"]


class ScriptedUas:
    """A UDP UAS on 127.0.0.1:port answering INVITEs by Request-URI user: script[user] is a
    final status, or None (100 Trying only, until a CANCEL: 200 and 487). Keeps what it got:
    invites (user, Call-ID, From tag, CSeq number) and cancels (users), in order."""

    def __init__(self, port, script):
        self.script = script
        self.invites, self.cancels = [], []
        self.pending = {}  # Via branch -> the held INVITE's header lines
        self.sent = {}     # (Call-ID, CSeq) -> the final response, for a retransmission
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", port))
        self.sock.settimeout(0.2)
        self.stop = False
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def close(self):
        self.stop = True
        self.thread.join(5)
        self.sock.close()

    @staticmethod
    def headers(msg):
        lines = msg.split("\r\n\r\n", 1)[0].split("\r\n")
        return lines[0], lines[1:]

    @staticmethod
    def hdr(lines, name):
        for l in lines:
            k, _, v = l.partition(":")
            if k.strip().lower() == name:
                return v.strip()
        return ""

    def respond(self, addr, lines, status, phrase):
        out = ["SIP/2.0 %d %s" % (status, phrase)]
        for l in lines:
            k = l.partition(":")[0].strip().lower()
            if k in ("via", "from", "call-id", "cseq"):
                out.append(l)
            elif k == "to":
                out.append(l if ";tag=" in l or status == 100 else l + ";tag=uas1")
        out += ["Content-Length: 0", "", ""]
        data = "\r\n".join(out).encode()
        self.sock.sendto(data, addr)
        return data

    def loop(self):
        while not self.stop:
            try:
                data, addr = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            start, lines = self.headers(data.decode(errors="replace"))
            method = start.split(" ", 1)[0]
            key = (self.hdr(lines, "call-id"), self.hdr(lines, "cseq").split(" ")[0])
            branch = re.search(r"branch=([^;,\s]+)", self.hdr(lines, "via"))
            branch = branch.group(1) if branch else ""
            if method == "INVITE":
                if key in self.sent:
                    self.sock.sendto(self.sent[key], addr)
                    continue
                if branch in self.pending:
                    continue
                user = re.match(r"INVITE sips?:([^@;>]+)@", start)
                user = user.group(1) if user else start
                tag = re.search(r";tag=([^;>\s]+)", self.hdr(lines, "from"))
                self.invites.append((user, key[0], tag.group(1) if tag else "", int(key[1])))
                self.respond(addr, lines, 100, "Trying")
                status = self.script.get(user, 404)
                if status is None:
                    self.pending[branch] = (user, lines)
                else:
                    self.sent[key] = self.respond(addr, lines, status, "Scripted")
            elif method == "CANCEL":
                self.respond(addr, lines, 200, "OK")
                held = self.pending.pop(branch, None)
                if held:
                    self.cancels.append(held[0])
                    self.respond(addr, held[1], 487, "Request Terminated")


class ScriptedUac:
    """A UDP UAC on 127.0.0.1 sending INVITEs of one call (one Call-ID and From tag, CSeq
    1, 2, ...: RFC 3578 §3.2) to the bridge; ACKs every final response; finals[cseq] =
    status."""

    def __init__(self, bridge_port):
        self.bridge = ("127.0.0.1", bridge_port)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.call_id = "ovl-%d@127.0.0.1" % os.getpid()
        self.cseq = 0
        self.sent = {}  # cseq -> (branch, Request-URI)
        self.finals, self.reasons = {}, {}

    def close(self):
        self.sock.close()

    def invite(self, user):
        self.cseq += 1
        branch = "z9hG4bK-ovl-%d" % self.cseq
        uri = "sip:%s@127.0.0.1:%d" % (user, self.bridge[1])
        sdp = ("v=0\r\no=uac 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
               "m=audio %d RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n" % (self.port + 2))
        head = ["INVITE %s SIP/2.0" % uri] + self.common(branch, uri, self.cseq, "INVITE") + [
            "Contact: <sip:0301111@127.0.0.1:%d>" % self.port, "Content-Type: application/sdp",
            "Content-Length: %d" % len(sdp), "", ""]
        self.sent[self.cseq] = (branch, uri)
        self.sock.sendto(("\r\n".join(head) + sdp).encode(), self.bridge)

    def common(self, branch, uri, cseq, method, to_tag=""):
        return ["Via: SIP/2.0/UDP 127.0.0.1:%d;branch=%s;rport" % (self.port, branch),
                "Max-Forwards: 70", "From: <sip:0301111@127.0.0.1>;tag=uac1",
                "To: <%s>%s" % (uri, to_tag), "Call-ID: " + self.call_id,
                "CSeq: %d %s" % (cseq, method)]

    def pump(self, until, timeout):
        """Read responses (ACKing the finals) until until() or timeout seconds."""
        self.sock.settimeout(0.2)
        end = time.monotonic() + timeout
        while not until() and time.monotonic() < end:
            try:
                data = self.sock.recv(65535).decode(errors="replace")
            except socket.timeout:
                continue
            start, lines = ScriptedUas.headers(data)
            status = int(start.split(" ")[1])
            cseq = int(ScriptedUas.hdr(lines, "cseq").split(" ")[0])
            if status < 200 or cseq not in self.sent:
                continue
            self.finals[cseq] = status
            self.reasons[cseq] = ScriptedUas.hdr(lines, "reason")
            tag = re.search(r";tag=[^;>\s]+", ScriptedUas.hdr(lines, "to"))
            branch, uri = self.sent[cseq]
            ack = (["ACK %s SIP/2.0" % uri] +
                   self.common(branch, uri, cseq, "ACK", tag.group(0) if tag else "") +
                   ["Content-Length: 0", "", ""])
            self.sock.sendto("\r\n".join(ack).encode(), self.bridge)
        return until()


def isdn_calls(env):
    return [c for c in E.sim_calls(env, "span1") if c["direction"] == "out"]


def invites(env):
    """The Request-URI users of the INVITEs the UAS received, in order."""
    out = []
    for m in parse_trace(env.path("uas-msg.log")):
        if m.dir == "recv" and m.method == "INVITE":
            u = re.match(r"INVITE sips?:([^@;>]+)@", m.start)
            out.append(u.group(1) if u else m.start)
    return out


def originate(env, line, ncalls):
    """A call from the simulator; waits for its report (the ncalls-th call from ISDN)."""
    r = E.sim_cmd(env, "span1-ctl.sock", line)
    if not r.startswith("ok cref"):
        raise RuntimeError("sim %r: %r" % (line, r))
    if not E.wait_until(lambda: len(isdn_calls(env)) >= ncalls, 20):
        raise RuntimeError("no report for %r" % line)
    return isdn_calls(env)[ncalls - 1]


def check_call(errors, label, c, want_msgs, want_cause):
    if c["messages"] != want_msgs:
        errors.append("%s: messages %r, want %r" % (label, c["messages"], want_msgs))
    if c.get("cause_received") != want_cause:
        errors.append("%s: cause_received %r, want %r" % (label, c.get("cause_received"),
                                                          want_cause))


def info(n):
    return [">INFORMATION"] * n


def case_isdn(env, case):
    """The ISDN->SIP cases; returns (failures, calls made)."""
    errors = []
    if case == "digits":
        c = originate(env, "call 4930 4930999 more 12345 every 100", 1)
        check_call(errors, case, c, [">SETUP"] + ACK_DIGITS + info(5) + CLEARED_BY_SIP, 17)
        want_inv = ["493012345"]
        # the INVITE went out at the fifth digit, not at T302's expiry
        if not re.search(r"INFORMATION 5 on span 1: called=493012345$", env.read("bridge.log"), re.M):
            errors.append("digits: no 'INFORMATION 5 ... called=493012345' line (complete)")
        n = 1
    elif case == "hash":
        c = originate(env, "call 4930 4930999 more 123# every 100", 1)
        check_call(errors, case, c, [">SETUP"] + ACK_DIGITS + info(4) + CLEARED_BY_SIP, 17)
        want_inv = ["4930123"]
        n = 1
    elif case == "complete":
        c = originate(env, "call 4930 4930999 complete yes", 1)
        check_call(errors, "complete 4930", c, [">SETUP", "<CALL PROCEEDING", "<DISCONNECT",
                                                ">RELEASE", "<RELEASE COMPLETE"], 28)
        c = originate(env, "call 4930123 4930999 complete yes", 2)
        check_call(errors, "complete 4930123", c, [">SETUP"] + CLEARED_BY_SIP, 17)
        want_inv = ["4930123"]
        n = 2
    elif case == "t302-match":
        c = originate(env, "call 4930 4930999 more 123 every 100", 1)
        check_call(errors, case, c, [">SETUP"] + ACK_DIGITS + info(3) + CLEARED_BY_SIP, 17)
        want_inv = ["4930123"]
        if not re.search(r"INFORMATION 3 on span 1: called=4930123, more digits awaited$",
                         env.read("bridge.log"), re.M):
            errors.append("t302-match: the third digit did not leave the number open")
        if not re.search(r"call 1: TIMER_EXPIRED: I_U25_OVERLAP -> I_U9_CALLING$",
                         env.read("bridge.log"), re.M):
            errors.append("t302-match: no T302 expiry into I_U9_CALLING in the log")
        n = 1
    elif case == "t302-nomatch":
        c = originate(env, "call 4930 4930999 more 1 every 100", 1)
        check_call(errors, case, c, [">SETUP"] + ACK_DIGITS + info(1) +
                   ["<DISCONNECT", ">RELEASE", "<RELEASE COMPLETE"], 28)
        want_inv = []
        n = 1
    else:
        raise RuntimeError("unknown case %r" % case)
    got = invites(env)
    if got != want_inv:
        errors.append("%s: INVITEs to %r, want %r" % (case, got, want_inv))
    return errors, n


def case_multiple_invite(env, case, uas):
    """RFC 3578 §3: the INVITEs the scripted UAS got, the simulator's view of the call."""
    errors = []
    if case == "multiple-invite":
        c = originate(env, "call 4930 4930999 more 12345 every 300", 1)
        check_call(errors, case, c, [">SETUP"] + ACK_DIGITS + info(5) + CLEARED_BY_SIP, 17)
        want = ["4930123", "49301234", "493012345"]
        if uas.cancels != ["49301234"]:
            errors.append("%s: CANCELs for %r, want ['49301234'] (RFC 3578 §3.4)"
                          % (case, uas.cancels))
        # docs/cdr.md: one attempt per INVITE, the CANCELled one ended 487
        E.wait_until(lambda: E.cdr_lines(env), 10)
        tried = [t.get("status") for l in E.cdr_lines(env) for t in l.get("routes_tried", [])]
        if tried != [484, 487, 486]:
            errors.append("%s: CDR routes_tried statuses %r, want [484, 487, 486]" % (case, tried))
    else:
        c = originate(env, "call 4930 4930999 more 123 every 100", 1)
        check_call(errors, case, c, [">SETUP"] + ACK_DIGITS + info(3) +
                   ["<DISCONNECT", ">RELEASE", "<RELEASE COMPLETE"], 28)
        want = ["4930123"]
        if not re.search(r"call 1: TIMER_EXPIRED: I_U25_OVERLAP -> C_U11( \[sip [^]]*\])?$", env.read("bridge.log"),
                         re.M):
            errors.append("%s: no T302 expiry from I_U25_OVERLAP into C_U11 in the log" % case)
    got = [i[0] for i in uas.invites]
    if got != want:
        errors.append("%s: INVITEs to %r, want %r" % (case, got, want))
    # RFC 3578 §3.2: one Call-ID and From tag, a higher CSeq each time
    if len({(i[1], i[2]) for i in uas.invites}) != 1:
        errors.append("%s: Call-ID/From tag differ between the INVITEs: %r" % (case, uas.invites))
    cseqs = [i[3] for i in uas.invites]
    if cseqs != sorted(set(cseqs)):
        errors.append("%s: CSeq numbers %r do not grow" % (case, cseqs))
    return errors, 1


def uac_call(env, sipp, port, called, status):
    """A SIPp UAC INVITE to called that expects the final status; the failures."""
    label = "uac-" + called
    scen = render_scenario(env, "uac_final.xml", {"STATUS": status, "CALLING": "0301111"}, label)
    p = env.spawn(label, [sipp, "-sf", scen, "-s", called, "-i", "127.0.0.1",
                          "-p", str(E.free_port()), "-m", "1", "-nostdin", "-timeout", "15s",
                          "-trace_msg", "-message_file", env.path(label + "-msg.log"),
                          "127.0.0.1:%d" % port])
    rc = p.wait(timeout=30)
    msgs = [m for m in parse_trace(env.path(label + "-msg.log"))
            if m.dir == "recv" and m.status and m.status >= 200]
    if rc != 0 or not msgs:
        return ["%s: sipp exit status %s, final responses %r" % (called, rc, msgs)], msgs
    return [], msgs


def case_sending(env, sipp, port):
    errors, _ = uac_call(env, sipp, port, "0301234", 486)
    calls = [c for c in E.sim_calls(env, "span1") if c["direction"] == "in"]
    if len(calls) != 1:
        return errors + ["SETUPs at the simulator: %r, want one" % calls], 1
    c = calls[0]
    if (c["called_setup"], c["information"], c["called"]) != ("0301", ["2", "3", "4"], "0301234"):
        errors.append("sending: SETUP %r, INFORMATION %r, number %r; want '0301', "
                      "['2', '3', '4'], '0301234'" % (c["called_setup"], c["information"],
                                                      c["called"]))
    want = (["<SETUP", ">SETUP ACKNOWLEDGE"] + ["<INFORMATION"] * 3 +
            [">CALL PROCEEDING", ">DISCONNECT", "<RELEASE", ">RELEASE COMPLETE"])
    if c["messages"] != want or c.get("cause_sent") != 17:
        errors.append("sending: messages %r cause %r, want %r, 17" % (c["messages"],
                                                                       c.get("cause_sent"), want))
    if not re.search(r"SETUP on span 1 channel \d+ called=0301, overlap sending, to follow: 234",
                     env.read("bridge.log")):
        errors.append("sending: no 'SETUP ... called=0301, overlap sending' line in the log")
    return errors, 1


def case_sending_multiple_invite(env, port, bridge_p=None):
    """bridge_p: the overload variant, an episode of the early 503 between INVITEs 1 and 2."""
    errors = []
    uac = ScriptedUac(port)
    try:
        log = r"SETUP ACKNOWLEDGE: INFORMATION 234 on span 1"
        uac.invite("0301234")
        if not E.wait_until(lambda: re.search(log, env.read("bridge.log")), 15):
            return ["sending-multiple-invite: no SETUP ACKNOWLEDGE with INFORMATION 234"], 1
        if bridge_p:
            errors += E.overload_burst(env, bridge_p, port, "0301999")
        for n, user in ((2, "03012345"), (3, "030123456")):
            uac.invite(user)
            if not uac.pump(lambda: n - 1 in uac.finals, 15):
                errors.append("no final response to INVITE %d" % (n - 1))
        if not uac.pump(lambda: 3 in uac.finals, 20):
            errors.append("no final response to INVITE 3")
    finally:
        uac.close()
    if uac.finals != {1: 484, 2: 484, 3: 486}:
        errors.append("final responses by CSeq %r, want {1: 484, 2: 484, 3: 486}" % uac.finals)
    if not all(uac.reasons.get(n, "").startswith("Q.850;cause=28") for n in (1, 2)):
        errors.append("the 484s' Reason %r, want Q.850;cause=28 (RFC 3398 §7.2.4.1)" % uac.reasons)
    calls = [c for c in E.sim_calls(env, "span1") if c["direction"] == "in"]
    if len(calls) != 1:
        return errors + ["SETUPs at the simulator: %r, want one" % calls], 1
    c = calls[0]
    got = (c["called_setup"], c["information"], c["called"], c.get("cause_sent"))
    want = ("0301", ["2", "3", "4", "5", "6"], "030123456", 17)
    if got != want:
        errors.append("sending-multiple-invite: SETUP, INFORMATION, number, cause %r, want %r"
                      % (got, want))
    return errors, 1


def case_484(env, sipp, port):
    errors = []
    for called, status in (("030", 484), ("03012", 484), ("0301234", 486)):
        failed, msgs = uac_call(env, sipp, port, called, status)
        if failed:
            errors += failed
            continue
        if status == 484 and not (msgs[0].hdr("reason") or "").startswith(
                "Q.850;cause=28"):
            errors.append("%s: 484 Reason %r, want Q.850;cause=28" % (called, msgs[0].hdr("reason")))
    setups = [c["called"] for c in E.sim_calls(env, "span1") if c["direction"] == "in"]
    if setups != ["0301234"]:
        errors.append("SETUPs at the simulator %r, want only ['0301234']" % setups)
    return errors, 3


def body(env):
    case = sys.argv[1]
    bridge, sim = (os.path.abspath(a) for a in sys.argv[2:4])
    E.need(bridge, "causeway-bridge")
    E.need(sim, "causeway-pstn-sim")
    sipp = E.sipp_or_skip()
    port, uas = E.free_port(), E.free_port()
    scripted = None
    routes = ROUTES.format(uas=uas)
    if case.startswith("multiple-invite"):
        scripted = ScriptedUas(uas, {"4930123": 484, "49301234": None, "493012345": 486})
        routes = "overlap_method = multiple-invite\n" + routes
    else:
        scen = render_scenario(env, "uas_final.xml", {"STATUS": 486, "PHRASE": "Busy Here",
                                                      "CONTACT": "", "EXTRA": ""}, "uas")
        env.spawn("uas", [sipp, "-sf", scen, "-p", str(uas), "-i", "127.0.0.1",
                          "-nostdin", "-trace_msg", "-message_file", env.path("uas-msg.log"),
                          "127.0.0.1:%d" % port])
    rules, sim_opts = RULES, ()
    if case == "sending":
        routes = "overlap_sending = yes\noverlap_sending_digits = 4\n" + routes
        rules, sim_opts = "0301234 reject 17\ndefault reject 1 location LN\n", ("--overlap", "1000")
    elif case.startswith("sending-multiple-invite"):
        routes = ("overlap_sending = yes\noverlap_sending_digits = 4\n" +
                  routes.replace("digits = 7\n", "digits = 7-9\n"))
        rules = "030123456 reject 17\ndefault reject 1 location LN\n"
        # the overload variant: time for the episode before the simulator's T302
        sim_opts = ("--overlap", "8000" if case.endswith("-overload") else "3000")
    conf = E.bridge_conf(env, port, 1, routes)
    if case == "sending-multiple-invite-overload":
        # the call's channel is the span's only one: no other INVITE finds a free one
        conf = conf.replace("bchannels = 1-15,17-31\n", "bchannels = 1\n")
    try:
        E.start_sim(env, sim, "span1", rules, sim_opts)
        bridge_p = E.start_bridge(env, bridge, conf)
        if case == "484":
            errors, n = case_484(env, sipp, port)
        elif case == "sending":
            errors, n = case_sending(env, sipp, port)
        elif case == "sending-multiple-invite":
            errors, n = case_sending_multiple_invite(env, port)
        elif case == "sending-multiple-invite-overload":
            errors, n = case_sending_multiple_invite(env, port, bridge_p)
        elif scripted:
            errors, n = case_multiple_invite(env, case, scripted)
        else:
            errors, n = case_isdn(env, case)
        if not errors:
            print("%s: ok" % case)
        return errors + E.finish(env, bridge_p, n, CAUSEWAY)
    finally:
        if scripted:
            scripted.close()


CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-overlap-" + sys.argv[1], body))
