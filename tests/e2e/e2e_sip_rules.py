#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-sip-rules: requests the gateway must not forward into the PSTN, and the ACK it owes.

usage: e2e_sip_rules.py CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM SCENARIOS [--causeway CLI]

- An INVITE with Max-Forwards: 0 is answered 483 Too Many Hops and nothing reaches ISDN
  (RFC 3261 §16.3 item 2, §20.22); an OPTIONS with Max-Forwards: 0 is still answered 200.
- An INVITE whose Request-URI has no user part (sip:127.0.0.1, what scanners send) is
  answered 484 Address Incomplete with Reason cause 28 (RFC 3398 §8.2.6.1), never a SETUP
  with an empty called number.
- The ACK the bridge sends for a non-2xx final response (a SIPp UAS answering 486 to an
  ISDN->SIP call) carries Max-Forwards (RFC 3261 §8.1.1.6); SIPp fails the call otherwise.
The simulator must report no call from the two refused INVITEs. Exit 77 without sipp."""
import os
import re
import socket
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
from harness import port_bound  # noqa: E402


def routes(uas_port):
    return """
[route to-pstn]
match = *
group = pstn
allow = 127.0.0.1

[route to-sip]
match = 4930100
target = sip:127.0.0.1:%d
""" % uas_port


def request(method, ruri, port, lport, n, max_forwards):
    return ("%s %s SIP/2.0\r\n"
            "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-rules-%d\r\n"
            "Max-Forwards: %d\r\n"
            "From: <sip:0301234@127.0.0.1:%d>;tag=rules%d\r\n"
            "To: <%s>\r\n"
            "Call-ID: rules-%d@127.0.0.1\r\n"
            "CSeq: 1 %s\r\n"
            "Contact: <sip:0301234@127.0.0.1:%d>\r\n"
            "Content-Length: 0\r\n\r\n"
            % (method, ruri, lport, n, max_forwards, lport, n, ruri, n, method, lport)).encode()


def final_response(sock, timeout=5.0):
    """The first final response on sock: (status, headers text), or (None, "")."""
    sock.settimeout(timeout)
    while True:
        try:
            data = sock.recv(65535).decode("utf-8", "replace")
        except socket.timeout:
            return None, ""
        m = re.match(r"SIP/2\.0 (\d{3})", data)
        if m and int(m.group(1)) >= 200:
            return int(m.group(1)), data


def body(env):
    bridge, sim, scenarios = (os.path.abspath(a) for a in sys.argv[1:4])
    E.need(bridge, "causeway-bridge")
    E.need(sim, "causeway-pstn-sim")
    sipp = E.sipp_or_skip()
    port, uas_port = E.free_port(), E.free_port()
    E.start_sim(env, sim, "span1", "default answer 100\n")
    bridge_p = E.start_bridge(env, bridge, E.bridge_conf(env, port, 1, routes(uas_port)))
    errors = []

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    lport = s.getsockname()[1]
    cases = [
        ("INVITE sip:4930123@127.0.0.1 with Max-Forwards 0",
         request("INVITE", "sip:4930123@127.0.0.1:%d" % port, port, lport, 1, 0), 483, None),
        ("OPTIONS with Max-Forwards 0 (its last hop may answer)",
         request("OPTIONS", "sip:127.0.0.1:%d" % port, port, lport, 2, 0), 200, None),
        ("INVITE sip:127.0.0.1 (no user part)",
         request("INVITE", "sip:127.0.0.1:%d" % port, port, lport, 3, 70), 484,
         r"Reason:\s*Q\.850;cause=28\b"),
    ]
    for what, msg, want, reason in cases:
        s.sendto(msg, ("127.0.0.1", port))
        got, text = final_response(s)
        if got != want:
            errors.append("%s: answered %s, want %d" % (what, got, want))
        elif reason and not re.search(reason, text, re.I):
            errors.append("%s: %d without %s: %r" % (what, got, reason, text))
        if got is not None and got >= 300 and "INVITE" in what:
            to = re.search(r"^To:.*$", text, re.M | re.I)
            ack = msg.decode().replace("INVITE", "ACK", 1).replace("CSeq: 1 INVITE", "CSeq: 1 ACK")
            if to:
                ack = re.sub(r"^To:.*$", to.group(0).strip(), ack, flags=re.M)
            s.sendto(ack.encode(), ("127.0.0.1", port))
    s.close()

    # ISDN -> SIP: the UAS answers 486; its scenario checks the bridge's ACK.
    uas = env.spawn("uas", [sipp, "-sf", os.path.join(scenarios, "uas_final_ack_mf.xml"),
                            "-i", "127.0.0.1", "-p", str(uas_port), "-m", "1", "-nostdin",
                            "-timeout", "20s"])
    E.wait_until(lambda: port_bound(uas_port), 5)
    r = E.sim_cmd(env, "span1-ctl.sock", "call 4930100 4930999")
    if not r.startswith("ok"):
        errors.append("sim call: %r" % r)
    try:
        rc = uas.wait(timeout=30)
    except Exception:
        rc = None
    if rc != 0:
        errors.append("SIPp UAS exit %s (want 0: the ACK to its 486 carried Max-Forwards)" % rc)
    if not E.wait_until(lambda: len(E.cdr_lines(env)) >= 2, 10):
        errors.append("CDR: %d lines, want 2 (the 484 call and the ISDN call)"
                      % len(E.cdr_lines(env)))
    calls = E.sim_calls(env, "span1")
    setups = [c for c in calls if c.get("called") != "4930100"]
    if setups:
        errors.append("the simulator saw SETUPs from refused INVITEs: %r" % setups)
    return errors + E.finish(env, bridge_p, 2, CAUSEWAY)


CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-sip-rules", body))
