#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-numbering-*: a route's number rewriting as it goes on the wire (bridge/config/README.md
route keys `strip`, `prefix`, `ton`, `npi`).

usage: e2e_numbering.py CASE CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM [--causeway CLI]

  setup  SIP->ISDN through two routes, the simulator capturing its D-channel (--tap), the
         SETUPs decoded by tshark (-T json -Y q931): route `intl` (strip 1, prefix 49, ton
         international, npi isdn) turns 930123456 into the Called party number 4930123456,
         type of number international (1), plan E.164 (1); route `private` (strip 2, ton
         subscriber, npi private) turns 884711 into 4711, subscriber (4), private plan (9).
         The Calling party number: From +4930111 gives 4930111 international / E.164, From
         0301111 gives 0301111 unknown (0) / E.164. Then ISDN->SIP through a route with strip 2
         and prefix 0: the simulator's SETUP to 4930555 reaches SIPp as an INVITE to 030555.

Exit 77 without sipp or tshark."""
import json
import os
import re
import shutil
import signal
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
from harness import parse_trace  # noqa: E402

ROUTES = """
[route intl]
match = 9
group = pstn
allow = 127.0.0.1
strip = 1
prefix = 49
ton = international
npi = isdn

[route private]
match = 88
group = pstn
allow = 127.0.0.1
strip = 2
ton = subscriber
npi = private

[route to-sip]
match = 4930555
target = sip:127.0.0.1:{uas};transport=udp
strip = 2
prefix = 0
"""

# (the Request-URI user dialled, the From user) -> the SETUP's Called and Calling party
# numbers: (digits, type of number, numbering plan), Q.931 §4.5.8 / §4.5.10 octet 3
CALLS = [(("930123456", "+4930111"), (("4930123456", 1, 1), ("4930111", 1, 1))),
         (("884711", "0301111"), (("4711", 4, 9), ("0301111", 0, 1)))]


def number_ies(tree, field, out):
    """Every IE of a tshark JSON q931 layer holding field (the digits): (digits, type of number,
    plan) from the same subtree."""
    if isinstance(tree, dict):
        if field in tree:
            out.append((tree[field], int(tree.get("q931.number_type", "-1"), 0),
                        int(tree.get("q931.numbering_plan", "-1"), 0)))
        for v in tree.values():
            number_ies(v, field, out)
    elif isinstance(tree, list):
        for v in tree:
            number_ies(v, field, out)
    return out


def setups(tshark, pcap):
    """[(called, calling)] of every SETUP in pcap, as number_ies() tuples (None: no IE)."""
    r = subprocess.run([tshark, "-r", pcap, "-T", "json", "-Y", "q931"], capture_output=True,
                       text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("tshark: %s" % r.stderr.strip())
    out = []
    for pkt in json.loads(r.stdout or "[]"):
        q = pkt.get("_source", {}).get("layers", {}).get("q931", {})
        if int(q.get("q931.message_type", "-1"), 0) != 0x05:  # Q.931 §4.4: SETUP
            continue
        called = number_ies(q, "q931.called_party_number.digits", [])
        calling = number_ies(q, "q931.calling_party_number.digits", [])
        out.append((called[0] if called else None, calling[0] if calling else None))
    return out


def case_setup(env, sipp, sim, bridge):
    tshark = shutil.which("tshark")
    if not tshark:
        print("SKIP: tshark not found")
        sys.exit(E.SKIP)
    pcap = env.path("span1.pcap")
    sim_p = E.start_sim(env, sim, "span1", "default talk 0.3 then clear 16\n", extra=("--tap", pcap))
    uas, port = E.free_port(), E.free_port()
    bridge_p = E.start_bridge(env, bridge, E.bridge_conf(env, port, 1, ROUTES.format(uas=uas)))
    errors = []
    for i, ((called, calling), _) in enumerate(CALLS):
        # answered, then cleared by the simulator (talk): SIPp gets the bridge's BYE
        p, _trace = E.sipp_uac(env, sipp, port, "uac-%d" % i, called=called,
                               subs={"CALLING": calling})
        if E.wait_proc(p) != 0:
            errors.append("call to %s: SIPp UAC exit status %s" % (called, p.returncode))
    # ISDN -> SIP: strip and prefix on the Request-URI
    u = E.sipp_uas(env, sipp, "uas_answer_wait.xml", {"RING": "0"}, uas, port)
    if not u:
        return errors + ["SIPp UAS did not bind port %d" % uas], bridge_p, len(CALLS)
    E.isdn_call(env, "4930555", 1, len(CALLS) + 1)
    E.wait_proc(u)
    invites = [m for m in parse_trace(env.path("uas-msg.log"))
               if m.dir == "recv" and m.method == "INVITE"]
    ruri = invites[0].start.split()[1] if invites else None
    if not ruri or not re.match(r"^sip:030555@", ruri):
        errors.append("ISDN->SIP Request-URI %r, want sip:030555@..." % ruri)
    # the SETUPs as tshark decodes them: the simulator's tap is whole once it has exited
    os.kill(sim_p.pid, signal.SIGTERM)
    E.wait_proc(sim_p, 10)
    got = setups(tshark, pcap)
    want = [w for _, w in CALLS]
    print("SETUPs: %r" % got)
    # the simulator's own SETUP (ISDN->SIP) comes last, sent toward the bridge
    if got[:len(want)] != want:
        errors.append("SETUPs (called, calling) as (digits, type of number, plan): %r, want %r"
                      % (got[:len(want)], want))
    return errors, bridge_p, len(CALLS) + 1


CASES = {"setup": case_setup}


CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    sys.exit(E.run_cases("e2e-numbering-", CASES, CAUSEWAY, __doc__))
