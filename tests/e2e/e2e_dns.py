#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e-dns-*: ISDN -> SIP targets given by host name, located per RFC 3263 §4
(bridge/daemon/README.md "Failover and hunting", bridge/sip/dns.c).

usage: e2e_dns.py MODE CAUSEWAY_BRIDGE CAUSEWAY_PSTN_SIM SIP_SCENARIO_DIR [--causeway CLI]

The bridge asks a DNS server of the test's own on a free port ([sip] dns_servers):
dnsmasq (no service, no upstream: `--local=/test/` answers every other name under .test
NXDOMAIN), or for `slow` a stdlib responder that answers late.

  srv      sip:gw.test: no NAPTR record, SRV _sip._udp.gw.test -> a1.test (priority 10)
           and a2.test (priority 20), two SIPp UAS; a1's answers 503: the call completes
           on a2; the CDR has both attempts (their addresses), the log the lookup.
  naptr    sip:nap.test: NAPTR SIP+D2U -> _sip._udp.srv.test -> SRV -> A: answered; a
           second call within the records' TTL (60 s) asks nothing (the cache).
  nxdomain sip:nowhere.test (and NXDOMAIN for it): no INVITE; the SETUP is cleared with
           cause 41, as a target that cannot be reached (RFC 3398 §8.2.6.1: 503).
  slow     sip:slow.test:PORT (a port: A only): the A answer comes 1.5 s late; a second
           call, to a numeric target, is answered meanwhile, then the first one too.
  timeout  sip:dead.test:PORT, a server that never answers: c-ares's timeouts (2 tries of
           2 s, run from the loop's timeout) end the lookup, the SETUP gets cause 41 long
           before the INVITE timer (32 s) would.
  invite-timer  the same server, [sip] invite_timeout = 1500: the INVITE timer runs out
           during the lookup; the call goes on to the route's second target (numeric),
           answered, with one attempt in the CDR; dead.test is not looked up again.
  register [register trunk] registrar = sip:reg.test: SRV _sip._udp.reg.test -> r1.test, a
           SIPp registrar there: REGISTER, 200; at SIGTERM Expires: 0 to the same address.

Exit 77 when sipp or dnsmasq is missing."""
import os
import re
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_common as E  # noqa: E402
from local_dns import dnsmasq_or_skip, start_dnsmasq  # noqa: E402

# no Retry-After: that would put the whole target (both addresses) aside
UAS_503 = E.uas_503_scenario()

SLOW_MS = 1500
# SIP -> ISDN: the route every test has (for the SIPp UAS's own requests)
TO_PSTN = "\n[route to-pstn]\nmatch = *\ngroup = pstn\nallow = 127.0.0.1\n\n"


def name_of(q, pos):
    labels = []
    while q[pos]:
        labels.append(q[pos + 1:pos + 1 + q[pos]].decode())
        pos += 1 + q[pos]
    return ".".join(labels).lower(), pos + 1


class SlowDns(threading.Thread):
    """A responder on 127.0.0.1: the A record of slow.test (127.0.0.1) after SLOW_MS, nothing
    ever for dead.test, NXDOMAIN for everything else; the time of each query asked is kept."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.asked = []
        self.stop = False

    def run(self):
        self.sock.settimeout(0.2)
        while not self.stop:
            try:
                q, peer = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            name, end = name_of(q, 12)
            qtype = struct.unpack(">H", q[end:end + 2])[0]
            self.asked.append((time.monotonic(), name, qtype))
            question = q[12:end + 4]
            if name == "dead.test":
                continue
            if name == "slow.test" and qtype == 1:
                time.sleep(SLOW_MS / 1000.0)
                answer = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + bytes([127, 0, 0, 1])
                hdr = q[:2] + struct.pack(">HHHHH", 0x8580, 1, 1, 0, 0)
                self.sock.sendto(hdr + question + answer, peer)
            else:
                hdr = q[:2] + struct.pack(">HHHHH", 0x8583, 1, 0, 0, 0)
                self.sock.sendto(hdr + question, peer)


def setup(env, routes, dns_port, nspans=1):
    conf = E.bridge_conf(env, env.sip_port, nspans, routes)
    return conf.replace("port = %d\n" % env.sip_port,
                        "port = %d\ndns_servers = 127.0.0.1:%d\n" % (env.sip_port, dns_port), 1)


def uas(env, label, sipp, scen, port, common):
    """A SIPp UAS (bridge/sip/scenarios/uas.xml: 180, 200, BYE) on port."""
    return env.spawn(label, [sipp, "-sf", os.path.join(scen, "uas.xml"), "-p", str(port)] + common)


def start_one_target(env, bridge, sim, target, dns_port):
    """The simulator on span 1 and the bridge with one ISDN -> SIP route to target."""
    E.start_sim(env, sim, "span1", "default answer 100\n")
    routes = TO_PSTN + "[route to-sip]\nmatch = *\ntarget = %s\n" % target
    return E.start_bridge(env, bridge, setup(env, routes, dns_port))


def attempts(line):
    return [(a.get("target"), a.get("status")) for a in line.get("routes_tried", [])]


def mode_srv(env, bridge, sim, scen, sipp, common):
    p1, p2, dport = E.free_port(), E.free_port(), E.free_port()
    env.spawn("uas1", [sipp, "-sf", env.write("uas503.xml", UAS_503), "-p", str(p1)] + common)
    uas(env, "uas2", sipp, scen, p2, common)
    start_dnsmasq(env, env.dnsmasq, dport, [
        "--srv-host=_sip._udp.gw.test,a1.test,%d,10,0" % p1,
        "--srv-host=_sip._udp.gw.test,a2.test,%d,20,0" % p2,
        "--host-record=a1.test,127.0.0.1", "--host-record=a2.test,127.0.0.1"])
    bp = start_one_target(env, bridge, sim, "sip:gw.test", dport)
    line = E.isdn_call(env, "4930100", 1, 1)
    errors = []
    want = [("127.0.0.1:%d" % p1, 503), ("127.0.0.1:%d" % p2, 200)]
    if attempts(line) != want:
        errors.append("routes_tried %r, want %r" % (attempts(line), want))
    if not line.get("answered") or line.get("sip_status") != 200:
        errors.append("not answered with 200: %r" % line)
    log, dlog = env.read("bridge.log"), env.read("dnsmasq.log")
    for q in ("query[NAPTR] gw.test", "query[SRV] _sip._udp.gw.test", "query[A] a1.test",
              "query[A] a2.test"):
        if q not in dlog:
            errors.append("dnsmasq was not asked %s" % q)
    if not re.search(r"INVITE sip:4930100@gw\.test to 127\.0\.0\.1:%d " % p1, log) or \
            not re.search(r"INVITE sip:4930100@gw\.test to 127\.0\.0\.1:%d \(next target\)" % p2,
                          log):
        errors.append("the log lacks the two INVITEs to sip:4930100@gw.test (to a1, then a2)")
    if not errors:
        print("routes_tried %r" % line["routes_tried"])
    return errors + E.finish(env, bp, 1, CAUSEWAY)


def mode_naptr(env, bridge, sim, scen, sipp, common):
    p1, dport = E.free_port(), E.free_port()
    uas(env, "uas1", sipp, scen, p1, common)
    start_dnsmasq(env, env.dnsmasq, dport, [
        # RFC 3263 §4.1: a TCP record we do not serve (UDP only) comes first and is skipped
        "--naptr-record=nap.test,10,10,s,SIP+D2T,,_sip._tcp.srv.test",
        "--naptr-record=nap.test,20,10,s,SIP+D2U,,_sip._udp.srv.test",
        "--srv-host=_sip._tcp.srv.test,bad.test,9,10,0",
        "--srv-host=_sip._udp.srv.test,b1.test,%d,10,0" % p1,
        "--host-record=b1.test,127.0.0.1", "--local-ttl=60"])
    bp = start_one_target(env, bridge, sim, "sip:nap.test", dport)
    errors = []
    # the second call within the records' 60 s TTL: answered from the cache, no query
    for n in (1, 2):
        line = E.isdn_call(env, "4930100", n, n)
        if attempts(line) != [("127.0.0.1:%d" % p1, 200)]:
            errors.append("call %d: routes_tried %r, want one attempt to 127.0.0.1:%d"
                          % (n, attempts(line), p1))
    dlog = env.read("dnsmasq.log")
    if dlog.count("query[NAPTR] nap.test") != 1 or dlog.count("query[A] b1.test") != 1:
        errors.append("NAPTR nap.test asked %d times, A b1.test %d times: want once each (TTL 60)"
                      % (dlog.count("query[NAPTR] nap.test"), dlog.count("query[A] b1.test")))
    if env.read("bridge.log").count("looking up sip:nap.test") != 1:
        errors.append("the second call looked nap.test up again")
    for q in ("query[NAPTR] nap.test", "query[SRV] _sip._udp.srv.test", "query[A] b1.test"):
        if q not in dlog:
            errors.append("dnsmasq was not asked %s" % q)
    if "_sip._tcp.srv.test" in dlog:
        errors.append("the SIP+D2T record was followed although TCP is not served")
    return errors + E.finish(env, bp, 2, CAUSEWAY)


def mode_nxdomain(env, bridge, sim, scen, sipp, common):
    dport = E.free_port()
    start_dnsmasq(env, env.dnsmasq, dport, [])
    bp = start_one_target(env, bridge, sim, "sip:nowhere.test", dport)
    r = E.sim_cmd(env, "span1-ctl.sock", "call 4930100 4930999")
    errors = []
    if not r.startswith("ok"):
        return ["sim call: %r" % r]
    if not E.wait_until(lambda: len(E.cdr_lines(env)) >= 1, 20):
        return ["no CDR line for the call to sip:nowhere.test"]
    line = E.cdr_lines(env)[0]
    if (line.get("cause_sent") or {}).get("cause") != 41:
        errors.append("cause_sent %r, want 41 (as 503: no address for the target)"
                      % line.get("cause_sent"))
    if attempts(line):
        errors.append("routes_tried %r: no INVITE can have gone out" % attempts(line))
    log, dlog = env.read("bridge.log"), env.read("dnsmasq.log")
    if "query[A] nowhere.test" not in dlog:
        errors.append("dnsmasq was not asked for the A record of nowhere.test (RFC 3263 §4.2)")
    if not re.search(r"target sip:nowhere\.test: no address found", log):
        errors.append("no 'target sip:nowhere.test: no address found' line in the bridge log")
    return errors + E.finish(env, bp, 1, CAUSEWAY)


def mode_slow(env, bridge, sim, scen, sipp, common):
    p1, p2 = E.free_port(), E.free_port()
    uas(env, "uas1", sipp, scen, p1, common)
    uas(env, "uas2", sipp, scen, p2, common)
    dns = SlowDns()
    dns.start()
    try:
        E.start_sim(env, sim, "span1", "default answer 100\n")
        routes = (TO_PSTN +
                  "[route slow]\nmatch = 4930555\ntarget = sip:slow.test:%d\n\n"
                  "[route fast]\nmatch = *\ntarget = sip:127.0.0.1:%d\n" % (p1, p2))
        bp = E.start_bridge(env, bridge, setup(env, routes, dns.port))
        r1 = E.sim_cmd(env, "span1-ctl.sock", "call 4930555 4930999")
        if not r1.startswith("ok"):
            return ["sim call: %r" % r1]
        if not E.wait_until(lambda: dns.asked, 5):
            return ["the bridge did not ask the DNS server for slow.test"]
        t_asked = dns.asked[0][0]
        # the second call, while the first one's lookup waits
        second = E.isdn_call(env, "4930100", 1, 1)
        t_second = time.monotonic()
        errors = []
        if t_second - t_asked >= SLOW_MS / 1000.0:
            print("note: the second call took %.2f s (a loaded machine?)" % (t_second - t_asked))
        log = env.read("bridge.log")
        if re.search(r"INVITE sip:4930555@slow\.test", log) and \
                log.index("INVITE sip:4930555@slow.test") < log.index("INVITE sip:4930100@"):
            errors.append("the first call's INVITE went out before the second call's: the "
                          "lookup did not wait for its answer")
        if attempts(second) != [("127.0.0.1:%d" % p2, 200)]:
            errors.append("second call: routes_tried %r" % attempts(second))
        if [l.get("called") for l in E.cdr_lines(env)][:1] != ["4930100"]:
            errors.append("the second call did not end first: %r" % E.cdr_lines(env))
        first = answered_then_clear(env, r1, 2, 2)
        if attempts(first) != [("127.0.0.1:%d" % p1, 200)]:
            errors.append("first call: routes_tried %r, want one attempt to 127.0.0.1:%d"
                          % (attempts(first), p1))
        return errors + E.finish(env, bp, 2, CAUSEWAY)
    finally:
        dns.stop = True


def mode_timeout(env, bridge, sim, scen, sipp, common):
    dns = SlowDns()
    dns.start()
    try:
        bp = start_one_target(env, bridge, sim, "sip:dead.test:%d" % E.free_port(), dns.port)
        t0 = time.monotonic()
        r = E.sim_cmd(env, "span1-ctl.sock", "call 4930100 4930999")
        if not r.startswith("ok"):
            return ["sim call: %r" % r]
        if not E.wait_until(lambda: len(E.cdr_lines(env)) >= 1, 20):
            return ["no CDR line 20 s after the call to sip:dead.test: the lookup never ended"]
        took = time.monotonic() - t0
        line = E.cdr_lines(env)[0]
        errors = []
        if (line.get("cause_sent") or {}).get("cause") != 41:
            errors.append("cause_sent %r, want 41" % line.get("cause_sent"))
        if len([a for a in dns.asked if a[1] == "dead.test"]) < 2:
            errors.append("dead.test asked %d times, want 2 tries" % len(dns.asked))
        if not re.search(r"target sip:dead\.test:\d+: no address found \([^)]*(timed out|"
                         r"Timer expired)", env.read("bridge.log"), re.I):
            errors.append("no 'no address found (... timed out)' line in the bridge log")
        print("cleared after %.1f s" % took)
        return errors + E.finish(env, bp, 1, CAUSEWAY)
    finally:
        dns.stop = True


def mode_invite_timer(env, bridge, sim, scen, sipp, common):
    p2 = E.free_port()
    uas(env, "uas2", sipp, scen, p2, common)
    dns = SlowDns()
    dns.start()
    try:
        E.start_sim(env, sim, "span1", "default answer 100\n")
        routes = (TO_PSTN +
                  "[route to-sip]\nmatch = *\ntarget = sip:dead.test:%d\n"
                  "target = sip:127.0.0.1:%d\n" % (E.free_port(), p2))
        conf = setup(env, routes, dns.port).replace(
            "port = %d\n" % env.sip_port, "port = %d\ninvite_timeout = 1500\n" % env.sip_port, 1)
        bp = E.start_bridge(env, bridge, conf)
        line = E.isdn_call(env, "4930100", 1, 1)
        errors = []
        if attempts(line) != [("127.0.0.1:%d" % p2, 200)]:
            errors.append("routes_tried %r, want the second target's 200 only" % attempts(line))
        log = env.read("bridge.log")
        if not re.search(r"INVITE sip:4930100@127\.0\.0\.1:%d[^ ]* \(next target\)" % p2, log):
            errors.append("no INVITE to the second target (next target) in the bridge log")
        if log.count("looking up sip:dead.test") != 1:
            errors.append("dead.test looked up %d times, want once"
                          % log.count("looking up sip:dead.test"))
        return errors + E.finish(env, bp, 1, CAUSEWAY)
    finally:
        dns.stop = True


def reg_ok(contact):
    """The SIPp registrar's 200 to the last REGISTER, with the Contact line given."""
    return """  <send>
    <![CDATA[

      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=Reg[call_number]
      [last_Call-ID:]
      [last_CSeq:]
%s      Content-Length: 0

    ]]>
  </send>
""" % contact


# REGISTER, 200 (60 s); at SIGTERM the REGISTER with Expires: 0, 200
REGISTRAR = ("""<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="registrar">
  <recv request="REGISTER"/>
""" + reg_ok("      [last_Contact:];expires=60\n") + """  <recv request="REGISTER" timeout="30000">
    <action>
      <ereg regexp="^ *0 *$" search_in="hdr" header="Expires:" check_it="true"
            assign_to="zero"/>
    </action>
  </recv>
  <Reference variables="zero"/>
""" + reg_ok("") + """  <pause milliseconds="100"/>
</scenario>
""")


def mode_register(env, bridge, sim, scen, sipp, common):
    preg, dport = E.free_port(), E.free_port()
    reg = env.spawn("registrar", [sipp, "-sf", env.write("registrar.xml", REGISTRAR),
                                  "-p", str(preg), "-m", "1"] + common)
    start_dnsmasq(env, env.dnsmasq, dport, [
        "--srv-host=_sip._udp.reg.test,r1.test,%d,10,0" % preg,
        "--host-record=r1.test,127.0.0.1"])
    E.start_sim(env, sim, "span1", "default answer 100\n")
    routes = (TO_PSTN +
              "[register trunk]\nregistrar = sip:reg.test\naor = sip:4930@reg.test\n")
    bp = E.start_bridge(env, bridge, setup(env, routes, dport))
    errors = []
    if not E.wait_until(lambda: "register trunk: registered (200" in env.read("bridge.log"), 15):
        errors.append("no 'register trunk: registered (200' line")
    if "register trunk: registrar sip:reg.test at 127.0.0.1:%d" % preg not in env.read("bridge.log"):
        errors.append("no 'registrar sip:reg.test at 127.0.0.1:%d' line" % preg)
    errors += E.finish(env, bp, 0, CAUSEWAY)
    try:
        rc = reg.wait(timeout=10)
    except Exception:
        rc = None
    if rc != 0:
        errors.append("the SIPp registrar exited %s (want 0: REGISTER, then Expires: 0)" % rc)
    return errors


def answered_then_clear(env, sim_reply, n_answered, n_cdr):
    """A call the simulator started (its reply): wait for the n_answered-th 2xx, clear it."""
    m = re.match(r"ok cref (\d+) channel (\d+)", sim_reply)
    if not E.wait_until(lambda: len(re.findall(r"call \d+: SIP_2XX: ",
                                               env.read("bridge.log"))) >= n_answered, 15):
        raise RuntimeError("the call was not answered")
    if E.sim_cmd(env, "span1-ctl.sock", "hangup %s 16" % m.group(1)) != "ok":
        raise RuntimeError("sim hangup failed")
    if not E.wait_until(lambda: len(E.cdr_lines(env)) >= n_cdr, 15):
        raise RuntimeError("no CDR line for the call")
    return E.cdr_lines(env)[n_cdr - 1]


MODES = {"srv": mode_srv, "naptr": mode_naptr, "nxdomain": mode_nxdomain, "slow": mode_slow,
         "timeout": mode_timeout, "invite-timer": mode_invite_timer,
         "register": mode_register}
CAUSEWAY = E.take_causeway()


def body_for(mode):
    def body(env):
        bridge, sim, scen = (os.path.abspath(a) for a in sys.argv[2:5])
        E.need(bridge, "causeway-bridge")
        E.need(sim, "causeway-pstn-sim")
        sipp = E.sipp_or_skip()
        env.dnsmasq = dnsmasq_or_skip() if mode not in ("slow", "timeout", "invite-timer") \
            else None
        env.sip_port = E.free_port()
        common = ["-i", "127.0.0.1", "-nostdin", "127.0.0.1:%d" % env.sip_port]
        return MODES[mode](env, bridge, sim, scen, sipp, common)
    return body


if __name__ == "__main__":
    if len(sys.argv) != 5 or sys.argv[1] not in MODES:
        sys.stderr.write(__doc__)
        sys.exit(2)
    sys.exit(E.run("e2e-dns-" + sys.argv[1], body_for(sys.argv[1])))
