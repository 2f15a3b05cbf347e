#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-failover: ISDN -> SIP failover (bridge/daemon/README.md "Failover and hunting").

usage: e2e_failover.py CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM SIP_SCENARIO_DIR [--causeway CLI]

Two SIPp UAS targets of one route: the first answers 503 with Retry-After: 30, the
second 200. A call from the simulated PSTN goes to target 1, then 2; a second call
skips target 1 (RFC 3261 §21.5.4). The CDR shows one routes_tried entry per INVITE.

Failover on the core's own INVITE timer ([sip] invite_timeout = 1500 ms): a third call,
to another route, whose first target answers the INVITE with 100 only and never a final
response: after 1.5 s the bridge CANCELs it (Reason cause 18; the target answers 200 and
487, which must not clear the call) and sends the INVITE to the second target, which
answers 200 (RFC 3261 §16.8, §16.7). routes_tried: 408 (no final came), then 200.

At the end the bridge is stopped and its CDR file must hold a line per call and audit
clean (`causeway audit`, e2e_common.finish). The log lines of a call name its current
target as the SIP peer (bridge/daemon/README.md "Log lines"). Exit 77 when sipp is missing."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402

UAS_503 = E.uas_503_scenario(30)

# 100 Trying only, never a final response: the bridge's INVITE timer must run out. Then the
# CANCEL (with the bridge's Reason) gets its 200, the INVITE its 487, and the 487 its ACK.
UAS_SILENT = E.uas_cancel_scenario([100], 18, cancel_timeout_ms=10000)

ROUTES = """
[route to-pstn]
match = *
group = pstn
allow = 127.0.0.1

[route to-sip]
match = *
target = sip:127.0.0.1:{p1};transport=udp
target = sip:127.0.0.1:{p2};transport=udp

[route to-sip-slow]
match = 4930777
target = sip:127.0.0.1:{p3};transport=udp
target = sip:127.0.0.1:{p4};transport=udp
"""

INVITE_TIMEOUT_MS = 1500


def one_call(env, n, called="4930100"):
    """The n-th call, from the simulated PSTN, answered over SIP, cleared from ISDN."""
    return E.isdn_call(env, called, n, n)


def body(env):
    bridge, sim, scen = (os.path.abspath(a) for a in sys.argv[1:4])
    E.need(bridge, "causeway-bridge")
    E.need(sim, "causeway-pstn-sim")
    sipp = E.sipp_or_skip()
    port, p1, p2, p3, p4 = (E.free_port() for _ in range(5))
    env.write("uas503.xml", UAS_503)
    env.write("uas-silent.xml", UAS_SILENT)
    common = ["-i", "127.0.0.1", "-nostdin", "127.0.0.1:%d" % port]
    env.spawn("uas1", [sipp, "-sf", env.path("uas503.xml"), "-p", str(p1)] + common)
    env.spawn("uas2", [sipp, "-sf", os.path.join(scen, "uas.xml"), "-p", str(p2)] + common)
    uas3 = env.spawn("uas3", [sipp, "-sf", env.path("uas-silent.xml"), "-p", str(p3), "-m", "1"]
                     + common)
    env.spawn("uas4", [sipp, "-sf", os.path.join(scen, "uas.xml"), "-p", str(p4)] + common)
    E.start_sim(env, sim, "span1", "default answer 100\n")
    conf = E.bridge_conf(env, port, 1, ROUTES.format(p1=p1, p2=p2, p3=p3, p4=p4))
    conf = conf.replace("port = %d\n" % port,
                        "port = %d\ninvite_timeout = %d\n" % (port, INVITE_TIMEOUT_MS), 1)
    bridge_p = E.start_bridge(env, bridge, conf)

    errors = []
    first = one_call(env, 1)
    second = one_call(env, 2)
    third = one_call(env, 3, called="4930777")
    want1 = [("127.0.0.1:%d" % p1, 503), ("127.0.0.1:%d" % p2, 200)]
    want2 = [("127.0.0.1:%d" % p2, 200)]
    want3 = [("127.0.0.1:%d" % p3, 408), ("127.0.0.1:%d" % p4, 200)]
    for name, line, want in (("first", first, want1), ("second", second, want2),
                             ("third (INVITE timer)", third, want3)):
        got = [(a.get("target"), a.get("status")) for a in line.get("routes_tried", [])]
        if got != want:
            errors.append("%s call: routes_tried %r, want %r" % (name, got, want))
        if not line.get("answered") or line.get("sip_status") != 200:
            errors.append("%s call: not answered with 200: %r" % (name, line))
    log = env.read("bridge.log")
    n1 = len(re.findall(r"INVITE sip:[^ ]*@127\.0\.0\.1:%d\b" % p1, log))
    n2 = len(re.findall(r"INVITE sip:[^ ]*@127\.0\.0\.1:%d\b" % p2, log))
    if (n1, n2) != (1, 2):
        errors.append("INVITEs to target 1 / 2: %d / %d, want 1 / 2" % (n1, n2))
    if not re.search(r"target sip:127\.0\.0\.1:%d[^ ]* skipped for 30 s" % p1, log):
        errors.append("no 'skipped for 30 s' line for target 1")
    errors += check_timer_failover(log, third, uas3, p3, p4)
    errors += check_peer_lines(log, p1, p2)
    if not errors:
        print("first call: %r\nsecond call: %r\nthird call: %r (ms_to_final %s)" % (
            first["routes_tried"], second["routes_tried"], third["routes_tried"],
            third.get("ms_to_final")))
    return errors + E.finish(env, bridge_p, 3, CAUSEWAY)


def check_timer_failover(log, line, uas3, p3, p4):
    """The third call: the core's INVITE timer, not Timer B (32 s) nor a final response,
    moved it to target 4; the CANCELled INVITE's 487 did not clear it."""
    errors = []
    if len(re.findall(r"INVITE sip:4930777@127\.0\.0\.1:%d\b" % p3, log)) != 1 or \
            not re.search(r"INVITE sip:4930777@127\.0\.0\.1:%d\b[^ ]* \(next target\)" % p4, log):
        errors.append("third call: want one INVITE to target 3, then one to target 4 "
                      "(next target)")
    # the timer's line still names the silent target, the SIP peer of the call then
    if not re.search(r"call \d+: TIMER_EXPIRED: I_U9_CALLING -> I_U9_CALLING "
                     r"\[sip 127\.0\.0\.1:%d/udp\]$" % p3, log, re.M):
        errors.append("third call: no INVITE timer failover (TIMER_EXPIRED: I_U9_CALLING -> "
                      "I_U9_CALLING [sip 127.0.0.1:%d/udp]) in the bridge log" % p3)
    # only the first call's 503 reached the core: the 487 of the CANCELled INVITE did not
    if len(re.findall(r"call \d+: SIP_FINAL_ERROR: ", log)) != 1:
        errors.append("a final error response reached the core besides the first call's 503 "
                      "(the CANCELled INVITE's 487?)")
    ms = line.get("ms_to_final")
    if not isinstance(ms, int) or not INVITE_TIMEOUT_MS - 100 <= ms <= INVITE_TIMEOUT_MS + 3000:
        errors.append("third call: ms_to_final %r, want the %d ms INVITE timer plus the second "
                      "target's answer" % (ms, INVITE_TIMEOUT_MS))
    try:
        rc = uas3.wait(timeout=10)
    except Exception:
        rc = None
    if rc != 0:
        errors.append("third call: the 100-only SIPp UAS exited %s (want 0: CANCEL with Reason "
                      "cause 18, 200, 487, ACK)" % rc)
    return errors


def check_peer_lines(log, p1, p2):
    """The first call's log lines (bridge/daemon/README.md "Log lines"): none names a SIP
    peer before its first INVITE, the lines from it to the next INVITE end in
    [sip 127.0.0.1:P1/udp] (the target answering 503), every one after in P2's."""
    m = re.search(r"call (\d+): INVITE sip:[^ ]*@127\.0\.0\.1:%d\b" % p1, log)
    if not m:
        return ["first call: no INVITE to target 1 in the bridge log"]
    lines = re.findall(r"call %s: (.*)$" % m.group(1), log, re.M)
    invites = [i for i, l in enumerate(lines) if l.startswith("INVITE sip:")]
    if len(invites) != 2:
        return ["first call: %d INVITE lines, want 2: %r" % (len(invites), lines)]
    a, b = invites
    want = [(l, None) for l in lines[:a]] + \
        [(l, "127.0.0.1:%d/udp" % p1) for l in lines[a:b]] + \
        [(l, "127.0.0.1:%d/udp" % p2) for l in lines[b:]]
    bad = [(l, peer) for l, peer in want
           if (peer is None and "[sip " in l) or (peer and not l.endswith(" [sip %s]" % peer))]
    if bad or len(lines) - b < 3:
        return ["first call: lines without the SIP peer they should name (line, want): %r"
                % (bad or lines)]
    return []


CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-failover", body))
