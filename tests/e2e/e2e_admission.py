#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e_admission.py TEST --bridge EXE --sim EXE --sipp EXE [--causeway EXE]

The gateway refuses toll fraud (bridge/config/README.md "Admission"), seen from
the wire: SIPp sends from 127.0.0.2 or 127.0.0.1 (every address of 127.0.0.0/8
is local), causeway-pstn-sim counts the SETUPs that reach the ISDN side.

  acl       a route allowing only 127.0.0.1: 127.0.0.2 gets 403 + cause 21, the
            refusal line names it, 0 SETUPs; 127.0.0.1's call completes
  closed    a route with neither allow nor auth refuses every call; --check-config
            warns and exits 0
  deny      deny prefixes: 403 with cause 21, or 57 where deny_cause says so
  duration  max_call_seconds: BYE with Reason cause 16 and DISCONNECT 16
  auth      digest as UAS: 401, then the right password's call completes; a wrong
            one gets 403 + cause 21 after the challenge
  sipvicious  svmap, svwar and svcrack: 0 SETUPs from the scans (skipped without them)
  flood     3000 INVITEs at 1000/s from 127.0.0.2 while 127.0.0.1's call completes:
            rate refusals logged, the block logged once, its packets dropped
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
import run_e2e as R  # noqa: E402

RULES = ("03* alert 100 then answer 100\n"     # allowed destinations: answered
         "0044* alert 100 then answer 100\n"
         "05* answer 100\n"                    # max_call_seconds: talks until cleared
         "default reject 1 location LN\n")


def setups(sim, called=None):
    """The calls the simulator saw from the bridge (one SETUP each)."""
    return sim.calls(called, direction="in")


def refused(env, a, br, called, cause, src="127.0.0.2", name=None):
    """An INVITE from src to called must get 403 with Reason cause; returns the SIPp run."""
    name = name or "%s from %s" % (called, src)
    run = H.sipp(env, a.sipp, "uac_final.xml", {"STATUS": 403, "CALLING": "0301234"},
                 remote_port=br.sip_port, service=called, timeout=15, local_ip=src)
    run.wait(30)
    fin = run.final()
    if fin is None or fin.status != 403:
        R.fail_run(env, run, "%s: final %s, want 403 (saw %s)" % (name, fin and fin.status,
                                                                 run.seen()))
    elif R.q850_check(env, run, fin, name, cause):
        print("ok  %s -> 403, Reason: %s" % (name, fin.hdr("reason")))
    return run


def answered(env, a, br, called, src="127.0.0.1"):
    """An INVITE from src to called is answered and ends with its own BYE."""
    run = H.sipp(env, a.sipp, "uac_bye.xml", {"CALLING": "0301234", "HOLD": 200, "EXTRA": ""},
                 remote_port=br.sip_port, service=called, timeout=20, local_ip=src)
    run.wait(40)
    if run.rc != 0 or "<200" not in run.seen():
        R.fail_run(env, run, "%s from %s: SIPp exit %s, saw %s" % (called, src, run.rc,
                                                                   run.seen()))
    else:
        print("ok  %s from %s -> answered" % (called, src))
    return run


def refusal_lines(br, src, reason):
    return br.lines(r"notice: refused from=%s:\d+ transport=udp reason=%s method=INVITE" % (
        re.escape(src), reason))


FILTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bridge", "policy",
                      "fail2ban", "causeway-bridge.conf")


def banned(env, br):
    """The addresses bridge/policy's fail2ban filter finds in the bridge's log, one per line
    it matches (fail2ban-regex, the filter in a scratch filter.d); None without fail2ban."""
    common = "/etc/fail2ban/filter.d/common.conf"
    if not shutil.which("fail2ban-regex") or not os.path.exists(common):
        print("fail2ban-regex not installed: the filter is not run over the log")
        return None
    conf = env.path("fail2ban")
    os.makedirs(os.path.join(conf, "filter.d"), exist_ok=True)
    shutil.copy(common, os.path.join(conf, "filter.d", "common.conf"))
    shutil.copy(FILTER, os.path.join(conf, "filter.d", "causeway-bridge.conf"))
    out = subprocess.run(["fail2ban-regex", "-c", conf, "-o", "ip", br.log, "causeway-bridge"],
                         capture_output=True, text=True, timeout=60)
    return out.stdout.split()


def t_acl(env, a):
    sim, br = R.start_pair(env, a, RULES)
    refused(env, a, br, "0301234", 21)
    env.check(refusal_lines(br, "127.0.0.2", "acl"),
              "bridge log: no 'refused from=127.0.0.2:PORT ... reason=acl' line")
    answered(env, a, br, "0301235")
    ips = banned(env, br)
    env.check(ips is None or ips == ["127.0.0.2"],
              "fail2ban filter over the bridge log: %r, want ['127.0.0.2']" % ips)
    R.finish(env, sim, br)
    # docs/cdr.md: the allowed call's line names where it came from
    with open(br.cdr) as f:
        cdrs = [json.loads(l) for l in f if l.strip()]
    mine = [c for c in cdrs if c.get("called") == "0301235"]
    env.check(len(mine) == 1 and re.match(r"127\.0\.0\.1:\d+$", mine[0].get("sip_source") or "")
              and mine[0].get("sip_transport") == "udp",
              "CDR of the allowed call: sip_source %r, sip_transport %r" % (
                  mine and mine[0].get("sip_source"), mine and mine[0].get("sip_transport")))
    env.check(not setups(sim, "0301234"), "the refused call reached the ISDN side: %r" %
              setups(sim, "0301234"))
    env.check(len(setups(sim, "0301235")) == 1, "the allowed call: %d SETUPs, want 1" %
              len(setups(sim, "0301235")))


def t_closed(env, a):
    sim, br = R.start_pair(env, a, RULES,
                           sip_routes="[route closed]\nmatch = 03\ngroup = pstn\n")
    out = subprocess.run([a.bridge, "--check-config", br.conf], capture_output=True, text=True,
                         timeout=30)
    env.check(out.returncode == 0, "--check-config exit %d, want 0" % out.returncode)
    env.check(re.search(r"warning: .*\[route closed\]: neither allow nor auth", out.stdout + out.stderr),
              "--check-config: no warning about [route closed]: %r" % (out.stdout + out.stderr)[:400])
    # the allowed source too: the route allows nobody
    refused(env, a, br, "0301234", 21, src="127.0.0.1")
    R.finish(env, sim, br)
    env.check(not setups(sim), "a call reached the ISDN side: %r" % setups(sim))


def t_deny(env, a):
    routes = ("[route intl]\nmatch = 00\ngroup = pstn\nallow = 127.0.0.1\n"
              "deny = 0090, 00881\ndeny_cause = 57\n"
              "[route premium]\nmatch = 09\ngroup = pstn\nallow = 127.0.0.1\ndeny = 0900, 0137\n")
    sim, br = R.start_pair(env, a, RULES, sip_routes=routes)
    refused(env, a, br, "0090555", 57, src="127.0.0.1")
    refused(env, a, br, "008816666", 57, src="127.0.0.1")
    refused(env, a, br, "0900123456", 21, src="127.0.0.1")
    env.check(br.lines(r"notice: refused from=127\.0\.0\.1:\d+ transport=udp reason=destination "
                       r"method=INVITE to=0900123456 prefix=0900$"),
              "bridge log: no 'reason=destination ... to=0900123456 prefix=0900' line")
    answered(env, a, br, "00441234")
    R.finish(env, sim, br)
    seen = [c["called"] for c in setups(sim)]
    env.check(seen == ["00441234"], "SETUPs to %r, want only 00441234" % seen)


def t_duration(env, a):
    routes = "[route short]\nmatch = 05\ngroup = pstn\nallow = 127.0.0.1\nmax_call_seconds = 1\n"
    sim, br = R.start_pair(env, a, RULES, sip_routes=routes)
    t0 = time.monotonic()
    run = H.sipp(env, a.sipp, "uac_wait_bye.xml", {"CALLING": "0301234"},
                 remote_port=br.sip_port, service="0512", timeout=20)
    run.wait(30)
    dt = time.monotonic() - t0
    bye = run.request("BYE")
    name = "max_call_seconds = 1"
    if run.rc != 0 or bye is None:
        R.fail_run(env, run, "%s: no BYE from the bridge (exit %s, saw %s)" % (name, run.rc,
                                                                              run.seen()))
    elif R.q850_check(env, run, bye, name + ": BYE", 16):
        print("ok  %s -> BYE after %.1f s, Reason: %s" % (name, dt, bye.hdr("reason")))
    env.check(dt < 10, "%s: the call lasted %.1f s" % (name, dt))
    call = sim.wait_call("0512", "in", timeout=10)
    c = call[0] if call else {}
    env.check(c.get("cause_received") == 16 and "<DISCONNECT" in c.get("messages", []),
              "%s: the ISDN side got %r (cause %r), want DISCONNECT 16" % (
                  name, c.get("messages"), c.get("cause_received")))
    R.finish(env, sim, br)


FLOOD = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<!-- one INVITE, no retransmission, nothing awaited: a flood -->
<scenario name="flood">
  <send>
    <![CDATA[

      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:flood@[local_ip]:[local_port]>;tag=[pid]F[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:flood@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <pause milliseconds="1"/>
</scenario>
"""


def t_flood(env, a):
    # the flood's source may call (127.0.0.0/8): only the limits stop it
    routes = "[route open]\nmatch = 07\ngroup = pstn\nallow = 127.0.0.0/8\n"
    limits = ("source_rate = 20\nsource_burst = 40\nblock_factor = 5\nblock_seconds = 60\n")
    sim, br = R.start_pair(env, a, RULES, sip_routes=routes, sip_extra=limits)
    scen = env.write("flood.xml", FLOOD)
    flood = env.spawn("sipp-flood", [a.sipp, "-sf", scen, "-i", "127.0.0.2", "-p",
                                     str(H.free_port()), "-m", "3000", "-r", "1000", "-l", "3000",
                                     "-nostdin", "-timeout", "30s", "-s", "0700",
                                     "127.0.0.1:%d" % br.sip_port])
    time.sleep(0.5)
    answered(env, a, br, "0301234")     # the legitimate caller, meanwhile
    try:
        flood.wait(40)
    except subprocess.TimeoutExpired:
        env.check(False, "the flood's SIPp did not end")
    time.sleep(0.5)
    rate = refusal_lines(br, "127.0.0.2", "rate")
    blocked = br.lines(r"notice: refused from=127\.0\.0\.2:\d+ transport=udp reason=blocked "
                       r"method=INVITE to=0700 block_ms=60000$")
    env.check(rate, "bridge log: no reason=rate line for 127.0.0.2")
    env.check(len(blocked) == 1, "bridge log: %d reason=blocked lines, want 1 (once per block)" %
              len(blocked))
    env.check(not refusal_lines(br, "127.0.0.1", "[a-z]+"), "127.0.0.1 was refused: %r" %
              refusal_lines(br, "127.0.0.1", "[a-z]+"))
    admitted = len(br.lines(r"call \d+: INVITE 0700 from flood"))
    env.check(0 < admitted <= 40 + 20 * 2,
              "%d flood INVITEs became calls, want the burst and a little more" % admitted)
    print("ok  flood: %d INVITEs became calls, %d refused for rate, %d block line" % (
        admitted, len(rate), len(blocked)))
    ips = banned(env, br)   # the block line, not the rate lines: an honest peer is not banned
    env.check(ips is None or ips == ["127.0.0.2"],
              "fail2ban filter over the bridge log: %r, want ['127.0.0.2'] once" % ips)
    R.finish(env, sim, br)
    env.check(len(setups(sim, "0301234")) == 1, "the legitimate call did not reach ISDN")


def auth_uri(br, called):
    """SIPp's digest uri= is REMOTE_IP:PORT unless told: the Request-URI (RFC 3261 §22.4)."""
    return ["-auth_uri", "%s@127.0.0.1:%d" % (called, br.sip_port)]


def t_auth(env, a):
    env.write("users", "# digest users of [route auth]\nalice:gw.test:%s\nbob:s3cret\n" %
              "c0e34e8e91bd5e0a8e3ee4d9f1a2fd8b")  # an HA1 of no known password
    routes = "[route auth]\nmatch = 06\ngroup = pstn\nauth = users\nrealm = gw.test\n"
    sim, br = R.start_pair(env, a, RULES.replace("05* answer", "06* answer"), sip_routes=routes)
    # the right password: challenged once, then the call goes through
    ok = H.sipp(env, a.sipp, "uac_auth.xml", {"CALLING": "0301234", "USER": "bob",
                                              "PASSWORD": "s3cret"},
                remote_port=br.sip_port, service="0601", timeout=20, local_ip="127.0.0.2",
                extra=auth_uri(br, "0601"))
    ok.wait(40)
    ch = [m for m in ok.recv() if m.status == 401]
    if ok.rc != 0 or not ch:
        R.fail_run(env, ok, "digest bob: SIPp exit %s, saw %s" % (ok.rc, ok.seen()))
    else:
        www = ch[0].hdr("www-authenticate") or ""
        env.check(re.match(r'Digest realm="gw\.test", nonce="[^"]+"', www) and 'qop="auth"' in www,
                  "the 401's WWW-Authenticate: %r" % www)
        print("ok  digest bob -> 401 (%s), then answered" % www[:40])
    # a wrong password: 403 + cause 21 after the challenge, and the refusal line
    bad = H.sipp(env, a.sipp, "uac_auth_final.xml", {"CALLING": "0301234", "USER": "bob",
                                                     "PASSWORD": "guess", "STATUS": 403},
                 remote_port=br.sip_port, service="0602", timeout=20, local_ip="127.0.0.2",
                 extra=auth_uri(br, "0602"))
    bad.wait(40)
    finals = [m for m in bad.recv() if m.status and m.status >= 200]
    fin = finals[-1] if finals else None   # the answer to the INVITE with credentials
    if bad.rc != 0 or fin is None or fin.status != 403:
        R.fail_run(env, bad, "digest bob, wrong password: SIPp exit %s, saw %s" % (bad.rc,
                                                                                  bad.seen()))
    elif R.q850_check(env, bad, fin, "digest bob, wrong password", 21):
        print("ok  digest bob, wrong password -> 401, then 403 cause 21")
    env.check(refusal_lines(br, "127.0.0.2", "acl"),
              "bridge log: no refusal line for the wrong password")
    R.finish(env, sim, br)
    seen = [c["called"] for c in setups(sim)]
    env.check(seen == ["0601"], "SETUPs to %r, want only 0601" % seen)


def t_sipvicious(env, a):
    """svmap, svwar and svcrack against the example's shape: the route allows one host
    (127.0.0.2, the PBX) and the simulator answers every number. The scanners send from
    127.0.0.1 (Debian's svwar does not bind its -b address). Nothing may reach ISDN."""
    tools = {t: shutil.which(t) for t in ("svmap", "svwar", "svcrack")}
    if not all(tools.values()):
        print("sipvicious (svmap, svwar, svcrack) not installed: skipped")
        return 77
    sim, br = R.start_pair(env, a, "default answer 100\n", pstn_allow="127.0.0.2")
    home = env.path("home")   # sipvicious keeps its scans in $HOME/.sipvicious
    os.makedirs(home, exist_ok=True)
    port = str(br.sip_port)
    runs = [
        ("svmap", [tools["svmap"], "-p", port, "127.0.0.1"]),
        ("svmap-invite", [tools["svmap"], "-p", port, "-m", "INVITE", "-e", "0049900123",
                          "127.0.0.1"]),
        ("svwar", [tools["svwar"], "-p", port, "-e", "100-300", "127.0.0.1"]),
        ("svwar-invite", [tools["svwar"], "-p", port, "-m", "INVITE", "-e", "491000-491199",
                          "--force", "127.0.0.1"]),
        ("svcrack", [tools["svcrack"], "-p", port, "-u", "100", "-r", "1000-1100",
                     "127.0.0.1"]),
        ("svcrack-invite", [tools["svcrack"], "-p", port, "-u", "100", "-m", "INVITE",
                            "--requesturi", "sip:00491234@127.0.0.1", "-r", "1000-1100",
                            "127.0.0.1"]),
    ]
    for label, argv in runs:
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=90,
                                 env=dict(os.environ, HOME=home), stdin=subprocess.DEVNULL)
            print("%s: exit %d, %d lines of output" % (label, out.returncode,
                                                       len(out.stdout.splitlines())))
        except subprocess.TimeoutExpired:
            print("%s: still running after 90 s, stopped" % label)
        env.check(br.alive(), "the bridge died during %s" % label)
    # how many INVITEs a scan sends depends on the answers it sees and the machine's load;
    # every one must be refused before it is a call
    acl = refusal_lines(br, "127.0.0.1", "acl")
    env.check(acl, "bridge log: no reason=acl line for the scans' INVITEs")
    env.check(not br.lines(r"info: call \d+: INVITE "),
              "scan INVITEs became calls: %r" % br.lines(r"info: call \d+: INVITE ")[:3])
    print("ok  sipvicious: %d INVITEs refused (reason=acl), none became a call" % len(acl))
    answered(env, a, br, "0301234", src="127.0.0.2")   # the PBX still calls out
    R.finish(env, sim, br)
    seen = [c["called"] for c in setups(sim)]
    env.check(seen == ["0301234"], "%d SETUPs (%r), want the PBX's only" % (len(seen), seen[:4]))


TESTS = {"acl": t_acl, "auth": t_auth, "closed": t_closed, "deny": t_deny,
         "duration": t_duration, "flood": t_flood, "sipvicious": t_sipvicious}


if __name__ == "__main__":
    sys.exit(R.main(TESTS, "e2e-admission-", __doc__, vectors=False))
