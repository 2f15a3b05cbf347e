#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-redirect-*: the redirecting party and 3xx responses end to end (bridge/daemon/README.md
"Redirecting number"; tables/redirect-reasons.txt; [sip] redirect_headers, max_redirects).

usage: e2e_redirect.py CASE CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM [--causeway CLI]

  diversion     SETUP with Redirecting number 4930555 reason busy -> the INVITE carries
                `Diversion: <sip:4930555@HOST;user=phone>;reason=user-busy;counter=1` and no
                History-Info; the same restricted, to a route outside the trust domain:
                `<sip:anonymous@anonymous.invalid>;...;privacy=full`
  history-info  redirect_headers = history-info: reason unconditional -> History-Info with the
                redirecting entry and the new target with cause=302 (RFC 4458), mp=1, no
                Diversion; restricted to a trusted route: `?Privacy=history` on the entry
  to-isdn       SIP INVITEs with `Diversion: ...;reason=user-busy;counter=2`, with
                History-Info (cause=408) and with `Diversion: <tel:...>;privacy=full` -> SETUPs
                whose Redirecting number is the diverting party, reason busy / no-reply /
                unconditional, the last restricted (the simulator's report; tshark on its tap)
  3xx-follow    a target answers 302 with a Contact: the bridge sends a new INVITE to it with
                Diversion naming the number first called, reason unconditional; it answers
  3xx-limit     max_redirects = 1: a second 302 is not followed: DISCONNECT cause 23
                (RFC 3398 §8.2.5 / §8.2.6.1), the third target sees no INVITE
  3xx-loop      the redirected target redirects to itself (a Contact tried already): cause 23
  3xx-stop      the redirected target answers 486: the recursion stops, cause 17 as for any 486

Every case stops the bridge (exit 0, one CDR line per call, `causeway audit` clean). Exit 77
without sipp."""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
from harness import parse_trace, render_scenario  # noqa: E402

OUT_ROUTE = """
[route to-sip]
match = 4930
target = sip:127.0.0.1:{uas};transport=udp
{extra}
[route to-sip-trusted]
match = 4931
target = sip:127.0.0.1:{uas};transport=udp
trust_identity = yes
"""


def uas_final(env, sipp, label, port, status, phrase, contact=""):
    """A SIPp UAS on port answering every INVITE with status (and a Contact line), traced."""
    scen = render_scenario(env, "uas_final.xml", {"STATUS": status, "PHRASE": phrase,
                                                  "CONTACT": contact, "EXTRA": ""}, label)
    return env.spawn(label, [sipp, "-sf", scen, "-p", str(port), "-i", "127.0.0.1", "-nostdin",
                             "-trace_msg", "-message_file", env.path(label + "-msg.log")])


def uas_answer(env, sipp, label, port):
    """A SIPp UAS on port answering every INVITE 200 and the BYE (bridge/sip's uas.xml)."""
    scen = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bridge", "sip",
                        "scenarios", "uas.xml")
    return env.spawn(label, [sipp, "-sf", scen, "-p", str(port), "-i", "127.0.0.1", "-nostdin",
                             "-trace_msg", "-message_file", env.path(label + "-msg.log")])


def invites(env, label, want=None):
    """The INVITEs SIPp's trace shows the UAS label received; with want, given up to 5 s to
    reach that many (SIPp writes its trace as it goes)."""
    def got():
        return [m for m in parse_trace(env.path(label + "-msg.log"))
                if m.dir == "recv" and m.method == "INVITE"]
    if want:
        E.wait_until(lambda: len(got()) >= want, 5)
    return got()


def start(env, sim, bridge, port, routes, sip_extra="", rules="default answer 100\n"):
    env.sim = E.start_sim(env, sim, "span1", rules, ["--tap", env.path("span1.pcap")])
    conf = E.bridge_conf(env, port, 1, routes)
    if sip_extra:
        conf = conf.replace("port = %d\n" % port, "port = %d\n%s" % (port, sip_extra), 1)
    return E.start_bridge(env, bridge, conf)


def check_headers(errors, what, msg, want):
    """want: {header: regexp, or None for "absent"}."""
    for name, rx in want.items():
        got = msg.hdrs(name)
        if rx is None:
            if got:
                errors.append("%s: %s %r, want none" % (what, name, got))
        elif len(got) != 1 or not re.fullmatch(rx, got[0]):
            errors.append("%s: %s %r, want one matching %r" % (what, name, got, rx))


def case_to_sip(env, sipp, sim, bridge, history):
    """ISDN -> SIP: an allowed redirecting number to an untrusted route, then a restricted
    one (untrusted with Diversion, trusted with History-Info)."""
    port, uas = E.free_port(), E.free_port()
    uas_answer(env, sipp, "uas", uas)
    host = r"127\.0\.0\.1:%d" % uas
    extra = "redirect_headers = history-info\n" if history else ""
    bridge_p = start(env, sim, bridge, port, OUT_ROUTE.format(uas=uas, extra=""), extra)
    errors = []
    if history:
        E.isdn_call(env, "4930100", 1, 1, "redirecting 4930555 reason unconditional")
        E.isdn_call(env, "4931100", 2, 2, "redirecting 4930555 reason no-reply "
                    "redirecting-presentation restricted")
        want = [
            {"history-info": r"<sip:4930555@%s;user=phone>;index=1,<sip:4930100@%s;user=phone;"
                             r"cause=302>;index=1\.1;mp=1" % (host, host),
             "diversion": None},
            {"history-info": r"<sip:4930555@%s;user=phone\?Privacy=history>;index=1,"
                             r"<sip:4931100@%s;user=phone;cause=408>;index=1\.1;mp=1"
                             % (host, host),
             "diversion": None},
        ]
    else:
        E.isdn_call(env, "4930100", 1, 1, "redirecting 4930555 reason busy")
        E.isdn_call(env, "4930101", 2, 2, "redirecting 4930555 reason busy "
                    "redirecting-presentation restricted")
        want = [
            {"diversion": r"<sip:4930555@%s;user=phone>;reason=user-busy;counter=1" % host,
             "history-info": None},
            {"diversion": r"<sip:anonymous@anonymous\.invalid>;reason=user-busy;counter=1;"
                          r"privacy=full",
             "history-info": None},
        ]
    got = invites(env, "uas", 2)
    if len(got) != 2:
        return errors + ["INVITEs at the UAS: %d, want 2" % len(got)], bridge_p, 2
    for i, (msg, w) in enumerate(zip(got, want)):
        check_headers(errors, "INVITE %d" % (i + 1), msg, w)
    if not re.search(r"redirecting source=isdn number=4930555 reason=", env.read("bridge.log")):
        errors.append("no 'redirecting source=isdn' line in the bridge log")
    return errors, bridge_p, 2


def case_to_isdn(env, sipp, sim, bridge):
    """SIP -> ISDN: Diversion, then History-Info, become the SETUP's Redirecting number."""
    port = E.free_port()
    bridge_p = start(env, sim, bridge, port, E.PSTN_ROUTE,
                     rules="default reject 17 location LN\n")
    errors = []
    headers = [
        'Diversion: "Bob" <sip:+4930555@example.net;user=phone>;reason=user-busy;counter=2',
        "History-Info: <sip:4930666@example.net;user=phone>;index=1,"
        "<sip:4930700@example.net;user=phone;cause=408>;index=1.1;mp=1",
        "Diversion: <tel:4930777>;reason=unconditional;privacy=full",
    ]
    recv = '  <recv response="100" optional="true"/>\n  <recv response="486"/>\n'
    for n, h in enumerate(headers):
        scen = E.uac_scenario("uac-redirect", recv).replace(
            "      Max-Forwards: 70\n      Content-Type",
            "      Max-Forwards: 70\n      %s\n      Content-Type" % h, 1)
        env.write("uac%d.xml" % n, scen)
        p = env.spawn("uac%d" % n, [sipp, "-sf", env.path("uac%d.xml" % n), "-s", "4930700",
                                    "-i", "127.0.0.1", "-p", str(E.free_port()), "-m", "1",
                                    "-nostdin", "-timeout", "20s", "127.0.0.1:%d" % port])
        rc = p.wait(timeout=30)
        if rc != 0:
            errors.append("call %d: sipp exit status %s (486 expected)" % (n + 1, rc))
    if not E.wait_until(lambda: len(E.sim_calls(env, "span1")) >= 3, 10):
        return errors + ["the simulator reported %d calls, want 3"
                         % len(E.sim_calls(env, "span1"))], bridge_p, 3
    want = [{"number": "4930555", "reason": "busy", "presentation": "allowed"},
            {"number": "4930666", "reason": "no-reply", "presentation": "allowed"},
            {"number": "4930777", "reason": "unconditional", "presentation": "restricted"}]
    for i, (c, w) in enumerate(zip(E.sim_calls(env, "span1"), want)):
        r = c.get("redirecting") or {}
        got = {k: r.get(k) for k in w}
        if c.get("direction") != "in" or got != w or not r.get("count", 0) >= 1:
            errors.append("SETUP %d: redirecting %r, want %r with a count" % (i + 1, r, w))
    return errors + wire_redirecting(env, [("4930555", 1), ("4930666", 2), ("4930777", 15)]), \
        bridge_p, 3


def wire_redirecting(env, want):
    """The SETUPs' Redirecting number IEs as tshark decodes the simulator's tap: [(digits,
    reason for redirection)] (Q.952 §4.1.2 octet 3b); no check without tshark. The simulator
    is stopped first (its tap is complete when it exits)."""
    tshark = shutil.which("tshark")
    if not tshark:
        print("note: tshark not installed: the Redirecting number IE is not decoded")
        return []
    env.sim.terminate()
    if env.sim.wait(timeout=10) != 0:
        return ["the simulator exited %s after SIGTERM" % env.sim.returncode]
    r = subprocess.run([tshark, "-r", env.path("span1.pcap"), "-Y", "q931.message_type == 0x05",
                        "-T", "fields", "-e", "q931.redirecting_number.digits",
                        "-e", "q931.extension.reason"], capture_output=True, text=True, timeout=60)
    got = []
    for line in r.stdout.splitlines():
        f = line.split("\t")
        if len(f) == 2 and f[0]:
            got.append((f[0], int(f[1].split(",")[0], 0) if f[1] else None))
    if got != want:
        return ["tshark: SETUP Redirecting numbers %r, want %r (%s)" % (got, want, r.stderr[-300:])]
    return []


def redirect_routes(port1, sip_extra=""):
    return OUT_ROUTE.format(uas=port1, extra=sip_extra)


def contact(port, user="4930200"):
    return "Contact: <sip:%s@127.0.0.1:%d;transport=udp>" % (user, port)


def isdn_failed_call(env, called, n):
    """A SETUP from the simulator that the bridge clears; the simulator's n-th report."""
    r = E.sim_cmd(env, "span1-ctl.sock", "call %s 4930999" % called)
    if not r.startswith("ok"):
        raise RuntimeError("sim call: %r" % r)
    if not E.wait_until(lambda: len(E.sim_calls(env, "span1")) >= n, 15):
        raise RuntimeError("the simulator did not report the call to %s" % called)
    return E.sim_calls(env, "span1")[n - 1]


def case_3xx(env, sipp, sim, bridge, mode):
    port, p1, p2, p3 = (E.free_port() for _ in range(4))
    errors = []
    uas_final(env, sipp, "uas1", p1, 302, "Moved Temporarily", contact(p2))
    if mode == "follow":
        uas_answer(env, sipp, "uas2", p2)
    elif mode == "limit":
        uas_final(env, sipp, "uas2", p2, 302, "Moved Temporarily", contact(p3, "4930300"))
        uas_answer(env, sipp, "uas3", p3)
    elif mode == "loop":
        uas_final(env, sipp, "uas2", p2, 302, "Moved Temporarily", contact(p2))
    else:
        uas_final(env, sipp, "uas2", p2, 486, "Busy Here")
    sip_extra = "max_redirects = 1\n" if mode == "limit" else ""
    bridge_p = start(env, sim, bridge, port, redirect_routes(p1), sip_extra)
    if mode == "follow":
        E.isdn_call(env, "4930100", 1, 1)
        got = invites(env, "uas2", 1)
        if len(got) != 1:
            errors.append("INVITEs at the Contact: %d, want 1" % len(got))
        else:
            if not got[0].start.startswith("INVITE sip:4930200@127.0.0.1:%d;transport=udp " % p2):
                errors.append("redirected INVITE %r, want the Contact as Request-URI"
                              % got[0].start)
            check_headers(errors, "redirected INVITE", got[0], {
                "diversion": r"<sip:4930100@127\.0\.0\.1:%d;user=phone>;reason=unconditional;"
                             r"counter=1" % p2})
        line = E.cdr_lines(env)[0]
        tried = [(a.get("target"), a.get("status")) for a in line.get("routes_tried", [])]
        if tried != [("127.0.0.1:%d" % p1, 302), ("127.0.0.1:%d" % p2, 200)]:
            errors.append("routes_tried %r, want the 302 then the Contact's 200" % tried)
        return errors, bridge_p, 1
    c = isdn_failed_call(env, "4930100", 1)
    want_cause = 17 if mode == "stop" else 23
    if c.get("cause_received") != want_cause:
        errors.append("cause_received %r, want %d" % (c.get("cause_received"), want_cause))
    n1, n2 = len(invites(env, "uas1", 1)), len(invites(env, "uas2", 1))
    n3 = len(invites(env, "uas3")) if mode == "limit" else 0
    if (n1, n2, n3) != (1, 1, 0):
        errors.append("INVITEs at targets 1 / 2 / 3: %d / %d / %d, want 1 / 1 / 0" % (n1, n2, n3))
    if E.wait_until(lambda: len(E.cdr_lines(env)) >= 1, 10):
        line = E.cdr_lines(env)[0]
        tried = [a.get("status") for a in line.get("routes_tried", [])]
        want = [302, 486] if mode == "stop" else [302, 302]
        if tried != want:
            errors.append("routes_tried statuses %r, want %r" % (tried, want))
    return errors, bridge_p, 1


CASES = {
    "diversion": lambda env, sipp, sim, bridge: case_to_sip(env, sipp, sim, bridge, False),
    "history-info": lambda env, sipp, sim, bridge: case_to_sip(env, sipp, sim, bridge, True),
    "to-isdn": case_to_isdn,
    "3xx-follow": lambda env, sipp, sim, bridge: case_3xx(env, sipp, sim, bridge, "follow"),
    "3xx-limit": lambda env, sipp, sim, bridge: case_3xx(env, sipp, sim, bridge, "limit"),
    "3xx-loop": lambda env, sipp, sim, bridge: case_3xx(env, sipp, sim, bridge, "loop"),
    "3xx-stop": lambda env, sipp, sim, bridge: case_3xx(env, sipp, sim, bridge, "stop"),
}

CAUSEWAY = E.take_causeway()

if __name__ == "__main__":
    sys.exit(E.run_cases("e2e-redirect-", CASES, CAUSEWAY, __doc__))
