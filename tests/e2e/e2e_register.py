#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-register: outbound registration to a SIP trunk (RFC 3261 §10.2, §22).

usage: e2e_register.py CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM

A SIPp registrar and a [register trunk] section (expires = 3600, retry_interval = 1):

1. the first REGISTER (no credentials) gets 401 (MD5, qop=auth);
2. the REGISTER again with Authorization (SIPp's <verifyauth>), 200 with Contact
   ;expires=4 (and Expires: 60, which the Contact's parameter overrides);
3. the refresh must come before the 4 s run out (SIPp waits at most 3.5 s), with the
   credentials again (nc 2, no new challenge): 503;
4. after the back-off (1 s, logged "retry in 1 s") the REGISTER again: 200, ;expires=60;
5. SIGTERM: REGISTER with Expires: 0 (with credentials), 200; the bridge exits 0.

Every REGISTER has the same Call-ID and a higher CSeq. One log line per change:
registered, failed (503), registered, unregistered.

A second registration without credentials, [register brief] (expires = 60), to another SIPp
registrar: 423 with Min-Expires: 120, at once the REGISTER again with Expires: 120 (RFC 3261
§10.2.8), 200; Expires: 0 at SIGTERM. Exit 77 when sipp is missing."""
import os
import re
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
from e2e_target_auth import exit_status, header, params, send  # noqa: E402

USER, SECRET = "4930100", "trunk pass"


def reply(status, extra=""):
    """The registrar's response: STATUS, our To tag, the extra header lines."""
    return send(status, "Reg", [h.strip() for h in extra.splitlines() if h.strip()])


VERIFY = """
  <recv request="REGISTER" timeout="%d">
    <action>
      <verifyauth assign_to="ok%d" username="%s" password="%s"/>
      %s
    </action>
  </recv>
  <nop hide="true" test="ok%d" next="good%d"/>
""" + reply("403 Forbidden") + """
  <nop hide="true" next="end"/>
  <label id="good%d"/>
"""


def verify(n, timeout=10000, check=""):
    return VERIFY % (timeout, n, USER, SECRET, check, n, n, n)


REGISTRAR = ('<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="registrar">\n'
             '  <recv request="REGISTER"/>\n' +
             reply("401 Unauthorized",
                   'WWW-Authenticate: Digest realm="trunk.example.net", nonce="rn1", '
                   'algorithm=MD5, qop="auth"') +
             verify(2) + reply("200 OK", "[last_Contact:];expires=4\nExpires: 60") +
             # the binding runs out 4 s after this 200: the refresh (due after 2 s)
             # must come before, half a second to spare at least
             verify(3, timeout=3500) + reply("503 Service Unavailable") +
             verify(4) + reply("200 OK", "[last_Contact:];expires=60") +
             verify(5, timeout=30000,
                    check='<ereg regexp="^ *0 *$" search_in="hdr" header="Expires:" '
                          'check_it="true" assign_to="zero"/>') +
             reply("200 OK", "[last_Contact:];expires=0") +
             '  <Reference variables="zero"/>\n'
             '  <label id="end"/>\n  <pause milliseconds="100"/>\n</scenario>\n')


BRIEF = ('<?xml version="1.0" encoding="ISO-8859-1" ?>\n<scenario name="registrar-423">\n'
         '  <recv request="REGISTER">\n    <action>\n'
         '      <ereg regexp="^ *60 *$" search_in="hdr" header="Expires:" check_it="true" '
         'assign_to="e60"/>\n    </action>\n  </recv>\n' +
         reply("423 Interval Too Brief", "Min-Expires: 120") +
         '  <recv request="REGISTER">\n    <action>\n'
         '      <ereg regexp="^ *120 *$" search_in="hdr" header="Expires:" check_it="true" '
         'assign_to="e120"/>\n    </action>\n  </recv>\n' +
         reply("200 OK", "[last_Contact:];expires=120") +
         '  <recv request="REGISTER" timeout="30000">\n    <action>\n'
         '      <ereg regexp="^ *0 *$" search_in="hdr" header="Expires:" check_it="true" '
         'assign_to="e0"/>\n    </action>\n  </recv>\n' +
         reply("200 OK") +
         '  <Reference variables="e60,e120,e0"/>\n  <pause milliseconds="100"/>\n</scenario>\n')


def registers(text):
    """(seconds of the day, message text) of each REGISTER in a SIPp message log."""
    out = []
    for m in re.split(r"\n(?=-{10,})", text):
        if re.search(r"^REGISTER sip:", m, re.M):
            t = re.search(r"(\d\d):(\d\d):(\d\d(?:\.\d+)?)", m)
            out.append((int(t.group(1)) * 3600 + int(t.group(2)) * 60 + float(t.group(3))
                        if t else None, m))
    return out


def body(env):
    bridge, sim = (os.path.abspath(a) for a in sys.argv[1:3])
    E.need(bridge, "causeway-bridge")
    E.need(sim, "causeway-pstn-sim")
    sipp = E.sipp_or_skip()
    port, preg, pbrief = E.free_port(), E.free_port(), E.free_port()
    env.write("registrar.xml", REGISTRAR)
    env.write("brief.xml", BRIEF)
    reg = env.spawn("registrar", [sipp, "-sf", env.path("registrar.xml"), "-p", str(preg),
                                  "-m", "1", "-i", "127.0.0.1", "-nostdin", "-trace_msg",
                                  "-message_file", env.path("registrar-msg.log")])
    brief = env.spawn("brief", [sipp, "-sf", env.path("brief.xml"), "-p", str(pbrief),
                                "-m", "1", "-i", "127.0.0.1", "-nostdin"])
    E.start_sim(env, sim, "span1", "default answer 100\n")
    conf = E.bridge_conf(env, port, 1, """
[route to-sip]
match = *
target = sip:127.0.0.1:9;transport=udp

[register trunk]
registrar = sip:127.0.0.1:%d
aor = sip:%s@trunk.example.net
auth_secret = %s
retry_interval = 1
retry_max = 8

[register brief]
registrar = sip:127.0.0.1:%d
aor = sip:4930200@trunk.example.net
expires = 60
""" % (preg, USER, SECRET, pbrief))
    bridge_p = E.start_bridge(env, bridge, conf)
    errors = []
    log = lambda: env.read("bridge.log")  # noqa: E731
    if not E.wait_until(lambda: len(re.findall(r"register trunk: registered", log())) >= 2 or
                        reg.poll() is not None, 30):
        errors.append("no second 'registered' line")
    if not E.wait_until(lambda: "register brief: registered" in log() or
                        brief.poll() is not None, 10):
        errors.append("[register brief]: no 'registered' line")
    os.kill(bridge_p.pid, signal.SIGTERM)
    rc = exit_status(bridge_p, 15)
    if rc != 0:
        errors.append("bridge exit %s after SIGTERM (want 0)" % rc)
    src = exit_status(reg)
    if src != 0:
        errors.append("SIPp registrar exit %s (want 0: every REGISTER as the scenario wants)"
                      % src)
    brc = exit_status(brief)
    if brc != 0:
        errors.append("423 registrar: SIPp exit %s (want 0: Expires 60, 423, Expires 120, 200, "
                      "Expires 0)" % brc)
    got = re.findall(r"register brief: .*$", log(), re.M)
    if got != ["register brief: registered (200, expires 120 s)",
               "register brief: unregistered (200)"]:
        errors.append("[register brief]: log lines %r" % got)
    want = [r"register trunk: registered \(200, expires 4 s\)",
            r"register trunk: failed \(503\), retry in 1 s",
            r"register trunk: registered \(200, expires 60 s\)",
            r"register trunk: unregistered \(200\)"]
    got = re.findall(r"register trunk: .*$", log(), re.M)
    if len(got) != len(want) or not all(re.search(w, g) for w, g in zip(want, got)):
        errors.append("log lines %r, want %r" % (got, want))
    regs = registers(env.read("registrar-msg.log"))
    if len(regs) != 5:
        return errors + ["%d REGISTERs at the registrar, want 5" % len(regs)]
    ids = {header(m, "Call-ID") for _, m in regs}
    cseq = [int(header(m, "CSeq").split()[0]) for _, m in regs]
    if len(ids) != 1 or cseq != sorted(set(cseq)):
        errors.append("Call-IDs %r, CSeqs %r: want one Call-ID, CSeq going up" % (ids, cseq))
    if header(regs[0][1], "Authorization"):
        errors.append("the first REGISTER already has credentials")
    nc = [params(header(m, "Authorization") or "").get("nc") for _, m in regs[1:]]
    if nc != ["00000001", "00000002", "00000003", "00000004"]:
        errors.append("nc of the REGISTERs with credentials %r, want 1..4 on one nonce" % nc)
    if header(regs[1][1], "Expires") != "3600" or header(regs[4][1], "Expires") != "0":
        errors.append("Expires %r, want 3600 ... 0" % [header(m, "Expires") for _, m in regs])
    t = [s for s, _ in regs]
    if None not in t and t[3] - t[2] < 0.9:
        errors.append("the retry after the 503 came %.2f s after it, want the 1 s back-off"
                      % (t[3] - t[2]))
    if None not in t:
        print("refresh %.2f s after the 200 with expires 4; retry %.2f s after the 503"
              % (t[2] - t[1], t[3] - t[2]))
    if SECRET in log():
        errors.append("the secret is in the bridge log")
    return errors


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-register", body))
