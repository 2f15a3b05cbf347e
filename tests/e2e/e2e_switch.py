#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-switch-SWITCHTYPE-ROLE: one span of each libpri switch type, with the bridge in
either node role (bridge/pri/README.md "Switch types").

usage: e2e_switch.py SWITCHTYPE-ROLE CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM [--causeway CLI]

  SWITCHTYPE  euroisdn, ni2, dms100, 4ess, 5ess or qsig. ni2, dms100, 4ess and 5ess are
              T1 (23 B-channels, the D-channel on timeslot 24, mu-law); euroisdn and qsig
              are E1 here (30 B-channels, the D-channel on timeslot 16, A-law).
  ROLE        cpe: the bridge is pri_cpe, the simulator `--node network`;
              net: the bridge is pri_net, the simulator `--node cpe`.

The span has no bchannels= (the switch type's default) and hunts descending, so both
calls use the edge of the switch type's channel range:

  1. SIP -> ISDN: a SIPp UAC calls 4930100; the SETUP arrives on the highest B-channel
     (23 on T1, 31 on E1), the simulator answers it and clears it with cause 31: the UAC
     gets BYE with Reason Q.850;cause=31.
  2. ISDN -> SIP: the simulator calls 4930555 on channel 16 (a B-channel on T1) or 17
     (E1); a SIPp UAS answers the INVITE 486: the simulator receives DISCONNECT cause 17
     (RFC 3398 §8.2.6.1: 486 -> 17).

On qsig the names go across too, as ROSE operations in Facility IEs (ECMA-164 / ISO
13868): the calling name both ways, the UAC's display name "SIPp" as the simulator's
calling name and the simulator's `name Bob` as the INVITE's From display name; and the
connected name both ways: the simulator answers call 1 with `--connected-name Carol`,
which the UAC's 200 gets as the P-Asserted-Identity display name, and

  3. (qsig) ISDN -> SIP answered: the UAS's 200 asserts "Dave" (P-Asserted-Identity),
     which reaches the simulator as the CONNECT's connectedName; the simulator clears.

Last, the simulator's RESTART of the top B-channel (Q.931 §5.5): libpri's RESTART
ACKNOWLEDGE for that channel comes back, and the bridge logs it.

Then the bridge stops (exit 0, one CDR line per call, `causeway audit` clean). Exit 77
without sipp."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
from harness import parse_trace, port_bound, q850, render_scenario  # noqa: E402

# switch type -> (the highest B-channel, the channel the simulator's call takes, the law)
T1, E1 = (23, 16, "ulaw"), (31, 17, "alaw")
SWITCHTYPES = {"euroisdn": E1, "ni2": T1, "dms100": T1, "4ess": T1, "5ess": T1, "qsig": E1}
# the law -> the first payload type the bridge offers in its INVITE (RFC 3551 §6)
PAYLOAD = {"ulaw": "0", "alaw": "8"}
ROLES = {"cpe": ("pri_cpe", "network"), "net": ("pri_net", "cpe")}

SPAN = """
[span 1]
switchtype = {switchtype}
signalling = {signalling}
dchannel = socket:{dir}/span1.sock
group = pstn
hunting = descending
"""

# both routes in the trust domain (RFC 3325 §5): the connected name rides on
# P-Asserted-Identity, which the bridge sends to and believes from trusted peers only
TO_SIP = """
[route to-sip]
match = 4930555
target = sip:127.0.0.1:{uas};transport=udp
trust_identity = yes
"""

RULES = "4930100 talk 0.3 then clear 31\ndefault reject 1\n"
CLEAR_CAUSE = 31                    # the simulator's, after the answer
REJECT_STATUS, REJECT_CAUSE = 486, 17   # RFC 3398 §8.2.6.1
SIP_NAME, ISDN_NAME = "SIPp", "Bob"
ISDN_CONNECTED, SIP_CONNECTED = "Carol", "Dave"


def sim_calls(env, direction):
    return [c for c in E.sim_calls(env, "span1") if c["direction"] == direction]


def start_sipp(env, sipp, label, scenario, subs, argv):
    """SIPp on a scenario of tests/e2e/scenarios, its trace in LABEL-msg.log."""
    scen = render_scenario(env, scenario, dict({"SYNC": env.path(label + ".sync")}, **subs),
                           label)
    trace = env.path(label + "-msg.log")
    p = env.spawn(label, [sipp, "-sf", scen, "-i", "127.0.0.1", "-m", "1", "-nostdin",
                          "-timeout", "20s", "-timeout_error", "-trace_msg",
                          "-message_file", trace] + argv)
    return p, trace


def expect_sim_call(env, direction, fields, want, what):
    """The simulator's calls of direction, as tuples of these report fields, are [want]."""
    E.wait_until(lambda: sim_calls(env, direction), 10)
    got = [tuple(c.get(f) for f in fields) for c in sim_calls(env, direction)]
    if got != [want]:
        return ["%s (%s) %r, want %r" % (what, ", ".join(fields), got, [want])]
    return []


def first_recv(trace, method=None, status=None):
    for m in parse_trace(trace):
        if m.dir == "recv" and ((method and m.method == method) or
                                (status and m.status == status)):
            return m
    return None


def display_name(hdr):
    m = re.match(r'\s*"([^"]*)"', hdr or "")
    return m.group(1) if m else None


def call_from_sip(env, sipp, port, top, law, qsig):
    errors = []
    p, trace = start_sipp(env, sipp, "uac", "uac_wait_bye.xml", {"CALLING": "0301111"},
                          ["-s", "4930100", "-p", str(E.free_port()), "127.0.0.1:%d" % port])
    if E.wait_proc(p) != 0:
        errors.append("SIPp UAC: the call was not answered and cleared (exit %s)"
                      % p.returncode)
    bye = first_recv(trace, method="BYE")
    cause = q850(bye)[0] if bye else None
    if cause != CLEAR_CAUSE:
        errors.append("BYE Reason %r, want Q.850;cause=%d"
                      % (bye and bye.hdr("reason"), CLEAR_CAUSE))
    errors += expect_sim_call(env, "in", ("channel", "law", "answered", "cause_sent"),
                              (top, law, True, CLEAR_CAUSE), "the bridge's SETUP")
    if qsig and [c.get("calling_name") for c in sim_calls(env, "in")] != [SIP_NAME]:
        errors.append("calling name at the simulator %r, want %r"
                      % ([c.get("calling_name") for c in sim_calls(env, "in")], SIP_NAME))
    ok = first_recv(trace, status=200)
    pai = ok.hdr("p-asserted-identity") if ok else None
    if qsig and display_name(pai) != ISDN_CONNECTED:
        errors.append("200 P-Asserted-Identity %r, want the display name %r"
                      % (pai, ISDN_CONNECTED))
    return errors


def call_to_sip(env, sipp, port, uas, ch, law, qsig):
    errors = []
    u, trace = start_sipp(env, sipp, "uas", "uas_final.xml",
                          {"STATUS": REJECT_STATUS, "PHRASE": "Busy Here", "CONTACT": "",
                           "EXTRA": ""},
                          ["-p", str(uas), "127.0.0.1:%d" % port])
    if not E.wait_until(lambda: port_bound(uas), 10):
        return ["SIPp UAS did not bind port %d" % uas]
    line = "call 4930555 4930999 channel %d" % ch + (" name %s" % ISDN_NAME if qsig else "")
    r = E.sim_cmd(env, "span1-ctl.sock", line)
    if not r.startswith("ok cref"):
        return ["sim %r: %r" % (line, r)]
    if E.wait_proc(u) != 0:
        errors.append("SIPp UAS: no INVITE answered %d and ACKed (exit %s)"
                      % (REJECT_STATUS, u.returncode))
    errors += expect_sim_call(env, "out", ("channel", "law", "answered", "cause_received"),
                              (ch, law, False, REJECT_CAUSE), "the simulator's SETUP")
    sent = [m.status for m in parse_trace(trace) if m.dir == "sent" and m.status]
    if REJECT_STATUS not in sent:
        errors.append("SIPp UAS sent %r, want %d" % (sent, REJECT_STATUS))
    invite = first_recv(trace, method="INVITE")
    m = re.search(r"^m=audio \d+ RTP/AVP (\d+)", invite.body if invite else "", re.M)
    if not m or m.group(1) != PAYLOAD[law]:
        errors.append("INVITE offers %r first, want payload type %s (%s)"
                      % (m and m.group(1), PAYLOAD[law], law))
    if qsig and display_name(invite and invite.hdr("from")) != ISDN_NAME:
        errors.append("INVITE From %r, want the display name %r"
                      % (invite and invite.hdr("from"), ISDN_NAME))
    return errors


def answered_to_sip(env, sipp, port, uas):
    """qsig: ISDN -> SIP answered with a P-Asserted-Identity name, cleared by the simulator."""
    scen = render_scenario(env, "uas_answer_wait.xml", {"RING": 0, "SYNC": env.path("uas2.sync")},
                           "uas2")
    with open(scen) as f:
        text = f.read()
    # the 200's only header after Contact: who answered (RFC 3325 §9.1)
    with open(scen, "w") as f:
        f.write(text.replace("      Content-Type: application/sdp\n",
                             '      P-Asserted-Identity: "%s" <sip:4930555@127.0.0.1>\n'
                             "      Content-Type: application/sdp\n" % SIP_CONNECTED, 1))
    u = env.spawn("uas2", [sipp, "-sf", scen, "-i", "127.0.0.1", "-p", str(uas), "-m", "1",
                           "-nostdin", "-timeout", "20s", "-timeout_error",
                           "127.0.0.1:%d" % port])
    if not E.wait_until(lambda: port_bound(uas), 10):
        return ["SIPp UAS 2 did not bind port %d" % uas]
    r = E.sim_cmd(env, "span1-ctl.sock", "call 4930555 4930999")
    m = re.match(r"ok cref (\d+)", r)
    if not m:
        return ["sim call: %r" % r]
    if not E.wait_until(lambda: os.path.exists(env.path("uas2.sync")), 20):
        return ["the third call was not answered"]
    errors = []
    if E.sim_cmd(env, "span1-ctl.sock", "hangup %s 16" % m.group(1)) != "ok":
        errors.append("sim hangup failed")
    if E.wait_proc(u) != 0:
        errors.append("SIPp UAS 2: no BYE after the simulator's hangup (exit %s)"
                      % u.returncode)
    E.wait_until(lambda: len(sim_calls(env, "out")) >= 2, 10)
    got = [(c.get("answered"), c.get("connected_name")) for c in sim_calls(env, "out")[1:]]
    if got != [(True, SIP_CONNECTED)]:
        errors.append("the third call at the simulator (answered, connected name) %r, want %r"
                      % (got, [(True, SIP_CONNECTED)]))
    return errors


def restart(env, top):
    """Q.931 §5.5.1: RESTART of channel top from the simulator, acknowledged for it."""
    r = E.sim_cmd(env, "span1-ctl.sock", "restart %d" % top)
    if r != "ok":
        return ["sim restart %d: %r" % (top, r)]
    errors = []

    def acks():
        return [json.loads(l).get("channel") for l in env.read("span1.jsonl").splitlines()
                if '"restart_ack"' in l]
    if not E.wait_until(lambda: acks(), 10) or acks() != [top]:
        errors.append("RESTART ACKNOWLEDGE for channels %r, want [%d]" % (acks(), top))
    if not E.wait_until(lambda: re.search(r"span 1: RESTART of channel %d \(0 calls cleared\)$"
                                          % top, env.read("bridge.log"), re.M), 5):
        errors.append("bridge log: no 'RESTART of channel %d (0 calls cleared)'" % top)
    return errors


def case(switchtype, role):
    def body(env, sipp, sim, bridge):
        top, ch, law = SWITCHTYPES[switchtype]
        signalling, node = ROLES[role]
        qsig = switchtype == "qsig"
        E.start_sim(env, sim, "span1", RULES, ["--switchtype", switchtype, "--node", node] +
                    (["--connected-name", ISDN_CONNECTED] if qsig else []))
        port, uas = E.free_port(), E.free_port()
        conf = (E.BRIDGE_HEAD.format(dir=env.dir, port=port) +
                SPAN.format(switchtype=switchtype, signalling=signalling, dir=env.dir) +
                """
[route to-pstn]
match = 4930100
group = pstn
allow = 127.0.0.1
trusted_peers = 127.0.0.1
""" + TO_SIP.format(uas=uas))
        bridge_p = E.start_bridge(env, bridge, conf)
        if not E.wait_until(lambda: re.search(r"span 1: D-channel up", env.read("bridge.log")),
                            15):
            return ["span 1: the D-channel did not come up"], bridge_p, 0
        errors = call_from_sip(env, sipp, port, top, law, qsig)
        errors += call_to_sip(env, sipp, port, uas, ch, law, qsig)
        ncalls = 2
        if qsig:
            E.wait_until(lambda: not port_bound(uas), 5)
            errors += answered_to_sip(env, sipp, port, uas)
            ncalls = 3
        E.wait_until(lambda: len(E.cdr_lines(env)) >= ncalls, 10)
        errors += restart(env, top)
        return errors, bridge_p, ncalls
    return body


CASES = {"%s-%s" % (s, r): case(s, r) for s in SWITCHTYPES for r in ROLES}

CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    sys.exit(E.run_cases("e2e-switch-", CASES, CAUSEWAY, __doc__))
