#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-timer-sip-t310 / e2e-timer-sip-t301: the bridge core's T310 and T301 expiring on a
call from SIP (Q.931 Table 9-1; bridge/core/call_fsm.c; bridge/config/README.md `t310`, `t301`);
e2e-timer-isdn-t310 / e2e-timer-isdn-t301: the same timers on a call from ISDN, run on the SIP
leg.

usage: e2e_timers.py t310|t301|isdn-t310|isdn-t301 CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM
                     [--causeway CLI]

Span 1 runs with t310 = t301 = 1500 ms. A SIPp UAC calls through it:
  - t310: the simulator answers the SETUP with CALL PROCEEDING only (`answer` with a delay far
    past the test): T310 expires, the bridge sends DISCONNECT cause 102 (recovery on timer
    expiry) and the caller gets 504 with `Reason: Q.850;cause=102` (RFC 3398 §7.2.2, ISUP T7);
  - t301: CALL PROCEEDING, ALERTING, and no CONNECT: T301 expires, DISCONNECT cause 19 (no
    answer from user) and 480 with `Reason: Q.850;cause=19` (RFC 3398 §7.2.8, ISUP T9).
The simulator's report must show the bridge's DISCONNECT and its cause; the CDR file must hold
the call and audit clean. Exit 77 when sipp is missing.

From ISDN the bridge is the user side that received the SETUP (CALL PROCEEDING sent at once)
and the SIP leg is what it waits on, so the core runs T310 from the 100 Trying and T301 from
the 180 Ringing (there is no separate SIP timer: RFC 3261 §16.6 Timer C is a proxy's):
  - isdn-t310: the simulator calls, a SIPp UAS answers 100 Trying and nothing more: T310
    expires, the UAS gets CANCEL with `Reason: Q.850;cause=18` (no user responding) and the
    simulator DISCONNECT cause 18 (Q.931 §5.2.5.4 applied to the SIP leg; RFC 3398 §8.1.3);
  - isdn-t301: 100, then 180 Ringing (ALERTING to the simulator) and no answer: CANCEL with
    `Reason: Q.850;cause=19` (no answer from user) and DISCONNECT cause 19 (RFC 3398 §7.2.8)."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
from harness import port_bound  # noqa: E402

# mode: (simulator rule, ISDN messages the simulator reports, cause, SIP final response)
CASES = {
    "t310": ("answer 600000",
             ["<SETUP", ">CALL PROCEEDING", "<DISCONNECT", ">RELEASE", "<RELEASE COMPLETE"],
             102, 504),
    "t301": ("alert 10 then answer 600000",
             ["<SETUP", ">CALL PROCEEDING", ">ALERTING", "<DISCONNECT", ">RELEASE",
              "<RELEASE COMPLETE"],
             19, 480),
}

RECV = """  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="{status}">
{check}  </recv>
  <Reference variables="reason"/>
"""


def final_responses(text):
    """(status, the rest of the message) of every final response in SIPp's -message_file."""
    return [(int(m.group(1)), m.group(2)) for m in
            re.finditer(r"^SIP/2\.0 ([2-6]\d\d)[^\n]*\n(.*?)(?=\n[-]{5,}|\Z)", text, re.S | re.M)]


def programs():
    """(causeway-bridge, causeway-pstn-sim, sipp) from the command line and PATH."""
    bridge, sim = (os.path.abspath(a) for a in sys.argv[2:4])
    E.need(bridge, "causeway-bridge")
    E.need(sim, "causeway-pstn-sim")
    return bridge, sim, E.sipp_or_skip()


def body(env, mode):
    bridge, sim, sipp = programs()
    rule, want_msgs, cause, status = CASES[mode]
    port = E.free_port()
    env.write("uac.xml", E.uac_scenario("uac-timer", RECV.replace("{status}", str(status))
                                        .replace("{check}", E.reason_check(cause))))
    E.start_sim(env, sim, "span1", "4930700 %s\ndefault answer 100\n" % rule)
    conf = E.bridge_conf(env, port, 1, E.PSTN_ROUTE)
    conf = conf.replace("group = pstn\n", "group = pstn\nt310 = 1500\nt301 = 1500\n", 1)
    bridge_p = E.start_bridge(env, bridge, conf)
    errors = []

    msg_log = env.path("uac-msg.log")
    p = env.spawn("uac", [sipp, "-sf", env.path("uac.xml"), "-s", "4930700", "-i", "127.0.0.1",
                          "-p", str(E.free_port()), "-m", "1", "-nostdin", "-timeout", "20s",
                          "-trace_msg", "-message_file", msg_log, "127.0.0.1:%d" % port])
    rc = p.wait(timeout=30)
    if rc != 0:
        errors.append("sipp exit status %s (%d with Reason cause %d expected)"
                      % (rc, status, cause))
    finals = final_responses(env.read(msg_log))
    if [s for s, _ in finals] != [status]:
        errors.append("final responses %r, want [%d]" % ([s for s, _ in finals], status))
    for s, msg in finals:
        if not re.search(r"^Reason: Q\.850;cause=%d(;|$)" % cause, msg, re.M):
            errors.append("%d without Reason: Q.850;cause=%d:\n%s" % (s, cause, msg))

    if not E.wait_until(lambda: len(E.sim_calls(env, "span1")) >= 1, 10):
        errors.append("the simulator did not report the call")
        return errors
    c = E.sim_calls(env, "span1")[0]
    if c["messages"] != want_msgs:
        errors.append("ISDN messages %r, want %r" % (c["messages"], want_msgs))
    if c.get("cause_received") != cause:
        errors.append("cause_received %r, want %d" % (c.get("cause_received"), cause))
    if not errors:
        print("%s: %d + Reason cause %d; ISDN %r" % (mode, status, cause, c["messages"]))
    return errors + E.finish(env, bridge_p, 1, CAUSEWAY)


# mode: (the UAS's provisional responses, ISDN messages the simulator reports, cause, the
# core state whose timer expires)
ISDN_CASES = {
    "isdn-t310": ([100],
                  [">SETUP", "<CALL PROCEEDING", "<DISCONNECT", ">RELEASE", "<RELEASE COMPLETE"],
                  18, "I_U9_CALLING"),
    "isdn-t301": ([100, 180],
                  [">SETUP", "<CALL PROCEEDING", "<ALERTING", "<DISCONNECT", ">RELEASE",
                   "<RELEASE COMPLETE"],
                  19, "I_U7_RECEIVED"),
}

TO_SIP = """
[route to-sip]
match = 4930555
target = sip:127.0.0.1:{uas};transport=udp
"""


def body_isdn(env, mode):
    bridge, sim, sipp = programs()
    provisional, want_msgs, cause, state = ISDN_CASES[mode]
    port, uas = E.free_port(), E.free_port()
    env.write("uas.xml", E.uas_cancel_scenario(provisional, cause))
    E.start_sim(env, sim, "span1", "default answer 100\n")
    conf = E.bridge_conf(env, port, 1, TO_SIP.format(uas=uas))
    # t310 stays at its 30 s: after a 100 the INVITE timer is the one that runs
    conf = conf.replace("port = %d\n" % port, "port = %d\ninvite_timeout = 1500\n" % port, 1)
    conf = conf.replace("group = pstn\n", "group = pstn\nt301 = 1500\n", 1)
    bridge_p = E.start_bridge(env, bridge, conf)
    errors = []

    msg_log = env.path("uas-msg.log")
    u = env.spawn("uas", [sipp, "-sf", env.path("uas.xml"), "-i", "127.0.0.1", "-p", str(uas),
                          "-m", "1", "-nostdin", "-timeout", "20s", "-timeout_error",
                          "-trace_msg", "-message_file", msg_log, "127.0.0.1:%d" % port])
    if not E.wait_until(lambda: port_bound(uas), 10):
        return errors + ["SIPp UAS did not bind port %d" % uas] + E.finish(env, bridge_p, 0,
                                                                            CAUSEWAY)
    r = E.sim_cmd(env, "span1-ctl.sock", "call 4930555 4930999")
    if not r.startswith("ok cref"):
        return errors + ["sim call: %r" % r] + E.finish(env, bridge_p, 0, CAUSEWAY)
    try:
        rc = u.wait(timeout=30)
    except subprocess.TimeoutExpired:
        rc = None
    if rc != 0:
        errors.append("SIPp UAS exit status %s (CANCEL with Reason cause %d expected)"
                      % (rc, cause))
    sent = [int(m.group(1)) for m in re.finditer(r"^SIP/2\.0 (\d{3}) ", env.read(msg_log), re.M)]
    if sent[:len(provisional)] != provisional or 487 not in sent:
        errors.append("the UAS sent %r, want %r, then 487 after the CANCEL"
                      % (sent, provisional))

    if not E.wait_until(lambda: len(E.sim_calls(env, "span1")) >= 1, 10):
        errors.append("the simulator did not report the call")
        return errors + E.finish(env, bridge_p, 1, CAUSEWAY)
    c = E.sim_calls(env, "span1")[0]
    if c["messages"] != want_msgs:
        errors.append("ISDN messages %r, want %r" % (c["messages"], want_msgs))
    if c.get("cause_received") != cause:
        errors.append("cause_received %r, want %d" % (c.get("cause_received"), cause))
    expired = r"call \d+: TIMER_EXPIRED: %s -> C_CANCEL_U11 " % state
    if not re.search(expired, env.read("bridge.log")):
        errors.append("bridge log: no /%s/" % expired)
    if not errors:
        print("%s: CANCEL + Reason cause %d; ISDN %r" % (mode, cause, c["messages"]))
    return errors + E.finish(env, bridge_p, 1, CAUSEWAY)


CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in list(CASES) + list(ISDN_CASES):
        sys.stderr.write(__doc__)
        sys.exit(2)
    if sys.argv[1] in ISDN_CASES:
        sys.exit(E.run("e2e-timer-" + sys.argv[1], lambda env: body_isdn(env, sys.argv[1])))
    sys.exit(E.run("e2e-timer-sip-" + sys.argv[1], lambda env: body(env, sys.argv[1])))
