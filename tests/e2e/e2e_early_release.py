#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-early-release: early release with in-band information, both directions
(RFC 3398 §7.1.6; Q.931 §5.3.4.1, progress indicator 8; bridge/core README "Early release").

usage: e2e_early_release.py CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM [--causeway CLI]

SIP -> ISDN, twice: the simulator answers the SETUP with DISCONNECT cause 17 + PI 8
(`disconnect-inband`). The SIPp caller must get 183 (with SDP) and then 486 with
`Reason: Q.850;cause=17`:
  - hold 5000 ms > interwork_timeout 1500: the bridge's interwork timer ends it (final
    response about 1.5 s after the 183; the bridge sends RELEASE);
  - hold 300 ms: the simulator releases first (final response on its RELEASE).
ISDN -> SIP: a SIPp UAS answers the simulator's call with 183 + SDP, then 486 + Reason
cause 17: the simulator's report must show PROGRESS with PI 8, then DISCONNECT cause 17
with PI 8. At the end the bridge is stopped and its CDR file must hold a line per call (3)
and audit clean (`causeway audit`, e2e_common.finish). Exit 77 when sipp is missing."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402

RECV = """  <recv response="100" optional="true"/>
  <recv response="183">
    <action>
      <ereg regexp="m=audio" search_in="body" check_it="true" assign_to="sdp"/>
    </action>
  </recv>
  <recv response="486">
    <action>
      <ereg regexp="Q\\.850;cause=17" search_in="hdr" header="Reason:" check_it="true" assign_to="reason"/>
    </action>
  </recv>
  <Reference variables="sdp,reason"/>
"""

UAS = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uas-early">
  <recv request="INVITE"/>
  <send>
    <![CDATA[

      SIP/2.0 183 Session Progress
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

{sdp}
    ]]>
  </send>
  <pause milliseconds="500"/>
  <send>
    <![CDATA[

      SIP/2.0 486 Busy Here
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Reason: Q.850;cause=17;text="User busy"
      Content-Length: 0

    ]]>
  </send>
  <recv request="ACK"/>
</scenario>
"""

ROUTES = """
[route to-pstn]
match = *
group = pstn
allow = 127.0.0.1

[route to-sip]
match = *
target = sip:127.0.0.1:{uas};transport=udp
"""

RULES = """4930501 disconnect-inband 17 location LN 5000
4930502 disconnect-inband 17 location LN 300
default answer 100
"""


def uac_call(env, sipp, port, called, label):
    """One SIPp UAC call to `called`; returns (exit status, [(status, rest of the received
    response)] in order, the message log)."""
    tdir = os.path.join(env.dir, label)
    os.mkdir(tdir)
    p = env.spawn(label, [sipp, "-sf", env.path("uac.xml"), "-s", called, "-i", "127.0.0.1",
                          "-p", str(E.free_port()), "-m", "1", "-nostdin", "-timeout", "20s",
                          "-trace_msg", "-message_file", os.path.join(tdir, "msg.log"),
                          "127.0.0.1:%d" % port])
    rc = p.wait(timeout=30)
    text = env.read(os.path.join(tdir, "msg.log"))
    got = []
    # SIPp writes "----- <timestamp> ... message received [N] bytes :" before each message
    for m in re.finditer(r"^[-]+ ([0-9.:\- ]+?)\s.*?received.*?\n\n?(SIP/2\.0 (\d{3})[^\n]*)\n(.*?)(?=\n[-]{5,}|\Z)",
                         text, re.S | re.M):
        status = int(m.group(3))
        got.append((status, m.group(4)))
    return rc, got, text


def status_seq(got):
    return [s for s, _ in got if s != 100]


def body(env):
    bridge, sim = (os.path.abspath(a) for a in sys.argv[1:3])
    E.need(bridge, "causeway-bridge")
    E.need(sim, "causeway-pstn-sim")
    sipp = E.sipp_or_skip()
    port, uas = E.free_port(), E.free_port()
    env.write("uac.xml", E.uac_scenario("uac-early", RECV))
    env.write("uas.xml", UAS.replace("{sdp}", E.PCMA_SDP))
    env.spawn("uas", [sipp, "-sf", env.path("uas.xml"), "-p", str(uas), "-i", "127.0.0.1",
                      "-nostdin", "-m", "1", "127.0.0.1:%d" % port])
    E.start_sim(env, sim, "span1", RULES)
    conf = E.bridge_conf(env, port, 1, ROUTES.format(uas=uas))
    conf = conf.replace("port = %d\n" % port, "port = %d\ninterwork_timeout = 1500\n" % port, 1)
    bridge_p = E.start_bridge(env, bridge, conf)
    errors = []

    # SIP -> ISDN: interwork timer first, then the network releasing first
    for called, label, timer in (("4930501", "uac-timer", True), ("4930502", "uac-release", False)):
        t0 = time.monotonic()
        rc, got, text = uac_call(env, sipp, port, called, label)
        took = time.monotonic() - t0
        if rc != 0:
            errors.append("%s: sipp exit status %s (183 + SDP, then 486 + Reason cause 17 "
                          "expected)" % (label, rc))
        seq = status_seq(got)
        if seq != [183, 486]:
            errors.append("%s: responses %r, want [183, 486]" % (label, seq))
        for st, msg in got:
            if st == 486 and not re.search(r"^Reason: Q\.850;cause=17;text=\"User busy\";location=LN",
                                           msg, re.M):
                errors.append("%s: 486 without Reason cause 17 location LN:\n%s" % (label, msg))
            if st == 183 and "m=audio" not in msg:
                errors.append("%s: 183 without SDP" % label)
        if timer and not 1.4 <= took <= 4.5:
            errors.append("%s: call took %.1f s, want the 1.5 s interwork timer" % (label, took))
        if not timer and took > 1.4:
            errors.append("%s: call took %.1f s, want the simulator's RELEASE at 0.3 s"
                          % (label, took))
    if not E.wait_until(lambda: len(E.sim_calls(env, "span1")) >= 2, 10):
        errors.append("the simulator did not report both SIP->ISDN calls")
    calls = {c["called"]: c for c in E.sim_calls(env, "span1")}
    for called, want in (("4930501", ["<SETUP", ">CALL PROCEEDING", ">DISCONNECT", "<RELEASE",
                                       ">RELEASE COMPLETE"]),
                         ("4930502", ["<SETUP", ">CALL PROCEEDING", ">DISCONNECT", ">RELEASE",
                                      "<RELEASE COMPLETE"])):
        c = calls.get(called)
        if not c:
            errors.append("no simulator report for %s" % called)
            continue
        if c["messages"] != want:
            errors.append("%s: messages %r, want %r" % (called, c["messages"], want))
        if c.get("progress") != [">DISCONNECT 8"]:
            errors.append("%s: progress %r, want ['>DISCONNECT 8']" % (called, c.get("progress")))
        if c.get("cause_sent") != 17:
            errors.append("%s: cause_sent %r" % (called, c.get("cause_sent")))

    # ISDN -> SIP: 183 with SDP, then 486 + Reason -> PROGRESS PI 8, DISCONNECT PI 8
    r = E.sim_cmd(env, "span1-ctl.sock", "call 4930100 4930999")
    if not r.startswith("ok cref"):
        errors.append("sim call: %r" % r)
        return errors
    if not E.wait_until(lambda: len(E.sim_calls(env, "span1")) >= 3, 15):
        errors.append("the simulator did not report the ISDN->SIP call")
        return errors
    c = [c for c in E.sim_calls(env, "span1") if c["direction"] == "out"][0]
    want = [">SETUP", "<CALL PROCEEDING", "<PROGRESS", "<DISCONNECT", ">RELEASE",
            "<RELEASE COMPLETE"]
    if c["messages"] != want:
        errors.append("ISDN->SIP: messages %r, want %r" % (c["messages"], want))
    if c.get("progress") != ["<PROGRESS 8", "<DISCONNECT 8"]:
        errors.append("ISDN->SIP: progress %r, want ['<PROGRESS 8', '<DISCONNECT 8']"
                      % c.get("progress"))
    if c.get("cause_received") != 17:
        errors.append("ISDN->SIP: cause_received %r, want 17" % c.get("cause_received"))
    if not errors:
        print("SIP->ISDN: 183 then 486 + Reason, both ways out of U12; ISDN->SIP: %r %r"
              % (c["messages"], c["progress"]))
    return errors + E.finish(env, bridge_p, 3, CAUSEWAY)


CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-early-release", body))
