#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""End-to-end tests: SIPp <-> causeway-bridge <-> causeway-pstn-sim.

usage: run_e2e.py TEST --bridge EXE --sim EXE --sipp SIPP --vectors FILE [--corpus DIR]
TEST: cause-to-status, status-to-cause, calls, busy, dchan, torture, options, identity

Expected values come from tests/vectors/rfc3398.vec (transcribed from the RFC),
never from libcauseway. Every check reads the wire: SIPp's message trace on the
SIP side, the simulator's JSON report (decoded from the Q.931 frames) on the
ISDN side. Exit 0 pass, 1 fail, 77 skip.

Environment: CW_E2E_KEEP=1 keeps the temp dirs; CW_E2E_BRIDGE_WRAPPER runs the
bridge under a wrapper, e.g. "valgrind --error-exitcode=99 --leak-check=full".
"""
import argparse
import concurrent.futures
import glob
import os
import re
import socket
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402

PHRASES = {
    180: "Ringing", 200: "OK", 301: "Moved Permanently", 302: "Moved Temporarily",
    400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
    404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
    407: "Proxy Authentication Required", 408: "Request Timeout", 410: "Gone",
    413: "Request Entity Too Large", 414: "Request-URI Too Long", 415: "Unsupported Media Type",
    416: "Unsupported URI Scheme", 420: "Bad Extension", 421: "Extension Required",
    423: "Interval Too Brief", 480: "Temporarily Unavailable",
    481: "Call/Transaction Does Not Exist", 482: "Loop Detected", 483: "Too Many Hops",
    484: "Address Incomplete", 485: "Ambiguous", 486: "Busy Here", 487: "Request Terminated",
    488: "Not Acceptable Here", 500: "Server Internal Error", 501: "Not Implemented",
    502: "Bad Gateway", 503: "Service Unavailable", 504: "Server Time-out",
    505: "Version Not Supported", 513: "Message Too Large", 600: "Busy Everywhere",
    603: "Decline", 604: "Does Not Exist Anywhere", 606: "Not Acceptable",
}
STATUS_HEADERS = {  # headers a well-formed response of that status carries
    401: 'WWW-Authenticate: Digest realm="e2e", nonce="0123456789abcdef"',
    407: 'Proxy-Authenticate: Digest realm="e2e", nonce="0123456789abcdef"',
    405: "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS",
    420: "Unsupported: foo",
    421: "Require: 100rel",
    423: "Min-Expires: 3600",
}
OWN_CONTACT = "Contact: <sip:[service]@[local_ip]:[local_port];transport=[transport]>"
DEFAULT_LOC = "LPN"   # what the simulator (libpri) puts in a Cause IE without `location`
WORKERS = 3
NEW_NUMBER = "4930777"  # cause 22's diagnostic in cause-to-status
# bridge/daemon/README.md "Behaviour": on EOF the span counts as down at once; calls in
# progress are cleared through the core with cause 27 "destination out of order" (Q.931
# §5.8.9, as libpri itself does on a data link failure); new calls get 503 with cause 38.
DCHAN_LOSS_CAUSE = 27


def start_pair(env, a, rules, targets=None, **bridge_kw):
    sim = H.Sim(env, a.sim, rules).start()
    br = H.Bridge(env, a.bridge, sim.span, targets=targets, **bridge_kw).start()
    return sim, br


def finish(env, sim, br):
    """Stop the bridge (exit 0, no sanitizer report), then the simulator (exit 0)."""
    br.stop_and_check()
    if sim is not None and sim.alive():
        rc = sim.stop()
        env.check(rc == 0, "simulator exit status %s" % rc)


def check_call_peer(env, br, first, peer, name, to_sip=False):
    """bridge/daemon/README.md "Log lines": every line of the call whose line matches first
    (regex, group 1 the call's ID) ends in "[sip PEER]", peer a regex; for a call to SIP
    none before its first INVITE, every one from that INVITE on."""
    m = br.lines(first)
    if not env.check(len(m) == 1, "%s: %d log lines /%s/, want 1" % (name, len(m), first)):
        return False
    cid = m[0].group(1)
    lines = [l.group(1) for l in br.lines(r"call %s: (.*)$" % cid)]
    suffix = re.compile(r" \[sip %s\]$" % peer)
    invite = next((i for i, l in enumerate(lines) if re.match(r"INVITE sip", l)), 0 if not to_sip
                  else None)
    if not env.check(invite is not None, "%s: call %s: no INVITE line" % (name, cid)):
        return False
    bad = [l for l in lines[:invite] if "[sip " in l] + \
          [l for l in lines[invite:] if not suffix.search(l)]
    return env.check(len(lines) > invite + 2 and not bad,
                     "%s: call %s: lines %s, want [sip %s] on each from %s: %r" % (
                         name, cid, len(lines), peer, "its INVITE" if to_sip else "the first",
                         bad or lines))


def fail_run(env, run, what):
    """Record a failure about one SIPp run and arrange its trace to be printed."""
    env.check(False, what)
    env.dumps.append(run.dump)


def q850_check(env, run, msg, where, cause, location=None, location_absent=False):
    """msg must carry Reason: Q.850;cause=cause (and location=location if given)."""
    if msg is None:
        fail_run(env, run, "%s: message missing" % where)
        return False
    c, loc, raw = H.q850(msg)
    ok = c == cause and (location is None or loc == location) and not (location_absent and loc)
    if not ok:
        fail_run(env, run, "%s: Reason %r, want Q.850;cause=%d%s" % (
            where, raw, cause, ";location=" + location if location else ""))
    return ok


def check_cleared_by_dchan_loss(env, call, name):
    """call (answered, waiting for a BYE) must get BYE Reason: Q.850;cause=27 (README "Behaviour")."""
    call.wait(20)
    bye = call.request("BYE")
    if bye is None:
        fail_run(env, call, "%s: no BYE toward SIP (saw %s)" % (name, call.seen()))
    elif q850_check(env, call, bye, name + ": BYE", DCHAN_LOSS_CAUSE):
        print("ok  %s -> BYE Reason: %s" % (name, bye.hdr("reason")))


def check_refused_span_down(env, a, br, service, name):
    """Every span of the group down: a new INVITE gets 503 + Retry-After + Reason cause 38."""
    r = H.sipp(env, a.sipp, "uac_final.xml", {"STATUS": 503, "CALLING": "0301234"},
               remote_port=br.sip_port, service=service, timeout=15)
    r.wait(30)
    fin = r.final()
    if fin is None or fin.status != 503:
        fail_run(env, r, "%s: final %s, want 503 (saw %s)" % (name, fin and fin.status, r.seen()))
    else:
        env.check(fin.hdr("retry-after"), "%s: no Retry-After" % name)
        if q850_check(env, r, fin, name, 38):
            print("ok  %s -> 503, Reason: %s" % (name, fin.hdr("reason")))


def parallel(fn, items, workers=WORKERS):
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as ex:
        return list(ex.map(fn, items))


# ---------------------------------------------------------------- cause -> status

def t_cause_to_status(env, a):
    rows = H.load_vectors(a.vectors, "cause2sip", "rfc3398")
    plan, skipped = [], []
    for i, v in enumerate(rows):
        if v.qual("diagnostic") and v.kind != "22":
            skipped.append("%s (line %d): the simulator sends a Cause IE diagnostic with cause "
                           "22 only (the new number)" % (v.name(), v.line))
            continue
        cause = int(v.kind)
        loc = v.qual("location")
        called = "6%03d%02d" % (cause, i)
        plan.append((v, cause, loc, called))
    # cause 22 with a diagnostic: the new number (Q.850 Table 1) -> 301 + Contact (RFC 3398
    # §7.2.4.1 footnote)
    rules = "".join("%s reject %d%s%s\n" % (called, cause, " location " + loc if loc else "",
                                            " diagnostic " + NEW_NUMBER if v.qual("diagnostic")
                                            else "")
                    for v, cause, loc, called in plan) + "default reject 1 location LN\n"
    sim, br = start_pair(env, a, rules)

    def one(item):
        v, cause, loc, called = item
        want = int(v.exp_value)
        run = H.sipp(env, a.sipp, "uac_final.xml", {"STATUS": want, "CALLING": "0301234"},
                     remote_port=br.sip_port, service=called, timeout=20)
        run.wait(40)
        return item, run

    results = parallel(one, plan, workers=4)
    for (v, cause, loc, called), run in results:
        want = int(v.exp_value)
        name = "%s (line %d)" % (v.name(), v.line)
        fin = run.final()
        got = fin.status if fin else None
        if got != want:
            fail_run(env, run, "%s: final status %s, want %d (SIPp saw: %s)" % (
                name, got, want, run.seen()))
            continue
        q850_check(env, run, fin, name, cause, loc or DEFAULT_LOC)
        ra = fin.hdr("retry-after")
        if want == 503 and 34 <= cause <= 47:
            # RFC 3398 §7.2.4.1, resource unavailable class (34-47): "A 'Retry-After' header
            # MAY be added"; causeway adds it for the whole class ([sip] retry_after = 30).
            # 58 and 88 (also 503) are not a temporary failure: no Retry-After asserted.
            if not (ra and ra.split(";")[0].strip() == "30"):
                fail_run(env, run, "%s: 503 of the resource-unavailable class: Retry-After %r, "
                         "want 30" % (name, ra))
        contact = fin.hdr("contact")
        if v.qual("diagnostic") and not (contact and ("sip:%s@" % NEW_NUMBER) in contact):
            fail_run(env, run, "%s: 301 Contact %r, want the new number %s" % (
                name, contact, NEW_NUMBER))
        if run.rc != 0:
            fail_run(env, run, "%s: SIPp exit status %s" % (name, run.rc))
        print("ok  %-22s -> %s %s%s%s" % (v.input, got, ", ".join(fin.hdrs("reason")),
                                           "; Retry-After: " + ra if ra else "",
                                           "; Contact: " + contact if v.qual("diagnostic") else ""))
    ends = br.end_lines()
    for v, cause, loc, called in plan:
        e = [d for d in ends if d.get("called") == called]
        env.check(e and e[-1].get("status") == v.exp_value and e[-1].get("cause") == str(cause),
                  "bridge log: `call ID: end` line for %s: %r" % (called, e))
    finish(env, sim, br)
    # The ISDN side, once the simulator has written every call (also those it only
    # reports at shutdown): it sent the cause asked for; 44 was retried on another channel.
    setups = H.q931_setups(sim.tap)
    for v, cause, loc, called in plan:
        calls = sim.calls(called, "in")
        name = "%s (line %d)" % (v.name(), v.line)
        if cause == 44:   # retry-channel: a second SETUP on another B-channel before the 503
            chans = setups.get(called) if setups is not None else None
            env.check(len(calls) == 2 and (chans is None or len(set(chans)) == 2),
                      "%s: want one retry on another B-channel; sim saw %d SETUP(s), channels "
                      "on the wire %s" % (name, len(calls), chans))
            print("ok  44: SETUP on channels %s, then 503" % (chans or "(no tshark)"))
        else:
            env.check(len(calls) == 1 and calls[0]["cause_sent"] == cause and
                      calls[0].get("diagnostic_sent") == (NEW_NUMBER if v.qual("diagnostic")
                                                          else None),
                      "%s: sim report %r" % (name, calls))
    print("%d rows checked, %d skipped:" % (len(plan), len(skipped)))
    for s in skipped:
        print("  skipped: " + s)


# ---------------------------------------------------------------- status -> cause

def t_status_to_cause(env, a):
    rows = H.load_vectors(a.vectors, "sip2cause", "rfc3398")
    plan, skipped = [], []
    for i, v in enumerate(rows):
        if not v.kind.isdigit():
            skipped.append("%s (line %d): a BYE/CANCEL row, checked by e2e-calls" % (v.name(), v.line))
            continue
        status = int(v.kind)
        if v.exp_value == "none" and status < 300:
            skipped.append("%s (line %d): not a final status, clears nothing" % (v.name(), v.line))
            continue
        extra = []
        if status in STATUS_HEADERS:
            extra.append(STATUS_HEADERS[status])
        w = v.qual("warning")
        if w:
            extra.append('Warning: %s causeway-e2e "warning %s"' % (w, w))
        if v.reason:
            extra.append("Reason: " + v.reason)
        if v.exp_value == "none":   # 487 with no CANCEL: RFC 4497 §8.4.4 NOTE 7
            want_cause, note = 31, "487: the table says none; the bridge clears with 31 (RFC 4497 NOTE 7)"
        else:
            want_cause, note = int(v.exp_value), None
        plan.append((i, v, status, "\n".join(extra), want_cause, v.exp_location, note))

    ports = [H.free_port() for _ in range(WORKERS)]
    targets = {"7%d" % w: ports[w] for w in range(WORKERS)}
    sim, br = start_pair(env, a, "default reject 1 location LN\n", targets=targets)
    queue = list(plan)
    import threading
    lock = threading.Lock()
    results = []

    def worker(w):
        while True:
            with lock:
                if not queue:
                    return
                item = queue.pop(0)
            i, v, status, extra, want_cause, want_loc, note = item
            called = "7%d%03d%02d" % (w, status, i)
            uas = H.sipp_uas(env, a.sipp, "uas_final.xml",
                             {"STATUS": status, "PHRASE": PHRASES.get(status, "Whatever"),
                              # 3xx without a Contact: the bridge cannot recurse (RFC 3398
                              # §8.2.5), so the table's 23 applies
                              "CONTACT": "" if 300 <= status < 400 else OWN_CONTACT,
                              "EXTRA": extra}, port=ports[w], timeout=20)
            try:
                cref = sim.call(called)
            except H.TestFailure as e:
                uas.wait(1)
                with lock:
                    results.append((item, called, uas, None, str(e)))
                continue
            uas.wait(30)
            c = sim.wait_call(called, "out", timeout=15)
            with lock:
                results.append((item, called, uas, c and c[0], cref))

    parallel(worker, range(WORKERS), workers=WORKERS)
    for (i, v, status, extra, want_cause, want_loc, note), called, uas, c, info in sorted(
            results, key=lambda r: r[0][0]):
        name = "%s (line %d)" % (v.name(), v.line)
        inv = uas.request("INVITE")
        if inv is None:
            fail_run(env, uas, "%s: the SIPp UAS got no INVITE for %s (%s)" % (name, called, info))
            continue
        if uas.rc != 0:
            fail_run(env, uas, "%s: SIPp UAS exit status %s (%s)" % (name, uas.rc, uas.seen()))
        if c is None:
            fail_run(env, uas, "%s: the simulator did not report the end of call %s" % (name, called))
            continue
        got = (c["cause_received"], c["location_received"])
        if got != (want_cause, want_loc):
            fail_run(env, uas, "%s: sim received cause %s location %s, want %d %s" % (
                name, got[0], got[1], want_cause, want_loc))
        else:
            print("ok  %-60s -> cause %d %s%s" % (v.input + (" [" + v.reason + "]" if v.reason else ""),
                                                  got[0], got[1], ("   NOTE " + note) if note else ""))
    finish(env, sim, br)
    print("%d rows checked, %d skipped:" % (len(plan), len(skipped)))
    for s in skipped:
        print("  skipped: " + s)


# ---------------------------------------------------------------- calls

def t_calls(env, a):
    vec = H.load_vectors(a.vectors, "sip2cause", "rfc3398")
    bye_rows = [v for v in vec if v.kind == "BYE"]
    cancel_rows = [v for v in vec if v.kind == "CANCEL"]
    uas_port = H.free_port()
    rules = ("80* alert 100 then answer 100\n"       # answered SIP -> ISDN calls
             "81* alert 100 then answer 60000\n"     # rings long: CANCEL before answer
             "default reject 1 location LN\n")
    sim, br = start_pair(env, a, rules, targets={"9": uas_port})

    # 1. SIP -> ISDN, answered, BYE from SIP (with each Reason of the vectors' BYE rows), UDP and TCP
    cases = [(v, "80%02d" % i, False) for i, v in enumerate(bye_rows)]
    cases.append((bye_rows[0], "8099", True))   # the plain BYE once more over TCP

    def bye_call(item):
        v, called, tcp = item
        run = H.sipp(env, a.sipp, "uac_bye.xml",
                     {"CALLING": "0301234", "HOLD": 200,
                      "EXTRA": "Reason: " + v.reason if v.reason else ""},
                     remote_port=br.sip_port, service=called, tcp=tcp, timeout=20)
        run.wait(40)
        return item, run
    for (v, called, tcp), run in parallel(bye_call, cases):
        name = "SIP->ISDN %s BYE %s (line %d)%s" % (called, v.reason or "(no Reason)", v.line,
                                                    " over TCP" if tcp else "")
        seen = run.seen()
        if run.rc != 0 or "<200" not in seen:
            fail_run(env, run, "%s: SIPp exit %s, saw %s" % (name, run.rc, seen))
            continue
        # the INVITE's source: SIPp's port over UDP, its connection's (any) over TCP
        check_call_peer(env, br, r"call (\d+): INVITE %s from " % called,
                        r"127\.0\.0\.1:\d+/tcp" if tcp else r"127\.0\.0\.1:%d/udp" % run.port,
                        name)
        ok200 = [m for m in run.msgs() if m.dir == "recv" and m.status == 200 and m.cseq_method == "INVITE"]
        env.check(any(m.status in (180, 183) for m in run.recv()), "%s: no 180/183 before the 200: %s" % (name, seen))
        env.check(ok200 and "application/sdp" in (ok200[0].hdr("content-type") or "") and "m=audio" in ok200[0].body,
                  "%s: the 200 has no SDP answer" % name)
        c = sim.wait_call(called, "in", timeout=10)
        if not c:
            env.check(False, "%s: no sim report" % name)
            continue
        c = c[0]
        want = (int(v.exp_value), v.exp_location)
        env.check(c["answered"] and ">ALERTING" in c["messages"] and ">CONNECT" in c["messages"],
                  "%s: sim call not answered as ruled: %r" % (name, c["messages"]))
        if not env.check((c["cause_received"], c["location_received"]) == want,
                         "%s: sim received DISCONNECT cause %s location %s, want %d %s" % (
                             name, c["cause_received"], c["location_received"], want[0], want[1])):
            env.dumps.append(run.dump)
        else:
            print("ok  %-55s -> sim DISCONNECT cause %d %s" % (name, want[0], want[1]))

    # 2. ISDN -> SIP: 180/200, then the simulator hangs up (16 at LN): BYE with the Reason
    uas = H.sipp_uas(env, a.sipp, "uas_answer_wait.xml", {"RING": 100}, port=uas_port, timeout=20)
    cref = sim.call("9100", "4930555")
    uas.wait_sync(15)
    sim.hangup(cref, 16, "LN")
    uas.wait(20)
    inv, bye = uas.request("INVITE"), uas.request("BYE")
    name = "ISDN->SIP answered, sim hangup 16 LN"
    if inv is None or bye is None or uas.rc != 0:
        fail_run(env, uas, "%s: SIPp UAS exit %s, saw %s" % (name, uas.rc, uas.seen()))
    else:
        env.check(inv.start.startswith("INVITE sip:9100@"), "%s: Request-URI %r" % (name, inv.start))
        env.check("sip:4930555@" in (inv.hdr("from") or ""), "%s: From %r" % (name, inv.hdr("from")))
        env.check("PCMA/8000" in inv.body, "%s: no PCMA offer for a euroisdn span: %r" % (name, inv.body))
        if q850_check(env, uas, bye, name + ": BYE", 16, "LN"):
            print("ok  %-55s -> BYE Reason: %s" % (name, bye.hdr("reason")))
    c = sim.wait_call("9100", "out", timeout=10)
    check_call_peer(env, br, r"call (\d+): SETUP on span \d+ channel \d+ called=9100\b",
                    r"127\.0\.0\.1:%d/udp" % uas_port, name, to_sip=True)
    env.check(c and c[0]["answered"] and c[0]["cause_sent"] == 16 and
              c[0]["messages"][:4] == [">SETUP", "<CALL PROCEEDING", "<ALERTING", "<CONNECT"],
              "%s: sim report %r, want SETUP, CALL PROCEEDING, ALERTING (180), CONNECT (200)" % (name, c))

    # 3. ISDN -> SIP answered, BYE from SIPp (no Reason): sim sees 16 (vectors: BYE row)
    plain_bye = next(v for v in bye_rows if v.reason is None)
    uas = H.sipp_uas(env, a.sipp, "uas_answer_bye.xml", {"RING": 100, "HOLD": 200, "EXTRA": ""},
                     port=uas_port, timeout=20)
    sim.call("9200", "4930555")
    uas.wait(20)
    name = "ISDN->SIP answered, BYE from SIP"
    c = sim.wait_call("9200", "out", timeout=10)
    want = (int(plain_bye.exp_value), plain_bye.exp_location)
    if uas.rc != 0:
        fail_run(env, uas, "%s: SIPp UAS exit %s, saw %s" % (name, uas.rc, uas.seen()))
    if not c or (c[0]["cause_received"], c[0]["location_received"]) != want:
        fail_run(env, uas, "%s: sim report %r, want cause %d %s" % (name, c, want[0], want[1]))
    else:
        print("ok  %-55s -> sim DISCONNECT cause %d %s" % (name, want[0], want[1]))

    # 4. CANCEL before answer from SIP (each CANCEL row of the vectors): 200, 487, sim cause
    cases = [(v, "81%02d" % i) for i, v in enumerate(cancel_rows)]

    def cancel_call(item):
        v, called = item
        run = H.sipp(env, a.sipp, "uac_cancel.xml",
                     {"CALLING": "0301234", "HOLD": 100,
                      "EXTRA": "Reason: " + v.reason if v.reason else ""},
                     remote_port=br.sip_port, service=called, timeout=20)
        run.wait(40)
        return item, run
    for (v, called), run in parallel(cancel_call, cases):
        name = "SIP CANCEL %s (line %d)" % (v.reason or "(no Reason)", v.line)
        fin = run.final("INVITE")
        c200 = run.final("CANCEL")
        if run.rc != 0 or not fin or fin.status != 487 or not c200 or c200.status != 200:
            fail_run(env, run, "%s: SIPp exit %s, saw %s (want 200 for the CANCEL, 487)" % (
                name, run.rc, run.seen()))
            continue
        env.check(not fin.hdrs("reason"), "%s: the 487 carries a Reason %r (bridge/core: none "
                  "on the 487 after a CANCEL)" % (name, fin.hdrs("reason")))
        c = sim.wait_call(called, "in", timeout=10)
        want = (int(v.exp_value), v.exp_location)
        if not c or (c[0]["cause_received"], c[0]["location_received"]) != want or c[0]["answered"]:
            fail_run(env, run, "%s: sim report %r, want unanswered, cause %d %s" % (
                name, c and c[0], want[0], want[1]))
        else:
            print("ok  %-55s -> 487; sim DISCONNECT cause %d %s" % (name, want[0], want[1]))

    # 5. The ISDN caller hangs up before answer: the UAS sees CANCEL with the Reason
    uas = H.sipp_uas(env, a.sipp, "uas_cancel.xml", {}, port=uas_port, timeout=20)
    cref = sim.call("9300", "4930555")
    uas.wait_sync(15)
    sim.hangup(cref, 16, "LN")
    uas.wait(20)
    name = "ISDN caller hangs up before answer"
    if uas.rc != 0 or uas.request("CANCEL") is None:
        fail_run(env, uas, "%s: SIPp UAS exit %s, saw %s" % (name, uas.rc, uas.seen()))
    elif q850_check(env, uas, uas.request("CANCEL"), name + ": CANCEL", 16, "LN"):
        print("ok  %-55s -> CANCEL Reason: %s" % (name, uas.request("CANCEL").hdr("reason")))
    c = sim.wait_call("9300", "out", timeout=10)
    env.check(c and not c[0]["answered"] and c[0]["cause_sent"] == 16, "%s: sim report %r" % (name, c))
    finish(env, sim, br)


# ---------------------------------------------------------------- busy channels

def t_busy(env, a):
    sim, br = start_pair(env, a, "5* talk 10 then clear 16\ndefault reject 1 location LN\n",
                         bchannels="1-2")
    held = [H.sipp(env, a.sipp, "uac_wait_bye.xml", {"CALLING": "0301234"},
                   remote_port=br.sip_port, service="500%d" % i, timeout=30) for i in range(2)]
    for r in held:
        r.wait_sync(15)
    third = H.sipp(env, a.sipp, "uac_final.xml", {"STATUS": 503, "CALLING": "0301234"},
                   remote_port=br.sip_port, service="5009", timeout=15)
    third.wait(30)
    fin = third.final()
    name = "3rd call on a 2-channel span"
    if fin is None or fin.status != 503:
        fail_run(env, third, "%s: final %s, want 503 (saw %s)" % (name, fin and fin.status, third.seen()))
    else:
        ra = fin.hdr("retry-after")
        env.check(ra and ra.split(";")[0].strip() == "30", "%s: Retry-After %r, want 30" % (name, ra))
        if q850_check(env, third, fin, name, 34):
            print("ok  %s -> 503, Retry-After: %s, Reason: %s" % (name, ra, fin.hdr("reason")))
    env.check(not sim.calls("5009"), "%s: the 3rd call reached the ISDN side" % name)
    # Shutdown clears the two held calls: a BYE each, then exit 0.
    br.stop_and_check()
    env.check(br.lines(r"notice: shutdown: 2 calls cleared"),
              "bridge log: no 'shutdown: 2 calls cleared'")
    for r in held:
        r.wait(20)
        if r.request("BYE") is None or r.rc != 0:
            fail_run(env, r, "held call: no BYE at shutdown (exit %s, saw %s)" % (r.rc, r.seen()))
    rc = sim.stop()
    env.check(rc == 0, "simulator exit status %s" % rc)


# ---------------------------------------------------------------- D-channel failure

def t_dchan(env, a):
    rules = "70 talk 60 then clear 16\n71 alert 100 then answer 100\ndefault reject 1 location LN\n"
    sim, br = start_pair(env, a, rules)
    call = H.sipp(env, a.sipp, "uac_wait_bye.xml", {"CALLING": "0301234"},
                  remote_port=br.sip_port, service="70", timeout=30)
    call.wait_sync(15)
    sim.kill()                                           # D-channel failure: the peer is gone
    print("simulator killed (pid %d)" % sim.proc.pid)
    br.wait_log(r"notice: span 1: D-channel down", 10)
    check_cleared_by_dchan_loss(env, call, "answered call when the D-channel fails")
    check_refused_span_down(env, a, br, "71", "new INVITE while the D-channel is down")
    # the simulator comes back on the same socket: the bridge reconnects
    sim2 = H.Sim(env, a.sim, rules, tag="sim2", span=sim.span).start()
    br.wait_log(r"notice: span 1: D-channel up", 20, count=2)
    print("ok  bridge reconnected: %s" % br.lines(r"notice: span 1: connected to socket")[-1].group(0))
    r = H.sipp(env, a.sipp, "uac_bye.xml", {"CALLING": "0301234", "HOLD": 100, "EXTRA": ""},
               remote_port=br.sip_port, service="71", timeout=20)
    r.wait(30)
    c = sim2.wait_call("71", "in", timeout=10)
    name = "call after the reconnect"
    if r.rc != 0 or not c or not c[0]["answered"] or c[0]["cause_received"] != 16:
        fail_run(env, r, "%s: SIPp exit %s saw %s; sim report %r" % (name, r.rc, r.seen(), c))
    else:
        print("ok  %s -> answered, BYE -> sim cause 16" % name)
    finish(env, sim2, br)


# ---------------------------------------------------------------- OPTIONS health

def options_probe(env, a, br, want, name):
    """One OPTIONS (as a dispatcher probes): the status must be want; a 503 carries Retry-After."""
    r = H.sipp(env, a.sipp, "options.xml", {"STATUS": want}, remote_port=br.sip_port, timeout=10)
    r.wait(20)
    fin = r.final("OPTIONS")
    if fin is None or fin.status != want:
        fail_run(env, r, "%s: OPTIONS -> %s, want %d (saw %s)" % (name, fin and fin.status, want, r.seen()))
        return
    if want == 503:
        ra = fin.hdr("retry-after")
        env.check(ra and ra.split(";")[0].strip() == "30", "%s: Retry-After %r, want 30" % (name, ra))
    print("ok  %s -> OPTIONS %d" % (name, want))


def t_options(env, a):
    """OPTIONS health (bridge/daemon/README.md "Behaviour"): 200 while a span is up with a free B-channel, else 503 + Retry-After."""
    rules = "60 talk 30 then clear 16\ndefault reject 1 location LN\n"
    # the bridge first, without its PSTN: the span is down
    span = env.path("span.sock")
    br = H.Bridge(env, a.bridge, span, bchannels="1")
    br.proc = env.spawn("bridge", os.environ.get("CW_E2E_BRIDGE_WRAPPER", "").split() +
                        [br.exe, "-c", br.conf], log=br.log)
    br.wait_log(r"notice: health: OPTIONS now answered 503", 20)
    options_probe(env, a, br, 503, "span down")
    sim = H.Sim(env, a.sim, rules, span=span).start()
    br.wait_log(r"notice: span 1: D-channel up$", 20)
    br.wait_log(r"notice: health: OPTIONS now answered 200", 10)
    options_probe(env, a, br, 200, "span up, channel free")
    # the only B-channel taken by a call: no capacity
    held = H.sipp(env, a.sipp, "uac_wait_bye.xml", {"CALLING": "0301234"},
                  remote_port=br.sip_port, service="60", timeout=30)
    held.wait_sync(15)
    br.wait_log(r"notice: health: OPTIONS now answered 503", 10, count=2)
    options_probe(env, a, br, 503, "span up, every B-channel busy")
    finish(env, sim, br)              # shutdown clears the held call: a BYE, then exit 0
    held.wait(20)
    env.check(held.request("BYE") is not None, "held call: no BYE at shutdown")
    transports_served(env, a)


OPTIONS_UDP = (b"OPTIONS sip:probe@127.0.0.1 SIP/2.0\r\n"
               b"Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKtransports1\r\n"
               b"Max-Forwards: 70\r\nFrom: <sip:probe@127.0.0.1>;tag=1\r\n"
               b"To: <sip:probe@127.0.0.1>\r\nCall-ID: transports1@127.0.0.1\r\n"
               b"CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")


def transports_served(env, a):
    """[sip] transport: OPTIONS answered over the transport listed; the one left out is not
    served at all (TCP: the connection refused; UDP: ICMP port unreachable, no socket bound)."""
    for only in ("udp", "tcp"):
        sim = H.Sim(env, a.sim, "default reject 1 location LN\n", tag="sim-" + only).start()
        br = H.Bridge(env, a.bridge, sim.span, tag="bridge-" + only, transport=only).start()
        r = H.sipp(env, a.sipp, "options.xml", {"STATUS": 200}, remote_port=br.sip_port,
                   tcp=only == "tcp", timeout=10)
        r.wait(20)
        fin = r.final("OPTIONS")
        if fin is None or fin.status != 200:
            fail_run(env, r, "transport = %s: OPTIONS over %s -> %s, want 200 (saw %s)" % (
                only, only, fin and fin.status, r.seen()))
        refused = False
        if only == "udp":
            try:
                socket.create_connection(("127.0.0.1", br.sip_port), timeout=2).close()
            except ConnectionRefusedError:
                refused = True
        else:
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            u.connect(("127.0.0.1", br.sip_port))
            u.settimeout(2)
            try:
                u.send(OPTIONS_UDP)
                u.recv(65536)
            except ConnectionRefusedError:
                refused = True
            except socket.timeout:
                pass
            finally:
                u.close()
        other = "tcp" if only == "udp" else "udp"
        if env.check(refused, "transport = %s: %s to port %d was served, want refused" % (
                only, other, br.sip_port)):
            print("ok  transport = %s: OPTIONS over %s -> 200, %s refused" % (only, only, other))
        finish(env, sim, br)


# ---------------------------------------------------------------- torture

def t_torture(env, a):
    rfc4475 = sorted(glob.glob(os.path.join(a.corpus, "rfc4475", "*.dat")))
    rfc5118 = sorted(glob.glob(os.path.join(a.corpus, "rfc5118", "*")))
    if not rfc4475 or not rfc5118:
        print("FAIL: no RFC 4475 or RFC 5118 messages under %s" % a.corpus)
        return 1
    files = rfc4475 + rfc5118
    sim, br = start_pair(env, a, "80* alert 100 then answer 100\ndefault reject 1 location LN\n",
                         targets={"9": H.free_port()})
    port = br.sip_port
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    answers = 0
    for f in files:
        with open(f, "rb") as fh:
            answers += H.send_both_ways(port, fh.read(), u)
        if not br.alive():
            env.check(False, "bridge died after %s (status %s)" % (f, br.proc.returncode))
            return
    for junk in H.JUNK:
        H.send_both_ways(port, junk, u)
    u.close()
    time.sleep(0.2)
    if not env.check(br.alive(), "bridge died on junk (status %s)" % br.proc.returncode):
        return
    print("sent %d corpus messages over UDP and TCP (+3 junk), %d answers; bridge alive (pid %d)" % (
        len(files), answers, br.proc.pid))
    for tcp in (False, True):
        r = H.sipp(env, a.sipp, "uac_bye.xml", {"CALLING": "0301234", "HOLD": 100, "EXTRA": ""},
                   remote_port=port, service="80%d" % tcp, tcp=tcp, timeout=20)
        r.wait(30)
        c = sim.wait_call("80%d" % tcp, "in", timeout=10)
        if r.rc != 0 or not c or not c[0]["answered"]:
            fail_run(env, r, "ordinary call after the torture (%s): SIPp exit %s saw %s; sim %r" % (
                "TCP" if tcp else "UDP", r.rc, r.seen(), c))
        else:
            print("ok  ordinary call over %s after the torture" % ("TCP" if tcp else "UDP"))
    env.check(br.alive(), "bridge not alive at the end")
    finish(env, sim, br)


# ---------------------------------------------------------------- caller identity

ID_SIP_TO_ISDN = [
    # (name, called, From name-addr, extra headers, want calling, presentation, screening)
    ("trusted peer: P-Asserted-Identity is the number", "8101",
     '"Bob" <sip:0301234@[local_ip]:[local_port]>',
     'P-Asserted-Identity: "Alice" <sip:+4930555@pbx.example>', "4930555", "allowed", "passed"),
    ("trusted peer: PAI + Privacy: id", "8102",
     '"Anonymous" <sip:anonymous@anonymous.invalid>',
     "P-Asserted-Identity: <tel:+4930555>\nPrivacy: id", "4930555", "restricted", "passed"),
    ("trusted peer, no PAI, Privacy: id: From number, restricted", "8103",
     '"Bob" <sip:0301234@[local_ip]:[local_port]>', "Privacy: id", "0301234", "restricted",
     "unscreened"),
    ("untrusted peer: its PAI is ignored (RFC 3325 §5)", "8201",
     '"Bob" <sip:0301234@[local_ip]:[local_port]>',
     "P-Asserted-Identity: <sip:+4930555@pbx.example>", "0301234", "allowed", "unscreened"),
    ("untrusted peer: anonymous From, no number", "8202",
     '"Anonymous" <sip:anonymous@anonymous.invalid>', "Privacy: id", "", None, None),
    ("untrusted peer: Privacy: user restricts the From number", "8203",
     '<sip:+4930777@[local_ip]:[local_port]>', "Privacy: user", "4930777", "restricted",
     "unscreened"),
    ("a sender's own Via received= naming a trusted peer is not believed", "8301",
     '"Bob" <sip:0301234@[local_ip]:[local_port]>',
     "P-Asserted-Identity: <sip:+4930555@pbx.example>", "0301234", "allowed", "unscreened",
     None, ";received=192.0.2.1"),
]

ID_ISDN_TO_SIP = [
    # (name, called, sim call options, want From user (None: anonymous), want PAI user, Privacy)
    ("trusted target, allowed, network provided", "9101",
     "presentation allowed screening network", "4930555", "4930555", None),
    ("trusted target, restricted, network provided", "9102",
     "presentation restricted screening network", None, "4930555", "id"),
    ("trusted target, allowed, user-provided unscreened: not asserted", "9103",
     "presentation allowed screening unscreened", "4930555", None, None),
    ("untrusted target, restricted, network provided", "9201",
     "presentation restricted screening network", None, None, None),
    ("untrusted target, allowed, network provided", "9202",
     "presentation allowed screening network", "4930555", None, None),
]


def uri_user(value):
    """The user part of the (first) URI in a From / PAI value, or None."""
    m = re.search(r"<?(?:sips?|tel):([^@;>]*)", value or "")
    return m.group(1) if m else None


def identity_pair(env, a, switchtype="euroisdn"):
    """A sim (rejecting every call with 17) and a bridge with trusted and untrusted routes."""
    trusted_port, untrusted_port = H.free_port(), H.free_port()
    sim = H.Sim(env, a.sim, "default reject 17\n", tag="sim-" + switchtype,
                switchtype=switchtype).start()
    br = H.Bridge(env, a.bridge, sim.span, switchtype=switchtype, tag="bridge-" + switchtype,
                  targets={"91": trusted_port, "92": untrusted_port},
                  route_extra={"91": "trust_identity = yes\n"},
                  sip_routes="[route from-trusted-pbx]\nmatch = 81\ngroup = pstn\n"
                             "trusted_peers = 127.0.0.1\nallow = 127.0.0.1\n"
                             "[route from-remote-pbx]\nmatch = 83\ngroup = pstn\n"
                             "trusted_peers = 192.0.2.1\nallow = 127.0.0.1\n").start()
    return sim, br, trusted_port, untrusted_port


def identity_sip_to_isdn(env, a, sim, br, name, called, from_, extra, want_calling, want_pres,
                         want_screen, want_name=None, via=""):
    run = H.sipp(env, a.sipp, "uac_identity.xml",
                 {"STATUS": 486, "FROM": from_, "EXTRA": extra, "VIA": via},
                 remote_port=br.sip_port, service=called, timeout=20)
    run.wait(30)
    c = sim.wait_call(called, "in", timeout=10)
    if run.rc != 0 or not c:
        fail_run(env, run, "%s: SIPp exit %s, sim report %r" % (name, run.rc, c))
        return
    c = c[0]
    got = (c.get("calling") or "", c.get("presentation"), c.get("screening"))
    want = (want_calling, want_pres or got[1], want_screen or got[2])
    if want_pres is None:  # no number: Q.931 §4.5.10 "number not available"
        want = ("", "unavailable", got[2])
    ok = env.check(got == want, "%s: sim received calling %r presentation %s screening %s, want "
                   "%r %s %s" % ((name,) + got + want))
    if want_name is not None:
        ok = env.check((c.get("calling_name") or "") == want_name, "%s: sim received calling name %r, "
                       "want %r" % (name, c.get("calling_name"), want_name)) and ok
    if ok:
        print("ok  SIP->ISDN %-58s -> calling %s %s %s%s" % (
            name, got[0] or "-", got[1], got[2],
            " name %r" % want_name if want_name is not None else ""))
    else:
        env.dumps.append(run.dump)


def identity_isdn_to_sip(env, a, sim, port, name, called, options, want_from, want_pai,
                         want_privacy, want_display=None):
    uas = H.sipp_uas(env, a.sipp, "uas_final.xml",
                     {"STATUS": 486, "PHRASE": "Busy Here", "CONTACT": OWN_CONTACT, "EXTRA": ""},
                     port=port, timeout=20)
    sim.call(called, "4930555", options)
    uas.wait(30)
    inv = uas.request("INVITE")
    if inv is None:
        fail_run(env, uas, "%s: the SIPp UAS got no INVITE" % name)
        return
    frm, pai, privacy = inv.hdr("from") or "", inv.hdr("p-asserted-identity"), inv.hdr("privacy")
    checks = []
    if want_from is None:  # RFC 3323 §4.1.1.3
        checks.append(("From", "sip:anonymous@anonymous.invalid" in frm and "Anonymous" in frm,
                       frm))
    else:
        checks.append(("From", uri_user(frm) == want_from, frm))
    checks.append(("P-Asserted-Identity", uri_user(pai) == want_pai if want_pai else pai is None,
                   pai))
    if want_pai:
        checks.append(("P-Asserted-Identity user=phone", ";user=phone" in pai, pai))
    checks.append(("Privacy", (privacy or None) == want_privacy, privacy))
    if want_display is not None:
        checks.append(("From display", frm.startswith('"%s"' % want_display), frm))
    bad = [(h, v) for h, good, v in checks if not good]
    for h, v in bad:
        env.check(False, "%s: %s is %r" % (name, h, v))
    if bad:
        env.dumps.append(uas.dump)
    else:
        print("ok  ISDN->SIP %-58s -> From %s, PAI %s, Privacy %s" % (
            name, "anonymous" if want_from is None else want_from, want_pai or "-",
            want_privacy or "-"))


def t_identity(env, a):
    """Caller identity (RFC 3323, RFC 3325): presentation/screening <-> From, P-Asserted-Identity and Privacy, both
    ways, with the trust boundary per route; calling names on an NI2 span."""
    sim, br, trusted, untrusted = identity_pair(env, a)
    for case in ID_SIP_TO_ISDN:
        identity_sip_to_isdn(env, a, sim, br, *case)
    for name, called, options, want_from, want_pai, want_privacy in ID_ISDN_TO_SIP:
        port = trusted if called.startswith("91") else untrusted
        identity_isdn_to_sip(env, a, sim, port, name, called, options, want_from, want_pai,
                             want_privacy)
    finish(env, sim, br)

    # calling names travel on NI2 (docs/libpri.md §3): From display <-> calling name
    sim, br, trusted, untrusted = identity_pair(env, a, "ni2")
    identity_sip_to_isdn(env, a, sim, br, "NI2: From display-name -> calling name", "8204",
                         '"Bob Smith" <sip:0301234@[local_ip]:[local_port]>', "", "0301234",
                         "allowed", "unscreened", want_name="Bob Smith")
    identity_sip_to_isdn(env, a, sim, br, "NI2: restricted caller: no name sent", "8205",
                         '"Bob Smith" <sip:0301234@[local_ip]:[local_port]>', "Privacy: id",
                         "0301234", "restricted", "unscreened", want_name="")
    identity_isdn_to_sip(env, a, sim, trusted, "NI2: calling name -> From and PAI display-name",
                         "9104", "presentation allowed screening network name Alice", "4930555",
                         "4930555", None, want_display="Alice")
    finish(env, sim, br)


TESTS = {
    "cause-to-status": t_cause_to_status,
    "status-to-cause": t_status_to_cause,
    "calls": t_calls,
    "busy": t_busy,
    "dchan": t_dchan,
    "torture": t_torture,
    "options": t_options,
    "identity": t_identity,
}


def main(tests=None, prefix="e2e-", doc=__doc__, vectors=True):
    """The command line of an e2e script: TEST --bridge --sim --sipp [--causeway] (and
    --vectors, --corpus when vectors), then the test named prefix + TEST."""
    tests = tests or TESTS
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("test", choices=sorted(tests))
    ap.add_argument("--bridge", required=True)
    ap.add_argument("--sim", required=True)
    ap.add_argument("--sipp", default="sipp")
    if vectors:
        ap.add_argument("--vectors", required=True)
        ap.add_argument("--corpus", default="")
    ap.add_argument("--causeway", default="",
                    help="the causeway CLI: audit every test's CDR file against the profile")
    a = ap.parse_args()
    a.bridge, a.sim = os.path.abspath(a.bridge), os.path.abspath(a.sim)
    if a.causeway:
        os.environ["CW_E2E_CAUSEWAY"] = os.path.abspath(a.causeway)
    return H.run_test(prefix + a.test, tests[a.test], a)


if __name__ == "__main__":
    sys.exit(main())
