#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""e2e_session_timer.py TEST --bridge EXE --sim EXE --sipp EXE [--causeway EXE]

SIP session timers (RFC 4028) seen from the wire: SIPp <-> causeway-bridge <->
causeway-pstn-sim, with the shortest interval the RFC allows (Session-Expires 90
s, the bridge's min_se at its floor of 90; bridge/config/README.md).

  expiry     a SIP caller negotiates 90 s as refresher and never refreshes: the
             bridge sends BYE with Reason cause 102 (at 90 - 30 = 60 s, RFC 4028
             §10), the simulator gets DISCONNECT 102, the CDR says cause 102, and
             the span's only B-channel takes the next call
  refresh    the SIP caller refreshes with an UPDATE at 40 s and a re-INVITE at
             80 s: the bridge answers both with Session-Expires and the call is
             still up at 95 s, past the interval, when the caller sends BYE
  refresher  an ISDN call to a SIPp UAS that answers 90;refresher=uac (the bridge
             refreshes) and allows UPDATE: the bridge's INVITE offers timer, its
             UPDATE comes at half the interval (45 s) with Session-Expires
             90;refresher=uac
  refresher-reinvite  the same, but the UAS's Allow lacks UPDATE: the refresh at 45 s
             is a re-INVITE with the call's SDP and Session-Expires 90;refresher=uac
  negotiation  no timers run: an INVITE asking for 60 s gets 422 with Min-SE 90
             (§9); a 422 with Min-SE 3600 to the bridge's INVITE is retried once,
             same Call-ID, asking for 3600 s (§7.4); a route's session_expires
             (7200) is what its INVITEs ask for
"""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as H  # noqa: E402
import run_e2e as R  # noqa: E402

RULES = ("07* answer 100\n"            # answered, talks until cleared
         "default reject 1 location LN\n")
SE = 90                                # RFC 4028 §5: the smallest interval there is
SIP_EXTRA = "min_se = 90\nsession_expires = 1800\n"


def se_value(msg):
    """(interval, refresher) of a message's Session-Expires (or x), (None, None) without one."""
    v = (msg.hdr("session-expires") or msg.hdr("x")) if msg else None
    if not v:
        return None, None
    m = re.match(r"\s*(\d+)\s*(?:;.*?refresher\s*=\s*(\w+))?", v)
    return (int(m.group(1)), m.group(2)) if m else (None, None)


def responses(run, status, method):
    return [m for m in run.msgs() if m.dir == "recv" and m.status == status
            and m.cseq_method == method]


def cdrs(br):
    with open(br.cdr) as f:
        return [json.loads(l) for l in f if l.strip()]


def pair(env, a, **kw):
    return R.start_pair(env, a, RULES, sip_extra=SIP_EXTRA,
                        sip_routes="[route sessions]\nmatch = 07\ngroup = pstn\n"
                                   "allow = 127.0.0.1\n", **kw)


def t_expiry(env, a):
    sim, br = pair(env, a, bchannels="1")       # one B-channel: the next call needs it back
    name = "Session-Expires 90, no refresh"
    t0 = time.monotonic()
    run = H.sipp(env, a.sipp, "uac_session_expire.xml",
                 {"CALLING": "0301234", "SE": SE, "WAIT": 120000},
                 remote_port=br.sip_port, service="0701", timeout=150)
    run.wait(160)
    dt = time.monotonic() - t0
    ok200 = run.final()
    bye = run.request("BYE")
    if run.rc != 0 or bye is None:
        R.fail_run(env, run, "%s: no BYE from the bridge (exit %s, saw %s)" % (
            name, run.rc, run.seen()))
    else:
        se, refresher = se_value(ok200)
        env.check((se, refresher) == (SE, "uac"),
                  "%s: the 200's Session-Expires %r, want 90;refresher=uac" % (
                      name, ok200.hdr("session-expires")))
        env.check("timer" in (ok200.hdr("require") or ""),
                  "%s: the 200 lacks Require: timer (%r)" % (name, ok200.hdr("require")))
        if R.q850_check(env, run, bye, name + ": BYE", 102):
            print("ok  %s -> BYE after %.1f s, Reason: %s" % (name, dt, bye.hdr("reason")))
    call = sim.wait_call("0701", "in", timeout=10)
    c = call[0] if call else {}
    if env.check(c.get("cause_received") == 102 and "<DISCONNECT" in c.get("messages", []),
                 "%s: the ISDN side got %r (cause %r), want DISCONNECT 102" % (
                     name, c.get("messages"), c.get("cause_received"))):
        print("ok  %s -> simulator: DISCONNECT cause 102 on channel %r" % (name, c.get("channel")))
    # the B-channel is free again: the span's only one carries the next call
    nxt = H.sipp(env, a.sipp, "uac_bye.xml", {"CALLING": "0301234", "HOLD": 200, "EXTRA": ""},
                 remote_port=br.sip_port, service="0702", timeout=20)
    nxt.wait(40)
    if nxt.rc != 0 or "<200" not in nxt.seen():
        R.fail_run(env, nxt, "the call after the expiry: SIPp exit %s, saw %s" % (
            nxt.rc, nxt.seen()))
    c2 = sim.wait_call("0702", "in", timeout=10)
    env.check(c2 and c2[0].get("channel") == c.get("channel"),
              "the call after the expiry: %r, want it on channel %r" % (c2, c.get("channel")))
    R.finish(env, sim, br)
    lines = [l for l in cdrs(br) if l.get("called") == "0701"]
    cause = lines and (lines[0].get("cause_sent") or {}).get("cause")
    if env.check(cause == 102, "CDR of the expired call: cause_sent %r, want 102 (%r)" % (
            cause, lines)):
        print("ok  CDR: cause_sent 102, cleared_by %s" % lines[0].get("cleared_by"))


def t_refresh(env, a):
    sim, br = pair(env, a)
    name = "Session-Expires 90, refreshed by UPDATE and re-INVITE"
    t0 = time.monotonic()
    run = H.sipp(env, a.sipp, "uac_session_refresh.xml",
                 {"CALLING": "0301234", "SE": SE, "P1": 40000, "P2": 40000, "P3": 15000},
                 remote_port=br.sip_port, service="0703", timeout=150)
    run.wait(160)
    dt = time.monotonic() - t0
    if run.rc != 0 or run.request("BYE") is not None:
        R.fail_run(env, run, "%s: SIPp exit %s, saw %s" % (name, run.rc, run.seen()))
    else:
        upd = responses(run, 200, "UPDATE")
        inv = responses(run, 200, "INVITE")
        env.check(upd and se_value(upd[0]) == (SE, "uac"),
                  "%s: 200 to the UPDATE %r, want Session-Expires 90;refresher=uac" % (
                      name, upd and upd[0].hdr("session-expires")))
        env.check(len(inv) == 2 and se_value(inv[1]) == (SE, "uac") and "m=audio" in inv[1].body,
                  "%s: 200 to the re-INVITE %r, want Session-Expires 90;refresher=uac and SDP"
                  % (name, inv[1:] and inv[1].hdr("session-expires")))
        print("ok  %s -> still up after %.1f s, BYE from SIP" % (name, dt))
    call = sim.wait_call("0703", "in", timeout=10)
    c = call[0] if call else {}
    env.check(c.get("cause_received") == 16,
              "%s: the ISDN side got cause %r, want 16 (the caller's BYE)" % (
                  name, c.get("cause_received")))
    env.check(not br.lines(r"SESSION-EXPIRY|cause=102"),
              "%s: the bridge log speaks of an expiry" % name)
    R.finish(env, sim, br)


def bridge_refreshes(env, a, scenario, method):
    """ISDN->SIP: the UAS answers 90;refresher=uac; the bridge's refresh must be method."""
    uas_port = H.free_port()
    sim, br = R.start_pair(env, a, RULES, targets={"9": uas_port}, sip_extra=SIP_EXTRA)
    name = "ISDN->SIP, 200 with Session-Expires 90;refresher=uac, refresh by %s" % method
    uas = H.sipp_uas(env, a.sipp, scenario, {"SE": SE, "REFRESHER": "uac", "WAIT": 120000},
                     port=uas_port, timeout=150)
    t0 = time.monotonic()
    cref = sim.call("9100", "4930555")
    uas.wait_sync(120)
    dt = time.monotonic() - t0
    sim.hangup(cref, 16, "LN")
    uas.wait(30)
    invs = [m for m in uas.msgs() if m.dir == "recv" and m.method == "INVITE"]
    refresh = invs[1] if method == "INVITE" and len(invs) > 1 else uas.request(method)
    if uas.rc != 0 or not invs or refresh is None or refresh is invs[0]:
        R.fail_run(env, uas, "%s: SIPp UAS exit %s, saw %s" % (name, uas.rc, uas.seen()))
    else:
        inv = invs[0]
        env.check("timer" in (inv.hdr("supported") or ""),
                  "%s: the INVITE lacks Supported: timer (%r)" % (name, inv.hdr("supported")))
        env.check(se_value(inv) == (1800, "uac"),
                  "%s: the INVITE's Session-Expires %r, want 1800;refresher=uac" % (
                      name, inv.hdr("session-expires")))
        env.check(se_value(refresh) == (SE, "uac"),
                  "%s: the %s's Session-Expires %r, want 90;refresher=uac" % (
                      name, method, refresh.hdr("session-expires")))
        has_sdp = "m=audio" in refresh.body
        env.check(has_sdp == (method == "INVITE"),
                  "%s: the %s's body %r" % (name, method, refresh.body[:60]))
        print("ok  %s -> %s after %.1f s: Session-Expires: %s%s" % (
            name, method, dt, refresh.hdr("session-expires"), " (with SDP)" if has_sdp else ""))
    R.finish(env, sim, br)


def t_refresher(env, a):
    bridge_refreshes(env, a, "uas_session_refresher.xml", "UPDATE")


def t_refresher_reinvite(env, a):
    bridge_refreshes(env, a, "uas_session_reinvite.xml", "INVITE")


def t_negotiation(env, a):
    uas_port, route_port = H.free_port(), H.free_port()
    sim, br = pair(env, a, targets={"9": uas_port, "8": route_port},
                   route_extra={"8": "session_expires = 7200\n"})
    # §9: too small for min_se: 422 with Min-SE, nothing reaches ISDN
    name = "INVITE with Session-Expires 60"
    run = H.sipp(env, a.sipp, "uac_session_422.xml", {"CALLING": "0301234", "SE": 60},
                 remote_port=br.sip_port, service="0704", timeout=15)
    run.wait(30)
    fin = run.final()
    if run.rc != 0 or fin is None or fin.status != 422:
        R.fail_run(env, run, "%s: final %s, want 422 (saw %s)" % (name, fin and fin.status,
                                                                 run.seen()))
    else:
        env.check((fin.hdr("min-se") or "").strip() == "90",
                  "%s: 422 with Min-SE %r, want 90" % (name, fin.hdr("min-se")))
        print("ok  %s -> 422, Min-SE: %s" % (name, fin.hdr("min-se")))
    env.check(not sim.calls("0704", direction="in"), "%s: a SETUP went out" % name)
    # §7.4: the bridge's INVITE gets 422 Min-SE 3600: once more, asking for 3600
    name = "ISDN->SIP, 422 with Min-SE 3600"
    uas = H.sipp_uas(env, a.sipp, "uas_session_422.xml", {"MINSE": 3600, "REFRESHER": "uas"},
                     port=uas_port, timeout=30)
    cref = sim.call("9200", "4930555")
    uas.wait_sync(20)
    sim.hangup(cref, 16, "LN")
    uas.wait(20)
    invs = [m for m in uas.msgs() if m.dir == "recv" and m.method == "INVITE"]
    if uas.rc != 0 or len(invs) != 2:
        R.fail_run(env, uas, "%s: SIPp UAS exit %s, saw %s" % (name, uas.rc, uas.seen()))
    else:
        first, again = invs
        env.check(se_value(again)[0] == 3600 and (again.hdr("min-se") or "").strip() == "3600",
                  "%s: the INVITE again: Session-Expires %r, Min-SE %r, want 3600" % (
                      name, again.hdr("session-expires"), again.hdr("min-se")))
        env.check(first.hdr("call-id") == again.hdr("call-id"),
                  "%s: Call-ID %r then %r, want the same (RFC 3261 §8.1.3.5)" % (
                      name, first.hdr("call-id"), again.hdr("call-id")))
        print("ok  %s -> INVITE again: Session-Expires: %s" % (name, again.hdr("session-expires")))
    c = sim.wait_call("9200", "out", timeout=10)
    env.check(c and c[0].get("answered"),
              "%s: the ISDN side %r, want the call connected" % (name, c))
    # a route's own session_expires
    name = "ISDN->SIP on a route with session_expires = 7200"
    uas = H.sipp_uas(env, a.sipp, "uas_answer_wait.xml", {"RING": 10}, port=route_port, timeout=20)
    cref = sim.call("8100", "4930555")
    uas.wait_sync(15)
    sim.hangup(cref, 16, "LN")
    uas.wait(20)
    inv = uas.request("INVITE")
    if uas.rc != 0 or inv is None:
        R.fail_run(env, uas, "%s: SIPp UAS exit %s, saw %s" % (name, uas.rc, uas.seen()))
    elif env.check(se_value(inv) == (7200, "uac"),
                   "%s: the INVITE's Session-Expires %r, want 7200;refresher=uac" % (
                       name, inv.hdr("session-expires"))):
        print("ok  %s -> INVITE with Session-Expires: %s" % (name, inv.hdr("session-expires")))
    R.finish(env, sim, br)


TESTS = {"expiry": t_expiry, "refresh": t_refresh, "refresher": t_refresher,
         "refresher-reinvite": t_refresher_reinvite, "negotiation": t_negotiation}


if __name__ == "__main__":
    sys.exit(R.main(TESTS, "e2e-session-timer-", __doc__, vectors=False))
