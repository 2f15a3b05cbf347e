#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e_kamailio.py TEST --bridge EXE --sim EXE --sipp EXE [--causeway EXE]

Scale-out behind Kamailio (docs/scale-out.md): examples/kamailio/kamailio.cfg, as shipped,
in front of two causeway-bridges A and B, each with its own causeway-pstn-sim; SIPp calls
through Kamailio. The dispatcher probes both bridges with OPTIONS every second.

  kamailio-probing   calls spread over A and B (each simulator's report has calls); B's
                     simulator killed: B answers OPTIONS 503, Kamailio logs B down, and
                     every new call goes to A (all answered, none reaches B: B's CDR file
                     does not grow); B's simulator started again: B answers 200, Kamailio
                     logs B up, calls spread over both again. Every call's ACK and BYE go
                     through Kamailio on its Record-Route; and so does the bridge's BYE
                     when the PSTN side hangs up.
  kamailio-failover  B's simulator rejects the number with cause 34 (no circuit): B answers
                     503 and Kamailio sends the same call on to A, which answers it: the
                     Call-ID is in B's CDR with 503 and in A's answered. The two CDR files
                     are read as one: each line names its gateway ([general] node).
  kamailio-drain     a call up on B, B gets SIGTERM: its OPTIONS answer 503, Kamailio takes
                     it out, new calls go to A; the call up on B ends by its own BYE through
                     Kamailio and B exits 0.

Exit 77 without kamailio (Debian `kamailio`) on PATH."""
import json
import os
import re
import shutil
import signal
import sys

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness as H  # noqa: E402
import run_e2e as R  # noqa: E402

KAMAILIO_CFG = os.path.join(HERE, "..", "..", "examples", "kamailio", "kamailio.cfg")
PING_INTERVAL = 1      # seconds: ds_ping_interval of the test (the example's default is 5)
CALLS = 6              # per phase: round-robin over two bridges gives each some
FAIL_NUMBER = "4930503"
# the bridge log's line of a call answered (the core's 200 to the INVITE)
ANSWERED = r"call \S+: ISDN_CONNECT: "
# ... and of an INVITE that became a call (refused ones too)
INVITED = r"call \S+: SIP_INVITE: "
HANGUP_NUMBER = "4930600"   # the PSTN side hangs up: the bridge sends the BYE
RULES_A = ("%s talk 0.3 then clear 16\n" % HANGUP_NUMBER +
           "default answer 50\n")
RULES = "%s reject 34 location LN\n" % FAIL_NUMBER + RULES_A   # B: no circuit -> 503


class Kamailio:
    """Kamailio on a free UDP port with the example config and a dispatcher.list of the
    bridges; its log (stderr, -E) in kamailio.log. Stopped by pid (SIGTERM) in env.close()."""

    def __init__(self, env, exe, bridges, ping_interval=PING_INTERVAL):
        self.env, self.exe = env, exe
        self.port = H.free_port()
        self.log = env.path("kamailio.log")
        self.ds_list = env.write("dispatcher.list", "".join(
            "1 sip:127.0.0.1:%d;transport=udp 0 0\n" % b.sip_port for b in bridges))
        self.rundir = env.path("kamailio-run")
        os.mkdir(self.rundir)
        self.argv = [exe, "-f", os.path.abspath(KAMAILIO_CFG), "-DD", "-E", "-n", "1",
                     "-m", "64", "-M", "8", "-P", env.path("kamailio.pid"), "-Y", self.rundir,
                     "-w", env.tmp,
                     "-A", "LISTEN=udp:127.0.0.1:%d" % self.port,
                     "-A", 'DS_LIST="%s"' % self.ds_list,
                     "-A", "DS_PING_INTERVAL=%d" % ping_interval]
        self.proc = None
        env.dumps.append(self.dump)

    def start(self):
        self.proc = self.env.spawn("kamailio", self.argv, log=self.log)
        if not H.wait_until(lambda: self.proc.poll() is not None or H.port_bound(self.port), 15) \
                or self.proc.poll() is not None:
            raise H.TestFailure("kamailio did not start: %s" % H.tail(self.log, 1500))
        return self

    def text(self):
        return H.tail(self.log, 10 ** 7)

    def wait_log(self, regex, count=1, timeout=15):
        """True once count lines match regex (re.search per line)."""
        r = re.compile(regex)
        return H.wait_until(lambda: len([l for l in self.text().splitlines() if r.search(l)])
                            >= count, timeout, step=0.05)

    def dump(self):
        print("---- kamailio log (%s) ----" % self.log)
        print(H.tail(self.log, 4000))


class Site:
    """Two bridges A and B, each with its own simulator, and Kamailio in front of them."""

    def __init__(self, env, a, kamailio):
        self.env, self.a = env, a
        self.sim_a = H.Sim(env, a.sim, RULES_A, tag="sim-a").start()
        self.sim_b = H.Sim(env, a.sim, RULES, tag="sim-b").start()
        # drain_timeout not written: its default (30 s) lets a call up end by itself at
        # SIGTERM (bridge/daemon/README.md "Drain")
        self.br_a = named(H.Bridge(env, a.bridge, self.sim_a.span, tag="bridge-a",
                                   drain_timeout=None), "gw-a").start()
        self.br_b = named(H.Bridge(env, a.bridge, self.sim_b.span, tag="bridge-b",
                                   drain_timeout=None), "gw-b").start()
        self.kam = Kamailio(env, kamailio, [self.br_a, self.br_b]).start()
        self.uri_a = "sip:127.0.0.1:%d;transport=udp" % self.br_a.sip_port
        self.uri_b = "sip:127.0.0.1:%d;transport=udp" % self.br_b.sip_port

    def call(self, called, hold=50):
        """One call from SIPp through Kamailio: answered, BYE after hold ms; the SippRun."""
        run = H.sipp(self.env, self.a.sipp, proxied(self.env, "uac_bye.xml"),
                     {"CALLING": "4930999", "HOLD": hold, "EXTRA": ""},
                     remote_port=self.kam.port, service=called)
        run.wait(30)
        return run

    def calls(self, n, called, what):
        """n calls one after the other, each must complete (SIPp exit 0, its 200 record-routed
        by Kamailio); their SippRuns."""
        runs = [self.call(called) for _ in range(n)]
        for i, run in enumerate(runs, 1):
            if not self.env.check(run.rc == 0, "%s: call %d of %d: SIPp exit %s (%s)" % (
                    what, i, n, run.rc, run.seen())):
                run.dump()
                continue
            ok = run.final()
            rr = ok.hdrs("record-route") if ok else []
            self.env.check(any(":%d;" % self.kam.port in v for v in rr),
                           "%s: call %d: the 200 has no Record-Route of Kamailio (port %d): %r"
                           % (what, i, self.kam.port, rr))
        return runs

    def stop(self):
        for br in (self.br_a, self.br_b):
            if br.alive():
                br.stop_and_check()


def proxied(env, name):
    """scenarios/NAME for a caller behind a record-routing proxy: its ACK and BYE carry the
    200's Record-Route as Route ([routes], RFC 3261 §12.2.1.1) and go to the proxy, their
    Request-URI the bridge's Contact ([next_url], already in the scenario). The path of the
    copy in the test's temp dir (harness.sipp() takes an absolute path as is)."""
    with open(os.path.join(H.SCENARIOS, name)) as f:
        text = f.read()
    n = len(re.findall(r"^(\s*)CSeq: \d+ (ACK|BYE)\n", text, flags=re.M))
    if n == 0 or "rrs=\"true\"" not in text:
        raise H.TestFailure("%s: no in-dialog request or no rrs to make a proxied copy" % name)
    text = re.sub(r"^(\s*)(CSeq: \d+ (ACK|BYE)\n)", r"\1\2\1[routes]\n", text, flags=re.M)
    return env.write("proxied-" + name, text)


def named(br, node):
    """br's configuration with [general] node = node (docs/scale-out.md): each CDR line names
    the gateway that wrote it."""
    br.conf_text = br.conf_text.replace("[general]\n", "[general]\nnode = %s\n" % node, 1)
    br.env.write(br.tag + ".conf", br.conf_text)
    br.node = node
    return br


def cdr(br):
    return [json.loads(l) for l in H.tail(br.cdr, 10 ** 7).splitlines()
            if l.strip() and not l.startswith("(")]


def sim_count(sim):
    return len(sim.calls(direction=None))


def wait_sims(sims, want):
    """Wait until the simulators' reports hold want[i] finished calls (the report line comes
    after the call's RELEASE COMPLETE, just after SIPp's BYE was answered)."""
    return H.wait_until(lambda: [sim_count(s) for s in sims] >= want and
                        all(sim_count(s) >= w for s, w in zip(sims, want)), 10)


def t_probing(env, a):
    s = site_or_skip(env, a)
    if s is None:
        return 77

    # 1. both up: the calls spread over A and B
    s.calls(CALLS, "4930100", "both up")
    wait_sims([s.sim_a, s.sim_b], [1, 1])
    n_a, n_b = sim_count(s.sim_a), sim_count(s.sim_b)
    print("both up: %d calls at A, %d at B" % (n_a, n_b))
    env.check(n_a + n_b == CALLS, "both up: %d + %d calls at the simulators, want %d"
              % (n_a, n_b, CALLS))
    env.check(n_a >= 1 and n_b >= 1, "both up: the calls did not spread: %d at A, %d at B"
              % (n_a, n_b))

    # 2. B's span down: B answers OPTIONS 503, Kamailio takes it out of the set
    s.sim_b.kill()
    s.br_b.wait_log(r"notice: span 1: D-channel down", 10)
    s.br_b.wait_log(r"notice: health: OPTIONS now answered 503", 10)
    env.check(s.kam.wait_log(r"gateway down: %s$" % re.escape(s.uri_b), timeout=10),
              "Kamailio did not take B out (no 'gateway down: %s' within 10 s, probes every "
              "%d s)" % (s.uri_b, PING_INTERVAL))
    cdr_b = len(cdr(s.br_b))
    a0 = sim_count(s.sim_a)
    s.calls(CALLS, "4930200", "B down")
    wait_sims([s.sim_a], [a0 + CALLS])
    env.check(sim_count(s.sim_a) == a0 + CALLS, "B down: %d calls at A, want all %d"
              % (sim_count(s.sim_a) - a0, CALLS))
    late = cdr(s.br_b)[cdr_b:]
    env.check(not late, "B down: %d calls reached B (its CDR lines: %r)" % (
        len(late), [(l.get("called"), l.get("sip_status")) for l in late]))

    # 3. B's simulator back: B answers 200, Kamailio puts it back, calls spread again
    sim_b2 = H.Sim(env, a.sim, RULES, tag="sim-b2", span=s.sim_b.span).start()
    s.br_b.wait_log(r"notice: span 1: D-channel up", 20, count=2)
    s.br_b.wait_log(r"notice: health: OPTIONS now answered 200", 10, count=2)
    env.check(s.kam.wait_log(r"gateway up: %s$" % re.escape(s.uri_b), timeout=10),
              "Kamailio did not put B back (no 'gateway up: %s' within 10 s)" % s.uri_b)
    a1 = sim_count(s.sim_a)
    s.calls(CALLS, "4930300", "B back")
    wait_sims([s.sim_a, sim_b2], [a1 + 1, 1])
    n_a, n_b = sim_count(s.sim_a) - a1, sim_count(sim_b2)
    print("B back: %d calls at A, %d at B" % (n_a, n_b))
    env.check(n_a + n_b == CALLS and n_a >= 1 and n_b >= 1,
              "B back: the calls did not spread again: %d at A, %d at B" % (n_a, n_b))

    # 4. the PSTN hangs up: the bridge's BYE follows the route set, through Kamailio
    run = H.sipp(env, a.sipp, proxied(env, "uac_wait_bye.xml"), {"CALLING": "4930999"},
                 remote_port=s.kam.port, service=HANGUP_NUMBER)
    run.wait(30)
    bye = run.request("BYE")
    vias = bye.hdrs("via") if bye else []
    env.check(run.rc == 0 and bye is not None,
              "the bridge's BYE: SIPp %s (%s)" % (run.rc, run.seen()))
    env.check(len(vias) >= 2 and "127.0.0.1:%d;" % s.kam.port in vias[0],
              "the bridge's BYE did not come through Kamailio (port %d): Via %r"
              % (s.kam.port, vias))
    s.stop()
    return 0


def t_failover(env, a):
    s = site_or_skip(env, a)
    if s is None:
        return 77
    runs = s.calls(4, FAIL_NUMBER, "B refuses")
    ids = [r.final().hdr("call-id") if r.final() else None for r in runs]
    s.stop()
    # the two gateways' CDR files read as one, each line naming its node
    lines = cdr(s.br_a) + cdr(s.br_b)
    at_a = {l.get("call_id_sip"): l for l in lines if l.get("node") == "gw-a"}
    at_b = {l.get("call_id_sip"): l for l in lines if l.get("node") == "gw-b"}
    env.check(len(at_a) + len(at_b) == len(lines),
              "CDR lines without the node of their gateway: %r" % [
                  l.get("node") for l in lines if l.get("node") not in ("gw-a", "gw-b")])
    moved = [i for i in ids if i in at_b]
    print("calls refused by B and answered by A: %d of %d" % (len(moved), len(ids)))
    env.check(moved, "no call was tried at B first: round-robin should start some there "
              "(B's CDR: %r)" % list(at_b))
    for cid in moved:
        b, a_line = at_b[cid], at_a.get(cid)
        env.check(b.get("sip_status") == 503 and (b.get("cause_received") or {}).get("cause") == 34,
                  "call %s at B: sip_status %r cause_received %r, want 503 and 34" % (
                      cid, b.get("sip_status"), b.get("cause_received")))
        env.check(a_line is not None and a_line.get("answered") and a_line.get("sip_status") == 200,
                  "call %s: refused by B with 503, not answered by A in the same call: %r"
                  % (cid, a_line))
    for cid in ids:
        env.check(cid in at_a and at_a[cid].get("answered"),
                  "call %s not answered at A" % cid)
    env.check(s.kam.wait_log(r"INVITE %s: 503, next gateway %s$" % (
        FAIL_NUMBER, re.escape(s.uri_a)), count=max(1, len(moved)), timeout=2),
        "Kamailio's log: no 'INVITE %s: 503, next gateway %s' line per call moved"
        % (FAIL_NUMBER, s.uri_a))
    return 0


def t_drain(env, a):
    s = site_or_skip(env, a)
    if s is None:
        return 77
    # a call up (held 8 s: the checks below run while it is up) on whichever bridge
    # round-robin gives it: that one is drained
    held = H.sipp(env, a.sipp, proxied(env, "uac_bye.xml"),
                  {"CALLING": "4930999", "HOLD": 8000, "EXTRA": ""},
                  remote_port=s.kam.port, service="4930400")
    up = H.wait_until(lambda: [b for b in (s.br_a, s.br_b) if b.lines(ANSWERED)], 10)
    if not env.check(up and len(up) == 1, "the held call is not answered at one bridge: %r"
                     % up):
        return 0
    x = up[0]
    y, uri_x = (s.br_b, s.uri_a) if x is s.br_a else (s.br_a, s.uri_b)
    os.kill(x.proc.pid, signal.SIGTERM)
    x.wait_log(r"notice: signal 15: draining 1 call for 30 s$", 10)
    env.check(s.kam.wait_log(r"gateway down: %s$" % re.escape(uri_x), timeout=5),
              "Kamailio did not take the draining %s out" % x.tag)
    n_x, n_y = len(x.lines(INVITED)), len(y.lines(ANSWERED))
    s.calls(4, "4930500", "%s draining" % x.tag)
    env.check(len(x.lines(INVITED)) == n_x, "%d new calls reached the draining %s" % (
        len(x.lines(INVITED)) - n_x, x.tag))
    env.check(len(y.lines(ANSWERED)) == n_y + 4, "%s answered %d of the 4 new calls" % (
        y.tag, len(y.lines(ANSWERED)) - n_y))
    held.wait(30)
    env.check(held.rc == 0, "the call up on %s did not end by its own BYE: SIPp %s (%s)" % (
        x.tag, held.rc, held.seen()))
    # it exits by itself once its call has ended (README "Drain")
    env.check(H.wait_until(lambda: x.proc.poll() is not None, 10),
              "%s still running after its last call ended" % x.tag)
    rc = H.stop_pid(x.proc, grace=5)
    env.check(rc == 0, "%s's exit status after the drain: %s" % (x.tag, rc))
    env.check(not os.path.exists(x.pidfile), "%s left its pidfile behind" % x.tag)
    x.audit_cdr()
    lines = cdr(x)
    env.check(len(lines) == 1 and lines[0].get("answered") and lines[0].get("cleared_by") == "sip",
              "the drained call's CDR at %s: want one line, answered, cleared_by sip: %r" % (
                  x.tag, [(l.get("called"), l.get("sip_status"), l.get("cleared_by"))
                          for l in lines]))
    s.stop()
    return 0


def site_or_skip(env, a):
    """The Site of a test, or None (skip) without kamailio on PATH."""
    exe = shutil.which("kamailio")
    if not exe:
        print("SKIP: kamailio not found (Debian kamailio)")
        return None
    return Site(env, a, exe)


TESTS = {"kamailio-probing": t_probing, "kamailio-failover": t_failover,
         "kamailio-drain": t_drain}

if __name__ == "__main__":
    sys.exit(R.main(TESTS, "e2e-", __doc__, vectors=False))
