#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-hunting: SIP -> ISDN hunting across a span group (bridge/daemon/README.md "Failover and hunting").

usage: e2e_hunting.py CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM [--causeway CLI]

Two spans in one group, each its own causeway-pstn-sim: span 1 rejects with cause 34,
span 2 answers. A SIPp UAC's call is tried on span 1, then completes on span 2
(RFC 4497 §8.3.1); the CDR has one routes_tried entry per span. At the end the bridge is
stopped and its CDR file must hold a line per call and audit clean (`causeway audit`,
e2e_common.finish). Exit 77 when sipp is missing."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402

def body(env):
    bridge, sim = (os.path.abspath(a) for a in sys.argv[1:3])
    E.need(bridge, "causeway-bridge")
    E.need(sim, "causeway-pstn-sim")
    sipp = E.sipp_or_skip()
    port = E.free_port()
    E.start_sim(env, sim, "span1", "default reject 34 location LN\n")
    E.start_sim(env, sim, "span2", "default answer 100\n")
    bridge_p = E.start_bridge(env, bridge, E.bridge_conf(env, port, 2, E.PSTN_ROUTE))

    uac = env.spawn("uac", [sipp, "-sn", "uac", "-s", "4930100", "-i", "127.0.0.1",
                            "-p", str(E.free_port()), "-m", "1", "-nostdin", "-timeout", "20s",
                            "127.0.0.1:%d" % port])
    try:
        rc = uac.wait(timeout=30)
    except Exception:
        rc = None
    errors = []
    if rc != 0:
        errors.append("sipp UAC exit status %s (want 0: the call completed)" % rc)
    if not E.wait_until(lambda: E.cdr_lines(env), 10):
        return errors + ["no CDR line"]
    s1, s2 = E.sim_calls(env, "span1"), E.sim_calls(env, "span2")
    if len(s1) != 1 or s1[0].get("cause_sent") != 34:
        errors.append("span 1 sim: %r, want one call rejected with 34" % s1)
    if len(s2) != 1:
        errors.append("span 2 sim: %r, want one call" % s2)
    line = E.cdr_lines(env)[0]
    got = [(a.get("span"), a.get("cause")) for a in line.get("routes_tried", [])]
    if [g[0] for g in got] != [1, 2] or got[0][1] != 34:
        errors.append("routes_tried %r, want span 1 (cause 34) then span 2" % got)
    if not line.get("answered") or line.get("span") != 2:
        errors.append("CDR: not answered on span 2: %r" % line)
    if not errors:
        print("routes_tried: %r" % line["routes_tried"])
    return errors + E.finish(env, bridge_p, 1, CAUSEWAY)


CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-hunting", body))
