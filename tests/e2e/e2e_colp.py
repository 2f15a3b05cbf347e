#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-colp-*: the connected line (Q.951 §3 COLP, §4 COLR) <-> P-Asserted-Identity in the 200
(RFC 3325 §9.1, Privacy: id §9.3; bridge/daemon/README.md "Connected line").

usage: e2e_colp.py CASE CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM [--causeway CLI]

  to-sip    SIP->ISDN: the simulator's CONNECT carries a Connected number (rule word
            `connected`). Through a route whose trusted_peers hold SIPp's address, the 200
            carries it as P-Asserted-Identity <sip:+4930100@...;user=phone> (international:
            '+') and no Privacy; a restricted one (4930110) as P-Asserted-Identity with
            Privacy: id. Through a route without trusted_peers the 200 has neither.
  to-isdn   ISDN->SIP: a SIPp UAS answers the simulator's call with P-Asserted-Identity. Through
            a route with trust_identity = yes the CONNECT carries it as the Connected number
            (international, screening passed, presentation allowed), with Privacy: id as
            presentation restricted; through a route without trust_identity there is no
            Connected number.

Each case checks SIPp's trace or the simulator's report, then stops the bridge (exit 0, one CDR
line per call, `causeway audit` clean). Exit 77 without sipp."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
from harness import parse_trace  # noqa: E402

TO_PSTN = """
[route trusted]
match = 49301
group = pstn
allow = 127.0.0.1
trusted_peers = 127.0.0.1

[route untrusted]
match = 49302
group = pstn
allow = 127.0.0.1
"""

TO_SIP = """
[route to-sip]
match = 4930555
target = sip:127.0.0.1:{uas};transport=udp
trust_identity = yes

[route to-sip-untrusted]
match = 4930666
target = sip:127.0.0.1:{uas};transport=udp
"""

SIM_RULES = """4930100 talk 1 then clear 16 connected +4930100
4930110 talk 1 then clear 16 connected 4930110 restricted
4930200 talk 1 then clear 16 connected +4930200
"""


def answer_of(trace):
    """The 200 SIPp received for its INVITE, or None."""
    for m in parse_trace(trace):
        if m.dir == "recv" and m.status == 200 and "INVITE" in (m.hdr("cseq") or ""):
            return m
    return None


def case_to_sip(env, sipp, sim, bridge):
    E.start_sim(env, sim, "span1", SIM_RULES)
    port = E.free_port()
    bridge_p = E.start_bridge(env, bridge, E.bridge_conf(env, port, 1, TO_PSTN))
    errors = []
    # called, P-Asserted-Identity wanted (a regex, None: none), Privacy wanted
    want = [("4930100", r"^<sip:\+4930100@[^;>]+;user=phone>$", None),
            ("4930110", r"^<sip:4930110@[^;>]+;user=phone>$", "id"),
            ("4930200", None, None)]
    for i, (called, pai, privacy) in enumerate(want):
        p, trace = E.sipp_uac(env, sipp, port, "uac-%d" % i, called=called)
        if E.wait_proc(p) != 0:
            errors.append("call to %s: SIPp UAC exit status %s" % (called, p.returncode))
        ok = answer_of(trace)
        if ok is None:
            errors.append("call to %s: no 200 in SIPp's trace" % called)
            continue
        got_pai, got_priv = ok.hdr("p-asserted-identity"), ok.hdr("privacy")
        if (pai is None and got_pai is not None) or \
                (pai is not None and not re.match(pai, got_pai or "")):
            errors.append("call to %s: 200 P-Asserted-Identity %r, want %s"
                          % (called, got_pai, pai or "none"))
        if got_priv != privacy:
            errors.append("call to %s: 200 Privacy %r, want %r" % (called, got_priv, privacy))
    return errors, bridge_p, len(want)


def case_to_isdn(env, sipp, sim, bridge):
    E.start_sim(env, sim, "span1", "default answer 0\n")
    uas, port = E.free_port(), E.free_port()
    bridge_p = E.start_bridge(env, bridge, E.bridge_conf(env, port, 1, TO_SIP.format(uas=uas)))
    errors = []
    # called, the 200's extra headers, the Connected number wanted in the simulator's report
    want = [("4930555", "P-Asserted-Identity: <sip:+4930555@127.0.0.1;user=phone>",
             {"number": "4930555", "ton": 1, "presentation": "allowed", "screening": "passed"}),
            ("4930555", "P-Asserted-Identity: \"Bob\" <tel:+4930556>\nPrivacy: id",
             {"number": "4930556", "ton": 1, "presentation": "restricted",
              "screening": "passed"}),
            ("4930666", "P-Asserted-Identity: <sip:+4930666@127.0.0.1;user=phone>", None)]
    for i, (called, extra, connected) in enumerate(want):
        u = E.sipp_uas(env, sipp, "uas_answer_extra.xml", {"RING": "0", "EXTRA": extra},
                       uas, port)
        if not u:
            return errors + ["SIPp UAS did not bind port %d" % uas], bridge_p, i
        E.isdn_call(env, called, i + 1, i + 1)
        if E.wait_proc(u) != 0:
            errors.append("call to %s: SIPp UAS exit status %s" % (called, u.returncode))
        E.wait_until(lambda: len(outgoing(env)) > i, 10)
        outs = outgoing(env)
        if len(outs) <= i:
            errors.append("call to %s: not in the simulator's report" % called)
            continue
        if outs[i].get("connected") != connected:
            errors.append("call to %s: the CONNECT's Connected number %r, want %r"
                          % (called, outs[i].get("connected"), connected))
    return errors, bridge_p, len(want)


def outgoing(env):
    """The simulator's own calls (to the bridge), in the order they ended."""
    return [c for c in E.sim_calls(env, "span1") if c["direction"] == "out"]


CASES = {"to-sip": case_to_sip, "to-isdn": case_to_isdn}


CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    sys.exit(E.run_cases("e2e-colp-", CASES, CAUSEWAY, __doc__))
