#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e_reload.py TEST --bridge EXE --sim EXE --sipp EXE [--causeway EXE]

SIGHUP reloads the configuration without dropping a call, SIGTERM drains
(bridge/daemon/README.md "Reload", "Drain"), seen from the wire: SIPp on the
SIP side, causeway-pstn-sim's report on the ISDN side, the CDR file.

  reload-calls   a call up keeps its route ([route old-03]) and ends by its own BYE,
                 a call after the reload takes the new one ([route new-03], prefix 9);
                 a changed [sip] port is logged as needing a restart and not taken
  reload-acl     allow tightened by a reload: a new call from 127.0.0.2 gets 403 +
                 cause 21 while 127.0.0.2's call up goes on; 127.0.0.1 still calls
  reload-targets an ISDN->SIP call up to the old target ends normally; a SETUP after the
                 reload goes to the new target; the CDRs name each target
  reload-profile an override file added by a reload: a call ringing across it is mapped
                 by the profile it started with (cause 17 -> 486), a new one by the
                 override (17 -> 600); each CDR names its profile and audits against it
  reload-broken  a file with an unknown key: FILE:LINE logged, the old routes stay;
                 the file mended, the next SIGHUP takes it
  drain-ends     SIGTERM with a call up: STOPPING=1 and STATUS "... 1 call left, shutting
                 down (draining)" (with CW_E2E_NOTIFY=1: built with libsystemd), OPTIONS 503, a new INVITE 503 + Retry-After +
                 cause 42, a SETUP released with cause 42; the call ends by its own BYE
                 (its normal CDR) and the bridge exits 0 without clearing anything
  drain-timeout  drain_timeout = 2: the calls still up then (one each way) get BYE +
                 Reason cause 16 and DISCONNECT cause 16, a CDR each; exit 0
  drain-twice    a second SIGTERM during the drain clears the call at once
"""
import json
import os
import re
import signal
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import e2e_admission as A  # noqa: E402
import e2e_notify as N  # noqa: E402
import harness as H  # noqa: E402
import run_e2e as R  # noqa: E402

RULES = ("05* reject 17 location LN after-alert 3000\n"  # rings, then busy
         "0* answer 100\n"            # SIP->ISDN through [route old-03]: talks until cleared
         "9* answer 100\n"            # ... through [route new-03] (prefix 9)
         "default reject 1 location LN\n")
OVERRIDE = "cause 17 - 600 respond\n"  # tables/README.md format: busy everywhere
OLD_ROUTE = "[route old-03]\nmatch = 03\ngroup = pstn\nallow = 127.0.0.1\n"
NEW_ROUTE = "[route new-03]\nmatch = 03\nprefix = 9\ngroup = pstn\nallow = 127.0.0.1\n"
DRAIN_CAUSE = 42   # README "Drain": switching equipment congestion -> 503 (RFC 3398 §8.2.6.1)


def rewrite(env, a, sim, br, **kw):
    """Write br's file anew (H.Bridge's template with kw), as an operator edits it."""
    kw.setdefault("sip_port", br.sip_port)
    kw.setdefault("drain_timeout", None)
    new = H.Bridge(env, a.bridge, sim.span, tag=br.tag, **kw)
    env.dumps.remove(new.dump)
    br.conf_text = new.conf_text
    return new.conf_text


def sighup(br, count):
    """SIGHUP by pid; the count-th reload line (done or refused), whole."""
    os.kill(br.proc.pid, signal.SIGHUP)
    return br.wait_log(r"(notice: reload: .* reloaded: |error: reload: )", 20, count=count).string


def held(env, a, br, called, hold_ms, src="127.0.0.1"):
    """A call from src to called, answered and held hold_ms, then ended by SIPp's BYE."""
    run = H.sipp(env, a.sipp, "uac_bye.xml", {"CALLING": "0301234", "HOLD": hold_ms, "EXTRA": ""},
                 remote_port=br.sip_port, service=called, timeout=max(30, hold_ms // 1000 + 20),
                 local_ip=src)
    run.wait_sync(15)
    return run


def ended_by_itself(env, run, name):
    """SIPp's call ended by its own BYE (200 to it), with no BYE from the bridge."""
    run.wait(60)
    if run.rc != 0 or run.request("BYE") is not None:
        R.fail_run(env, run, "%s: SIPp exit %s, saw %s (want its own BYE answered, no BYE "
                   "from the bridge)" % (name, run.rc, run.seen()))
        return False
    print("ok  %s: ended by its own BYE" % name)
    return True


def final(env, a, br, called, status, cause, src="127.0.0.1", retry_after=False):
    """An INVITE that must get status with Reason cause (and Retry-After)."""
    run = H.sipp(env, a.sipp, "uac_final.xml", {"STATUS": status, "CALLING": "0301234"},
                 remote_port=br.sip_port, service=called, timeout=15, local_ip=src)
    run.wait(30)
    fin = run.final()
    name = "INVITE %s from %s" % (called, src)
    if fin is None or fin.status != status:
        R.fail_run(env, run, "%s: final %s, want %d (saw %s)" % (name, fin and fin.status, status,
                                                                 run.seen()))
        return
    if retry_after:
        env.check(fin.hdr("retry-after"), "%s: %d without Retry-After" % (name, status))
    if R.q850_check(env, run, fin, name, cause):
        print("ok  %s -> %d, Reason: %s" % (name, status, fin.hdr("reason")))


def options(env, a, br, want, name):
    run = H.sipp(env, a.sipp, "options.xml", {"STATUS": want}, remote_port=br.sip_port,
                 timeout=10)
    run.wait(20)
    fin = run.final("OPTIONS")
    if fin is None or fin.status != want:
        R.fail_run(env, run, "%s: OPTIONS -> %s, want %d (saw %s)" % (
            name, fin and fin.status, want, run.seen()))
    else:
        print("ok  %s: OPTIONS -> %d" % (name, want))


def cdrs(br):
    with open(br.cdr) as f:
        return [json.loads(l) for l in f if l.strip()]


def route_of(rec):
    tried = rec.get("routes_tried") or []
    return tried[0].get("route") if tried else None


def sim_call(env, sim, called, direction, name):
    """The simulator's report of the one call to called."""
    c = sim.wait_call(called, direction, timeout=15)
    env.check(c and len(c) == 1, "%s: sim saw %d calls to %s, want 1" % (
        name, len(c or []), called))
    return c[0] if c else {}


def exits_zero(env, br, timeout=40):
    """The bridge exits by itself (after a drain): status 0."""
    try:
        rc = br.proc.wait(timeout=timeout)
    except Exception:
        rc = "still running after %d s" % timeout
    env.check(rc == 0, "bridge exit status %s after the drain (want 0)" % rc)


# ---------------------------------------------------------------- reload

def t_reload_calls(env, a):
    sim, br = R.start_pair(env, a, RULES, sip_routes=OLD_ROUTE, drain_timeout=None)
    long_call = held(env, a, br, "0301", 8000)
    rewrite(env, a, sim, br, sip_routes=NEW_ROUTE, sip_port=H.free_port())
    line = sighup(br, 1)
    env.check(re.search(r"notice: reload: .* reloaded: 2 routes \(1 added, 0 changed, 1 "
                        r"removed\), 1 span \(0 changed\), .*; 1 change needs a restart; 1 call "
                        r"up keeps the previous configuration", line),
              "reload line: %r" % line)
    env.check(br.lines(r"warning: reload: \[sip\] port changed: needs a restart"),
              "no 'reload: [sip] port changed: needs a restart' warning")
    A.answered(env, a, br, "0302")                      # still on the running port
    ended_by_itself(env, long_call, "the call up across the reload")
    old = sim_call(env, sim, "0301", "in", "call up across the reload")
    env.check(old.get("answered") and old.get("cause_received") == 16,
              "call up across the reload: sim report %r (want answered, DISCONNECT 16)" % old)
    new = sim_call(env, sim, "90302", "in", "call after the reload")
    env.check(new.get("answered"), "call after the reload: sim report %r" % new)
    env.check(not sim.calls("0302"), "call after the reload went by the old route (0302)")
    R.finish(env, sim, br)
    by_called = {c.get("called"): c for c in cdrs(br)}
    env.check(route_of(by_called.get("0301", {})) == "old-03",
              "CDR of the call up: route %r, want old-03" % route_of(by_called.get("0301", {})))
    env.check(route_of(by_called.get("90302", {})) == "new-03",
              "CDR of the new call: route %r, want new-03" % route_of(by_called.get("90302", {})))
    env.check(by_called.get("0301", {}).get("sip_status") == 200 and
              by_called.get("0301", {}).get("cleared_by") == "sip",
              "CDR of the call up: %r" % by_called.get("0301"))


def t_reload_acl(env, a):
    sim, br = R.start_pair(env, a, RULES, pstn_allow="127.0.0.1, 127.0.0.2",
                           drain_timeout=None)
    up = held(env, a, br, "0401", 8000, src="127.0.0.2")
    rewrite(env, a, sim, br, pstn_allow="127.0.0.1")
    line = sighup(br, 1)
    env.check(re.search(r"reloaded: 1 route \(0 added, 1 changed, 0 removed\)", line),
              "reload line: %r" % line)
    final(env, a, br, "0402", 403, 21, src="127.0.0.2")
    env.check(br.lines(r"notice: refused from=127\.0\.0\.2:\d+ transport=udp reason=acl "
                       r"method=INVITE"), "no 'refused from=127.0.0.2:PORT ... reason=acl' line")
    A.answered(env, a, br, "0403")
    ended_by_itself(env, up, "127.0.0.2's call up across the reload")
    env.check(not sim.calls("0402"), "the refused call reached the ISDN side")
    c = sim_call(env, sim, "0401", "in", "127.0.0.2's call up")
    env.check(c.get("answered") and c.get("cause_received") == 16, "sim report %r" % c)
    R.finish(env, sim, br)


def t_reload_targets(env, a):
    port_a, port_b = H.free_port(), H.free_port()
    sim, br = R.start_pair(env, a, RULES, targets={"93": port_a}, drain_timeout=None)
    uas_a = H.sipp_uas(env, a.sipp, "uas_answer_wait.xml", {"RING": 100}, port=port_a,
                       timeout=40)
    cref_a = sim.call("9301", "4930555")
    uas_a.wait_sync(15)
    rewrite(env, a, sim, br, targets={"93": port_b})
    line = sighup(br, 1)
    env.check(re.search(r"reloaded: 2 routes \(0 added, 1 changed, 0 removed\)", line),
              "reload line: %r" % line)
    uas_b = H.sipp_uas(env, a.sipp, "uas_answer_wait.xml", {"RING": 100}, port=port_b,
                       timeout=40)
    cref_b = sim.call("9302", "4930555")
    uas_b.wait_sync(15)
    for cref in (cref_a, cref_b):
        sim.hangup(cref, 16, "LN")
    for run, called in ((uas_a, "9301"), (uas_b, "9302")):
        run.wait(30)
        inv = run.request("INVITE")
        if run.rc != 0 or inv is None or not inv.start.startswith("INVITE sip:%s@" % called) \
                or run.request("BYE") is None:
            R.fail_run(env, run, "%s at port %d: SIPp exit %s, saw %s" % (
                called, run.port, run.rc, run.seen()))
        else:
            print("ok  %s: INVITE to port %d, answered, BYE after the sim's hangup" % (
                called, run.port))
    R.finish(env, sim, br)
    got = {c.get("called"): [t.get("target") for t in c.get("routes_tried") or []]
           for c in cdrs(br)}
    env.check(got == {"9301": ["127.0.0.1:%d" % port_a], "9302": ["127.0.0.1:%d" % port_b]},
              "CDR targets %r" % got)


def audit_by_profile(env, br, override):
    """br.audit_cdr for a file written under two profiles: each profile's lines audited
    against it (`causeway audit`, when the CLI is there)."""
    causeway = os.environ.get("CW_E2E_CAUSEWAY")
    recs = cdrs(br)
    env.check(len(recs) == len(br.end_lines()), "CDR: %d lines for %d ended calls" % (
        len(recs), len(br.end_lines())))
    if not causeway:
        return
    for profile, extra in (("rfc3398", []), ("rfc3398+" + override, ["--overrides", override])):
        mine = [r for r in recs if r.get("profile") == profile]
        path = env.write("cdr-%d.jsonl" % len(extra), "".join(json.dumps(r) + "\n" for r in mine))
        out = subprocess.run([causeway, "audit", "--profile", "rfc3398", "--json"] + extra +
                               [path], capture_output=True, text=True)
        try:
            rep = json.loads(out.stdout)
        except ValueError:
            rep = {}
        env.check(mine and out.returncode == 0 and rep.get("malformed") == 0 and
                  not rep.get("disagreements"),
                  "causeway audit of the %d %s lines: exit %d, %s %s" % (
                      len(mine), profile, out.returncode, rep, out.stderr.strip()))


def t_reload_profile(env, a):
    sim, br = R.start_pair(env, a, RULES, drain_timeout=None)
    override = env.write("busy.map", OVERRIDE)
    br.audit_cdr = lambda: audit_by_profile(env, br, override)
    ringing = H.sipp(env, a.sipp, "uac_final.xml", {"STATUS": 486, "CALLING": "0301234"},
                     remote_port=br.sip_port, service="0501", timeout=20)
    br.wait_log(r"info: call 1: ISDN_ALERTING: ", 15)
    text = rewrite(env, a, sim, br).replace("[general]\n", "[general]\noverrides = %s\n" % override)
    env.write(br.tag + ".conf", text)
    br.conf_text = text
    line = sighup(br, 1)
    env.check(re.search(r"\[general\] changed", line), "reload line: %r" % line)
    for run, called, status in ((ringing, "0501", 486), (None, "0502", 600)):
        if run is None:
            run = H.sipp(env, a.sipp, "uac_final.xml", {"STATUS": status, "CALLING": "0301234"},
                         remote_port=br.sip_port, service=called, timeout=20)
        run.wait(30)
        fin = run.final()
        if fin is None or fin.status != status:
            R.fail_run(env, run, "%s: final %s, want %d (saw %s)" % (
                called, fin and fin.status, status, run.seen()))
        else:
            print("ok  %s: cause 17 -> %d" % (called, status))
    R.finish(env, sim, br)
    got = {c.get("called"): (c.get("sip_status"), c.get("profile")) for c in cdrs(br)}
    env.check(got == {"0501": (486, "rfc3398"), "0502": (600, "rfc3398+" + override)},
              "CDR status and profile %r" % got)


def t_reload_broken(env, a):
    sim, br = R.start_pair(env, a, RULES, sip_routes=OLD_ROUTE, drain_timeout=None)
    text = rewrite(env, a, sim, br, sip_routes=NEW_ROUTE + "no_such_key = 1\n")
    lineno = text.split("\n").index("no_such_key = 1") + 1
    line = sighup(br, 1)
    want = r"error: reload: %s:%d: error: .*; the running configuration stays" % (
        re.escape(br.conf), lineno)
    env.check(re.search(want, line), "reload error line %r, want /%s/" % (line, want))
    A.answered(env, a, br, "0301")
    env.check(sim.wait_call("0301", "in", timeout=10), "after the broken reload: no SETUP for "
              "0301 (the old route)")
    env.check(not sim.calls("90301"), "the broken file's route was taken")
    # mended: the next SIGHUP takes it
    rewrite(env, a, sim, br, sip_routes=NEW_ROUTE)
    line = sighup(br, 2)
    env.check("notice: reload: " in line, "reload of the mended file: %r" % line)
    A.answered(env, a, br, "0302")
    env.check(sim.wait_call("90302", "in", timeout=10), "after the mended reload: no SETUP for "
              "90302 (the new route)")
    R.finish(env, sim, br)
    routes = [(c.get("called"), route_of(c)) for c in cdrs(br)]
    env.check(routes == [("0301", "old-03"), ("90302", "new-03")], "CDR routes %r" % routes)


# ---------------------------------------------------------------- drain

def t_drain_ends(env, a):
    uas_port = H.free_port()
    sim = H.Sim(env, a.sim, RULES).start()
    notify = N.Notify(env.path("notify"))   # the service manager's end (sd_notify(3))
    br = H.Bridge(env, a.bridge, sim.span, targets={"93": uas_port}, drain_timeout=None,
                  proc_env=dict(os.environ, NOTIFY_SOCKET=env.path("notify"))).start()
    long_call = held(env, a, br, "0301", 12000)  # long enough for the checks below
    os.kill(br.proc.pid, signal.SIGTERM)
    br.wait_log(r"notice: signal 15: draining 1 call for 30 s$", 10)
    if os.environ.get("CW_E2E_NOTIFY") == "1":   # the bridge is built with libsystemd
        env.check(notify.wait("STOPPING", "^1$", timeout=5), "no STOPPING=1 at SIGTERM")
        env.check(notify.wait("STATUS", r"^1 span up, 1 call left, shutting down \(draining\)$",
                              timeout=5),
                  "STATUS during the drain: %r" % notify.values("STATUS"))
    options(env, a, br, 503, "draining")
    final(env, a, br, "0302", 503, DRAIN_CAUSE, retry_after=True)
    sim.call("9300", "4930555")
    c = sim_call(env, sim, "9300", "out", "SETUP during the drain")
    env.check(c.get("cause_received") == DRAIN_CAUSE and not c.get("answered"),
              "SETUP during the drain: sim report %r (want released with cause %d)" % (
                  c, DRAIN_CAUSE))
    env.check(not sim.calls("0302"), "the INVITE during the drain reached the ISDN side")
    ended_by_itself(env, long_call, "the call up at SIGTERM")
    exits_zero(env, br)
    env.check(not br.lines(r"drain: .*: clearing"), "the drain cleared a call: %r" %
              [m.group(0) for m in br.lines(r"drain: .*: clearing")])
    env.check(br.lines(r"notice: shutdown: 0 calls cleared$"), "no 'shutdown: 0 calls cleared'")
    up = sim_call(env, sim, "0301", "in", "the call up at SIGTERM")
    env.check(up.get("answered") and up.get("cause_received") == 16, "sim report %r" % up)
    R.finish(env, sim, br)   # exit status 0, pidfile gone, CDR audited
    rec = [r for r in cdrs(br) if r.get("called") == "0301"]
    env.check(len(rec) == 1 and rec[0].get("sip_status") == 200 and
              rec[0].get("cleared_by") == "sip", "CDR of the call up at SIGTERM: %r" % rec)
    env.check(len(cdrs(br)) == 3, "%d CDR lines, want 3 (the call, the INVITE and the SETUP "
              "refused)" % len(cdrs(br)))


def cleared_by_drain(env, a, sim, br, sip_run, uas, name):
    """Both calls got BYE with Reason cause 16 and the simulator DISCONNECT cause 16."""
    for run, what in ((sip_run, "SIP->ISDN"), (uas, "ISDN->SIP")):
        run.wait(30)
        bye = run.request("BYE")
        if run.rc != 0 or bye is None:
            R.fail_run(env, run, "%s %s: SIPp exit %s, saw %s (want a BYE)" % (
                name, what, run.rc, run.seen()))
        elif R.q850_check(env, run, bye, "%s %s: BYE" % (name, what), 16):
            print("ok  %s %s: BYE, Reason: %s" % (name, what, bye.hdr("reason")))
    for called, direction in (("0301", "in"), ("9300", "out")):
        c = sim_call(env, sim, called, direction, name)
        env.check(c.get("answered") and c.get("cause_received") == 16,
                  "%s: sim report of %s %r (want DISCONNECT cause 16)" % (name, called, c))


def two_calls(env, a, drain_timeout):
    uas_port = H.free_port()
    sim, br = R.start_pair(env, a, RULES, targets={"93": uas_port},
                           drain_timeout=drain_timeout)
    sip_run = H.sipp(env, a.sipp, "uac_wait_bye.xml", {"CALLING": "0301234"},
                     remote_port=br.sip_port, service="0301", timeout=40)
    sip_run.wait_sync(15)
    uas = H.sipp_uas(env, a.sipp, "uas_answer_wait.xml", {"RING": 100}, port=uas_port,
                     timeout=40)
    sim.call("9300", "4930555")
    uas.wait_sync(15)
    return sim, br, sip_run, uas


def t_drain_timeout(env, a):
    sim, br, sip_run, uas = two_calls(env, a, 2)
    os.kill(br.proc.pid, signal.SIGTERM)
    br.wait_log(r"notice: signal 15: draining 2 calls for 2 s$", 10)
    cleared_by_drain(env, a, sim, br, sip_run, uas, "drain_timeout")
    exits_zero(env, br)   # the log lines once it has exited: it may exit right after them
    env.check(br.lines(r"notice: drain: drain_timeout passed: clearing 2 calls$"),
              "no 'drain: drain_timeout passed: clearing 2 calls'")
    env.check(br.lines(r"notice: shutdown: 2 calls cleared$"), "no 'shutdown: 2 calls cleared'")
    R.finish(env, sim, br)
    recs = cdrs(br)
    env.check(len(recs) == 2 and all(r.get("cleared_by") == "local" for r in recs),
              "CDRs: %r (want 2, cleared_by local)" % recs)


def t_drain_twice(env, a):
    sim, br, sip_run, uas = two_calls(env, a, None)
    os.kill(br.proc.pid, signal.SIGTERM)
    br.wait_log(r"notice: signal 15: draining 2 calls for 30 s$", 10)
    os.kill(br.proc.pid, signal.SIGTERM)
    cleared_by_drain(env, a, sim, br, sip_run, uas, "second SIGTERM")
    exits_zero(env, br)
    env.check(br.lines(r"notice: drain: second signal: clearing 2 calls$"),
              "no 'drain: second signal: clearing 2 calls'")
    R.finish(env, sim, br)


TESTS = {"reload-calls": t_reload_calls, "reload-acl": t_reload_acl,
         "reload-targets": t_reload_targets, "reload-profile": t_reload_profile,
         "reload-broken": t_reload_broken, "drain-ends": t_drain_ends,
         "drain-timeout": t_drain_timeout, "drain-twice": t_drain_twice}


if __name__ == "__main__":
    sys.exit(R.main(TESTS, "e2e-", __doc__, vectors=False))
