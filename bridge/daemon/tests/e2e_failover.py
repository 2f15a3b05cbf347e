#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-failover: ISDN -> SIP failover (README "Failover").

usage: e2e_failover.py CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM SIP_SCENARIO_DIR

Two SIPp UAS targets of one route: the first answers 503 with Retry-After: 30, the
second 200. A call from the simulated PSTN goes to target 1, then 2; a second call
skips target 1 (RFC 3261 §21.5.4). The CDR shows one routes_tried entry per INVITE.
Exit 77 when sipp is missing."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402

UAS_503 = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="uas-503">
  <recv request="INVITE"/>
  <send>
    <![CDATA[

      SIP/2.0 503 Service Unavailable
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Retry-After: 30
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

[route to-sip]
match = *
target = sip:127.0.0.1:{p1};transport=udp
target = sip:127.0.0.1:{p2};transport=udp
"""


def one_call(env, n):
    """A SETUP from the simulator, answered over SIP, then cleared from ISDN; its CDR line."""
    r = E.sim_cmd(env, "span1-ctl.sock", "call 4930100 4930999")
    m = re.match(r"ok cref (\d+) channel (\d+)", r)
    if not m:
        raise RuntimeError("sim call: %r" % r)
    if not E.wait_until(lambda: len(re.findall(r"call \d+: SIP_2XX: ",
                                               env.read("bridge.log"))) >= n, 15):
        raise RuntimeError("call %d not answered" % n)
    if E.sim_cmd(env, "span1-ctl.sock", "hangup %s 16" % m.group(1)) != "ok":
        raise RuntimeError("sim hangup failed")
    if not E.wait_until(lambda: len(E.cdr_lines(env)) >= n, 15):
        raise RuntimeError("no CDR line for call %d" % n)
    return E.cdr_lines(env)[n - 1]


def body(env):
    bridge, sim, scen = (os.path.abspath(a) for a in sys.argv[1:4])
    E.need(bridge, "causeway-bridge")
    E.need(sim, "causeway-pstn-sim")
    sipp = E.sipp_or_skip()
    port, p1, p2 = E.free_port(), E.free_port(), E.free_port()
    env.write("uas503.xml", UAS_503)
    common = ["-i", "127.0.0.1", "-nostdin", "127.0.0.1:%d" % port]
    env.spawn("uas1", [sipp, "-sf", env.path("uas503.xml"), "-p", str(p1)] + common)
    env.spawn("uas2", [sipp, "-sf", os.path.join(scen, "uas.xml"), "-p", str(p2)] + common)
    E.start_sim(env, sim, "span1", "default answer 100\n")
    E.start_bridge(env, bridge, E.bridge_conf(env, port, 1, ROUTES.format(p1=p1, p2=p2)))

    errors = []
    first = one_call(env, 1)
    second = one_call(env, 2)
    want1 = [("127.0.0.1:%d" % p1, 503), ("127.0.0.1:%d" % p2, 200)]
    want2 = [("127.0.0.1:%d" % p2, 200)]
    for name, line, want in (("first", first, want1), ("second", second, want2)):
        got = [(a.get("target"), a.get("status")) for a in line.get("routes_tried", [])]
        if got != want:
            errors.append("%s call: routes_tried %r, want %r" % (name, got, want))
        if not line.get("answered") or line.get("sip_status") != 200:
            errors.append("%s call: not answered with 200: %r" % (name, line))
    log = env.read("bridge.log")
    n1 = len(re.findall(r"INVITE sip:[^ ]*@127\.0\.0\.1:%d" % p1, log))
    n2 = len(re.findall(r"INVITE sip:[^ ]*@127\.0\.0\.1:%d" % p2, log))
    if (n1, n2) != (1, 2):
        errors.append("INVITEs to target 1 / 2: %d / %d, want 1 / 2" % (n1, n2))
    if not re.search(r"target sip:127\.0\.0\.1:%d[^ ]* skipped for 30 s" % p1, log):
        errors.append("no 'skipped for 30 s' line for target 1")
    if not errors:
        print("first call: %r\nsecond call: %r" % (first["routes_tried"], second["routes_tried"]))
    return errors


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-failover", body))
