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

Each case checks the simulator's report (messages, cause) and SIPp's trace, then stops the
bridge (exit 0, one CDR line per call, `causeway audit` clean). Exit 77 without sipp."""
import os
import re
import sys

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


def case_484(env, sipp, port):
    errors = []
    for called, status in (("030", 484), ("03012", 484), ("0301234", 486)):
        label = "uac-" + called
        scen = render_scenario(env, "uac_final.xml", {"STATUS": status, "CALLING": "0301111"},
                               label)
        p = env.spawn(label, [sipp, "-sf", scen, "-s", called, "-i", "127.0.0.1",
                              "-p", str(E.free_port()), "-m", "1", "-nostdin", "-timeout", "15s",
                              "-trace_msg", "-message_file", env.path(label + "-msg.log"),
                              "127.0.0.1:%d" % port])
        rc = p.wait(timeout=30)
        msgs = [m for m in parse_trace(env.path(label + "-msg.log"))
                if m.dir == "recv" and m.status and m.status >= 200]
        if rc != 0 or not msgs:
            errors.append("%s: sipp exit status %s, final responses %r" % (called, rc, msgs))
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
    scen = render_scenario(env, "uas_final.xml", {"STATUS": 486, "PHRASE": "Busy Here",
                                                  "CONTACT": "", "EXTRA": ""}, "uas")
    env.spawn("uas", [sipp, "-sf", scen, "-p", str(uas), "-i", "127.0.0.1",
                      "-nostdin", "-trace_msg", "-message_file", env.path("uas-msg.log"),
                      "127.0.0.1:%d" % port])
    E.start_sim(env, sim, "span1", RULES)
    bridge_p = E.start_bridge(env, bridge, E.bridge_conf(env, port, 1, ROUTES.format(uas=uas)))
    if case == "484":
        errors, n = case_484(env, sipp, port)
    else:
        errors, n = case_isdn(env, case)
    if not errors:
        print("%s: ok" % case)
    return errors + E.finish(env, bridge_p, n, CAUSEWAY)


CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-overlap-" + sys.argv[1], body))
